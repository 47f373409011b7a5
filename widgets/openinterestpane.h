#pragma once

#include "chartpane.h"

class QCPBars;
class QCPGraph;

// Open interest as a line (in coins or USD) with the change per bar as bars underneath:
// a falling OI during a drop is positions closing (a flush); rising OI is new leverage.
class OpenInterestPane : public ChartPane
{
    Q_OBJECT
public:
    OpenInterestPane(TimeSync *sync, MarketWindowModel *model, QWidget *parent = nullptr);

    void setShowUsd(bool usd);
    bool showUsd() const { return m_usd; }

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

    QCPGraph *m_line;
    QCPBars *m_up;
    QCPBars *m_down;
    bool m_usd = false;
};
