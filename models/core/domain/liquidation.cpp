#include "liquidation.h"

std::optional<Liquidation::Side> Liquidation::parseSide(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("long"))
        return Side::Long;
    if (t == QLatin1String("short"))
        return Side::Short;
    return std::nullopt;
}
