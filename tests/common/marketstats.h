#pragma once

#include "domain/candle.h"
#include "domain/fundingsample.h"
#include "domain/liquidation.h"
#include "domain/openinterestsample.h"

#include <QVector>

#include <algorithm>
#include <cmath>
#include <map>
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

} // namespace MarketStats
