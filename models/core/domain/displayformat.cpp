#include "displayformat.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace DisplayFormat {

namespace {
const QLocale &c()
{
    static const QLocale locale = [] {
        QLocale l = QLocale::c();
        l.setNumberOptions(QLocale::DefaultNumberOptions); // keep group separators
        return l;
    }();
    return locale;
}

double roundedTo(double v, int decimals)
{
    const double scale = std::pow(10.0, decimals);
    return std::round(v * scale) / scale;
}

// A number that reads as zero at the decimals shown has no sign: "-0.00%" would tell of a
// change that is not there.
double unsignedZero(double v, int decimals)
{
    return roundedTo(v, decimals) == 0 ? 0.0 : v;
}

QString fixed(double v, int decimals)
{
    return c().toString(unsignedZero(v, decimals), 'f', decimals);
}

int priceDecimals(double v)
{
    const double a = std::abs(v);
    if (a >= 1000)
        return 1;
    if (a >= 10)
        return 2;
    if (a >= 1)
        return 3;
    return 5;
}
} // namespace

QString price(double value)
{
    return fixed(value, priceDecimals(value));
}

QString quantity(double value)
{
    const double a = std::abs(value);
    return fixed(value, a >= 1000 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 4);
}

QString usd(double value)
{
    // The unit is chosen after rounding, so 999,999 reads $1.00M, not $1,000.0K.
    const double a = std::abs(value);
    QString text;
    if (roundedTo(a / 1e6, 2) >= 1000)
        text = c().toString(a / 1e9, 'f', 2) + QStringLiteral("B");
    else if (roundedTo(a / 1e3, 1) >= 1000)
        text = c().toString(a / 1e6, 'f', 2) + QStringLiteral("M");
    else if (roundedTo(a, 0) >= 1e4)
        text = c().toString(a / 1e3, 'f', 1) + QStringLiteral("K");
    else
        text = c().toString(a, 'f', 0);
    const bool negative = value < 0 && roundedTo(a, 0) > 0;
    return (negative ? QStringLiteral("-$") : QStringLiteral("$")) + text;
}

QString signedUsd(double value)
{
    return roundedTo(value, 0) > 0 ? QStringLiteral("+") + usd(value) : usd(value);
}

QString percent(double fraction, int decimals, bool sign)
{
    const double p = unsignedZero(fraction * 100.0, decimals);
    const QString s = c().toString(p, 'f', decimals) + QStringLiteral("%");
    return sign && p > 0 ? QStringLiteral("+") + s : s;
}

QString percentShort(double fraction)
{
    // Four significant digits, written out (no exponent), without trailing zeros.
    const double p = fraction * 100.0;
    const int decimals = p == 0 || !std::isfinite(p) ? 0 : std::clamp(3 - int(std::floor(std::log10(std::abs(p)))), 0, 12);
    QString s = fixed(p, decimals);
    if (s.contains(QLatin1Char('.'))) {
        while (s.endsWith(QLatin1Char('0')))
            s.chop(1);
        if (s.endsWith(QLatin1Char('.')))
            s.chop(1);
    }
    return s + QStringLiteral("%");
}

QString rate(double fraction)
{
    return percent(fraction, 4, false);
}

QString signedNumber(double value, int decimals)
{
    const double v = unsignedZero(value, decimals);
    const QString s = c().toString(v, 'f', decimals);
    return v > 0 ? QStringLiteral("+") + s : s;
}

QString signedQuantity(double value)
{
    const QString s = quantity(value);
    return value > 0 && s != quantity(0.0) ? QStringLiteral("+") + s : s;
}

QString duration(qint64 ms)
{
    // Rounding decides the unit: 119.6 minutes read "2.0 h", not "120 min".
    const double minutes = double(ms) / 60'000.0;
    const int minuteDecimals = minutes < 9.95 ? 1 : 0;
    if (roundedTo(minutes, minuteDecimals) < 120)
        return QStringLiteral("%1 min").arg(c().toString(minutes, 'f', minuteDecimals));
    if (roundedTo(minutes / 60, 1) < 48)
        return QStringLiteral("%1 h").arg(c().toString(minutes / 60, 'f', 1));
    return QStringLiteral("%1 days").arg(c().toString(minutes / 1440, 'f', 1));
}

} // namespace DisplayFormat
