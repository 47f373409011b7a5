#pragma once

#include "analysis/liquidationmap.h"

#include <QColor>
#include <functional>
#include <optional>
#include <qcustomplot.h>

// CoinGlass's "liquidation map" in a strip beside the price axis (as CoinGlass and Hyblock
// draw theirs): for each price, how much predicted long (below price) or short (above)
// notional a move there would liquidate, cumulative from the price outwards, on the price
// axis it shares with the heatmap and with its own notional scale at the bottom. It sits
// in the gutter every pane keeps right of its value axis, so it covers no bars and the
// panes' time axes stay aligned; it lives on the cursor layer, so following the cursor
// repaints one buffer.
class LiquidationMapStrip : public QCPLayerable
{
    Q_OBJECT
public:
    // `strip` says where to draw, in plot pixels (empty: nowhere).
    LiquidationMapStrip(QCustomPlot *plot, QCPAxis *valueAxis, const QString &layer, std::function<QRect()> strip);

    void setMap(const std::optional<LiquidationMap> &map);
    const std::optional<LiquidationMap> &map() const { return m_map; }
    struct Colors
    {
        QColor longs, shorts, text, muted, grid, panel;
    };
    void setColors(const Colors &colors) { m_colors = colors; }
    // The scale's full width in USD as last drawn (largest cumulative notional in view), 0 = none.
    double scaleUsd() const { return m_scaleUsd; }
    QRect stripRect() const { return m_strip ? m_strip() : QRect(); }

    static constexpr int width = 104;

protected:
    void applyDefaultAntialiasingHint(QCPPainter *painter) const override;
    void draw(QCPPainter *painter) override;

private:
    double largestInView() const;
    void drawScale(QCPPainter *painter, const QRect &area, double most) const;
    void drawTitle(QCPPainter *painter, const QRect &strip, int textHeight, const QString &note) const;

    QCPAxis *m_valueAxis;
    std::function<QRect()> m_strip;
    std::optional<LiquidationMap> m_map;
    Colors m_colors;
    double m_scaleUsd = 0;
};
