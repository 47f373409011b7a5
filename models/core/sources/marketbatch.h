#pragma once

#include "domain/candle.h"
#include "domain/coverage.h"
#include "domain/datakind.h"
#include "domain/fundingsample.h"
#include "domain/groundtruthcell.h"
#include "domain/instrument.h"
#include "domain/liquidation.h"
#include "domain/margintier.h"
#include "domain/openinterestsample.h"
#include "domain/timeframe.h"
#include "domain/timerange.h"

#include <QMetaType>
#include <QVector>

// What a source hands the writer: everything it learned about one instrument since its last
// batch. The writer commits a batch atomically (one transaction) and as an upsert on natural
// keys, so a replayed or overlapping batch changes nothing.
//
// candles and markCandles are 1m bars. A bar may be partial (the live minute): a later
// snapshot of the same minute replaces it, and the coarser tiers follow. A file of coarser
// bars (5m ... 1d klines) sets candleTimeframe: its bars go to that tier and the tiers above.
//
// coverage says which spans of which kinds the source covered with these rows (and how
// completely); it is committed in the same transaction, so it never outlives lost rows.
// A span may hold no rows at all (a liquidation stream that listened while nothing happened).
struct MarketBatch
{
    Instrument instrument;
    Timeframe candleTimeframe = Timeframe::M1; // of candles and markCandles
    QVector<Candle> candles;
    QVector<Candle> markCandles;
    QVector<FundingSample> funding;          // settled
    QVector<FundingSample> predictedFunding; // running estimate of the current interval
    QVector<OpenInterestSample> openInterest;
    QVector<Liquidation> liquidations;
    QVector<GroundTruthCell> groundTruth; // simulator only
    // The venue's whole maintenance-margin schedule for the instrument (tiers 1..n, fetched
    // at one time): replaces the stored schedule. Empty: the stored one stays.
    QVector<MarginTier> marginTiers;
    QVector<CoverageSpan> coverage;
    // The source's own label for this batch (0: none), handed back with what the store made
    // of it (DataSource::batchStored): an import counts per file what was new.
    quint64 tag = 0;

    bool hasRows() const
    {
        return !candles.isEmpty() || !markCandles.isEmpty() || !funding.isEmpty() || !predictedFunding.isEmpty()
            || !openInterest.isEmpty() || !liquidations.isEmpty() || !groundTruth.isEmpty() || !marginTiers.isEmpty();
    }
    bool isEmpty() const { return !hasRows() && coverage.isEmpty(); }
    // Records that this batch's source covered `range` of `kind`.
    void cover(DataKind kind, TimeRange range, CoverageQuality quality, qint64 resolutionMs, const QString &origin)
    {
        if (range.isValid())
            coverage.push_back({instrument, kind, range, quality, resolutionMs, origin});
    }
    qsizetype rowCount() const
    {
        return candles.size() + markCandles.size() + funding.size() + predictedFunding.size() + openInterest.size()
            + liquidations.size() + groundTruth.size() + marginTiers.size();
    }
};

Q_DECLARE_METATYPE(MarketBatch)
