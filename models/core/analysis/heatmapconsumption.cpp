#include "heatmapconsumption.h"

#include "domain/timeformat.h"

#include <QJsonArray>

namespace {

QJsonValue usdOrNull(bool known, double v)
{
    return known ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

QJsonValue ratio(bool known, double predicted, std::optional<double> realized)
{
    if (!known || !realized || !(*realized > 0))
        return QJsonValue(QJsonValue::Null);
    return predicted / *realized;
}

} // namespace

QJsonObject HeatmapConsumption::toJson(std::optional<double> realizedLongUsd, std::optional<double> realizedShortUsd) const
{
    const bool known = isKnown();
    QJsonArray zoneArray;
    for (const HeatmapZone &z : zones)
        zoneArray.append(QJsonObject{
            {QStringLiteral("side"), z.side == Liquidation::Side::Long ? QStringLiteral("long") : QStringLiteral("short")},
            {QStringLiteral("price_low"), z.priceLow},
            {QStringLiteral("price_high"), z.priceHigh},
            {QStringLiteral("usd"), z.notionalUsd},
            {QStringLiteral("first"), TimeFormat::iso(z.firstTs)},
            {QStringLiteral("last"), TimeFormat::iso(z.lastTs)},
        });
    QJsonObject o{
        {QStringLiteral("long_usd"), usdOrNull(known, longUsd)},
        {QStringLiteral("short_usd"), usdOrNull(known, shortUsd)},
        {QStringLiteral("hot_zones"), known ? QJsonValue(int(zones.size())) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("zones"), zoneArray},
        {QStringLiteral("counted_from"), known ? QJsonValue(TimeFormat::iso(counted.from)) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("counted_to"), known ? QJsonValue(TimeFormat::iso(counted.to)) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("warming_up_until"),
         hasOpenInterest && warmUntil > range.from ? QJsonValue(TimeFormat::iso(warmUntil)) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("ratio_long"), ratio(known, longUsd, realizedLongUsd)},
        {QStringLiteral("ratio_short"), ratio(known, shortUsd, realizedShortUsd)},
    };
    if (!hasOpenInterest)
        o.insert(QStringLiteral("unknown_because"), QStringLiteral("no open interest stored: the heatmap cannot be computed"));
    else if (!known)
        o.insert(QStringLiteral("unknown_because"), QStringLiteral("the heatmap is warming up over the whole range"));
    return o;
}
