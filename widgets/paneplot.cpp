#include "paneplot.h"

namespace {

// Fills the whole viewport with the plot's background, under everything else.
class Backdrop : public QCPLayerable
{
public:
    explicit Backdrop(PanePlot *plot)
        : QCPLayerable(plot)
        , m_plot(plot)
    {
    }

protected:
    void applyDefaultAntialiasingHint(QCPPainter *painter) const override { painter->setAntialiasing(false); }
    void draw(QCPPainter *painter) override { painter->fillRect(m_plot->viewport(), m_plot->backgroundBrush()); }

private:
    PanePlot *m_plot;
};

} // namespace

PanePlot::PanePlot(QWidget *parent)
    : QCustomPlot(parent)
{
    addLayer(QStringLiteral("backdrop"), layer(0), limBelow);
    auto *backdrop = new Backdrop(this);
    backdrop->setLayer(QStringLiteral("backdrop"));
    setAttribute(Qt::WA_OpaquePaintEvent);
    connect(this, &QCustomPlot::afterReplot, this, [this] { m_buffersFit = true; });
}

void PanePlot::paintEvent(QPaintEvent *event)
{
    // Anything that would leave pixels of the bottom buffer see-through takes the stock path.
    if (!m_buffersFit || mPaintBuffers.isEmpty() || !mBackgroundBrush.isOpaque() || !mBackgroundPixmap.isNull()) {
        if (mPaintBuffers.isEmpty() || !m_buffersFit) {
            // The stock path paints only the buffers; an opaque widget must still cover itself.
            QPainter painter(this);
            painter.fillRect(rect(), mBackgroundBrush.style() == Qt::NoBrush ? palette().window() : mBackgroundBrush);
        }
        QCustomPlot::paintEvent(event);
        return;
    }
    QCPPainter painter(this);
    if (!painter.isActive())
        return;
    painter.setCompositionMode(QPainter::CompositionMode_Source);
    mPaintBuffers.first()->draw(&painter);
    painter.setCompositionMode(QPainter::CompositionMode_SourceOver);
    for (int i = 1; i < mPaintBuffers.size(); ++i)
        mPaintBuffers.at(i)->draw(&painter);
}

void PanePlot::resizeEvent(QResizeEvent *event)
{
    m_buffersFit = false;
    QCustomPlot::resizeEvent(event);
}
