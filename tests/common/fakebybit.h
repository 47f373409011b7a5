#pragma once

// Loopback servers that speak Bybit v5 linear's exact formats (research/data-formats.md §5)
// for tests and benchmarks: REST on QTcpServer (the retCode envelope, lists newest first,
// strings for numbers and times, open interest paged by cursor, the 600 per 5 s IP limit
// answered as retCode 10006 with X-Bapi-Limit-Reset-Timestamp, scripted faults), and the
// public linear socket on QWebSocketServer (op:subscribe with acknowledgements, op:ping
// answered with ret_msg "pong", topics pushed only to sockets that subscribed them, a socket
// that goes silent, a refused subscription). Header-only and without Q_OBJECT.

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

#include <functional>
#include <map>
#include <memory>

namespace FakeBybit {

inline QByteArray num(double v)
{
    return Numbers::format(v);
}

struct Funding
{
    qint64 time = 0; // fundingRateTimestamp
    QByteArray rate; // "0.0001"
};

struct OpenInterest
{
    qint64 time = 0;
    double single = 0; // one side, coins (singleOpenInterest; openInterest = 2 x)
};

// One row of /v5/market/risk-limit, as Bybit's API answers it (rates as fractions, strings).
struct RiskLimit
{
    QByteArray value;     // riskLimitValue, USDT
    QByteArray mm;        // maintenanceMargin
    QByteArray im;        // initialMargin
    QByteArray leverage;  // maxLeverage
    QByteArray deduction; // mmDeduction ("" = none given)
};

// Hand-written tiers in the documented format (no real risk-limit capture exists).
inline QVector<RiskLimit> defaultRiskLimits()
{
    return {{"200000", "0.01", "0.02", "50.00", ""},
            {"400000", "0.015", "0.025", "40.00", "1000"},
            {"600000", "0.02", "0.03", "33.33", "3000"},
            {"800000", "0.025", "0.035", "28.57", "6000"}};
}

struct Dataset
{
    QVector<Candle> candles;
    QVector<Candle> mark;
    QVector<Funding> funding;
    QVector<OpenInterest> openInterest; // 5 min
    int fundingIntervalMinutes = 480;
    QString status = QStringLiteral("Trading");
    QVector<RiskLimit> riskLimits = defaultRiskLimits();
};

// A scripted answer for the next request whose path starts with `path`.
struct Fault
{
    QString path;
    int status = 200;
    QByteArray body; // e.g. an error envelope; empty: the normal answer
    QList<QPair<QByteArray, QByteArray>> headers;
    int delayMs = 0;
};

struct Logged
{
    QString path;
    QUrlQuery query;
    int status = 0;
    int retCode = 0;
};

inline QByteArray envelope(int retCode, const QByteArray &retMsg, const QByteArray &result, qint64 now)
{
    return R"({"retCode":)" + QByteArray::number(retCode) + R"(,"retMsg":")" + retMsg + R"(","result":)" + result
        + R"(,"retExtInfo":{},"time":)" + QByteArray::number(now) + '}';
}

class RestServer
{
public:
    // virtualNow: the server's clock at construction; it then runs at real speed. limit:
    // requests per windowMs (Bybit: 600 per 5 s per IP).
    explicit RestServer(qint64 virtualNow, int limit = 600, qint64 windowMs = 5'000)
        : m_offset(virtualNow - QDateTime::currentMSecsSinceEpoch())
        , m_limit(limit)
        , m_windowMs(windowMs)
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
    void setNow(qint64 virtualNow) { m_offset = virtualNow - QDateTime::currentMSecsSinceEpoch(); }
    void setDown(bool down)
    {
        if (down) {
            m_server.close();
            const auto open = m_sockets;
            for (QTcpSocket *s : open)
                s->abort();
        } else if (!m_server.isListening()) {
            for (int i = 0; i < 200 && !m_server.listen(QHostAddress::LocalHost, m_port); ++i)
                QThread::msleep(10);
        }
    }

    std::map<QString, Dataset> data; // by symbol
    QList<Fault> faults;
    QList<Logged> log;
    int overLimit = 0; // requests answered 10006 for the IP limit
    int maxWindowCount = 0;
    std::function<double()> openInterestNow = [] { return 12'345.678; };

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
    int m_limit;
    qint64 m_windowMs;
    qint64 m_window = -1;
    int m_count = 0;
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

    void reply(QTcpSocket *s, int status, const QByteArray &body, const QList<QPair<QByteArray, QByteArray>> &headers, int delayMs)
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

    void handle(QTcpSocket *s, const QString &path, const QUrlQuery &q)
    {
        Logged entry{path, q, 200, 0};
        for (qsizetype i = 0; i < faults.size(); ++i) {
            if (!path.startsWith(faults[i].path))
                continue;
            const Fault f = faults.takeAt(i);
            entry.status = f.status;
            entry.retCode = QJsonDocument::fromJson(f.body).object().value(QStringLiteral("retCode")).toInt();
            log << entry;
            reply(s, f.status, f.body.isEmpty() ? respond(path, q, &entry.retCode) : f.body, f.headers, f.delayMs);
            return;
        }
        const qint64 window = now() / m_windowMs;
        if (window != m_window) {
            m_window = window;
            m_count = 0;
        }
        if (m_count + 1 > m_limit) {
            ++overLimit;
            entry.retCode = 10006;
            log << entry;
            const qint64 reset = (window + 1) * m_windowMs;
            reply(s, 200, envelope(10006, "Too many visits!", "{}", now()), {{"X-Bapi-Limit-Reset-Timestamp", QByteArray::number(reset)}}, 0);
            return;
        }
        ++m_count;
        maxWindowCount = std::max(maxWindowCount, m_count);
        const QByteArray body = respond(path, q, &entry.retCode);
        log << entry;
        reply(s, path.startsWith(QLatin1String("/v5/")) ? 200 : 404, body, {}, 0);
    }

    static qint64 param(const QUrlQuery &q, const char *key, qint64 fallback)
    {
        const QString k = QLatin1String(key);
        return q.hasQueryItem(k) ? q.queryItemValue(k).toLongLong() : fallback;
    }

    // Rows of [from, to] newest first, at most limit of them (the newest ones).
    template<typename Row>
    static QVector<Row> newestFirst(const QVector<Row> &rows, qint64 from, qint64 to, int limit, std::function<qint64(const Row &)> time)
    {
        QVector<Row> out;
        for (qsizetype i = rows.size() - 1; i >= 0 && out.size() < limit; --i)
            if (time(rows[i]) >= from && time(rows[i]) <= to)
                out << rows[i];
        return out;
    }

    QByteArray respond(const QString &path, const QUrlQuery &q, int *retCode)
    {
        const auto ok = [&](const QByteArray &result) { return envelope(0, "OK", result, now()); };
        const auto error = [&](int code, const QByteArray &msg) {
            *retCode = code;
            return envelope(code, msg, "{}", now());
        };
        if (path == QLatin1String("/v5/market/time")) {
            const qint64 t = now();
            return ok(R"({"timeSecond":")" + QByteArray::number(t / 1000) + R"(","timeNano":")" + QByteArray::number(t) + R"(000000"})");
        }
        if (q.queryItemValue(QStringLiteral("category")) != QLatin1String("linear"))
            return error(10001, "params error: category");
        const QString symbol = q.queryItemValue(QStringLiteral("symbol"));
        if (path == QLatin1String("/v5/market/instruments-info")) {
            QByteArray list;
            for (const auto &[name, d] : data) {
                if (!symbol.isEmpty() && name != symbol)
                    continue;
                if (!list.isEmpty())
                    list += ',';
                list += R"({"symbol":")" + name.toLatin1() + R"(","contractType":"LinearPerpetual","status":")" + d.status.toLatin1()
                    + R"(","baseCoin":"LINK","quoteCoin":"USDT","launchTime":"1585526400000","priceScale":"3","leverageFilter":{"minLeverage":"1","maxLeverage":"50.00","leverageStep":"0.01"},"priceFilter":{"minPrice":"0.001","maxPrice":"1999.998","tickSize":"0.001"},"lotSizeFilter":{"maxOrderQty":"100000.0","minOrderQty":"0.1","qtyStep":"0.1"},"unifiedMarginTrade":true,"fundingInterval":)"
                    + QByteArray::number(d.fundingIntervalMinutes) + R"(,"settleCoin":"USDT","upperFundingRate":"0.005","lowerFundingRate":"-0.005"})";
            }
            return ok(R"({"category":"linear","list":[)" + list + R"(],"nextPageCursor":""})");
        }
        const auto it = data.find(symbol);
        if (it == data.end())
            return error(10001, "params error: symbol invalid");
        const Dataset &d = it->second;
        const int limit = int(param(q, "limit", 200));
        if (path == QLatin1String("/v5/market/kline") || path == QLatin1String("/v5/market/mark-price-kline")) {
            const bool mark = path.endsWith(QLatin1String("mark-price-kline"));
            if (q.queryItemValue(QStringLiteral("interval")) != QLatin1String("1") || limit < 1 || limit > 1000)
                return error(10001, "params error: interval or limit");
            const auto rows = newestFirst<Candle>(mark ? d.mark : d.candles, param(q, "start", 0), param(q, "end", now()), limit,
                                                  [](const Candle &c) { return c.ts; });
            QByteArray list;
            for (const Candle &c : rows) {
                if (!list.isEmpty())
                    list += ',';
                list += "[\"" + QByteArray::number(c.ts) + "\",\"" + num(c.open) + "\",\"" + num(c.high) + "\",\"" + num(c.low) + "\",\""
                    + num(c.close) + '"';
                if (!mark)
                    list += ",\"" + num(c.volume) + "\",\"" + num(c.quoteVolume) + '"';
                list += ']';
            }
            return ok(R"({"symbol":")" + symbol.toLatin1() + R"(","category":"linear","list":[)" + list + "]}");
        }
        if (path == QLatin1String("/v5/market/funding/history")) {
            if (q.hasQueryItem(QStringLiteral("startTime")) && !q.hasQueryItem(QStringLiteral("endTime")))
                return error(10001, "params error: startTime without endTime"); // as Bybit refuses it
            if (limit < 1 || limit > 200)
                return error(10001, "params error: limit");
            const auto rows = newestFirst<Funding>(d.funding, param(q, "startTime", 0), param(q, "endTime", now()), limit,
                                                   [](const Funding &f) { return f.time; });
            QByteArray list;
            for (const Funding &f : rows) {
                if (!list.isEmpty())
                    list += ',';
                list += R"({"symbol":")" + symbol.toLatin1() + R"(","fundingRate":")" + f.rate + R"(","fundingRateTimestamp":")"
                    + QByteArray::number(f.time) + R"("})";
            }
            return ok(R"({"category":"linear","list":[)" + list + "]}");
        }
        if (path == QLatin1String("/v5/market/open-interest")) {
            if (q.queryItemValue(QStringLiteral("intervalTime")) != QLatin1String("5min") || limit < 1 || limit > 200)
                return error(10001, "params error: intervalTime or limit");
            const auto rows = newestFirst<OpenInterest>(d.openInterest, param(q, "startTime", 0), param(q, "endTime", now()),
                                                        std::numeric_limits<int>::max(), [](const OpenInterest &o) { return o.time; });
            // The cursor: "lastid=<offset>&lasttime=<s>", URL-encoded as Bybit sends it.
            QString cursor = q.queryItemValue(QStringLiteral("cursor"), QUrl::FullyDecoded);
            cursor.replace(QStringLiteral("%3D"), QStringLiteral("=")).replace(QStringLiteral("%26"), QStringLiteral("&"));
            const qsizetype offset = cursor.isEmpty() ? 0 : QUrlQuery(cursor).queryItemValue(QStringLiteral("lastid")).toLongLong();
            QByteArray list;
            qsizetype i = offset;
            for (; i < rows.size() && i < offset + limit; ++i) {
                if (!list.isEmpty())
                    list += ',';
                list += R"({"openInterest":")" + num(rows[i].single * 2) + R"(","singleOpenInterest":")" + num(rows[i].single)
                    + R"(","timestamp":")" + QByteArray::number(rows[i].time) + R"("})";
            }
            const QByteArray next = i < rows.size() ? "lastid%3D" + QByteArray::number(i) + "%26lasttime%3D" + QByteArray::number(rows[i - 1].time / 1000)
                                                    : QByteArray();
            return ok(R"({"symbol":")" + symbol.toLatin1() + R"(","category":"linear","list":[)" + list + R"(],"nextPageCursor":")" + next + R"("})");
        }
        if (path == QLatin1String("/v5/market/risk-limit")) {
            QByteArray list;
            int id = 0;
            for (const RiskLimit &r : d.riskLimits) {
                if (!list.isEmpty())
                    list += ',';
                ++id;
                list += R"({"id":)" + QByteArray::number(id) + R"(,"symbol":")" + symbol.toLatin1() + R"(","riskLimitValue":")" + r.value
                    + R"(","maintenanceMargin":")" + r.mm + R"(","initialMargin":")" + r.im + R"(","isLowestRisk":)" + (id == 1 ? "1" : "0")
                    + R"(,"maxLeverage":")" + r.leverage + R"(","mmDeduction":")" + r.deduction + R"("})";
            }
            return ok(R"({"category":"linear","list":[)" + list + R"(],"nextPageCursor":""})");
        }
        if (path == QLatin1String("/v5/market/tickers")) {
            const double oi = openInterestNow();
            const double last = d.candles.isEmpty() ? 1 : d.candles.back().close;
            return ok(R"({"category":"linear","list":[{"symbol":")" + symbol.toLatin1() + R"(","lastPrice":")" + num(last) + R"(","markPrice":")"
                      + num(last) + R"(","openInterest":")" + num(oi * 2) + R"(","openInterestValue":")" + num(oi * 2 * last)
                      + R"(","singleOpenInterest":")" + num(oi) + R"(","singleOpenInterestValue":")" + num(oi * last)
                      + R"(","fundingRate":"0.0001","nextFundingTime":"0","fundingIntervalHour":"8","deliveryTime":"0","preOpenPrice":""}]})");
        }
        return error(10017, "route not found");
    }
};

class StreamServer
{
public:
    StreamServer()
        : m_server(QStringLiteral("fake-bybit"), QWebSocketServer::NonSecureMode)
    {
        QObject::connect(&m_server, &QWebSocketServer::newConnection, &m_server, [this] {
            while (QWebSocket *s = m_server.nextPendingConnection()) {
                urls << s->requestUrl();
                const bool silent = silentConnections > 0;
                if (silent)
                    --silentConnections; // accepted, then never answers: no ack, no pong, no data
                m_live << s;
                QObject::connect(s, &QWebSocket::textMessageReceived, s, [this, s, silent](const QString &text) {
                    received << text;
                    if (!silent)
                        onClientMessage(s, text);
                });
                QObject::connect(s, &QWebSocket::disconnected, s, [this, s] {
                    m_live.removeAll(s);
                    m_topics.remove(s);
                    s->deleteLater();
                });
            }
        });
        m_server.listen(QHostAddress::LocalHost);
        m_port = m_server.serverPort();
    }

    QString url() const { return QStringLiteral("ws://127.0.0.1:%1").arg(m_port); }
    int connections() const { return int(urls.size()); }
    // Sockets that subscribed something (and so receive pushes).
    int subscribedConnections() const
    {
        int n = 0;
        for (auto it = m_topics.cbegin(); it != m_topics.cend(); ++it)
            n += it.value().isEmpty() ? 0 : 1;
        return n;
    }
    int pings() const
    {
        int n = 0;
        for (const QString &m : received)
            n += m.contains(QLatin1String(R"("op":"ping")")) ? 1 : 0;
        return n;
    }
    QList<QUrl> urls;
    QStringList received;       // every text frame clients sent
    int silentConnections = 0;  // the next N sockets never answer
    QString refuseTopic;        // subscriptions naming it are refused (success:false)

    // Sends to every socket subscribed to the message's topic.
    void push(const QByteArray &message)
    {
        const QString topic = QJsonDocument::fromJson(message).object().value(QStringLiteral("topic")).toString();
        for (QWebSocket *s : std::as_const(m_live))
            if (m_topics.value(s).contains(topic))
                s->sendTextMessage(QString::fromUtf8(message));
    }
    void dropAll()
    {
        const auto live = m_live;
        for (QWebSocket *s : live)
            s->abort();
    }
    void setDown(bool down)
    {
        if (down) {
            m_server.close();
            dropAll();
        } else if (!m_server.isListening()) {
            for (int i = 0; i < 200 && !m_server.listen(QHostAddress::LocalHost, m_port); ++i)
                QThread::msleep(10);
        }
    }

    static QByteArray liquidation(const QString &symbol, qint64 time, const char *positionSide, double price, double qty)
    {
        return R"({"topic":"allLiquidation.)" + symbol.toLatin1() + R"(","type":"snapshot","ts":)" + QByteArray::number(time + 270)
            + R"(,"data":[{"T":)" + QByteArray::number(time) + R"(,"s":")" + symbol.toLatin1() + R"(","S":")" + positionSide + R"(","v":")"
            + num(qty) + R"(","p":")" + num(price) + R"("}]})";
    }
    static QByteArray kline(const QString &symbol, const QVector<QPair<Candle, bool>> &bars, qint64 ts)
    {
        QByteArray data;
        for (const auto &[c, confirm] : bars) {
            if (!data.isEmpty())
                data += ',';
            data += R"({"start":)" + QByteArray::number(c.ts) + R"(,"end":)" + QByteArray::number(c.ts + 59'999) + R"(,"interval":"1","open":")"
                + num(c.open) + R"(","close":")" + num(c.close) + R"(","high":")" + num(c.high) + R"(","low":")" + num(c.low)
                + R"(","volume":")" + num(c.volume) + R"(","turnover":")" + num(c.quoteVolume) + R"(","confirm":)"
                + (confirm ? "true" : "false") + R"(,"timestamp":)" + QByteArray::number(ts) + '}';
        }
        return R"({"topic":"kline.1.)" + symbol.toLatin1() + R"(","data":[)" + data + R"(],"ts":)" + QByteArray::number(ts) + R"(,"type":"snapshot"})";
    }

private:
    void onClientMessage(QWebSocket *s, const QString &text)
    {
        const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
        const QString op = o.value(QStringLiteral("op")).toString();
        const QByteArray reqId = o.value(QStringLiteral("req_id")).toString().toLatin1();
        if (op == QLatin1String("ping")) {
            s->sendTextMessage(QString::fromLatin1(R"({"success":true,"ret_msg":"pong","conn_id":"fake-conn","req_id":")" + reqId + R"(","op":"ping"})"));
        } else if (op == QLatin1String("subscribe")) {
            bool refused = false;
            for (const QJsonValue &a : o.value(QStringLiteral("args")).toArray()) {
                if (!refuseTopic.isEmpty() && a.toString().contains(refuseTopic))
                    refused = true;
                else
                    m_topics[s].insert(a.toString());
            }
            s->sendTextMessage(QString::fromLatin1(R"({"success":)" + QByteArray(refused ? "false" : "true") + R"(,"ret_msg":")"
                                                   + (refused ? QByteArray("Invalid topic: ") + refuseTopic.toLatin1() : QByteArray()) + R"(","conn_id":"fake-conn","req_id":")"
                                                   + reqId + R"(","op":"subscribe"})"));
        }
    }

    QList<QWebSocket *> m_live;
    QHash<QWebSocket *, QSet<QString>> m_topics;
    QWebSocketServer m_server; // destroyed before m_live, which its handlers use
    quint16 m_port = 0;
};

} // namespace FakeBybit
