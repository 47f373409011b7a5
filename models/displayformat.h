#pragma once

#include <QString>

// Numbers as traders read them: prices with the decimals their size needs, compact money
// ($1.24B), funding rates in percent per interval, signed changes.
namespace DisplayFormat {
QString price(double value);
QString quantity(double value);             // 81,234.5 / 0.0321
QString usd(double value);                  // $812, $12.4K, $1.24M, $3.10B
QString percent(double fraction, int decimals = 2, bool sign = false); // 0.0123 -> 1.23 %
QString rate(double fraction);              // funding: 0.0001 -> 0.0100%
QString signedNumber(double value, int decimals);
} // namespace DisplayFormat
