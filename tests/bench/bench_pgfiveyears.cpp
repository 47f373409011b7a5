// bench_pgfiveyears: the shared store's read budgets over five years of 1m data (issue 18):
// the full zoom-out window (the tier a 2000 px view reads; goal <= 20 ms) and range analysis
// over the whole five years (goal <= 100 ms), on PostgreSQL, with the same rows in an SQLite
// file as the same-run baseline. Both stores are filled by the real writer from one seeded
// synthetic walk. Wall time (the server does the work), medians. Not part of the suite.
// `--days N` fills a shorter history (to iterate quickly; the goals are for the default five
// years). PERPSCOPE_PG_PROFILE=1 adds the PostgreSQL statements' counts and times.

#include "analysis/rangeanalysis.h"
#include "pgcluster.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"

#include "benchutil.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTextStream>

using namespace BenchUtil;

namespace {

constexpr qint64 t0 = 1'609'459'200'000; // 2021-01-01
qint64 bars = 5LL * 365 * 1440 + 1440;
const Instrument instrument{QStringLiteral("SYNTH"), QStringLiteral("BTCUSDT")};

struct Figures
{
    double window = 0, analysis = 0, fillSeconds = 0;
    qsizetype windowBars = 0;
    QString tier;
};

Figures measure(const QString &locator)
{
    Figures f;
    QElapsedTimer fill;
    fill.start();
    fillSynthetic(locator, instrument, t0, bars);
    f.fillSeconds = fill.elapsed() / 1000.0;
    auto reader = MarketStore::openExisting(StoreLocator(locator)).reader();
    const TimeRange all = reader->extent(instrument, DataKind::Candles);
    const Timeframe tf = Timeframes::fitting(all.span(), 2000);
    f.tier = Timeframes::name(tf);
    QVector<double> window, analysis;
    for (int k = 0; k < 41; ++k) {
        QElapsedTimer t;
        t.start();
        f.windowBars = reader->candles(instrument, tf, all).size();
        window << t.nsecsElapsed() / 1e6;
    }
    // Unaligned ends, as a mouse selection has.
    const TimeRange range{all.from + 7 * 60'000 + 13'000, all.to - 11 * 60'000 - 7'000};
    for (int k = 0; k < 21; ++k) {
        QElapsedTimer t;
        t.start();
        RangeAnalysis(*reader).analyze(instrument, range);
        analysis << t.nsecsElapsed() / 1e6;
    }
    f.window = median(window);
    f.analysis = median(analysis);
    return f;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    const QStringList args = app.arguments();
    if (const qsizetype at = args.indexOf(QStringLiteral("--days")); at > 0 && at + 1 < args.size()) {
        bool ok = false;
        const double days = args[at + 1].toDouble(&ok);
        if (!ok || days <= 0) {
            out << "bench_pgfiveyears: --days wants a positive number of days\n";
            return 2;
        }
        bars = qint64(days * 1440);
    }
    QTemporaryDir dir;
    PgCluster cluster;
    QString why;
    if (!cluster.start(&why)) {
        out << "bench_pgfiveyears: cannot start a PostgreSQL cluster: " << why << "\n";
        return 1;
    }
    out << "bench_pgfiveyears: " << QString::number(double(bars) / 1440.0 / 365.0, 'f', 2) << " years of 1m data (" << bars << " bars and their OI, funding, liquidations)\n";
    out.flush();
    const Figures pg = measure(cluster.uri());
    const Figures lite = measure(dir.filePath(QStringLiteral("five.db")));
    cluster.stop();
    out << QStringLiteral("  filled by the writer in      : PostgreSQL %1 s, SQLite %2 s\n").arg(pg.fillSeconds, 0, 'f', 0).arg(lite.fillSeconds, 0, 'f', 0);
    out << QStringLiteral("  full zoom-out window (%1, %2 bars): PostgreSQL median %3 ms (goal <= 20 ms), SQLite %4 ms, ratio %5x\n")
               .arg(pg.tier)
               .arg(pg.windowBars)
               .arg(pg.window, 0, 'f', 2)
               .arg(lite.window, 0, 'f', 2)
               .arg(pg.window / std::max(0.001, lite.window), 0, 'f', 2);
    out << QStringLiteral("  range analysis, whole history: PostgreSQL median %1 ms (goal <= 100 ms), SQLite %2 ms, ratio %3x\n")
               .arg(pg.analysis, 0, 'f', 1)
               .arg(lite.analysis, 0, 'f', 1)
               .arg(pg.analysis / std::max(0.001, lite.analysis), 0, 'f', 2);
    return 0;
}
