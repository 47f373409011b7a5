#pragma once

#include "chartpane.h"

class QCPBars;
class QCPFinancial;
class QCPGraph;
class QCPItemStraightLine;
class QCPItemText;

// Candles at the window's tier, volume underneath (bottom fifth), optional mark-price line,
// and a last-price line with its tag on the value axis.
class PricePane : public ChartPane
{
    Q_OBJECT
public:
    PricePane(TimeSync *sync, MarketWindowModel *model, QWidget *parent = nullptr);

    void setShowMarkPrice(bool show);
    bool showMarkPrice() const { return m_showMark; }

protected:
    void refill(const MarketWindow &window) override;
    QCPRange valueRange(const QCPRange &keys) const override;
    void fitExtraAxes(const QCPRange &keys) override;
    void readout(std::optional<qint64> t, ReadoutBar::Segments &out) const override;
    QString valueLabel(double value) const override;
    bool hasPaneData() const override;
    QString emptyText() const override;
    void themeChanged() override;
    void viewChanged() override;

private:
    QCPFinancial *m_candles;
    QCPBars *m_volumeUp;
    QCPBars *m_volumeDown;
    QCPGraph *m_mark;
    QCPItemStraightLine *m_lastLine;
    QCPItemText *m_lastTag;
    bool m_showMark = false;
};
