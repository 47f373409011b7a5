#include "domain/spotmarket.h"
#include "fakecoinbase.h"
#include "sources/datasource.h"
#include "sources/datathread.h"
#include "sources/sourcefactory.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "testutil.h"

#include <QFile>

// The coinbase source against loopback servers: a short Advanced Trade REST backfill (taker
// buy unknown there), then live on the Exchange feed with the recorded SKL-USD matches
// replayed and a few hand-written ones after them. A minute heard only in part (the first
// after connecting, or one with a trade id skipped) comes over REST; a minute whose every
// print was heard is built from the prints, with taker-buy volume (maker side "sell" = a
// taker buy) and TakerBuy coverage.
class TestCoinbaseClient : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QVector<Candle> m_rest; // the real LINKUSDT 2023-02-01 klines moved to 2021-04-17 and scaled to SKL's price
    const Instrument m_skl{QStringLiteral("COINBASE"), QStringLiteral("SKL-USD")};
    static constexpr qint64 apr17 = 1'618'617'600'000;
    static constexpr qint64 minute = 60'000;
    static constexpr qint64 m1644 = apr17 + (16 * 60 + 44) * minute;

    QVector<Candle> restBetween(qint64 from, qint64 to) const
    {
        QVector<Candle> out;
        for (const Candle &c : m_rest)
            if (c.ts >= from && c.ts < to)
                out << Candle{c.ts, c.open, c.high, c.low, c.close, c.volume, 0, 0}; // as Coinbase gives them
        return out;
    }

    static QString iso(qint64 ms) { return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs); }

private slots:
    void initTestCase()
    {
        QFile csv(TestUtil::dataFile(QStringLiteral("binance/LINKUSDT-1m-2023-02-01.csv")));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const qint64 shift = apr17 - 1'675'209'600'000;
        for (const QByteArray &line : csv.readAll().split('\n')) {
            const auto f = line.trimmed().split(',');
            if (f.size() != 12 || !std::isdigit(uchar(f[0][0])))
                continue;
            const double k = 0.113;
            m_rest << Candle{f[0].toLongLong() + shift, f[1].toDouble() * k, f[2].toDouble() * k, f[3].toDouble() * k, f[4].toDouble() * k,
                             f[5].toDouble(), 0, 0};
        }
        QCOMPARE(m_rest.size(), 1440);
    }

    void backfillThenBarsFromTheMatches()
    {
        FakeCoinbase::RestServer rest(m1644 + 10'000); // 16:44:10, just after the recording's last match
        rest.candles[m_skl.symbol] = m_rest;
        rest.servesFuture = true; // the minutes after 16:44 are asked once the test's prints closed them
        FakeCoinbase::StreamServer ws;
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("c.db"));
        MarketStore::open(db);
        DataThread data(db);
        QSignalSpy failed(&data, &DataThread::sourceFailed);
        SourceOptions o;
        o.source = QStringLiteral("coinbase");
        o.instrument = Instrument::parse(m_skl.symbol, SourceFactory::defaultExchange(o.source));
        o.days = 0.2; // 288 minutes: two REST windows of 350 minutes at most
        o.live = true;
        o.extra = {{QStringLiteral("rest_url"), rest.url()}, {QStringLiteral("ws_url"), ws.url()}, {QStringLiteral("batch_ms"), QStringLiteral("50")},
                   {QStringLiteral("reconnect_ms"), QStringLiteral("50")}};
        QString error;
        DataSource *source = SourceFactory::create(o, &error);
        QVERIFY2(source, qPrintable(error));
        data.setSource(source);
        QTRY_VERIFY_WITH_TIMEOUT(ws.subscribed() == 1, 30'000);
        QCOMPARE(ws.received.front(), QStringLiteral("{\"channels\":[\"matches\",\"heartbeat\"],\"product_ids\":[\"SKL-USD\"],\"type\":\"subscribe\"}"));

        // The recording: last_match replays, 16:43 (already final from REST) and 16:44 (the
        // first minute heard: partial) prints of SKL-USD, other products and message types.
        QFile f(TestUtil::dataFile(QStringLiteral("coinbase/exchange-feed-capture-2021-04-17.jsonl")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        for (const QByteArray &line : f.readAll().split('\n'))
            if (!line.trimmed().isEmpty())
                ws.push(line.trimmed());
        // Then every print of 16:45 (ids follow the recording's last, 1568319), a print of
        // 16:46, a skipped id inside 16:46, and a print of 16:47.
        const qint64 m1645 = m1644 + minute, m1646 = m1645 + minute;
        ws.push(FakeCoinbase::StreamServer::match(m_skl.symbol, 1'568'320, "sell", 100, 0.792, iso(m1645 + 1'250))); // taker buy
        ws.push(FakeCoinbase::StreamServer::match(m_skl.symbol, 1'568'321, "buy", 40.5, 0.795, iso(m1645 + 20'000)));  // taker sell
        ws.push(FakeCoinbase::StreamServer::match(m_skl.symbol, 1'568'322, "sell", 10, 0.79, iso(m1645 + 59'999)));    // taker buy
        ws.push(FakeCoinbase::StreamServer::match(m_skl.symbol, 1'568'323, "buy", 7, 0.791, iso(m1646 + 5'000)));
        ws.push(FakeCoinbase::StreamServer::match(m_skl.symbol, 1'568'326, "buy", 7, 0.791, iso(m1646 + 9'000))); // 1568324-5 missed
        ws.push(FakeCoinbase::StreamServer::match(m_skl.symbol, 1'568'327, "sell", 1, 0.793, iso(m1646 + minute + 1'000)));

        auto reader = MarketStore::openExisting(db).reader();
        const Candle built{m1645, 0.792, 0.795, 0.79, 0.79, 150.5, 100 * 0.792 + 40.5 * 0.795 + 10 * 0.79, 110};
        QTRY_VERIFY_WITH_TIMEOUT(reader->candles(m_skl, Timeframe::M1, {m1646, m1646 + minute}) == restBetween(m1646, m1646 + minute), 15'000);
        QTRY_VERIFY_WITH_TIMEOUT(reader->candles(m_skl, Timeframe::M1, {m1644, m1644 + minute}) == restBetween(m1644, m1644 + minute), 15'000);
        data.stopSource();
        data.sync();
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.front().front().toString()));

        // The backfill: REST bars, taker buy unknown (no coverage), not zero.
        const qint64 start = m1644 - qint64(0.2 * 86'400'000);
        QCOMPARE(reader->candles(m_skl, Timeframe::M1, {start, m1644}), restBetween(start, m1644));
        QVERIFY(reader->coverageSummary(m_skl, DataKind::Candles, {start, m1644}).isFull());
        QVERIFY(reader->coverageSummary(m_skl, DataKind::TakerBuy, {start, m1645}).isNone());
        // 16:45, every print heard: built from them, taker buys from the maker side "sell".
        const auto bars = reader->candles(m_skl, Timeframe::M1, {m1645, m1645 + minute});
        QCOMPARE(bars.size(), 1);
        QCOMPARE(bars[0].ts, built.ts);
        QCOMPARE(bars[0].open, built.open);
        QCOMPARE(bars[0].high, built.high);
        QCOMPARE(bars[0].low, built.low);
        QCOMPARE(bars[0].close, built.close);
        QCOMPARE(bars[0].volume, built.volume);
        QVERIFY(qAbs(bars[0].quoteVolume - built.quoteVolume) < 1e-9);
        QCOMPARE(bars[0].takerBuyVolume, built.takerBuyVolume);
        QVERIFY(reader->coverageSummary(m_skl, DataKind::TakerBuy, {m1645, m1645 + minute}).isFull());
        // 16:46 lost prints (an id skipped): the REST bar, taker buy unknown again.
        QVERIFY(reader->coverageSummary(m_skl, DataKind::TakerBuy, {m1646, m1646 + minute}).isNone());
        QVERIFY(reader->coverageSummary(m_skl, DataKind::Candles, {m1646, m1646 + minute}).isFull());
        // Only what a spot market has was asked; no liquidation coverage (not applicable).
        QCOMPARE(rest.countPath(QStringLiteral("/api/v3/brokerage/market/products/SKL-USD/candles")) >= 3, true);
        for (const auto &l : rest.log)
            QVERIFY2(l.path.startsWith(QLatin1String("/api/v3/brokerage/")), qPrintable(l.path));
        QCOMPARE(reader->liquidationFeed(m_skl), SpotMarket::notApplicable());
        QVERIFY(reader->coverageSummary(m_skl, DataKind::Liquidations, {start, m1647()}).isNone());
        QVERIFY(reader->meta(QStringLiteral("taker_buy_note.COINBASE:SKL-USD")).contains(QLatin1String("maker")));
    }

    void anUnknownProductFails()
    {
        FakeCoinbase::RestServer rest(m1644);
        rest.candles[m_skl.symbol] = m_rest;
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("u.db"));
        MarketStore::open(db);
        DataThread data(db);
        QSignalSpy failed(&data, &DataThread::sourceFailed);
        SourceOptions o;
        o.source = QStringLiteral("coinbase");
        o.instrument = {QStringLiteral("COINBASE"), QStringLiteral("NOPE-USD")};
        o.days = 0.01;
        o.extra = {{QStringLiteral("rest_url"), rest.url()}};
        QString error;
        data.setSource(SourceFactory::create(o, &error));
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 20'000);
        QVERIFY2(failed.front().front().toString().contains(QLatin1String("NOPE-USD is not listed on Coinbase")), qPrintable(failed.front().front().toString()));
    }

private:
    static constexpr qint64 m1647() { return m1644 + 3 * minute; }
};

QTEST_GUILESS_MAIN(TestCoinbaseClient)
#include "tst_coinbaseclient.moc"
