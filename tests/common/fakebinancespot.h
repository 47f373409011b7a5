#pragma once

// Loopback servers that speak Binance spot's exact formats (research/data-formats-2.md §D.1,
// §D.2) for tests: REST on QTcpServer (/api/v3/time, /api/v3/exchangeInfo?symbols=[...]
// answered from the real 2021 exchangeInfo slice, /api/v3/klines of at most 1000 rows at
// weight 2, the X-MBX-USED-WEIGHT-1M header, 429 with Retry-After over the weight limit,
// -1121 for an unknown symbol, scripted faults) and the combined stream on QWebSocketServer
// (/stream?streams=..., {"stream":...,"data":...} frames pushed to the sockets whose URL
// names the stream). Kept apart from fakebinance.h: USDⓈ-M's paths, weight table and /market
// routing differ, and its tests depend on its counters. Header-only and without Q_OBJECT.

#include "domain/candle.h"
#include "domain/numbers.h"
#include "domain/timeframe.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

#include <map>

namespace FakeBinanceSpot {

inline QByteArray num(double v)
{
    return Numbers::format(v);
}

struct Fault
{
    QString path; // the next request whose path starts with this
    int status = 200;
    QByteArray body; // empty: the normal answer
    QList<QPair<QByteArray, QByteArray>> headers;
};

struct Logged
{
    QString path;
    QUrlQuery query;
    int status = 0;
};

class RestServer
{
public:
    // virtualNow: the server's clock at construction; exchangeInfo: a real /api/v3/exchangeInfo body.
    RestServer(qint64 virtualNow, QByteArray exchangeInfo, int weightLimit = 6000)
        : m_offset(virtualNow - QDateTime::currentMSecsSinceEpoch())
        , m_info(QJsonDocument::fromJson(exchangeInfo).object())
        , m_limit(weightLimit)
    {
        // The served limit is this server's, not the 2021 capture's 1200.
        QJsonArray limits = m_info.value(QStringLiteral("rateLimits")).toArray();
        for (qsizetype i = 0; i < limits.size(); ++i) {
            QJsonObject l = limits[i].toObject();
            if (l.value(QStringLiteral("rateLimitType")).toString() == QLatin1String("REQUEST_WEIGHT"))
                l[QStringLiteral("limit")] = weightLimit;
            limits[i] = l;
        }
        m_info[QStringLiteral("rateLimits")] = limits;
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                QObject::connect(s, &QTcpSocket::readyRead, s, [this, s] { onData(s); });
                QObject::connect(s, &QTcpSocket::disconnected, s, [this, s] {
                    m_buffers.remove(s);
                    s->deleteLater();
                });
            }
        });
        m_server.listen(QHostAddress::LocalHost);
    }

    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()); }
    qint64 now() const { return QDateTime::currentMSecsSinceEpoch() + m_offset; }

    std::map<QString, QVector<Candle>> candles; // by symbol, oldest first
    QList<Fault> faults;
    QList<Logged> log;
    int weightUsed = 0; // in the current minute
    int maxWeightSeen = 0;

    int countPath(const QString &path) const
    {
        int n = 0;
        for (const Logged &l : log)
            n += l.path == path ? 1 : 0;
        return n;
    }

private:
    QHash<QTcpSocket *, QByteArray> m_buffers;
    qint64 m_offset;
    QJsonObject m_info;
    int m_limit;
    qint64 m_minute = 0;
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

    void reply(QTcpSocket *s, int status, const QByteArray &body, QList<QPair<QByteArray, QByteArray>> headers)
    {
        headers << qMakePair(QByteArray("X-MBX-USED-WEIGHT-1M"), QByteArray::number(weightUsed));
        QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + (status == 200 ? " OK" : " Error") + "\r\n";
        out += "Content-Type: application/json;charset=UTF-8\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
        for (const auto &h : headers)
            out += h.first + ": " + h.second + "\r\n";
        s->write(out + "\r\n" + body);
    }

    static QByteArray error(int code, const char *msg)
    {
        return "{\"code\":" + QByteArray::number(code) + ",\"msg\":\"" + msg + "\"}";
    }

    void handle(QTcpSocket *s, const QString &path, const QUrlQuery &q)
    {
        const qint64 minute = Timeframes::floor(Timeframe::M1, now());
        if (minute != m_minute) {
            m_minute = minute;
            weightUsed = 0;
        }
        const int weight = path == QLatin1String("/api/v3/klines") ? 2 : path == QLatin1String("/api/v3/exchangeInfo") ? 20 : 1;
        for (qsizetype i = 0; i < faults.size(); ++i) {
            if (!path.startsWith(faults[i].path))
                continue;
            const Fault f = faults.takeAt(i);
            log << Logged{path, q, f.status};
            weightUsed += weight;
            reply(s, f.status, f.body.isEmpty() ? respond(path, q).second : f.body, f.headers);
            return;
        }
        if (weightUsed + weight > m_limit) {
            log << Logged{path, q, 429};
            reply(s, 429, error(-1003, "Too much request weight used; current limit is 6000 request weight per 1 MINUTE."),
                  {qMakePair(QByteArray("Retry-After"), QByteArray("1"))});
            return;
        }
        weightUsed += weight;
        maxWeightSeen = std::max(maxWeightSeen, weightUsed);
        const auto [status, body] = respond(path, q);
        log << Logged{path, q, status};
        reply(s, status, body, {});
    }

    std::pair<int, QByteArray> respond(const QString &path, const QUrlQuery &q)
    {
        if (path == QLatin1String("/api/v3/time"))
            return {200, "{\"serverTime\":" + QByteArray::number(now()) + '}'};
        if (path == QLatin1String("/api/v3/exchangeInfo")) {
            QJsonObject info = m_info;
            info[QStringLiteral("serverTime")] = double(now());
            const QJsonArray asked = QJsonDocument::fromJson(q.queryItemValue(QStringLiteral("symbols"), QUrl::FullyDecoded).toUtf8()).array();
            if (q.hasQueryItem(QStringLiteral("symbols"))) {
                QJsonArray kept;
                for (const QJsonValue &v : info.value(QStringLiteral("symbols")).toArray())
                    if (asked.contains(v.toObject().value(QStringLiteral("symbol"))))
                        kept << v;
                if (kept.size() != asked.size())
                    return {400, error(-1121, "Invalid symbol.")};
                info[QStringLiteral("symbols")] = kept;
            }
            return {200, QJsonDocument(info).toJson(QJsonDocument::Compact)};
        }
        if (path != QLatin1String("/api/v3/klines"))
            return {404, "<html><body><h2>404 Not found</h2></body></html>"};
        const auto it = candles.find(q.queryItemValue(QStringLiteral("symbol")));
        if (it == candles.end())
            return {400, error(-1121, "Invalid symbol.")};
        if (q.queryItemValue(QStringLiteral("interval")) != QLatin1String("1m"))
            return {400, error(-1120, "Invalid interval.")};
        const int limit = q.hasQueryItem(QStringLiteral("limit")) ? q.queryItemValue(QStringLiteral("limit")).toInt() : 500;
        if (limit < 1 || limit > 1000)
            return {400, error(-1130, "Invalid data sent for a parameter.")};
        const qint64 from = q.hasQueryItem(QStringLiteral("startTime")) ? q.queryItemValue(QStringLiteral("startTime")).toLongLong() : 0;
        const qint64 to = q.hasQueryItem(QStringLiteral("endTime")) ? q.queryItemValue(QStringLiteral("endTime")).toLongLong() : now();
        QByteArray rows;
        int n = 0;
        for (const Candle &c : it->second) {
            if (c.ts < from || c.ts > to || c.ts > now() || n >= limit)
                continue;
            ++n;
            if (!rows.isEmpty())
                rows += ',';
            // [open time, o, h, l, c, volume, close time, quote volume, trades, taker buy base, taker buy quote, ignore]
            rows += '[' + QByteArray::number(c.ts) + ",\"" + num(c.open) + "\",\"" + num(c.high) + "\",\"" + num(c.low) + "\",\"" + num(c.close)
                + "\",\"" + num(c.volume) + "\"," + QByteArray::number(c.ts + 59'999) + ",\"" + num(c.quoteVolume) + "\",17,\""
                + num(c.takerBuyVolume) + "\",\"" + num(c.takerBuyVolume * c.close) + "\",\"0\"]";
        }
        return {200, '[' + rows + ']'};
    }
};

class StreamServer
{
public:
    StreamServer()
        : m_server(QStringLiteral("fake-binance-spot"), QWebSocketServer::NonSecureMode)
    {
        QObject::connect(&m_server, &QWebSocketServer::newConnection, &m_server, [this] {
            while (QWebSocket *s = m_server.nextPendingConnection()) {
                urls << s->requestUrl();
                m_live << s;
                QObject::connect(s, &QWebSocket::disconnected, s, [this, s] {
                    m_live.removeAll(s);
                    s->deleteLater();
                });
            }
        });
        m_server.listen(QHostAddress::LocalHost);
    }

    QString url() const { return QStringLiteral("ws://127.0.0.1:%1").arg(m_server.serverPort()); }
    int connections() const { return int(urls.size()); }
    int live() const { return int(m_live.size()); }
    QList<QUrl> urls;

    // A combined-stream frame to every socket whose URL subscribed its "stream" (any frame
    // without one goes to all).
    void push(const QByteArray &frame)
    {
        const QString stream = QJsonDocument::fromJson(frame).object().value(QStringLiteral("stream")).toString();
        for (QWebSocket *s : std::as_const(m_live)) {
            const QStringList streams = QUrlQuery(s->requestUrl().query()).queryItemValue(QStringLiteral("streams")).split(QLatin1Char('/'));
            if (stream.isEmpty() || streams.contains(stream))
                s->sendTextMessage(QString::fromUtf8(frame));
        }
    }
    void dropAll()
    {
        const auto live = m_live;
        for (QWebSocket *s : live)
            s->abort();
    }

    // The documented kline_1m frame (§D.2) for a bar of `symbol`.
    static QByteArray kline(const QString &symbol, const Candle &c, bool closed, qint64 eventTime)
    {
        const QByteArray s = symbol.toLatin1();
        return "{\"stream\":\"" + s.toLower() + "@kline_1m\",\"data\":{\"e\":\"kline\",\"E\":" + QByteArray::number(eventTime) + ",\"s\":\"" + s
            + "\",\"k\":{\"t\":" + QByteArray::number(c.ts) + ",\"T\":" + QByteArray::number(c.ts + 59'999) + ",\"s\":\"" + s
            + "\",\"i\":\"1m\",\"f\":100,\"L\":200,\"o\":\"" + num(c.open) + "\",\"c\":\"" + num(c.close) + "\",\"h\":\"" + num(c.high)
            + "\",\"l\":\"" + num(c.low) + "\",\"v\":\"" + num(c.volume) + "\",\"n\":101,\"x\":" + (closed ? "true" : "false") + ",\"q\":\""
            + num(c.quoteVolume) + "\",\"V\":\"" + num(c.takerBuyVolume) + "\",\"Q\":\"" + num(c.takerBuyVolume * c.close) + "\",\"B\":\"0\"}}}";
    }

private:
    QList<QWebSocket *> m_live;
    QWebSocketServer m_server; // destroyed before m_live, which its handlers use
};

} // namespace FakeBinanceSpot
