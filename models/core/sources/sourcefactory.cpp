#include "sourcefactory.h"

#include "domain/timeframe.h"
#include "sim/simulator.h"
#include "syntheticsource.h"

#include <QDateTime>

#include <cmath>

namespace {

qint64 defaultEnd(const SourceOptions &o)
{
    // Whole days, so a backfill of the same options is reproducible within a day.
    return o.endMs ? o.endMs : Timeframes::floor(Timeframe::D1, QDateTime::currentMSecsSinceEpoch());
}

DataSource *createSimulator(const SourceOptions &o, QString *error)
{
    if (!(o.days > 0)) {
        *error = QStringLiteral("--days must be positive (got %1)").arg(o.days);
        return nullptr;
    }
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
    return new Simulator(s);
}

DataSource *createSynthetic(const SourceOptions &o, QString *error)
{
    if (o.days <= 0) {
        *error = QStringLiteral("--days must be positive (got %1)").arg(o.days);
        return nullptr;
    }
    SyntheticSource::Params p;
    if (o.instrument.isValid())
        p.instrument = o.instrument;
    p.seed = o.seed;
    p.minutes = qint64(o.days * 1440);
    const qint64 end = Timeframes::floor(Timeframe::M1, defaultEnd(o));
    p.startMs = end - p.minutes * Timeframes::minuteMs;
    return new SyntheticSource(p);
}

} // namespace

namespace SourceFactory {

QStringList names()
{
    return {QStringLiteral("sim"), QStringLiteral("synthetic")};
}

DataSource *create(const SourceOptions &options, QString *error)
{
    if (options.source == QLatin1String("sim"))
        return createSimulator(options, error);
    if (options.source == QLatin1String("synthetic"))
        return createSynthetic(options, error);
    *error = QStringLiteral("unknown source '%1' (expected one of: %2)").arg(options.source, names().join(QStringLiteral(", ")));
    return nullptr;
}

} // namespace SourceFactory
