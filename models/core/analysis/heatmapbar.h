#pragma once

#include <QtGlobal>

// What RLH-1 consumes per bar (research/models.md §1.6 "Inputs per bar"): last-price and mark
// OHLC, volumes, open interest at the bar's end, a funding settlement inside the bar, and the
// realised liquidated quantity when a tape exists. Quantities are in coins.
struct HeatmapBar
{
    qint64 ts = 0;              // bar open time, epoch ms UTC
    qint64 durationMs = 60'000; // 1m (or 5m where only 5m open interest exists)
    double open = 0, high = 0, low = 0, close = 0;
    double markOpen = 0, markHigh = 0, markLow = 0, markClose = 0; // 0 = no mark series
    double vwap = 0;
    double volume = 0;
    double takerBuyVolume = 0; // < 0: unknown (the source gives none)
    double openInterest = 0; // coins, at the bar's end
    bool hasOpenInterest = false;
    double fundingRate = 0; // settled inside the bar
    bool hasFunding = false;
    double realizedLiquidationQty = 0;
    bool hasRealizedLiquidations = false; // the store has a liquidation tape for this instrument

    qint64 end() const { return ts + durationMs; }
    bool hasMark() const { return markHigh > 0 && markLow > 0; }
};
