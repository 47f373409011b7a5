#include "verdictthresholds.h"

#include "domain/coverage.h"
#include "domain/displayformat.h"
#include "domain/timeframe.h"
#include "storage/storereader.h"

#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace {

constexpr qint64 hourMs = 3'600'000;

// Fixed fallbacks, from real Binance BTCUSDT (real-market.md): the median absolute 1 h move
// is 0.24 % and the 95th percentile 0.90 %; OI changes of 1 h / 4 h / 12 h have 5th
// percentiles of -0.75 % / -1.57 % / -3.07 % and 95th of +0.73 % / +1.29 % / +2.09 %; 0.5 %
// of OI liquidated inside a few hours is heavy (the median day liquidates 0.23 %); funding is
// elevated above the 0.01 % baseline Binance sits at on a third of days (2025-26 BTC rarely
// leaves it upward, so without history only a rate above it counts).
constexpr double fixedMovePerSqrtHour = 0.004;     // 0.4 % x sqrt(hours): 1 h 0.4 %, 12 h 1.4 %
constexpr double fixedOiPerHourPower = 0.0075;     // 0.75 % x hours^0.55: 1 h 0.75 %, 4 h 1.6 %, 12 h 3.1 %
constexpr double fixedOiPower = 0.55;
constexpr double fixedLiqAt4h = 0.005;             // 0.5 % of OI x (hours / 4)^0.3
constexpr double fixedLiqPower = 0.3;
constexpr double fixedFundingHigh = 0.000101;      // per 8 h: above the 0.01 % baseline
constexpr double fixedFundingLow = -0.00005;

// Floors under the levels taken from history, so a dead-calm month does not make every
// wiggle "meaningful".
constexpr double minMove = 0.0015;
constexpr double minOi = 0.003;
constexpr double minLiq = 0.0001;
// Funding is elevated only at least 0.005 % per 8 h from zero either way (real BTC: p5
// -0.0047 %, p95 +0.0058 % in June 2026): -0.003 % is neutral even after a month of positive rates.
constexpr double minFundingHigh = 0.00005;
constexpr double maxFundingLow = -0.00005;

double hours(qint64 ms)
{
    return std::max(1.0 / 60.0, double(ms) / double(hourMs));
}

double percentile(QVector<double> v, double p)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    const double at = p * double(v.size() - 1);
    const qsizetype i = qsizetype(std::floor(at));
    const double f = at - double(i);
    return i + 1 < v.size() ? v[i] * (1 - f) + v[i + 1] * f : v[i];
}

// Bucket values of one series over the history, indexed by bucket; NaN where nothing is
// known (no row, or the bucket is not covered).
struct Grid
{
    qint64 from = 0;
    qint64 step = 0;
    int size = 0;
    int index(qint64 t) const { return int((t - from) / step); }
};

QVector<bool> coveredBuckets(const Grid &g, const CoverageSummary &s)
{
    QVector<bool> out(g.size, false);
    for (const TimeRange &r : s.covered) {
        // A bucket counts when the coverage holds all of it.
        const int a = std::max(0, int((r.from - g.from + g.step - 1) / g.step));
        const int b = std::min(g.size, int((r.to - g.from) / g.step));
        for (int i = a; i < b; ++i)
            out[i] = true;
    }
    return out;
}

VerdictThresholds::Level fromHistory(const QVector<double> &values, double p, double floorAbs, bool negative, const VerdictThresholds::Level &fallback)
{
    if (values.size() < VerdictThresholds::minWindows)
        return fallback;
    double v = percentile(values, p);
    v = negative ? std::min(v, -floorAbs) : std::max(v, floorAbs);
    return {v, true, int(values.size())};
}

} // namespace

bool VerdictThresholds::allFromHistory() const
{
    return move.fromHistory && oiCleared.fromHistory && oiBuilt.fromHistory && liqHeavy.fromHistory && fundingHigh.fromHistory;
}

VerdictThresholds VerdictThresholds::fixed(qint64 windowMs)
{
    VerdictThresholds t;
    t.windowMs = windowMs;
    const double h = hours(windowMs);
    t.move = {std::clamp(fixedMovePerSqrtHour * std::sqrt(h), 0.003, 0.05), false, 0};
    const double oi = std::clamp(fixedOiPerHourPower * std::pow(h, fixedOiPower), 0.005, 0.12);
    t.oiCleared = {-oi, false, 0};
    t.oiBuilt = {oi * 0.7, false, 0}; // OI builds slower than it clears (p95 +2.1 % vs p5 -3.1 % in 12 h)
    t.liqHeavy = {std::clamp(fixedLiqAt4h * std::pow(h / 4.0, fixedLiqPower), 0.0015, 0.02), false, 0};
    t.fundingHigh = {fixedFundingHigh, false, 0};
    t.fundingLow = {fixedFundingLow, false, 0};
    t.fundingMedian = 0.00005;
    return t;
}

VerdictThresholds VerdictThresholds::trailing(StoreReader &reader, const Instrument &instrument, TimeRange range)
{
    VerdictThresholds t = fixed(range.span());
    const qint64 length = range.span();
    t.history = {range.from - trailingMs, range.from};
    if (length > longestWindowMs)
        return t;
    // The tier: windows hold at least a few buckets, the month at most a few thousand.
    const Timeframe tf = length >= 12 * hourMs ? Timeframe::H1 : length >= 2 * hourMs ? Timeframe::M15 : Timeframe::M5;
    Grid g;
    g.step = Timeframes::ms(tf);
    g.from = Timeframes::floor(tf, t.history.from);
    g.size = int((Timeframes::floor(tf, t.history.to) - g.from) / g.step);
    const int n = int(std::max<qint64>(1, length / g.step)); // buckets per window
    if (g.size < n + 2)
        return t;
    const TimeRange read{g.from, g.from + qint64(g.size) * g.step};
    const int stride = std::max(1, n / 4);

    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    QVector<double> close(g.size, nan), oi(g.size, nan), oiUsd(g.size, nan), liq(g.size, 0);
    for (const Candle &c : reader.candles(instrument, tf, read))
        if (const int i = g.index(c.ts); i >= 0 && i < g.size)
            close[i] = c.close;
    for (const LineBar &b : reader.lineBars(instrument, LineSeries::OpenInterest, tf, read))
        if (const int i = g.index(b.ts); i >= 0 && i < g.size)
            oi[i] = b.close;
    for (const LineBar &b : reader.lineBars(instrument, LineSeries::OpenInterestUsd, tf, read))
        if (const int i = g.index(b.ts); i >= 0 && i < g.size)
            oiUsd[i] = b.close;
    for (const LiquidationBar &b : reader.liquidationBars(instrument, tf, read))
        if (const int i = g.index(b.ts); i >= 0 && i < g.size)
            liq[i] = b.totalUsd();
    const QVector<bool> priceOk = coveredBuckets(g, reader.coverageSummary(instrument, DataKind::Candles, read));
    const QVector<bool> oiOk = coveredBuckets(g, reader.coverageSummary(instrument, DataKind::OpenInterest, read));
    const QVector<bool> liqOk = coveredBuckets(g, reader.coverageSummary(instrument, DataKind::Liquidations, read));

    QVector<double> moves, oiChanges, liqShares;
    for (int a = 1; a + n <= g.size; a += stride) {
        const int last = a + n - 1, before = a - 1;
        bool p = true, o = true, l = true;
        for (int i = before; i <= last; ++i) {
            p = p && priceOk[i];
            o = o && oiOk[i];
            l = l && liqOk[i];
        }
        if (p && !std::isnan(close[before]) && !std::isnan(close[last]) && close[before] > 0)
            moves << std::abs(close[last] / close[before] - 1);
        if (o && !std::isnan(oi[before]) && !std::isnan(oi[last]) && oi[before] > 0)
            oiChanges << oi[last] / oi[before] - 1;
        if (l && o && !std::isnan(oiUsd[before]) && oiUsd[before] > 0) {
            double sum = 0;
            for (int i = a; i <= last; ++i)
                sum += liq[i];
            liqShares << sum / oiUsd[before];
        }
    }
    t.move = fromHistory(moves, movePercentile, minMove, false, t.move);
    t.oiCleared = fromHistory(oiChanges, oiClearedPercentile, minOi, true, t.oiCleared);
    t.oiBuilt = fromHistory(oiChanges, oiBuiltPercentile, minOi, false, t.oiBuilt);
    t.liqHeavy = fromHistory(liqShares, liqHeavyPercentile, minLiq, false, t.liqHeavy);

    // Funding: the distribution of the rate in force (the running estimate where the source
    // has one, else the settlements).
    // Only where covered: hourly values of the estimate, or the settlements.
    QVector<double> rates;
    const CoverageSummary predicted = reader.coverageSummary(instrument, DataKind::PredictedFunding, read);
    for (const LineBar &b : reader.lineBars(instrument, LineSeries::PredictedFunding, Timeframe::H1, read))
        if (predicted.covers(b.ts))
            rates << b.close;
    if (rates.size() < minWindows) {
        rates.clear();
        const CoverageSummary settled = reader.coverageSummary(instrument, DataKind::Funding, read);
        for (const FundingSample &f : reader.funding(instrument, read))
            if (settled.covers(f.ts))
                rates << f.rate * 8.0 / std::max(1, f.intervalHours);
    }
    if (rates.size() >= minWindows) {
        t.fundingHigh = {std::max(percentile(rates, fundingHighPercentile), minFundingHigh), true, int(rates.size())};
        t.fundingLow = {std::min(percentile(rates, fundingLowPercentile), maxFundingLow), true, int(rates.size())};
        t.fundingMedian = percentile(rates, 0.5);
    }
    return t;
}

QJsonObject VerdictThresholds::toJson() const
{
    const auto level = [](const Level &l) {
        return QJsonObject{{QStringLiteral("value"), l.value},
                           {QStringLiteral("source"), l.fromHistory ? QStringLiteral("trailing_30d") : QStringLiteral("fixed")},
                           {QStringLiteral("windows"), l.windows}};
    };
    QJsonObject o;
    o[QStringLiteral("window_ms")] = double(windowMs);
    o[QStringLiteral("move")] = level(move);
    o[QStringLiteral("oi_cleared")] = level(oiCleared);
    o[QStringLiteral("oi_built")] = level(oiBuilt);
    o[QStringLiteral("liq_heavy")] = level(liqHeavy);
    o[QStringLiteral("funding_high")] = level(fundingHigh);
    o[QStringLiteral("funding_low")] = level(fundingLow);
    return o;
}

QString VerdictThresholds::explanation()
{
    using namespace DisplayFormat;
    return QStringLiteral(
               "What the words mean. Whether a move, an open-interest change or a liquidation total is large depends on the market: "
               "open interest in BTC moves by less than 3 %% in 12 hours on nine days out of ten, an altcoin or the simulator's crash "
               "preset moves far more. So the verdict compares each figure with the same figure over every window of the same length "
               "in the 30 days before the range, of the same instrument:\n"
               "- a directional move: the price changed more than in %1 of those windows;\n"
               "- open interest cleared meaningfully: it fell (peak to trough inside the range, in coins) more than in %2 of them; "
               "it was built when it rose more than in %3 of them;\n"
               "- heavy liquidations: liquidations as a share of open interest above %4 of those windows (only where liquidations "
               "are covered; a sampled feed is compared with its own sampled history);\n"
               "- elevated funding: the rate in force above %5 of the rates of those 30 days and above zero (longs pay up), or below "
               "%6 of them and below zero (shorts pay up). Funding at -0.003 %% is not elevated.\n\n"
               "Fixed levels stand in when the history is shorter than that or the range is longer than %7 (fewer than %8 windows): "
               "a move of 0.4 %% x the square root of the hours (1.4 %% in 12 h), open interest of 0.75 %% x hours^0.55 (3.1 %% in "
               "12 h; 70 %% of that for building), liquidations of 0.5 %% of open interest in 4 h (x (hours/4)^0.3), funding above "
               "the 0.01 %% baseline or below -0.005 %% per 8 h (with history, at least 0.005 %% from zero either way): levels real Binance BTCUSDT reaches on a few days in twenty.")
        .arg(percentShort(movePercentile), percentShort(1 - oiClearedPercentile), percentShort(oiBuiltPercentile),
             percentShort(liqHeavyPercentile), percentShort(fundingHighPercentile), percentShort(fundingLowPercentile),
             duration(longestWindowMs))
        .arg(minWindows)
        .replace(QStringLiteral("%%"), QStringLiteral("%"));
}
