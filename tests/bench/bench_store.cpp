// bench_store: ingest through the real writer (tiers on) against a plain sqlite3 batched
// insert of the same rows, and the full zoom-out window query over five years of 1m bars.
// Prints figures and ratios measured in the same run; not part of the test suite.

#include "sources/syntheticsource.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "storage/storewriter.h"

#include "benchutil.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <ctime>
#include <sqlite3.h>

using namespace BenchUtil;

namespace {

constexpr qint64 t0 = 1'609'459'200'000; // 2021-01-01
constexpr int batchRows = 10000;


QVector<QVector<Candle>> makeBatches(qint64 bars)
{
    SyntheticSource::Params p;
    p.startMs = t0;
    p.minutes = bars;
    SyntheticSource source(p);
    QVector<QVector<Candle>> out;
    for (qint64 done = 0; done < bars; done += batchRows)
        out.push_back(source.generate(batchRows).candles);
    return out;
}

[[gnu::noinline]] double rawInsert(const QString &path, const QVector<QVector<Candle>> &batches)
{
    sqlite3 *db = nullptr;
    sqlite3_open(path.toUtf8().constData(), &db);
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                     "CREATE TABLE candles(instrument INTEGER NOT NULL, tf INTEGER NOT NULL, ts INTEGER NOT NULL,"
                     "open REAL NOT NULL, high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL,"
                     "volume REAL NOT NULL, quote_volume REAL NOT NULL, taker_buy REAL NOT NULL,"
                     "PRIMARY KEY(instrument, tf, ts)) WITHOUT ROWID;",
                 nullptr, nullptr, nullptr);
    sqlite3_stmt *st = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO candles VALUES(?,?,?,?,?,?,?,?,?,?)", -1, &st, nullptr);
    const double c0 = cpuSeconds();
    for (const auto &batch : batches) {
        sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
        for (const Candle &c : batch) {
            sqlite3_bind_int64(st, 1, 1);
            sqlite3_bind_int64(st, 2, 1);
            sqlite3_bind_int64(st, 3, c.ts);
            sqlite3_bind_double(st, 4, c.open);
            sqlite3_bind_double(st, 5, c.high);
            sqlite3_bind_double(st, 6, c.low);
            sqlite3_bind_double(st, 7, c.close);
            sqlite3_bind_double(st, 8, c.volume);
            sqlite3_bind_double(st, 9, c.quoteVolume);
            sqlite3_bind_double(st, 10, c.takerBuyVolume);
            sqlite3_step(st);
            sqlite3_reset(st);
        }
        sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    }
    const double s = cpuSeconds() - c0;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return s;
}

[[gnu::noinline]] double writerInsert(const QString &path, const QVector<QVector<Candle>> &batches, qsizetype first, qsizetype count)
{
    auto w = MarketStore::open(path).writer();
    MarketBatch b;
    b.instrument = {QStringLiteral("BENCH"), QStringLiteral("BTCUSDT")};
    const double c0 = cpuSeconds();
    for (qsizetype i = first; i < first + count && i < batches.size(); ++i) {
        b.candles = batches[i];
        w->commit(b);
    }
    return cpuSeconds() - c0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    QTemporaryDir dir;
    // BENCH_ROWS shrinks the run (e.g. under valgrind --tool=callgrind, which counts
    // instructions and so is immune to the neighbours on a shared machine).
    const qint64 ingestBars = qEnvironmentVariableIntValue("BENCH_ROWS") > 0 ? qEnvironmentVariableIntValue("BENCH_ROWS") : 2'000'000;
    const qint64 fiveYears = std::max<qint64>(ingestBars, 5LL * 365 * 1440 + 1440); // 2,629,440 bars
    const int runs = qEnvironmentVariableIntValue("BENCH_ROWS") > 0 ? 1 : 5;
    out << "generating " << fiveYears << " 1m bars...\n";
    out.flush();
    const auto batches = makeBatches(qEnvironmentVariableIntValue("BENCH_ROWS") > 0 ? ingestBars : fiveYears);
    const qsizetype ingestBatches = ingestBars / batchRows;
    const QVector<QVector<Candle>> ingest = batches.mid(0, ingestBatches);

    QVector<double> raw, ours;
    for (int run = 0; run < runs; ++run) {
        raw << rawInsert(dir.filePath(QStringLiteral("raw%1.db").arg(run)), ingest);
        ours << writerInsert(dir.filePath(QStringLiteral("ours%1.db").arg(run)), batches, 0, ingestBatches);
    }
    const double rawRate = ingestBars / median(raw), ourRate = ingestBars / median(ours);
    out << QStringLiteral("ingest %1 1m candles, 10k rows per transaction (median of 5, thread CPU time)\n").arg(ingestBars);
    out << QStringLiteral("  plain sqlite3 batched insert : %1 rows/s\n").arg(rawRate, 0, 'f', 0);
    out << QStringLiteral("  StoreWriter with 5 tiers     : %1 rows/s\n").arg(ourRate, 0, 'f', 0);
    out << QStringLiteral("  ratio writer/raw             : %1 (goal >= 0.8)\n").arg(ourRate / rawRate, 0, 'f', 2);
    out.flush();
    if (qEnvironmentVariableIntValue("BENCH_ROWS") > 0)
        return 0;

    // Complete five years in the last writer database, then query it fully zoomed out.
    const QString db = dir.filePath(QStringLiteral("ours2.db"));
    writerInsert(db, batches, ingestBatches, batches.size() - ingestBatches);
    auto reader = MarketStore::openExisting(db).reader();
    const Instrument i{QStringLiteral("BENCH"), QStringLiteral("BTCUSDT")};
    const TimeRange all = reader->extent(i, DataKind::Candles);
    const Timeframe tf = Timeframes::fitting(all.span(), 2000);
    QVector<double> query, queryOneMinute;
    qsizetype rows = 0;
    for (int k = 0; k < 41; ++k) {
        QElapsedTimer t;
        t.start();
        rows = reader->candles(i, tf, all).size();
        query << t.nsecsElapsed() / 1e6;
    }
    // Baseline in the same run: the same window read from the 1m rows (what a store without
    // tiers would have to do before any downsampling).
    for (int k = 0; k < 3; ++k) {
        QElapsedTimer t;
        t.start();
        reader->candles(i, Timeframe::M1, all);
        queryOneMinute << t.nsecsElapsed() / 1e6;
    }
    out << QStringLiteral("full zoom-out window over %1 1m bars (%2 days) at 2000 px -> %3 tier, %4 bars\n")
               .arg(reader->count(i, DataKind::Candles))
               .arg(all.span() / 86'400'000)
               .arg(Timeframes::name(tf))
               .arg(rows);
    out << QStringLiteral("  tier query median            : %1 ms (goal <= 5 ms)\n").arg(median(query), 0, 'f', 2);
    out << QStringLiteral("  same window from 1m rows     : %1 ms (x%2 slower)\n")
               .arg(median(queryOneMinute), 0, 'f', 1)
               .arg(median(queryOneMinute) / median(query), 0, 'f', 0);
    return 0;
}
