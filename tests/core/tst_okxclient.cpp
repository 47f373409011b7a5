#include "fakeokx.h"
#include "sources/datasource.h"
#include "sources/datathread.h"
#include "sources/sourcefactory.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "testutil.h"
#include "testzip.h"

#include <QFile>

// The OKX v5 SWAP client against loopback servers in OKX's formats: a REST backfill through
// the code/msg envelope (50011 over HTTP 429, 50001 over 503, a body cut in half) on a server
// that cuts every list at 100 rows, everything newest first behind the after cursor, under the
// per-endpoint 2 s limits; then live on two sockets (candles on /ws/v5/business, the rest on
// /ws/v5/public) with the real recorded public messages replayed beside hand-written pushes,
// a dropped socket, a silent one (no pong), duplicates and an out-of-order snapshot.
class TestOkxClient : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    FakeOkx::Dataset m_link; // the real LINKUSDT 2023-02 klines in OKX's shapes, hand-made mark, funding, OI
    QByteArray m_instruments;
    const Instrument m_instrument{QStringLiteral("OKX"), QStringLiteral("LINK-USDT-SWAP")};
    static constexpr qint64 feb1 = 1'675'209'600'000;
    static constexpr qint64 minute = 60'000;
    static constexpr qint64 hour = 3'600'000;
    int m_db = 0;

    QString freshDb()
    {
        const QString path = m_dir.filePath(QStringLiteral("o%1.db").arg(++m_db));
        MarketStore::open(path);
        return path;
    }

    static DataSource *client(const QString &rest, const QString &ws, const QString &symbol, double days, bool live)
    {
        SourceOptions o;
        o.source = QStringLiteral("okx");
        o.instrument = {QStringLiteral("OKX"), symbol};
        o.days = days;
        o.live = live;
        o.extra = {{QStringLiteral("rest_url"), rest},         {QStringLiteral("ws_url"), ws},
                   {QStringLiteral("batch_ms"), QStringLiteral("50")}, {QStringLiteral("oi_poll_ms"), QStringLiteral("1000")},
                   {QStringLiteral("timeout_ms"), QStringLiteral("700")}, {QStringLiteral("backoff_ms"), QStringLiteral("50")},
                   {QStringLiteral("backoff_cap_ms"), QStringLiteral("400")}, {QStringLiteral("silence_ms"), QStringLiteral("1500")},
                   {QStringLiteral("reconnect_ms"), QStringLiteral("50")}, {QStringLiteral("reconnect_cap_ms"), QStringLiteral("200")},
                   {QStringLiteral("heartbeat_ms"), QStringLiteral("300")}};
        QString error;
        DataSource *s = SourceFactory::create(o, &error);
        if (!s)
            qFatal("%s", qPrintable(error));
        return s;
    }

    template<typename Row>
    static QVector<Row> between(const QVector<Row> &rows, qint64 from, qint64 to)
    {
        QVector<Row> out;
        for (const Row &r : rows)
            if (r.ts >= from && r.ts < to)
                out << r;
        return out;
    }

private slots:
    void initTestCase()
    {
        QFile f(TestUtil::dataFile(QStringLiteral("okx/public-instruments-SWAP-2022-05-13.json")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_instruments = f.readAll();
        const QByteArray csv = TestZip::extractFirst(TestUtil::dataFile(QStringLiteral("binance/futures/um/monthly/klines/LINKUSDT/1m/LINKUSDT-1m-2023-02.zip")));
        for (const QByteArray &line : csv.split('\n')) {
            const auto f = line.trimmed().split(',');
            if (f.size() != 12 || !std::isdigit(uchar(f[0][0])))
                continue;
            const Candle c{f[0].toLongLong(), f[1].toDouble(), f[2].toDouble(), f[3].toDouble(), f[4].toDouble(), f[5].toDouble(), f[7].toDouble(), 0};
            m_link.candles << c;
            m_link.mark << Candle{c.ts, c.open * 1.0003, c.high * 1.0003, c.low * 1.0003, c.close * 1.0003, 0, 0, 0};
        }
        QCOMPARE(m_link.candles.size(), 40'320);
        m_link.contractValue = 1; // LINK-USDT-SWAP: 1 LINK per contract (the real list)
        // Hand-written: 8 h settlements, then the cap is hit on 3 Feb and OKX shortens the
        // interval one level per settlement (4 h, 2 h, 1 h), then back to 8 h.
        qint64 t = feb1;
        int k = 0;
        const auto add = [&](qint64 step, int n) {
            for (int i = 0; i < n; ++i, ++k) {
                m_link.funding << FakeOkx::Funding{t, QByteArray::number(((k % 9) - 4) * 0.0000125, 'f', 8)};
                t += step;
            }
        };
        add(8 * hour, 6);
        add(4 * hour, 2);
        add(2 * hour, 2);
        add(hour, 8);
        add(8 * hour, 30);
        for (qint64 x = feb1, j = 0; x < feb1 + 28 * 86'400'000LL; x += 300'000, ++j) {
            const double coins = 3'000'000 + j * 7.25;
            m_link.openInterest << FakeOkx::OpenInterest{x, coins, coins, coins * 6.5};
        }
    }

    void backfillThroughTheErrorEnvelope()
    {
        const qint64 now = feb1 + 4 * 86'400'000LL + 12 * hour + 30'000; // 5 Feb 12:00:30
        FakeOkx::RestServer rest(now, m_instruments);
        rest.data[m_instrument.symbol] = m_link;
        rest.maxListRows = 100; // an older deployment: every list cut at 100 rows
        rest.faults = {
            {QStringLiteral("/api/v5/market/history-candles"), 429, FakeOkx::envelope(50011, "Too Many Requests", "[]"), {}},
            {QStringLiteral("/api/v5/market/history-mark-price-candles"), 503, FakeOkx::envelope(50001, "Service temporarily unavailable", "[]"), {}},
            {QStringLiteral("/api/v5/public/funding-rate-history"), 200, QByteArray("{\"code\":\"0\",\"msg\":\"\",\"data\":[{\"fundingT"), {}},
            {QStringLiteral("/api/v5/rubik/stat/contracts/open-interest-history"), 200,
             FakeOkx::envelope(50011, "Rate limit reached. Please refer to API documentation and throttle requests accordingly.", "[]"), {}},
        };
        const QString db = freshDb();
        DataThread data(db);
        QStringList statuses;
        connect(&data, &DataThread::sourceStatus, this, [&](const QString &s) { statuses << s; });
        QSignalSpy failed(&data, &DataThread::sourceFailed);
        QSignalSpy finished(&data, &DataThread::sourceFinished);
        data.setSource(client(rest.url(), QStringLiteral("ws://127.0.0.1:9"), m_instrument.symbol, 2.5, false));
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 120'000);
        data.sync();
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.front().front().toString()));

        const qint64 end = Timeframes::floor(Timeframe::M1, now);
        const qint64 start = end - qint64(2.5 * 86'400'000);
        auto reader = MarketStore::openExisting(db).reader();
        QCOMPARE(reader->candles(m_instrument, Timeframe::M1, {start, end}), between(m_link.candles, start, end));
        QCOMPARE(reader->count(m_instrument, DataKind::Candles), between(m_link.candles, start, end).size());
        QCOMPARE(reader->markCandles(m_instrument, Timeframe::M1, {start, end}), between(m_link.mark, start, end));
        // Funding as served (realizedRate), each with the interval it closed: 8, 4, 2, 1, 8 h.
        QVector<FundingSample> funding;
        for (qsizetype k = 0; k < m_link.funding.size(); ++k) {
            const auto &f = m_link.funding[k];
            if (f.time >= start && f.time < end) {
                const qint64 gap = k > 0 ? f.time - m_link.funding[k - 1].time : 8 * hour;
                funding << FundingSample{f.time, f.realized.toDouble(), int(gap / hour)};
            }
        }
        QVector<int> intervals;
        for (const FundingSample &f : funding)
            if (intervals.isEmpty() || intervals.back() != f.intervalHours)
                intervals << f.intervalHours;
        QCOMPARE(intervals, (QVector<int>{8, 4, 2, 1, 8}));
        QCOMPARE(reader->funding(m_instrument, {start, end}), funding);
        QVERIFY(reader->coverageSummary(m_instrument, DataKind::Funding, {start, end}).isFull());
        // Open interest: oiCcy and oiUsd exactly as served, every 5 minutes.
        const auto oi = reader->openInterest(m_instrument, {start, end});
        QCOMPARE(oi.size(), (end - start) / 300'000);
        for (const OpenInterestSample &o : oi) {
            const auto &served = m_link.openInterest[(o.ts - feb1) / 300'000];
            QCOMPARE(o.openInterest, served.coins);
            QCOMPARE(o.openInterestUsd, served.usd);
        }
        // Paged backwards by the after cursor, 100 rows at a time.
        QVERIFY(rest.countPath(QStringLiteral("/api/v5/market/history-candles")) >= 36);
        QCOMPARE(reader->liquidationFeed(m_instrument), QStringLiteral("throttled"));
        QVERIFY(reader->meta(QStringLiteral("taker_buy_note.OKX:LINK-USDT-SWAP")).contains(QLatin1String("no taker-buy volume")));
        // OKX candles carry no taker-buy volume: covered candles, no taker_buy coverage (unknown, not 0).
        QVERIFY(!reader->coverageSummary(m_instrument, DataKind::Candles, {start, end}).isNone());
        QVERIFY(reader->coverageSummary(m_instrument, DataKind::TakerBuy, {start, end}).isNone());
        QVERIFY2(reader->meta(QStringLiteral("contract_value.OKX:LINK-USDT-SWAP")).startsWith(QLatin1String("1 LINK per contract")),
                 qPrintable(reader->meta(QStringLiteral("contract_value.OKX:LINK-USDT-SWAP"))));
        for (const CoverageSpan &s : reader->coverage(m_instrument))
            QVERIFY2(s.origin.startsWith(QLatin1String("okx ")), qPrintable(s.origin));
        // Under every endpoint's 2 s limit; the envelope's errors waited out and retried.
        QCOMPARE(rest.overLimit, 0);
        for (auto it = rest.maxWindowCount.cbegin(); it != rest.maxWindowCount.cend(); ++it)
            QVERIFY2(it.value() <= FakeOkx::endpointLimits().value(it.key()), qPrintable(it.key()));
        const QString all = statuses.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QLatin1String("code 50011")), qPrintable(all));
        QVERIFY2(all.contains(QLatin1String("backfill complete")), qPrintable(all));
    }

    void anUnknownInstrumentFails()
    {
        FakeOkx::RestServer rest(feb1 + 86'400'000LL, m_instruments);
        DataThread data(freshDb());
        QSignalSpy failed(&data, &DataThread::sourceFailed);
        data.setSource(client(rest.url(), QStringLiteral("ws://127.0.0.1:9"), QStringLiteral("NOPE-USDT-SWAP"), 1, false));
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 20'000);
        QVERIFY2(failed.front().front().toString().contains(QLatin1String("NOPE-USDT-SWAP is not listed on OKX")), qPrintable(failed.front().front().toString()));
    }

    void liveOnTwoSocketsThroughFaults()
    {
        constexpr qint64 bar = 1'675'600'200'000; // 2023-02-05 12:30 UTC
        FakeOkx::Dataset btc;
        std::mt19937_64 rng(7);
        btc.candles = TestUtil::randomBars(rng, bar - 60 * minute, 60, 23'000);
        for (Candle &c : btc.candles)
            c.takerBuyVolume = 0;
        btc.mark = btc.candles;
        btc.funding << FakeOkx::Funding{bar - 4 * hour - 30 * minute, "0.0001"};
        FakeOkx::RestServer rest(bar + 17'000, m_instruments);
        rest.data[QStringLiteral("BTC-USDT-SWAP")] = btc;
        FakeOkx::StreamServer ws;
        const QString db = freshDb();
        DataThread data(db);
        QSignalSpy failed(&data, &DataThread::sourceFailed);
        data.setSource(client(rest.url(), ws.url(), QStringLiteral("BTC-USDT-SWAP"), 0.04, true));
        const QString business = QStringLiteral("/ws/v5/business"), pub = QStringLiteral("/ws/v5/public");
        QTRY_VERIFY_WITH_TIMEOUT(ws.subscribed(business) == 1 && ws.subscribed(pub) == 1, 30'000);

        // The recorded public messages (acknowledgements, tickers and trades of other
        // instruments) on the public socket: read, not used, not garbage.
        QFile f(TestUtil::dataFile(QStringLiteral("okx/v5-public-capture-2022-05-13.jsonl")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        for (const QByteArray &line : f.readAll().split('\n'))
            if (!line.trimmed().isEmpty())
                ws.broadcast(pub, line.trimmed());

        const QString id = QStringLiteral("BTC-USDT-SWAP");
        const Candle early{bar, 23010.5, 23012, 23001.1, 23005, 1.5, 34507.5, 0};
        const Candle closed{bar, 23010.5, 23020, 23001.1, 23018.2, 12.34, 283999.1, 0};
        const Candle next{bar + minute, 23018.2, 23019, 23018.2, 23019, 0.05, 1150.9, 0};
        ws.push(FakeOkx::StreamServer::candle(id, {{early, false}}, 0.01));
        ws.push(FakeOkx::StreamServer::candle(id, {{early, false}}, 0.01)); // a duplicate
        ws.push(FakeOkx::StreamServer::candle(id, {{closed, true}, {next, false}}, 0.01));
        ws.push(FakeOkx::StreamServer::candle(id, {{early, false}}, 0.01)); // out of order: an old snapshot after the close
        ws.push(FakeOkx::StreamServer::funding(id, 0.000125, bar + 7 * hour / 2, bar + 15 * hour / 2, bar + 2'000));
        ws.push(FakeOkx::StreamServer::markPrice(id, 23015.3, bar + 3'000));
        ws.push(FakeOkx::StreamServer::openInterest(id, 2'216'113.01, 22'161.1301, 510'109'000.5, bar + 4'000));
        const QByteArray liq = FakeOkx::StreamServer::liquidation(id, {{"sell", "net", 22990.5, 25, bar + 30'123}});
        ws.push(liq);
        ws.push(liq); // repeated: stored once
        ws.push(FakeOkx::StreamServer::liquidation(id, {{"buy", "short", 23100, 150, bar + 40'456}}));
        QTRY_VERIFY_WITH_TIMEOUT(ws.pings() >= 4, 10'000); // text ping on both sockets
        QStringList pingPaths;
        for (const QString &m : std::as_const(ws.received))
            if (m.endsWith(QLatin1String(" ping")) && !pingPaths.contains(m.section(QLatin1Char(' '), 0, 0)))
                pingPaths << m.section(QLatin1Char(' '), 0, 0);
        pingPaths.sort();
        QCOMPARE(pingPaths, (QStringList{business, pub}));
        auto reader = MarketStore::openExisting(db).reader();
        const Instrument i{QStringLiteral("OKX"), id};
        QTRY_VERIFY_WITH_TIMEOUT(reader->liquidations(i, {bar, bar + 10 * minute}).size() == 2, 10'000);

        // The candle socket drops alone: it comes back and subscribes again; the public one
        // stays. Then a public socket that never answers (no ack, no pong): replaced.
        ws.drop(business);
        QTRY_VERIFY_WITH_TIMEOUT(ws.connections(business) >= 2 && ws.subscribed(business) == 1, 20'000);
        ws.silentConnections = 1;
        ws.drop(pub);
        QTRY_VERIFY_WITH_TIMEOUT(ws.connections(pub) >= 3 && ws.subscribed(pub) == 1, 20'000);
        data.stopSource();
        data.sync();
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.front().front().toString()));

        // The close, exactly: neither the duplicate nor the late snapshot undid it.
        const auto bars = reader->candles(i, Timeframe::M1, {bar, bar + minute});
        QCOMPARE(bars.size(), 1);
        QCOMPARE(bars.front(), closed);
        QCOMPARE(reader->candles(i, Timeframe::M1, {bar - 50 * minute, bar}), between(btc.candles, bar - 50 * minute, bar));
        const auto liqs = reader->liquidations(i, {bar, bar + 10 * minute});
        QCOMPARE(liqs.size(), 2);
        QCOMPARE(liqs[0], (Liquidation{bar + 30'123, Liquidation::contentSeq(Liquidation::Side::Long, 22990.5, 0.25, 0), Liquidation::Side::Long, 22990.5, 0.25, true})); // 25 contracts x 0.01 BTC
        QCOMPARE(liqs[1], (Liquidation{bar + 40'456, Liquidation::contentSeq(Liquidation::Side::Short, 23100, 1.5, 0), Liquidation::Side::Short, 23100, 1.5, true}));
        const auto liqCov = reader->coverageSummary(i, DataKind::Liquidations, {bar, bar + 2 * minute});
        QCOMPARE(liqCov.quality, std::optional(CoverageQuality::Sampled));
        // Predicted funding at the pushed rate, with the interval OKX published (4 h).
        const auto predicted = reader->predictedFunding(i, {bar - hour, bar + hour});
        QVERIFY(!predicted.isEmpty());
        QCOMPARE(predicted.back().rate, 0.000125);
        QCOMPARE(predicted.back().intervalHours, 4);
        // The pushed open interest, with OKX's own USD value.
        bool pushedOi = false;
        for (const OpenInterestSample &o : reader->openInterest(i, {bar, bar + hour}))
            pushedOi = pushedOi || o == OpenInterestSample{bar + 4'000, 22'161.1301, 510'109'000.5};
        QVERIFY(pushedOi);
        QVERIFY(rest.countPath(QStringLiteral("/api/v5/public/open-interest")) >= 1); // polled too
    }
};

QTEST_GUILESS_MAIN(TestOkxClient)
#include "tst_okxclient.moc"
