#include "sourcefactory.h"

#include "binance/binanceadapter.h"
#include "domain/timeframe.h"
#include "sim/simhistory.h"
#include "sim/simulator.h"
#include "exchange/exchangeclient.h"
#include "storage/storeerror.h"
#include "syntheticsource.h"

#include <QDateTime>

#include <cmath>

namespace {

qint64 defaultEnd(const SourceOptions &o)
{
    // Whole days, so a backfill of the same options is reproducible within a day.
    return o.endMs ? o.endMs : Timeframes::floor(Timeframe::D1, QDateTime::currentMSecsSinceEpoch());
}

// NaN, infinities and 1e300 days overflow the millisecond arithmetic below (signed overflow).
bool daysOk(double days, bool mayBeZero, QString *error)
{
    if (std::isfinite(days) && (days > 0 || (mayBeZero && days == 0)) && days <= SourceOptions::maxDays)
        return true;
    *error = QStringLiteral("--days must be above 0 and at most %1 (got %2)").arg(SourceOptions::maxDays).arg(days);
    return false;
}

DataSource *createSimulator(const SourceOptions &o, QString *error)
{
    if (!daysOk(o.days, false, error))
        return nullptr;
    if (o.live && !(o.speed > 0)) {
        *error = QStringLiteral("simulator speed must be positive (got %1)").arg(o.speed);
        return nullptr;
    }
    const auto scenario = SimScenario::build(o.preset, o.extra, error);
    if (!scenario)
        return nullptr;
    Simulator::Options s{*scenario};
    s.seed = o.seed;
    if (!o.instrument.symbol.isEmpty())
        s.instrument.symbol = o.instrument.symbol; // always on the SIM venue
    // A live (GUI) history ends now and carries on; a backfill ends at the start of today.
    const qint64 end = o.endMs ? o.endMs : o.live ? QDateTime::currentMSecsSinceEpoch() : defaultEnd(o);
    s.endMs = Timeframes::floor(Timeframe::M1, end);
    s.startMs = Timeframes::floor(Timeframe::M1, s.endMs - qint64(std::llround(o.days * 86400.0)) * 1000);
    if (s.startMs >= s.endMs) {
        *error = QStringLiteral("--days %1 is less than a minute of history").arg(o.days);
        return nullptr;
    }
    s.live = o.live;
    s.speed = o.speed;
    if (o.replaceHistory)
        return new Simulator(s);
    Simulator::Options resolved;
    try {
        if (!SimHistory::resolve(o.store, o.runExplicit, s, &resolved, error))
            return nullptr;
    } catch (const StoreError &e) {
        *error = e.message();
        return nullptr;
    }
    return new Simulator(resolved);
}

DataSource *createSynthetic(const SourceOptions &o, QString *error)
{
    if (!daysOk(o.days, false, error))
        return nullptr;
    SyntheticSource::Params p;
    if (o.instrument.isValid())
        p.instrument = o.instrument;
    p.seed = o.seed;
    p.minutes = qint64(o.days * 1440);
    const qint64 end = Timeframes::floor(Timeframe::M1, defaultEnd(o));
    p.startMs = end - p.minutes * Timeframes::minuteMs;
    return new SyntheticSource(p);
}

// Binance USDⓈ-M. extra: rest_url, ws_url (tests, testnet), and timings in ms: oi_poll_ms,
// batch_ms, timeout_ms, deadline_ms, backoff_ms, backoff_cap_ms, silence_ms, max_age_ms,
// reconnect_ms, reconnect_cap_ms; max_attempts (0 = for ever, the default when live);
// max_body_bytes, max_message_bytes, malformed_limit; ca_file (PEM CAs to trust besides the
// system's); weight_safety (0.1 ... 1).
DataSource *createBinance(const SourceOptions &o, QString *error)
{
    if (!daysOk(std::max(0.0, o.days), o.live, error))
        return nullptr;
    BinanceAdapter::Urls urls;
    const auto url = [&](const char *key, QUrl *out, QStringList schemes) {
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
    };
    if (!url("rest_url", &urls.rest, {QStringLiteral("https"), QStringLiteral("http")})
        || !url("ws_url", &urls.stream, {QStringLiteral("wss"), QStringLiteral("ws")}))
        return nullptr;

    ExchangeClient::Settings s;
    s.instruments = {o.instrument.isValid() ? o.instrument : Instrument{QStringLiteral("BINANCE"), QStringLiteral("BTCUSDT")}};
    if (s.instruments.front().exchange != QLatin1String("BINANCE")) {
        *error = QStringLiteral("instrument %1 is not a Binance instrument").arg(s.instruments.front().key());
        return nullptr;
    }
    s.days = std::max(0.0, o.days);
    s.endMs = o.endMs;
    s.live = o.live;
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
    s.oiPollMs = ms("oi_poll_ms", s.oiPollMs);
    s.batchMs = ms("batch_ms", s.batchMs);
    s.rest.timeoutMs = int(ms("timeout_ms", s.rest.timeoutMs));
    s.rest.deadlineMs = int(ms("deadline_ms", s.rest.deadlineMs));
    s.rest.maxBodyBytes = ms("max_body_bytes", s.rest.maxBodyBytes);
    // Live: never give up on the network (issue 14.3); a backfill gives up after a few tries.
    s.rest.maxAttempts = int(ms("max_attempts", o.live ? 0 : s.rest.maxAttempts));
    s.stream.malformedLimit = int(ms("malformed_limit", s.stream.malformedLimit));
    s.stream.maxMessageBytes = ms("max_message_bytes", s.stream.maxMessageBytes);
    if (const QString ca = o.extra.value(QStringLiteral("ca_file")); !ca.isEmpty()) {
        if (const QString why = ExchangeClient::loadCaFile(ca, &s.rest.caCertificates); !why.isEmpty()) {
            *error = why;
            return nullptr;
        }
        s.stream.caCertificates = s.rest.caCertificates;
    }
    s.rest.backoffBaseMs = ms("backoff_ms", s.rest.backoffBaseMs);
    s.rest.backoffCapMs = ms("backoff_cap_ms", s.rest.backoffCapMs);
    s.stream.silenceMs = ms("silence_ms", s.stream.silenceMs);
    s.stream.maxAgeMs = ms("max_age_ms", s.stream.maxAgeMs);
    s.stream.backoffBaseMs = ms("reconnect_ms", s.stream.backoffBaseMs);
    s.stream.backoffCapMs = ms("reconnect_cap_ms", s.stream.backoffCapMs);
    if (o.extra.contains(QStringLiteral("weight_safety")))
        s.rest.weightSafety = o.extra.value(QStringLiteral("weight_safety")).toDouble();
    if (!ok)
        return nullptr;
    return new ExchangeClient(std::make_unique<BinanceAdapter>(urls), s);
}

} // namespace

namespace SourceFactory {

QStringList names()
{
    return {QStringLiteral("sim"), QStringLiteral("synthetic"), QStringLiteral("binance")};
}

QString label(const QString &name)
{
    if (name == QLatin1String("binance"))
        return BinanceAdapter().venueName() + QStringLiteral(" (live)");
    if (name == QLatin1String("synthetic"))
        return QStringLiteral("Synthetic random walk");
    if (name == QLatin1String("sim"))
        return QStringLiteral("Simulator");
    return name;
}

DataSource *create(const SourceOptions &options, QString *error)
{
    if (options.source == QLatin1String("sim"))
        return createSimulator(options, error);
    if (options.source == QLatin1String("synthetic"))
        return createSynthetic(options, error);
    if (options.source == QLatin1String("binance"))
        return createBinance(options, error);
    *error = QStringLiteral("unknown source '%1' (expected one of: %2)").arg(options.source, names().join(QStringLiteral(", ")));
    return nullptr;
}

} // namespace SourceFactory
