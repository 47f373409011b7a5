#include "restclient.h"

#include "domain/timeformat.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslConfiguration>
#include <QSslError>
#include <QTimer>

RestClient::RestClient(const ExchangeAdapter &adapter, const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_adapter(adapter)
    , m_settings(settings)
    , m_nam(new QNetworkAccessManager(this))
    , m_timer(new QTimer(this))
    , m_deadline(new QTimer(this))
    , m_backoff(settings.backoffBaseMs, settings.backoffCapMs)
{
    m_deadline->setSingleShot(true);
    connect(m_deadline, &QTimer::timeout, this, [this] {
        abortCurrent(QStringLiteral("no complete answer within %1 s").arg(m_settings.deadlineMs / 1000.0));
    });
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
    if (!m_settings.caCertificates.isEmpty()) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.addCaCertificates(m_settings.caCertificates);
        req.setSslConfiguration(tls);
    }
    m_budget.sent(request, serverNow());
    m_current = request;
    m_sentLocal = QDateTime::currentMSecsSinceEpoch();
    m_abortReason.clear();
    m_tlsErrors.clear();
    QNetworkReply *reply = m_nam->get(req);
    m_inFlight = reply;
    connect(reply, &QNetworkReply::sslErrors, this, [this, reply](const QList<QSslError> &errors) {
        if (reply != m_inFlight)
            return;
        for (const QSslError &e : errors) {
            const QSslCertificate c = e.certificate();
            m_tlsErrors << (c.isNull() ? e.errorString()
                                       : QStringLiteral("%1 (certificate of %2, issued by %3)")
                                             .arg(e.errorString(), c.subjectDisplayName(), c.issuerDisplayName()));
        }
    });
    connect(reply, &QNetworkReply::downloadProgress, this, [this, reply](qint64 received, qint64 total) {
        if (reply == m_inFlight && std::max(received, total) > m_settings.maxBodyBytes)
            abortCurrent(QStringLiteral("the answer is larger than %1").arg(m_settings.maxBodyBytes >= (1 << 20) ? QStringLiteral("%1 MiB").arg(m_settings.maxBodyBytes >> 20)
                                                                                                          : QStringLiteral("%1 KiB").arg(m_settings.maxBodyBytes >> 10)));
    });
    m_deadline->start(m_settings.deadlineMs);
}

void RestClient::abortCurrent(const QString &why)
{
    if (!m_inFlight)
        return;
    m_abortReason = why;
    m_inFlight->abort(); // finished() follows with status 0
}

void RestClient::retryLater(RestRequest request, qint64 delayMs, const QString &why, bool network)
{
    ++request.attempt;
    if (m_settings.maxAttempts > 0 && request.attempt >= m_settings.maxAttempts) {
        emit failed(request, QStringLiteral("gave up on %1 after %2 attempts: %3").arg(request.describe()).arg(request.attempt).arg(why));
        pump();
        return;
    }
    m_budget.blockUntil(serverNow() + delayMs);
    if (network) {
        m_offline = true;
        emit offline(QDateTime::currentMSecsSinceEpoch() + delayMs, why);
    } else {
        emit waiting(delayMs, why);
    }
    m_queue.prepend(request);
    pump();
}

void RestClient::finished(QNetworkReply *reply)
{
    reply->deleteLater();
    if (reply != m_inFlight || m_stopped)
        return;
    m_inFlight = nullptr;
    m_deadline->stop();
    const RestRequest request = m_current;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    QHash<QByteArray, QByteArray> headers;
    for (const auto &h : reply->rawHeaderPairs())
        headers.insert(h.first.toLower(), h.second);
    const QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray();

    if (status == 0 || !m_abortReason.isEmpty()) { // no (whole) HTTP answer: refused, reset, TLS failure, timeout, cut off
        const bool timedOut = reply->error() == QNetworkReply::OperationCanceledError || reply->error() == QNetworkReply::TimeoutError;
        QString why = !m_abortReason.isEmpty() ? m_abortReason
                    : !m_tlsErrors.isEmpty()   ? QStringLiteral("TLS handshake failed: %1").arg(m_tlsErrors.join(QStringLiteral("; ")))
                    : timedOut                 ? QStringLiteral("no answer within %1 s").arg(m_settings.timeoutMs / 1000.0)
                                               : reply->errorString();
        retryLater(request, m_backoff.next(), QStringLiteral("%1 (%2)").arg(why, request.describe()), true);
        return;
    }
    if (m_offline) {
        m_offline = false;
        emit online();
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
                const qint64 offset = parsed.serverTime - (m_sentLocal + local) / 2;
                m_budget.shiftClock(offset - m_offset);
                m_offset = offset;
            }
        } else {
            m_adapter.parse(request, body, &parsed, &error);
        }
        if (!error.isEmpty() && request.optional) {
            emit failed(request, error); // the same answer again would not parse either
            break;
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
