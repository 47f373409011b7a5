#pragma once

#include "domain/candle.h"
#include "domain/datakind.h"
#include "domain/fundingsample.h"
#include "domain/groundtruthcell.h"
#include "domain/instrument.h"
#include "domain/liquidation.h"
#include "domain/openinterestsample.h"
#include "domain/timerange.h"

#include <QMetaType>
#include <QVector>

// What a source hands the writer: everything it learned about one instrument since its last
// batch. The writer commits a batch atomically (one transaction) and as an upsert on natural
// keys, so a replayed or overlapping batch changes nothing.
//
// candles and markCandles are 1m bars. A bar may be partial (the live minute): a later
// snapshot of the same minute replaces it, and the coarser tiers follow.
struct MarketBatch
{
    Instrument instrument;
    QVector<Candle> candles;
    QVector<Candle> markCandles;
    QVector<FundingSample> funding;          // settled
    QVector<FundingSample> predictedFunding; // running estimate of the current interval
    QVector<OpenInterestSample> openInterest;
    QVector<Liquidation> liquidations;
    QVector<GroundTruthCell> groundTruth; // simulator only

    bool isEmpty() const
    {
        return candles.isEmpty() && markCandles.isEmpty() && funding.isEmpty() && predictedFunding.isEmpty()
            && openInterest.isEmpty() && liquidations.isEmpty() && groundTruth.isEmpty();
    }
    qsizetype rowCount() const
    {
        return candles.size() + markCandles.size() + funding.size() + predictedFunding.size() + openInterest.size()
            + liquidations.size() + groundTruth.size();
    }
};

Q_DECLARE_METATYPE(MarketBatch)
