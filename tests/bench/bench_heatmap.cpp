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
#include "storage/storereader.h"
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
    if (app.arguments().contains(QStringLiteral("--history-only"))) {
        HeatmapHistory h(params, start, 60'000, 3 * 3'600'000, 12 * 86'400'000LL);
        h.setDataEnd(start + yearBars * 60'000);
        clock.restart();
        for (qsizetype i = 0; i < year.size(); i += 10'080)
            h.extend(QVector<HeatmapBar>(year.begin() + i, year.begin() + std::min<qsizetype>(year.size(), i + 10'080)));
        out << "history over the year: " << clock.nsecsElapsed() / 1e9 << " s\n";
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
        h.setDataEnd(start + yearBars * 60'000);
        clock.restart();
        for (qsizetype i = 0; i < year.size(); i += 10'080)
            h.extend(QVector<HeatmapBar>(year.begin() + i, year.begin() + std::min<qsizetype>(year.size(), i + 10'080)));
        historyRuns.push_back(clock.nsecsElapsed() / 1e9);
        historyBytes = h.memoryBytes();
    }
    // Same-run baseline for the turnover's cost: the engine with holdSigmas 0 (no hourly pass).
    HeatmapParams still = params;
    still.holdSigmas = 0;
    QVector<double> stillRuns;
    qsizetype stillCohorts = 0;
    for (int run = 0; run < 3; ++run) {
        HeatmapEngine e(still);
        clock.restart();
        for (const HeatmapBar &b : year)
            e.step(b);
        stillRuns.push_back(clock.nsecsElapsed() / 1e9);
        stillCohorts = e.book(Liquidation::Side::Long).cohortCount() + e.book(Liquidation::Side::Short).cohortCount();
    }
    out << QStringLiteral("engine over the year without turnover (holdSigmas 0): %1 s, %2 live cohorts; with turnover %3 s (ratio %4x)\n")
               .arg(median(stillRuns), 0, 'f', 3)
               .arg(stillCohorts)
               .arg(median(engineRuns), 0, 'f', 3)
               .arg(median(engineRuns) / median(stillRuns), 0, 'f', 2);
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
    out << QStringLiteral("full recompute, 1 year of 1m bars (%1), 0.1 % bins: engine %2 s, with snapshots+checkpoints %3 s (median of 3; goal <= 2 s); history memory %4 MiB per year of history\n")
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

    // --- grid() for a 2000 x 800 view, through the service on a real store.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("year.db"));
    clock.restart();
    {
        auto writer = MarketStore::open(path).writer();
        MarketBatch week;
        week.instrument = batch.instrument;
        const auto flush = [&] {
            writer->commit(week);
            week = MarketBatch();
            week.instrument = batch.instrument;
        };
        qsizetype li = 0, fi = 0;
        for (qsizetype i = 0; i < yearBars; ++i) {
            week.candles.push_back(batch.candles[i]);
            week.markCandles.push_back(batch.markCandles[i]);
            week.openInterest.push_back(batch.openInterest[i]);
            const qint64 end = batch.candles[i].ts + 60'000;
            for (; li < batch.liquidations.size() && batch.liquidations[li].ts < end; ++li)
                week.liquidations.push_back(batch.liquidations[li]);
            for (; fi < batch.funding.size() && batch.funding[fi].ts < end; ++fi)
                week.funding.push_back(batch.funding[fi]);
            if (week.candles.size() == 10'080)
                flush();
        }
        flush();
    }
    out << "store: a year written in " << clock.elapsed() / 1000.0 << " s\n";

    {
        const auto readerOwner = MarketStore::attach(path).reader();
        StoreReader &reader = *readerOwner;
        HeatmapFeed feed(reader, batch.instrument);
        clock.restart();
        qsizetype n = 0;
        for (qint64 from = start; from < start + yearBars * 60'000; from += 7 * 86'400'000LL)
            n += feed.bars({from, from + 7 * 86'400'000LL}).size();
        out << QStringLiteral("store reads alone (%1 bars joined from candles, mark, OI, funding, liquidations): %2 s\n")
                   .arg(n)
                   .arg(clock.nsecsElapsed() / 1e9, 0, 'f', 2);
    }
    HeatmapService service(path);
    clock.restart();
    service.update(batch.instrument, params);
    out << QStringLiteral("full recompute from the store (SQLite reads + model + snapshots): %1 s; service memory %2 MiB per year of "
                          "history (budget %3 MiB: %4 years of histories)\n")
               .arg(clock.nsecsElapsed() / 1e9, 0, 'f', 2)
               .arg(service.memoryBytes() / 1048576.0, 0, 'f', 1)
               .arg(service.memoryBudget() / 1048576.0, 0, 'f', 0)
               .arg(double(service.memoryBudget()) / double(std::max<qsizetype>(1, service.memoryBytes())), 0, 'f', 1);

    const auto timeGrid = [&](TimeRange range, const char *what) {
        QVector<double> runs;
        double low = 1e18, high = 0;
        for (qsizetype i = (range.from - start) / 60'000; i < (range.to - start) / 60'000 && i < yearBars; ++i) {
            low = std::min(low, batch.candles[i].low);
            high = std::max(high, batch.candles[i].high);
        }
        for (int run = 0; run < 5; ++run) {
            clock.restart();
            const auto g = service.grid(batch.instrument, range, 2000, low * 0.9, high * 1.1, 800, params);
            runs.push_back(clock.nsecsElapsed() / 1e6);
        }
        // Baseline: no history — step a fresh engine from the first bar, sampling each column.
        clock.restart();
        HeatmapEngine e(params);
        HeatmapGrid g;
        qsizetype c = 0;
        for (const HeatmapBar &b : year) {
            if (b.ts >= range.to)
                break;
            while (c < 2000 && range.from + range.span() / 2000 * c < b.end()) {
                double sum = 0; // the same per-column work: read every bin in the window
                e.book(Liquidation::Side::Long).forEachBin(-1'000'000, 1'000'000, [&sum](int, double v) { sum += v; });
                ++c;
            }
            e.step(b);
        }
        const double baseline = clock.nsecsElapsed() / 1e6;
        out << QStringLiteral("grid() 2000 x 800, %1: median %2 ms; baseline recompute from the start %3 ms (ratio %4x)\n")
                   .arg(QLatin1String(what))
                   .arg(median(runs), 0, 'f', 1)
                   .arg(baseline, 0, 'f', 1)
                   .arg(baseline / median(runs), 0, 'f', 0);
    };
    const qint64 end = start + yearBars * 60'000;
    timeGrid({start, end}, "the whole year");
    timeGrid({end - 7 * 86'400'000LL, end}, "the last week");
    timeGrid({end - 86'400'000LL, end}, "the last day");
    timeGrid({end - 3 * 3'600'000LL, end}, "the last 3 hours");
    out.flush();
    return 0;
}
