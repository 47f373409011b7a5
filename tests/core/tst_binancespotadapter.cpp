#include "domain/spotmarket.h"
#include "domain/underlying.h"
#include "sources/binancespot/binancespotadapter.h"
#include "sources/exchange/requestbudget.h"
#include "testutil.h"

#include <QFile>

// Binance spot formats in and out (research/data-formats-2.md §D.1-D.2): /api/v3 requests
// (1000 bars of weight 2), the real 2021 exchangeInfo and combined-stream messages, bad
// input refused with a reason, and the series a spot market does not have never asked for.
class TestBinanceSpotAdapter : public QObject
{
    Q_OBJECT

private:
    BinanceSpotAdapter m_a;
    const Instrument m_btc{QStringLiteral("BINANCE_SPOT"), QStringLiteral("BTCUSDT")};

    static QByteArray read(const QString &name)
    {
        QFile f(TestUtil::dataFile(name));
        if (!f.open(QIODevice::ReadOnly))
            qFatal("cannot read %s", qPrintable(name));
        return f.readAll();
    }

private slots:
    void requestsFollowTheDocs()
    {
        const qint64 from = 1'633'996'800'000;
        RestRequest r = m_a.page(RestSeries::Candles, m_btc, from, from + 5000 * 60'000LL);
        QCOMPARE(r.path, QStringLiteral("/api/v3/klines"));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("symbol")), QStringLiteral("BTCUSDT"));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("interval")), QStringLiteral("1m"));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("startTime")), QString::number(from));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("endTime")), QString::number(from + 5000 * 60'000LL - 1));
        QCOMPARE(r.limit, 1000); // spot's maximum, not USDⓈ-M's 1500
        QCOMPARE(r.weight, 2);
        QCOMPARE(m_a.page(RestSeries::Candles, m_btc, from, from + 3 * 60'000).limit, 3);
        QCOMPARE(m_a.page(RestSeries::Candles, m_btc, from, from + 3 * 60'000).weight, 2);
        QCOMPARE(m_a.serverTime().path, QStringLiteral("/api/v3/time"));
        const RestRequest info = m_a.exchangeInfo({m_btc, {QStringLiteral("BINANCE_SPOT"), QStringLiteral("ETHUSDT")}});
        QCOMPARE(info.path, QStringLiteral("/api/v3/exchangeInfo"));
        QCOMPARE(info.query.queryItemValue(QStringLiteral("symbols")), QStringLiteral("[\"BTCUSDT\",\"ETHUSDT\"]"));

        // Pagination: a full page goes on from its last bar, a short one ends the window.
        RestPage full;
        for (int i = 0; i < 1000; ++i)
            full.candles << Candle{from + i * 60'000LL, 1, 1, 1, 1, 0, 0, 0};
        const auto next = m_a.nextPage(r, full);
        QVERIFY(next);
        QCOMPARE(next->from, from + 1000 * 60'000LL);
        QCOMPARE(next->path, QStringLiteral("/api/v3/klines"));
        full.candles.resize(10);
        QVERIFY(!m_a.nextPage(r, full));
    }

    void aSpotMarketHasOnlyCandles()
    {
        QVERIFY(m_a.isSpot());
        QCOMPARE(m_a.exchange(), QStringLiteral("BINANCE_SPOT"));
        for (RestSeries s : {RestSeries::ServerTime, RestSeries::ExchangeInfo, RestSeries::Candles})
            QVERIFY(m_a.serves(s));
        for (RestSeries s : {RestSeries::MarkCandles, RestSeries::Funding, RestSeries::OpenInterestHistory, RestSeries::OpenInterestNow,
                             RestSeries::MarginTiers})
            QVERIFY(!m_a.serves(s));
        QVERIFY(m_a.candlesCarryTakerBuy());
        QVERIFY(!m_a.barsFromTrades()); // the kline stream carries the bars
        QVERIFY(m_a.liquidationFeedNote().contains(SpotMarket::notApplicable()));
        QVERIFY(SpotMarket::isSpot(m_btc));
        QVERIFY(!SpotMarket::applies(m_btc, DataKind::OpenInterest));
        QVERIFY(!SpotMarket::applies(m_btc, DataKind::Liquidations));
        QVERIFY(SpotMarket::applies(m_btc, DataKind::TakerBuy));
        QVERIFY(SpotMarket::applies({QStringLiteral("BINANCE"), QStringLiteral("BTCUSDT")}, DataKind::Funding));
        // Tied to its perpetuals by the underlying (domain/underlying.h).
        QCOMPARE(Underlying::of(m_btc), Underlying::of({QStringLiteral("OKX"), QStringLiteral("BTC-USDT-SWAP")}));
    }

    void streamUrlIsTheCombinedStream()
    {
        QCOMPARE(m_a.streamUrl({m_btc}).toString(),
                 QStringLiteral("wss://stream.binance.com:9443/stream?streams=btcusdt@kline_1m/btcusdt@aggTrade"));
        BinanceSpotAdapter local(BinanceAdapter::Urls{QUrl(QStringLiteral("http://127.0.0.1:9")), QUrl(QStringLiteral("ws://127.0.0.1:8"))});
        QCOMPARE(local.restBase().toString(), QStringLiteral("http://127.0.0.1:9"));
        QCOMPARE(local.streamUrl({m_btc, {QStringLiteral("BINANCE_SPOT"), QStringLiteral("NKNUSDT")}}).toString(),
                 QStringLiteral("ws://127.0.0.1:8/stream?streams=btcusdt@kline_1m/btcusdt@aggTrade/nknusdt@kline_1m/nknusdt@aggTrade"));
    }

    void realExchangeInfo()
    {
        RestPage p;
        QString error;
        QVERIFY2(m_a.parse(m_a.exchangeInfo({m_btc}), read(QStringLiteral("binance-spot/api-v3-exchangeInfo-2021-10-12-slice.json")), &p, &error),
                 qPrintable(error));
        QCOMPARE(p.weightLimit, 1200); // what Binance said in 2021 (6000 since 2023-08)
        QCOMPARE(p.weightWindowMs, 60'000);
        QCOMPARE(p.symbolStatus.value(QStringLiteral("BTCUSDT"), QStringLiteral("absent")), QString());
        QCOMPARE(p.symbolStatus.value(QStringLiteral("NKNUSDT"), QStringLiteral("absent")), QString());
        QCOMPARE(p.symbolStatus.value(QStringLiteral("BCCBTC")), QStringLiteral("not trading (status BREAK)"));
        RequestBudget budget;
        m_a.applyLimits(budget, p, 0.8);
        QCOMPARE(budget.weightLimit(), 1200);
    }

    void klinesParse()
    {
        // The documented example row (§D.1), 12 fields, numbers as strings.
        const QByteArray body = "[[1499040000000,\"0.01634790\",\"0.80000000\",\"0.01575800\",\"0.01577100\",\"148976.11427815\",1499644799999,"
                                "\"2434.19055334\",308,\"1756.87402397\",\"28.46694368\",\"0\"]]";
        RestPage p;
        QString error;
        QVERIFY2(m_a.parse(m_a.page(RestSeries::Candles, m_btc, 0, 60'000), body, &p, &error), qPrintable(error));
        QCOMPARE(p.candles.size(), 1);
        QCOMPARE(p.candles[0].ts, 1'499'040'000'000);
        QCOMPARE(p.candles[0].high, 0.8);
        QCOMPARE(p.candles[0].volume, 148976.11427815);
        QCOMPARE(p.candles[0].quoteVolume, 2434.19055334);
        QCOMPARE(p.candles[0].takerBuyVolume, 1756.87402397);
    }

    void badResponsesAreErrorsNotData()
    {
        const RestRequest r = m_a.page(RestSeries::Candles, m_btc, 0, 60'000);
        const QList<QPair<QByteArray, QString>> cases = {
            {"[[1499040000000,\"0.0163\"", QStringLiteral("malformed JSON")},
            {"{\"code\":-1121,\"msg\":\"Invalid symbol.\"}", QStringLiteral("expected a JSON array")},
            {"[[1499040000000,\"x\",\"1\",\"1\",\"1\",\"1\",1499040059999,\"1\",1,\"1\",\"1\",\"0\"]]", QStringLiteral("not a number")},
            {"[[1499040000001,\"1\",\"1\",\"1\",\"1\",\"1\",1499040059999,\"1\",1,\"1\",\"1\",\"0\"]]", QStringLiteral("impossible values")},
            {"[[1499040000000,\"1\",\"1\"]]", QStringLiteral("fields, expected 12")},
        };
        for (const auto &[body, why] : cases) {
            RestPage p;
            QString error;
            QVERIFY2(!m_a.parse(r, body, &p, &error), body.constData());
            QVERIFY2(error.contains(why), qPrintable(error));
            QVERIFY(p.candles.isEmpty());
        }
        RestPage p;
        QString error;
        QVERIFY(!m_a.parse(m_a.exchangeInfo({m_btc}), "{\"rateLimits\":[],\"symbols\":[]}", &p, &error));
        QVERIFY2(error.contains(QStringLiteral("lists no symbols")), qPrintable(error));
        // The envelope is USDⓈ-M's: 429 with Retry-After, 418 a ban.
        const RestVerdict v = m_a.judge(429, {{"retry-after", "7"}}, "{\"code\":-1003,\"msg\":\"Too much request weight used\"}", 0);
        QCOMPARE(v.kind, RestVerdict::Kind::RateLimited);
        QCOMPARE(v.retryAfterMs, 7000);
        QCOMPARE(m_a.usedWeight({{"x-mbx-used-weight-1m", "42"}}), std::optional<int>(42));
    }

    void realStreamMessagesParse()
    {
        const QList<QByteArray> lines = read(QStringLiteral("binance-spot/stream-capture-2021-10-12.jsonl")).split('\n');
        int klines = 0, trades = 0, ignored = 0;
        QList<StreamUpdate> all;
        for (const QByteArray &line : lines) {
            if (line.trimmed().isEmpty())
                continue;
            QList<StreamUpdate> u;
            QString error;
            QVERIFY2(m_a.parseStream(line, &u, &error), qPrintable(error + QStringLiteral(": ") + QString::fromUtf8(line.left(120))));
            ignored += u.isEmpty() ? 1 : 0;
            for (const StreamUpdate &x : u) {
                klines += x.type == StreamUpdate::Type::Candle ? 1 : 0;
                trades += x.type == StreamUpdate::Type::Trade ? 1 : 0;
                QCOMPARE(x.instrument.exchange, QStringLiteral("BINANCE_SPOT"));
                all << x;
            }
        }
        QCOMPARE(klines, 2);
        QCOMPARE(trades, 2);
        QCOMPARE(ignored, 6); // bookTicker and depth: nothing for the store
        // NKNUSDT's open bar and its last print; LRCBTC's minute is one taker buy of 177, so
        // the kline's taker-buy volume is the trade's quantity.
        const StreamUpdate &nknTrade = all[0];
        QCOMPARE(nknTrade.type, StreamUpdate::Type::Trade);
        QCOMPARE(nknTrade.instrument.symbol, QStringLiteral("NKNUSDT"));
        QCOMPARE(nknTrade.price, 0.3528);
        QCOMPARE(nknTrade.qty, 58.0);
        QVERIFY(nknTrade.takerBuy); // m:false, the buyer took
        QCOMPARE(nknTrade.eventTime, 1'633'998'523'963);
        const StreamUpdate &nknBar = all[1];
        QCOMPARE(nknBar.type, StreamUpdate::Type::Candle);
        QCOMPARE(nknBar.candle.ts, 1'633'998'480'000);
        QCOMPARE(nknBar.candle.volume, 25877.0);
        QCOMPARE(nknBar.candle.takerBuyVolume, 58.0);
        QVERIFY(!nknBar.closed);
        const StreamUpdate &lrcBar = all[2], &lrcTrade = all[3];
        QCOMPARE(lrcBar.instrument.symbol, QStringLiteral("LRCBTC"));
        QCOMPARE(lrcBar.candle.takerBuyVolume, lrcTrade.qty);
        QCOMPARE(lrcBar.candle.volume, lrcTrade.qty);
        QCOMPARE(lrcBar.candle.close, 0.00000638);
    }

    void badStreamMessagesAreRefused()
    {
        const QList<QPair<QByteArray, QString>> cases = {
            {"{\"stream\":\"btcusdt@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":1,\"s\":\"BTCUSDT\"", QStringLiteral("malformed")},
            {"[1,2]", QStringLiteral("not an object")},
            {"{\"stream\":\"btcusdt@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"s\":\"BTCUSDT\",\"a\":1,\"p\":\"-1\",\"q\":\"1\",\"T\":1633998523963,\"m\":false}}",
             QStringLiteral("aggTrade message")},
            {"{\"stream\":\"btcusdt@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"s\":\"BTCUSDT\",\"a\":1,\"p\":\"1\",\"q\":\"1\",\"T\":1633998523963,\"m\":\"no\"}}",
             QStringLiteral("aggTrade message")},
            {"{\"stream\":\"btcusdt@kline_1m\",\"data\":{\"e\":\"kline\",\"s\":\"BTCUSDT\",\"k\":{\"t\":1633998480000,\"i\":\"1m\",\"o\":\"1\"}}}",
             QStringLiteral("kline message")},
        };
        for (const auto &[message, why] : cases) {
            QList<StreamUpdate> u;
            QString error;
            QVERIFY2(!m_a.parseStream(message, &u, &error), message.constData());
            QVERIFY2(error.contains(why), qPrintable(error));
            QVERIFY(u.isEmpty());
        }
        QList<StreamUpdate> u;
        QString error;
        QVERIFY(m_a.parseStream("{\"result\":null,\"id\":1}", &u, &error));
        QVERIFY(m_a.parseStream("{\"e\":\"serverShutdown\",\"E\":1633998523963}", &u, &error));
        QVERIFY(u.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestBinanceSpotAdapter)
#include "tst_binancespotadapter.moc"
