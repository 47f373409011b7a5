#pragma once

#include "datakind.h"
#include "instrument.h"

#include <QString>

// Which instruments are spot markets, and which series a spot market has at all. A spot
// pair has no open interest, no funding, no mark price and no liquidations: for them those
// series are "not applicable for spot", never a hole ("unknown") or zero. The venue keys
// are the ones the spot sources store (BINANCE_SPOT:BTCUSDT, COINBASE:BTC-USD); a spot
// instrument is tied to its perpetuals by Underlying::of, not here.
namespace SpotMarket {

bool isSpot(const Instrument &instrument);
// False for the series a spot market cannot have (open interest, funding, predicted funding,
// mark candles, liquidations); true for everything of a derivative.
bool applies(const Instrument &instrument, DataKind kind);
// What the UI, the coverage table and the JSON say for such a series.
QString notApplicable(); // "not applicable for spot"

} // namespace SpotMarket
