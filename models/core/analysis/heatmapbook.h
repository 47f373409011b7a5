#pragma once

#include "logpricegrid.h"
#include "predictedliquidation.h"

#include <QVector>
#include <functional>
#include <vector>

// One side's predicted positions (cohorts) in RLH-1, bucketed by log-price bin.
//
// Ordering: every cohort has a key k = s·price (s = +1 long, −1 short), and a bucket index
// s·bin, so for both sides "first to be liquidated" means "largest key": longs go when the
// mark low falls to their price, shorts when the mark high rises to it. Buckets are kept
// sorted by key with the largest at the back, so consuming a bar is a pop from the top
// buckets' backs, O(consumed). Quantities are stored divided by a side-wide scale, so the
// proportional removal of an OI decrease and the decay are O(1) per bar.
class HeatmapBook
{
public:
    struct Cohort
    {
        double key = 0;      // s·price
        double qtyRaw = 0;   // quantity / scale
        qint32 epoch = 0;    // creation hour (epoch ms / 3.6e6), for the look-back expiry
        quint16 kind = 0;    // leverage tier x size class index (the engine's table)
    };

    HeatmapBook(Liquidation::Side side, double binStep);

    Liquidation::Side side() const { return m_side; }
    const LogPriceGrid &grid() const { return m_grid; }

    // Adds qty at price; merges into a cohort of the same epoch and kind whose price lies within
    // `resolution` (relative), keeping the notional exact (quantity-weighted price).
    void add(double price, double qty, qint32 epoch, quint16 kind, double resolution);

    struct Consumed
    {
        double qty = 0;
        double notional = 0;
    };
    // Removes every cohort the bar's extreme crossed (long: price >= level; short: price <=
    // level), inclusive. Appends one event per cohort when out is given.
    Consumed consume(double level, qint64 ts, const QVector<double> &leverageOfKind, QVector<PredictedLiquidation> *out);

    // Scales every cohort by factor (0 <= factor <= 1); returns the quantity removed.
    double scale(double factor);
    // Adds shiftOfKind[kind] to each cohort's price (funding erosion) and re-buckets. Returns
    // the quantity dropped because its price fell to zero or below.
    double shift(const QVector<double> &shiftOfKind);
    // Drops cohorts created before minEpoch and buckets outside [low, high]. Returns the
    // quantities (expired, outside).
    std::pair<double, double> sweep(qint32 minEpoch, double low, double high);

    double quantity() const { return m_qtyRaw * m_scale; }
    double notional() const { return m_notionalRaw * m_scale; }
    qsizetype cohortCount() const { return m_count; }
    qsizetype memoryBytes() const;

    // Notional per bin over [binLow, binHigh], ascending bins: fn(bin, usd) for non-empty bins.
    void forEachBin(int binLow, int binHigh, const std::function<void(int, double)> &fn) const;
    // Every cohort, in no particular order: fn(price, qty, epoch, kind).
    void forEachCohort(const std::function<void(double, double, qint32, quint16)> &fn) const;
    // Lowest and highest non-empty bin (low > high when empty).
    std::pair<int, int> binRange() const;

private:
    struct Bucket
    {
        std::vector<Cohort> cohorts; // ascending key
        double notionalRaw = 0;
        double qtyRaw = 0;
        qint32 oldestEpoch = 0;
    };

    int keyBinOf(double price) const { return m_sign * m_grid.binOf(price); }
    Bucket &bucketAt(int keyBin);
    void recount(Bucket &b) const;
    void recountTotals();
    void renormalise();

    Liquidation::Side m_side;
    int m_sign;
    LogPriceGrid m_grid;
    std::vector<Bucket> m_buckets; // m_buckets[i] holds key bin m_firstKeyBin + i
    int m_firstKeyBin = 0;
    int m_lowKeyBin = 1;  // non-empty key bins lie within [m_lowKeyBin, m_highKeyBin]
    int m_highKeyBin = 0; // (an upper bound: emptied buckets are not searched for)
    double m_scale = 1;
    double m_qtyRaw = 0;
    double m_notionalRaw = 0;
    qsizetype m_count = 0;
};
