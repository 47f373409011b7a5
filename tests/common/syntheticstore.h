#pragma once

#include "sources/syntheticsource.h"
#include "storage/marketstore.h"
#include "storage/storewriter.h"

// A store holding `minutes` of the synthetic random walk from t0 (seeded), written as one
// batch: the fixture of tests that need plausible market data and nothing else.
namespace SyntheticStore {
inline void fill(const QString &db, const Instrument &instrument, qint64 t0, qint64 minutes, quint64 seed)
{
    SyntheticSource::Params p;
    p.instrument = instrument;
    p.startMs = t0;
    p.minutes = minutes;
    p.seed = seed;
    SyntheticSource source(p);
    MarketStore::open(db).writer()->commit(source.generate(p.minutes));
}
} // namespace SyntheticStore
