#include "underlying.h"

#include <QStringList>

namespace {

// Longest first: "BTCFDUSD" must not read as base "BTCFD" + "USD".
const QStringList &quotes()
{
    static const QStringList q{QStringLiteral("FDUSD"), QStringLiteral("USDT"), QStringLiteral("USDC"), QStringLiteral("BUSD"),
                               QStringLiteral("TUSD"),  QStringLiteral("USD"),  QStringLiteral("EUR"),  QStringLiteral("BTC")};
    return q;
}

struct Split
{
    QString base, quote;
};

Split split(const Instrument &i)
{
    const QString s = i.symbol;
    if (s.contains(QLatin1Char('-'))) {
        // OKX BTC-USDT-SWAP / BTC-USD-220527, Coinbase BTC-USD; BitMEX-style dated BTC-26JUL24
        // has no quote in its name.
        const QStringList parts = s.split(QLatin1Char('-'));
        if (parts.size() >= 2 && !parts[0].isEmpty() && quotes().contains(parts[1]))
            return {parts[0], parts[1]};
        return {};
    }
    // Binance and Bybit: BTCUSDT, BTCUSDT_230331 (delivery), 1000PEPEUSDT.
    const QString body = s.section(QLatin1Char('_'), 0, 0);
    for (const QString &q : quotes())
        if (body.size() > q.size() && body.endsWith(q))
            return {body.left(body.size() - q.size()), q};
    return {};
}

} // namespace

QString Underlying::of(const Instrument &instrument)
{
    return split(instrument).base;
}

QString Underlying::quoteOf(const Instrument &instrument)
{
    return split(instrument).quote;
}
