#include "candleplottable.h"

CandlePlottable::CandlePlottable(QCPAxis *keyAxis, QCPAxis *valueAxis)
    : QCPFinancial(keyAxis, valueAxis)
{
    setChartStyle(QCPFinancial::csCandlestick);
    setTwoColored(true);
}

void CandlePlottable::draw(QCPPainter *painter)
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
    const bool bodies = pixelWidth >= 2.0;
    QVector<QLineF> wicks[2];
    QVector<QRectF> boxes[2];
    const qsizetype n = end - begin;
    for (auto &w : wicks)
        w.reserve(n);
    if (bodies)
        for (auto &b : boxes)
            b.reserve(n);
    for (auto it = begin; it != end; ++it) {
        const int side = it->close >= it->open ? 0 : 1;
        // Whole pixels: axis-aligned and without antialiasing, so edges stay crisp.
        const double x = std::round(keyAxis->coordToPixel(it->key)) + 0.5;
        const double high = valueAxis->coordToPixel(it->high);
        const double low = valueAxis->coordToPixel(it->low);
        wicks[side].push_back(QLineF(x, high, x, low));
        if (bodies) {
            const double top = valueAxis->coordToPixel(std::max(it->open, it->close));
            const double bottom = valueAxis->coordToPixel(std::min(it->open, it->close));
            const double w = std::max(1.0, std::floor(pixelWidth));
            boxes[side].push_back(QRectF(std::round(x - w / 2), std::round(top), w, std::max(1.0, std::round(bottom) - std::round(top))));
        }
    }
    painter->setAntialiasing(false);
    for (int side = 0; side < 2; ++side) {
        QPen pen = side == 0 ? mPenPositive : mPenNegative;
        pen.setWidth(0); // cosmetic one-pixel lines: Qt's fast path
        painter->setPen(pen);
        painter->drawLines(wicks[side]);
        if (bodies) {
            painter->setPen(Qt::NoPen);
            painter->setBrush(side == 0 ? mBrushPositive : mBrushNegative);
            painter->drawRects(boxes[side]);
        }
    }
}
