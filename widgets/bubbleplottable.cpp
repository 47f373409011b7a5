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
    // Vector exports (PDF, SVG) keep real circles; the screen and raster images use sprites.
    const bool vector = painter->modes().testFlag(QCPPainter::pmVectorized) || painter->modes().testFlag(QCPPainter::pmNoCaching)
        || painter->device()->devType() == QInternal::Picture;
    const qreal ratio = vector ? 1.0 : painter->device()->devicePixelRatioF();
    for (const Bubble *b : shown) {
        const QPointF c(keyAxis->coordToPixel(b->key), valueAxis->coordToPixel(b->value));
        if (vector) {
            painter->setBrush(b->color);
            painter->drawEllipse(c, b->radius, b->radius);
            continue;
        }
        const QPixmap &px = sprite(b->color, b->radius, ratio);
        const double half = px.width() / ratio / 2.0;
        painter->drawPixmap(QPointF(c.x() - half, c.y() - half), px);
    }
}

const QPixmap &BubblePlottable::sprite(const QColor &color, double radius, qreal ratio) const
{
    const quint64 halfPixels = quint64(std::clamp(std::lround(radius * 2), 1L, 4000L));
    const quint64 key = (quint64(color.rgba()) << 32) ^ (halfPixels << 8) ^ quint64(std::lround(ratio * 4));
    auto it = m_sprites.find(key);
    if (it != m_sprites.end())
        return *it;
    if (m_sprites.size() > 512) // sizes are bucketed: only a pathological feed gets here
        m_sprites.clear();
    const double r = halfPixels / 2.0;
    const int side = int(std::ceil((2 * r + 2) * ratio));
    QPixmap px(side, side);
    px.setDevicePixelRatio(ratio);
    px.fill(Qt::transparent);
    {
        QPainter p(&px);
        p.setRenderHint(QPainter::Antialiasing, antialiased());
        p.setPen(m_outline.isValid() ? QPen(m_outline, 1) : Qt::NoPen);
        p.setBrush(color);
        const double centre = side / ratio / 2.0;
        p.drawEllipse(QPointF(centre, centre), r, r);
    }
    return *m_sprites.insert(key, px);
}

void BubblePlottable::drawLegendIcon(QCPPainter *painter, const QRectF &rect) const
{
    painter->setBrush(m_bubbles.isEmpty() ? QColor(Qt::gray) : m_bubbles.front().color);
    painter->setPen(Qt::NoPen);
    const double r = std::min(rect.width(), rect.height()) / 2.5;
    painter->drawEllipse(rect.center(), r, r);
}
