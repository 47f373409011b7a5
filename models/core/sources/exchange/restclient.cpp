#include "restclient.h"

#include "domain/timeformat.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

RestClient::RestClient(const ExchangeAdapter &adapter, const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_adapter(adapter)
    , m_settings(settings)
    , m_nam(new QNetworkAccessManager(this))
    , m_timer(new QTimer(this))
    , m_backoff(settings.backoffBaseMs, settings.backoffCapMs)
{
    // Precise: a coarse timer may fire up to 5 % early, and Retry-After is a lower bound.
    m_timer->setTimerType(Qt::PreciseTimer);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &RestClient::pump);
    connect(m_nam, &QNetworkAccessManager::finished, this, &RestClient::finished);
    m_budget.setWeightLimit(2400, 60'000, settings.weightSafety);
}

RestClient::~RestClient()
{
    m_stopped = true;
    if (m_inFlight)
        m_inFlight->abort();
}

qint64 RestClient::serverNow() const
{
    return QDateTime::currentMSecsSinceEpoch() + m_offset;
}

void RestClient::enqueue(const RestRequest &request)
{
    m_queue.enqueue(request);
    pump();
}

void RestClient::enqueueFront(const RestRequest &request)
{
    m_queue.prepend(request);
    pump();
}

void RestClient::clear()
{
    m_queue.clear();
    m_stopped = true;
    m_timer->stop();
    if (m_inFlight)
        m_inFlight->abort();
}

void RestClient::pump()
{
    if (m_stopped || m_inFlight || m_queue.isEmpty() || m_timer->isActive())
        return;
    const qint64 wait = m_budget.delayFor(m_queue.head(), serverNow());
    if (wait > 0) {
        m_timer->start(int(std::min<qint64>(wait, 24 * 3'600'000)));
        return;
    }
    send(m_queue.dequeue());
}

void RestClient::send(RestRequest request)
{
    QUrl url = m_adapter.restBase();
    url.setPath(url.path() + request.path);
    url.setQuery(request.query);
    QNetworkRequest req(url);
    req.setTransferTimeout(m_settings.timeoutMs);
    req.setHeader(QNetworkRequest::UserAgentHeader, QStringLiteral("Perpscope/" PERPSCOPE_VERSION));
    m_budget.sent(request, serverNow());
    m_current = request;
    m_sentLocal = QDateTime::currentMSecsSinceEpoch();
    m_inFlight = m_nam->get(req);
}

void RestClient::retryLater(RestRequest request, qint64 delayMs, const QString &why)
{
    ++request.attempt;
    if (request.attempt >= m_settings.maxAttempts) {
        emit failed(request, QStringLiteral("gave up on %1 after %2 attempts: %3").arg(request.describe()).arg(request.attempt).arg(why));
        pump();
        return;
    }
    m_budget.blockUntil(serverNow() + delayMs);
    emit waiting(delayMs, why);
    m_queue.prepend(request);
    pump();
}

void RestClient::finished(QNetworkReply *reply)
{
    reply->deleteLater();
    if (reply != m_inFlight || m_stopped)
        return;
    m_inFlight = nullptr;
    const RestRequest request = m_current;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    QHash<QByteArray, QByteArray> headers;
    for (const auto &h : reply->rawHeaderPairs())
        headers.insert(h.first.toLower(), h.second);
    const QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray();

    if (status == 0) { // no HTTP answer: refused, reset, TLS failure, timeout
        const bool timedOut = reply->error() == QNetworkReply::OperationCanceledError || reply->error() == QNetworkReply::TimeoutError;
        const QString why = timedOut ? QStringLiteral("no answer within %1 s").arg(m_settings.timeoutMs / 1000.0) : reply->errorString();
        retryLater(request, m_backoff.next(), QStringLiteral("%1 (%2)").arg(why, request.describe()));
        return;
    }
    const qint64 now = serverNow();
    if (const auto used = m_adapter.usedWeight(headers))
        m_budget.observed(*used, now);
    const RestVerdict verdict = m_adapter.judge(status, headers, body, now);
    switch (verdict.kind) {
    case RestVerdict::Kind::Ok: {
        RestPage parsed;
        QString error;
        if (request.series == RestSeries::ServerTime) {
            // Offset = server time at the middle of the round trip.
            if (m_adapter.parse(request, body, &parsed, &error)) {
                const qint64 local = QDateTime::currentMSecsSinceEpoch();
                m_offset = parsed.serverTime - (m_sentLocal + local) / 2;
            }
        } else {
            m_adapter.parse(request, body, &parsed, &error);
        }
        if (!error.isEmpty()) {
            retryLater(request, m_backoff.next(), error);
            return;
        }
        m_backoff.reset();
        emit page(request, parsed);
        break;
    }
    case RestVerdict::Kind::RateLimited: {
        // Wait what the venue asks, and at least a backoff step when it does not say.
        const qint64 wait = std::max(verdict.retryAfterMs, verdict.retryAfterMs > 0 ? 0 : m_backoff.next());
        m_budget.blockUntil(now + wait);
        RestRequest again = request;
        emit waiting(wait, QStringLiteral("rate limited (%1)").arg(verdict.message));
        m_queue.prepend(again);
        break;
    }
    case RestVerdict::Kind::Banned:
        m_stopped = true;
        m_queue.clear();
        emit banned(verdict.bannedUntilMs, verdict.message);
        return;
    case RestVerdict::Kind::Restricted:
        m_stopped = true;
        m_queue.clear();
        emit restricted(verdict.message);
        return;
    case RestVerdict::Kind::Retry: retryLater(request, m_backoff.next(), verdict.message); return;
    case RestVerdict::Kind::Fatal: emit failed(request, QStringLiteral("%1 refused: %2").arg(request.describe(), verdict.message)); break;
    }
    pump();
}
