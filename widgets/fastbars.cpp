#include "fastbars.h"

FastBars::FastBars(QCPAxis *keyAxis, QCPAxis *valueAxis)
    : QCPBars(keyAxis, valueAxis)
{
    setWidthType(QCPBars::wtPlotCoords);
    setAntialiased(false);
    setAntialiasedFill(false);
    setPen(Qt::NoPen); // QCPBars outlines in blue by default
}

void FastBars::draw(QCPPainter *painter)
{
    QCPAxis *keyAxis = mKeyAxis.data();
    QCPAxis *valueAxis = mValueAxis.data();
    if (!keyAxis || !valueAxis || mDataContainer->isEmpty())
        return;
    const QCPRange keys = keyAxis->range();
    const double halfWidth = mWidth / 2;
    auto begin = mDataContainer->findBegin(keys.lower - halfWidth);
    auto end = mDataContainer->findEnd(keys.upper + halfWidth);
    if (begin == end)
        return;
    const double pixelWidth = std::abs(keyAxis->coordToPixel(begin->key + halfWidth) - keyAxis->coordToPixel(begin->key - halfWidth));
    const double base = valueAxis->coordToPixel(mBaseValue);
    painter->setAntialiasing(false);
    if (pixelWidth < 2.0) {
        QVector<QLineF> lines;
        lines.reserve(end - begin);
        for (auto it = begin; it != end; ++it) {
            const double x = std::round(keyAxis->coordToPixel(it->key)) + 0.5;
            lines.push_back(QLineF(x, base, x, valueAxis->coordToPixel(it->value)));
        }
        QPen pen(mPen.style() != Qt::NoPen ? mPen.color() : mBrush.color());
        pen.setWidth(0);
        painter->setPen(pen);
        painter->drawLines(lines);
        return;
    }
    QVector<QRectF> rects;
    rects.reserve(end - begin);
    const double w = std::floor(pixelWidth);
    for (auto it = begin; it != end; ++it) {
        const double x = std::round(keyAxis->coordToPixel(it->key) - w / 2);
        const double v = std::round(valueAxis->coordToPixel(it->value));
        const double b = std::round(base);
        rects.push_back(QRectF(x, std::min(v, b), w, std::max(1.0, std::abs(b - v))));
    }
    QPen outline = mPen;
    outline.setWidth(0);
    painter->setPen(outline);
    painter->setBrush(mBrush);
    painter->drawRects(rects);
}
