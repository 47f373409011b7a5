#include "bubbleplottable.h"

#include <algorithm>

BubblePlottable::BubblePlottable(QCPAxis *keyAxis, QCPAxis *valueAxis)
    : QCPAbstractPlottable(keyAxis, valueAxis)
{
    setAntialiased(true);
}

void BubblePlottable::setBubbles(QVector<Bubble> bubbles)
{
    m_bubbles = std::move(bubbles);
}

double BubblePlottable::selectTest(const QPointF &, bool, QVariant *) const
{
    return -1; // not selectable: the cursor read-outs explain the prints
}

QCPRange BubblePlottable::getKeyRange(bool &foundRange, QCP::SignDomain) const
{
    foundRange = !m_bubbles.isEmpty();
    return foundRange ? QCPRange(m_bubbles.front().key, m_bubbles.back().key) : QCPRange();
}

QCPRange BubblePlottable::getValueRange(bool &foundRange, QCP::SignDomain, const QCPRange &inKeyRange) const
{
    QCPRange r;
    foundRange = false;
    for (const Bubble &b : m_bubbles) {
        if (inKeyRange != QCPRange() && !inKeyRange.contains(b.key))
            continue;
        if (!foundRange) {
            r = QCPRange(b.value, b.value);
            foundRange = true;
        } else {
            r.expand(b.value);
        }
    }
    return r;
}

void BubblePlottable::draw(QCPPainter *painter)
{
    QCPAxis *keyAxis = mKeyAxis.data();
    QCPAxis *valueAxis = mValueAxis.data();
    if (!keyAxis || !valueAxis || m_bubbles.isEmpty())
        return;
    const QCPRange visible = keyAxis->range();
    auto it = std::lower_bound(m_bubbles.cbegin(), m_bubbles.cend(), visible.lower, [](const Bubble &b, double k) { return b.key < k; });
    applyDefaultAntialiasingHint(painter);
    painter->setPen(m_outline.isValid() ? QPen(m_outline, 1) : Qt::NoPen);
    // Large prints first so small ones stay visible on top of them.
    QVector<const Bubble *> shown;
    for (; it != m_bubbles.cend() && it->key <= visible.upper; ++it)
        shown.push_back(&*it);
    std::stable_sort(shown.begin(), shown.end(), [](const Bubble *a, const Bubble *b) { return a->radius > b->radius; });
    for (const Bubble *b : shown) {
        const QPointF c(keyAxis->coordToPixel(b->key), valueAxis->coordToPixel(b->value));
        painter->setBrush(b->color);
        painter->drawEllipse(c, b->radius, b->radius);
    }
}

void BubblePlottable::drawLegendIcon(QCPPainter *painter, const QRectF &rect) const
{
    painter->setBrush(m_bubbles.isEmpty() ? QColor(Qt::gray) : m_bubbles.front().color);
    painter->setPen(Qt::NoPen);
    const double r = std::min(rect.width(), rect.height()) / 2.5;
    painter->drawEllipse(rect.center(), r, r);
}
