#pragma once

#include <qcustomplot.h>

// Bars from the base value (volume, funding, OI change) drawn in one batch: one brush, one
// drawRects call, instead of QCPBars' pen and brush and polygon per bar. Bars narrower than
// two pixels are drawn as one-pixel lines so none disappears between pixels. Uses QCPBars'
// data, width (plot coordinates), base value, brush and pen (one-pixel outline; none by
// default); no stacking.
class FastBars : public QCPBars
{
    Q_OBJECT
public:
    FastBars(QCPAxis *keyAxis, QCPAxis *valueAxis);

protected:
    void draw(QCPPainter *painter) override;
};
