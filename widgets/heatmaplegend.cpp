#include "heatmaplegend.h"

#include "displayformat.h"
#include "heatmapintensity.h"

HeatmapLegend::HeatmapLegend(QCustomPlot *plot, const QString &layer)
    : QCPLayerable(plot, layer)
{
}

void HeatmapLegend::setColors(const QColor &plate, const QColor &text, const QColor &muted)
{
    m_plate = plate;
    m_text = text;
    m_muted = muted;
}

void HeatmapLegend::applyDefaultAntialiasingHint(QCPPainter *painter) const
{
    painter->setAntialiasing(false);
}

void HeatmapLegend::draw(QCPPainter *painter)
{
    m_drawn = QRect();
    QCPAxisRect *rect = parentPlot()->axisRect();
    if (!rect || m_scale.highUsd <= 0 || rect->width() < 260 || rect->height() < 60)
        return;
    QFont small = painter->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    painter->setFont(small);
    const QFontMetrics fm(small);
    const QString low = DisplayFormat::usd(m_scale.lowUsd);
    const QString high = DisplayFormat::usd(m_scale.highUsd);
    const QString clip = tr("clip p%1%2").arg(HeatmapIntensity::percentileText(m_scale.clipPercentile),
                                               m_scale.nearPrice ? tr(" near price") : QString());
    const int rampWidth = 96;
    const int pad = 5;
    const int width = pad + fm.horizontalAdvance(low) + 4 + rampWidth + 4 + fm.horizontalAdvance(high) + pad;
    const int height = pad + fm.height() + 2 + fm.height() + pad - 2;
    // Below the pane's note row (top centre) and left, where the newest bars never are.
    const QRect box(rect->left() + 6, rect->top() + 6, std::max(width, fm.horizontalAdvance(clip) + 2 * pad), height);
    QColor plate = m_plate;
    plate.setAlpha(215);
    painter->fillRect(box, plate);
    const int rowY = box.top() + pad;
    painter->setPen(m_text);
    painter->drawText(QRect(box.left() + pad, rowY, fm.horizontalAdvance(low), fm.height()), Qt::AlignLeft | Qt::AlignVCenter, low);
    const QRect ramp(box.left() + pad + fm.horizontalAdvance(low) + 4, rowY + fm.height() / 2 - 4, rampWidth, 8);
    // The ramp exactly as cells are coloured: the gradient over [0, 1] of the clipped range.
    QImage img(ramp.width(), 1, QImage::Format_ARGB32_Premultiplied);
    for (int x = 0; x < ramp.width(); ++x)
        reinterpret_cast<QRgb *>(img.scanLine(0))[x] =
            m_gradient.color(m_scale.rampFrom + (1 - m_scale.rampFrom) * double(x) / (ramp.width() - 1), QCPRange(0, 1));
    painter->drawImage(ramp, img);
    painter->setPen(QPen(m_muted, 1));
    painter->setBrush(Qt::NoBrush);
    painter->drawRect(ramp.adjusted(0, 0, -1, -1));
    painter->setPen(m_text);
    painter->drawText(QRect(ramp.right() + 5, rowY, fm.horizontalAdvance(high) + 2, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, high);
    painter->setPen(m_muted);
    painter->drawText(QRect(box.left() + pad, rowY + fm.height() + 1, box.width() - 2 * pad, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, clip);
    m_drawn = box;
}
