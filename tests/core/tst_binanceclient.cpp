#include "fakebinance.h"
#include "domain/timeformat.h"
#include "sources/datasource.h"
#include "storage/candleaggregator.h"
#include "sources/datathread.h"
#include "sources/sourcefactory.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "testutil.h"
#include "testzip.h"

// The Binance live client against loopback servers that speak Binance's formats and throw
// its faults: 429 with Retry-After, 418, 451, 500, a slow answer, malformed JSON, a
// truncated message, a connection dropped mid-stream, duplicates, out-of-order messages, a
// minute that never arrives, a silent stream. The store must end exactly equal to the
// server's data, the client must stay under the advertised weight and wait out Retry-After.
class TestBinanceClient : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    FakeBinance::Dataset m_link; // the real LINKUSDT 2023-02 klines + hand-made mark, funding, OI
    const Instrument m_instrument{QStringLiteral("BINANCE"), QStringLiteral("LINKUSDT")};
    static constexpr qint64 feb1 = 1'675'209'600'000;
    static constexpr qint64 minute = 60'000;
    int m_db = 0;

    QString freshDb()
    {
        const QString path = m_dir.filePath(QStringLiteral("c%1.db").arg(++m_db));
        MarketStore::open(path);
        return path;
    }

    static DataSource *client(const FakeBinance::RestServer &rest, const FakeBinance::StreamServer &ws, double days, bool live,
                              QMap<QString, QString> extra = {}, const QString &symbol = QStringLiteral("LINKUSDT"))
    {
        SourceOptions o;
        o.source = QStringLiteral("binance");
        o.instrument = {QStringLiteral("BINANCE"), symbol};
        o.days = days;
        o.live = live;
        o.extra = {{QStringLiteral("rest_url"), rest.url()},   {QStringLiteral("ws_url"), ws.url()},
                   {QStringLiteral("batch_ms"), QStringLiteral("50")}, {QStringLiteral("oi_poll_ms"), QStringLiteral("1000")},
                   {QStringLiteral("timeout_ms"), QStringLiteral("700")}, {QStringLiteral("backoff_ms"), QStringLiteral("50")},
                   {QStringLiteral("backoff_cap_ms"), QStringLiteral("400")}, {QStringLiteral("silence_ms"), QStringLiteral("4000")},
                   {QStringLiteral("reconnect_ms"), QStringLiteral("50")}, {QStringLiteral("reconnect_cap_ms"), QStringLiteral("200")}};
        for (auto it = extra.cbegin(); it != extra.cend(); ++it)
            o.extra[it.key()] = it.value();
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

    const Candle &bar(qint64 ts) const { return m_link.candles[(ts - feb1) / minute]; }
    const Candle &markBar(qint64 ts) const { return m_link.mark[(ts - feb1) / minute]; }

    QVector<FundingSample> settled(qint64 from, qint64 to) const
    {
        QVector<FundingSample> out;
        for (const auto &f : m_link.funding) {
            const qint64 ts = f.time / 3'600'000 * 3'600'000;
            if (ts >= from && ts < to)
                out << FundingSample{ts, f.rate.toDouble(), 8};
        }
        return out;
    }

private slots:
    void initTestCase()
    {
        const QByteArray csv = TestZip::extractFirst(TestUtil::dataFile(QStringLiteral("binance/futures/um/monthly/klines/LINKUSDT/1m/LINKUSDT-1m-2023-02.zip")));
        for (const QByteArray &line : csv.split('\n')) {
            const auto f = line.trimmed().split(',');
            if (f.size() != 12 || !std::isdigit(uchar(f[0][0])))
                continue;
            const Candle c{f[0].toLongLong(), f[1].toDouble(), f[2].toDouble(), f[3].toDouble(), f[4].toDouble(), f[5].toDouble(),
                           f[7].toDouble(), f[9].toDouble()};
            m_link.candles << c;
            // Hand-made mark price bars in the klines layout (volumes zero), near the trades.
            m_link.mark << Candle{c.ts, c.open * 1.0002, c.high * 1.0002, c.low * 1.0002, c.close * 1.0002, 0, 0, 0};
        }
        QCOMPARE(m_link.candles.size(), 40'320);
        int i = 0;
        for (qint64 t = feb1; t < feb1 + 28 * 86'400'000LL; t += 8 * 3'600'000LL, ++i)
            m_link.funding << FakeBinance::Funding{t + 1 + i % 3, QByteArray::number(((i % 9) - 4) * 0.0000125, 'f', 8)};
        for (qint64 t = feb1, k = 0; t < feb1 + 28 * 86'400'000LL; t += 300'000, ++k)
            m_link.openInterest << OpenInterestSample{t, 23'000'000 + k * 1000.5, (23'000'000 + k * 1000.5) * 6.9};
    }

    void backfillThenStreamThroughEveryFault()
    {
        const qint64 now = feb1 + 23 * 3'600'000LL + 50 * minute + 30'000; // 2023-02-01 23:50:30
        FakeBinance::RestServer rest(now, 12, 1000);                        // 12 weight per second, advertised
        rest.data[QStringLiteral("LINKUSDT")] = m_link;
        rest.faults = {
            {QStringLiteral("/fapi/v1/klines"), 429, "{\"code\":-1003,\"msg\":\"Too many requests; current limit is 12 request weight per 1 SECOND.\"}",
             {{"Retry-After", "1"}}, 0, false},
            {QStringLiteral("/fapi/v1/markPriceKlines"), 500, "<html><body><h1>500 Internal Server Error</h1></body></html>", {}, 0, false},
            {QStringLiteral("/fapi/v1/markPriceKlines"), 200, {}, {}, 1500, false}, // slower than the 700 ms timeout
            {QStringLiteral("/fapi/v1/fundingRate"), 200, {}, {}, 0, true},         // JSON cut in half
        };
        FakeBinance::StreamServer ws;
        const QString db = freshDb();
        DataThread data(db);
        QStringList statuses;
        connect(&data, &DataThread::sourceStatus, this, [&](const QString &s) { statuses << s; });
        QSignalSpy failed(&data, &DataThread::sourceFailed);
        data.setSource(client(rest, ws, 1.5, true));

        // Backfill through the REST faults, then the stream connects.
        QTRY_VERIFY_WITH_TIMEOUT(ws.liveConnections() == 1, 30'000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.front().front().toString()));
        QCOMPARE(ws.urls.front().path(), QStringLiteral("/market/stream"));
        QCOMPARE(QUrlQuery(ws.urls.front()).queryItemValue(QStringLiteral("streams")),
                 QStringLiteral("linkusdt@kline_1m/linkusdt@markPrice@1s/linkusdt@forceOrder"));

        const qint64 first = feb1 + (23 * 60 + 50) * minute; // 23:50
        const qint64 settlement = feb1 + 86'400'000;         // 2023-02-02 00:00
        const auto send = [&](const QByteArray &m, bool twice = false) {
            ws.push(m);
            if (twice)
                ws.push(m);
        };
        for (qint64 m = first; m <= first + 15 * minute; m += minute) {
            if (m == first + 5 * minute)
                continue; // 23:55 never arrives
            const Candle &c = bar(m);
            const Candle &mk = markBar(m);
            const bool dup = m == first + minute;
            const qint64 next = m < settlement ? settlement : settlement + 8 * 3'600'000LL;
            const Candle partial{m, c.open, std::max(c.open, c.low), c.low, c.low, c.volume / 2, c.quoteVolume / 2, c.takerBuyVolume / 2};
            send(FakeBinance::StreamServer::markPrice(QStringLiteral("LINKUSDT"), m + 1000, mk.open, "0.00010000", next), dup);
            send(FakeBinance::StreamServer::kline(QStringLiteral("LINKUSDT"), partial, false, m + 10'000), dup);
            if (m == first + 3 * minute)
                ws.push(FakeBinance::StreamServer::kline(QStringLiteral("LINKUSDT"), c, false, m + 30'000).left(120)); // truncated
            if (m == first + 4 * minute)
                send(FakeBinance::StreamServer::forceOrder(QStringLiteral("LINKUSDT"), m + 10'123, "SELL", 6.95, 1200.5));
            if (m == first + 7 * minute)
                send(FakeBinance::StreamServer::forceOrder(QStringLiteral("LINKUSDT"), m + 30'456, "BUY", 7.01, 10), true);
            send(FakeBinance::StreamServer::markPrice(QStringLiteral("LINKUSDT"), m + 40'000, mk.close, "0.00012000", next), dup);
            if (m == first + 8 * minute) {
                // The connection dies before 23:58 closes; the client reconnects by itself.
                QTest::qWait(30);
                ws.dropAll();
                QTRY_VERIFY_WITH_TIMEOUT(ws.liveConnections() == 1, 10'000);
                continue;
            }
            send(FakeBinance::StreamServer::kline(QStringLiteral("LINKUSDT"), c, false, m + 50'000), dup);
            const QByteArray close = FakeBinance::StreamServer::kline(QStringLiteral("LINKUSDT"), c, true, m + 60'204);
            if (m == first + 2 * minute) {
                // Out of order: the next minute starts before this one's close, and an old
                // snapshot of this minute comes after its close.
                const Candle &n = bar(m + minute);
                ws.push(FakeBinance::StreamServer::kline(QStringLiteral("LINKUSDT"), {n.ts, n.open, n.open, n.open, n.open, 1, n.open, 0}, false, m + 60'100));
                ws.push(close);
                ws.push(FakeBinance::StreamServer::kline(QStringLiteral("LINKUSDT"), partial, false, m + 10'000));
            } else {
                send(close, dup);
            }
            QTest::qWait(20);
        }
        // A sample of 00:06 closes the mark minute 00:05 (its final bar comes over REST).
        ws.push(FakeBinance::StreamServer::markPrice(QStringLiteral("LINKUSDT"), first + 16 * minute + 1000, markBar(first + 16 * minute).open,
                                                     "0.00012000", settlement + 8 * 3'600'000LL));

        const qint64 start = Timeframes::floor(Timeframe::M1, now) - qint64(1.5 * 86'400'000);
        const qint64 end = first + 16 * minute; // after 00:05
        auto reader = MarketStore::openExisting(db).reader();
        const auto expectedCandles = between(m_link.candles, start, end);
        const auto expectedMark = between(m_link.mark, start, end);
        const auto expectedFunding = settled(start, settlement + 1);
        QTRY_VERIFY_WITH_TIMEOUT(reader->candles(m_instrument, Timeframe::M1, {start, end}) == expectedCandles
                                     && reader->markCandles(m_instrument, Timeframe::M1, {start, end}) == expectedMark
                                     && reader->funding(m_instrument, {start, settlement + 1}) == expectedFunding,
                                 30'000);
        data.stopSource();
        data.sync();
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.front().front().toString()));

        // Exactly the server's data: every minute once, the missing and dropped ones filled.
        QCOMPARE(reader->count(m_instrument, DataKind::Candles), expectedCandles.size());
        QCOMPARE(reader->candles(m_instrument, Timeframe::H1, {start, end}),
                 CandleAggregator::toTimeframe(expectedCandles, Timeframe::H1));
        const QVector<Liquidation> liqs = reader->liquidations(m_instrument, {start, end});
        QCOMPARE(liqs.size(), 2);
        QCOMPARE(liqs[0], (Liquidation{first + 4 * minute + 10'123, Liquidation::contentSeq(Liquidation::Side::Long, 6.95, 1200.5, 0), Liquidation::Side::Long, 6.95, 1200.5, true}));
        QCOMPARE(liqs[1], (Liquidation{first + 7 * minute + 30'456, Liquidation::contentSeq(Liquidation::Side::Short, 7.01, 10, 0), Liquidation::Side::Short, 7.01, 10, true}));
        QCOMPARE(reader->liquidationFeed(m_instrument), QStringLiteral("throttled"));
        QVERIFY(reader->meta(QStringLiteral("liquidation_feed_note.BINANCE:LINKUSDT")).contains(QLatin1String("one liquidation per second")));
        // Open interest: the 5m history in the window, then the polled values.
        const auto oi = reader->openInterest(m_instrument, {start, end + 3'600'000});
        const auto history = between(m_link.openInterest, start, Timeframes::floor(Timeframe::M1, now) - Timeframes::minuteMs + 1);
        QVERIFY(oi.size() >= history.size() + 1);
        QCOMPARE(oi.mid(0, history.size()), history);
        for (const OpenInterestSample &o : oi.mid(history.size())) { // polled: as the server answered, valued at the mark
            const auto answered = std::find_if(rest.polled.begin(), rest.polled.end(), [&](const OpenInterestSample &p) { return p.ts == o.ts; });
            QVERIFY(answered != rest.polled.end());
            QCOMPARE(o.openInterest, answered->openInterest);
            QVERIFY(o.openInterestUsd > o.openInterest * 6 && o.openInterestUsd < o.openInterest * 8);
        }
        QVERIFY(reader->count(m_instrument, DataKind::PredictedFunding) >= 10);

        // Coverage: what REST fetched and the stream closed, complete; liquidations sampled
        // (one print per second) over what the stream listened to, and nothing before it.
        // (the server's history starts on 1 February: before it is a hole)
        const auto candleCov = reader->coverageSummary(m_instrument, DataKind::Candles, {start, end}, minute);
        QCOMPARE(candleCov.holes, (QVector<TimeRange>{{start, feb1}}));
        // Binance klines carry taker-buy volume: it is covered wherever the candles are.
        QCOMPARE(reader->coverageSummary(m_instrument, DataKind::TakerBuy, {start, end}, minute).covered, candleCov.covered);
        QVERIFY(reader->coverageSummary(m_instrument, DataKind::MarkCandles, {feb1, first}, minute).isFull());
        QVERIFY(reader->coverageSummary(m_instrument, DataKind::Funding, {start, settlement + 1}).isFull());
        QVERIFY(reader->coverageSummary(m_instrument, DataKind::OpenInterest, {history.front().ts, history.back().ts}).isFull());
        const auto liqCov = reader->coverageSummary(m_instrument, DataKind::Liquidations, {start, end});
        QCOMPARE(liqCov.quality, std::optional(CoverageQuality::Sampled));
        QCOMPARE(liqCov.finestResolutionMs, std::optional<qint64>(1000));
        QVERIFY(liqCov.covers(liqs[0].ts) && liqCov.covers(liqs[1].ts));
        QVERIFY(!liqCov.covers(start + 3'600'000)); // the backfill cannot see past liquidations
        for (const CoverageSpan &s : reader->coverage(m_instrument))
            QVERIFY2(s.origin.startsWith(QLatin1String("binance ")), qPrintable(s.origin));

        // Never above the advertised weight; Retry-After waited out; retries happened.
        QCOMPARE(rest.overLimit, 0);
        QVERIFY(rest.maxWindowWeight <= 12);
        qint64 retryAfterAt = -1, nextAt = -1;
        for (const auto &l : rest.log) {
            if (retryAfterAt < 0 && l.status == 429)
                retryAfterAt = l.realMs;
            else if (retryAfterAt >= 0) {
                nextAt = l.realMs;
                break;
            }
        }
        QVERIFY(retryAfterAt >= 0 && nextAt >= 0);
        QVERIFY2(nextAt - retryAfterAt >= 1000, qPrintable(QStringLiteral("next request after %1 ms").arg(nextAt - retryAfterAt)));
        QVERIFY(rest.countPath(QStringLiteral("/fapi/v1/fundingRate")) >= 3); // malformed, retried, settlement
        QVERIFY(ws.connections() >= 2);
        const QString all = statuses.join(QLatin1Char('\n'));
        for (const char *word : {"connecting to Binance", "backfilling", "waiting", "connected", "reconnecting in"})
            QVERIFY2(all.contains(QLatin1String(word)), qPrintable(word + QStringLiteral(" not in:\n") + all));
    }

    void bannedStopsEverythingAndSaysUntilWhen()
    {
        const qint64 now = feb1 + 12 * 3'600'000LL;
        FakeBinance::RestServer rest(now, 2400, 60'000);
        rest.data[QStringLiteral("LINKUSDT")] = m_link;
        const qint64 until = feb1 + 86'400'000; // 2023-02-02 00:00 UTC
        rest.faults = {{QStringLiteral("/fapi/v1/klines"), 418,
                        "{\"code\":-1003,\"msg\":\"Way too much request weight used; IP banned until " + QByteArray::number(until)
                            + ". Please use WebSocket Streams for live updates to avoid bans.\",\"data\":{\"serverTime\":" + QByteArray::number(now)
                            + ",\"retryAfter\":" + QByteArray::number(until) + "}}",
                        {}, 0, false}};
        FakeBinance::StreamServer ws;
        DataThread data(freshDb());
        QStringList statuses;
        connect(&data, &DataThread::sourceStatus, this, [&](const QString &s) { statuses << s; });
        QSignalSpy failed(&data, &DataThread::sourceFailed);
        QSignalSpy finished(&data, &DataThread::sourceFinished);
        data.setSource(client(rest, ws, 1, true));
        QVERIFY(failed.wait(20'000));
        const QString reason = failed.front().front().toString();
        QVERIFY2(reason.contains(QLatin1String("banned this IP address until 2023-02-02 00:00 UTC")) && reason.contains(QLatin1String("418")),
                 qPrintable(reason));
        QVERIFY(statuses.contains(QStringLiteral("banned until 2023-02-02 00:00 UTC")));
        QTRY_COMPARE(finished.size(), 1);
        const int requests = int(rest.log.size());
        QTest::qWait(300);
        QCOMPARE(int(rest.log.size()), requests); // nothing more is sent
        QCOMPARE(ws.connections(), 0);
    }

    void banEndFromRetryAfterOrMessage()
    {
        // Without data.retryAfter the ban end is the number in msg.
        const qint64 now = feb1;
        FakeBinance::RestServer rest(now, 2400, 60'000);
        rest.data[QStringLiteral("LINKUSDT")] = m_link;
        rest.faults = {{QStringLiteral("/fapi/v1/time"), 418, "{\"code\":-1003,\"msg\":\"Way too many requests; IP banned until 1675212000000.\"}", {}, 0, false}};
        FakeBinance::StreamServer ws;
        DataThread data(freshDb());
        QSignalSpy failed(&data, &DataThread::sourceFailed);
        data.setSource(client(rest, ws, 1, false));
        QVERIFY(failed.wait(20'000));
        QVERIFY2(failed.front().front().toString().contains(QLatin1String("until 2023-02-01 00:40 UTC")), qPrintable(failed.front().front().toString()));
    }

    void restrictedLocationIsReportedAsSuch()
    {
        FakeBinance::RestServer rest(feb1, 2400, 60'000);
        rest.faults = {{QStringLiteral("/fapi/v1/time"), 451,
                        "{\"code\":0,\"msg\":\"Service unavailable from a restricted location according to \047b. Eligibility\047 in "
                        "https://www.binance.com/en/terms. Please contact customer service if you believe you received this message in error.\"}",
                        {}, 0, false}};
        FakeBinance::StreamServer ws;
        DataThread data(freshDb());
        QStringList statuses;
        connect(&data, &DataThread::sourceStatus, this, [&](const QString &s) { statuses << s; });
        QSignalSpy failed(&data, &DataThread::sourceFailed);
        data.setSource(client(rest, ws, 1, true));
        QVERIFY(failed.wait(20'000));
        QVERIFY2(failed.front().front().toString().contains(QLatin1String("restricted location")), qPrintable(failed.front().front().toString()));
        QVERIFY(statuses.contains(QStringLiteral("restricted location (HTTP 451)")));
        QCOMPARE(rest.log.size(), 1); // not retried
    }

    void unknownSymbolIsRefused()
    {
        FakeBinance::RestServer rest(feb1, 2400, 60'000);
        FakeBinance::StreamServer ws;
        DataThread data(freshDb());
        QSignalSpy failed(&data, &DataThread::sourceFailed);
        data.setSource(client(rest, ws, 1, false, {}, QStringLiteral("NOSUCHUSDT")));
        QVERIFY(failed.wait(20'000));
        QVERIFY2(failed.front().front().toString().contains(QLatin1String("NOSUCHUSDT is not listed on Binance")), qPrintable(failed.front().front().toString()));
    }

    void silentStreamIsReplacedAndOldSocketsRotate()
    {
        // The first connection is accepted and then says nothing (as Binance's legacy URLs
        // do since 2026-04): the watchdog reconnects. Later the socket is replaced before its
        // maximum age with an overlapping one. Data flows throughout, each minute stored once.
        const qint64 now = feb1 + 6 * 3'600'000LL + 30'000; // 06:00:30
        FakeBinance::RestServer rest(now, 2400, 60'000);
        rest.data[QStringLiteral("LINKUSDT")] = m_link;
        FakeBinance::StreamServer ws;
        ws.silentConnections = 1;
        const QString db = freshDb();
        DataThread data(db);
        data.setSource(client(rest, ws, 0.05, true, {{QStringLiteral("silence_ms"), QStringLiteral("600")}, {QStringLiteral("max_age_ms"), QStringLiteral("1500")}}));
        QTRY_VERIFY_WITH_TIMEOUT(ws.liveConnections() >= 1, 20'000);
        QVERIFY(ws.connections() >= 2); // the silent one, then a live one
        const qint64 first = feb1 + 6 * 3'600'000LL;
        for (int k = 0; k < 12; ++k) {
            const qint64 m = first + k * minute;
            ws.push(FakeBinance::StreamServer::kline(QStringLiteral("LINKUSDT"), bar(m), false, m + 5000));
            ws.push(FakeBinance::StreamServer::kline(QStringLiteral("LINKUSDT"), bar(m), true, m + 60'100));
            QTest::qWait(200); // a few seconds in all: the rotation happens meanwhile
        }
        const int connections = ws.connections();
        QVERIFY2(connections >= 3, qPrintable(QString::number(connections))); // silent, first live, its replacement
        auto reader = MarketStore::openExisting(db).reader();
        const qint64 start = first - qint64(0.05 * 86'400'000);
        QTRY_COMPARE_WITH_TIMEOUT(reader->candles(m_instrument, Timeframe::M1, {start, first + 12 * minute}),
                                  between(m_link.candles, start, first + 12 * minute), 20'000);
        data.stopSource();
        data.sync();
    }

    void realCaptureReplays()
    {
        // The real 2021 capture (several symbols interleaved, repeated open klines, closes)
        // replayed to a client subscribed to SUSHIUSDT: the stored bars are the closed one
        // and the last snapshot of the open one.
        QFile capture(TestUtil::dataFile(QStringLiteral("binance/fstream-capture-2021-07-22.jsonl")));
        QVERIFY(capture.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = capture.readAll().trimmed().split('\n');
        std::map<qint64, Candle> expected;
        for (const QByteArray &line : lines) {
            const QJsonObject d = QJsonDocument::fromJson(line).object().value(QStringLiteral("data")).toObject();
            if (d.value(QStringLiteral("e")).toString() != QLatin1String("kline") || d.value(QStringLiteral("s")).toString() != QLatin1String("SUSHIUSDT"))
                continue;
            const QJsonObject k = d.value(QStringLiteral("k")).toObject();
            const auto n = [&k](const char *key) { return k.value(QLatin1String(key)).toString().toDouble(); };
            const qint64 t = qint64(k.value(QStringLiteral("t")).toDouble());
            expected[t] = {t, n("o"), n("h"), n("l"), n("c"), n("v"), n("q"), n("V")};
        }
        QCOMPARE(expected.size(), size_t(2));
        FakeBinance::RestServer rest(1'626'992'740'000, 2400, 60'000); // 2021-07-22 22:25:40
        rest.data[QStringLiteral("SUSHIUSDT")] = {}; // listed, no history served
        FakeBinance::StreamServer ws;
        const QString db = freshDb();
        DataThread data(db);
        data.setSource(client(rest, ws, 0.01, true, {}, QStringLiteral("SUSHIUSDT")));
        QTRY_VERIFY_WITH_TIMEOUT(ws.liveConnections() == 1, 20'000);
        for (const QByteArray &line : lines)
            ws.push(line);
        const Instrument sushi{QStringLiteral("BINANCE"), QStringLiteral("SUSHIUSDT")};
        QVector<Candle> want;
        for (const auto &[t, c] : expected)
            want << c;
        auto reader = MarketStore::openExisting(db).reader();
        QTRY_COMPARE_WITH_TIMEOUT(reader->candles(sushi, Timeframe::M1, {0, 2'000'000'000'000}), want, 20'000);
        QCOMPARE(reader->instruments().size(), 1); // the other symbols on the connection are not ours
        data.stopSource();
        data.sync();
    }

    void openInterestHistoryReachesBackThirtyDays()
    {
        const qint64 now = feb1 + 20 * 86'400'000LL + 30'000; // 2023-02-21 00:00:30
        FakeBinance::RestServer rest(now, 2400, 60'000);
        rest.data[QStringLiteral("LINKUSDT")] = m_link;
        // A month back: before the OI reach. OI history only exists for Feb 2023 here.
        FakeBinance::Dataset d = m_link;
        for (qint64 t = feb1 - 300'000, k = 1; t >= now - 40 * 86'400'000LL; t -= 300'000, ++k)
            d.openInterest.prepend({t, 22'000'000 - k * 10.5, 1.5e8});
        rest.data[QStringLiteral("LINKUSDT")] = d;
        FakeBinance::StreamServer ws;
        const QString db = freshDb();
        DataThread data(db);
        QSignalSpy finished(&data, &DataThread::sourceFinished);
        QSignalSpy progress(&data, &DataThread::progress);
        data.setSource(client(rest, ws, 35, false));
        QVERIFY(finished.wait(60'000));
        data.sync();
        QVERIFY(!progress.isEmpty());
        const qint64 end = Timeframes::floor(Timeframe::M1, now);
        const qint64 reach = now - 30 * 86'400'000LL;
        for (const auto &l : rest.log)
            if (l.path == QLatin1String("/futures/data/openInterestHist"))
                QVERIFY(l.query.queryItemValue(QStringLiteral("startTime")).toLongLong() >= reach);
        auto reader = MarketStore::openExisting(db).reader();
        const auto oi = reader->openInterest(m_instrument, {0, 4'000'000'000'000});
        QVERIFY(!oi.isEmpty() && oi.front().ts >= reach && oi.front().ts < reach + 600'000);
        QCOMPARE(oi, between(d.openInterest, oi.front().ts, end));
        QCOMPARE(reader->candles(m_instrument, Timeframe::M1, {0, 4'000'000'000'000}), between(m_link.candles, end - 35 * 86'400'000LL, end));
        QCOMPARE(reader->meta(QStringLiteral("open_interest_note.BINANCE:LINKUSDT")).contains(QLatin1String("30 days")), true);

        // Again: the store resumes where it ends. Only what lies outside the stored span is
        // asked for: before it (nothing: the history starts on Feb 1) and its last bar onwards.
        const int before = rest.countPath(QStringLiteral("/fapi/v1/klines"));
        data.setSource(client(rest, ws, 35, false));
        QVERIFY(finished.wait(60'000));
        QCOMPARE(rest.countPath(QStringLiteral("/fapi/v1/klines")) - before, 2);
    }
};

QTEST_GUILESS_MAIN(TestBinanceClient)
#include "tst_binanceclient.moc"
