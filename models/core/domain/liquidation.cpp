#include "liquidation.h"

#include <cstring>

int Liquidation::contentSeq(Side side, double price, double qty, int occurrence)
{
    quint64 h = 14695981039346656037ULL;
    const auto mix = [&h](quint64 v) {
        for (int i = 0; i < 8; ++i) {
            h ^= (v >> (8 * i)) & 0xff;
            h *= 1099511628211ULL;
        }
    };
    const auto bits = [](double d) {
        quint64 b = 0;
        d = d == 0 ? 0.0 : d; // -0 and 0 are one value
        std::memcpy(&b, &d, sizeof b);
        return b;
    };
    mix(quint64(side));
    mix(bits(price));
    mix(bits(qty));
    mix(quint64(occurrence));
    return int((h ^ (h >> 20) ^ (h >> 40)) & ((1u << 20) - 1));
}

std::optional<Liquidation::Side> Liquidation::parseSide(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("long"))
        return Side::Long;
    if (t == QLatin1String("short"))
        return Side::Short;
    return std::nullopt;
}
