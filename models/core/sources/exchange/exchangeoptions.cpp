#include "exchangeoptions.h"

#include <cmath>

namespace {

const char *const timingKeys[] = {"oi_poll_ms", "batch_ms",    "timeout_ms",   "deadline_ms",  "backoff_ms",     "backoff_cap_ms",
                                  "silence_ms", "max_age_ms",  "reconnect_ms", "reconnect_cap_ms", "max_attempts", "max_body_bytes",
                                  "max_message_bytes", "malformed_limit", "heartbeat_ms"};

bool url(const SourceOptions &o, const char *key, QUrl *out, const QStringList &schemes, QString *error)
{
    const QString text = o.extra.value(QLatin1String(key));
    if (text.isEmpty())
        return true;
    const QUrl u(text);
    if (!u.isValid() || !schemes.contains(u.scheme())) {
        *error = QStringLiteral("%1 '%2' is not a %3 URL").arg(QLatin1String(key), text, schemes.join(QLatin1Char('/')));
        return false;
    }
    *out = u;
    return true;
}

} // namespace

QStringList ExchangeOptions::keys()
{
    QStringList out{QStringLiteral("rest_url"), QStringLiteral("ws_url"), QStringLiteral("ca_file"), QStringLiteral("weight_safety")};
    for (const char *k : timingKeys)
        out << QLatin1String(k);
    return out;
}

bool ExchangeOptions::parse(const SourceOptions &o, const QString &exchange, const QString &defaultSymbol, Urls *urls,
                            ExchangeClient::Settings *s, QString *error)
{
    // NaN, infinities and 1e300 days overflow the millisecond arithmetic (signed overflow);
    // 0 days is a live start without history.
    const double days = std::max(0.0, o.days);
    if (!std::isfinite(o.days) || (days == 0 && !o.live) || days > SourceOptions::maxDays) {
        *error = QStringLiteral("--days must be above 0 and at most %1 (got %2)").arg(SourceOptions::maxDays).arg(o.days);
        return false;
    }
    const QStringList known = keys();
    for (auto it = o.extra.cbegin(); it != o.extra.cend(); ++it)
        if (!known.contains(it.key())) {
            *error = QStringLiteral("unknown source option '%1' for --source %2 (known: %3)").arg(it.key(), o.source, known.join(QStringLiteral(", ")));
            return false;
        }
    if (!url(o, "rest_url", &urls->rest, {QStringLiteral("https"), QStringLiteral("http")}, error)
        || !url(o, "ws_url", &urls->stream, {QStringLiteral("wss"), QStringLiteral("ws")}, error))
        return false;

    if (!o.instruments.isEmpty())
        s->instruments = o.instruments;
    else
        s->instruments = {o.instrument.isValid() ? o.instrument : Instrument{exchange, defaultSymbol}};
    for (const Instrument &i : std::as_const(s->instruments))
        if (i.exchange != exchange) {
            *error = QStringLiteral("instrument %1 is not a %2 instrument").arg(i.key(), exchange);
            return false;
        }
    s->days = days;
    s->endMs = o.endMs;
    s->live = o.live;
    bool ok = true;
    const auto ms = [&](const char *key, qint64 fallback) -> qint64 {
        const QString text = o.extra.value(QLatin1String(key));
        if (text.isEmpty())
            return fallback;
        bool good = false;
        const qint64 v = text.toLongLong(&good);
        if (!good || v < 0) {
            *error = QStringLiteral("%1 '%2' is not a non-negative whole number").arg(QLatin1String(key), text);
            ok = false;
        }
        return good ? v : fallback;
    };
    s->oiPollMs = ms("oi_poll_ms", s->oiPollMs);
    s->batchMs = ms("batch_ms", s->batchMs);
    s->heartbeatMs = ms("heartbeat_ms", s->heartbeatMs);
    s->rest.timeoutMs = int(ms("timeout_ms", s->rest.timeoutMs));
    s->rest.deadlineMs = int(ms("deadline_ms", s->rest.deadlineMs));
    s->rest.maxBodyBytes = ms("max_body_bytes", s->rest.maxBodyBytes);
    // Live: never give up on the network (issue 14.3); a backfill gives up after a few tries.
    s->rest.maxAttempts = int(ms("max_attempts", o.live ? 0 : s->rest.maxAttempts));
    s->stream.malformedLimit = int(ms("malformed_limit", s->stream.malformedLimit));
    s->stream.maxMessageBytes = ms("max_message_bytes", s->stream.maxMessageBytes);
    if (const QString ca = o.extra.value(QStringLiteral("ca_file")); !ca.isEmpty()) {
        if (const QString why = ExchangeClient::loadCaFile(ca, &s->rest.caCertificates); !why.isEmpty()) {
            *error = why;
            return false;
        }
        s->stream.caCertificates = s->rest.caCertificates;
    }
    s->rest.backoffBaseMs = ms("backoff_ms", s->rest.backoffBaseMs);
    s->rest.backoffCapMs = ms("backoff_cap_ms", s->rest.backoffCapMs);
    s->stream.silenceMs = ms("silence_ms", s->stream.silenceMs);
    s->stream.maxAgeMs = ms("max_age_ms", s->stream.maxAgeMs);
    s->stream.backoffBaseMs = ms("reconnect_ms", s->stream.backoffBaseMs);
    s->stream.backoffCapMs = ms("reconnect_cap_ms", s->stream.backoffCapMs);
    if (o.extra.contains(QStringLiteral("weight_safety")))
        s->rest.weightSafety = o.extra.value(QStringLiteral("weight_safety")).toDouble();
    return ok;
}
