#pragma once

#include <QtGlobal>

// Funding settles on the hour (every 1, 4 or 8 h), but Binance stamps it a few milliseconds
// late (fundingRate dump calc_time 1785542400001, REST fundingTime likewise). Keys must sit
// on the grid so the dump, REST and the stream agree on one row per settlement.
namespace FundingGrid {
inline constexpr qint64 hourMs = 3'600'000;
inline constexpr qint64 toleranceMs = 60'000; // further off than this is not a stray stamp

// The nearest hour when within the tolerance, else t rounded to the second.
inline qint64 snap(qint64 t)
{
    const qint64 hour = (t + hourMs / 2) / hourMs * hourMs; // times are after 1970
    if (t - hour <= toleranceMs && hour - t <= toleranceMs)
        return hour;
    return (t + 500) / 1000 * 1000;
}
inline bool onGrid(qint64 t)
{
    const qint64 s = snap(t);
    return s % hourMs == 0;
}
} // namespace FundingGrid
