#pragma once

#include <QMetaType>
#include <QtGlobal>

// A mark-price observation (exchanges publish it every second). Liquidations trigger on the
// mark, not the last trade, so the store keeps mark price as its own 1m candle series; sources
// fold these samples into bars with CandleBuilder.
struct MarkPrice
{
    qint64 ts = 0;
    double markPrice = 0;
    double indexPrice = 0;

    friend bool operator==(const MarkPrice &, const MarkPrice &) = default;
};

Q_DECLARE_METATYPE(MarkPrice)
