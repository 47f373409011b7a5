#include "margintierchoice.h"

#include "domain/timeformat.h"
#include "storage/storereader.h"

#include <cmath>

namespace {

QString percent(double rate)
{
    return QString::number(rate * 100, 'f', 2) + QStringLiteral(" %");
}

} // namespace

MarginTierChoice MarginTierChoice::binanceDefault()
{
    MarginTierChoice c;
    c.brackets = LiquidationPrice::binanceBtcUsdt();
    return c;
}

MarginTierChoice MarginTierChoice::fromTiers(const Instrument &instrument, const QVector<MarginTier> &stored)
{
    QVector<MarginTier> tiers = stored;
    MarginTiers::deriveCum(tiers);
    if (tiers.isEmpty() || !MarginTiers::check(tiers).isEmpty())
        return binanceDefault();
    MarginTierChoice c;
    c.instrument = instrument;
    for (const MarginTier &t : tiers) {
        c.brackets.push_back({t.floor, t.cap, t.mmr, t.cum, int(std::floor(t.maxLeverage))});
        c.fetchedMs = std::max(c.fetchedMs, t.fetchedMs);
        c.referencePrice = t.referencePrice;
    }
    if (c.fetchedMs <= 0)
        c.fetchedMs = 1; // stored without a time: still the venue's, not the default
    return c;
}

MarginTierChoice MarginTierChoice::forInstrument(StoreReader &reader, const Instrument &instrument)
{
    return fromTiers(instrument, reader.marginTiers(instrument));
}

QString MarginTierChoice::describe() const
{
    if (isDefault())
        return QStringLiteral("Binance BTCUSDT default (the built-in table of 2021-03-18; Binance's own brackets need an API key)");
    QString text = QStringLiteral("%1 tiers of %2 fetched %3 (%4 tiers, maintenance margin %5 to %6")
                       .arg(instrument.exchange, instrument.symbol, TimeFormat::display(fetchedMs))
                       .arg(brackets.size())
                       .arg(percent(brackets.front().mmr), percent(brackets.back().mmr));
    if (referencePrice > 0)
        text += QStringLiteral("; sizes in contracts valued at %1 per coin").arg(QString::number(referencePrice, 'f', 2));
    return text + QLatin1Char(')');
}
