#pragma once

#include <QString>

// Numbers as traders read them, the one formatter of the program (panes, range analysis and
// its reasons, Compare, the heatmap's About text, the command line): prices with the
// decimals their size needs, compact money ($1.24M), funding rates in percent per interval,
// signed changes. Group separators and a '.' decimal point whatever the system locale.
namespace DisplayFormat {
QString price(double value);                // 101,234.5 / 61.23 / 0.05432
QString quantity(double value);             // 81,234.5 / 0.0321
QString usd(double value);                  // $812, $12.4K, $1.24M, $3.10B (999,999 -> $1.00M)
QString signedUsd(double value);            // +$1.24M, -$612K
QString percent(double fraction, int decimals = 2, bool sign = false); // 0.0123 -> 1.23%
// Up to four significant digits, no trailing zeros: 0.15 -> 15%, 0.4545 -> 45.45%, 0.001 -> 0.1%.
QString percentShort(double fraction);
QString rate(double fraction);              // funding: 0.0001 -> 0.0100%
QString signedNumber(double value, int decimals);
QString signedQuantity(double value);       // +1,234 / -0.52
QString duration(qint64 ms);                // 45 min, 5.5 h, 3.0 days
} // namespace DisplayFormat
