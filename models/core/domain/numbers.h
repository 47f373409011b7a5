#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <optional>

// Locale-independent number text. format() writes the shortest text that reads back to the
// same double, so an exported CSV round-trips bit for bit; parse() accepts what exchanges
// send ("59.490", "3.832e+07", "-0.00010000") and rejects anything else (empty, "nan",
// trailing junk).
namespace Numbers {
QByteArray format(double value);
std::optional<double> parse(QByteArrayView text);
std::optional<qint64> parseInt(QByteArrayView text);
} // namespace Numbers
