#include "domain/spotmarket.h"
#include "fakebinancespot.h"
#include "sources/datasource.h"
#include "sources/datathread.h"
#include "sources/sourcefactory.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "testutil.h"

#include <QFile>

// The Binance spot source (binance-spot) against loopback servers in spot's formats: a REST
// backfill in pages of 1000 bars through a 429, with only the series a spot market has asked
// for; then live on the combined stream with the recorded spot messages replayed beside
// hand-written kline frames. Short on purpose (a day of bars, a few stream frames).
class TestBinanceSpotClient : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QVector<Candle> m_link; // the real LINKUSDT 2023-02-01 1m klines, served as if spot
    QByteArray m_info;
    const Instrument m_instrument{QStringLiteral("BINANCE_SPOT"), QStringLiteral("LINKUSDT")};
    static constexpr qint64 feb1 = 1'675'209'600'000;
    static constexpr qint64 minute = 60'000;
    int m_db = 0;

    QString freshDb()
    {
        const QString path = m_dir.filePath(QStringLiteral("s%1.db").arg(++m_db));
        MarketStore::open(path);
        return path;
    }

    static DataSource *client(const QString &rest, const QString &ws, double days, bool live)
    {
        SourceOptions o;
        o.source = QStringLiteral("binance-spot");
        o.instrument = Instrument::parse(QStringLiteral("LINKUSDT"), SourceFactory::defaultExchange(o.source));
        o.days = days;
        o.live = live;
        o.extra = {{QStringLiteral("rest_url"), rest},
                   {QStringLiteral("ws_url"), ws},
                   {QStringLiteral("batch_ms"), QStringLiteral("50")},
                   {QStringLiteral("timeout_ms"), QStringLiteral("700")},
                   {QStringLiteral("backoff_ms"), QStringLiteral("50")},
                   {QStringLiteral("backoff_cap_ms"), QStringLiteral("400")},
                   {QStringLiteral("reconnect_ms"), QStringLiteral("50")},
                   {QStringLiteral("reconnect_cap_ms"), QStringLiteral("200")}};
        QString error;
        DataSource *s = SourceFactory::create(o, &error);
        if (!s)
            qFatal("%s", qPrintable(error));
        return s;
    }

    QVector<Candle> between(qint64 from, qint64 to) const
    {
        QVector<Candle> out;
        for (const Candle &c : m_link)
            if (c.ts >= from && c.ts < to)
                out << c;
        return out;
    }

private slots:
    void initTestCase()
    {
        QFile info(TestUtil::dataFile(QStringLiteral("binance-spot/api-v3-exchangeInfo-2021-10-12-slice.json")));
        QVERIFY(info.open(QIODevice::ReadOnly));
        m_info = info.readAll();
        QFile csv(TestUtil::dataFile(QStringLiteral("binance/LINKUSDT-1m-2023-02-01.csv")));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        for (const QByteArray &line : csv.readAll().split('\n')) {
            const auto f = line.trimmed().split(',');
            if (f.size() != 12 || !std::isdigit(uchar(f[0][0])))
                continue;
            m_link << Candle{f[0].toLongLong(), f[1].toDouble(), f[2].toDouble(), f[3].toDouble(), f[4].toDouble(),
                             f[5].toDouble(), f[7].toDouble(), f[9].toDouble()};
        }
        QCOMPARE(m_link.size(), 1440);
        QCOMPARE(SourceFactory::defaultExchange(QStringLiteral("binance-spot")), QStringLiteral("BINANCE_SPOT"));
    }

    void backfillAsksOnlyForCandles()
    {
        const qint64 now = feb1 + 86'400'000LL + 30'000;
        FakeBinanceSpot::RestServer rest(now, m_info);
        rest.candles[m_instrument.symbol] = m_link;
        rest.faults = {{QStringLiteral("/api/v3/klines"), 429, "{\"code\":-1003,\"msg\":\"Too much request weight used\"}",
                        {qMakePair(QByteArray("Retry-After"), QByteArray("0"))}}};
        const QString db = freshDb();
        DataThread data(db);
        QSignalSpy failed(&data, &DataThread::sourceFailed);
        QSignalSpy finished(&data, &DataThread::sourceFinished);
        data.setSource(client(rest.url(), QStringLiteral("ws://127.0.0.1:9"), 0.9, false));
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 60'000);
        data.sync();
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.front().front().toString()));

        const qint64 end = Timeframes::floor(Timeframe::M1, now);
        const qint64 start = end - qint64(0.9 * 86'400'000);
        auto reader = MarketStore::openExisting(db).reader();
        QCOMPARE(reader->candles(m_instrument, Timeframe::M1, {start, end}), between(start, end));
        QVERIFY(reader->coverageSummary(m_instrument, DataKind::Candles, {start, end}).isFull());
        QVERIFY(reader->coverageSummary(m_instrument, DataKind::TakerBuy, {start, end}).isFull()); // spot klines carry it
        // Nothing but time, the instrument list and klines was asked (2 pages + the 429 retry).
        QSet<QString> paths;
        for (const auto &l : rest.log)
            paths << l.path;
        QCOMPARE(paths, (QSet<QString>{QStringLiteral("/api/v3/time"), QStringLiteral("/api/v3/exchangeInfo"), QStringLiteral("/api/v3/klines")}));
        QCOMPARE(rest.countPath(QStringLiteral("/api/v3/klines")), 3);
        for (const auto &l : rest.log)
            if (l.path == QLatin1String("/api/v3/klines"))
                QVERIFY(l.query.queryItemValue(QStringLiteral("limit")).toInt() <= 1000);
        // A spot market: no liquidation feed (not applicable), no OI, funding or mark rows.
        QCOMPARE(reader->liquidationFeed(m_instrument), SpotMarket::notApplicable());
        QCOMPARE(reader->count(m_instrument, DataKind::OpenInterest), 0);
        QCOMPARE(reader->count(m_instrument, DataKind::Funding), 0);
        QVERIFY(reader->coverageSummary(m_instrument, DataKind::Liquidations, {start, end}).isNone());
        for (const CoverageSpan &s : reader->coverage(m_instrument))
            QCOMPARE(s.origin, QStringLiteral("binance spot rest"));
    }

    void anUnknownSymbolFails()
    {
        FakeBinanceSpot::RestServer rest(feb1 + 86'400'000LL, m_info);
        DataThread data(freshDb());
        QSignalSpy failed(&data, &DataThread::sourceFailed);
        SourceOptions o;
        o.source = QStringLiteral("binance-spot");
        o.instrument = {QStringLiteral("BINANCE_SPOT"), QStringLiteral("NOPEUSDT")};
        o.days = 1;
        o.extra = {{QStringLiteral("rest_url"), rest.url()}};
        QString error;
        data.setSource(SourceFactory::create(o, &error));
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 20'000);
        QVERIFY2(failed.front().front().toString().contains(QLatin1String("Invalid symbol")), qPrintable(failed.front().front().toString()));
    }

    void liveKlinesWithTheRecordedStream()
    {
        constexpr qint64 bar = feb1 + 12 * 3'600'000LL;
        FakeBinanceSpot::RestServer rest(bar + 17'000, m_info);
        rest.candles[m_instrument.symbol] = m_link;
        FakeBinanceSpot::StreamServer ws;
        const QString db = freshDb();
        DataThread data(db);
        QSignalSpy failed(&data, &DataThread::sourceFailed);
        data.setSource(client(rest.url(), ws.url(), 0.01, true));
        QTRY_VERIFY_WITH_TIMEOUT(ws.live() == 1, 30'000);
        QCOMPARE(ws.urls.front().path(), QStringLiteral("/stream"));
        QCOMPARE(QUrlQuery(ws.urls.front().query()).queryItemValue(QStringLiteral("streams")), QStringLiteral("linkusdt@kline_1m/linkusdt@aggTrade"));

        // The recorded messages of other symbols (klines, trades, book tickers, depth) arrive
        // on the socket as they would: read, valid, not stored for LINKUSDT.
        QFile f(TestUtil::dataFile(QStringLiteral("binance-spot/stream-capture-2021-10-12.jsonl")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        for (const QByteArray &line : f.readAll().split('\n'))
            if (!line.trimmed().isEmpty()) {
                QJsonObject o = QJsonDocument::fromJson(line).object();
                o[QStringLiteral("stream")] = QStringLiteral("linkusdt@aggTrade"); // delivered on our socket, still naming its own symbol
                ws.push(QJsonDocument(o).toJson(QJsonDocument::Compact));
            }
        const Candle early{bar, 7.01, 7.02, 7.0, 7.015, 120, 841.5, 80};
        const Candle closed{bar, 7.01, 7.05, 6.99, 7.04, 1500.5, 10'540.2, 700.25};
        ws.push(FakeBinanceSpot::StreamServer::kline(m_instrument.symbol, early, false, bar + 20'000));
        ws.push(FakeBinanceSpot::StreamServer::kline(m_instrument.symbol, closed, true, bar + 60'000));
        ws.push(FakeBinanceSpot::StreamServer::kline(m_instrument.symbol, early, false, bar + 21'000)); // late: ignored
        ws.push("{\"stream\":\"linkusdt@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":" + QByteArray::number(bar + 61'000)
                + ",\"s\":\"LINKUSDT\",\"a\":5,\"p\":\"7.04\",\"q\":\"3\",\"f\":9,\"l\":9,\"T\":" + QByteArray::number(bar + 61'000)
                + ",\"m\":true,\"M\":true}}");
        auto reader = MarketStore::openExisting(db).reader();
        QTRY_VERIFY_WITH_TIMEOUT(reader->candles(m_instrument, Timeframe::M1, {bar, bar + minute}) == QVector<Candle>{closed}, 10'000);
        data.stopSource();
        data.sync();
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.front().front().toString()));
        QCOMPARE(reader->candles(m_instrument, Timeframe::M1, {bar, bar + minute}), QVector<Candle>{closed});
        // The print after the close did not open a bar of its own (klines carry the bars).
        QVERIFY(reader->candles(m_instrument, Timeframe::M1, {bar + minute, bar + 2 * minute}).isEmpty());
        QVERIFY(reader->coverageSummary(m_instrument, DataKind::TakerBuy, {bar, bar + minute}).isFull());
        QVERIFY(reader->coverageSummary(m_instrument, DataKind::Liquidations, {bar - 10 * minute, bar + minute}).isNone());
        QCOMPARE(reader->candles({QStringLiteral("BINANCE_SPOT"), QStringLiteral("NKNUSDT")}, Timeframe::M1, {0, bar}).size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestBinanceSpotClient)
#include "tst_binancespotclient.moc"
