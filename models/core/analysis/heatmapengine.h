#pragma once

#include "heatmapbar.h"
#include "heatmapbook.h"
#include "heatmapparams.h"
#include "liquidationprice.h"
#include "predictedliquidation.h"

#include <QVector>

// RLH-1, the time-evolving OI-delta liquidation heatmap (research/models.md §1.6), one bar at
// a time. Per bar: (1) consume the levels the mark low/high crossed (inclusive; levels made in
// this bar are not tested in it), (2) liquidation-adjusted OI change, (3) open cohorts from an
// increase, split long/short by taker-buy share, over sub-entries, leverage tiers and size
// classes, liquidation price from the exchange formula with the MMR bracket, (4) remove a
// decrease proportionally, side-weighted by taker flow, (5) funding erosion, (6) decay, and
// at each hour boundary the look-back expiry and the distance cut.
//
// Warm-up: bars before the first open-interest sample lay down a prior in proportion to
// their traded volume (HeatmapParams::InitialPrior); at the first sample the prior that
// survived the path is scaled to that open interest (or, with no bars before it, the
// documented random-walk prior is placed). Until one look-back has passed after that
// sample the state is "warming up" (warmUntil()); nothing consumed before the first sample
// is reported, and the ledger starts at the first sample.
//
// Turnover (HeatmapParams::holdSigmas): each hour every kind keeps the share of its positions
// that its owners still hold (high leverage turns over in minutes, low leverage in weeks); what
// was closed is reopened over the next hour at that hour's prices, so the book still follows
// open interest but its standing leverage mix is the flow mix weighted by how long each kind
// lives.
//
// The engine is a value: copying it is a checkpoint. step() costs O(consumed + new cohorts),
// independent of how many levels are alive.
class HeatmapEngine
{
public:
    // Where each side's quantity went, for the accounting invariant:
    // live = opened − closed − liquidated − expired − decayed − outside.
    struct Ledger
    {
        double opened = 0, closed = 0, liquidated = 0, expired = 0, decayed = 0, outside = 0;
        double expectedLive() const { return opened - closed - liquidated - expired - decayed - outside; }
    };

    // brackets: the venue's maintenance-margin tiers for this instrument (Binance BTCUSDT's by default).
    // The documented prior without price history: entries (age, offset from the first price in
    // log units, share of the open interest); each share goes half long, half short.
    struct PriorEntry
    {
        double ageHours = 0;
        double logOffset = 0;
        double share = 0;
    };
    static QVector<PriorEntry> randomWalkPrior(const HeatmapParams &params);

    explicit HeatmapEngine(const HeatmapParams &params = HeatmapParams(),
                           const QVector<LiquidationPrice::Bracket> &brackets = LiquidationPrice::binanceBtcUsdt());

    const HeatmapParams &params() const { return m_params; }

    void step(const HeatmapBar &bar, QVector<PredictedLiquidation> *consumed = nullptr);

    // End of the last bar stepped: the state describes the market at this instant. 0 = none.
    qint64 time() const { return m_time; }
    // Last mark close (last close without a mark series); 0 before the first bar.
    double price() const { return m_price; }
    const HeatmapBook &book(Liquidation::Side side) const { return side == Liquidation::Side::Long ? m_longs : m_shorts; }
    const Ledger &ledger(Liquidation::Side side) const { return m_ledger[side == Liquidation::Side::Long ? 0 : 1]; }
    double leverageOfKind(int kind) const { return m_leverageOfKind.value(kind); }
    // Time of the first open-interest sample (0 = none yet) and the end of the warm-up (one
    // look-back later; max() while no sample has been seen: all of it is warming up).
    qint64 firstOpenInterestTime() const { return m_firstOiTime; }
    qint64 warmUntil() const;
    bool isWarmingUp(qint64 t) const { return t < warmUntil(); }
    qsizetype memoryBytes() const { return m_longs.memoryBytes() + m_shorts.memoryBytes(); }

private:
    struct Kind
    {
        double leverage = 0;
        double weight = 0; // share of its side's new quantity
        double ratio[2] = {0, 0};          // LP / entry (long, short)
        double logRatio[2] = {0, 0};
        double fundingFactor[2] = {0, 0};  // price shift per unit of funding paid, 1/(1 ∓ m)
    };

    // extra: quantity per side opened with it (turnover's reopened positions).
    void open(const HeatmapBar &bar, double qty, double longShare, const double extra[2] = nullptr);
    void seed(const HeatmapBar &bar);
    void seedRandomWalk(const HeatmapBar &bar);
    // ageHours > 0: the prior's entries, weighted by the share of each kind still held at that age.
    void addEntry(int side, double entry, double qty, qint32 epoch, int firstKind, int endKind, double ageHours = 0);
    // Hours a position of this kind and side is held (turnover by leverage), at daily σ.
    double holdHours(int kind, int side, double sigmaDay) const;
    void turnOver();
    void close(double qty, double longShare);
    void addSide(int side, const HeatmapBar &bar, double qty, int firstKind, int endKind);

    HeatmapParams m_params;
    QVector<Kind> m_kinds; // active (tier x size), then passive (size)
    int m_activeKinds = 0;
    QVector<double> m_leverageOfKind;
    HeatmapBook m_longs;
    HeatmapBook m_shorts;
    Ledger m_ledger[2];
    bool m_hasOpenInterest = false;
    bool m_hasPrior = false; // bars before the first OI sample laid down a volume prior
    qint64 m_firstOiTime = 0;
    double m_previousOpenInterest = 0;
    // Turnover: EWMA of squared per-bar log returns scaled to a day (starts at the prior's σ²),
    // the quantity closed at the last hour boundary per side and what of it is still to be
    // reopened over the hour that follows.
    double m_dailyVariance = 0;
    double m_lastClose = 0;
    double m_churnPerHour[2] = {0, 0};
    double m_churnLeft[2] = {0, 0};
    qint64 m_time = 0;
    double m_price = 0;
};
