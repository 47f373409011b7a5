#pragma once

#include <QVector>
#include <QtGlobal>

// The cumulative predicted liquidation curve at one instant (CoinGlass's "liquidation map"):
// for a price x below the current price, how much long notional a drop to x would liquidate;
// above it, how much short notional a rise to x would. One level per model bin, ordered
// away from the price.
struct LiquidationMap
{
    struct Level
    {
        double priceLow = 0;
        double priceHigh = 0;
        double usd = 0;        // this bin's notional
        double cumulativeUsd = 0; // this bin and every bin between it and the price
    };

    qint64 time = 0;
    double price = 0;
    bool warmingUp = true;        // still inside the model's warm-up at `time`
    bool hasOpenInterest = false; // false: no OI stored, so no map at all
    QVector<Level> longs;  // descending prices
    QVector<Level> shorts; // ascending prices
};
