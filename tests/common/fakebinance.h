#pragma once

// Loopback servers that speak Binance USDⓈ-M's exact formats (research/data-formats.md
// §1-3) for tests and benchmarks: an HTTP/1.1 REST server on QTcpServer with request-weight
// accounting and scripted faults, and a market stream on QWebSocketServer. Either can speak
// TLS with a given certificate (tests/data/tls) and can be taken down and brought back on
// the same port (the network dropped and restored). Header-only and without Q_OBJECT, so
// any test can include it.

#include "domain/candle.h"
#include "domain/numbers.h"
#include "domain/openinterestsample.h"
#include "domain/timeframe.h"

#include <QDateTime>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

#include <QThread>

#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace FakeBinance {

inline QByteArray num(double v)
{
    return Numbers::format(v);
}

struct Funding
{
    qint64 time = 0; // as Binance stamps it: a few ms past the hour
    QByteArray rate; // "0.00010000"
};

struct Dataset
{
    QVector<Candle> candles;
    QVector<Candle> mark;
    QVector<Funding> funding;
    QVector<OpenInterestSample> openInterest; // 5m history
};

// A scripted answer for the next request whose path starts with `path`.
struct Fault
{
    QString path;
    int status = 200;
    QByteArray body;                // empty: the normal body (then cut in half if truncate)
    QList<QPair<QByteArray, QByteArray>> headers;
    int delayMs = 0;                // answer late (a slow server)
    bool truncate = false;          // a 200 whose JSON body stops halfway
    int dripMs = 0;                 // send the answer a byte at a time, this far apart (a slow drip)
};

// A server certificate and its key (PEM files), for a TLS server.
struct Tls
{
    QString certificate;
    QString key;

    QSslConfiguration configuration() const
    {
        QFile c(certificate), k(key);
        c.open(QIODevice::ReadOnly);
        k.open(QIODevice::ReadOnly);
        QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
        conf.setLocalCertificate(QSslCertificate(&c, QSsl::Pem));
        conf.setPrivateKey(QSslKey(&k, QSsl::Rsa, QSsl::Pem));
        conf.setPeerVerifyMode(QSslSocket::VerifyNone);
        return conf;
    }
};

struct Logged
{
    QString path;
    QUrlQuery query;
    qint64 realMs = 0; // when it arrived (local clock)
    int status = 0;
    int weight = 0;
};

class RestServer
{
public:
    // virtualNow: the server's clock at construction; it then runs at real speed.
    RestServer(qint64 virtualNow, int weightLimit, qint64 windowMs, const std::optional<Tls> &tls = {})
        : m_offset(virtualNow - QDateTime::currentMSecsSinceEpoch())
        , m_limit(weightLimit)
        , m_windowMs(windowMs)
        , m_tls(tls.has_value())
    {
        QFile info(QStringLiteral(PERPSCOPE_TEST_DATA "/binance/fapi-exchangeInfo-2021-07-21-slice.json"));
        info.open(QIODevice::ReadOnly);
        m_exchangeInfo = QJsonDocument::fromJson(info.readAll()).object();
        if (tls) {
            auto server = std::make_unique<QSslServer>();
            server->setSslConfiguration(tls->configuration());
            QObject::connect(server.get(), &QSslServer::errorOccurred, server.get(), [this](QSslSocket *, QAbstractSocket::SocketError) { ++handshakeFailures; });
            m_server = std::move(server);
        } else {
            m_server = std::make_unique<QTcpServer>();
        }
        // pendingConnectionAvailable: a QSslServer queues a connection once its handshake is done.
        QObject::connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, m_server.get(), [this] {
            while (QTcpSocket *s = m_server->nextPendingConnection()) {
                m_sockets << s;
                QObject::connect(s, &QTcpSocket::readyRead, s, [this, s] { onData(s); });
                QObject::connect(s, &QTcpSocket::disconnected, s, [this, s] {
                    m_buffers.remove(s);
                    m_sockets.removeAll(s);
                    s->deleteLater();
                });
                if (s->bytesAvailable() > 0) // TLS: the request may have come with the end of the handshake
                    onData(s);
            }
        });
        m_server->listen(QHostAddress::LocalHost);
        m_port = m_server->serverPort();
    }

    QString url() const { return QStringLiteral("%1://127.0.0.1:%2").arg(m_tls ? "https" : "http").arg(m_port); }
    int handshakeFailures = 0; // TLS: connections whose handshake failed (the client refused us)

    // The network goes away: no listener, every connection cut. And back on the same port.
    void setDown(bool down)
    {
        if (down) {
            m_server->close();
            const auto open = m_sockets;
            for (QTcpSocket *s : open)
                s->abort();
        } else if (!m_server->isListening()) {
            for (int i = 0; i < 200 && !m_server->listen(QHostAddress::LocalHost, m_port); ++i)
                QThread::msleep(10); // the port may linger a moment
        }
    }
    bool isDown() const { return !m_server->isListening(); }
    qint64 now() const { return QDateTime::currentMSecsSinceEpoch() + m_offset; }
    // Moves the server's clock (it runs on at real speed from there), e.g. to keep it just
    // after the minutes a test streams faster than real time.
    void setNow(qint64 virtualNow) { m_offset = virtualNow - QDateTime::currentMSecsSinceEpoch(); }
    std::map<QString, Dataset> data; // by symbol
    QList<Fault> faults;
    QList<Logged> log;
    QVector<OpenInterestSample> polled; // answers of /fapi/v1/openInterest
    int overLimit = 0;                  // requests beyond the advertised weight (answered 429)
    int maxWindowWeight = 0;
    std::function<double()> openInterestNow = [] { return 23'456'789.5; };

    int countPath(const QString &prefix) const
    {
        int n = 0;
        for (const Logged &l : log)
            n += l.path.startsWith(prefix) ? 1 : 0;
        return n;
    }

    static int klineWeight(int limit) { return limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10; }

private:
    QHash<QTcpSocket *, QByteArray> m_buffers;
    qint64 m_offset;
    int m_limit;
    qint64 m_windowMs;
    qint64 m_window = -1;
    int m_used = 0;
    QJsonObject m_exchangeInfo;
    bool m_tls = false;
    quint16 m_port = 0;
    QList<QTcpSocket *> m_sockets;
    std::unique_ptr<QTcpServer> m_server; // last: destroyed first, while what its sockets' handlers use still lives

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

    void reply(QTcpSocket *s, int status, const QByteArray &body, const QList<QPair<QByteArray, QByteArray>> &headers, int delayMs, int dripMs = 0)
    {
        QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + (status == 200 ? " OK" : " Error") + "\r\n";
        out += "Content-Type: application/json;charset=UTF-8\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
        for (const auto &h : headers)
            out += h.first + ": " + h.second + "\r\n";
        out += "\r\n" + body;
        QPointer<QTcpSocket> guard(s);
        if (dripMs > 0) { // the headers, then the body a byte at a time: never silent long enough for an inactivity timeout
            s->write(out.left(out.size() - body.size()));
            auto *timer = new QTimer(s);
            auto sent = std::make_shared<qsizetype>(0);
            QObject::connect(timer, &QTimer::timeout, s, [guard, body, sent, timer] {
                if (!guard || *sent >= body.size())
                    return timer->stop();
                guard->write(body.mid((*sent)++, 1));
            });
            timer->start(dripMs);
        } else if (delayMs > 0)
            QTimer::singleShot(delayMs, s, [guard, out] {
                if (guard)
                    guard->write(out);
            });
        else
            s->write(out);
    }

    QByteArray weightHeaderName() const
    {
        const char unit = m_windowMs % 60'000 == 0 ? 'M' : 'S';
        return "X-MBX-USED-WEIGHT-" + QByteArray::number(unit == 'M' ? m_windowMs / 60'000 : m_windowMs / 1000) + unit;
    }

    int weightOf(const QString &path, const QUrlQuery &q) const
    {
        if (path.endsWith(QLatin1String("klines")) || path.endsWith(QLatin1String("Klines")))
            return klineWeight(q.queryItemValue(QStringLiteral("limit")).toInt());
        if (path.startsWith(QLatin1String("/futures/data/")))
            return 0; // openInterestHist: weight 0, its own bucket
        return 1;
    }

    void handle(QTcpSocket *s, const QString &path, const QUrlQuery &q)
    {
        Logged entry{path, q, QDateTime::currentMSecsSinceEpoch(), 200, 0};
        for (qsizetype i = 0; i < faults.size(); ++i) {
            if (!path.startsWith(faults[i].path))
                continue;
            const Fault f = faults.takeAt(i);
            QByteArray body = f.body.isEmpty() ? respond(path, q) : f.body;
            if (f.truncate)
                body.truncate(body.size() / 2);
            entry.status = f.status;
            log << entry;
            reply(s, f.status, body, f.headers, f.delayMs, f.dripMs);
            return;
        }
        // Weight per calendar window of the server clock, as Binance counts it.
        const int w = weightOf(path, q);
        const qint64 window = now() / m_windowMs;
        if (window != m_window) {
            m_window = window;
            m_used = 0;
        }
        if (m_used + w > m_limit) {
            ++overLimit;
            entry.status = 429;
            log << entry;
            const qint64 wait = (window + 1) * m_windowMs - now();
            reply(s, 429, R"({"code":-1003,"msg":"Too much request weight used; current limit is )" + QByteArray::number(m_limit) + R"( request weight."})",
                  {{"Retry-After", QByteArray::number(std::max<qint64>(1, (wait + 999) / 1000))}}, 0);
            return;
        }
        m_used += w;
        maxWindowWeight = std::max(maxWindowWeight, m_used);
        entry.weight = w;
        const QByteArray body = respond(path, q);
        entry.status = body.isEmpty() ? 400 : 200;
        log << entry;
        if (body.isEmpty())
            reply(s, 400, R"({"code":-1121,"msg":"Invalid symbol."})", {{weightHeaderName(), QByteArray::number(m_used)}}, 0);
        else
            reply(s, 200, body, {{weightHeaderName(), QByteArray::number(m_used)}}, 0);
    }

    template<typename Row>
    static QVector<Row> window(const QVector<Row> &rows, const QUrlQuery &q, std::function<qint64(const Row &)> time)
    {
        const qint64 start = q.hasQueryItem(QStringLiteral("startTime")) ? q.queryItemValue(QStringLiteral("startTime")).toLongLong() : 0;
        const qint64 end = q.hasQueryItem(QStringLiteral("endTime")) ? q.queryItemValue(QStringLiteral("endTime")).toLongLong()
                                                                       : std::numeric_limits<qint64>::max();
        const int limit = q.queryItemValue(QStringLiteral("limit")).toInt();
        QVector<Row> out;
        for (const Row &r : rows) // the first `limit` rows in [startTime, endTime], oldest first
            if (time(r) >= start && time(r) <= end && out.size() < limit)
                out << r;
        return out;
    }

    QByteArray respond(const QString &path, const QUrlQuery &q)
    {
        if (path == QLatin1String("/fapi/v1/time"))
            return R"({"serverTime":)" + QByteArray::number(now()) + "}";
        if (path == QLatin1String("/fapi/v1/exchangeInfo")) {
            QJsonObject o = m_exchangeInfo;
            const bool minutes = m_windowMs % 60'000 == 0;
            o[QStringLiteral("serverTime")] = double(now());
            o[QStringLiteral("rateLimits")] = QJsonArray{
                QJsonObject{{QStringLiteral("rateLimitType"), QStringLiteral("REQUEST_WEIGHT")},
                            {QStringLiteral("interval"), minutes ? QStringLiteral("MINUTE") : QStringLiteral("SECOND")},
                            {QStringLiteral("intervalNum"), int(minutes ? m_windowMs / 60'000 : m_windowMs / 1000)},
                            {QStringLiteral("limit"), m_limit}},
                QJsonObject{{QStringLiteral("rateLimitType"), QStringLiteral("ORDERS")}, {QStringLiteral("interval"), QStringLiteral("MINUTE")},
                            {QStringLiteral("intervalNum"), 1}, {QStringLiteral("limit"), 1200}}};
            return QJsonDocument(o).toJson(QJsonDocument::Compact);
        }
        const QString symbol = q.queryItemValue(QStringLiteral("symbol"));
        const auto it = data.find(symbol);
        if (it == data.end())
            return {};
        const Dataset &d = it->second;
        if (path == QLatin1String("/fapi/v1/klines") || path == QLatin1String("/fapi/v1/markPriceKlines")) {
            const bool mark = path.endsWith(QLatin1String("markPriceKlines"));
            const auto rows = window<Candle>(mark ? d.mark : d.candles, q, [](const Candle &c) { return c.ts; });
            QByteArray out = "[";
            for (const Candle &c : rows) {
                if (out.size() > 1)
                    out += ',';
                out += '[' + QByteArray::number(c.ts) + ",\"" + num(c.open) + "\",\"" + num(c.high) + "\",\"" + num(c.low) + "\",\""
                    + num(c.close) + "\",\"" + num(c.volume) + "\"," + QByteArray::number(c.ts + 59'999) + ",\"" + num(c.quoteVolume)
                    + "\"," + (mark ? "60" : "1234") + ",\"" + num(c.takerBuyVolume) + "\",\"" + num(c.takerBuyVolume * c.close)
                    + "\",\"0\"]";
            }
            return out + ']';
        }
        if (path == QLatin1String("/fapi/v1/fundingRate")) {
            const auto rows = window<Funding>(d.funding, q, [](const Funding &f) { return f.time; });
            QByteArray out = "[";
            for (const Funding &f : rows) {
                if (out.size() > 1)
                    out += ',';
                out += R"({"symbol":")" + symbol.toLatin1() + R"(","fundingTime":)" + QByteArray::number(f.time) + R"(,"fundingRate":")"
                    + f.rate + R"(","markPrice":"6.95000000"})";
            }
            return out + ']';
        }
        if (path == QLatin1String("/futures/data/openInterestHist")) {
            const auto rows = window<OpenInterestSample>(d.openInterest, q, [](const OpenInterestSample &o) { return o.ts; });
            QByteArray out = "[";
            for (const OpenInterestSample &o : rows) {
                if (out.size() > 1)
                    out += ',';
                // Documented as a string, sent as a number: serve both.
                const QByteArray ts = (o.ts / 300'000) % 7 == 0 ? '"' + QByteArray::number(o.ts) + '"' : QByteArray::number(o.ts);
                out += R"({"symbol":")" + symbol.toLatin1() + R"(","sumOpenInterest":")" + num(o.openInterest)
                    + R"(","sumOpenInterestValue":")" + num(o.openInterestUsd) + R"(","CMCCirculatingSupply":"165880.538","timestamp":)" + ts
                    + '}';
            }
            return out + ']';
        }
        if (path == QLatin1String("/fapi/v1/openInterest")) {
            const OpenInterestSample o{now(), openInterestNow(), 0};
            polled << o;
            return R"({"openInterest":")" + num(o.openInterest) + R"(","symbol":")" + symbol.toLatin1() + R"(","time":)"
                + QByteArray::number(o.ts) + '}';
        }
        return {};
    }
};

class StreamServer
{
public:
    explicit StreamServer(const std::optional<Tls> &tls = {})
        : m_server(QStringLiteral("fake-fstream"), tls ? QWebSocketServer::SecureMode : QWebSocketServer::NonSecureMode)
        , m_tls(tls.has_value())
    {
        if (tls)
            m_server.setSslConfiguration(tls->configuration());
        QObject::connect(&m_server, &QWebSocketServer::newConnection, &m_server, [this] {
            while (QWebSocket *s = m_server.nextPendingConnection()) {
                urls << s->requestUrl();
                if (silentConnections > 0)
                    --silentConnections; // accepted, then never spoken to
                else
                    m_live << s;
                QObject::connect(s, &QWebSocket::disconnected, s, [this, s] {
                    m_live.removeAll(s);
                    s->deleteLater();
                });
            }
        });
        m_server.listen(QHostAddress::LocalHost);
        m_port = m_server.serverPort();
    }

    QString url() const { return QStringLiteral("%1://127.0.0.1:%2").arg(m_tls ? "wss" : "ws").arg(m_port); }
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
    int connections() const { return int(urls.size()); }
    int liveConnections() const { return int(m_live.size()); }
    QList<QUrl> urls;
    int silentConnections = 0;

    void push(const QByteArray &message)
    {
        for (QWebSocket *s : std::as_const(m_live))
            s->sendTextMessage(QString::fromUtf8(message));
    }
    void dropAll() // the connection dies mid-stream, no close handshake
    {
        const auto live = m_live;
        for (QWebSocket *s : live)
            s->abort();
    }

    static QByteArray kline(const QString &symbol, const Candle &c, bool closed, qint64 eventTime)
    {
        return R"({"stream":")" + symbol.toLower().toLatin1() + R"(@kline_1m","data":{"e":"kline","E":)" + QByteArray::number(eventTime)
            + R"(,"s":")" + symbol.toLatin1() + R"(","k":{"t":)" + QByteArray::number(c.ts) + R"(,"T":)" + QByteArray::number(c.ts + 59'999)
            + R"(,"s":")" + symbol.toLatin1() + R"(","i":"1m","f":100,"L":200,"o":")" + num(c.open) + R"(","c":")" + num(c.close)
            + R"(","h":")" + num(c.high) + R"(","l":")" + num(c.low) + R"(","v":")" + num(c.volume) + R"(","n":101,"x":)"
            + (closed ? "true" : "false") + R"(,"q":")" + num(c.quoteVolume) + R"(","V":")" + num(c.takerBuyVolume) + R"(","Q":")"
            + num(c.takerBuyVolume * c.close) + R"(","B":"0"}}})";
    }
    static QByteArray markPrice(const QString &symbol, qint64 eventTime, double mark, const QByteArray &rate, qint64 nextFunding)
    {
        return R"({"stream":")" + symbol.toLower().toLatin1() + R"(@markPrice@1s","data":{"e":"markPriceUpdate","E":)"
            + QByteArray::number(eventTime) + R"(,"s":")" + symbol.toLatin1() + R"(","p":")" + num(mark) + R"(","i":")" + num(mark * 0.9999)
            + R"(","P":")" + num(mark) + R"(","r":")" + rate + R"(","T":)" + QByteArray::number(nextFunding) + "}}";
    }
    static QByteArray forceOrder(const QString &symbol, qint64 time, const char *side, double price, double qty)
    {
        return R"({"stream":")" + symbol.toLower().toLatin1() + R"(@forceOrder","data":{"e":"forceOrder","E":)" + QByteArray::number(time + 3)
            + R"(,"o":{"s":")" + symbol.toLatin1() + R"(","S":")" + side + R"(","o":"LIMIT","f":"IOC","q":")" + num(qty) + R"(","p":")"
            + num(price * 0.99) + R"(","ap":")" + num(price) + R"(","X":"FILLED","l":")" + num(qty) + R"(","z":")" + num(qty)
            + R"(","T":)" + QByteArray::number(time) + "}}}";
    }

private:
    QList<QWebSocket *> m_live;
    QWebSocketServer m_server; // destroyed before m_live, which its handlers use
    bool m_tls = false;
    quint16 m_port = 0;
};

} // namespace FakeBinance
