// Import speed: a month of 1m klines (the real LINKUSDT 2023-02 dump, 40,320 rows) and a
// day of aggTrades (generated: no real file is available; 1,000,000 trades, a busy BTCUSDT
// day) through FileImport + StoreWriter, next to a raw sqlite3 batched insert of the same
// rows in the same run. Goals: >= 300k kline rows/s and >= 0.7x the raw insert.
// Then the live path: a kline message sent by a loopback Binance stream until its row is
// committed (DataThread::appended), median with the default 250 ms batching, next to the
// same with batching off (1 ms) in the same run. Goal: median <= 250 ms.
#include "fakebinance.h"
#include "sources/datathread.h"
#include "sources/import/fileimport.h"
#include "sources/sourcefactory.h"
#include "storage/candleaggregator.h"
#include "storage/marketstore.h"
#include "storage/storewriter.h"
#include "testzip.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <random>
#include <sqlite3.h>

namespace {

constexpr int runs = 5;

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

struct Row
{
    qint64 ts;
    double v[7];
};

// The baseline: what a hand-written loader does at best. Same pragmas as the store
// (WAL, synchronous=NORMAL), same table shape, one prepared INSERT, one transaction.
double rawInsertSeconds(const QString &path, const std::vector<Row> &rows, const char *table, const std::vector<Row> &tiers = {},
                        const std::vector<int> &tierTf = {})
{
    sqlite3 *db = nullptr;
    sqlite3_open(path.toUtf8().constData(), &db);
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", nullptr, nullptr, nullptr);
    const QByteArray create = QByteArray("CREATE TABLE ") + table
        + "(instrument INTEGER NOT NULL, tf INTEGER NOT NULL, ts INTEGER NOT NULL, a REAL, b REAL, c REAL, d REAL, e REAL, f REAL, "
          "g REAL, PRIMARY KEY(instrument, tf, ts)) WITHOUT ROWID";
    sqlite3_exec(db, create.constData(), nullptr, nullptr, nullptr);
    QElapsedTimer t;
    t.start();
    sqlite3_stmt *st = nullptr;
    const QByteArray insert = QByteArray("INSERT INTO ") + table + " VALUES(?,?,?,?,?,?,?,?,?,?)";
    sqlite3_prepare_v2(db, insert.constData(), -1, &st, nullptr);
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    for (const Row &r : rows) {
        sqlite3_bind_int64(st, 1, 1);
        sqlite3_bind_int64(st, 2, 1);
        sqlite3_bind_int64(st, 3, r.ts);
        for (int i = 0; i < 7; ++i)
            sqlite3_bind_double(st, 4 + i, r.v[i]);
        sqlite3_step(st);
        sqlite3_reset(st);
    }
    for (size_t k = 0; k < tiers.size(); ++k) {
        sqlite3_bind_int64(st, 1, 1);
        sqlite3_bind_int64(st, 2, tierTf[k]);
        sqlite3_bind_int64(st, 3, tiers[k].ts);
        for (int i = 0; i < 7; ++i)
            sqlite3_bind_double(st, 4 + i, tiers[k].v[i]);
        sqlite3_step(st);
        sqlite3_reset(st);
    }
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_finalize(st);
    const double s = t.nsecsElapsed() / 1e9;
    sqlite3_close(db);
    return s;
}

double importSeconds(const QString &db, const QString &file, qint64 *rows)
{
    MarketStore::open(db);
    const auto writerOwner = MarketStore::attach(db).writer();
    StoreWriter &writer = *writerOwner;
    QElapsedTimer t;
    t.start();
    FileImport f(file, {}, [&writer](const MarketBatch &b) { writer.commit(b); });
    f.run();
    const double s = t.nsecsElapsed() / 1e9;
    *rows = f.report().rows;
    if (!f.report().ok())
        std::fprintf(stderr, "import failed: %s\n", qPrintable(f.report().error));
    return s;
}

QByteArray makeAggTradesDay(qint64 trades, std::vector<Row> *rows)
{
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(0, 1);
    QByteArray out = "agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker\n";
    out.reserve(trades * 60);
    const qint64 day = 1'704'067'200'000; // 2024-01-01
    double price = 42'000;
    qint64 id = 2'000'000'000, tradeId = 4'000'000'000;
    for (qint64 i = 0; i < trades; ++i) {
        const qint64 ts = day + i * 86'400'000 / trades + qint64(u(rng) * 50);
        price = std::round((price + (u(rng) - 0.5) * 2) * 10) / 10;
        const double qty = std::round(u(rng) * u(rng) * 5000) / 1000 + 0.001;
        const int fills = 1 + int(u(rng) * 3);
        const bool maker = u(rng) < 0.5;
        out += QByteArray::number(id) + ',' + QByteArray::number(price, 'f', 1) + ',' + QByteArray::number(qty, 'f', 3) + ','
            + QByteArray::number(tradeId) + ',' + QByteArray::number(tradeId + fills - 1) + ',' + QByteArray::number(ts) + ','
            + (maker ? "true" : "false") + '\n';
        rows->push_back({ts, {double(id), price, qty, double(tradeId), double(tradeId + fills - 1), maker ? 1.0 : 0.0, 0}});
        ++id;
        tradeId += fills;
    }
    return out;
}

// Median and 95th percentile latency (ms) of kline messages to committed rows.
std::pair<double, double> streamLatency(const QString &db, qint64 batchMs, int messages)
{
    const qint64 start = 1'675'209'600'000; // 2023-02-01
    FakeBinance::RestServer rest(start + 30'000, 100'000, 60'000);
    rest.data[QStringLiteral("LINKUSDT")] = {};
    FakeBinance::StreamServer ws;
    MarketStore::open(db);
    DataThread data(db);
    SourceOptions o;
    o.source = QStringLiteral("binance");
    o.instrument = {QStringLiteral("BINANCE"), QStringLiteral("LINKUSDT")};
    o.days = 0.001;
    o.live = true;
    o.extra = {{QStringLiteral("rest_url"), rest.url()},
               {QStringLiteral("ws_url"), ws.url()},
               {QStringLiteral("batch_ms"), QString::number(batchMs)},
               {QStringLiteral("silence_ms"), QStringLiteral("60000")}};
    QString error;
    DataSource *source = SourceFactory::create(o, &error);
    QHash<qint64, qint64> sentAt; // bar time -> when its message left
    std::vector<double> latencies;
    QObject::connect(&data, &DataThread::appended, &data, [&](const Instrument &, DataKind kind, qint64 from, qint64 to) {
        if (kind != DataKind::Candles)
            return;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (qint64 t = from; t < to; t += 60'000)
            if (const auto it = sentAt.find(t); it != sentAt.end()) {
                latencies.push_back(double(now - *it));
                sentAt.erase(it);
            }
    });
    // Waits in a real event loop: QTest::qWait sleeps in 10 ms steps, which would blur the figure.
    const auto wait = [](int ms) {
        QEventLoop loop;
        QTimer::singleShot(ms, Qt::PreciseTimer, &loop, &QEventLoop::quit);
        loop.exec();
    };
    data.setSource(source);
    for (int i = 0; i < 500 && ws.liveConnections() == 0; ++i)
        wait(20);
    std::mt19937_64 rng(3);
    std::uniform_int_distribution<int> gap(5, 45);
    for (int k = 0; k < messages; ++k) {
        const qint64 ts = start + (k + 1) * 60'000LL;
        const Candle c{ts, 6.9, 6.95, 6.88, 6.91, 1000, 6910, 400};
        sentAt.insert(ts, QDateTime::currentMSecsSinceEpoch());
        ws.push(FakeBinance::StreamServer::kline(QStringLiteral("LINKUSDT"), c, true, ts + 60'100));
        wait(gap(rng));
    }
    for (int i = 0; i < 100 && !sentAt.isEmpty(); ++i)
        wait(20);
    data.stopSource();
    data.sync();
    std::sort(latencies.begin(), latencies.end());
    if (latencies.empty())
        return {-1, -1};
    return {latencies[latencies.size() / 2], latencies[latencies.size() * 95 / 100]};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTemporaryDir dir;

    // --- a month of 1m klines (real file) ---
    const QString zip = QStringLiteral(PERPSCOPE_TEST_DATA "/binance/futures/um/monthly/klines/LINKUSDT/1m/LINKUSDT-1m-2023-02.zip");
    const QByteArray csv = TestZip::extractFirst(zip);
    const QString plain = dir.filePath(QStringLiteral("LINKUSDT-1m-2023-02.csv"));
    TestZip::write(plain, csv);
    const QString zipCopy = dir.filePath(QStringLiteral("LINKUSDT-1m-2023-02.zip")); // without its CHECKSUM beside it
    QFile::copy(zip, zipCopy);
    std::vector<Row> klineRows;
    for (const QByteArray &line : csv.split('\n')) {
        const auto f = line.trimmed().split(',');
        if (f.size() == 12 && std::isdigit(uchar(f[0][0])))
            klineRows.push_back({f[0].toLongLong(), {f[1].toDouble(), f[2].toDouble(), f[3].toDouble(), f[4].toDouble(), f[5].toDouble(),
                                                     f[7].toDouble(), f[9].toDouble()}});
    }
    // The rows the store ends up holding: the 1m bars plus the 5m ... 1d tiers made from them.
    std::vector<Row> tierRows;
    std::vector<int> tierTf;
    {
        QVector<Candle> bars;
        for (const Row &r : klineRows)
            bars.push_back({r.ts, r.v[0], r.v[1], r.v[2], r.v[3], r.v[4], r.v[5], r.v[6]});
        for (Timeframe tf : Timeframes::all) {
            if (tf == Timeframe::M1)
                continue;
            for (const Candle &c : CandleAggregator::toTimeframe(bars, tf)) {
                tierRows.push_back({c.ts, {c.open, c.high, c.low, c.close, c.volume, c.quoteVolume, c.takerBuyVolume}});
                tierTf.push_back(Timeframes::minutes(tf));
            }
        }
    }
    std::vector<double> csvRate, zipRate, rawRate, rawSameRate;
    qint64 rows = 0;
    for (int r = 0; r < runs; ++r) {
        rawRate.push_back(double(klineRows.size()) / rawInsertSeconds(dir.filePath(QStringLiteral("raw%1.db").arg(r)), klineRows, "candles"));
        rawSameRate.push_back(double(klineRows.size())
                              / rawInsertSeconds(dir.filePath(QStringLiteral("rawsame%1.db").arg(r)), klineRows, "candles", tierRows, tierTf));
        csvRate.push_back(double(klineRows.size()) / importSeconds(dir.filePath(QStringLiteral("csv%1.db").arg(r)), plain, &rows));
        zipRate.push_back(double(klineRows.size()) / importSeconds(dir.filePath(QStringLiteral("zip%1.db").arg(r)), zipCopy, &rows));
    }
    std::printf("klines month (%zu rows, real LINKUSDT-1m-2023-02), median of %d runs:\n", klineRows.size(), runs);
    std::printf("  raw sqlite3 batched insert (1m rows only, pre-parsed): %9.0f rows/s\n", median(rawRate));
    std::printf("  raw sqlite3 batched insert of the same stored rows (1m + %zu tier rows, pre-parsed and pre-aggregated):\n"
                "                                                          %9.0f kline rows/s\n",
                tierRows.size(), median(rawSameRate));
    std::printf("  perpscope import, plain CSV (parse + 1m + 5 tiers):     %9.0f rows/s  = %.2fx raw 1m, %.2fx raw same rows  "
                "(goal >= 300000 rows/s, >= 0.7x)\n",
                median(csvRate), median(csvRate) / median(rawRate), median(csvRate) / median(rawSameRate));
    std::printf("  perpscope import, zip (inflate + parse + 1m + tiers):   %9.0f rows/s  = %.2fx raw 1m, %.2fx raw same rows\n",
                median(zipRate), median(zipRate) / median(rawRate), median(zipRate) / median(rawSameRate));

    // --- a day of aggTrades (generated) ---
    std::vector<Row> tradeRows;
    const QString aggPath = dir.filePath(QStringLiteral("BTCUSDT-aggTrades-2024-01-01.csv"));
    TestZip::write(aggPath, makeAggTradesDay(1'000'000, &tradeRows));
    std::vector<double> aggRate, aggRaw;
    for (int r = 0; r < 3; ++r) {
        aggRaw.push_back(double(tradeRows.size()) / rawInsertSeconds(dir.filePath(QStringLiteral("rawagg%1.db").arg(r)), tradeRows, "trades"));
        aggRate.push_back(double(tradeRows.size()) / importSeconds(dir.filePath(QStringLiteral("agg%1.db").arg(r)), aggPath, &rows));
    }
    std::printf("aggTrades day (%zu trades, generated; -> %lld 1m candles), median of 3 runs:\n", tradeRows.size(), rows);
    std::printf("  raw sqlite3 batched insert of the trade rows:           %9.0f rows/s\n", median(aggRaw));
    std::printf("  perpscope import (parse + 1m bars + tiers):             %9.0f rows/s  = %.2fx raw\n", median(aggRate),
                median(aggRate) / median(aggRaw));

    // --- live: WebSocket message to committed row ---
    const int messages = 300;
    const auto batched = streamLatency(dir.filePath(QStringLiteral("live250.db")), 250, messages);
    const auto unbatched = streamLatency(dir.filePath(QStringLiteral("live1.db")), 1, messages);
    std::printf("stream message -> committed row (%d kline messages, loopback WebSocket, real data thread and writer):\n", messages);
    std::printf("  batching off (1 ms):           median %6.1f ms, p95 %6.1f ms\n", unbatched.first, unbatched.second);
    std::printf("  batching on (250 ms, default): median %6.1f ms, p95 %6.1f ms  (goal: median <= 250 ms)\n", batched.first, batched.second);
    return 0;
}
