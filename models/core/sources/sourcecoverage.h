#pragma once

#include "marketbatch.h"

// Coverage for sources that produce every series themselves over one stretch of time (the
// simulator, the synthetic walk): each kind they publish, complete, over [from, to).
namespace SourceCoverage {

struct Resolutions
{
    qint64 candles = 60'000;
    qint64 mark = 60'000;          // 0 = the source has no mark price series
    qint64 funding = 8 * 3'600'000;
    qint64 predictedFunding = 60'000; // 0 = none
    qint64 openInterest = 60'000;
    qint64 liquidations = 0;       // every event
    qint64 groundTruth = -1;       // < 0 = none
};

inline void coverAll(MarketBatch &batch, TimeRange range, const Resolutions &r, const QString &origin)
{
    constexpr CoverageQuality complete = CoverageQuality::Complete;
    batch.cover(DataKind::Candles, range, complete, r.candles, origin);
    batch.cover(DataKind::TakerBuy, range, complete, r.candles, origin); // built from trades with their aggressor side
    if (r.mark > 0)
        batch.cover(DataKind::MarkCandles, range, complete, r.mark, origin);
    batch.cover(DataKind::Funding, range, complete, r.funding, origin);
    if (r.predictedFunding > 0)
        batch.cover(DataKind::PredictedFunding, range, complete, r.predictedFunding, origin);
    batch.cover(DataKind::OpenInterest, range, complete, r.openInterest, origin);
    batch.cover(DataKind::Liquidations, range, complete, r.liquidations, origin);
    if (r.groundTruth >= 0)
        batch.cover(DataKind::GroundTruth, range, complete, r.groundTruth, origin);
}

} // namespace SourceCoverage
