#include "displayformat.h"

#include <QLocale>

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
    return c().toString(value, 'f', priceDecimals(value));
}

QString quantity(double value)
{
    const double a = std::abs(value);
    return c().toString(value, 'f', a >= 1000 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 4);
}

QString usd(double value)
{
    const double a = std::abs(value);
    const QString sign = value < 0 ? QStringLiteral("-") : QString();
    if (a >= 1e9)
        return sign + QStringLiteral("$") + c().toString(a / 1e9, 'f', 2) + QStringLiteral("B");
    if (a >= 1e6)
        return sign + QStringLiteral("$") + c().toString(a / 1e6, 'f', 2) + QStringLiteral("M");
    if (a >= 1e4)
        return sign + QStringLiteral("$") + c().toString(a / 1e3, 'f', 1) + QStringLiteral("K");
    return sign + QStringLiteral("$") + c().toString(a, 'f', 0);
}

QString signedUsd(double value)
{
    return value > 0 ? QStringLiteral("+") + usd(value) : usd(value);
}

QString percent(double fraction, int decimals, bool sign)
{
    const QString s = c().toString(fraction * 100.0, 'f', decimals) + QStringLiteral("%");
    return sign && fraction > 0 ? QStringLiteral("+") + s : s;
}

QString percentShort(double fraction)
{
    QString s = QString::number(fraction * 100.0, 'g', 4);
    if (s.contains(QLatin1Char('e')))
        s = c().toString(fraction * 100.0, 'f', 6);
    return s + QStringLiteral("%");
}

QString rate(double fraction)
{
    return percent(fraction, 4, false);
}

QString signedNumber(double value, int decimals)
{
    const QString s = c().toString(value, 'f', decimals);
    return value > 0 ? QStringLiteral("+") + s : s;
}

QString signedQuantity(double value)
{
    return value > 0 ? QStringLiteral("+") + quantity(value) : quantity(value);
}

QString duration(qint64 ms)
{
    const double minutes = double(ms) / 60'000.0;
    if (minutes < 120)
        return QStringLiteral("%1 min").arg(c().toString(minutes, 'f', minutes < 10 ? 1 : 0));
    if (minutes < 48 * 60)
        return QStringLiteral("%1 h").arg(c().toString(minutes / 60, 'f', 1));
    return QStringLiteral("%1 days").arg(c().toString(minutes / 1440, 'f', 1));
}

} // namespace DisplayFormat
