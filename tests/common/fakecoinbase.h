#pragma once

// Loopback servers for the coinbase source (research/data-formats-2.md §D.4-D.6): Advanced
// Trade REST on QTcpServer (/api/v3/brokerage/time, /market/products?product_ids=...,
// /market/products/{id}/candles: start and end in UNIX seconds, both required and both
// counted in, granularity ONE_MINUTE, at most 350 rows, newest first, every value a
// string; {"error","error_details","message"} bodies for bad requests; scripted faults) and
// the Exchange feed on QWebSocketServer (a subscribe message answered by `subscriptions`,
// pushed frames to every subscribed socket, replays of the recorded feed). Header-only and
// without Q_OBJECT, like the other fakes.

#include "domain/candle.h"
#include "domain/numbers.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

#include <map>

namespace FakeCoinbase {

struct Fault
{
    QString path; // the next request whose path starts with this
    int status = 200;
    QByteArray body;
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
    explicit RestServer(qint64 virtualNow)
        : m_offset(virtualNow - QDateTime::currentMSecsSinceEpoch())
    {
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

    std::map<QString, QVector<Candle>> candles; // by product_id, oldest first
    QSet<QString> disabled;                     // products listed with trading_disabled
    bool servesFuture = false; // candles after the server's clock too (a test's later minutes, asked for after they closed)
    QList<Fault> faults;
    QList<Logged> log;

    int countPath(const QString &prefix) const
    {
        int n = 0;
        for (const Logged &l : log)
            n += l.path.startsWith(prefix) ? 1 : 0;
        return n;
    }

private:
    QHash<QTcpSocket *, QByteArray> m_buffers;
    qint64 m_offset;
    QTcpServer m_server; // last: destroyed first

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

    static void reply(QTcpSocket *s, int status, const QByteArray &body)
    {
        s->write("HTTP/1.1 " + QByteArray::number(status) + (status == 200 ? " OK" : " Error")
                 + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    }

    static QByteArray error(const char *code, const char *message)
    {
        return QByteArray("{\"error\":\"") + code + "\",\"error_details\":\"" + message + "\",\"message\":\"" + message + "\"}";
    }

    void handle(QTcpSocket *s, const QString &path, const QUrlQuery &q)
    {
        for (qsizetype i = 0; i < faults.size(); ++i)
            if (path.startsWith(faults[i].path)) {
                const Fault f = faults.takeAt(i);
                log << Logged{path, q, f.status};
                return reply(s, f.status, f.body);
            }
        const auto [status, body] = respond(path, q);
        log << Logged{path, q, status};
        reply(s, status, body);
    }

    std::pair<int, QByteArray> respond(const QString &path, const QUrlQuery &q)
    {
        const QString base = QStringLiteral("/api/v3/brokerage");
        if (path == base + QStringLiteral("/time")) {
            const qint64 t = now();
            return {200, "{\"iso\":\"" + QDateTime::fromMSecsSinceEpoch(t, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1() + "\",\"epochSeconds\":\""
                             + QByteArray::number(t / 1000) + "\",\"epochMillis\":\"" + QByteArray::number(t) + "\"}"};
        }
        if (path == base + QStringLiteral("/market/products")) {
            QJsonArray products;
            for (const QString &id : q.allQueryItemValues(QStringLiteral("product_ids")))
                if (candles.count(id))
                    products << QJsonObject{{QStringLiteral("product_id"), id},
                                            {QStringLiteral("status"), QStringLiteral("online")},
                                            {QStringLiteral("trading_disabled"), disabled.contains(id)},
                                            {QStringLiteral("product_type"), QStringLiteral("SPOT")}};
            return {200, QJsonDocument(QJsonObject{{QStringLiteral("products"), products}, {QStringLiteral("num_products"), products.size()}})
                             .toJson(QJsonDocument::Compact)};
        }
        const QString prefix = base + QStringLiteral("/market/products/");
        if (!path.startsWith(prefix) || !path.endsWith(QLatin1String("/candles")))
            return {404, error("NOT_FOUND", "route not found")};
        const QString id = path.mid(prefix.size()).section(QLatin1Char('/'), 0, 0);
        const auto it = candles.find(id);
        if (it == candles.end())
            return {404, error("NOT_FOUND", "ProductID is invalid")};
        if (q.queryItemValue(QStringLiteral("granularity")) != QLatin1String("ONE_MINUTE") || !q.hasQueryItem(QStringLiteral("start"))
            || !q.hasQueryItem(QStringLiteral("end")))
            return {400, error("INVALID_ARGUMENT", "start, end and granularity are required")};
        const int limit = q.hasQueryItem(QStringLiteral("limit")) ? q.queryItemValue(QStringLiteral("limit")).toInt() : 350;
        if (limit < 1 || limit > 350)
            return {400, error("INVALID_ARGUMENT", "limit must be at most 350")};
        const qint64 start = q.queryItemValue(QStringLiteral("start")).toLongLong() * 1000;
        const qint64 end = q.queryItemValue(QStringLiteral("end")).toLongLong() * 1000;
        QByteArray rows;
        int n = 0;
        for (qsizetype i = it->second.size() - 1; i >= 0 && n < limit; --i) { // newest first
            const Candle &c = it->second[i];
            if (c.ts < start || c.ts > end || (!servesFuture && c.ts > now()))
                continue;
            ++n;
            if (!rows.isEmpty())
                rows += ',';
            rows += "{\"start\":\"" + QByteArray::number(c.ts / 1000) + "\",\"low\":\"" + Numbers::format(c.low) + "\",\"high\":\""
                + Numbers::format(c.high) + "\",\"open\":\"" + Numbers::format(c.open) + "\",\"close\":\"" + Numbers::format(c.close)
                + "\",\"volume\":\"" + Numbers::format(c.volume) + "\"}";
        }
        return {200, "{\"candles\":[" + rows + "]}"};
    }
};

class StreamServer
{
public:
    StreamServer()
        : m_server(QStringLiteral("fake-coinbase"), QWebSocketServer::NonSecureMode)
    {
        QObject::connect(&m_server, &QWebSocketServer::newConnection, &m_server, [this] {
            while (QWebSocket *s = m_server.nextPendingConnection()) {
                m_live << s;
                ++connections;
                QObject::connect(s, &QWebSocket::textMessageReceived, s, [this, s](const QString &text) {
                    received << text;
                    const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
                    if (o.value(QStringLiteral("type")).toString() != QLatin1String("subscribe"))
                        return;
                    QJsonArray channels;
                    for (const QJsonValue &c : o.value(QStringLiteral("channels")).toArray())
                        channels << QJsonObject{{QStringLiteral("name"), c.toString()}, {QStringLiteral("product_ids"), o.value(QStringLiteral("product_ids"))}};
                    m_subscribed << s;
                    s->sendTextMessage(QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("subscriptions")},
                                                                                    {QStringLiteral("channels"), channels}})
                                                             .toJson(QJsonDocument::Compact)));
                });
                QObject::connect(s, &QWebSocket::disconnected, s, [this, s] {
                    m_live.removeAll(s);
                    m_subscribed.removeAll(s);
                    s->deleteLater();
                });
            }
        });
        m_server.listen(QHostAddress::LocalHost);
    }

    QString url() const { return QStringLiteral("ws://127.0.0.1:%1").arg(m_server.serverPort()); }
    int subscribed() const { return int(m_subscribed.size()); }
    int connections = 0;
    QStringList received;

    void push(const QByteArray &frame)
    {
        for (QWebSocket *s : std::as_const(m_subscribed))
            s->sendTextMessage(QString::fromUtf8(frame));
    }

    // The Exchange feed's match (§D.5/D.6): side is the maker's.
    static QByteArray match(const QString &product, qint64 tradeId, const char *makerSide, double size, double price, const QString &isoTime)
    {
        return "{\"type\":\"match\",\"trade_id\":" + QByteArray::number(tradeId) + ",\"maker_order_id\":\"m\",\"taker_order_id\":\"t\",\"side\":\"" + makerSide
            + "\",\"size\":\"" + Numbers::format(size) + "\",\"price\":\"" + Numbers::format(price) + "\",\"product_id\":\"" + product.toLatin1()
            + "\",\"sequence\":1,\"time\":\"" + isoTime.toLatin1() + "\"}";
    }

private:
    QList<QWebSocket *> m_live;
    QList<QWebSocket *> m_subscribed;
    QWebSocketServer m_server; // destroyed before the lists its handlers use
};

} // namespace FakeCoinbase
