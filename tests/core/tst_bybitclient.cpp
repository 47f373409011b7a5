#include "analysis/rangeanalysis.h"
#include "analysis/rangefigures.h"
#include "fakebybit.h"
#include "importfixtures.h"
#include "storage/csvexporter.h"
#include "sources/datasource.h"
#include "sources/datathread.h"
#include "sources/sourcefactory.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "testutil.h"
#include "testzip.h"

#include <QBuffer>
#include <QFile>

#include <memory>

// The Bybit v5 linear client against loopback servers in Bybit's formats: a REST backfill
// through the retCode error envelope (10006 with its reset time, 10016), a 502, a body cut
// in half, lists newest first, open interest paged by cursor, under the IP limit; then the
// real recorded socket messages replayed, with allLiquidation prints, a dropped socket, a
// silent one (no acknowledgement, no pong), duplicates and an out-of-order snapshot. The store
// must end holding exactly what the servers served.
class TestBybitClient : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    FakeBybit::Dataset m_link; // the real LINKUSDT 2023-02 klines in Bybit's shapes, hand-made mark, funding, OI
    const Instrument m_instrument{QStringLiteral("BYBIT"), QStringLiteral("LINKUSDT")};
    static constexpr qint64 feb1 = 1'675'209'600'000;
    static constexpr qint64 minute = 60'000;
    static constexpr qint64 hour = 3'600'000;
    int m_db = 0;

    QString freshDb()
    {
        const QString path = m_dir.filePath(QStringLiteral("y%1.db").arg(++m_db));
        MarketStore::open(path);
        return path;
    }

    static DataSource *client(const QString &rest, const QString &ws, const QString &symbol, double days, bool live,
                              QMap<QString, QString> extra = {})
    {
        SourceOptions o;
        o.source = QStringLiteral("bybit");
        o.instrument = {QStringLiteral("BYBIT"), symbol};
        o.days = days;
        o.live = live;
        o.extra = {{QStringLiteral("rest_url"), rest},         {QStringLiteral("ws_url"), ws},
                   {QStringLiteral("batch_ms"), QStringLiteral("50")}, {QStringLiteral("oi_poll_ms"), QStringLiteral("1000")},
                   {QStringLiteral("timeout_ms"), QStringLiteral("700")}, {QStringLiteral("backoff_ms"), QStringLiteral("50")},
                   {QStringLiteral("backoff_cap_ms"), QStringLiteral("400")}, {QStringLiteral("silence_ms"), QStringLiteral("1500")},
                   {QStringLiteral("reconnect_ms"), QStringLiteral("50")}, {QStringLiteral("reconnect_cap_ms"), QStringLiteral("200")},
                   {QStringLiteral("heartbeat_ms"), QStringLiteral("300")}};
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

    static QList<QByteArray> capture()
    {
        QFile f(TestUtil::dataFile(QStringLiteral("bybit/v5-public-linear-capture-2026-08-09.jsonl")));
        if (!f.open(QIODevice::ReadOnly))
            qFatal("no capture");
        QList<QByteArray> out;
        for (const QByteArray &line : f.readAll().split('\n'))
            if (!line.trimmed().isEmpty())
                out << line.trimmed();
        return out;
    }

    static QVector<Candle> noTakerVolume(QVector<Candle> bars)
    {
        for (Candle &c : bars)
            c.takerBuyVolume = 0; // Bybit klines carry none
        return bars;
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
                           f[7].toDouble(), 0};
            m_link.candles << c;
            m_link.mark << Candle{c.ts, c.open * 1.0003, c.high * 1.0003, c.low * 1.0003, c.close * 1.0003, 0, 0, 0};
        }
        QCOMPARE(m_link.candles.size(), 40'320);
        // Hand-written: settlements every 8 h until 2 Feb 08:00, then every hour (Bybit shortens
        // the interval of a symbol whose rate hits the cap); 5-minute open interest.
        int i = 0;
        for (qint64 t = feb1; t < feb1 + 28 * 86'400'000LL; t += t < feb1 + 32 * hour ? 8 * hour : hour, ++i)
            m_link.funding << FakeBybit::Funding{t, QByteArray::number(((i % 9) - 4) * 0.0000125, 'f', 8)};
        for (qint64 t = feb1, k = 0; t < feb1 + 28 * 86'400'000LL; t += 300'000, ++k)
            m_link.openInterest << FakeBybit::OpenInterest{t, 1'500'000 + k * 10.5};
    }

    void backfillThroughTheErrorEnvelope()
    {
        const qint64 now = feb1 + 11 * 86'400'000LL + 12 * hour + 30'000; // 12 Feb 12:00:30
        FakeBybit::RestServer rest(now);
        rest.data[QStringLiteral("LINKUSDT")] = m_link;
        rest.faults = {
            {QStringLiteral("/v5/market/kline"), 200, FakeBybit::envelope(10006, "Too many visits!", "{}", now),
             {{"X-Bapi-Limit-Reset-Timestamp", QByteArray::number(now + 800)}}},
            {QStringLiteral("/v5/market/mark-price-kline"), 200, FakeBybit::envelope(10016, "Server error, service is restarting", "null", now), {}},
            {QStringLiteral("/v5/market/funding/history"), 502, "<html><body>502 Bad Gateway</body></html>", {}},
            {QStringLiteral("/v5/market/open-interest"), 200, FakeBybit::envelope(0, "OK", QByteArray("{\"category\":\"linear\",\"list\":[{\"openInt"), now), {}},
        };
        const QString db = freshDb();
        DataThread data(db);
        QStringList statuses;
        connect(&data, &DataThread::sourceStatus, this, [&](const QString &s) { statuses << s; });
        QSignalSpy failed(&data, &DataThread::sourceFailed);
        QSignalSpy finished(&data, &DataThread::sourceFinished);
        data.setSource(client(rest.url(), QStringLiteral("ws://127.0.0.1:9"), QStringLiteral("LINKUSDT"), 11.5, false));
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 120'000);
        data.sync();
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.front().front().toString()));

        const qint64 end = Timeframes::floor(Timeframe::M1, now);
        const qint64 start = end - qint64(11.5 * 86'400'000);
        auto reader = MarketStore::openExisting(db).reader();
        QCOMPARE(reader->candles(m_instrument, Timeframe::M1, {start, end}), between(m_link.candles, start, end));
        QCOMPARE(reader->count(m_instrument, DataKind::Candles), between(m_link.candles, start, end).size());
        QCOMPARE(reader->markCandles(m_instrument, Timeframe::M1, {start, end}), between(m_link.mark, start, end));
        // Funding as served, each with the interval it settled after (8 h, then 1 h).
        QVector<FundingSample> funding;
        for (qsizetype k = 0; k < m_link.funding.size(); ++k) {
            const auto &f = m_link.funding[k];
            if (f.time >= start && f.time < end)
                funding << FundingSample{f.time, f.rate.toDouble(), k > 0 && f.time - m_link.funding[k - 1].time == hour ? 1 : 8};
        }
        QVERIFY(funding.size() > 200); // more than one page, walked newest first
        QCOMPARE(reader->funding(m_instrument, {start, end}), funding);
        QVERIFY(reader->coverageSummary(m_instrument, DataKind::Funding, {start, end}).isFull());
        // Open interest: one side in coins, in USD at the open of its minute.
        const auto oi = reader->openInterest(m_instrument, {start, end});
        QCOMPARE(oi.size(), (end - start) / 300'000); // every 5-minute row of the window
        for (const OpenInterestSample &o : oi) {
            const auto &served = m_link.openInterest[(o.ts - feb1) / 300'000];
            QCOMPARE(o.openInterest, served.single);
            QCOMPARE(o.openInterestUsd, served.single * m_link.candles[(o.ts - feb1) / minute].open);
        }
        QVERIFY(reader->coverageSummary(m_instrument, DataKind::OpenInterest, {start, end - 300'000}).isFull());
        QVERIFY(rest.countPath(QStringLiteral("/v5/market/open-interest")) > 3); // pages by cursor
        bool cursorSent = false;
        for (const auto &l : rest.log)
            cursorSent = cursorSent || l.query.hasQueryItem(QStringLiteral("cursor"));
        QVERIFY(cursorSent);
        QCOMPARE(reader->liquidationFeed(m_instrument), QStringLiteral("full"));
        QVERIFY(reader->meta(QStringLiteral("taker_buy_note.BYBIT:LINKUSDT")).contains(QLatin1String("no taker-buy volume")));
        for (const CoverageSpan &s : reader->coverage(m_instrument))
            QVERIFY2(s.origin.startsWith(QLatin1String("bybit ")), qPrintable(s.origin));
        // Under the IP limit; the envelope's errors waited out and retried.
        QCOMPARE(rest.overLimit, 0);
        QVERIFY(rest.maxWindowCount <= 600);
        QVERIFY(rest.countPath(QStringLiteral("/v5/market/mark-price-kline")) >= 4);
        const QString all = statuses.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QLatin1String("Too many visits")), qPrintable(all));
        QVERIFY2(all.contains(QLatin1String("backfill complete")), qPrintable(all));
    }

    // The registry row's coverage and venue are what the source it creates reports.
    void registryRowsSayWhatTheSourcesDo()
    {
        for (const SourceFactory::Entry &e : SourceFactory::entries()) {
            SourceOptions o;
            o.source = e.name;
            o.days = 1;
            QString error;
            std::unique_ptr<DataSource> s(SourceFactory::create(o, &error));
            QVERIFY2(s, qPrintable(e.name + QStringLiteral(": ") + error));
            QCOMPARE(s->liquidationCoverage(), e.liquidations);
            if (!e.exchange.isEmpty())
                QCOMPARE(s->instruments().front().exchange, e.exchange);
        }
        QCOMPARE(SourceFactory::defaultExchange(QStringLiteral("bybit")), QStringLiteral("BYBIT"));
        QCOMPARE(SourceFactory::label(QStringLiteral("bybit")), QStringLiteral("Bybit USDT perpetual (live)"));
    }

    // Regression: Bybit klines carry no taker-buy volume, yet the stored 0 read as "every
    // taker sold" (CVD = -volume in the analysis, 0 in export csv). Now no taker_buy coverage
    // is recorded for these bars: the analysis says unknown, export csv leaves the field
    // empty, and importing that CSV back keeps it unknown.
    void takerBuyIsUnknownNotZero()
    {
        const qint64 now = feb1 + 2 * 86'400'000LL + 30'000;
        FakeBybit::RestServer rest(now);
        rest.data[QStringLiteral("LINKUSDT")] = m_link;
        const QString db = freshDb();
        {
            DataThread data(db);
            QSignalSpy failed(&data, &DataThread::sourceFailed);
            QSignalSpy finished(&data, &DataThread::sourceFinished);
            data.setSource(client(rest.url(), QStringLiteral("ws://127.0.0.1:9"), QStringLiteral("LINKUSDT"), 0.25, false));
            QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 60'000);
            data.sync();
            QVERIFY(failed.isEmpty());
        }
        const qint64 end = Timeframes::floor(Timeframe::M1, now);
        const TimeRange range{end - 6 * hour, end};
        auto reader = MarketStore::openExisting(db).reader();
        QCOMPARE(reader->count(m_instrument, DataKind::Candles), 360);
        QVERIFY(reader->coverageSummary(m_instrument, DataKind::Candles, range).isFull());
        QVERIFY(reader->coverageSummary(m_instrument, DataKind::TakerBuy, range).isNone());

        RangeAnalysis analysis(*reader);
        analysis.setTrailingThresholds(false);
        const RangeAnalysis::Result r = analysis.analyze(m_instrument, range);
        QVERIFY(!r.cvdCoins);
        QVERIFY(!r.cvdUsd);
        QVERIFY(!r.takerBuyShare);
        QVERIFY(r.coverage.takerBuy.isNone());
        const QJsonObject json = r.toJson();
        QVERIFY(json.value(QStringLiteral("taker_buy_share")).isNull());
        QVERIFY(json.value(QStringLiteral("cvd_coins")).isNull());
        QCOMPARE(json.value(QStringLiteral("coverage")).toObject().value(QStringLiteral("taker_buy")).toObject().value(QStringLiteral("covered_share")).toDouble(-1), 0.0);
        QVERIFY2(RangeFigures::takerFlow(r).startsWith(QLatin1String("unknown")), qPrintable(RangeFigures::takerFlow(r)));
        for (const QString &reason : r.reasons)
            QVERIFY2(!reason.contains(QLatin1String("taker flow (perp CVD)")), qPrintable(reason));

        QBuffer csv;
        csv.open(QIODevice::WriteOnly);
        QCOMPARE(CsvExporter(*reader).write({QStringLiteral("candles"), m_instrument, range, Timeframe::M1}, csv), 360);
        const QList<QByteArray> lines = csv.data().trimmed().split('\n');
        QCOMPARE(lines.size(), 361);
        for (qsizetype k = 1; k < lines.size(); ++k) {
            const QList<QByteArray> f = lines[k].split(',');
            QCOMPARE(f.size(), 8);
            QVERIFY2(f[7].isEmpty(), lines[k].constData()); // taker_buy_volume: unknown
        }

        // The CSV imports back as it was: the same bars, taker buys still unknown.
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("BYBIT_LINKUSDT-candles.csv"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(csv.data());
        out.close();
        const QString again = freshDb();
        ImportFormat::Hints hints;
        hints.instrument = m_instrument;
        const ImportSummary s = ImportFixtures::importInto(again, {file}, hints);
        QVERIFY2(s.failedFiles() == 0 && s.rejected() == 0, qPrintable(s.text()));
        auto back = MarketStore::openExisting(again).reader();
        QCOMPARE(back->candles(m_instrument, Timeframe::M1, range), reader->candles(m_instrument, Timeframe::M1, range));
        QVERIFY(back->coverageSummary(m_instrument, DataKind::Candles, range).isFull());
        QVERIFY(back->coverageSummary(m_instrument, DataKind::TakerBuy, range).isNone());
    }

    void anUnknownSymbolAndARefusedRequestFail()
    {
        FakeBybit::RestServer rest(feb1 + 86'400'000LL);
        rest.data[QStringLiteral("LINKUSDT")] = m_link;
        DataThread data(freshDb());
        QSignalSpy failed(&data, &DataThread::sourceFailed);
        data.setSource(client(rest.url(), QStringLiteral("ws://127.0.0.1:9"), QStringLiteral("NOPEUSDT"), 1, false));
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 20'000);
        QVERIFY2(failed.front().front().toString().contains(QLatin1String("NOPEUSDT is not listed on Bybit")), qPrintable(failed.front().front().toString()));
    }

    void liveReplaysTheRecordedStreamThroughFaults()
    {
        const QList<QByteArray> recorded = capture();
        constexpr qint64 bar = 1'786'310'760'000; // closes in the capture at 1786310820xxx
        // REST: hand-made BTCUSDT bars before the capture, and the recorded bar itself.
        FakeBybit::Dataset btc;
        std::mt19937_64 rng(7);
        btc.candles = noTakerVolume(TestUtil::randomBars(rng, bar - 60 * minute, 60, 65'000));
        const Candle recordedClose{bar, 65119.9, 65119.9, 65114.2, 65114.2, 3.712, 241712.1394, 0};
        btc.candles << recordedClose;
        btc.mark = btc.candles;
        btc.funding << FakeBybit::Funding{bar - 4 * hour - 60 * minute, "0.0001"};
        FakeBybit::RestServer rest(1'786'310'817'000);
        rest.data[QStringLiteral("BTCUSDT")] = btc;
        FakeBybit::StreamServer ws;
        const QString db = freshDb();
        DataThread data(db);
        QSignalSpy failed(&data, &DataThread::sourceFailed);
        data.setSource(client(rest.url(), ws.url(), QStringLiteral("BTCUSDT"), 0.02, true));
        QTRY_VERIFY_WITH_TIMEOUT(ws.subscribedConnections() == 1, 30'000);
        QCOMPARE(ws.urls.front().path(), QStringLiteral("/v5/public/linear"));
        QVERIFY2(ws.received.front().contains(QLatin1String(R"("args":["kline.1.BTCUSDT","tickers.BTCUSDT","allLiquidation.BTCUSDT"])")),
                 qPrintable(ws.received.front()));

        // The recording, as received (the server pushes only what was subscribed: BTCUSDT).
        int pushed = 0;
        for (const QByteArray &m : recorded) {
            if (!m.contains("\"topic\""))
                continue;
            ws.push(m);
            if (m.contains("kline.1.BTCUSDT") && ++pushed == 3)
                ws.push(m); // a duplicate
            if (m.contains(R"("confirm":true)") && m.contains("kline.1.BTCUSDT")) {
                // Out of order: an old snapshot of the closed bar after its close.
                ws.push(FakeBybit::StreamServer::kline(QStringLiteral("BTCUSDT"), {{{bar, 65119.9, 65119.9, 65114.2, 65114.3, 1.5, 97000, 0}, false}},
                                                       1'786'310'818'440));
            }
        }
        ws.push(FakeBybit::StreamServer::liquidation(QStringLiteral("BTCUSDT"), 1'786'310'830'123, "Buy", 64990.5, 0.25));
        const QByteArray shortLiq = FakeBybit::StreamServer::liquidation(QStringLiteral("BTCUSDT"), 1'786'310'840'456, "Sell", 65230.1, 1.5);
        ws.push(shortLiq);
        ws.push(shortLiq); // repeated: stored once
        QTRY_VERIFY_WITH_TIMEOUT(ws.pings() >= 2, 10'000); // {"op":"ping"} at the configured interval
        auto reader = MarketStore::openExisting(db).reader();
        const Instrument i{QStringLiteral("BYBIT"), QStringLiteral("BTCUSDT")};
        QTRY_VERIFY_WITH_TIMEOUT(reader->liquidations(i, {bar, bar + 10 * minute}).size() == 2, 10'000);

        // The socket drops; the next one never answers (no acknowledgement, no pong, no data):
        // the watchdog replaces it, and the third subscribes again.
        ws.silentConnections = 1;
        ws.dropAll();
        QTRY_VERIFY_WITH_TIMEOUT(ws.connections() >= 3 && ws.subscribedConnections() == 1, 20'000);
        data.stopSource();
        data.sync();
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.front().front().toString()));

        // The recorded close, exactly: neither the duplicate nor the late snapshot undid it.
        const auto bars = reader->candles(i, Timeframe::M1, {bar, bar + minute});
        QCOMPARE(bars.size(), 1);
        QCOMPARE(bars.front(), recordedClose);
        QCOMPARE(reader->candles(i, Timeframe::M1, {bar - 28 * minute, bar}), between(btc.candles, bar - 28 * minute, bar));
        const auto liqs = reader->liquidations(i, {bar, bar + 10 * minute});
        QCOMPARE(liqs.size(), 2);
        QCOMPARE(liqs[0], (Liquidation{1'786'310'830'123, Liquidation::contentSeq(Liquidation::Side::Long, 64990.5, 0.25, 0), Liquidation::Side::Long, 64990.5, 0.25, true}));
        QCOMPARE(liqs[1], (Liquidation{1'786'310'840'456, Liquidation::contentSeq(Liquidation::Side::Short, 65230.1, 1.5, 0), Liquidation::Side::Short, 65230.1, 1.5, true}));
        const auto liqCov = reader->coverageSummary(i, DataKind::Liquidations, {bar, bar + 2 * minute});
        QCOMPARE(liqCov.quality, std::optional(CoverageQuality::Complete));
        QCOMPARE(liqCov.finestResolutionMs, std::optional<qint64>(0)); // every event
        QVERIFY(liqCov.covers(liqs[0].ts) && liqCov.covers(liqs[1].ts));
        // The recorded tickers: predicted funding at the recorded rate.
        const auto predicted = reader->predictedFunding(i, {bar - hour, bar + hour});
        QVERIFY(!predicted.isEmpty());
        QCOMPARE(predicted.back().rate, 0.0001);
        QVERIFY(rest.countPath(QStringLiteral("/v5/market/tickers")) >= 1); // open interest polled
        QVERIFY(ws.connections() >= 3);
    }
};

QTEST_GUILESS_MAIN(TestBybitClient)
#include "tst_bybitclient.moc"
