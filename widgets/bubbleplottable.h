#pragma once

#include <QColor>
#include <QHash>
#include <QPixmap>
#include <QVector>
#include <qcustomplot.h>

// Circles at (key, value) with a radius of their own, for liquidation prints: size says
// notional, colour says side. QCPGraph scatters share one size, hence this plottable.
class BubblePlottable : public QCPAbstractPlottable
{
    Q_OBJECT
public:
    struct Bubble
    {
        double key = 0;
        double value = 0;
        double radius = 3; // pixels
        QColor color;
    };

    BubblePlottable(QCPAxis *keyAxis, QCPAxis *valueAxis);

    void setBubbles(QVector<Bubble> bubbles); // sorted by key
    const QVector<Bubble> &bubbles() const { return m_bubbles; }
    void setOutline(const QColor &color)
    {
        m_outline = color;
        m_sprites.clear();
    }

    double selectTest(const QPointF &pos, bool onlySelectable, QVariant *details = nullptr) const override;
    QCPRange getKeyRange(bool &foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth) const override;
    QCPRange getValueRange(bool &foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth,
                           const QCPRange &inKeyRange = QCPRange()) const override;

protected:
    void draw(QCPPainter *painter) override;
    void drawLegendIcon(QCPPainter *painter, const QRectF &rect) const override;

private:
    // A bubble painted once per colour, radius (to half a pixel) and pixel ratio, then
    // blitted: an antialiased translucent ellipse costs the raster engine far more than a
    // pixmap copy, and the prints repeat few sizes and two colours.
    const QPixmap &sprite(const QColor &color, double radius, qreal ratio) const;

    QVector<Bubble> m_bubbles;
    QColor m_outline;
    mutable QHash<quint64, QPixmap> m_sprites;
};
