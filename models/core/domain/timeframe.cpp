#include "timeframe.h"

namespace Timeframes {

QString name(Timeframe tf)
{
    switch (tf) {
    case Timeframe::M1: return QStringLiteral("1m");
    case Timeframe::M5: return QStringLiteral("5m");
    case Timeframe::M15: return QStringLiteral("15m");
    case Timeframe::H1: return QStringLiteral("1h");
    case Timeframe::H4: return QStringLiteral("4h");
    case Timeframe::D1: return QStringLiteral("1d");
    }
    return {};
}

std::optional<Timeframe> parse(const QString &text)
{
    for (Timeframe tf : all)
        if (name(tf) == text.trimmed().toLower())
            return tf;
    return std::nullopt;
}

std::optional<Timeframe> child(Timeframe tf)
{
    for (size_t i = 1; i < all.size(); ++i)
        if (all[i] == tf)
            return all[i - 1];
    return std::nullopt;
}

Timeframe fitting(qint64 spanMs, qint64 maxBars)
{
    for (Timeframe tf : all)
        if (spanMs / ms(tf) <= maxBars)
            return tf;
    return Timeframe::D1;
}

} // namespace Timeframes
