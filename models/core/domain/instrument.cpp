#include "instrument.h"

#include <QStringList>

namespace {

// Venue spellings: BTCUSDT, 1000PEPEUSDT, BTCUSDT_230331, BTC-USDT-SWAP, BTC-26JUL24.
bool wellFormed(const QString &part)
{
    if (part.isEmpty() || part.size() > 64)
        return false;
    for (const QChar c : part)
        if (!((c >= QLatin1Char('A') && c <= QLatin1Char('Z')) || (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('_')
              || c == QLatin1Char('-') || c == QLatin1Char('.')))
            return false;
    return true;
}

} // namespace

Instrument Instrument::parse(const QString &text, const QString &defaultExchange)
{
    const QStringList parts = text.trimmed().toUpper().split(QLatin1Char(':'));
    if (parts.size() > 2 || !wellFormed(parts.back()))
        return {}; // "A:B:C" once became the instrument SIM:B:C
    if (parts.size() == 1)
        return {defaultExchange.toUpper(), parts.front()};
    if (!wellFormed(parts.front()))
        return {};
    return {parts.front(), parts.back()};
}
