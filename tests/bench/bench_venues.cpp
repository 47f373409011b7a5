// Each venue's client against its loopback server, same data, same run: REST backfill rows
// per second (candles, mark, funding, OI committed over wall time, median of 3) and the
// latency from a closing kline message leaving the server to its row committed (median and
// 95th percentile, batch 250 ms), and from a liquidation message to its row. Prints each
// figure and its ratio to Binance's. OKX's closing candle travels on its /ws/v5/business
// socket, its liquidations on /ws/v5/public.

#include "benchutil.h"
#include "fakebinance.h"
#include "fakebybit.h"
#include "fakeokx.h"
#include "sources/datathread.h"
#include "sources/sourcefactory.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "testzip.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>

#include <cstdio>
#include <random>

namespace {

constexpr qint64 feb1 = 1'675'209'600'000;
constexpr qint64 minute = 60'000;

void wait(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, Qt::PreciseTimer, &loop, &QEventLoop::quit);
    loop.exec();
}

QVector<Candle> linkFebruary()
{
    QVector<Candle> out;
    const QByteArray csv = TestZip::extractFirst(QStringLiteral(PERPSCOPE_TEST_DATA "/binance/futures/um/monthly/klines/LINKUSDT/1m/LINKUSDT-1m-2023-02.zip"));
    for (const QByteArray &line : csv.split('\n')) {
        const auto f = line.trimmed().split(',');
        if (f.size() == 12 && std::isdigit(uchar(f[0][0])))
            out << Candle{f[0].toLongLong(), f[1].toDouble(), f[2].toDouble(), f[3].toDouble(), f[4].toDouble(), f[5].toDouble(), f[7].toDouble(), 0};
    }
    return out;
}

// The same market on each venue, in its own spelling.
QString symbolOf(const QString &venue)
{
    return venue == QLatin1String("okx") ? QStringLiteral("LINK-USDT-SWAP") : QStringLiteral("LINKUSDT");
}

QByteArray okxInstruments()
{
    QFile f(QStringLiteral(PERPSCOPE_TEST_DATA "/okx/public-instruments-SWAP-2022-05-13.json"));
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}

SourceOptions options(const QString &venue, const QString &rest, const QString &ws, double days, bool live, qint64 batchMs)
{
    SourceOptions o;
    o.source = venue;
    o.instrument = {venue.toUpper(), symbolOf(venue)};
    o.days = days;
    o.live = live;
    o.extra = {{QStringLiteral("rest_url"), rest},
               {QStringLiteral("ws_url"), ws},
               {QStringLiteral("batch_ms"), QString::number(batchMs)},
               {QStringLiteral("silence_ms"), QStringLiteral("60000")}};
    return o;
}

// Rows per second of a backfill of `days`.
double backfillRate(const QString &venue, const QString &rest, const QString &db, double days)
{
    MarketStore::open(db);
    DataThread data(db);
    QString error;
    DataSource *source = SourceFactory::create(options(venue, rest, QStringLiteral("ws://127.0.0.1:9"), days, false, 250), &error);
    if (!source) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 0;
    }
    bool done = false;
    QObject::connect(&data, &DataThread::sourceFinished, &data, [&] { done = true; });
    QElapsedTimer t;
    t.start();
    data.setSource(source);
    while (!done)
        wait(5);
    data.sync();
    const double s = t.nsecsElapsed() / 1e9;
    auto reader = MarketStore::openExisting(db).reader();
    const Instrument i{venue.toUpper(), symbolOf(venue)};
    const qint64 rows = reader->count(i, DataKind::Candles) + reader->count(i, DataKind::MarkCandles) + reader->count(i, DataKind::Funding)
                      + reader->count(i, DataKind::OpenInterest);
    return double(rows) / s;
}

// Median and 95th percentile (ms) from a message leaving the server (a closing kline, or a
// liquidation print: kind) to its committed row; push(k) sends message k and returns the
// time of its row.
struct Latency
{
    double median = -1, p95 = -1;
    int rows = 0; // messages whose row was committed (of those sent)
};

template<typename Push>
Latency latency(const QString &venue, const QString &rest, const QString &ws, const QString &db, int messages, DataKind watched,
                                  const std::function<bool()> &subscribed, Push push)
{
    MarketStore::open(db);
    DataThread data(db);
    QString error;
    DataSource *source = SourceFactory::create(options(venue, rest, ws, 0.001, true, 250), &error);
    QHash<qint64, qint64> sentAt;
    std::vector<double> latencies;
    QObject::connect(&data, &DataThread::appended, &data, [&](const Instrument &, DataKind kind, qint64 from, qint64 to) {
        if (kind != watched)
            return;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (auto it = sentAt.begin(); it != sentAt.end();)
            if (it.key() >= from && it.key() < to) {
                latencies.push_back(double(now - it.value()));
                it = sentAt.erase(it);
            } else {
                ++it;
            }
    });
    data.setSource(source);
    for (int k = 0; k < 500 && !subscribed(); ++k)
        wait(20);
    std::mt19937_64 rng(3);
    std::uniform_int_distribution<int> gap(5, 45);
    for (int k = 0; k < messages; ++k) {
        const qint64 sent = QDateTime::currentMSecsSinceEpoch();
        sentAt.insert(push(k), sent);
        wait(gap(rng));
    }
    for (int k = 0; k < 100 && !sentAt.isEmpty(); ++k)
        wait(20);
    data.stopSource();
    data.sync();
    std::sort(latencies.begin(), latencies.end());
    if (latencies.empty())
        return {};
    return {latencies[latencies.size() / 2], latencies[latencies.size() * 95 / 100], int(latencies.size())};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTemporaryDir dir;
    const QVector<Candle> link = linkFebruary();
    const double days = 7;
    const qint64 now = feb1 + 8 * 86'400'000LL + 30'000;

    FakeBinance::Dataset bd;
    bd.candles = bd.mark = link;
    FakeBybit::Dataset yd;
    yd.candles = yd.mark = link;
    FakeOkx::Dataset od;
    od.candles = od.mark = link;
    od.contractValue = 1;
    const QByteArray instruments = okxInstruments();
    for (qint64 t = feb1; t < feb1 + 28 * 86'400'000LL; t += 8 * 3'600'000LL) {
        bd.funding << FakeBinance::Funding{t + 2, "0.00010000"};
        yd.funding << FakeBybit::Funding{t, "0.0001"};
        od.funding << FakeOkx::Funding{t, "0.0001"};
    }
    for (qint64 t = feb1, k = 0; t < feb1 + 28 * 86'400'000LL; t += 300'000, ++k) {
        bd.openInterest << OpenInterestSample{t, 1e6 + k, (1e6 + k) * 6.9};
        yd.openInterest << FakeBybit::OpenInterest{t, 1e6 + k};
        od.openInterest << FakeOkx::OpenInterest{t, 1e6 + k, 1e6 + k, (1e6 + k) * 6.9};
    }

    QVector<double> binanceRates, bybitRates, okxRates;
    for (int run = 0; run < 3; ++run) {
        FakeBinance::RestServer brest(now, 1'000'000, 60'000); // Binance's OI history reaches 30 days: all of it
        brest.data[QStringLiteral("LINKUSDT")] = bd;
        binanceRates << backfillRate(QStringLiteral("binance"), brest.url(), dir.filePath(QStringLiteral("b%1.db").arg(run)), days);
        FakeBybit::RestServer yrest(now);
        yrest.data[QStringLiteral("LINKUSDT")] = yd;
        bybitRates << backfillRate(QStringLiteral("bybit"), yrest.url(), dir.filePath(QStringLiteral("y%1.db").arg(run)), days);
        // OKX paces itself to its per-endpoint limits (20 history requests per 2 s, 100 mark
        // bars a page) and its rubik OI reaches 5 days: fewer rows, fetched slower.
        FakeOkx::RestServer orest(now, instruments);
        orest.data[QStringLiteral("LINK-USDT-SWAP")] = od;
        okxRates << backfillRate(QStringLiteral("okx"), orest.url(), dir.filePath(QStringLiteral("o%1.db").arg(run)), days);
    }
    const double b = BenchUtil::median(binanceRates), y = BenchUtil::median(bybitRates), ok = BenchUtil::median(okxRates);
    std::printf("REST backfill, %g days of 1m LINKUSDT (candles, mark, funding, OI), median of 3:\n", days);
    std::printf("  binance  %9.0f rows/s  (baseline)\n", b);
    std::printf("  bybit    %9.0f rows/s  ratio %.2f\n", y, b > 0 ? y / b : 0);
    std::printf("  okx      %9.0f rows/s  ratio %.2f\n", ok, b > 0 ? ok / b : 0);

    // Closing klines at feb1 + (k + 1) min; liquidation prints 1.013 s apart (distinct rows).
    const auto barAt = [](int k) { return Candle{feb1 + (k + 1) * minute, 6.9, 6.95, 6.88, 6.91, 1000, 6910, 0}; };
    const auto printAt = [](int k) { return feb1 + 30'000 + k * 1013LL; };
    Latency bl, yl, ol, bq, yq, oq;
    for (DataKind kind : {DataKind::Candles, DataKind::Liquidations}) {
        const bool bars = kind == DataKind::Candles;
        const QString tag = bars ? QStringLiteral("k") : QStringLiteral("q");
        FakeBinance::RestServer brest(feb1 + 30'000, 1'000'000, 60'000);
        brest.data[QStringLiteral("LINKUSDT")] = {};
        FakeBinance::StreamServer bws;
        (bars ? bl : bq) = latency(QStringLiteral("binance"), brest.url(), bws.url(), dir.filePath(QStringLiteral("bl%1.db").arg(tag)), 150, kind,
                                   [&] { return bws.liveConnections() > 0; },
                                   [&](int k) {
                                       if (bars) {
                                           const Candle c = barAt(k);
                                           bws.push(FakeBinance::StreamServer::kline(QStringLiteral("LINKUSDT"), c, true, c.ts + 60'100));
                                           return c.ts;
                                       }
                                       bws.push(FakeBinance::StreamServer::forceOrder(QStringLiteral("LINKUSDT"), printAt(k), "SELL", 6.9, 10 + k));
                                       return printAt(k);
                                   });
        FakeBybit::RestServer yrest(feb1 + 30'000);
        yrest.data[QStringLiteral("LINKUSDT")] = {};
        FakeBybit::StreamServer yws;
        (bars ? yl : yq) = latency(QStringLiteral("bybit"), yrest.url(), yws.url(), dir.filePath(QStringLiteral("yl%1.db").arg(tag)), 150, kind,
                                   [&] { return yws.subscribedConnections() > 0; },
                                   [&](int k) {
                                       if (bars) {
                                           const Candle c = barAt(k);
                                           yws.push(FakeBybit::StreamServer::kline(QStringLiteral("LINKUSDT"), {{c, true}}, c.ts + 60'100));
                                           return c.ts;
                                       }
                                       yws.push(FakeBybit::StreamServer::liquidation(QStringLiteral("LINKUSDT"), printAt(k), "Buy", 6.9, 10 + k));
                                       return printAt(k);
                                   });
        FakeOkx::RestServer orest(feb1 + 30'000, instruments);
        orest.data[QStringLiteral("LINK-USDT-SWAP")] = {};
        FakeOkx::StreamServer ows;
        (bars ? ol : oq) = latency(QStringLiteral("okx"), orest.url(), ows.url(), dir.filePath(QStringLiteral("ol%1.db").arg(tag)), 150, kind,
                                   [&] { return ows.subscribed(QStringLiteral("/ws/v5/business")) > 0 && ows.subscribed(QStringLiteral("/ws/v5/public")) > 0; },
                                   [&](int k) {
                                       if (bars) {
                                           const Candle c = barAt(k);
                                           ows.push(FakeOkx::StreamServer::candle(QStringLiteral("LINK-USDT-SWAP"), {{c, true}}, 1));
                                           return c.ts;
                                       }
                                       ows.push(FakeOkx::StreamServer::liquidation(QStringLiteral("LINK-USDT-SWAP"), {{"sell", "net", 6.9, 10.0 + k, printAt(k)}}));
                                       return printAt(k);
                                   });
    }
    const auto line = [](const char *venue, const Latency &v, const Latency &base, bool isBase) {
        if (isBase)
            std::printf("  %-8s median %6.1f ms  p95 %6.1f ms  rows %3d/150  (baseline)\n", venue, v.median, v.p95, v.rows);
        else
            std::printf("  %-8s median %6.1f ms  p95 %6.1f ms  rows %3d/150  ratio %.2f\n", venue, v.median, v.p95, v.rows,
                        base.median > 0 ? v.median / base.median : 0);
    };
    std::printf("message -> committed row, batch 250 ms, 150 closing klines:\n");
    line("binance", bl, bl, true);
    line("bybit", yl, bl, false);
    line("okx", ol, bl, false);
    std::printf("message -> committed row, batch 250 ms, 150 liquidation prints:\n");
    line("binance", bq, bq, true);
    line("bybit", yq, bq, false);
    line("okx", oq, bq, false);
    return 0;
}
