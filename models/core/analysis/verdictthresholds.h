#pragma once

#include "domain/instrument.h"
#include "domain/timerange.h"

#include <QJsonObject>
#include <QString>

class StoreReader;

// What "meaningful", "elevated" and "heavy" mean for one range: percentiles of the same
// measure over windows of the range's length in the trailing 30 days of the instrument, so
// a 12-hour BTC range is judged against BTC's own 12-hour windows (real BTC moves OI by
// -3 % ... +2 % in 12 h on 90 % of days; the simulator's presets move it more). Where the
// history is too short (or the range too long) to have enough windows, documented fixed
// fallbacks calibrated on real Binance BTCUSDT (docs/research/real-market.md) are used.
// Every level is named here and only here; Help -> About the verdict explains them.
struct VerdictThresholds
{
    // Percentile levels of the trailing distribution.
    static constexpr double movePercentile = 0.75;        // |price change| at or above: a directional move
    static constexpr double oiClearedPercentile = 0.10;   // OI change (coins) at or below: cleared meaningfully
    static constexpr double oiBuiltPercentile = 0.90;     // OI change (coins) at or above: built with the move
    static constexpr double liqHeavyPercentile = 0.90;    // liquidations / OI at or above: heavy
    static constexpr double fundingHighPercentile = 0.90; // rate at or above (and > 0): longs pay up, elevated
    static constexpr double fundingLowPercentile = 0.10;  // rate at or below (and < 0): shorts pay up, elevated

    static constexpr qint64 trailingMs = 30LL * 86'400'000;
    static constexpr qint64 longestWindowMs = 3LL * 86'400'000; // longer ranges: fixed fallbacks
    static constexpr int minWindows = 24;                       // fewer windows with data: fixed fallback

    // One threshold in force and where it came from.
    struct Level
    {
        double value = 0;
        bool fromHistory = false; // false: the fixed fallback
        int windows = 0;          // windows (or samples) the percentile was taken over
    };

    qint64 windowMs = 0;     // the range length the levels are for
    TimeRange history;       // the trailing window that was read
    Level move;              // fraction: 0.012 = 1.2 %
    Level oiCleared;         // negative fraction: OI change at or below it is meaningful clearing
    Level oiBuilt;           // positive fraction
    Level liqHeavy;          // liquidation notional / OI notional at the start
    Level fundingHigh;       // funding rate per interval (0.0001 = 0.01 %)
    Level fundingLow;
    double fundingMedian = 0.0001;

    bool allFromHistory() const;
    QJsonObject toJson() const;

    // The documented fixed levels for a window of this length.
    static VerdictThresholds fixed(qint64 windowMs);
    // Percentiles over the trailing 30 days before range.from (each level falls back on its
    // own when its series has too few covered windows there).
    static VerdictThresholds trailing(StoreReader &reader, const Instrument &instrument, TimeRange range);

    // Plain-words explanation of the levels and fallbacks (Help -> About the verdict).
    static QString explanation();
};
