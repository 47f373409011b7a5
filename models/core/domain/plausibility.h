#pragma once

#include "candle.h"

#include <QtGlobal>

#include <cmath>

// The widest values any market we read can produce, shared by every way data comes in (file
// import, exchange adapters) and by the store's own check of each batch. A value outside is
// not a market datum but damage (a corrupt file, a bad message, 1.7e308 typed into a CSV)
// and must be refused where it arrives: stored, it would turn into Inf in the derived tiers
// and abort the heatmap. The bounds are orders of magnitude beyond real data (BTC trades
// near 1e5 USD, the cheapest listed tokens near 1e-8; a day of PEPE is ~1e13 coins) so no
// real row is ever refused by them. Relative checks (a price 10x off its neighbours) are the
// importer's (RowScreen, NeighbourWindow), which sees the rows around each one.
namespace Plausibility {

constexpr double minPrice = 1e-12;    // quote currency per coin
constexpr double maxPrice = 1e9;
constexpr double maxSize = 1e15;      // coins in one bar, sample or print
constexpr double maxNotional = 1e17;  // quote currency in one bar, sample or print
constexpr double maxFundingRate = 0.1; // per interval, either sign: venue caps are 0.3 % to 4 %
constexpr int maxFundingIntervalHours = 24;

// Time: after the first crypto derivatives and before 2100 (a bar in 2200 is damage).
constexpr qint64 minTimeMs = 1'230'768'000'000; // 2009-01-01
constexpr qint64 maxTimeMs = 4'102'444'800'000; // 2100-01-01

inline bool price(double v)
{
    return std::isfinite(v) && v >= minPrice && v <= maxPrice;
}
inline bool size(double v) // >= 0: volumes and open interest may be zero
{
    return std::isfinite(v) && v >= 0 && v <= maxSize;
}
inline bool positiveSize(double v)
{
    return size(v) && v > 0;
}
inline bool notional(double v)
{
    return std::isfinite(v) && v >= 0 && v <= maxNotional;
}
inline bool fundingRate(double v)
{
    return std::isfinite(v) && std::abs(v) <= maxFundingRate;
}
inline bool time(qint64 ms)
{
    return ms >= minTimeMs && ms < maxTimeMs;
}

// A bar any venue could print: prices in bounds and consistent (low <= open, close <= high),
// volumes in bounds. (The importer checks more: taker buys and the bar's VWAP.)
inline bool candle(const Candle &c)
{
    return price(c.open) && price(c.high) && price(c.low) && price(c.close) && c.low <= c.high && c.low <= c.open && c.low <= c.close
        && c.high >= c.open && c.high >= c.close && size(c.volume) && size(c.takerBuyVolume) && notional(c.quoteVolume);
}

} // namespace Plausibility
