#include "streamconnection.h"

#include <QTimer>
#include <QWebSocket>

StreamConnection::StreamConnection(const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_watchdog(new QTimer(this))
    , m_ageTimer(new QTimer(this))
    , m_reconnectTimer(new QTimer(this))
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
    return s;
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
    if (!m_gotMessage) {
        m_gotMessage = true;
        m_backoff.reset(); // healthy again
    }
    m_watchdog->start(int(m_settings.silenceMs));
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
    const QString why = m_socket->closeReason().isEmpty() ? m_socket->errorString() : m_socket->closeReason();
    scheduleReconnect(why.isEmpty() ? QStringLiteral("connection closed") : why);
}

void StreamConnection::scheduleReconnect(const QString &why)
{
    if (!m_open)
        return;
    m_watchdog->stop();
    m_ageTimer->stop();
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
    connect(s, &QWebSocket::textMessageReceived, this, &StreamConnection::onMessage);
    connect(s, &QWebSocket::disconnected, this, &StreamConnection::onDisconnected);
    s->open(m_url);
}
