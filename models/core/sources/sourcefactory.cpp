#include "sourcefactory.h"

#include "domain/timeframe.h"
#include "syntheticsource.h"

#include <QDateTime>

namespace {

qint64 defaultEnd(const SourceOptions &o)
{
    // Whole days, so a backfill of the same options is reproducible within a day.
    return o.endMs ? o.endMs : Timeframes::floor(Timeframe::D1, QDateTime::currentMSecsSinceEpoch());
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
    return {QStringLiteral("synthetic")};
}

DataSource *create(const SourceOptions &options, QString *error)
{
    if (options.source == QLatin1String("synthetic"))
        return createSynthetic(options, error);
    *error = QStringLiteral("unknown source '%1' (expected one of: %2)").arg(options.source, names().join(QStringLiteral(", ")));
    return nullptr;
}

} // namespace SourceFactory
