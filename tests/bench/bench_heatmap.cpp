// Heatmap benchmarks (issue 5): full recompute over a year of 1m bars, incremental step per
// bar, and grid() for a 2000 x 800 view, each with a baseline measured in the same run.
// Build: cmake --build build --target bench_heatmap; run: build/tests/bench_heatmap
#include "analysis/heatmapengine.h"
#include "analysis/heatmapfeed.h"
#include "analysis/heatmaphistory.h"
#include "analysis/heatmapservice.h"
#include "naiveheatmapengine.h"
#include "sources/syntheticsource.h"
#include "storage/marketstore.h"
#include "storage/storewriter.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>

namespace {

constexpr qint64 yearBars = 365 * 1440;
constexpr qint64 start = 1'735'689'600'000; // 2025-01-01T00:00:00Z

QTextStream out(stdout);

double median(QVector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0 : v[v.size() / 2];
}

QVector<HeatmapBar> toBars(const MarketBatch &b)
{
    QVector<HeatmapBar> bars;
    HeatmapFeed::join(b.candles, b.markCandles, b.openInterest, b.funding, b.liquidations, true, 60'000, bars);
    return bars;
}

template<typename Engine>
QVector<double> perBarNanos(Engine &e, const QVector<HeatmapBar> &bars, qsizetype from, qsizetype count)
{
    QVector<double> ns;
    QElapsedTimer t;
    for (qsizetype i = from; i < from + count && i < bars.size(); ++i) {
        t.start();
        e.step(bars[i]);
        ns.push_back(double(t.nsecsElapsed()));
    }
    return ns;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const HeatmapParams params; // all_leverage, 0.1 % bins

    SyntheticSource::Params sp;
    sp.startMs = start;
    sp.minutes = yearBars + 20'000;
    SyntheticSource source(sp);
    QElapsedTimer clock;
    clock.start();
    const MarketBatch batch = source.generate(sp.minutes);
    const QVector<HeatmapBar> all = toBars(batch);
    const QVector<HeatmapBar> year(all.begin(), all.begin() + yearBars);
    out << "data: " << all.size() << " synthetic 1m bars generated in " << clock.elapsed() << " ms\n";
    if (app.arguments().contains(QStringLiteral("--engine-only"))) { // for profilers
        HeatmapEngine e(params);
        clock.restart();
        for (const HeatmapBar &b : year)
            e.step(b);
        out << "engine over the year: " << clock.nsecsElapsed() / 1e9 << " s\n";
        return 0;
    }

    // --- Full recompute: engine, then history (engine + snapshots + checkpoints).
    QVector<double> engineRuns, historyRuns;
    HeatmapEngine lastEngine(params);
    qsizetype historyBytes = 0;
    for (int run = 0; run < 3; ++run) {
        HeatmapEngine e(params);
        clock.restart();
        for (const HeatmapBar &b : year)
            e.step(b);
        engineRuns.push_back(clock.nsecsElapsed() / 1e9);
        lastEngine = e;
        HeatmapHistory h(params, start, 60'000, 3 * 3'600'000, 12 * 86'400'000LL);
        clock.restart();
        for (qsizetype i = 0; i < year.size(); i += 10'080)
            h.extend(QVector<HeatmapBar>(year.begin() + i, year.begin() + std::min<qsizetype>(year.size(), i + 10'080)));
        historyRuns.push_back(clock.nsecsElapsed() / 1e9);
        historyBytes = h.memoryBytes();
    }
    out << "live levels after a year: " << lastEngine.book(Liquidation::Side::Long).cohortCount() << " long, "
        << lastEngine.book(Liquidation::Side::Short).cohortCount() << " short cohorts, " << lastEngine.memoryBytes() / 1024 << " KiB\n";

    // Baseline: the naive engine (one flat list, rescanned every bar) over the first three days,
    // against the engine over the same three days; the naive year is extrapolated from its rate.
    const qsizetype baseBars = 3 * 1440;
    NaiveHeatmapEngine naive(params);
    clock.restart();
    for (qsizetype i = 0; i < baseBars; ++i)
        naive.step(year[i]);
    const double naiveSeconds = clock.nsecsElapsed() / 1e9;
    HeatmapEngine twoWeeks(params);
    clock.restart();
    for (qsizetype i = 0; i < baseBars; ++i)
        twoWeeks.step(year[i]);
    const double engineTwoWeeks = clock.nsecsElapsed() / 1e9;

    const double fullEngine = median(engineRuns), fullHistory = median(historyRuns);
    out << QStringLiteral("full recompute, 1 year of 1m bars (%1), 0.1 % bins: engine %2 s, with snapshots+checkpoints %3 s (median of 3; goal <= 2 s); history memory %4 MiB\n")
               .arg(yearBars)
               .arg(fullEngine, 0, 'f', 3)
               .arg(fullHistory, 0, 'f', 3)
               .arg(historyBytes / 1048576.0, 0, 'f', 1);
    out << QStringLiteral("  baseline naive engine, first 3 days: %1 s vs engine %2 s (ratio %3x); naive year extrapolated >= %4 s (ratio >= %5x)\n")
               .arg(naiveSeconds, 0, 'f', 3)
               .arg(engineTwoWeeks, 0, 'f', 4)
               .arg(naiveSeconds / engineTwoWeeks, 0, 'f', 1)
               .arg(naiveSeconds * 365 / 3, 0, 'f', 1)
               .arg(naiveSeconds * 365 / 3 / fullHistory, 0, 'f', 0);

    // --- Incremental: one bar at a time on the year-old state (the data thread's job).
    HeatmapEngine live = lastEngine;
    const auto inc = perBarNanos(live, all, yearBars, 20'000);
    const auto naiveInc = perBarNanos(naive, all, baseBars, 2'000);
    out << QStringLiteral("incremental step per bar: median %1 us, p99 %2 us (goal <= 50 us); baseline naive (3-day state) median %3 us (ratio %4x)\n")
               .arg(median(inc) / 1000, 0, 'f', 2)
               .arg([&] { auto v = inc; std::sort(v.begin(), v.end()); return v[qsizetype(v.size() * 0.99)] / 1000; }(), 0, 'f', 2)
               .arg(median(naiveInc) / 1000, 0, 'f', 1)
               .arg(median(naiveInc) / median(inc), 0, 'f', 0);
    out.flush();
    return 0;
}
