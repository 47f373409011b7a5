#pragma once

#include <QColor>
#include <QString>
#include <qcustomplot.h>

// The heatmap's colour scale, drawn inside the plot's top-left corner on the overlay layer
// (not in a margin, so every pane keeps the same plot width and time stays aligned): the
// ramp as drawn, its low and high ends in USD per cell and the clip it was cut at.
class HeatmapLegend : public QCPLayerable
{
    Q_OBJECT
public:
    HeatmapLegend(QCustomPlot *plot, const QString &layer);

    struct Scale
    {
        double lowUsd = 0;   // 0 = no heat in view: nothing is drawn
        double highUsd = 0;
        double clipPercentile = 0.99;
        bool nearPrice = true; // the scale comes from cells near price (false: from all cells)
        double rampFrom = 0.1; // the gradient position lowUsd maps to
    };
    void setScale(const Scale &scale) { m_scale = scale; }
    const Scale &scale() const { return m_scale; }
    void setGradient(const QCPColorGradient &gradient) { m_gradient = gradient; }
    void setColors(const QColor &plate, const QColor &text, const QColor &muted);
    // Where it was last drawn, in plot pixels (empty when nothing was drawn).
    QRect drawnRect() const { return m_drawn; }

protected:
    void applyDefaultAntialiasingHint(QCPPainter *painter) const override;
    void draw(QCPPainter *painter) override;

private:
    QCPColorGradient m_gradient;
    Scale m_scale;
    QColor m_plate, m_text, m_muted;
    QRect m_drawn;
};
