#pragma once

#include <QMetaType>
#include <QVector>
#include <QtGlobal>

// One OHLCV bar. ts = bar open time (epoch ms UTC). Volumes are in base units (coins);
// quoteVolume is the traded notional in quote currency, so vwap() needs no extra data.
struct Candle
{
    qint64 ts = 0;
    double open = 0;
    double high = 0;
    double low = 0;
    double close = 0;
    double volume = 0;
    double quoteVolume = 0;
    double takerBuyVolume = 0;

    double vwap() const { return volume > 0 ? quoteVolume / volume : (high + low + close) / 3.0; }
    double takerSellVolume() const { return volume - takerBuyVolume; }

    friend bool operator==(const Candle &, const Candle &) = default;
};

Q_DECLARE_METATYPE(Candle)
