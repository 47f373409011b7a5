#pragma once

#include "domain/instrument.h"
#include "sources/marketbatch.h"
#include "storage/storelocator.h"

#include <QString>

#include <memory>

class StoreReader;

// Compares what a replay of a stored run produces with what the store holds, slice by
// slice, before the simulator continues that history: 1m candles and the liquidation tape
// must be equal to the last bit. A difference means the rows were not made by this run on
// this build (a changed model, an edited file), and continuing would join two markets.
class ReplayCheck
{
public:
    ReplayCheck(const StoreLocator &store, const Instrument &instrument);
    ~ReplayCheck();

    // Empty when the batch's rows equal the stored ones; otherwise the first difference
    // ("1m bar 2026-01-12 04:17 UTC: stored close 101332.5, replay 101129"). simulated: the
    // span of market time the batch comes from (its first bar may be the minute before,
    // sent again complete; its prints all lie inside).
    QString compare(const MarketBatch &replayed, TimeRange simulated);
    qint64 barsCompared() const { return m_bars; }

private:
    Instrument m_instrument;
    std::unique_ptr<StoreReader> m_reader;
    qint64 m_bars = 0;
};
