#pragma once

// Loopback servers that speak OKX v5's exact formats (research/data-formats-2.md §A) for tests
// and benchmarks: REST on QTcpServer (the code/msg envelope with string codes, lists newest
// first behind exclusive after/before cursors, candles' 1,440-row reach, rubik's reach, the
// per-endpoint "N requests per 2 s" limits answered with code 50011, scripted faults), and
// one QWebSocketServer serving both /ws/v5/business (candles) and /ws/v5/public (the rest):
// op:subscribe with acknowledgements, candles refused on /public with 64001 as OKX does, the
// text ping answered with the text pong, pushes only to sockets that subscribed them, a
// socket that goes silent, a refused subscription (event:error).
//
// Kept apart from fakebybit.h / fakebinance.h: their HTTP parsing is ~30 lines each and
// their tests depend on the details (logs, counters) of each; sharing a base would mean
// editing both for little gain. Header-only and without Q_OBJECT.

#include "domain/candle.h"
#include "domain/numbers.h"
#include "domain/timeframe.h"

#include <QDateTime>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

#include <deque>
#include <functional>
#include <limits>
#include <map>

namespace FakeOkx {

inline QByteArray num(double v)
{
    return Numbers::format(v);
}

inline QByteArray str(qint64 v)
{
    return '"' + QByteArray::number(v) + '"';
}

struct Funding
{
    qint64 time = 0;       // fundingTime
    QByteArray realized;   // realizedRate, "0.0001"
};

struct OpenInterest
{
    qint64 time = 0;
    double contracts = 0; // oi
    double coins = 0;     // oiCcy
    double usd = 0;       // oiUsd
};

// One row of public/position-tiers (SWAP: sizes in contracts), as OKX answers it.
struct PositionTier
{
    QByteArray tier, minSz, maxSz, mmr, imr, maxLever;
};

// Hand-written tiers in the documented format (no real position-tiers capture exists).
inline QVector<PositionTier> defaultPositionTiers()
{
    return {{"1", "0", "50000", "0.004", "0.008", "125"},
            {"2", "50001", "100000", "0.006", "0.01", "100"},
            {"3", "100001", "200000", "0.01", "0.0133", "75"},
            {"4", "200001", "400000", "0.02", "0.025", "40"}};
}

struct Dataset
{
    QVector<Candle> candles; // volume = volCcy (coins), quoteVolume = volCcyQuote
    QVector<Candle> mark;
    QVector<Funding> funding;
    QVector<OpenInterest> openInterest; // 5 min
    double contractValue = 0.01;        // vol (contracts) = volCcy / ctVal, for the served rows
    QVector<PositionTier> tiers = defaultPositionTiers();
};

struct Fault
{
    QString path; // the next request whose path starts with this
    int status = 200;
    QByteArray body; // an error envelope, or empty for the normal answer
    QList<QPair<QByteArray, QByteArray>> headers;
    int delayMs = 0;
};

struct Logged
{
    QString path;
    QUrlQuery query;
    int status = 0;
    int code = 0;
};

inline QByteArray envelope(int code, const QByteArray &msg, const QByteArray &data)
{
    return R"({"code":")" + QByteArray::number(code) + R"(","data":)" + data + R"(,"msg":")" + msg + R"("})";
}

// Requests per 2 s per endpoint, as OKX documents them.
inline const QHash<QString, int> &endpointLimits()
{
    static const QHash<QString, int> limits = {{QStringLiteral("/api/v5/public/time"), 10},
                                               {QStringLiteral("/api/v5/public/instruments"), 20},
                                               {QStringLiteral("/api/v5/market/candles"), 40},
                                               {QStringLiteral("/api/v5/market/history-candles"), 20},
                                               {QStringLiteral("/api/v5/market/mark-price-candles"), 20},
                                               {QStringLiteral("/api/v5/market/history-mark-price-candles"), 20},
                                               {QStringLiteral("/api/v5/public/funding-rate-history"), 10},
                                               {QStringLiteral("/api/v5/rubik/stat/contracts/open-interest-history"), 10},
                                               {QStringLiteral("/api/v5/public/open-interest"), 20},
                                               {QStringLiteral("/api/v5/public/position-tiers"), 10}};
    return limits;
}

class RestServer
{
public:
    // virtualNow: the server's clock at construction; it then runs at real speed.
    // instruments: a real public/instruments?instType=SWAP body.
    RestServer(qint64 virtualNow, QByteArray instruments)
        : m_offset(virtualNow - QDateTime::currentMSecsSinceEpoch())
        , m_instruments(std::move(instruments))
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                m_sockets << s;
                QObject::connect(s, &QTcpSocket::readyRead, s, [this, s] { onData(s); });
                QObject::connect(s, &QTcpSocket::disconnected, s, [this, s] {
                    m_buffers.remove(s);
                    m_sockets.removeAll(s);
                    s->deleteLater();
                });
            }
        });
        m_server.listen(QHostAddress::LocalHost);
        m_port = m_server.serverPort();
    }

    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    qint64 now() const { return QDateTime::currentMSecsSinceEpoch() + m_offset; }

    std::map<QString, Dataset> data; // by instId
    QList<Fault> faults;
    QList<Logged> log;
    int overLimit = 0;        // requests answered 50011
    int maxListRows = 0;      // > 0: every list is cut to this many rows whatever limit asked (older OKX)
    bool limitAs429 = true;   // 50011 with HTTP 429 (else HTTP 200), both documented
    QHash<QString, int> maxWindowCount; // per endpoint, the most requests seen in one 2 s window
    std::function<OpenInterest()> openInterestNow = [] { return OpenInterest{0, 1'234'567, 12'345.67, 400'000'000}; };

    int countPath(const QString &prefix) const
    {
        int n = 0;
        for (const Logged &l : log)
            n += l.path.startsWith(prefix) ? 1 : 0;
        return n;
    }

private:
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QList<QTcpSocket *> m_sockets;
    qint64 m_offset;
    QByteArray m_instruments;
    QHash<QString, std::deque<qint64>> m_sent; // per endpoint, times within the last 2 s
    quint16 m_port = 0;
    QTcpServer m_server; // last: destroyed first, while what its sockets' handlers use still lives

    void onData(QTcpSocket *s)
    {
        QByteArray &buf = m_buffers[s];
        buf += s->readAll();
        qsizetype end;
        while ((end = buf.indexOf("\r\n\r\n")) >= 0) {
            const QByteArray head = buf.left(end);
            buf.remove(0, end + 4);
            const QList<QByteArray> parts = head.left(head.indexOf("\r\n")).split(' ');
            if (parts.size() < 2)
                continue;
            const QUrl url(QString::fromLatin1(parts[1]));
            handle(s, url.path(), QUrlQuery(url.query()));
        }
    }

    static void reply(QTcpSocket *s, int status, const QByteArray &body, const QList<QPair<QByteArray, QByteArray>> &headers, int delayMs)
    {
        QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + (status == 200 ? " OK" : " Error") + "\r\n";
        out += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
        for (const auto &h : headers)
            out += h.first + ": " + h.second + "\r\n";
        out += "\r\n" + body;
        QPointer<QTcpSocket> guard(s);
        if (delayMs > 0)
            QTimer::singleShot(delayMs, s, [guard, out] {
                if (guard)
                    guard->write(out);
            });
        else
            s->write(out);
    }

    static int codeOf(const QByteArray &body)
    {
        return QJsonDocument::fromJson(body).object().value(QStringLiteral("code")).toString().toInt();
    }

    void handle(QTcpSocket *s, const QString &path, const QUrlQuery &q)
    {
        Logged entry{path, q, 200, 0};
        for (qsizetype i = 0; i < faults.size(); ++i) {
            if (!path.startsWith(faults[i].path))
                continue;
            const Fault f = faults.takeAt(i);
            const QByteArray body = f.body.isEmpty() ? respond(path, q) : f.body;
            entry.status = f.status;
            entry.code = codeOf(body);
            log << entry;
            reply(s, f.status, body, f.headers, f.delayMs);
            return;
        }
        // Per endpoint, a sliding 2 s window (OKX counts per IP, some per IP + instId).
        const qint64 t = now();
        std::deque<qint64> &sent = m_sent[path];
        while (!sent.empty() && sent.front() <= t - 2'000)
            sent.pop_front();
        const int limit = endpointLimits().value(path, 20);
        if (int(sent.size()) + 1 > limit) {
            ++overLimit;
            entry.status = limitAs429 ? 429 : 200;
            entry.code = 50011;
            log << entry;
            reply(s, entry.status, envelope(50011, "Too Many Requests", "[]"), {}, 0);
            return;
        }
        sent.push_back(t);
        maxWindowCount[path] = std::max(maxWindowCount.value(path), int(sent.size()));
        const QByteArray body = respond(path, q);
        entry.code = codeOf(body);
        entry.status = endpointLimits().contains(path) ? 200 : 404;
        log << entry;
        reply(s, entry.status, body, {}, 0);
    }

    static qint64 param(const QUrlQuery &q, const char *key, qint64 fallback)
    {
        const QString k = QLatin1String(key);
        return q.hasQueryItem(k) && !q.queryItemValue(k).isEmpty() ? q.queryItemValue(k).toLongLong() : fallback;
    }

    // Rows strictly between newer (exclusive lower bound) and older (exclusive upper bound),
    // newest first, at most limit, from rows sorted oldest first, reaching back no further than reachFrom.
    template<typename Row>
    QVector<Row> page(const QVector<Row> &rows, qint64 newerThan, qint64 olderThan, int limit, qint64 reachFrom,
                      std::function<qint64(const Row &)> time) const
    {
        if (maxListRows > 0)
            limit = std::min(limit, maxListRows);
        QVector<Row> out;
        for (qsizetype i = rows.size() - 1; i >= 0 && out.size() < limit; --i) {
            const qint64 t = time(rows[i]);
            if (t > newerThan && t < olderThan && t >= reachFrom && t <= now())
                out << rows[i];
        }
        return out;
    }

    QByteArray respond(const QString &path, const QUrlQuery &q)
    {
        const auto ok = [](const QByteArray &rows) { return envelope(0, "", '[' + rows + ']'); };
        const auto error = [](int code, const QByteArray &msg) { return envelope(code, msg, "[]"); };
        if (path == QLatin1String("/api/v5/public/time"))
            return ok(R"({"ts":)" + str(now()) + '}');
        if (path == QLatin1String("/api/v5/public/instruments")) {
            if (q.queryItemValue(QStringLiteral("instType")) != QLatin1String("SWAP"))
                return error(50014, "Parameter instType can not be empty");
            return m_instruments;
        }
        if (path == QLatin1String("/api/v5/public/position-tiers")) {
            if (q.queryItemValue(QStringLiteral("instType")) != QLatin1String("SWAP") || q.queryItemValue(QStringLiteral("tdMode")).isEmpty())
                return error(50014, "Parameter instType or tdMode can not be empty");
            const QString family = q.queryItemValue(QStringLiteral("instFamily"));
            const auto f = data.find(family + QStringLiteral("-SWAP"));
            if (f == data.end())
                return error(51000, "Parameter instFamily error");
            QByteArray list;
            for (const PositionTier &t : f->second.tiers) {
                if (!list.isEmpty())
                    list += ',';
                list += R"({"baseMaxLoan":"","imr":")" + t.imr + R"(","instFamily":")" + family.toLatin1() + R"(","instId":"","maxLever":")"
                    + t.maxLever + R"(","maxSz":")" + t.maxSz + R"(","minSz":")" + t.minSz + R"(","mmr":")" + t.mmr
                    + R"(","optMgnFactor":"0","quoteMaxLoan":"","tier":")" + t.tier + R"(","uly":")" + family.toLatin1() + R"("})";
            }
            return ok(list);
        }
        const QString instId = q.queryItemValue(QStringLiteral("instId"));
        const auto it = data.find(instId);
        if (!endpointLimits().contains(path))
            return R"({"msg":"Not Found","code":"404"})";
        if (it == data.end())
            return error(51001, "Instrument ID does not exist");
        const Dataset &d = it->second;
        const int limit = int(param(q, "limit", 100));
        const qint64 minuteNow = Timeframes::floor(Timeframe::M1, now());
        if (path.contains(QLatin1String("candles"))) {
            const bool mark = path.contains(QLatin1String("mark-price"));
            const bool recent = !path.contains(QLatin1String("history-"));
            if (q.queryItemValue(QStringLiteral("bar")) != QLatin1String("1m"))
                return error(51000, "Parameter bar error");
            if (limit < 1 || limit > (mark ? 100 : 300))
                return error(51000, "Parameter limit error");
            const qint64 reach = recent ? minuteNow - 1'439 * Timeframes::minuteMs : 0; // "the latest 1,440 entries"
            const auto rows = page<Candle>(mark ? d.mark : d.candles, param(q, "before", -1), param(q, "after", std::numeric_limits<qint64>::max()),
                                           limit, reach, [](const Candle &c) { return c.ts; });
            QByteArray list;
            for (const Candle &c : rows) {
                if (!list.isEmpty())
                    list += ',';
                const QByteArray confirm = c.ts + Timeframes::minuteMs > now() ? "\"0\"" : "\"1\""; // the bar still open
                list += '[' + str(c.ts) + ",\"" + num(c.open) + "\",\"" + num(c.high) + "\",\"" + num(c.low) + "\",\"" + num(c.close) + "\",";
                if (!mark)
                    list += '"' + num(c.volume / d.contractValue) + "\",\"" + num(c.volume) + "\",\"" + num(c.quoteVolume) + "\",";
                list += confirm + ']';
            }
            return ok(list);
        }
        if (path == QLatin1String("/api/v5/public/funding-rate-history")) {
            if (limit < 1 || limit > 400)
                return error(51000, "Parameter limit error");
            const auto rows = page<Funding>(d.funding, param(q, "before", -1), param(q, "after", std::numeric_limits<qint64>::max()), limit,
                                            now() - 92 * 86'400'000LL, [](const Funding &f) { return f.time; });
            QByteArray list;
            for (const Funding &f : rows) {
                if (!list.isEmpty())
                    list += ',';
                // fundingRate (the prediction) differs from realizedRate in the last digits, as in OKX's example.
                list += R"({"formulaType":"noRate","fundingRate":")" + num(f.realized.toDouble() * 1.0000001) + R"(","fundingTime":)" + str(f.time)
                    + R"(,"instId":")" + instId.toLatin1() + R"(","instType":"SWAP","method":"current_period","realizedRate":")" + f.realized + R"("})";
            }
            return ok(list);
        }
        if (path == QLatin1String("/api/v5/rubik/stat/contracts/open-interest-history")) {
            if (q.queryItemValue(QStringLiteral("period")) != QLatin1String("5m") || limit < 1 || limit > 100)
                return error(51000, "Parameter period or limit error");
            const qint64 reach = Timeframes::floor(Timeframe::M5, now()) - 1'439 * 300'000LL;
            const auto rows = page<OpenInterest>(d.openInterest, param(q, "begin", -1), param(q, "end", std::numeric_limits<qint64>::max()), limit,
                                                 reach, [](const OpenInterest &o) { return o.time; });
            QByteArray list;
            for (const OpenInterest &o : rows) {
                if (!list.isEmpty())
                    list += ',';
                list += '[' + str(o.time) + ",\"" + num(o.contracts) + "\",\"" + num(o.coins) + "\",\"" + num(o.usd) + "\"]";
            }
            return ok(list);
        }
        if (path == QLatin1String("/api/v5/public/open-interest")) {
            if (q.queryItemValue(QStringLiteral("instType")) != QLatin1String("SWAP"))
                return error(50014, "Parameter instType can not be empty");
            OpenInterest o = openInterestNow();
            o.time = now();
            return ok(R"({"instType":"SWAP","instId":")" + instId.toLatin1() + R"(","oi":")" + num(o.contracts) + R"(","oiCcy":")" + num(o.coins)
                      + R"(","oiUsd":")" + num(o.usd) + R"(","ts":)" + str(o.time) + '}');
        }
        return error(50005, "API endpoint inactive");
    }
};

class StreamServer
{
public:
    StreamServer()
        : m_server(QStringLiteral("fake-okx"), QWebSocketServer::NonSecureMode)
    {
        QObject::connect(&m_server, &QWebSocketServer::newConnection, &m_server, [this] {
            while (QWebSocket *s = m_server.nextPendingConnection()) {
                urls << s->requestUrl();
                const bool silent = silentConnections > 0;
                if (silent)
                    --silentConnections; // accepted, then never answers: no ack, no pong, no data
                m_live << s;
                m_paths.insert(s, s->requestUrl().path());
                QObject::connect(s, &QWebSocket::textMessageReceived, s, [this, s, silent](const QString &text) {
                    received << m_paths.value(s) + QLatin1Char(' ') + text;
                    if (!silent)
                        onClientMessage(s, text);
                });
                QObject::connect(s, &QWebSocket::disconnected, s, [this, s] {
                    m_live.removeAll(s);
                    m_subs.remove(s);
                    m_paths.remove(s);
                    s->deleteLater();
                });
            }
        });
        m_server.listen(QHostAddress::LocalHost);
        m_port = m_server.serverPort();
    }

    QString url() const { return QStringLiteral("ws://127.0.0.1:%1").arg(m_port); }
    int connections() const { return int(urls.size()); }
    int connections(const QString &path) const
    {
        int n = 0;
        for (const QUrl &u : urls)
            n += u.path() == path ? 1 : 0;
        return n;
    }
    // Sockets on `path` that subscribed something (and so receive pushes).
    int subscribed(const QString &path) const
    {
        int n = 0;
        for (auto it = m_subs.cbegin(); it != m_subs.cend(); ++it)
            n += !it.value().isEmpty() && m_paths.value(it.key()) == path ? 1 : 0;
        return n;
    }
    int pings() const
    {
        int n = 0;
        for (const QString &m : received)
            n += m.endsWith(QLatin1String(" ping")) ? 1 : 0;
        return n;
    }
    QList<QUrl> urls;
    QStringList received;      // "<path> <text>" of every frame clients sent
    int silentConnections = 0; // the next N sockets never answer
    QString refuseChannel;     // subscriptions naming it are refused (event:error 60018)

    // Sends to every socket subscribed to the message's arg (channel + instId or instType).
    void push(const QByteArray &message)
    {
        const QString key = keyOf(QJsonDocument::fromJson(message).object().value(QStringLiteral("arg")).toObject());
        for (QWebSocket *s : std::as_const(m_live))
            if (m_subs.value(s).contains(key))
                s->sendTextMessage(QString::fromUtf8(message));
    }
    // Sends to every socket on `path`, subscribed or not (notices, garbage).
    void broadcast(const QString &path, const QByteArray &message)
    {
        for (QWebSocket *s : std::as_const(m_live))
            if (m_paths.value(s) == path)
                s->sendTextMessage(QString::fromUtf8(message));
    }
    void dropAll()
    {
        const auto live = m_live;
        for (QWebSocket *s : live)
            s->abort();
    }
    void drop(const QString &path)
    {
        const auto live = m_live;
        for (QWebSocket *s : live)
            if (m_paths.value(s) == path)
                s->abort();
    }

    static QByteArray candle(const QString &instId, const QVector<QPair<Candle, bool>> &bars, double contractValue)
    {
        QByteArray rows;
        for (const auto &[c, confirm] : bars) {
            if (!rows.isEmpty())
                rows += ',';
            rows += '[' + str(c.ts) + ",\"" + num(c.open) + "\",\"" + num(c.high) + "\",\"" + num(c.low) + "\",\"" + num(c.close) + "\",\""
                + num(c.volume / contractValue) + "\",\"" + num(c.volume) + "\",\"" + num(c.quoteVolume) + "\",\"" + (confirm ? "1" : "0") + "\"]";
        }
        return R"({"arg":{"channel":"candle1m","instId":")" + instId.toLatin1() + R"("},"data":[)" + rows + "]}";
    }
    static QByteArray markPrice(const QString &instId, double px, qint64 ts)
    {
        return R"({"arg":{"channel":"mark-price","instId":")" + instId.toLatin1() + R"("},"data":[{"instType":"SWAP","instId":")" + instId.toLatin1()
            + R"(","markPx":")" + num(px) + R"(","ts":)" + str(ts) + "}]}";
    }
    static QByteArray funding(const QString &instId, double rate, qint64 fundingTime, qint64 nextFundingTime, qint64 ts)
    {
        return R"({"arg":{"channel":"funding-rate","instId":")" + instId.toLatin1() + R"("},"data":[{"formulaType":"noRate","fundingRate":")" + num(rate)
            + R"(","fundingTime":)" + str(fundingTime) + R"(,"impactValue":"","instId":")" + instId.toLatin1()
            + R"(","instType":"SWAP","interestRate":"","method":"current_period","maxFundingRate":"0.00375","minFundingRate":"-0.00375","nextFundingRate":"","nextFundingTime":)"
            + str(nextFundingTime) + R"(,"premium":"0.0000910113652644","settFundingRate":"0.0000145824401745","settState":"settled","ts":)" + str(ts) + "}]}";
    }
    static QByteArray openInterest(const QString &instId, double contracts, double coins, double usd, qint64 ts)
    {
        return R"({"arg":{"channel":"open-interest","instId":")" + instId.toLatin1() + R"("},"data":[{"instId":")" + instId.toLatin1()
            + R"(","instType":"SWAP","oi":")" + num(contracts) + R"(","oiCcy":")" + num(coins) + R"(","oiUsd":")" + num(usd) + R"(","ts":)" + str(ts) + "}]}";
    }
    struct Detail
    {
        const char *side;    // order side: buy / sell
        const char *posSide; // long / short / net
        double bkPx;
        double contracts;
        qint64 ts;
    };
    static QByteArray liquidation(const QString &instId, const QList<Detail> &details)
    {
        QByteArray rows;
        for (const Detail &d : details) {
            if (!rows.isEmpty())
                rows += ',';
            rows += R"({"bkLoss":"0","bkPx":")" + num(d.bkPx) + R"(","ccy":"","posSide":")" + d.posSide + R"(","side":")" + d.side + R"(","sz":")"
                + num(d.contracts) + R"(","ts":)" + str(d.ts) + '}';
        }
        const QByteArray family = instId.left(instId.lastIndexOf(QLatin1Char('-'))).toLatin1();
        return R"({"arg":{"channel":"liquidation-orders","instType":"SWAP"},"data":[{"details":[)" + rows + R"(],"instFamily":")" + family
            + R"(","instId":")" + instId.toLatin1() + R"(","instType":"SWAP","uly":")" + family + R"("}]})";
    }

private:
    static QString keyOf(const QJsonObject &arg)
    {
        const QString channel = arg.value(QStringLiteral("channel")).toString();
        return channel + QLatin1Char('/')
             + (arg.contains(QStringLiteral("instId")) ? arg.value(QStringLiteral("instId")).toString() : arg.value(QStringLiteral("instType")).toString());
    }

    void onClientMessage(QWebSocket *s, const QString &text)
    {
        if (text == QLatin1String("ping")) {
            s->sendTextMessage(QStringLiteral("pong"));
            return;
        }
        const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
        const QByteArray id = o.value(QStringLiteral("id")).toString().toLatin1();
        const QByteArray idField = id.isEmpty() ? QByteArray() : R"("id":")" + id + R"(",)";
        if (o.value(QStringLiteral("op")).toString() != QLatin1String("subscribe")) {
            s->sendTextMessage(QString::fromLatin1("{" + idField + R"("event":"error","code":"60019","msg":"Invalid op","connId":"fake01"})"));
            return;
        }
        const bool business = m_paths.value(s).endsWith(QLatin1String("/business"));
        for (const QJsonValue &a : o.value(QStringLiteral("args")).toArray()) {
            const QJsonObject arg = a.toObject();
            const QString channel = arg.value(QStringLiteral("channel")).toString();
            const QByteArray argText = QJsonDocument(arg).toJson(QJsonDocument::Compact);
            QByteArray refusal;
            if (!refuseChannel.isEmpty() && channel == refuseChannel)
                refusal = R"("code":"60018","msg":"Wrong URL or channel:)" + channel.toLatin1() + R"( doesn't exist.")";
            else if (channel.startsWith(QLatin1String("candle")) && !business)
                refusal = R"("code":"64001","msg":"This channel has been migrated to the '/business' URL. Please subscribe using the new URL.")";
            else if (!channel.startsWith(QLatin1String("candle")) && business)
                refusal = R"("code":"64002","msg":"This channel is not supported by business URL. Please use \"/public\" URL.")";
            if (!refusal.isEmpty()) {
                s->sendTextMessage(QString::fromLatin1("{" + idField + R"("event":"error",)" + refusal + R"(,"connId":"fake01"})"));
                continue;
            }
            m_subs[s].insert(keyOf(arg));
            s->sendTextMessage(QString::fromLatin1("{" + idField + R"("event":"subscribe","arg":)" + argText + R"(,"connId":"fake01"})"));
        }
    }

    QList<QWebSocket *> m_live;
    QHash<QWebSocket *, QSet<QString>> m_subs;
    QHash<QWebSocket *, QString> m_paths;
    QWebSocketServer m_server; // destroyed before m_live, which its handlers use
    quint16 m_port = 0;
};

} // namespace FakeOkx
