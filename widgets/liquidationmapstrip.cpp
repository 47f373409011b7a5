#include "liquidationmapstrip.h"

#include "displayformat.h"

LiquidationMapStrip::LiquidationMapStrip(QCustomPlot *plot, QCPAxis *valueAxis, const QString &layer, std::function<QRect()> strip)
    : QCPLayerable(plot, layer)
    , m_valueAxis(valueAxis)
    , m_strip(std::move(strip))
{
}

void LiquidationMapStrip::setMap(const std::optional<LiquidationMap> &map)
{
    m_map = map;
}

void LiquidationMapStrip::applyDefaultAntialiasingHint(QCPPainter *painter) const
{
    painter->setAntialiasing(false);
}

double LiquidationMapStrip::largestInView() const
{
    // Scaled to the prices in view, so the curve uses the strip whatever the zoom.
    const QCPRange prices = m_valueAxis->range();
    double most = 0;
    for (const auto *side : {&m_map->longs, &m_map->shorts})
        for (const LiquidationMap::Level &l : *side)
            if (l.priceHigh >= prices.lower && l.priceLow <= prices.upper)
                most = std::max(most, l.cumulativeUsd);
    return most;
}

void LiquidationMapStrip::draw(QCPPainter *painter)
{
    m_scaleUsd = 0;
    const QRect strip = stripRect();
    // No map (no prices, another instrument): an empty pane shows no invented strip.
    if (strip.width() < 20 || !m_valueAxis || !m_valueAxis->axisRect() || !m_map)
        return;
    painter->save();
    painter->setClipRect(strip);
    painter->fillRect(strip, m_colors.panel);
    painter->setPen(QPen(m_colors.grid, 1));
    painter->drawLine(QLineF(strip.topLeft(), strip.bottomLeft()));
    QFont small = painter->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    painter->setFont(small);
    const int textHeight = QFontMetrics(small).height();
    // Bars between the title and the scale; the price axis maps rows exactly as in the plot.
    const QRect bars(strip.left() + 4, strip.top(), strip.width() - 10, strip.height());
    const QRect scale(strip.left() + 4, strip.bottom() - textHeight - 6, strip.width() - 10, textHeight + 6);
    const double most = largestInView();
    if (most <= 0) {
        drawTitle(painter, strip, textHeight, QString());
        painter->setPen(m_colors.muted);
        painter->drawText(bars, Qt::AlignCenter | Qt::TextWordWrap,
                          !m_map->hasOpenInterest ? tr("no open interest") : tr("nothing in view"));
        painter->restore();
        return;
    }
    m_scaleUsd = most;
    const QCPRange prices = m_valueAxis->range();
    painter->setPen(Qt::NoPen);
    const auto drawSide = [&](const QVector<LiquidationMap::Level> &levels, QColor color) {
        // A map still inside the model's warm-up is drawn faded, as the heatmap is.
        color.setAlpha(m_map->warmingUp ? 90 : 210);
        painter->setBrush(color);
        for (const LiquidationMap::Level &l : levels) {
            if (l.priceHigh < prices.lower || l.priceLow > prices.upper)
                continue;
            const double y1 = m_valueAxis->coordToPixel(l.priceHigh), y2 = m_valueAxis->coordToPixel(l.priceLow);
            const double w = bars.width() * l.cumulativeUsd / most;
            painter->drawRect(QRectF(bars.left(), std::min(y1, y2), w, std::max(1.0, std::abs(y2 - y1))));
        }
    };
    drawSide(m_map->longs, m_colors.longs);
    drawSide(m_map->shorts, m_colors.shorts);
    if (m_map->price >= prices.lower && m_map->price <= prices.upper) {
        const double y = m_valueAxis->coordToPixel(m_map->price);
        painter->setPen(QPen(m_colors.text, 1, Qt::DashLine));
        painter->drawLine(QLineF(strip.left(), y, strip.right(), y));
    }
    drawTitle(painter, strip, textHeight, m_map->warmingUp ? tr("warming up") : QString());
    drawScale(painter, scale, most);
    painter->restore();
}

void LiquidationMapStrip::drawScale(QCPPainter *painter, const QRect &area, double most) const
{
    // The notional axis of the bars: 0 at the strip's left, the largest cumulative notional
    // in view at its right, a tick at half; on a plate so bars under it stay readable.
    QColor plate = m_colors.panel;
    plate.setAlpha(225);
    painter->fillRect(area.adjusted(-4, 0, 6, 0), plate);
    painter->setPen(QPen(m_colors.muted, 1));
    const int y = area.top() + 2;
    painter->drawLine(QLineF(area.left(), y, area.right(), y));
    for (const double share : {0.0, 0.5, 1.0}) {
        const int x = area.left() + int(std::lround(share * area.width()));
        painter->drawLine(QLineF(x, y, x, y + 3));
    }
    painter->setPen(m_colors.text);
    const QRect labels(area.left(), y + 3, area.width(), area.height() - 3);
    painter->drawText(labels, Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("0"));
    painter->drawText(labels, Qt::AlignRight | Qt::AlignVCenter, DisplayFormat::usd(most));
}

void LiquidationMapStrip::drawTitle(QCPPainter *painter, const QRect &strip, int textHeight, const QString &note) const
{
    // Drawn after the bars, on a plate, so far levels reaching the top never overprint it.
    const int lines = note.isEmpty() ? 1 : 2;
    QColor plate = m_colors.panel;
    plate.setAlpha(225);
    painter->fillRect(QRect(strip.left() + 1, strip.top(), strip.width() - 1, lines * textHeight + 4), plate);
    painter->setPen(m_colors.text);
    painter->drawText(QRect(strip.left() + 5, strip.top() + 2, strip.width() - 8, textHeight), Qt::AlignLeft | Qt::AlignVCenter,
                      tr("Liq. map"));
    if (!note.isEmpty()) {
        painter->setPen(m_colors.muted);
        painter->drawText(QRect(strip.left() + 5, strip.top() + 2 + textHeight, strip.width() - 8, textHeight),
                          Qt::AlignLeft | Qt::AlignVCenter, note);
    }
}
