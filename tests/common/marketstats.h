#pragma once

#include "domain/candle.h"
#include "domain/fundingsample.h"
#include "domain/groundtruthcell.h"
#include "domain/liquidation.h"
#include "domain/openinterestsample.h"

#include <QVector>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

// Stylized-fact statistics (research/models.md §3.3) computed from stored series, shared by
// the simulator tests (header-only: each test is its own executable).
namespace MarketStats {

inline std::vector<double> logReturns(const QVector<Candle> &bars)
{
    std::vector<double> r;
    r.reserve(size_t(bars.size()));
    for (qsizetype i = 1; i < bars.size(); ++i)
        r.push_back(std::log(bars[i].close / bars[i - 1].close));
    return r;
}

inline double mean(const std::vector<double> &x)
{
    double s = 0;
    for (double v : x)
        s += v;
    return x.empty() ? 0 : s / double(x.size());
}

// m4 / m2^2 - 3
inline double excessKurtosis(const std::vector<double> &x)
{
    const double m = mean(x);
    double m2 = 0, m4 = 0;
    for (double v : x) {
        const double d = (v - m) * (v - m);
        m2 += d;
        m4 += d * d;
    }
    m2 /= double(x.size());
    m4 /= double(x.size());
    return m4 / (m2 * m2) - 3.0;
}

inline double autocorrelation(const std::vector<double> &x, size_t lag)
{
    const double m = mean(x);
    double num = 0, den = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        den += (x[i] - m) * (x[i] - m);
        if (i >= lag)
            num += (x[i] - m) * (x[i - lag] - m);
    }
    return den > 0 ? num / den : 0;
}

inline std::vector<double> absolute(std::vector<double> x)
{
    for (double &v : x)
        v = std::abs(v);
    return x;
}

inline double pearson(const std::vector<double> &x, const std::vector<double> &y)
{
    const double mx = mean(x), my = mean(y);
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : 0;
}

// Share of the total carried by the largest `fraction` of the values.
inline double topShare(std::vector<double> values, double fraction)
{
    std::sort(values.begin(), values.end(), std::greater<double>());
    double total = 0, top = 0;
    const size_t n = std::max<size_t>(1, size_t(std::ceil(double(values.size()) * fraction)));
    for (size_t i = 0; i < values.size(); ++i) {
        total += values[i];
        if (i < n)
            top += values[i];
    }
    return total > 0 ? top / total : 0;
}

// Liquidation notional per bucket of `bucketMs` over [from, to), optionally one side only.
inline std::vector<double> liquidationNotional(const QVector<Liquidation> &liqs, qint64 from, qint64 to, qint64 bucketMs, int side = -1)
{
    std::vector<double> out(size_t((to - from) / bucketMs), 0.0);
    for (const Liquidation &l : liqs) {
        if (side >= 0 && int(l.side) != side)
            continue;
        const qint64 b = (l.ts - from) / bucketMs;
        if (b >= 0 && b < qint64(out.size()))
            out[size_t(b)] += l.notional();
    }
    return out;
}

// Open interest (coins) at each bucket boundary from, from + bucketMs, ... (last sample at or
// before the boundary).
inline std::vector<double> openInterestAt(const QVector<OpenInterestSample> &oi, qint64 from, qint64 to, qint64 bucketMs)
{
    std::vector<double> out;
    qsizetype j = 0;
    for (qint64 t = from; t <= to; t += bucketMs) {
        while (j + 1 < oi.size() && oi[j + 1].ts <= t)
            ++j;
        out.push_back(oi.isEmpty() ? 0 : oi[j].openInterest);
    }
    return out;
}

inline double fractionAbove(const QVector<FundingSample> &f, double threshold)
{
    qsizetype n = 0;
    for (const FundingSample &s : f)
        n += s.rate > threshold ? 1 : 0;
    return f.isEmpty() ? 0 : double(n) / double(f.size());
}

// Minute-indexed view of stored series (1m closes, OI, predicted funding) for event studies.
struct Series
{
    qint64 start = 0; // first minute
    QVector<Candle> bars;
    QVector<OpenInterestSample> oi;
    QVector<FundingSample> predicted;
    QVector<Liquidation> liquidations;

    qint64 end() const { return start + qint64(bars.size()) * 60'000; }
    qsizetype minute(qint64 t) const { return std::clamp<qsizetype>(qsizetype((t - start) / 60'000), 0, bars.size() - 1); }
    double close(qint64 t) const { return bars[minute(t)].close; }
    double openInterest(qint64 t) const
    {
        auto it = std::upper_bound(oi.begin(), oi.end(), t, [](qint64 v, const OpenInterestSample &s) { return v < s.ts; });
        return it == oi.begin() ? oi.front().openInterest : (it - 1)->openInterest;
    }
    // Mean (or minimum) predicted funding over [from, to).
    double fundingMean(qint64 from, qint64 to) const
    {
        double s = 0;
        int n = 0;
        for (const FundingSample &f : predicted)
            if (f.ts >= from && f.ts < to) {
                s += f.rate;
                ++n;
            }
        return n ? s / n : 0;
    }
    double fundingMin(qint64 from, qint64 to) const
    {
        double m = 1;
        for (const FundingSample &f : predicted)
            if (f.ts >= from && f.ts < to)
                m = std::min(m, f.rate);
        return m;
    }
    // Lowest (or highest) close in [from, to) and when.
    std::pair<qint64, double> extreme(qint64 from, qint64 to, bool lowest) const
    {
        qint64 at = from;
        double best = lowest ? 1e300 : -1e300;
        for (qint64 t = std::max(from, start); t < std::min(to, end()); t += 60'000) {
            const double c = close(t);
            if (lowest ? c < best : c > best) {
                best = c;
                at = t;
            }
        }
        return {at, best};
    }
};

// A long-liquidation flush: an hour in the top `topFraction` by long liquidation notional,
// merged with neighbours less than `mergeHours` apart (the largest hour stands for them).
struct Flush
{
    qint64 ts = 0; // start of the hour
    double longUsd = 0;
};

inline std::vector<Flush> flushes(const Series &s, double topFraction = 0.03, int mergeHours = 6)
{
    const auto hourly = liquidationNotional(s.liquidations, s.start, s.end(), 3'600'000, int(Liquidation::Side::Long));
    std::vector<double> sorted = hourly;
    std::sort(sorted.begin(), sorted.end());
    const double threshold = sorted.empty() ? 0 : sorted[std::min(sorted.size() - 1, size_t(double(sorted.size()) * (1 - topFraction)))];
    std::vector<Flush> out;
    for (size_t h = 0; h < hourly.size(); ++h) {
        if (hourly[h] < threshold || hourly[h] <= 0)
            continue;
        const qint64 ts = s.start + qint64(h) * 3'600'000;
        if (!out.empty() && ts - out.back().ts < mergeHours * 3'600'000LL) {
            if (hourly[h] > out.back().longUsd)
                out.back() = {ts, hourly[h]};
        } else {
            out.push_back({ts, hourly[h]});
        }
    }
    return out;
}

// What followed a flush: its low within 3 h, the bounce high within 24 h of the low, the
// lowest OI between the flush and the low (+1 h), and the highest OI on the way from the
// low to the bounce high (the rebuild).
struct Aftermath
{
    qint64 lowAt = 0, highAt = 0;
    double low = 0, high = 0;
    double oiTrough = 0, oiRebuilt = 0;
    double bounce() const { return high / low - 1; }
    double rebuild() const { return oiRebuilt / oiTrough - 1; }
};

inline Aftermath aftermath(const Series &s, const Flush &f)
{
    Aftermath a;
    std::tie(a.lowAt, a.low) = s.extreme(f.ts, f.ts + 3 * 3'600'000LL, true);
    std::tie(a.highAt, a.high) = s.extreme(a.lowAt, a.lowAt + 24 * 3'600'000LL, false);
    a.oiTrough = 1e300;
    for (qint64 t = f.ts; t <= a.lowAt + 3'600'000; t += 60'000)
        a.oiTrough = std::min(a.oiTrough, s.openInterest(t));
    a.oiRebuilt = 0;
    for (qint64 t = a.lowAt; t <= a.highAt; t += 60'000)
        a.oiRebuilt = std::max(a.oiRebuilt, s.openInterest(t));
    return a;
}

// Two-leg treadmills: a flush, a bounce of at least `minBounce` on which OI rebuilds, then
// another flush within `withinHours` whose low is at least `minSecondLeg` under the bounce
// high. Returns the pairs of flush times.
inline std::vector<std::pair<qint64, qint64>> twoLegTreadmills(const Series &s, const std::vector<Flush> &all, double minBounce = 0.01,
                                                                 double minSecondLeg = 0.01, int withinHours = 72)
{
    std::vector<std::pair<qint64, qint64>> out;
    for (size_t i = 0; i < all.size(); ++i) {
        const Aftermath a = aftermath(s, all[i]);
        if (a.bounce() < minBounce || a.rebuild() <= 0)
            continue;
        for (size_t j = i + 1; j < all.size(); ++j) {
            if (all[j].ts > all[i].ts + withinHours * 3'600'000LL)
                break;
            if (all[j].ts <= a.lowAt)
                continue;
            const auto [at, low2] = s.extreme(all[j].ts, all[j].ts + 3 * 3'600'000LL, true);
            (void)at;
            if (low2 <= a.high * (1 - minSecondLeg)) {
                out.push_back({all[i].ts, all[j].ts});
                break;
            }
        }
    }
    return out;
}

// Round-number clustering in the ground truth: the long notional in the bins where a round
// entry's liquidation price falls (entries at multiples of `step`, leverage 10-100x, tier-1
// margin), against the bins three away on either side. About 1 when entries do not cluster.
template<typename Grid>
double roundNumberContrast(const QVector<GroundTruthCell> &cells, const std::function<double(qint64)> &priceAt, const Grid &grid,
                           double step = 1000)
{
    std::map<qint64, std::map<int, double>> snapshots;
    for (const GroundTruthCell &c : cells)
        if (c.side == Liquidation::Side::Long)
            snapshots[c.ts][c.bin] += c.notional;
    double inside = 0, beside = 0;
    for (auto &[ts, g] : snapshots) {
        const double price = priceAt(ts);
        std::set<int> bins;
        for (double x = std::ceil(price * 0.85 / step) * step; x < price * 1.1; x += step)
            for (double lev : {10.0, 20.0, 25.0, 50.0, 100.0}) {
                const double lp = x * (1 - 1 / lev) / (1 - 0.004);
                if (lp < price && lp > price * 0.85)
                    bins.insert(grid.binOf(lp));
            }
        for (int b : bins) {
            inside += g[b - 1] + g[b] + g[b + 1];
            beside += 1.5 * (g[b - 3] + g[b + 3]);
        }
    }
    return beside > 0 ? inside / beside : 0;
}

// The figures of research/real-market.md §5 (what a 30-day treadmill run must look like),
// computed from stored series: 1m closes, OI every minute, the full liquidation tape and the
// settled funding. Daily liquidations are a share of that day's mean OI in USD; the OI drop
// is the worst change over any 12 h window of 5-minute samples, in coins (as measured on
// Binance's 5-minute OI history).
struct Realism
{
    double sdBp = 0, kurtosis = 0, absAcf = 0, acf1 = 0;
    double liqMedianPct = 0, liqP99Pct = 0, liqMaxPct = 0;
    double worstOiDrop12hPct = 0;
    double fundingPositive = 0, fundingAtBaseline = 0;
    double top1pct30m = 0;
};

inline double percentile(std::vector<double> v, double q)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const double pos = q * double(v.size() - 1);
    const size_t i = size_t(std::floor(pos));
    const double f = pos - double(i);
    return i + 1 < v.size() ? v[i] * (1 - f) + v[i + 1] * f : v[i];
}

inline std::vector<double> dailyLiquidationShare(const Series &s)
{
    const qint64 day = 86'400'000;
    const auto liq = liquidationNotional(s.liquidations, s.start, s.end(), day);
    std::vector<double> oiSum(liq.size(), 0.0);
    std::vector<int> n(liq.size(), 0);
    for (const OpenInterestSample &o : s.oi) {
        const qint64 d = (o.ts - s.start) / day;
        if (d >= 0 && d < qint64(liq.size())) {
            oiSum[size_t(d)] += o.openInterestUsd;
            ++n[size_t(d)];
        }
    }
    std::vector<double> out;
    for (size_t d = 0; d < liq.size(); ++d)
        if (n[d] > 0 && oiSum[d] > 0)
            out.push_back(liq[d] / (oiSum[d] / n[d]));
    return out;
}

inline double worstOiChange(const Series &s, qint64 windowMs, qint64 sampleMs = 300'000)
{
    const auto oi = openInterestAt(s.oi, s.start, s.end(), sampleMs);
    const size_t w = size_t(windowMs / sampleMs);
    double worst = 0;
    for (size_t i = 0; i + w < oi.size(); ++i)
        if (oi[i] > 0)
            worst = std::min(worst, oi[i + w] / oi[i] - 1);
    return worst;
}

inline Realism realism(const Series &s, const QVector<FundingSample> &settled)
{
    Realism r;
    const std::vector<double> ret = logReturns(s.bars);
    double m = mean(ret), v = 0;
    for (double x : ret)
        v += (x - m) * (x - m);
    r.sdBp = std::sqrt(v / double(ret.size())) * 1e4;
    r.kurtosis = excessKurtosis(ret);
    const std::vector<double> a = absolute(ret);
    for (size_t lag = 1; lag <= 10; ++lag)
        r.absAcf += autocorrelation(a, lag) / 10;
    r.acf1 = autocorrelation(ret, 1);
    const auto daily = dailyLiquidationShare(s);
    r.liqMedianPct = percentile(daily, 0.5) * 100;
    r.liqP99Pct = percentile(daily, 0.99) * 100;
    r.liqMaxPct = daily.empty() ? 0 : *std::max_element(daily.begin(), daily.end()) * 100;
    r.worstOiDrop12hPct = -worstOiChange(s, 12 * 3'600'000LL) * 100;
    qsizetype positive = 0, baseline = 0;
    for (const FundingSample &f : settled) {
        positive += f.rate > 0 ? 1 : 0;
        baseline += std::abs(f.rate - 0.0001 * f.intervalHours / 8.0) < 1e-12 ? 1 : 0;
    }
    r.fundingPositive = settled.isEmpty() ? 0 : double(positive) / double(settled.size());
    r.fundingAtBaseline = settled.isEmpty() ? 0 : double(baseline) / double(settled.size());
    r.top1pct30m = topShare(liquidationNotional(s.liquidations, s.start, s.end(), 1'800'000), 0.01);
    return r;
}

// One row of the §5 table: the measured figure and its two-sided target.
struct Target
{
    const char *name;
    double value;
    double lo, hi;
    const char *unit;
    bool ok() const { return value >= lo && value <= hi; }
};

// The treadmill targets of research/real-market.md §5 (both bounds; "< 0.05" and "≤ 5 %"
// have their natural lower bound).
inline std::vector<Target> treadmillTargets(const Realism &r)
{
    return {
        {"1m return s.d.", r.sdBp, 4, 12, "bp"},
        {"1m excess kurtosis", r.kurtosis, 5, 60, ""},
        {"mean ACF |r|, lags 1-10", r.absAcf, 0.15, 0.35, ""},
        {"|ACF r, lag 1|", std::abs(r.acf1), 0, 0.05, ""},
        {"daily liquidations / OI, median", r.liqMedianPct, 0.1, 1, "%"},
        {"daily liquidations / OI, p99", r.liqP99Pct, 0, 5, "%"},
        {"worst 12 h OI drop", r.worstOiDrop12hPct, 3, 20, "%"},
        {"funding > 0, share of settlements", r.fundingPositive * 100, 70, 90, "%"},
        {"funding at the 0.01 % baseline", r.fundingAtBaseline * 100, 0, 50, "%"},
        {"top 1 % of 30 min buckets, share of liq.", r.top1pct30m * 100, 20, 40, "%"},
    };
}

// Real figures beside the targets (research/real-market.md §1-§4, BTCUSDT unless noted).
inline const char *realFigure(const char *name)
{
    static const std::map<std::string, const char *> real = {
        {"1m return s.d.", "5.3 (BTC), 10-12 (ETH, alts)"},
        {"1m excess kurtosis", "6.7 (BTC), 10-56 (alts)"},
        {"mean ACF |r|, lags 1-10", "0.20-0.25"},
        {"|ACF r, lag 1|", "0.002-0.017"},
        {"daily liquidations / OI, median", "0.23"},
        {"daily liquidations / OI, p99", "1.6 (max 2.1)"},
        {"worst 12 h OI drop", "5.3 (June 2026); worst day 16"},
        {"funding > 0, share of settlements", "72-84 (up to 100)"},
        {"funding at the 0.01 % baseline", "about 33"},
        {"top 1 % of 30 min buckets, share of liq.", "27 (20-33)"},
    };
    auto it = real.find(name);
    return it == real.end() ? "" : it->second;
}

} // namespace MarketStats
