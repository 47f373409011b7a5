#pragma once

#include "chartpane.h"

class QCPBars;
class QCPGraph;

#include <QList>

// Open interest as a line (in coins or USD) with the change per bar as bars underneath:
// a falling OI during a drop is positions closing (a flush); rising OI is new leverage.
class OpenInterestPane : public ChartPane
{
    Q_OBJECT
public:
    OpenInterestPane(TimeSync *sync, MarketWindowModel *model, QWidget *parent = nullptr);

    void setShowUsd(bool usd);
    bool showUsd() const { return m_usd; }
    // An aggregate's OI as the members' USD layers stacked (each venue's own colour) under the
    // summed line; one venue shows its line alone.
    void setStackByVenue(bool on);
    bool stackByVenue() const { return m_stack; }
    bool isStacking() const;

protected:
    void refill(const MarketWindow &window) override;
    QCPRange valueRange(const QCPRange &keys) const override;
    void fitExtraAxes(const QCPRange &keys) override;
    void readout(std::optional<qint64> t, ReadoutBar::Segments &out) const override;
    QString valueLabel(double value) const override;
    bool hasPaneData() const override;
    QString emptyText() const override;
    void themeChanged() override;

private:
    const QVector<LineBar> &series() const;
    void refillStack(const MarketWindow &window);

    QCPGraph *m_line;
    QCPBars *m_up;
    QCPBars *m_down;
    bool m_usd = false;
    bool m_stack = false;
    QList<QCPGraph *> m_layers; // bottom first; each filled down to the one below (or zero)
    QCPGraph *m_zero;
};
