#pragma once

#include <QMetaType>
#include <QString>
#include <QVector>
#include <QtGlobal>

#include <cmath>
#include <limits>

// One maintenance-margin tier of a venue's schedule for one instrument, as the venue
// publishes it (Bybit risk-limit, OKX position-tiers; Binance's need an API key, so the
// heatmap keeps a built-in BTCUSDT table for it). A position of notional N in this tier
// needs a maintenance margin of N * mmr - cum. floor and cap are USD notional.
struct MarginTier
{
    int tier = 0;      // 1-based, from the lowest notional up
    double floor = 0;  // notional (USD) where the tier starts
    double cap = 0;    // notional where the next tier starts
    double mmr = 0;    // maintenance margin rate, a fraction (0.005 = 0.5 %)
    // Maintenance amount (deduction) of the tier; NaN when the venue gives none (the store
    // keeps NULL and the reader derives it: MarginTiers::deriveCum).
    double cum = std::numeric_limits<double>::quiet_NaN();
    double maxLeverage = 0;
    qint64 fetchedMs = 0; // when the venue answered (its clock)
    // The price a venue's coin-sized tiers (OKX linear swaps: contracts x ctVal) were valued
    // at to give USD notional; 0 when the venue states the bounds in USD.
    double referencePrice = 0;

    bool hasCum() const { return std::isfinite(cum); }
    friend bool operator==(const MarginTier &a, const MarginTier &b)
    {
        const auto same = [](double x, double y) { return x == y || (std::isnan(x) && std::isnan(y)); };
        return a.tier == b.tier && a.floor == b.floor && a.cap == b.cap && a.mmr == b.mmr && same(a.cum, b.cum)
            && a.maxLeverage == b.maxLeverage && a.fetchedMs == b.fetchedMs && a.referencePrice == b.referencePrice;
    }
};

namespace MarginTiers {
// Empty when the schedule is usable: tiers 1..n in order, 0 <= floor < cap, contiguous
// (floor_n = cap_{n-1}), 0 < mmr < 1, finite cum where given, maxLeverage >= 1.
QString check(const QVector<MarginTier> &tiers);
// Fills in the maintenance amounts a venue does not give, so that the maintenance margin is
// continuous at every tier boundary (as Binance's cum is):
//   cum_1 = 0, cum_n = floor_n * (mmr_n - mmr_{n-1}) + cum_{n-1}.
void deriveCum(QVector<MarginTier> &tiers);
// Sorts by floor, numbers the tiers 1..n and makes each floor the previous cap (venues give
// only caps, Bybit, or sizes one contract apart, OKX).
void normalise(QVector<MarginTier> &tiers);
} // namespace MarginTiers

Q_DECLARE_METATYPE(MarginTier)
