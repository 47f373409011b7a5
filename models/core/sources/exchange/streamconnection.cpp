#include "streamconnection.h"

#include <QSslConfiguration>
#include <QSslError>
#include <QTimer>
#include <QWebSocket>

StreamConnection::StreamConnection(const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_watchdog(new QTimer(this))
    , m_ageTimer(new QTimer(this))
    , m_reconnectTimer(new QTimer(this))
    , m_heartbeatTimer(new QTimer(this))
    , m_backoff(settings.backoffBaseMs, settings.backoffCapMs)
{
    m_watchdog->setSingleShot(true);
    m_ageTimer->setSingleShot(true);
    m_reconnectTimer->setSingleShot(true);
    m_reconnectTimer->setTimerType(Qt::PreciseTimer);
    connect(m_watchdog, &QTimer::timeout, this, [this] {
        scheduleReconnect(QStringLiteral("no data for %1 s").arg(m_settings.silenceMs / 1000.0));
    });
    connect(m_ageTimer, &QTimer::timeout, this, &StreamConnection::rotate);
    connect(m_reconnectTimer, &QTimer::timeout, this, &StreamConnection::connectSocket);
    connect(m_heartbeatTimer, &QTimer::timeout, this, [this] {
        if (isConnected())
            m_socket->sendTextMessage(QString::fromUtf8(m_heartbeat));
    });
}

void StreamConnection::setHeartbeat(const QByteArray &message, qint64 intervalMs)
{
    m_heartbeat = message;
    m_heartbeatTimer->setInterval(int(std::max<qint64>(100, intervalMs)));
    if (message.isEmpty() || intervalMs <= 0)
        m_heartbeatTimer->stop();
}

void StreamConnection::subscribe(QWebSocket *socket)
{
    for (const QByteArray &m : std::as_const(m_subscribe))
        socket->sendTextMessage(QString::fromUtf8(m));
}

StreamConnection::~StreamConnection()
{
    close();
}

bool StreamConnection::isConnected() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

std::unique_ptr<QWebSocket> StreamConnection::makeSocket()
{
    auto s = std::make_unique<QWebSocket>(QString(), QWebSocketProtocol::VersionLatest);
    s->setParent(nullptr);
    s->setMaxAllowedIncomingFrameSize(quint64(m_settings.maxMessageBytes));
    s->setMaxAllowedIncomingMessageSize(quint64(m_settings.maxMessageBytes));
    if (!m_settings.caCertificates.isEmpty()) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.addCaCertificates(m_settings.caCertificates);
        s->setSslConfiguration(tls);
    }
    QWebSocket *raw = s.get();
    connect(raw, &QWebSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        m_tlsErrors.clear();
        for (const QSslError &e : errors) {
            const QSslCertificate c = e.certificate();
            m_tlsErrors << (c.isNull() ? e.errorString()
                                       : QStringLiteral("%1 (certificate of %2, issued by %3)")
                                             .arg(e.errorString(), c.subjectDisplayName(), c.issuerDisplayName()));
        }
    });
    return s;
}

void StreamConnection::reportValid()
{
    m_malformedRun = 0;
    if (!m_gotMessage) {
        m_gotMessage = true;
        m_backoff.reset(); // healthy again
    }
    if (m_open && isConnected())
        m_watchdog->start(int(m_settings.silenceMs));
}

void StreamConnection::reportMalformed(const QString &why)
{
    if (++m_malformedRun < std::max(1, m_settings.malformedLimit))
        return;
    m_malformedRun = 0;
    scheduleReconnect(QStringLiteral("%1 unreadable messages in a row, the last: %2").arg(m_settings.malformedLimit).arg(why));
}

void StreamConnection::open(const QUrl &url)
{
    m_url = url;
    m_open = true;
    m_resumed = false;
    connectSocket();
}

void StreamConnection::close()
{
    m_open = false;
    m_watchdog->stop();
    m_ageTimer->stop();
    m_reconnectTimer->stop();
    m_heartbeatTimer->stop();
    for (auto *s : {m_socket.get(), m_next.get()})
        if (s) {
            s->disconnect(this);
            s->abort();
        }
    m_socket.reset();
    m_next.reset();
}

void StreamConnection::connectSocket()
{
    if (!m_open)
        return;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    m_socket = makeSocket();
    QWebSocket *s = m_socket.get();
    connect(s, &QWebSocket::connected, this, &StreamConnection::onConnected);
    connect(s, &QWebSocket::textMessageReceived, this, &StreamConnection::onMessage);
    connect(s, &QWebSocket::disconnected, this, &StreamConnection::onDisconnected);
    m_gotMessage = false;
    emit statusChanged(m_resumed ? QStringLiteral("reconnecting") : QStringLiteral("connecting"));
    s->open(m_url);
    // A handshake that never completes is silence too.
    m_watchdog->start(int(m_settings.silenceMs));
}

void StreamConnection::onConnected()
{
    ++m_connections;
    subscribe(m_socket.get());
    if (!m_heartbeat.isEmpty())
        m_heartbeatTimer->start();
    m_watchdog->start(int(m_settings.silenceMs));
    m_ageTimer->start(int(std::min<qint64>(m_settings.maxAgeMs, 24 * 3'600'000LL)));
    emit statusChanged(QStringLiteral("connected"));
    emit connected(m_resumed);
}

void StreamConnection::onMessage(const QString &text)
{
    if (sender() == m_next.get()) {
        // The replacement delivers: retire the old socket. Overlapping messages are
        // harmless (the store upserts on natural keys).
        if (m_socket) {
            m_socket->disconnect(this);
            m_socket->close();
            m_socket.release()->deleteLater();
        }
        m_socket = std::move(m_next);
        ++m_connections;
        m_ageTimer->start(int(std::min<qint64>(m_settings.maxAgeMs, 24 * 3'600'000LL)));
    } else if (sender() != m_socket.get()) {
        return;
    }
    // The watchdog and the backoff are reset by reportValid(): garbage is not a sign of life.
    emit message(text.toUtf8());
}

void StreamConnection::onDisconnected()
{
    if (sender() == m_next.get()) {
        m_next.release()->deleteLater(); // the replacement failed; the old socket still runs
        return;
    }
    if (sender() != m_socket.get())
        return;
    QString why = m_socket->closeReason().isEmpty() ? m_socket->errorString() : m_socket->closeReason();
    if (!m_tlsErrors.isEmpty())
        why = QStringLiteral("TLS handshake failed: %1").arg(m_tlsErrors.join(QStringLiteral("; ")));
    else if (m_socket->closeCode() == QWebSocketProtocol::CloseCodeTooMuchData)
        why = QStringLiteral("a message larger than %1 (%2)")
                  .arg(m_settings.maxMessageBytes >= (1 << 20) ? QStringLiteral("%1 MiB").arg(m_settings.maxMessageBytes >> 20)
                                                               : QStringLiteral("%1 KiB").arg(m_settings.maxMessageBytes >> 10))
                  .arg(why);
    m_tlsErrors.clear();
    scheduleReconnect(why.isEmpty() ? QStringLiteral("connection closed") : why);
}

void StreamConnection::scheduleReconnect(const QString &why)
{
    if (!m_open)
        return;
    m_watchdog->stop();
    m_ageTimer->stop();
    m_heartbeatTimer->stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket.release()->deleteLater();
    }
    m_resumed = true;
    const qint64 delay = m_backoff.next();
    emit dropped(why);
    emit statusChanged(QStringLiteral("reconnecting in %1 s (%2)").arg(std::max<qint64>(1, (delay + 500) / 1000)).arg(why));
    m_reconnectTimer->start(int(delay));
}

void StreamConnection::rotate()
{
    if (!m_open || m_next)
        return;
    m_next = makeSocket();
    QWebSocket *s = m_next.get();
    connect(s, &QWebSocket::connected, this, [this, s] { subscribe(s); });
    connect(s, &QWebSocket::textMessageReceived, this, &StreamConnection::onMessage);
    connect(s, &QWebSocket::disconnected, this, &StreamConnection::onDisconnected);
    s->open(m_url);
}
