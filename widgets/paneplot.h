#pragma once

#include <qcustomplot.h>

// The QCustomPlot every pane draws on. A zoom step repaints every pane, and on a 2000-px-wide
// window most of a repaint is moving pixels, not drawing lines: QCustomPlot fills the widget
// with its background, then blends each paint buffer over it. Here the bottom buffer is made
// opaque (a backdrop drawn first, on its own bottom layer) and copied instead of blended, and
// the widget says it paints every pixel, so neither the fill nor the parent's background runs.
class PanePlot : public QCustomPlot
{
    Q_OBJECT
public:
    explicit PanePlot(QWidget *parent = nullptr);

    // A full replot is queued: whatever a layer would redraw now, it will draw anyway.
    bool replotQueued() const { return mReplotQueued; }
    const QBrush &backgroundBrush() const { return mBackgroundBrush; }

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    // False from a resize until the next replot: the buffers then have the old size and
    // copying them would leave the rest of the widget unpainted.
    bool m_buffersFit = false;
};
