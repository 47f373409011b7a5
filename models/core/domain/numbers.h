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
// For exports a person reads: the shortest decimal within a few parts in 10^13 of the value,
// so sums of decimal prices and sizes (a 1h bar's volume of sixty 1m volumes) print as the
// decimals they are ("4.751", not "4.750999999999981"); everything else as format().
QByteArray formatClean(double value);
std::optional<double> parse(QByteArrayView text);
std::optional<qint64> parseInt(QByteArrayView text);
} // namespace Numbers
