#pragma once

#include <QMetaType>
#include <QString>
#include <optional>

// The series kinds the store holds; appended() names one of them.
enum class DataKind : int {
    Candles,
    MarkCandles,
    Funding,
    PredictedFunding,
    OpenInterest,
    Liquidations,
    GroundTruth,
};

namespace DataKinds {
QString name(DataKind kind); // "candles", "mark", "funding", "predicted_funding", "oi", ...
std::optional<DataKind> parse(const QString &text);
} // namespace DataKinds

Q_DECLARE_METATYPE(DataKind)
