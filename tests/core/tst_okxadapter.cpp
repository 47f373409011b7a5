#include "fakeokx.h"
#include "sources/exchange/requestbudget.h"
#include "sources/okx/okxadapter.h"
#include "testutil.h"

#include <QFile>

#include <cmath>

// OKX v5 SWAP formats in and out: requests as the docs want them (instId, bar=1m, the
// exclusive after/before bounds, rubik's end/begin, period=5m), newest-first answers walked
// backwards by cursor, the code/msg envelope (errors as HTTP 200, 50011 as 200 or 429), the
// real instrument list (tests/data/okx: ctVal, ctType) and the real recorded socket messages,
// hand-written pushes of the channels the capture lacks, contract sizes in coins and USD.
class TestOkxAdapter : public QObject
{
    Q_OBJECT

private:
    OkxAdapter m_a;
    const Instrument m_btc{QStringLiteral("OKX"), QStringLiteral("BTC-USDT-SWAP")};
    const Instrument m_inverse{QStringLiteral("OKX"), QStringLiteral("BTC-USD-SWAP")};
    static constexpr qint64 minute = 60000;
    static constexpr qint64 hour = 3600000;
    static constexpr qint64 t0 = 1652459160000; // 2022-05-13 16:26 UTC, the minute of the capture

    static QByteArray file(const QString &name)
    {
        QFile f(TestUtil::dataFile(name));
        if (!f.open(QIODevice::ReadOnly))
            qFatal("no %s", qPrintable(name));
        return f.readAll();
    }

    void loadInstruments(OkxAdapter &a)
    {
        RestPage info;
        QString error;
        QVERIFY2(a.parse(a.exchangeInfo({m_btc}), file(QStringLiteral("okx/public-instruments-SWAP-2022-05-13.json")), &info, &error), qPrintable(error));
    }

    static RestPage parsed(const OkxAdapter &a, const RestRequest &r, const QByteArray &body)
    {
        RestPage p;
        QString error;
        if (!a.parse(r, body, &p, &error))
            qWarning("%s", qPrintable(error));
        return p;
    }

    static QList<StreamUpdate> stream(const OkxAdapter &a, const QByteArray &m, QString *error = nullptr)
    {
        QList<StreamUpdate> out;
        QString e;
        const bool ok = a.parseStream(m, &out, &e);
        if (error)
            *error = ok ? QString() : e;
        else if (!ok)
            qWarning("%s", qPrintable(e));
        return out;
    }

private slots:
    void requestsFollowTheDocs()
    {
        RestRequest r = m_a.page(RestSeries::Candles, m_btc, t0, t0 + 2500 * minute);
        QCOMPARE(r.path, QStringLiteral("/api/v5/market/history-candles")); // no clock yet: the history endpoint
        QCOMPARE(r.query.queryItemValue(QStringLiteral("instId")), QStringLiteral("BTC-USDT-SWAP"));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("bar")), QStringLiteral("1m"));
        // Exclusive bounds: after = to (older than), before = from - 1 (newer than).
        QCOMPARE(r.query.queryItemValue(QStringLiteral("after")), QString::number(t0 + 2500 * minute));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("before")), QString::number(t0 - 1));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("limit")), QStringLiteral("300"));
        QCOMPARE(r.bucket, r.path); // counted per endpoint
        QCOMPARE(m_a.page(RestSeries::MarkCandles, m_btc, t0, t0 + minute).query.queryItemValue(QStringLiteral("limit")), QStringLiteral("100"));
        r = m_a.page(RestSeries::Funding, m_btc, t0, t0 + 100 * hour);
        QCOMPARE(r.path, QStringLiteral("/api/v5/public/funding-rate-history"));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("limit")), QStringLiteral("400"));
        r = m_a.page(RestSeries::OpenInterestHistory, m_btc, t0, t0 + hour);
        QCOMPARE(r.path, QStringLiteral("/api/v5/rubik/stat/contracts/open-interest-history"));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("period")), QStringLiteral("5m"));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("end")), QString::number(t0 + hour));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("begin")), QString::number(t0 - 1));
        r = m_a.page(RestSeries::OpenInterestNow, m_btc, 0, 0);
        QCOMPARE(r.path, QStringLiteral("/api/v5/public/open-interest"));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("instType")), QStringLiteral("SWAP"));
        QCOMPARE(m_a.exchangeInfo({m_btc}).query.queryItemValue(QStringLiteral("instType")), QStringLiteral("SWAP"));
        QVERIFY(m_a.historyReachMs(RestSeries::OpenInterestHistory) > 4 * 86400000LL);
        QVERIFY(m_a.historyReachMs(RestSeries::OpenInterestHistory) < 5 * 86400000LL);

        // Recent windows go to /market/candles (the latest 1,440 rows, twice the rate).
        OkxAdapter a;
        parsed(a, a.serverTime(), R"({"code":"0","msg":"","data":[{"ts":"1652459223143"}]})");
        QCOMPARE(a.page(RestSeries::Candles, m_btc, t0 - 60 * minute, t0).path, QStringLiteral("/api/v5/market/candles"));
        QCOMPARE(a.page(RestSeries::MarkCandles, m_btc, t0 - 60 * minute, t0).path, QStringLiteral("/api/v5/market/mark-price-candles"));
        QCOMPARE(a.page(RestSeries::Candles, m_btc, t0 - 2 * 86400000LL, t0).path, QStringLiteral("/api/v5/market/history-candles"));

        RequestBudget budget;
        a.applyLimits(budget, {}, 0.8);
        QCOMPARE(budget.windowMs(), 2000);
        // 10 funding requests per 2 s at 80 %: the 9th waits for the window.
        RestRequest f = a.page(RestSeries::Funding, m_btc, t0, t0 + hour);
        for (int i = 0; i < 8; ++i) {
            QCOMPARE(budget.delayFor(f, 1000000 + i), 0);
            budget.sent(f, 1000000 + i);
        }
        QVERIFY(budget.delayFor(f, 1000010) > 1900);
        QCOMPARE(budget.delayFor(a.page(RestSeries::Candles, m_btc, t0, t0 + hour), 1000010), 0); // another endpoint's count
    }

    void newestFirstPagesWalkBackByCursor()
    {
        // A full page (newest first) of 300 closed bars in [t0, t0 + 1000 min): the walk goes on
        // before its oldest row; a short page ends it.
        const qint64 to = t0 + 1000 * minute;
        RestRequest r = m_a.page(RestSeries::Candles, m_btc, t0, to);
        QByteArray rows;
        for (int i = 1; i <= 300; ++i)
            rows += QByteArray(i > 1 ? "," : "") + "[\"" + QByteArray::number(to - i * minute) + "\",\"30000.1\",\"30010\",\"29990\",\"30005.5\",\"120\",\"1.2\",\"36006.6\",\"1\"]";
        RestPage p = parsed(m_a, r, "{\"code\":\"0\",\"msg\":\"\",\"data\":[" + rows + "]}");
        QCOMPARE(p.candles.size(), 300);
        QVERIFY(p.candles.front().ts < p.candles.back().ts); // oldest first
        QCOMPARE(p.candles.front().volume, 1.2);              // volCcy: coins, not the 120 contracts
        QCOMPARE(p.candles.front().quoteVolume, 36006.6);
        QCOMPARE(p.candles.front().takerBuyVolume, 0.0);       // OKX has none (noted)
        QCOMPARE(p.nextCursor, QString::number(to - 300 * minute));
        const auto next = m_a.nextPage(r, p);
        QVERIFY(next);
        QCOMPARE(next->query.queryItemValue(QStringLiteral("after")), QString::number(to - 300 * minute));
        QCOMPARE(next->query.queryItemValue(QStringLiteral("before")), QString::number(t0 - 1));
        QCOMPARE(next->from, t0);
        // A short page (one row): the window is exhausted.
        p = parsed(m_a, *next, "{\"code\":\"0\",\"msg\":\"\",\"data\":[" + rows.left(rows.indexOf("],[") + 1) + "]}");
        QVERIFY(p.nextCursor.isEmpty());
        QVERIFY(!m_a.nextPage(*next, p));
        // An older server that cuts every list at 100 rows whatever limit asked: 100 rows go on.
        QByteArray hundred;
        for (int i = 1; i <= 100; ++i)
            hundred += QByteArray(i > 1 ? "," : "") + "[\"" + QByteArray::number(to - i * minute) + "\",\"1\",\"1\",\"1\",\"1\",\"0\",\"0\",\"0\",\"1\"]";
        QVERIFY(m_a.nextPage(r, parsed(m_a, r, "{\"code\":\"0\",\"msg\":\"\",\"data\":[" + hundred + "]}")));
        // The bar still open (confirm "0") is not history.
        p = parsed(m_a, r, "{\"code\":\"0\",\"msg\":\"\",\"data\":[[\"" + QByteArray::number(to - minute)
                               + "\",\"1\",\"2\",\"1\",\"2\",\"5\",\"0.05\",\"0.1\",\"0\"],[\"" + QByteArray::number(to - 2 * minute)
                               + "\",\"1\",\"2\",\"1\",\"2\",\"5\",\"0.05\",\"0.1\",\"1\"]]}");
        QCOMPARE(p.candles.size(), 1);
        QCOMPARE(p.candles.front().ts, to - 2 * minute);
    }

    void fundingIsRealizedWithItsInterval()
    {
        // Newest first: 8 h settlements, then the cap was hit and OKX shortened to 4 h, 2 h, 1 h.
        const qint64 a = t0 / hour * hour;
        const QList<qint64> times = {a + 15 * hour, a + 14 * hour, a + 12 * hour, a + 8 * hour, a};
        QByteArray rows;
        for (qint64 t : times)
            // (%1 in a QString, not adjacent raw strings: moc 6.4 loses the class after those.)
            rows += QByteArray(rows.isEmpty() ? "" : ",")
                + QStringLiteral(R"({"formulaType":"noRate","fundingRate":"0.0000746604960499","fundingTime":"%1","instId":"BTC-USDT-SWAP","instType":"SWAP","method":"next_period","realizedRate":"0.0000746572360545"})")
                      .arg(t)
                      .toUtf8();
        const RestRequest r = m_a.page(RestSeries::Funding, m_btc, a, a + 16 * hour);
        const RestPage p = parsed(m_a, r, "{\"code\":\"0\",\"msg\":\"\",\"data\":[" + rows + "]}");
        QCOMPARE(p.funding.size(), 5);
        QCOMPARE(p.funding[0], (FundingSample{a, 0.0000746572360545, 8})); // realizedRate, not the prediction
        QCOMPARE(p.funding[1].intervalHours, 8);
        QCOMPARE(p.funding[2].intervalHours, 4);
        QCOMPARE(p.funding[3].intervalHours, 2);
        QCOMPARE(p.funding[4].intervalHours, 1);
        QVERIFY(p.nextCursor.isEmpty());
        QCOMPARE(m_a.fundingCovered(r, p), (TimeRange{a, a + 16 * hour})); // a last page proves its window
    }

    void openInterestIsInCoinsAndUsdAsOkxSaysIt()
    {
        const RestRequest r = m_a.page(RestSeries::OpenInterestHistory, m_btc, t0 - hour, t0);
        const RestPage p = parsed(m_a, r, R"({"code":"0","msg":"","data":[["1652459100000","2216113.01000000309","22161.1301000000309","1939251795.54769270396321"],["1652458800000","2216000","22160","1939000000"]]})");
        QCOMPARE(p.openInterest.size(), 2);
        QCOMPARE(p.openInterest[0], (OpenInterestSample{1652458800000, 22160, 1939000000}));
        QCOMPARE(p.openInterest[1].openInterest, 22161.1301000000309);
        const RestPage now = parsed(m_a, m_a.page(RestSeries::OpenInterestNow, m_btc, 0, 0),
                                    R"({"code":"0","msg":"","data":[{"instType":"SWAP","instId":"BTC-USDT-SWAP","oi":"5000","oiCcy":"50","oiUsd":"1500000","ts":"1652459223143"}]})");
        QCOMPARE(now.openInterest.size(), 1);
        QCOMPARE(now.openInterest.front().openInterest, 50.0);
    }

    // Parses a position-tiers body with the real instrument list loaded; the error (empty on success).
    static QString parseTiers(const OkxAdapter &a, const Instrument &i, const QByteArray &body, RestPage *p)
    {
        QString error;
        const bool ok = a.parse(*a.marginTiers(i), body, p, &error);
        return ok ? QString() : (error.isEmpty() ? QStringLiteral("failed without a message") : error);
    }

    void positionTiersAreContractsTimesCtVal()
    {
        const auto request = m_a.marginTiers(m_btc);
        QVERIFY(request);
        QCOMPARE(request->path, QStringLiteral("/api/v5/public/position-tiers"));
        QCOMPARE(request->query.queryItemValue(QStringLiteral("instType")), QStringLiteral("SWAP"));
        QCOMPARE(request->query.queryItemValue(QStringLiteral("tdMode")), QStringLiteral("isolated"));
        QCOMPARE(request->query.queryItemValue(QStringLiteral("instFamily")), QStringLiteral("BTC-USDT"));
        QCOMPARE(request->bucket, request->path); // its own "10 requests per 2 s"
        OkxAdapter a;
        RestPage p;
        // Without the instrument list there is no ctVal to convert contracts with.
        QVERIFY(parseTiers(a, m_btc, file(QStringLiteral("okx/position-tiers-BTC-USDT-handwritten.json")), &p).contains(QLatin1String("no contract value")));
        loadInstruments(a);
        QCOMPARE(parseTiers(a, m_btc, file(QStringLiteral("okx/position-tiers-BTC-USDT-handwritten.json")), &p), QString());
        QVERIFY(p.tiersInCoins); // linear: 0.01 BTC per contract, valued at a price by the feed
        QCOMPARE(p.marginTiers.size(), 5);
        const double caps[] = {200, 400, 800, 1600, 3200}, mmrs[] = {0.004, 0.005, 0.008, 0.01, 0.02}, lev[] = {125, 100, 75, 50, 20};
        for (int k = 0; k < 5; ++k) {
            QCOMPARE(p.marginTiers[k].tier, k + 1);
            QCOMPARE(p.marginTiers[k].floor, k ? caps[k - 1] : 0.0); // minSz is one contract above the maxSz before: contiguous
            QCOMPARE(p.marginTiers[k].cap, caps[k]);
            QCOMPARE(p.marginTiers[k].mmr, mmrs[k]);
            QCOMPARE(p.marginTiers[k].maxLeverage, lev[k]);
            QVERIFY(!p.marginTiers[k].hasCum()); // OKX gives none: derived by the reader
        }
        // An inverse swap's contracts are USD (100 per BTC-USD-SWAP contract).
        RestPage inv;
        QByteArray body = file(QStringLiteral("okx/position-tiers-BTC-USDT-handwritten.json"));
        body.replace("BTC-USDT", "BTC-USD");
        QCOMPARE(parseTiers(a, m_inverse, body, &inv), QString());
        QVERIFY(!inv.tiersInCoins);
        QCOMPARE(inv.marginTiers[0].cap, 2'000'000.0);
    }

    void badPositionTiersAreRefusedSayingWhy()
    {
        OkxAdapter a;
        loadInstruments(a);
        const QByteArray body = file(QStringLiteral("okx/position-tiers-BTC-USDT-handwritten.json"));
        const auto refused = [&](const QByteArray &b, const char *expected) {
            RestPage p;
            const QString error = parseTiers(a, m_btc, b, &p);
            if (!error.contains(QLatin1String(expected)))
                qWarning("%s", qPrintable(error));
            return error.contains(QLatin1String(expected)) && p.marginTiers.isEmpty();
        };
        QVERIFY(refused("{\"code\":\"51000\",\"msg\":\"Parameter instFamily error\",\"data\":[]}", "code 51000: Parameter instFamily error"));
        QVERIFY(refused("{\"code\":\"0\",\"msg\":\"\"}", "without a data array"));
        QVERIFY(refused("{\"code\":\"0\",\"msg\":\"\",\"data\":[]}", "no tiers for BTC-USDT-SWAP"));
        QVERIFY(refused(QByteArray(body).replace("\"mmr\":\"0.008\",", ""), "row 3: field mmr is missing"));
        QVERIFY(refused(QByteArray(body).replace("\"maxSz\":\"40000\"", "\"maxSz\":\"lots\""), "row 2: field maxSz is \"lots\", expected a number"));
        QVERIFY(refused(QByteArray(body).replace("\"maxSz\":\"40000\"", "\"maxSz\":\"10\""), "row 2: tier 2 from 20001 to 10 contracts"));
        QVERIFY(refused(QByteArray(body).replace("\"mmr\":\"0.004\"", "\"mmr\":\"0\""), "maintenance margin rate 0"));
        QVERIFY(refused(QByteArray(body).replace("\"maxLever\":\"20\"", "\"maxLever\":{}"), "row 5: field maxLever is not a number"));
        QVERIFY(refused("{\"code\":\"0\",\"msg\":\"\",\"data\":[\"x\"]}", "row 1 is not an object"));
        // Another family's rows are not this instrument's.
        QVERIFY(refused(QByteArray(body).replace("BTC-USDT", "ETH-USDT"), "no tiers for BTC-USDT-SWAP"));
    }

    void theRealInstrumentListGivesContractValues()
    {
        OkxAdapter a;
        RestPage info;
        QString error;
        QVERIFY(a.parse(a.exchangeInfo(), file(QStringLiteral("okx/public-instruments-SWAP-2022-05-13.json")), &info, &error));
        QCOMPARE(info.symbolStatus.size(), 166);
        QCOMPARE(info.symbolStatus.value(QStringLiteral("BTC-USDT-SWAP")), QString()); // live
        const OkxContract *linear = a.contract(QStringLiteral("BTC-USDT-SWAP"));
        const OkxContract *inverse = a.contract(QStringLiteral("BTC-USD-SWAP"));
        QVERIFY(linear && inverse);
        QCOMPARE(linear->ctVal, 0.01);
        QVERIFY(!linear->inverse);
        QCOMPARE(linear->valueCurrency, QStringLiteral("BTC"));
        QCOMPARE(inverse->ctVal, 100.0);
        QVERIFY(inverse->inverse);
        // 13 contracts of BTC-USDT-SWAP at 30,000: 0.13 BTC, 3,900 USD; 311 of BTC-USD-SWAP at
        // 35,000: 31,100 USD, 0.8886 BTC (OKX's own converter example: 0.888 BTC -> 311).
        QCOMPARE(linear->coins(13, 30000), 0.13);
        QCOMPARE(linear->usd(13, 30000), 3900.0);
        QCOMPARE(inverse->usd(311, 35000), 31100.0);
        QVERIFY(std::abs(inverse->coins(311, 35000) - 0.888571) < 1e-6);
        QCOMPARE(a.contract(QStringLiteral("UNI-USD-SWAP"))->ctVal, 10.0);
        QVERIFY(a.notes(m_inverse).value(QStringLiteral("contract_value.OKX:BTC-USD-SWAP")).contains(QLatin1String("100 USD per contract")));
        // Not a swap, or not trading: listed with why.
        RestPage other;
        QVERIFY(a.parse(a.exchangeInfo(), R"({"code":"0","msg":"","data":[{"instId":"X-USDT-SWAP","instType":"SWAP","ctType":"linear","ctVal":"1","ctMult":"1","state":"suspend"},{"instId":"Y-USDT-SWAP","instType":"SWAP","ctType":"linear","ctVal":"","ctMult":"1","state":"live"}]})",
                        &other, &error));
        QCOMPARE(other.symbolStatus.value(QStringLiteral("X-USDT-SWAP")), QStringLiteral("not trading (state suspend)"));
        QVERIFY(other.symbolStatus.value(QStringLiteral("Y-USDT-SWAP")).contains(QLatin1String("no usable contract value")));
    }

    void errorsComeAsTheEnvelope()
    {
        RestVerdict v = m_a.judge(200, {}, R"({"code":"50011","msg":"Rate limit reached. Please refer to API documentation and throttle requests accordingly.","data":[]})", 0);
        QCOMPARE(v.kind, RestVerdict::Kind::RateLimited);
        QCOMPARE(v.retryAfterMs, 2000);
        QVERIFY(v.message.contains(QLatin1String("code 50011: Rate limit reached")));
        QCOMPARE(m_a.judge(429, {}, R"({"code":"50011","msg":"Too Many Requests","data":[]})", 0).kind, RestVerdict::Kind::RateLimited);
        QCOMPARE(m_a.judge(429, {{"retry-after", "3"}}, "", 0).retryAfterMs, 3000);
        QCOMPARE(m_a.judge(503, {}, R"({"code":"50001","msg":"Service temporarily unavailable","data":[]})", 0).kind, RestVerdict::Kind::Retry);
        QCOMPARE(m_a.judge(200, {}, R"({"code":"50026","msg":"System error","data":[]})", 0).kind, RestVerdict::Kind::Retry);
        v = m_a.judge(200, {}, R"({"code":"51001","msg":"Instrument ID does not exist","data":[]})", 0);
        QCOMPARE(v.kind, RestVerdict::Kind::Fatal);
        QCOMPARE(v.message, QStringLiteral("code 51001: Instrument ID does not exist"));
        QCOMPARE(m_a.judge(400, {}, R"({"code":"51000","msg":"Parameter bar error","data":[]})", 0).kind, RestVerdict::Kind::Fatal);
        QCOMPARE(m_a.judge(200, {}, R"({"code":"0","msg":"","data":[]})", 0).kind, RestVerdict::Kind::Ok);
        // parse() names the endpoint and what is wrong.
        RestPage p;
        QString error;
        QVERIFY(!m_a.parse(m_a.page(RestSeries::Candles, m_btc, t0, t0 + minute), R"({"code":"0","msg":"","data":[["1652459160000","1","2"]]})", &p, &error));
        QVERIFY2(error.contains(QLatin1String("a candle has 3 fields, expected 9")), qPrintable(error));
        QVERIFY(!m_a.parse(m_a.page(RestSeries::Funding, m_btc, t0, t0 + hour), R"({"code":"0","msg":"","data":[{"fundingTime":"x"}]})", &p, &error));
        QVERIFY2(error.contains(QLatin1String("lacks fundingTime or realizedRate")), qPrintable(error));
        QVERIFY(!m_a.parse(m_a.serverTime(), "{\"code\":\"0\",\"da", &p, &error));
        QVERIFY2(error.startsWith(QLatin1String("malformed JSON from /api/v5/public/time")), qPrintable(error));
    }

    void twoSocketsWithTheirSubscriptions()
    {
        OkxAdapter a(OkxAdapter::Urls{QUrl(QStringLiteral("http://127.0.0.1:7")), QUrl(QStringLiteral("ws://127.0.0.1:8"))});
        const QList<StreamEndpoint> e = a.streamEndpoints({m_btc});
        QCOMPARE(e.size(), 2);
        QCOMPARE(e[0].url.toString(), QStringLiteral("ws://127.0.0.1:8/ws/v5/business"));
        QCOMPARE(e[1].url.toString(), QStringLiteral("ws://127.0.0.1:8/ws/v5/public"));
        QCOMPARE(e[0].subscribe, (QList<QByteArray>{R"({"id":"candles","op":"subscribe","args":[{"channel":"candle1m","instId":"BTC-USDT-SWAP"}]})"}));
        QCOMPARE(e[1].subscribe.size(), 1);
        const QJsonArray args = QJsonDocument::fromJson(e[1].subscribe.front()).object().value(QStringLiteral("args")).toArray();
        QStringList channels;
        for (const QJsonValue &v : args)
            channels << v.toObject().value(QStringLiteral("channel")).toString();
        QCOMPARE(channels, (QStringList{QStringLiteral("mark-price"), QStringLiteral("funding-rate"), QStringLiteral("open-interest"), QStringLiteral("liquidation-orders")}));
        QCOMPARE(args.last().toObject().value(QStringLiteral("instType")).toString(), QStringLiteral("SWAP")); // by instType, not instId
        QCOMPARE(a.heartbeat(), QByteArray("ping"));
        QVERIFY(a.heartbeatMs() > 0 && a.heartbeatMs() < 30000);
        QCOMPARE(a.liquidationCoverage(), CoverageQuality::Sampled);
    }

    void theRecordedMessagesParseAndAreIgnored()
    {
        // tickers, trades and acknowledgements of the 2022 recording: valid, not used.
        int lines = 0;
        for (const QByteArray &line : file(QStringLiteral("okx/v5-public-capture-2022-05-13.jsonl")).split('\n')) {
            if (line.trimmed().isEmpty())
                continue;
            ++lines;
            QString error;
            QVERIFY2(stream(m_a, line.trimmed(), &error).isEmpty() && error.isEmpty(), qPrintable(error + QStringLiteral(": ") + QString::fromUtf8(line)));
        }
        QCOMPARE(lines, 117);
        QString error;
        QVERIFY(stream(m_a, "pong", &error).isEmpty() && error.isEmpty());
        stream(m_a, R"({"id":"public","event":"error","code":"60018","msg":"Wrong URL or channel:mark-price doesn\u0027t exist.","connId":"a4d3ae55"})", &error);
        QCOMPARE(error, QStringLiteral("OKX refused a request: code 60018: Wrong URL or channel:mark-price doesn't exist."));
        stream(m_a, R"({"event":"notice","code":"64008","msg":"The connection will soon be closed for a service upgrade.","connId":"a4d3ae55"})", &error);
        QVERIFY(error.isEmpty());
        stream(m_a, "not json", &error);
        QVERIFY(error.startsWith(QLatin1String("malformed stream message")));
        stream(m_a, R"({"arg":{"channel":"candle1m","instId":"BTC-USDT-SWAP"},"data":[["1652459160000","1"]]})", &error);
        QVERIFY2(error.contains(QLatin1String("candle1m: a candle has 2 fields")), qPrintable(error));
    }

    void pushesBecomeUpdates()
    {
        OkxAdapter a;
        loadInstruments(a);
        // A push that closes one bar and opens the next.
        const Candle closed{t0, 30000.1, 30010, 29990, 30005.5, 1.2, 36006.6, 0};
        const Candle open{t0 + minute, 30005.5, 30006, 30004, 30006, 0.01, 300.06, 0};
        QList<StreamUpdate> u = stream(a, FakeOkx::StreamServer::candle(m_btc.symbol, {{closed, true}, {open, false}}, 0.01));
        QCOMPARE(u.size(), 2);
        QCOMPARE(u[0].type, StreamUpdate::Type::Candle);
        QCOMPARE(u[0].candle, closed);
        QVERIFY(u[0].closed && !u[1].closed);
        QCOMPARE(u[0].instrument, m_btc);

        // funding-rate before any mark: kept; the mark-price push carries it (interval 8 h).
        const qint64 fundingAt = (t0 / (8 * hour) + 1) * 8 * hour;
        QVERIFY(stream(a, FakeOkx::StreamServer::funding(m_btc.symbol, 0.000125, fundingAt, fundingAt + 8 * hour, t0 + 1000)).isEmpty());
        u = stream(a, FakeOkx::StreamServer::markPrice(m_btc.symbol, 30001.7, t0 + 1200));
        QCOMPARE(u.size(), 1);
        QCOMPARE(u[0].type, StreamUpdate::Type::MarkPrice);
        QCOMPARE(u[0].markPrice, 30001.7);
        QCOMPARE(u[0].fundingRate, 0.000125);
        QCOMPARE(u[0].nextFundingTime, fundingAt);
        QCOMPARE(u[0].fundingIntervalHours, 8);
        // An older mark sample after a newer one: dropped.
        QVERIFY(stream(a, FakeOkx::StreamServer::markPrice(m_btc.symbol, 29000, t0 + 1100)).isEmpty());
        // The interval shortened (cap hit): funding-rate says 1 h, and repeats the last mark.
        u = stream(a, FakeOkx::StreamServer::funding(m_btc.symbol, 0.00375, fundingAt, fundingAt + hour, t0 + 2000));
        QCOMPARE(u.size(), 1);
        QCOMPARE(u[0].markPrice, 30001.7);
        QCOMPARE(u[0].fundingIntervalHours, 1);

        u = stream(a, FakeOkx::StreamServer::openInterest(m_btc.symbol, 2216113.01, 22161.1301, 664878000.5, t0 + 3000));
        QCOMPARE(u.size(), 1);
        QCOMPARE(u[0].type, StreamUpdate::Type::OpenInterest);
        QCOMPARE(u[0].openInterest, (OpenInterestSample{t0 + 3000, 22161.1301, 664878000.5}));
    }

    void liquidationsAreInCoinsOnThePositionSide()
    {
        OkxAdapter a;
        loadInstruments(a);
        // Linear: 13 contracts x 0.01 BTC. Net mode: a forced buy closed a short; hedge mode
        // says the side itself. Two prints in one millisecond keep apart by seq.
        QList<StreamUpdate> u = stream(a, FakeOkx::StreamServer::liquidation(m_btc.symbol, {{"buy", "net", 30100.5, 13, t0 + 5000},
                                                                                            {"sell", "long", 29900, 250, t0 + 5000},
                                                                                            {"sell", "net", 29890, 1, t0 + 6000}}));
        QCOMPARE(u.size(), 3);
        QCOMPARE(u[0].liquidation, (Liquidation{t0 + 5000, 0, Liquidation::Side::Short, 30100.5, 0.13, true}));
        QCOMPARE(u[1].liquidation, (Liquidation{t0 + 5000, 1, Liquidation::Side::Long, 29900, 2.5, true}));
        QCOMPARE(u[2].liquidation.side, Liquidation::Side::Long);
        // Inverse: 311 contracts x 100 USD at 35,000 = 31,100 USD = 0.88857 BTC.
        u = stream(a, FakeOkx::StreamServer::liquidation(m_inverse.symbol, {{"buy", "short", 35000, 311, t0 + 7000}}));
        QCOMPARE(u.size(), 1);
        QCOMPARE(u[0].instrument, m_inverse);
        QCOMPARE(u[0].liquidation.side, Liquidation::Side::Short);
        QVERIFY(std::abs(u[0].liquidation.notional() - 31100) < 1e-6);
        // An instrument the list did not hold: not followed (all SWAPs come on one subscription).
        QVERIFY(stream(a, FakeOkx::StreamServer::liquidation(QStringLiteral("NEW-USDT-SWAP"), {{"buy", "net", 1, 1, t0}})).isEmpty());
        QString error;
        stream(a, R"({"arg":{"channel":"liquidation-orders","instType":"SWAP"},"data":[{"details":[{"side":"up","sz":"1","bkPx":"1","ts":"1652459160000"}],"instId":"BTC-USDT-SWAP"}]})", &error);
        QVERIFY2(error.contains(QLatin1String("liquidation-orders detail without side")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestOkxAdapter)
#include "tst_okxadapter.moc"
