#pragma once

#include "instrument.h"

#include <QString>

// What an instrument is a contract on, so contracts of different venues (and the spot
// market) can be tied together: BINANCE:BTCUSDT, BYBIT:BTCUSDT, OKX:BTC-USDT-SWAP,
// BINANCE_SPOT:BTCUSDT and COINBASE:BTC-USD all have the underlying "BTC". Derived from
// the venue's spelling alone (no network, no registry), so the CLI, the store and the
// aggregates agree on it. Multiplied contracts keep their multiplier ("1000PEPE"): Binance
// and Bybit spell them alike, and tying them to "PEPE" would need the contract size.
namespace Underlying {

// "BTC"; empty when the spelling has no known quote currency ("BTCXYZ").
QString of(const Instrument &instrument);
// The quote currency: "USDT", "USD", "USDC" ...; empty where of() is empty.
QString quoteOf(const Instrument &instrument);

} // namespace Underlying
