#pragma once

#include "backoff.h"
#include "exchangeadapter.h"
#include "requestbudget.h"

#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QQueue>

class QNetworkAccessManager;
class QTimer;

// Sends an exchange's REST requests one at a time, in order, within its limits: waits for
// request weight and buckets (RequestBudget), honours 429 Retry-After, stops for good on a
// 418 ban or a 451, and retries 5xx, timeouts and unparsable bodies with capped exponential
// backoff and jitter. TLS is verified (Qt's default; nothing here relaxes it) and no API key
// is ever sent: everything used is public market data.
class RestClient : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        int timeoutMs = 10'000;
        int maxAttempts = 6;        // per request, for retryable failures
        qint64 backoffBaseMs = 500; // 5xx/timeout backoff: base, 2 base, ... up to cap
        qint64 backoffCapMs = 60'000;
        double weightSafety = 0.8;  // stop at this share of the advertised weight limit
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

private:
    void pump();
    void send(RestRequest request);
    void finished(QNetworkReply *reply);
    void retryLater(RestRequest request, qint64 delayMs, const QString &why);

    const ExchangeAdapter &m_adapter;
    Settings m_settings;
    QNetworkAccessManager *m_nam;
    QTimer *m_timer;
    QQueue<RestRequest> m_queue;
    QPointer<QNetworkReply> m_inFlight;
    RestRequest m_current;
    qint64 m_sentLocal = 0;
    RequestBudget m_budget;
    Backoff m_backoff;
    qint64 m_offset = 0;
    bool m_stopped = false;
};
