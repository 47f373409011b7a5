#pragma once

#include <qcustomplot.h>

// Two-coloured candlesticks drawn in batches: all rising wicks, bodies, then all falling
// ones, each batch with one pen and brush. QCPFinancial switches pen and brush and issues
// three draw calls per candle; with two thousand candles in view that is most of a frame.
// Candles narrower than two pixels are drawn as their high-low line alone (a body would be
// invisible anyway). Data, width and colours are QCPFinancial's.
class CandlePlottable : public QCPFinancial
{
    Q_OBJECT
public:
    CandlePlottable(QCPAxis *keyAxis, QCPAxis *valueAxis);

protected:
    void draw(QCPPainter *painter) override;
};
