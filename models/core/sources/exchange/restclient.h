#pragma once

#include "backoff.h"
#include "exchangeadapter.h"
#include "requestbudget.h"

#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QQueue>
#include <QSslCertificate>
#include <QStringList>

class QNetworkAccessManager;
class QTimer;

// Sends an exchange's REST requests one at a time, in order, within its limits: waits for
// request weight and buckets (RequestBudget), honours 429 Retry-After, stops for good on a
// 418 ban or a 451, and retries 5xx, timeouts, network failures and unparsable bodies with
// capped exponential backoff and jitter (for ever when maxAttempts is 0: a live source
// without network keeps trying for as long as it runs). Every attempt has a total deadline
// besides the inactivity timeout (a server dripping a byte a second cannot hold a request),
// and a body larger than maxBodyBytes is cut off. TLS is verified (Qt's default; nothing
// here relaxes it); extra CA certificates can be trusted (caCertificates), and a failed
// handshake is reported with the certificate's problem. No API key is ever sent: everything
// used is public market data.
class RestClient : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        int timeoutMs = 10'000;     // no byte for this long: the attempt failed
        int deadlineMs = 60'000;    // the whole answer within this long
        qint64 maxBodyBytes = 64LL << 20;
        int maxAttempts = 6;        // per request, for retryable failures; 0 = never give up
        qint64 backoffBaseMs = 500; // 5xx/timeout backoff: base, 2 base, ... up to cap
        qint64 backoffCapMs = 60'000;
        double weightSafety = 0.8;  // stop at this share of the advertised weight limit
        QList<QSslCertificate> caCertificates; // trusted besides the system's (a test server, a proxy)
    };

    RestClient(const ExchangeAdapter &adapter, const Settings &settings, QObject *parent = nullptr);
    ~RestClient() override;

    void enqueue(const RestRequest &request);
    void enqueueFront(const RestRequest &request); // before anything queued (gap fills)
    void clear();
    bool isIdle() const { return !m_inFlight && m_queue.isEmpty(); }
    int pending() const { return int(m_queue.size()) + (m_inFlight ? 1 : 0); }

    // The venue's clock, from the offset measured on the serverTime response.
    qint64 serverNow() const;
    void setClockOffset(qint64 offsetMs) { m_offset = offsetMs; }
    RequestBudget &budget() { return m_budget; }

signals:
    void page(const RestRequest &request, const RestPage &page);
    void failed(const RestRequest &request, const QString &reason); // gave up on this request
    void banned(qint64 untilMs, const QString &message);           // 418: the client must stop
    void restricted(const QString &message);                       // 451: the client must stop
    void waiting(qint64 ms, const QString &why);                   // for the status bar
    void offline(qint64 retryAtMs, const QString &why);            // a network failure; retrying at (local clock)
    void online();                                                 // an answer again after offline()

private:
    void pump();
    void send(RestRequest request);
    void finished(QNetworkReply *reply);
    void retryLater(RestRequest request, qint64 delayMs, const QString &why, bool network = false);
    void abortCurrent(const QString &why);

    const ExchangeAdapter &m_adapter;
    Settings m_settings;
    QNetworkAccessManager *m_nam;
    QTimer *m_timer;
    QQueue<RestRequest> m_queue;
    QPointer<QNetworkReply> m_inFlight;
    RestRequest m_current;
    qint64 m_sentLocal = 0;
    QTimer *m_deadline;
    QString m_abortReason;  // why the client aborted the attempt in flight (deadline, size)
    QStringList m_tlsErrors; // the certificate problems of the attempt in flight
    bool m_offline = false;
    RequestBudget m_budget;
    Backoff m_backoff;
    qint64 m_offset = 0;
    bool m_stopped = false;
};
