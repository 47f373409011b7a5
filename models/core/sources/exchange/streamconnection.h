#pragma once

#include "backoff.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSslCertificate>
#include <QStringList>
#include <QUrl>
#include <memory>

class QTimer;
class QWebSocket;

// One market-data WebSocket kept alive: reconnects after any drop with capped backoff and
// jitter, reconnects when the stream stays silent (a watchdog: Binance's legacy URLs accept
// the connection and then deliver nothing), and replaces the socket before the server's 24 h
// cut by opening the new one first and closing the old one once the new one delivers.
// WebSocket pings are answered by QWebSocket itself; venues that want an application-level
// keep-alive (Bybit: {"op":"ping"} every 20 s) get it sent (setHeartbeat), and venues that
// subscribe by message (Bybit: op:subscribe) get their messages sent on every new socket. TLS is verified (Qt's default; extra CAs can be
// trusted) and a failed handshake is reported with the certificate's problem.
//
// The client says which messages were good (reportValid) and which it could not read
// (reportMalformed): only good ones keep the watchdog quiet, and malformedLimit bad ones in
// a row replace the socket, so a stream of garbage is a reconnect, not a silent gap. Frames
// and messages above maxMessageBytes close the socket (Qt would buffer up to 2 GiB).
class StreamConnection : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        qint64 silenceMs = 15'000;                      // watchdog
        qint64 maxAgeMs = 23 * 3'600'000LL + 50 * 60'000; // before Binance's 24 h cut
        qint64 backoffBaseMs = 1'000;
        qint64 backoffCapMs = 60'000;
        int malformedLimit = 20;            // bad messages in a row before reconnecting
        qint64 maxMessageBytes = 4LL << 20; // Binance messages are < 10 kB; snapshots of other venues < 1 MB
        QList<QSslCertificate> caCertificates;
    };

    explicit StreamConnection(const Settings &settings, QObject *parent = nullptr);
    ~StreamConnection() override;

    // Before open(): text frames for every new socket, and a keep-alive every intervalMs.
    void setSubscribeMessages(const QList<QByteArray> &messages) { m_subscribe = messages; }
    void setHeartbeat(const QByteArray &message, qint64 intervalMs);
    void open(const QUrl &url);
    void close();
    bool isConnected() const;
    int connectionCount() const { return m_connections; }
    void reportValid();
    void reportMalformed(const QString &why);

signals:
    void message(const QByteArray &text);
    // A socket is up. resumed: it follows a drop or a silent stream, so data may be missing.
    void connected(bool resumed);
    void dropped(const QString &why);
    void statusChanged(const QString &status);

private:
    std::unique_ptr<QWebSocket> makeSocket();
    void connectSocket();
    void onConnected();
    void onMessage(const QString &text);
    void onDisconnected();
    void scheduleReconnect(const QString &why);
    void rotate();
    void subscribe(QWebSocket *socket);

    Settings m_settings;
    QUrl m_url;
    std::unique_ptr<QWebSocket> m_socket;
    std::unique_ptr<QWebSocket> m_next; // the replacement during a rotation
    QTimer *m_watchdog;
    QTimer *m_ageTimer;
    QTimer *m_reconnectTimer;
    QTimer *m_heartbeatTimer;
    QList<QByteArray> m_subscribe;
    QByteArray m_heartbeat;
    Backoff m_backoff;
    bool m_open = false;
    bool m_resumed = false;
    bool m_gotMessage = false;
    int m_connections = 0;
    int m_malformedRun = 0;
    QStringList m_tlsErrors;
};
