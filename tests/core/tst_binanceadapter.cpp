#include "sources/binance/binanceadapter.h"
#include "testutil.h"

#include <QFile>

// Binance formats in and out: requests as the docs want them, responses as Binance sends
// them (numbers as strings, times as numbers, the odd string timestamp), errors judged.
class TestBinanceAdapter : public QObject
{
    Q_OBJECT

private:
    BinanceAdapter m_a;
    const Instrument m_btc{QStringLiteral("BINANCE"), QStringLiteral("BTCUSDT")};

    static QHash<QByteArray, QByteArray> headers(std::initializer_list<std::pair<const char *, const char *>> list)
    {
        QHash<QByteArray, QByteArray> h;
        for (const auto &[k, v] : list)
            h.insert(QByteArray(k).toLower(), v);
        return h;
    }

private slots:
    void requestsFollowTheDocs()
    {
        RestRequest r = m_a.page(RestSeries::Candles, m_btc, 1'616'338'800'000, 1'616'338'800'000 + 5000 * 60'000LL);
        QCOMPARE(r.path, QStringLiteral("/fapi/v1/klines"));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("interval")), QStringLiteral("1m"));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("startTime")), QStringLiteral("1616338800000"));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("endTime")), QString::number(1'616'338'800'000 + 5000 * 60'000LL - 1));
        QCOMPARE(r.limit, 1000);
        QCOMPARE(r.weight, 5);
        r = m_a.page(RestSeries::MarkCandles, m_btc, 0, 3 * 60'000); // a 3-minute gap: weight 1
        QCOMPARE(r.path, QStringLiteral("/fapi/v1/markPriceKlines"));
        QCOMPARE(r.limit, 3);
        QCOMPARE(r.weight, 1);
        for (const auto &[limit, weight] : {std::pair{1, 1}, {99, 1}, {100, 2}, {499, 2}, {500, 5}, {1000, 5}, {1001, 10}, {1500, 10}})
            QCOMPARE(BinanceAdapter::klineWeight(limit), weight);
        r = m_a.page(RestSeries::OpenInterestHistory, m_btc, 0, 100LL * 86'400'000);
        QCOMPARE(r.path, QStringLiteral("/futures/data/openInterestHist"));
        QCOMPARE(r.to, 500 * 300'000LL); // one window of 500 five-minute rows
        QCOMPARE(r.query.queryItemValue(QStringLiteral("period")), QStringLiteral("5m"));
        QCOMPARE(r.bucket, QStringLiteral("openInterestHist"));
        QCOMPARE(m_a.page(RestSeries::Funding, m_btc, 0, 1).bucket, QStringLiteral("funding"));
        QCOMPARE(m_a.historyReachMs(RestSeries::OpenInterestHistory), 30 * 86'400'000LL - 300'000);
    }

    void streamUrlUsesTheRoutedMarketPath()
    {
        const QUrl u = m_a.streamUrl({m_btc, {QStringLiteral("BINANCE"), QStringLiteral("ETHUSDT")}});
        QCOMPARE(u.toString(), QStringLiteral("wss://fstream.binance.com/market/stream?streams=btcusdt@kline_1m/btcusdt@markPrice@1s/"
                                              "btcusdt@forceOrder/ethusdt@kline_1m/ethusdt@markPrice@1s/ethusdt@forceOrder"));
        BinanceAdapter local(BinanceAdapter::Urls{QUrl(QStringLiteral("http://127.0.0.1:9")), QUrl(QStringLiteral("ws://127.0.0.1:8"))});
        QCOMPARE(local.streamUrl({m_btc}).toString(), QStringLiteral("ws://127.0.0.1:8/market/stream?streams=btcusdt@kline_1m/btcusdt@markPrice@1s/btcusdt@forceOrder"));
    }

    void responsesParse()
    {
        RestPage p;
        QString error;
        // The documented kline row (5m in the docs; the parser only reads the columns).
        QVERIFY(m_a.parse(m_a.page(RestSeries::Candles, m_btc, 0, 1), "[[1616338800000,\"57212.69\",\"57315.00\",\"57196.19\",\"57300.00\",\"496.263\",1616339099999,\"28425514.78940\",7160,\"273.108\",\"15642623.69718\",\"0\"]]",
                          &p, &error));
        QCOMPARE(p.candles.size(), 1);
        QCOMPARE(p.candles[0], (Candle{1'616'338'800'000, 57212.69, 57315.00, 57196.19, 57300.00, 496.263, 28425514.78940, 273.108}));
        p = {};
        QVERIFY(m_a.parse(m_a.page(RestSeries::Funding, m_btc, 0, 1),
                          "[{\"symbol\":\"BTCUSDT\",\"fundingRate\":\"-0.03750000\",\"fundingTime\":1570608000002,\"markPrice\":\"34287.54619963\"},"
                          "{\"symbol\":\"BTCUSDT\",\"fundingRate\":\"0.00010000\",\"fundingTime\":1570622400001,\"markPrice\":\"\"}]",
                          &p, &error));
        QCOMPARE(p.funding.size(), 2);
        QCOMPARE(p.funding[0], (FundingSample{1'570'608'000'000, -0.0375, 4})); // snapped; 4 h apart
        QCOMPARE(p.funding[1].ts, 1'570'622'400'000);
        p = {};
        QVERIFY(m_a.parse(m_a.page(RestSeries::OpenInterestHistory, m_btc, 0, 1),
                          "[{\"symbol\":\"BTCUSDT\",\"sumOpenInterest\":\"20403.63700000\",\"sumOpenInterestValue\":\"150570784.07809979\",\"CMCCirculatingSupply\":\"165880.538\",\"timestamp\":\"1583127900000\"},"
                          "{\"symbol\":\"BTCUSDT\",\"sumOpenInterest\":\"20401.36700000\",\"sumOpenInterestValue\":\"149940752.14464448\",\"timestamp\":1583128200000}]",
                          &p, &error));
        QCOMPARE(p.openInterest.size(), 2); // string and number timestamps both accepted
        QCOMPARE(p.openInterest[0], (OpenInterestSample{1'583'127'900'000, 20403.637, 150570784.07809979}));
        p = {};
        QVERIFY(m_a.parse(m_a.page(RestSeries::OpenInterestNow, m_btc, 0, 0), "{\"openInterest\":\"10659.509\",\"symbol\":\"BTCUSDT\",\"time\":1589437530011}", &p, &error));
        QCOMPARE(p.openInterest[0].openInterest, 10659.509);
        p = {};
        QVERIFY(m_a.parse(m_a.serverTime(), "{\"serverTime\":1499827319559}", &p, &error));
        QCOMPARE(p.serverTime, 1'499'827'319'559);
    }

    void realExchangeInfo()
    {
        QFile f(TestUtil::dataFile(QStringLiteral("binance/fapi-exchangeInfo-2021-07-21-slice.json")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        RestPage p;
        QString error;
        QVERIFY2(m_a.parse(m_a.exchangeInfo(), f.readAll(), &p, &error), qPrintable(error));
        QCOMPARE(p.weightLimit, 2400);
        QCOMPARE(p.weightWindowMs, 60'000);
        QCOMPARE(p.symbolStatus.value(QStringLiteral("BTCUSDT")), QString()); // tradable
        QVERIFY(p.symbolStatus.contains(QStringLiteral("LINKUSDT")));
    }

    void badResponsesAreErrorsNotData()
    {
        RestPage p;
        QString error;
        const RestRequest k = m_a.page(RestSeries::Candles, m_btc, 0, 60'000);
        for (const char *body : {"", "[[1616338800000,\"57212.69\"", "<html>502 Bad Gateway</html>", "{\"code\":-1121,\"msg\":\"Invalid symbol.\"}",
                                 "[[1616338800000,\"abc\",\"1\",\"1\",\"1\",\"1\",1,\"1\",1,\"1\",\"1\",\"0\"]]",
                                 "[[1616338800001,\"1\",\"1\",\"1\",\"1\",\"1\",1,\"1\",1,\"1\",\"1\",\"0\"]]", "[[1,2]]"}) {
            error.clear();
            QVERIFY2(!m_a.parse(k, body, &p, &error), body);
            QVERIFY(!error.isEmpty());
        }
    }

    void statusCodesAreJudged()
    {
        const qint64 now = 1'659'142'907'531;
        auto v = m_a.judge(200, headers({{"X-MBX-USED-WEIGHT-1M", "37"}}), "[]", now);
        QCOMPARE(v.kind, RestVerdict::Kind::Ok);
        QCOMPARE(*m_a.usedWeight(headers({{"X-MBX-USED-WEIGHT-1M", "37"}})), 37);
        QVERIFY(!m_a.usedWeight(headers({{"Content-Type", "application/json"}})).has_value());

        v = m_a.judge(429, headers({{"Retry-After", "7"}}), "{\"code\":-1003,\"msg\":\"Too many requests.\"}", now);
        QCOMPARE(v.kind, RestVerdict::Kind::RateLimited);
        QCOMPARE(v.retryAfterMs, 7000);
        QVERIFY(v.message.contains(QLatin1String("Too many requests")));
        QCOMPARE(m_a.judge(429, {}, "", now).retryAfterMs, 0);

        // 418: Retry-After first, then data.retryAfter, then the number in msg.
        const QByteArray ban = "{\"code\":-1003,\"msg\":\"Way too much request weight used; IP banned until 1659146400000.\",\"data\":{\"serverTime\":1659142907531,\"retryAfter\":1659146400000}}";
        QCOMPARE(m_a.judge(418, headers({{"Retry-After", "120"}}), ban, now).bannedUntilMs, now + 120'000);
        QCOMPARE(m_a.judge(418, {}, ban, now).bannedUntilMs, 1'659'146'400'000);
        QCOMPARE(m_a.judge(418, {}, "{\"code\":-1003,\"msg\":\"IP banned until 1659146400001.\"}", now).bannedUntilMs, 1'659'146'400'001);
        QCOMPARE(m_a.judge(418, {}, "<html>teapot</html>", now).bannedUntilMs, 0);
        QCOMPARE(m_a.judge(418, {}, ban, now).kind, RestVerdict::Kind::Banned);

        QCOMPARE(m_a.judge(451, {}, "{\"code\":0,\"msg\":\"Service unavailable from a restricted location\"}", now).kind, RestVerdict::Kind::Restricted);
        QCOMPARE(m_a.judge(500, {}, "<html>oops</html>", now).kind, RestVerdict::Kind::Retry);
        QCOMPARE(m_a.judge(503, {}, "{\"code\":-1008,\"msg\":\"Request throttled by system-level protection.\"}", now).kind, RestVerdict::Kind::Retry);
        QCOMPARE(m_a.judge(408, {}, "", now).kind, RestVerdict::Kind::Retry);
        const auto waf = m_a.judge(403, {}, "", now);
        QCOMPARE(waf.kind, RestVerdict::Kind::RateLimited);
        QVERIFY(waf.retryAfterMs >= 120'000);
        QCOMPARE(m_a.judge(400, {}, "{\"code\":-1121,\"msg\":\"Invalid symbol.\"}", now).kind, RestVerdict::Kind::Fatal);
    }

    void realStreamMessagesParse()
    {
        QFile f(TestUtil::dataFile(QStringLiteral("binance/fstream-capture-2021-07-22.jsonl")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        int klines = 0, closed = 0, lines = 0;
        for (const QByteArray &line : f.readAll().trimmed().split('\n')) {
            QList<StreamUpdate> updates;
            QString error;
            QVERIFY2(m_a.parseStream(line, &updates, &error), qPrintable(error));
            ++lines;
            for (const StreamUpdate &u : updates) {
                QCOMPARE(u.type, StreamUpdate::Type::Candle); // aggTrade is not used
                QCOMPARE(u.instrument.exchange, QStringLiteral("BINANCE"));
                ++klines;
                closed += u.closed ? 1 : 0;
            }
        }
        QCOMPARE(lines, 158);
        QCOMPARE(klines, 67);
        QCOMPARE(closed, 4);
        QList<StreamUpdate> u;
        QString error;
        QVERIFY(m_a.parseStream("{\"stream\":\"sushiusdt@kline_1m\",\"data\":{\"e\":\"kline\",\"E\":1626992760203,\"s\":\"SUSHIUSDT\",\"k\":{\"t\":1626992700000,\"T\":1626992759999,\"s\":\"SUSHIUSDT\",\"i\":\"1m\",\"f\":126902874,\"L\":126902986,\"o\":\"7.6080\",\"c\":\"7.6170\",\"h\":\"7.6180\",\"l\":\"7.6070\",\"v\":\"3005\",\"n\":113,\"x\":true,\"q\":\"22875.8590\",\"V\":\"1900\",\"Q\":\"14464.6960\",\"B\":\"0\"}}}",
                                &u, &error));
        QCOMPARE(u.front().candle, (Candle{1'626'992'700'000, 7.608, 7.618, 7.607, 7.617, 3005, 22875.859, 1900}));
        QVERIFY(u.front().closed);
    }

    void liquidationSideIsThePositionSide()
    {
        QList<StreamUpdate> u;
        QString error;
        QVERIFY(m_a.parseStream("{\"stream\":\"btcusdt@forceOrder\",\"data\":{\"e\":\"forceOrder\",\"E\":1568014460893,\"o\":{\"s\":\"BTCUSDT\",\"S\":\"SELL\",\"o\":\"LIMIT\",\"f\":\"IOC\",\"q\":\"0.014\",\"p\":\"9910\",\"ap\":\"9910\",\"X\":\"FILLED\",\"l\":\"0.014\",\"z\":\"0.014\",\"T\":1568014460893}}}",
                                &u, &error));
        QCOMPARE(u.front().liquidation, (Liquidation{1'568'014'460'893, 0, Liquidation::Side::Long, 9910, 0.014, true})); // SELL order = long liquidated
        u.clear();
        QVERIFY(m_a.parseStream("{\"e\":\"forceOrder\",\"E\":1,\"o\":{\"s\":\"BTCUSDT\",\"S\":\"BUY\",\"q\":\"2\",\"p\":\"100\",\"ap\":\"0\",\"z\":\"0\",\"T\":1568014460000}}", &u, &error));
        QCOMPARE(u.front().liquidation.side, Liquidation::Side::Short);
        QCOMPARE(u.front().liquidation.price, 100.0); // no average price yet: the order price
        QCOMPARE(u.front().liquidation.qty, 2.0);
        QCOMPARE(m_a.liquidationCoverage(), CoverageQuality::Sampled);
    }

    void markPriceAndAcks()
    {
        QList<StreamUpdate> u;
        QString error;
        QVERIFY(m_a.parseStream("{\"e\":\"markPriceUpdate\",\"E\":1562305380000,\"s\":\"BTCUSDT\",\"p\":\"11794.15000000\",\"i\":\"11784.62659091\",\"P\":\"11784.25641265\",\"r\":\"0.00038167\",\"T\":1562306400000}",
                                &u, &error));
        QCOMPARE(u.front().type, StreamUpdate::Type::MarkPrice);
        QCOMPARE(u.front().markPrice, 11794.15);
        QCOMPARE(u.front().fundingRate, 0.00038167);
        QCOMPARE(u.front().nextFundingTime, 1'562'306'400'000);
        u.clear();
        QVERIFY(m_a.parseStream("{\"result\":null,\"id\":1}", &u, &error));
        QVERIFY(u.isEmpty());
        for (const char *bad : {"{\"stream\":\"x\",\"data\":{\"e\":\"kline\",\"E\":1,\"s\":\"X\",\"k\":{\"i\":\"1m\",\"t\":1}}}", "{\"stream\":", "[1,2"})
            QVERIFY2(!m_a.parseStream(bad, &u, &error), bad);
    }
};

QTEST_GUILESS_MAIN(TestBinanceAdapter)
#include "tst_binanceadapter.moc"
