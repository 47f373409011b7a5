// bench_pgstore: ingest into a PostgreSQL store through the real writer (upserts, the five
// candle tiers, coverage) against a raw libpq COPY of the same 1m rows into a table of the same
// shape and key, in the same run on the same throwaway cluster, batch for batch in one
// transaction each (issue 18's goal: the writer at >= 0.5x the COPY's rows per second). The
// writer into an SQLite file is printed alongside. Wall time (the server does the work, so
// this thread's CPU time says little), median of three alternating runs. Not part of the
// test suite.

#include "pgcluster.h"
#include "sources/syntheticsource.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "storage/storewriter.h"

#include "benchutil.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTextStream>

#include <charconv>
#include <libpq-fe.h>

using namespace BenchUtil;

namespace {

constexpr qint64 t0 = 1'609'459'200'000; // 2021-01-01
constexpr int batchRows = 10'000;
constexpr qint64 totalBars = 200'000; // ~139 days of 1m bars

QVector<MarketBatch> makeBatches()
{
    SyntheticSource::Params p;
    p.startMs = t0;
    p.minutes = totalBars;
    SyntheticSource source(p);
    QVector<MarketBatch> out;
    for (qint64 done = 0; done < totalBars; done += batchRows) {
        MarketBatch b;
        b.instrument = {QStringLiteral("BENCH"), QStringLiteral("BTCUSDT")};
        b.candles = source.generate(batchRows).candles;
        out.push_back(b);
    }
    return out;
}

double writerSeconds(const QString &store, const QVector<MarketBatch> &batches)
{
    auto w = MarketStore::open(store).writer();
    QElapsedTimer t;
    t.start();
    for (const MarketBatch &b : batches)
        w->commit(b);
    return t.nsecsElapsed() / 1e9;
}

bool ok(PGconn *c, PGresult *r, ExecStatusType want)
{
    const bool good = PQresultStatus(r) == want;
    if (!good)
        qFatal("COPY baseline: %s", PQerrorMessage(c));
    PQclear(r);
    return good;
}

void append(QByteArray &line, double v)
{
    char buf[32];
    line.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr - buf);
}

// The baseline: the same rows, COPY'd as text into a plain table with the candles' key.
double copySeconds(const QString &uri, const QVector<MarketBatch> &batches)
{
    PGconn *c = PQconnectdb(uri.toUtf8().constData());
    if (PQstatus(c) != CONNECTION_OK)
        qFatal("COPY baseline: %s", PQerrorMessage(c));
    ok(c,
       PQexec(c, "CREATE TABLE raw_candles(instrument bigint NOT NULL, tf bigint NOT NULL, ts bigint NOT NULL, open double precision "
                 "NOT NULL, high double precision NOT NULL, low double precision NOT NULL, close double precision NOT NULL, volume "
                 "double precision NOT NULL, quote_volume double precision NOT NULL, taker_buy double precision NOT NULL, "
                 "PRIMARY KEY(instrument, tf, ts))"),
       PGRES_COMMAND_OK);
    QElapsedTimer t;
    t.start();
    QByteArray data;
    for (const MarketBatch &b : batches) {
        ok(c, PQexec(c, "BEGIN"), PGRES_COMMAND_OK);
        ok(c, PQexec(c, "COPY raw_candles FROM STDIN"), PGRES_COPY_IN);
        data.clear();
        for (const Candle &k : b.candles) {
            data += "1\t1\t" + QByteArray::number(k.ts);
            for (double v : {k.open, k.high, k.low, k.close, k.volume, k.quoteVolume, k.takerBuyVolume}) {
                data += '\t';
                append(data, v);
            }
            data += '\n';
        }
        if (PQputCopyData(c, data.constData(), int(data.size())) != 1 || PQputCopyEnd(c, nullptr) != 1)
            qFatal("COPY baseline: %s", PQerrorMessage(c));
        ok(c, PQgetResult(c), PGRES_COMMAND_OK);
        ok(c, PQexec(c, "COMMIT"), PGRES_COMMAND_OK);
    }
    const double s = t.nsecsElapsed() / 1e9;
    PQfinish(c);
    return s;
}

// Every kind the synthetic source makes (candles, mark, OI, funding, liquidations), as a
// backfill writes them: what a real ingest costs beyond the candles.
QVector<MarketBatch> makeFullBatches(qint64 bars)
{
    SyntheticSource::Params p;
    p.startMs = t0;
    p.minutes = bars;
    SyntheticSource source(p);
    QVector<MarketBatch> out;
    for (qint64 done = 0; done < bars; done += batchRows)
        out.push_back(source.generate(batchRows));
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    PgCluster cluster;
    QString why;
    if (!cluster.start(&why)) {
        out << why << '\n';
        return 1;
    }
    QTemporaryDir dir;
    const QVector<MarketBatch> batches = makeBatches();
    QVector<double> writer, copy, sqlite;
    for (int run = 0; run < 3; ++run) {
        const QString a = QStringLiteral("w%1").arg(run), b = QStringLiteral("c%1").arg(run);
        if (!cluster.createDatabase(a, &why) || !cluster.createDatabase(b, &why)) {
            out << why << '\n';
            return 1;
        }
        writer << writerSeconds(cluster.uri(a), batches);
        copy << copySeconds(cluster.uri(b), batches);
        sqlite << writerSeconds(dir.filePath(QStringLiteral("s%1.db").arg(run)), batches);
        out << "run " << run + 1 << ": writer " << writer.last() << " s, COPY " << copy.last() << " s, SQLite writer " << sqlite.last()
            << " s\n";
        out.flush();
    }
    // Sanity: what the writer stored is all of it, tiers included.
    auto r = MarketStore::openReadOnly(cluster.uri(QStringLiteral("w0"))).reader();
    const Instrument i{QStringLiteral("BENCH"), QStringLiteral("BTCUSDT")};
    out << "stored: " << r->count(i, DataKind::Candles) << " 1m bars, "
        << r->candles(i, Timeframe::D1, {t0, t0 + totalBars * 60'000}).size() << " daily bars\n";
    // Full batches: PostgreSQL against SQLite, rows per second of every kind.
    const QVector<MarketBatch> full = makeFullBatches(50'000);
    qint64 fullRows = 0;
    for (const MarketBatch &b : full)
        fullRows += b.rowCount();
    QVector<double> fullPg, fullLite;
    for (int run = 0; run < 3; ++run) {
        const QString a = QStringLiteral("f%1").arg(run);
        if (!cluster.createDatabase(a, &why)) {
            out << why << '\n';
            return 1;
        }
        fullPg << writerSeconds(cluster.uri(a), full);
        fullLite << writerSeconds(dir.filePath(QStringLiteral("f%1.db").arg(run)), full);
    }
    const double rows = double(totalBars);
    out << QStringLiteral("%1 1m bars in batches of %2, median of 3 runs (wall time):\n").arg(totalBars).arg(batchRows);
    out << QStringLiteral("  PostgreSQL writer (upsert + 5 tiers + coverage): %1 rows/s\n").arg(rows / median(writer), 0, 'f', 0);
    out << QStringLiteral("  raw libpq COPY of the same rows:                 %1 rows/s\n").arg(rows / median(copy), 0, 'f', 0);
    out << QStringLiteral("  SQLite writer (same rows, same run):             %1 rows/s\n").arg(rows / median(sqlite), 0, 'f', 0);
    out << QStringLiteral("  ratio writer / COPY: %1x (goal >= 0.5x)\n").arg(median(copy) / median(writer), 0, 'f', 2);
    out << QStringLiteral("full synthetic batches (%1 rows of every kind, 50000 minutes), median of 3 runs:\n").arg(fullRows);
    out << QStringLiteral("  PostgreSQL writer: %1 rows/s; SQLite writer: %2 rows/s (ratio %3x)\n")
               .arg(fullRows / median(fullPg), 0, 'f', 0)
               .arg(fullRows / median(fullLite), 0, 'f', 0)
               .arg(median(fullLite) / median(fullPg), 0, 'f', 2);
    return 0;
}
