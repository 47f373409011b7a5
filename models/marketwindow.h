#pragma once

#include "domain/candle.h"
#include "domain/coverage.h"
#include "domain/fundingsample.h"
#include "domain/instrument.h"
#include "domain/liquidation.h"
#include "domain/liquidationbar.h"
#include "domain/linebar.h"
#include "domain/timeframe.h"
#include "domain/timerange.h"

#include <QMetaType>
#include <QStringList>
#include <QVector>
#include <algorithm>
#include <optional>

// One venue's funding and open interest in a window: a member of the aggregate shown, or,
// for a single venue, each perpetual of its underlying in the store (the funding comparison).
struct VenueSeries
{
    Instrument instrument;
    QVector<FundingSample> funding;    // settlements at the venue's own interval, one before the range too
    QVector<LineBar> predictedFunding; // the venue's own interval (intervalHours)
    QVector<LineBar> openInterestUsd;
    int intervalHours = 8;             // its newest interval, for the predicted rates
};

// Everything the panes draw for one padded time window, read at one timeframe tier.
struct MarketWindow
{
    quint64 generation = 0;
    Instrument instrument;
    TimeRange range; // what was read (the visible range plus padding)
    Timeframe timeframe = Timeframe::M1;

    QVector<Candle> candles;
    QVector<Candle> markCandles;
    QVector<LineBar> openInterest;
    QVector<LineBar> openInterestUsd;
    QVector<LineBar> predictedFunding;
    QVector<FundingSample> funding; // settlements, raw (a few per day)
    QVector<LiquidationBar> liquidations;
    QVector<Liquidation> tape; // newest first, ending at the window's right edge
    TimeRange extent;          // of the 1m candles, for pan/zoom limits
    QString liquidationFeed;   // "full" | "throttled" | "unknown"
    // What the venue says of its liquidation stream (its adapter's liquidationFeedNote), when
    // a live source recorded one: how a sampled feed samples differs per venue.
    QString liquidationFeedNote;
    // Where the candles' taker-buy volume is unknown (Bybit and OKX klines have none).
    TakerBuyCoverage takerBuy;
    // Where liquidations were covered (a stream listening): elsewhere their sums are unknown.
    CoverageSummary liquidationCoverage;

    // Per venue (see VenueSeries); the OI-weighted mean of their settlements per 8 h.
    QVector<VenueSeries> venues;
    QVector<FundingSample> venueMeanFunding;
    // Aggregates (ALL:BTC): the member the price comes from, the member (index into venues)
    // of each tape row, and the members without data over part of the window, with the kinds
    // they miss ("OKX:BTC-USDT-SWAP: oi, funding"): their sums there are unknown, not smaller.
    Instrument priceReference;
    QVector<int> tapeVenue;
    QStringList missing;

    QString venueOfTapeRow(qsizetype row) const
    {
        return row < tapeVenue.size() && tapeVenue[row] < venues.size() ? venues[tapeVenue[row]].instrument.exchange : QString();
    }

    bool isEmpty() const { return candles.isEmpty() && openInterest.isEmpty() && funding.isEmpty() && liquidations.isEmpty(); }

    // The element whose bucket contains t (ts <= t < ts + step), if any.
    template<typename T>
    static const T *at(const QVector<T> &rows, qint64 t, qint64 step)
    {
        auto it = std::upper_bound(rows.cbegin(), rows.cend(), t, [](qint64 v, const T &r) { return v < r.ts; });
        if (it == rows.cbegin())
            return nullptr;
        --it;
        return t < it->ts + step ? &*it : nullptr;
    }
    // The last element at or before t.
    template<typename T>
    static const T *lastAtOrBefore(const QVector<T> &rows, qint64 t)
    {
        auto it = std::upper_bound(rows.cbegin(), rows.cend(), t, [](qint64 v, const T &r) { return v < r.ts; });
        return it == rows.cbegin() ? nullptr : &*(it - 1);
    }
};

Q_DECLARE_METATYPE(MarketWindow)
