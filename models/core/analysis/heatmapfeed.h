#pragma once

#include "domain/candle.h"
#include "domain/fundingsample.h"
#include "domain/instrument.h"
#include "domain/liquidation.h"
#include "domain/openinterestsample.h"
#include "domain/timeframe.h"
#include "domain/timerange.h"
#include "heatmapbar.h"

#include <QVector>

class StoreReader;

// Joins the stored series of one instrument into the heatmap's per-bar inputs: last and mark
// candles, open interest, settled funding and the liquidation tape. The bar length is the
// open-interest granularity: 1m when OI is stored per minute (the simulator, live feeds),
// 5m (or coarser) when only Binance's 5-minute OI history exists, since OI changes cannot be
// placed more finely than they were sampled.
//
// Conventions: an OI sample stamped ts is the open interest at that instant (Binance's OI
// snapshots, the simulator), so a bar's closing OI is the last sample in (open, end]; a
// funding settlement stamped ts belongs to the bar opening at or containing ts; realised
// liquidation quantity is the sum of the tape's prints inside the bar [open, end).
class HeatmapFeed
{
public:
    // Throws StoreError on a database error.
    HeatmapFeed(StoreReader &reader, const Instrument &instrument);

    Timeframe barTimeframe() const { return m_tf; }
    qint64 barMs() const { return Timeframes::ms(m_tf); }
    // [first bar, end of last bar), invalid when there are no candles.
    TimeRange extent() const { return m_extent; }
    bool hasOpenInterest() const { return m_hasOpenInterest; }
    TimeRange openInterestExtent() const { return m_oiExtent; }
    bool hasLiquidationTape() const { return m_hasTape; }

    // Bars whose open time lies in range, ascending. Reads the store in slices of a week.
    QVector<HeatmapBar> bars(TimeRange range);

    // The join itself, for series already in memory (all ascending; candles at barMs).
    static void join(const QVector<Candle> &candles, const QVector<Candle> &marks, const QVector<OpenInterestSample> &oi,
                     const QVector<FundingSample> &funding, const QVector<Liquidation> &liquidations, bool hasTape, qint64 barMs,
                     QVector<HeatmapBar> &out);

private:
    void appendSlice(TimeRange slice, QVector<HeatmapBar> &out);

    StoreReader &m_reader;
    Instrument m_instrument;
    Timeframe m_tf = Timeframe::M1;
    TimeRange m_extent;
    TimeRange m_oiExtent;
    bool m_hasOpenInterest = false;
    bool m_hasTape = false;
};
