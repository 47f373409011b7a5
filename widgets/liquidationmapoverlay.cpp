#include "liquidationmapoverlay.h"

#include "displayformat.h"

LiquidationMapOverlay::LiquidationMapOverlay(QCustomPlot *plot, QCPAxis *valueAxis, const QString &layer)
    : QCPLayerable(plot, layer)
    , m_valueAxis(valueAxis)
{
}

void LiquidationMapOverlay::setMap(const std::optional<LiquidationMap> &map)
{
    m_map = map;
}

void LiquidationMapOverlay::setColors(const QColor &longs, const QColor &shorts, const QColor &text)
{
    m_long = longs;
    m_short = shorts;
    m_text = text;
}

double LiquidationMapOverlay::maxCumulativeUsd() const
{
    double most = 0;
    if (m_map) {
        if (!m_map->longs.isEmpty())
            most = std::max(most, m_map->longs.back().cumulativeUsd);
        if (!m_map->shorts.isEmpty())
            most = std::max(most, m_map->shorts.back().cumulativeUsd);
    }
    return most;
}

void LiquidationMapOverlay::applyDefaultAntialiasingHint(QCPPainter *painter) const
{
    painter->setAntialiasing(false);
}

void LiquidationMapOverlay::draw(QCPPainter *painter)
{
    if (!m_map || !m_valueAxis || !m_valueAxis->axisRect())
        return;
    const QRect rect = m_valueAxis->axisRect()->rect();
    const double width = rect.width() * 0.18;
    // Scale to what is in view, so the curve uses the band whatever the zoom.
    const QCPRange prices = m_valueAxis->range();
    double most = 0;
    for (const auto *side : {&m_map->longs, &m_map->shorts})
        for (const LiquidationMap::Level &l : *side)
            if (l.priceHigh >= prices.lower && l.priceLow <= prices.upper)
                most = std::max(most, l.cumulativeUsd);
    if (most <= 0)
        return;
    painter->save();
    painter->setClipRect(rect);
    painter->setPen(Qt::NoPen);
    const auto drawSide = [&](const QVector<LiquidationMap::Level> &levels, QColor color) {
        color.setAlpha(105);
        painter->setBrush(color);
        for (const LiquidationMap::Level &l : levels) {
            if (l.priceHigh < prices.lower || l.priceLow > prices.upper)
                continue;
            const double y1 = m_valueAxis->coordToPixel(l.priceHigh), y2 = m_valueAxis->coordToPixel(l.priceLow);
            const double w = width * l.cumulativeUsd / most;
            painter->drawRect(QRectF(rect.right() - w, std::min(y1, y2), w, std::max(1.0, std::abs(y2 - y1))));
        }
    };
    drawSide(m_map->longs, m_long);
    drawSide(m_map->shorts, m_short);
    painter->setPen(m_text);
    QFont f = painter->font();
    f.setPointSizeF(f.pointSizeF() * 0.85);
    painter->setFont(f);
    painter->drawText(QRectF(rect.right() - width - 4, rect.top() + 2, width, 14), Qt::AlignRight,
                      QStringLiteral("map ≤ %1").arg(DisplayFormat::usd(most)));
    painter->restore();
}
