#include "instrument.h"

Instrument Instrument::parse(const QString &text, const QString &defaultExchange)
{
    const QString t = text.trimmed();
    const qsizetype colon = t.indexOf(QLatin1Char(':'));
    if (colon < 0)
        return {defaultExchange.toUpper(), t.toUpper()};
    return {t.left(colon).toUpper(), t.mid(colon + 1).toUpper()};
}
