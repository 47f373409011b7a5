#include "percentaxisticker.h"

QString PercentAxisTicker::getTickLabel(double tick, const QLocale &locale, QChar, int)
{
    const double pct = tick * 100.0;
    const double a = std::abs(pct);
    const int decimals = a == 0 ? 0 : a < 0.01 ? 4 : a < 0.1 ? 3 : a < 1 ? 2 : 1;
    return locale.toString(pct, 'f', decimals) + QStringLiteral("%");
}
