#pragma once

#include "instrument.h"

#include <QList>
#include <QString>

// Aggregated instruments: ALL:<underlying> stands for a set of venue perpetuals of one
// underlying (ALL:BTC = BINANCE:BTCUSDT + BYBIT:BTCUSDT + OKX:BTC-USDT-SWAP) and is read as one
// instrument (AggregateReader). Where the set lives, so the GUI and the CLI agree: the store's
// meta table, key "aggregate.ALL:BTC", value the member keys separated by commas, the first
// one the price reference (`perpscope aggregate` writes it). Without a stored set the members
// are every perpetual in the store with that underlying, and the price reference is the first
// of them in venue order BINANCE, BYBIT, OKX (the deepest BTC/ETH perp books first).
namespace Aggregates {

inline const QString &venue()
{
    static const QString v = QStringLiteral("ALL");
    return v;
}
inline bool isAggregate(const Instrument &i) { return i.exchange == venue(); }
inline Instrument of(const QString &underlying) { return {venue(), underlying}; }
// The meta key that holds a user-defined member set.
inline QString metaKey(const Instrument &aggregate) { return QStringLiteral("aggregate.") + aggregate.key(); }

// A venue perpetual an aggregate may hold: Binance/Bybit linear perps (no delivery suffix),
// OKX -SWAP. Spot (BINANCE_SPOT, COINBASE), the simulator and dated futures are not members.
bool isPerpetual(const Instrument &i);
// Default members: the perpetuals among `stored` whose underlying is the aggregate's, in
// reference order (BINANCE, BYBIT, OKX, then the others alphabetically).
QList<Instrument> defaultMembers(const Instrument &aggregate, const QList<Instrument> &stored);
// The aggregates the default rule gives over `stored`: one per underlying with at least two
// venue perpetuals.
QList<Instrument> available(const QList<Instrument> &stored);

// "BINANCE:BTCUSDT,BYBIT:BTCUSDT"; parse() throws nothing: it returns the members it read and
// sets *error (when given) to what was wrong with the first bad entry.
QString format(const QList<Instrument> &members);
QList<Instrument> parse(const QString &text, QString *error = nullptr);
// Why `members` cannot be the set of `aggregate` (empty when it can): not perpetuals, another
// underlying, duplicates, fewer than one member.
QString validate(const Instrument &aggregate, const QList<Instrument> &members);

} // namespace Aggregates
