#include "sources/coinbase/coinbaseadapter.h"
#include "sources/exchange/requestbudget.h"
#include "testutil.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

// Coinbase formats in and out: Advanced Trade REST requests and answers (times in UNIX
// seconds as strings, 350 candles a call, newest first), the recorded Exchange feed (whose
// match side is the maker's: checked against the ticker of the same trade), bad input
// refused with a reason.
class TestCoinbaseAdapter : public QObject
{
    Q_OBJECT

private:
    CoinbaseAdapter m_a;
    const Instrument m_btc{QStringLiteral("COINBASE"), QStringLiteral("BTC-USD")};

    static QList<QByteArray> capture()
    {
        QFile f(TestUtil::dataFile(QStringLiteral("coinbase/exchange-feed-capture-2021-04-17.jsonl")));
        if (!f.open(QIODevice::ReadOnly))
            qFatal("no capture");
        QList<QByteArray> out;
        for (const QByteArray &l : f.readAll().split('\n'))
            if (!l.trimmed().isEmpty())
                out << l.trimmed();
        return out;
    }

private slots:
    void requestsFollowTheDocs()
    {
        const qint64 from = 1'618'617'600'000; // 2021-04-17 00:00
        const RestRequest r = m_a.page(RestSeries::Candles, m_btc, from, from + 1000 * 60'000LL);
        QCOMPARE(r.path, QStringLiteral("/api/v3/brokerage/market/products/BTC-USD/candles"));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("granularity")), QStringLiteral("ONE_MINUTE"));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("start")), QString::number(from / 1000));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("end")), QString::number(from / 1000 + 350 * 60 - 1)); // seconds, one window
        QCOMPARE(r.query.queryItemValue(QStringLiteral("limit")), QStringLiteral("350"));
        QCOMPARE(r.to, from + 350 * 60'000LL);
        // Window after window until the end, whatever the answer held.
        auto next = m_a.nextPage(r, RestPage{});
        QVERIFY(next);
        QCOMPARE(next->from, from + 350 * 60'000LL);
        next = m_a.nextPage(*next, RestPage{});
        QVERIFY(next);
        QCOMPARE(next->to, from + 1000 * 60'000LL);
        QVERIFY(!m_a.nextPage(*next, RestPage{}));
        QCOMPARE(m_a.serverTime().path, QStringLiteral("/api/v3/brokerage/time"));
        const RestRequest info = m_a.exchangeInfo({m_btc, {QStringLiteral("COINBASE"), QStringLiteral("ETH-USD")}});
        QCOMPARE(info.path, QStringLiteral("/api/v3/brokerage/market/products"));
        QCOMPARE(info.query.allQueryItemValues(QStringLiteral("product_ids")), (QStringList{QStringLiteral("BTC-USD"), QStringLiteral("ETH-USD")}));
        QVERIFY(m_a.isSpot() && m_a.barsFromTrades() && !m_a.candlesCarryTakerBuy());
        QVERIFY(!m_a.serves(RestSeries::Funding) && !m_a.serves(RestSeries::OpenInterestNow) && m_a.serves(RestSeries::Candles));
        const QList<QByteArray> sub = m_a.subscribeMessages({m_btc});
        QCOMPARE(sub.size(), 1);
        QCOMPARE(sub.front(), QByteArray("{\"channels\":[\"matches\",\"heartbeat\"],\"product_ids\":[\"BTC-USD\"],\"type\":\"subscribe\"}"));
        QCOMPARE(m_a.streamUrl({m_btc}).toString(), QStringLiteral("wss://ws-feed.exchange.coinbase.com"));
    }

    void responsesParse()
    {
        RestPage t;
        QString error;
        QVERIFY(m_a.parse(m_a.serverTime(), "{\"iso\":\"2021-04-17T16:44:10.000Z\",\"epochSeconds\":\"1618677850\",\"epochMillis\":\"1618677850123\"}", &t, &error));
        QCOMPARE(t.serverTime, 1'618'677'850'123);
        RestPage info;
        QVERIFY2(m_a.parse(m_a.exchangeInfo({m_btc}),
                           "{\"products\":[{\"product_id\":\"BTC-USD\",\"status\":\"online\",\"trading_disabled\":false},"
                           "{\"product_id\":\"OLD-USD\",\"status\":\"delisted\",\"trading_disabled\":false},"
                           "{\"product_id\":\"ETH-USD\",\"status\":\"online\",\"trading_disabled\":true}],\"num_products\":3}",
                           &info, &error),
                 qPrintable(error));
        QCOMPARE(info.symbolStatus.value(QStringLiteral("BTC-USD"), QStringLiteral("absent")), QString());
        QCOMPARE(info.symbolStatus.value(QStringLiteral("OLD-USD")), QStringLiteral("not trading (status delisted)"));
        QCOMPARE(info.symbolStatus.value(QStringLiteral("ETH-USD")), QStringLiteral("trading disabled"));
        RequestBudget budget;
        m_a.applyLimits(budget, info, 1.0);
        QCOMPARE(budget.weightLimit(), 10);
        // Candles newest first, all strings; sorted oldest first, outside the window dropped.
        const RestRequest r = m_a.page(RestSeries::Candles, m_btc, 1'618'677'780'000, 1'618'677'900'000);
        RestPage p;
        QVERIFY2(m_a.parse(r,
                           "{\"candles\":[{\"start\":\"1618677840\",\"low\":\"61000.5\",\"high\":\"61100\",\"open\":\"61010\",\"close\":\"61050.25\",\"volume\":\"3.5\"},"
                           "{\"start\":\"1618677780\",\"low\":\"60990\",\"high\":\"61020\",\"open\":\"61000\",\"close\":\"61010\",\"volume\":\"1.25\"},"
                           "{\"start\":\"1618677720\",\"low\":\"60990\",\"high\":\"61020\",\"open\":\"61000\",\"close\":\"61010\",\"volume\":\"1\"}]}",
                           &p, &error),
                 qPrintable(error));
        QCOMPARE(p.candles.size(), 2);
        QCOMPARE(p.candles[0], (Candle{1'618'677'780'000, 61000, 61020, 60990, 61010, 1.25, 0, 0})); // no quote volume, no taker side
        QCOMPARE(p.candles[1].close, 61050.25);
    }

    void badResponsesAreErrorsNotData()
    {
        const RestRequest r = m_a.page(RestSeries::Candles, m_btc, 1'618'677'780'000, 1'618'677'900'000);
        const QList<QPair<QByteArray, QString>> cases = {
            {"{\"candles\":[{\"start\":\"1618677780\"", QStringLiteral("malformed JSON")},
            {"{\"error\":\"NOT_FOUND\"}", QStringLiteral("without a candles list")},
            {"{\"candles\":[{\"start\":\"1618677780\",\"low\":\"x\",\"high\":\"1\",\"open\":\"1\",\"close\":\"1\",\"volume\":\"1\"}]}",
             QStringLiteral("lacks start")},
            {"{\"candles\":[{\"start\":\"1618677781\",\"low\":\"1\",\"high\":\"1\",\"open\":\"1\",\"close\":\"1\",\"volume\":\"1\"}]}",
             QStringLiteral("impossible values")},
            {"{\"candles\":[{\"start\":\"1618677780\",\"low\":\"2\",\"high\":\"1\",\"open\":\"1\",\"close\":\"1\",\"volume\":\"1\"}]}",
             QStringLiteral("impossible values")},
            // Seconds that overflow as milliseconds (found by fuzz_coinbase_rest under UBSan).
            {"{\"candles\":[{\"start\":\"16750629675209600\",\"low\":\"1\",\"high\":\"1\",\"open\":\"1\",\"close\":\"1\",\"volume\":\"1\"}]}",
             QStringLiteral("not a time in epoch seconds")},
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
        QVERIFY(!m_a.parse(m_a.serverTime(), "{\"iso\":\"2021-04-17T16:44:10Z\"}", &p, &error));
        QVERIFY(!m_a.parse(m_a.exchangeInfo({m_btc}), "{\"num_products\":0}", &p, &error));
        QVERIFY2(error.contains(QStringLiteral("without a products list")), qPrintable(error));
        QVERIFY(m_a.parse(m_a.exchangeInfo({m_btc}), "{\"products\":[],\"num_products\":0}", &p, &error)); // none listed: an answer
        QCOMPARE(m_a.judge(429, {}, "{}", 0).kind, RestVerdict::Kind::RateLimited);
        QCOMPARE(m_a.judge(503, {}, "", 0).kind, RestVerdict::Kind::Retry);
        const RestVerdict v = m_a.judge(404, {}, "{\"error\":\"NOT_FOUND\",\"error_details\":\"ProductID is invalid\",\"message\":\"ProductID is invalid\"}", 0);
        QCOMPARE(v.kind, RestVerdict::Kind::Fatal);
        QVERIFY2(v.message.contains(QStringLiteral("ProductID is invalid")), qPrintable(v.message));
    }

    void recordedFeedParsesAndTheSideIsTheMakers()
    {
        int matches = 0, ignored = 0, checked = 0;
        QHash<qint64, bool> takerBuyById;
        QHash<qint64, QString> tickerSide;
        for (const QByteArray &line : capture()) {
            QList<StreamUpdate> u;
            QString error;
            QVERIFY2(m_a.parseStream(line, &u, &error), qPrintable(error));
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            if (o.value(QStringLiteral("type")).toString() == QLatin1String("ticker"))
                tickerSide.insert(qint64(o.value(QStringLiteral("trade_id")).toDouble()), o.value(QStringLiteral("side")).toString());
            ignored += u.isEmpty() ? 1 : 0;
            for (const StreamUpdate &x : u) {
                QCOMPARE(x.type, StreamUpdate::Type::Trade);
                QCOMPARE(x.instrument.exchange, QStringLiteral("COINBASE"));
                takerBuyById.insert(x.tradeId, x.takerBuy);
                ++matches;
            }
        }
        QCOMPARE(matches, 62); // 52 SKL-USD matches and 10 last_match
        QCOMPARE(ignored, 18); // subscriptions, tickers, l2update
        // The ticker names the taker's side for the same trade: a taker buy is match side "sell".
        for (auto it = tickerSide.cbegin(); it != tickerSide.cend(); ++it)
            if (takerBuyById.contains(it.key())) {
                QCOMPARE(takerBuyById.value(it.key()), it.value() == QLatin1String("buy"));
                ++checked;
            }
        QVERIFY2(checked >= 10, qPrintable(QString::number(checked)));
        // One recorded match field by field.
        QList<StreamUpdate> u;
        QString error;
        QVERIFY(m_a.parseStream("{\"type\":\"match\",\"trade_id\":1568268,\"maker_order_id\":\"cac01d6d-8009-4c33-8e0d-f7f853d7c1bc\","
                                "\"taker_order_id\":\"3dec64e4-f6ad-4ca8-ad3f-e5b1a0eb0d06\",\"side\":\"sell\",\"size\":\"450\",\"price\":\"0.791\","
                                "\"product_id\":\"SKL-USD\",\"sequence\":201390075,\"time\":\"2021-04-17T16:43:37.121358Z\"}",
                                &u, &error));
        QCOMPARE(u.size(), 1);
        QCOMPARE(u[0].instrument.symbol, QStringLiteral("SKL-USD"));
        QCOMPARE(u[0].eventTime, 1'618'677'817'121);
        QCOMPARE(u[0].price, 0.791);
        QCOMPARE(u[0].qty, 450.0);
        QVERIFY(u[0].takerBuy);
        QCOMPARE(u[0].tradeId, 1'568'268);
    }

    void badStreamMessagesAreRefused()
    {
        const QList<QPair<QByteArray, QString>> cases = {
            {"{\"type\":\"match\",\"trade_id\":1", QStringLiteral("malformed")},
            {"{\"type\":\"error\",\"message\":\"Failed to subscribe\",\"reason\":\"BTC-XYZ is not a valid product\"}", QStringLiteral("not a valid product")},
            {"{\"type\":\"match\",\"trade_id\":1,\"side\":\"up\",\"size\":\"1\",\"price\":\"1\",\"product_id\":\"BTC-USD\",\"time\":\"2021-04-17T16:43:37.1Z\"}",
             QStringLiteral("missing or impossible")},
            {"{\"type\":\"match\",\"trade_id\":1,\"side\":\"buy\",\"size\":\"0\",\"price\":\"1\",\"product_id\":\"BTC-USD\",\"time\":\"2021-04-17T16:43:37.1Z\"}",
             QStringLiteral("missing or impossible")},
            {"{\"type\":\"match\",\"trade_id\":1,\"side\":\"buy\",\"size\":\"1\",\"price\":\"1\",\"product_id\":\"BTC-USD\",\"time\":\"yesterday\"}",
             QStringLiteral("missing or impossible")},
        };
        for (const auto &[message, why] : cases) {
            QList<StreamUpdate> u;
            QString error;
            QVERIFY2(!m_a.parseStream(message, &u, &error), message.constData());
            QVERIFY2(error.contains(why), qPrintable(error));
            QVERIFY(u.isEmpty());
        }
        QCOMPARE(CoinbaseAdapter::isoTime(QStringLiteral("2021-04-17T16:43:37Z")), std::optional<qint64>(1'618'677'817'000));
        QCOMPARE(CoinbaseAdapter::isoTime(QStringLiteral("2021-04-17T16:43:37.5Z")), std::optional<qint64>(1'618'677'817'500));
        QCOMPARE(CoinbaseAdapter::isoTime(QStringLiteral("2023-02-09T20:19:35.39625135Z")).value_or(0) % 1000, 396);
        QVERIFY(!CoinbaseAdapter::isoTime(QStringLiteral("2021-04-17T16:43:37.12a Z")));
        QVERIFY(!CoinbaseAdapter::isoTime(QStringLiteral("2021-04-17 16:43:37")));
    }
};

QTEST_GUILESS_MAIN(TestCoinbaseAdapter)
#include "tst_coinbaseadapter.moc"
