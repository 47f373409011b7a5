#pragma once

#include "chartpane.h"

class BubblePlottable;
class QCPGraph;

// Realized liquidations as bubbles at their average price per bar, sized by notional (area
// ~ USD) and coloured by side, over the price path. The predicted heatmap is drawn under
// both (a colour map on the same price axis) once the model provides it.
class LiquidationsPane : public ChartPane
{
    Q_OBJECT
public:
    LiquidationsPane(TimeSync *sync, MarketWindowModel *model, QWidget *parent = nullptr);

    const BubblePlottable *bubbles() const { return m_bubbles; }

protected:
    void refill(const MarketWindow &window) override;
    QCPRange valueRange(const QCPRange &keys) const override;
    void readout(std::optional<qint64> t, ReadoutBar::Segments &out) const override;
    QString valueLabel(double value) const override;
    void themeChanged() override;

private:
    QCPGraph *m_price;
    BubblePlottable *m_bubbles;
};
