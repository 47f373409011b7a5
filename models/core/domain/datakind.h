#pragma once

#include <QMetaType>
#include <QString>
#include <optional>

// The series kinds the store holds; appended() names one of them. The values are stored
// (coverage.kind): append new kinds, never renumber.
enum class DataKind : int {
    Candles = 0,
    MarkCandles = 1,
    Funding = 2,
    PredictedFunding = 3,
    OpenInterest = 4,
    Liquidations = 5,
    GroundTruth = 6,
    // Not a table: whether the candles of a span carry taker-buy volume (candles.taker_buy).
    // Bybit's and OKX's klines have none; their bars store 0 there, and no TakerBuy coverage
    // says that 0 is unknown, not "no taker bought".
    TakerBuy = 7,
};

namespace DataKinds {
QString name(DataKind kind); // "candles", "mark", "funding", "predicted_funding", "oi", ...
std::optional<DataKind> parse(const QString &text);
// The kinds stored as 1m bars (and their coarser tiers): their rows span a minute, not an instant.
constexpr bool isBars(DataKind kind)
{
    return kind == DataKind::Candles || kind == DataKind::MarkCandles;
}
} // namespace DataKinds

Q_DECLARE_METATYPE(DataKind)
