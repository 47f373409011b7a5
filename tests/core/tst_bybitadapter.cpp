#include "sources/bybit/bybitadapter.h"
#include "sources/exchange/requestbudget.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "storage/storewriter.h"
#include "testutil.h"

#include <QFile>
#include <QTemporaryDir>

// Bybit v5 linear formats in and out: requests as the docs want them (start/end for klines,
// startTime with endTime for funding, intervalTime and a cursor for open interest), answers
// newest first in the retCode envelope, errors that come as HTTP 200, and the real recorded
// socket messages (tests/data/bybit): kline.1 with the closing and the new bar in one
// message, tickers deltas that carry only what changed, subscribe acknowledgements.
class TestBybitAdapter : public QObject
{
    Q_OBJECT

private:
    BybitAdapter m_a;
    const Instrument m_btc{QStringLiteral("BYBIT"), QStringLiteral("BTCUSDT")};
    static constexpr qint64 minute = 60'000;
    static constexpr qint64 t0 = 1'786'310'760'000; // the capture's first full minute

    static QHash<QByteArray, QByteArray> headers(std::initializer_list<std::pair<const char *, const char *>> list)
    {
        QHash<QByteArray, QByteArray> h;
        for (const auto &[k, v] : list)
            h.insert(QByteArray(k).toLower(), v);
        return h;
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

private slots:
    void requestsFollowTheDocs()
    {
        RestRequest r = m_a.page(RestSeries::Candles, m_btc, t0, t0 + 2500 * minute);
        QCOMPARE(r.path, QStringLiteral("/v5/market/kline"));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("category")), QStringLiteral("linear"));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("interval")), QStringLiteral("1"));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("start")), QString::number(t0));
        // An exact window of 1000 minutes: a newest-first page then holds all of it.
        QCOMPARE(r.query.queryItemValue(QStringLiteral("end")), QString::number(t0 + 1000 * minute - 1));
        QCOMPARE(r.to, t0 + 1000 * minute);
        QCOMPARE(r.end, t0 + 2500 * minute);
        const auto second = m_a.nextPage(r, {});
        QVERIFY(second);
        QCOMPARE(second->from, t0 + 1000 * minute);
        const auto third = m_a.nextPage(*second, {});
        QVERIFY(third);
        QCOMPARE(third->to, t0 + 2500 * minute);
        QCOMPARE(third->limit, 500);
        QVERIFY(!m_a.nextPage(*third, {}));
        QCOMPARE(m_a.page(RestSeries::MarkCandles, m_btc, t0, t0 + 3 * minute).path, QStringLiteral("/v5/market/mark-price-kline"));

        r = m_a.page(RestSeries::Funding, m_btc, t0, t0 + 400 * 3'600'000LL);
        QCOMPARE(r.path, QStringLiteral("/v5/market/funding/history"));
        QVERIFY(r.query.hasQueryItem(QStringLiteral("endTime"))); // startTime alone is an error on Bybit
        QCOMPARE(r.limit, 200);
        r = m_a.page(RestSeries::OpenInterestHistory, m_btc, t0, t0 + 86'400'000);
        QCOMPARE(r.path, QStringLiteral("/v5/market/open-interest"));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("intervalTime")), QStringLiteral("5min"));
        QCOMPARE(m_a.exchangeInfo({m_btc}).query.queryItemValue(QStringLiteral("symbol")), QStringLiteral("BTCUSDT"));
        QCOMPARE(m_a.historyReachMs(RestSeries::OpenInterestHistory), 0); // back to listing

        RequestBudget budget;
        m_a.applyLimits(budget, {}, 0.8);
        QCOMPARE(budget.weightLimit(), 600); // per 5 s (the budget stops at the safety share of it)
        QCOMPARE(budget.windowMs(), 5'000);
    }

    void newestFirstListsComeBackOldestFirst()
    {
        const RestRequest r = m_a.page(RestSeries::Candles, m_btc, t0 - 2 * minute, t0 + minute);
        const QByteArray body = R"({"retCode":0,"retMsg":"OK","result":{"symbol":"BTCUSDT","category":"linear","list":[)"
                                R"(["1786310760000","65119.9","65119.9","65114.2","65114.2","3.712","241712.1394"],)"
                                R"(["1786310700000","65100","65120.5","65099.1","65119.9","10.5","683500.25"],)"
                                R"(["1786310640000","65090","65101","65080","65100","2","130180"]]},"retExtInfo":{},"time":1786310820441})";
        RestPage p;
        QString error;
        QVERIFY2(m_a.parse(r, body, &p, &error), qPrintable(error));
        QCOMPARE(p.candles.size(), 3);
        QCOMPARE(p.candles.front().ts, t0 - 2 * minute);
        QCOMPARE(p.candles.back().ts, t0);
        QCOMPARE(p.candles.back().close, 65114.2);
        QCOMPARE(p.candles.back().quoteVolume, 241712.1394);

        // Funding: newest first; a full page walks backwards from its oldest row.
        RestRequest f = m_a.page(RestSeries::Funding, m_btc, 0, t0);
        QByteArray list;
        for (int i = 0; i < 200; ++i)
            list += (i ? "," : "") + QByteArray(R"({"symbol":"BTCUSDT","fundingRate":"0.0001","fundingRateTimestamp":")")
                  + QByteArray::number(t0 - 40 * minute - i * 8 * 3'600'000LL) + "\"}";
        RestPage fp;
        QVERIFY2(m_a.parse(f, R"({"retCode":0,"retMsg":"OK","result":{"category":"linear","list":[)" + list + "]},\"time\":1}", &fp, &error), qPrintable(error));
        QCOMPARE(fp.funding.size(), 200);
        // The oldest row of a cut page has no predecessor here: 0 (the next page, which
        // holds it again with the settlement before it, gives its interval).
        QCOMPARE(fp.funding.front().intervalHours, 0);
        QCOMPARE(fp.funding[1].intervalHours, 8);
        QVERIFY(fp.funding.front().ts < fp.funding.back().ts);
        const auto back = m_a.nextPage(f, fp);
        QVERIFY(back);
        QCOMPARE(back->to, fp.funding.front().ts + 1);
        QCOMPARE(back->from, 0);
        QCOMPARE(m_a.fundingCovered(f, fp), (TimeRange{fp.funding.front().ts, t0}));

        // Open interest: one side in coins (USD valued later), paged by cursor.
        const RestRequest o = m_a.page(RestSeries::OpenInterestHistory, m_btc, t0 - 86'400'000, t0);
        RestPage op;
        QVERIFY2(m_a.parse(o, R"({"retCode":0,"retMsg":"OK","result":{"symbol":"BTCUSDT","category":"linear","list":[)"
                              R"({"openInterest":"59891.732","singleOpenInterest":"29945.866","timestamp":"1786310700000"},)"
                              R"({"openInterest":"59000","timestamp":"1786310400000"}],)"
                              R"("nextPageCursor":"lastid%3D19408935%26lasttime%3D1786310400"},"retExtInfo":{},"time":1786310820441})",
                         &op, &error),
                 qPrintable(error));
        QCOMPARE(op.openInterest.size(), 2);
        QCOMPARE(op.openInterest.front().openInterest, 29'500.0); // no single: half of both sides
        QCOMPARE(op.openInterest.back().openInterest, 29'945.866);
        QVERIFY(std::isnan(op.openInterest.back().openInterestUsd));
        const auto more = m_a.nextPage(o, op);
        QVERIFY(more);
        QCOMPARE(more->cursor, QStringLiteral("lastid%3D19408935%26lasttime%3D1786310400"));
        op.nextCursor.clear();
        QVERIFY(!m_a.nextPage(o, op));
    }

    void errorsComeInTheEnvelope()
    {
        const qint64 now = t0;
        const auto judge = [&](int status, const QByteArray &body, QHash<QByteArray, QByteArray> h = {}) { return m_a.judge(status, h, body, now); };
        QCOMPARE(judge(200, R"({"retCode":0,"retMsg":"OK","result":{},"time":1})").kind, RestVerdict::Kind::Ok);
        RestVerdict v = judge(200, R"({"retCode":10006,"retMsg":"Too many visits!","result":{},"time":1})",
                              headers({{"X-Bapi-Limit-Reset-Timestamp", "1786310763500"}}));
        QCOMPARE(v.kind, RestVerdict::Kind::RateLimited);
        QCOMPARE(v.retryAfterMs, 3'500);
        QVERIFY2(v.message.contains(QLatin1String("Too many visits")), qPrintable(v.message));
        QCOMPARE(judge(200, R"({"retCode":10006,"retMsg":"Too many visits!","result":{}})").retryAfterMs, 2'000); // no header: pybit's 2 s
        QCOMPARE(judge(200, R"({"retCode":10016,"retMsg":"service restarting","result":null})").kind, RestVerdict::Kind::Retry);
        v = judge(200, R"({"retCode":10001,"retMsg":"params error: symbol invalid","result":{}})");
        QCOMPARE(v.kind, RestVerdict::Kind::Fatal);
        QVERIFY(v.message.contains(QLatin1String("symbol invalid")));
        v = judge(403, "<html>access too frequent</html>");
        QCOMPARE(v.kind, RestVerdict::Kind::RateLimited);
        QVERIFY(v.retryAfterMs >= 600'000); // wait >= 10 minutes
        QCOMPARE(judge(403, "<HTML>The Amazon CloudFront distribution is configured to block access from your country.</HTML>").kind,
                 RestVerdict::Kind::Restricted);
        QCOMPARE(judge(502, "").kind, RestVerdict::Kind::Retry);
        QCOMPARE(judge(404, "").kind, RestVerdict::Kind::Fatal);
        // A 200 with retCode != 0 never parses as data.
        RestPage p;
        QString error;
        QVERIFY(!m_a.parse(m_a.serverTime(), R"({"retCode":10016,"retMsg":"restarting","result":null,"time":1})", &p, &error));
        QVERIFY(m_a.parse(m_a.serverTime(), R"({"retCode":0,"retMsg":"OK","result":{"timeSecond":"1786310820","timeNano":"1786310820441000000"},"time":1786310820441})", &p, &error));
        QCOMPARE(p.serverTime, 1'786'310'820'441);
    }

    static QByteArray riskLimits()
    {
        QFile f(TestUtil::dataFile(QStringLiteral("bybit/risk-limit-BTCUSDT-handwritten.json")));
        if (!f.open(QIODevice::ReadOnly))
            qFatal("no risk-limit fixture");
        return f.readAll().trimmed();
    }

    // Parses a risk-limit body; the error (empty on success).
    QString parseTiers(const QByteArray &body, QVector<MarginTier> *tiers)
    {
        const auto request = m_a.marginTiers(m_btc);
        RestPage p;
        QString error;
        const bool ok = m_a.parse(*request, body, &p, &error);
        *tiers = p.marginTiers;
        return ok ? QString() : (error.isEmpty() ? QStringLiteral("failed without a message") : error);
    }

    void riskLimitTiersParse()
    {
        const auto request = m_a.marginTiers(m_btc);
        QVERIFY(request);
        QCOMPARE(request->path, QStringLiteral("/v5/market/risk-limit"));
        QCOMPARE(request->query.queryItemValue(QStringLiteral("category")), QStringLiteral("linear"));
        QCOMPARE(request->query.queryItemValue(QStringLiteral("symbol")), QStringLiteral("BTCUSDT"));
        QVERIFY(!m_a.nextPage(*request, {})); // one symbol: one page
        QVector<MarginTier> tiers;
        QCOMPARE(parseTiers(riskLimits(), &tiers), QString());
        QCOMPARE(tiers.size(), 4);
        const double caps[] = {2'000'000, 2'600'000, 3'200'000, 3'800'000}, mmrs[] = {0.005, 0.0056, 0.0062, 0.0068};
        for (int k = 0; k < 4; ++k) {
            QCOMPARE(tiers[k].tier, k + 1);
            QCOMPARE(tiers[k].floor, k ? caps[k - 1] : 0.0);
            QCOMPARE(tiers[k].cap, caps[k]);
            QCOMPARE(tiers[k].mmr, mmrs[k]);
            QCOMPARE(tiers[k].fetchedMs, 1'796'284'800'123); // the envelope's time
        }
        QVERIFY(!tiers[0].hasCum()); // mmDeduction "": derived by the reader
        QCOMPARE(tiers[1].cum, 1200.0);
        QCOMPARE(tiers[3].cum, 4680.0);
        QCOMPARE(tiers[2].maxLeverage, 75.75);
        // The rows in any order, and rates as percent strings (the documentation's example):
        // the same schedule.
        QByteArray percent = riskLimits();
        for (const char *v : {"0.005\"", "0.0056\"", "0.0062\"", "0.0068\""})
            percent.replace(QByteArray("\"maintenanceMargin\":\"") + v, QByteArray("\"maintenanceMargin\":\"")
                                                                             + QByteArray::number(QByteArray(v).chopped(1).toDouble() * 100) + '"');
        for (const char *v : {"0.01\"", "0.0116\"", "0.0132\"", "0.0148\""})
            percent.replace(QByteArray("\"initialMargin\":\"") + v, QByteArray("\"initialMargin\":\"")
                                                                         + QByteArray::number(QByteArray(v).chopped(1).toDouble() * 100) + '"');
        QVERIFY2(percent.contains("\"maintenanceMargin\":\"0.56\""), percent.constData());
        QVector<MarginTier> fromPercent;
        QCOMPARE(parseTiers(percent, &fromPercent), QString());
        QCOMPARE(fromPercent.size(), 4);
        for (int k = 0; k < 4; ++k)
            QVERIFY(std::abs(fromPercent[k].mmr - mmrs[k]) < 1e-12);
    }

    void badRiskLimitsAreRefusedSayingWhy()
    {
        QVector<MarginTier> tiers;
        const auto refused = [&](const QByteArray &body, const char *expected) {
            const QString error = parseTiers(body, &tiers);
            if (!error.contains(QLatin1String(expected)))
                qWarning("%s", qPrintable(error));
            return error.contains(QLatin1String(expected));
        };
        // The error envelope (judge() calls it fatal; parse() never reads it as data).
        QVERIFY(refused("{\"retCode\":10001,\"retMsg\":\"params error: symbol invalid\",\"result\":{},\"time\":1}", "symbol invalid"));
        QVERIFY(refused("{\"retCode\":0,\"retMsg\":\"OK\",\"result\":{},\"time\":1}", "without result.list"));
        QVERIFY(refused("{\"retCode\":0,\"retMsg\":\"OK\",\"result\":{\"list\":[]},\"time\":1}", "no tiers for BTCUSDT"));
        QByteArray body = riskLimits();
        QVERIFY(refused(QByteArray(body).replace("\"riskLimitValue\":\"2600000\",", ""), "row 2: field riskLimitValue is missing"));
        QVERIFY(refused(QByteArray(body).replace("\"maintenanceMargin\":\"0.0062\"", "\"maintenanceMargin\":\"abc\""),
                        "row 3: field maintenanceMargin is \"abc\", expected a number"));
        QVERIFY(refused(QByteArray(body).replace("\"maxLeverage\":\"100.00\"", "\"maxLeverage\":true"), "row 1: field maxLeverage is not a number"));
        QVERIFY(refused(QByteArray(body).replace("\"mmDeduction\":\"1200\"", "\"mmDeduction\":\"-5\""), "row 2: field mmDeduction"));
        QVERIFY(refused(QByteArray(body).replace("\"initialMargin\":\"0.01\"", "\"initialMargin\":\"0.3\""), "does not match maxLeverage"));
        QVERIFY(refused(QByteArray(body).replace("\"maintenanceMargin\":\"0.0062\"", "\"maintenanceMargin\":\"1.5\""),
                        "maintenance margin rate 1.5"));
        QVERIFY(refused(QByteArray(body).replace("\"riskLimitValue\":\"3200000\"", "\"riskLimitValue\":\"2600000\""), "twice"));
        QVERIFY(refused("{\"retCode\":0,\"retMsg\":\"OK\",\"result\":{\"list\":[7]},\"time\":1}", "row 1 is not an object"));
        QVERIFY(tiers.isEmpty());
        // Rows of another symbol are not this one's.
        QVERIFY(refused(QByteArray(body).replace("\"symbol\":\"BTCUSDT\"", "\"symbol\":\"ETHUSDT\""), "no tiers for BTCUSDT"));
    }

    void subscribesAndPings()
    {
        const BybitAdapter local(BybitAdapter::Urls{QUrl(QStringLiteral("http://127.0.0.1:9")), QUrl(QStringLiteral("ws://127.0.0.1:8"))});
        QCOMPARE(local.streamUrl({m_btc}).toString(), QStringLiteral("ws://127.0.0.1:8/v5/public/linear"));
        const QList<QByteArray> sub = m_a.subscribeMessages({m_btc});
        QCOMPARE(sub.size(), 1);
        const QJsonObject o = QJsonDocument::fromJson(sub.front()).object();
        QCOMPARE(o.value(QStringLiteral("op")).toString(), QStringLiteral("subscribe"));
        QCOMPARE(o.value(QStringLiteral("args")).toArray(),
                 (QJsonArray{QStringLiteral("kline.1.BTCUSDT"), QStringLiteral("tickers.BTCUSDT"), QStringLiteral("allLiquidation.BTCUSDT")}));
        QCOMPARE(QJsonDocument::fromJson(m_a.heartbeat()).object().value(QStringLiteral("op")).toString(), QStringLiteral("ping"));
        QCOMPARE(m_a.heartbeatMs(), 20'000);
        QList<StreamUpdate> u;
        QString error;
        QVERIFY(m_a.parseStream(R"({"success":true,"ret_msg":"pong","conn_id":"x","req_id":"","op":"ping"})", &u, &error));
        QVERIFY(u.isEmpty());
        QVERIFY(!m_a.parseStream(R"({"success":false,"ret_msg":"Invalid topic","conn_id":"x","req_id":"","op":"subscribe"})", &u, &error));
        QVERIFY2(error.contains(QLatin1String("Invalid topic")), qPrintable(error));
    }

    void theRecordedStreamParses()
    {
        BybitAdapter a;
        QHash<QString, int> closed, open, marks;
        QHash<QString, double> lastRate;
        int acks = 0;
        for (const QByteArray &m : capture()) {
            QList<StreamUpdate> u;
            QString error;
            QVERIFY2(a.parseStream(m, &u, &error), qPrintable(error + QStringLiteral(": ") + QString::fromUtf8(m.left(200))));
            acks += m.contains("\"op\":\"subscribe\"") ? 1 : 0;
            for (const StreamUpdate &x : u) {
                QCOMPARE(x.instrument.exchange, QStringLiteral("BYBIT"));
                if (x.type == StreamUpdate::Type::Candle)
                    (x.closed ? closed : open)[x.instrument.symbol]++;
                if (x.type == StreamUpdate::Type::MarkPrice) {
                    ++marks[x.instrument.symbol];
                    QVERIFY(x.markPrice > 0);
                    QVERIFY(x.nextFundingTime > 0); // from the snapshot, although deltas omit it
                    lastRate[x.instrument.symbol] = x.fundingRate;
                }
            }
        }
        QCOMPARE(acks, 17);
        // Each symbol's bar of 1786310760000 closes once; the open bar repeats as it updates.
        for (const QString &s : {QStringLiteral("BTCUSDT"), QStringLiteral("ETHUSDT"), QStringLiteral("SOLUSDT"), QStringLiteral("DOGEUSDT")}) {
            QCOMPARE(closed.value(s), 1);
            QVERIFY2(open.value(s) > 5, qPrintable(s));
            QVERIFY2(marks.value(s) > 0, qPrintable(s));
        }
        QCOMPARE(lastRate.value(QStringLiteral("BTCUSDT")), 0.0001);
        QCOMPARE(lastRate.value(QStringLiteral("ETHUSDT")), 0.00004709); // a delta that carried only fundingRate
    }

    void liquidationsKeepThePositionSide()
    {
        QList<StreamUpdate> u;
        QString error;
        QVERIFY2(m_a.parseStream(R"({"topic":"allLiquidation.ROSEUSDT","type":"snapshot","ts":1739502303204,"data":[)"
                                 R"({"T":1739502302929,"s":"ROSEUSDT","S":"Sell","v":"20000","p":"0.04499"},)"
                                 R"({"T":1739502302929,"s":"ROSEUSDT","S":"Buy","v":"1500","p":"0.04512"}]})",
                                 &u, &error),
                 qPrintable(error));
        QCOMPARE(u.size(), 2);
        QCOMPARE(u[0].liquidation.side, Liquidation::Side::Short); // Sell: a short position was liquidated
        QCOMPARE(u[1].liquidation.side, Liquidation::Side::Long);
        QCOMPARE(u[0].liquidation.qty, 20000.0);
        QCOMPARE(u[0].liquidation.price, 0.04499);
        QCOMPARE(u[0].liquidation.seq, 0); // one millisecond, two prints: kept apart
        QCOMPARE(u[1].liquidation.seq, 1);
        QCOMPARE(m_a.liquidationCoverage(), CoverageQuality::Complete);
        QVERIFY(!m_a.parseStream(R"({"topic":"allLiquidation.X","ts":1,"data":[{"T":1739502302929,"s":"X","S":"Long","v":"1","p":"1"}]})", &u, &error));
    }

    // Regression: the first settlement of a backfill got the spacing to the next one as its
    // interval, so a first row closing an 8 h interval before 4-hourly ones said 4 h. The
    // request looks a day further back and the settlement before it gives the interval.
    void theFirstFundingRowTakesItsIntervalFromTheOneBefore()
    {
        constexpr qint64 hour = 3'600'000;
        const qint64 t = 1'786'291'200'000; // a settlement (2026-08-09T16:00Z)
        const RestRequest r = m_a.page(RestSeries::Funding, m_btc, t, t + 9 * hour);
        QCOMPARE(r.query.queryItemValue(QStringLiteral("startTime")), QString::number(t - 24 * hour));
        QCOMPARE(r.from, t);
        const auto row = [](qint64 ts) {
            return QByteArray(R"({"symbol":"BTCUSDT","fundingRate":"0.0001","fundingRateTimestamp":")") + QByteArray::number(ts) + "\"}";
        };
        // Newest first, as served for [t - 24 h, t + 9 h): 4-hourly since t, 8-hourly before.
        const QByteArray body = R"({"retCode":0,"retMsg":"OK","result":{"category":"linear","list":[)" + row(t + 8 * hour) + ','
                              + row(t + 4 * hour) + ',' + row(t) + ',' + row(t - 8 * hour) + ',' + row(t - 16 * hour) + "]},\"time\":1}";
        RestPage p;
        QString error;
        QVERIFY2(m_a.parse(r, body, &p, &error), qPrintable(error));
        QCOMPARE(p.funding.size(), 3); // the day before is context, not rows of this window
        QCOMPARE(p.funding[0].ts, t);
        QCOMPARE(p.funding[0].intervalHours, 8);
        QCOMPARE(p.funding[1].intervalHours, 4);
        QCOMPARE(p.funding[2].intervalHours, 4);
        QVERIFY(p.nextCursor.isEmpty());
        QVERIFY(!m_a.nextPage(r, p));
        QCOMPARE(m_a.fundingCovered(r, p), (TimeRange{t, t + 9 * hour}));

        // A lone settlement with none in the day before (a new listing): not a guess from a
        // neighbour; 0 = the interval the instrument list gave, which the feed fills in.
        RestPage lone;
        QVERIFY2(m_a.parse(r, R"({"retCode":0,"retMsg":"OK","result":{"category":"linear","list":[)" + row(t) + "]},\"time\":1}", &lone, &error),
                 qPrintable(error));
        QCOMPARE(lone.funding.size(), 1);
        QCOMPARE(lone.funding[0].intervalHours, 0);
    }

    // Regression: prints of one millisecond in different messages each got seq 0 from a
    // per-message count, so the second message's print replaced the first one in the store.
    // Keyed by content, both stay; a replayed message changes nothing; identical prints
    // within one message are two events and stay two rows.
    void liquidationsOfOneMillisecondInSeveralMessagesAreAllKept()
    {
        const auto parsed = [this](const char *data) {
            QList<StreamUpdate> u;
            QString error;
            const QByteArray msg = QByteArray(R"({"topic":"allLiquidation.ROSEUSDT","type":"snapshot","ts":1739502303204,"data":[)") + data + "]}";
            if (!m_a.parseStream(msg, &u, &error))
                qWarning() << error;
            ExchangeAdapter::keyLiquidations(u);
            MarketBatch b;
            b.instrument = {QStringLiteral("BYBIT"), QStringLiteral("ROSEUSDT")};
            for (const StreamUpdate &x : std::as_const(u))
                b.liquidations.push_back(x.liquidation);
            return b;
        };
        const MarketBatch first = parsed(R"({"T":1739502302929,"s":"ROSEUSDT","S":"Sell","v":"20000","p":"0.04499"})");
        const MarketBatch second = parsed(R"({"T":1739502302929,"s":"ROSEUSDT","S":"Buy","v":"1500","p":"0.04512"})");
        const MarketBatch twins = parsed(R"({"T":1739502302930,"s":"ROSEUSDT","S":"Buy","v":"7","p":"0.045"},)"
                                         R"({"T":1739502302930,"s":"ROSEUSDT","S":"Buy","v":"7","p":"0.045"})");
        QCOMPARE(first.liquidations.size(), 1);
        QCOMPARE(second.liquidations.size(), 1);
        QCOMPARE(twins.liquidations.size(), 2);
        QVERIFY(first.liquidations[0].seq != second.liquidations[0].seq);
        QVERIFY(twins.liquidations[0].seq != twins.liquidations[1].seq);
        QCOMPARE(parsed(R"({"T":1739502302929,"s":"ROSEUSDT","S":"Sell","v":"20000","p":"0.04499"})").liquidations, first.liquidations);

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("liq.db"));
        {
            auto w = MarketStore::open(path).writer();
            QCOMPARE(w->commit(first).changedRows, 1);
            QCOMPARE(w->commit(second).changedRows, 1);
            QCOMPARE(w->commit(twins).changedRows, 2);
            QCOMPARE(w->commit(first).changedRows, 0); // replayed: nothing changes
            QCOMPARE(w->commit(twins).changedRows, 0);
        }
        auto r = MarketStore::openExisting(path).reader();
        const auto rows = r->liquidations(first.instrument, {1739502302000, 1739502304000});
        QCOMPARE(rows.size(), 4);
        QCOMPARE(std::count_if(rows.cbegin(), rows.cend(), [](const Liquidation &l) { return l.ts == 1739502302929; }), 2);
    }
};

QTEST_GUILESS_MAIN(TestBybitAdapter)
#include "tst_bybitadapter.moc"
