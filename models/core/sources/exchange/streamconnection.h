#pragma once

#include "backoff.h"

#include <QElapsedTimer>
#include <QObject>
#include <QUrl>
#include <memory>

class QTimer;
class QWebSocket;

// One market-data WebSocket kept alive: reconnects after any drop with capped backoff and
// jitter, reconnects when the stream stays silent (a watchdog: Binance's legacy URLs accept
// the connection and then deliver nothing), and replaces the socket before the server's 24 h
// cut by opening the new one first and closing the old one once the new one delivers.
// Pings are answered by QWebSocket itself. TLS is verified (Qt's default).
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
    };

    explicit StreamConnection(const Settings &settings, QObject *parent = nullptr);
    ~StreamConnection() override;

    void open(const QUrl &url);
    void close();
    bool isConnected() const;
    int connectionCount() const { return m_connections; }

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

    Settings m_settings;
    QUrl m_url;
    std::unique_ptr<QWebSocket> m_socket;
    std::unique_ptr<QWebSocket> m_next; // the replacement during a rotation
    QTimer *m_watchdog;
    QTimer *m_ageTimer;
    QTimer *m_reconnectTimer;
    Backoff m_backoff;
    bool m_open = false;
    bool m_resumed = false;
    bool m_gotMessage = false;
    int m_connections = 0;
};
