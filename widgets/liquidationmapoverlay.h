#pragma once

#include "analysis/liquidationmap.h"

#include <QColor>
#include <optional>
#include <qcustomplot.h>

// CoinGlass's "liquidation map" drawn over the right edge of the heatmap, on the price axis
// it shares: for each price, how much predicted long (below price) or short (above) notional
// a move there would liquidate, cumulative from the price outwards. It lives on the cursor
// layer, so following the cursor repaints one buffer.
class LiquidationMapOverlay : public QCPLayerable
{
    Q_OBJECT
public:
    LiquidationMapOverlay(QCustomPlot *plot, QCPAxis *valueAxis, const QString &layer);

    void setMap(const std::optional<LiquidationMap> &map);
    const std::optional<LiquidationMap> &map() const { return m_map; }
    void setColors(const QColor &longs, const QColor &shorts, const QColor &text);
    // Largest cumulative notional drawn, for the read-out.
    double maxCumulativeUsd() const;

protected:
    void applyDefaultAntialiasingHint(QCPPainter *painter) const override;
    void draw(QCPPainter *painter) override;

private:
    QCPAxis *m_valueAxis;
    std::optional<LiquidationMap> m_map;
    QColor m_long, m_short, m_text;
};
