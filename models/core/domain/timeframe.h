#pragma once

#include <QMetaType>
#include <QString>
#include <array>
#include <optional>

// Candle timeframes the store keeps as tiers; each tier is an exact aggregate of 1m bars.
enum class Timeframe : int { M1 = 1, M5 = 5, M15 = 15, H1 = 60, H4 = 240, D1 = 1440 };

namespace Timeframes {
inline constexpr std::array<Timeframe, 6> all = {Timeframe::M1, Timeframe::M5, Timeframe::M15,
                                                  Timeframe::H1, Timeframe::H4, Timeframe::D1};
inline constexpr qint64 minuteMs = 60'000;

constexpr int minutes(Timeframe tf) { return static_cast<int>(tf); }
constexpr qint64 ms(Timeframe tf) { return minutes(tf) * minuteMs; }
// Bucket start of t (epoch ms, UTC). Days start at 00:00 UTC, as on every exchange.
constexpr qint64 floor(Timeframe tf, qint64 t)
{
    const qint64 m = ms(tf);
    const qint64 r = t % m;
    return r < 0 ? t - r - m : t - r;
}
QString name(Timeframe tf); // "1m", "5m", ..., "1d"
std::optional<Timeframe> parse(const QString &text);
// The finer tier this one is aggregated from (M1 has none).
std::optional<Timeframe> child(Timeframe tf);
// Finest tier whose bar count over spanMs stays within maxBars.
Timeframe fitting(qint64 spanMs, qint64 maxBars);
} // namespace Timeframes

Q_DECLARE_METATYPE(Timeframe)
