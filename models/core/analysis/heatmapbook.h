#pragma once

#include "logpricegrid.h"
#include "predictedliquidation.h"

#include <QVector>
#include <cmath>
#include <functional>
#include <vector>

// One side's predicted positions (cohorts) in RLH-1, ordered by log-price bin.
//
// Every cohort has a key k = s·price (s = +1 long, −1 short) and lives in the bucket of key
// bin s·bin, so for both sides "first to be liquidated" means "largest key": longs go when
// the mark low falls to their price, shorts when the mark high rises to it. Consuming a bar
// therefore takes whole buckets off the top and filters only the bucket holding the level:
// O(consumed + one bucket). Inside a bucket the order does not matter, which makes adding
// O(1). Quantities are stored divided by a side-wide scale, so the proportional removal of
// an OI decrease and the decay are O(1) per bar.
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

    // levelResolution > 0 merges same-hour, same-kind levels in the same log-price slot of
    // that relative width (0 = every level kept apart).
    HeatmapBook(Liquidation::Side side, double binStep, double levelResolution);

    Liquidation::Side side() const { return m_side; }
    const LogPriceGrid &grid() const { return m_grid; }

    // Adds qty at price (logPrice = ln price, passed in because the caller derives it cheaply);
    // merges into the cohort of the same hour and kind in the same level slot, keeping the
    // notional exact (quantity-weighted price).
    void add(double price, double logPrice, double qty, qint32 epoch, quint16 kind);

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
    // Scales every cohort by any factor > 0 (the prior brought to the first OI sample).
    void rescale(double factor);
    // Adds shiftOfKind[kind] to each cohort's price (funding erosion). Returns the quantity
    // dropped because its price fell to zero or below.
    double shift(const QVector<double> &shiftOfKind);
    // Drops cohorts created before minEpoch and buckets outside [low, high]. Returns the
    // quantities (expired, outside).
    std::pair<double, double> sweep(qint32 minEpoch, double low, double high);
    // Multiplies each cohort's quantity by survivalOfKind[kind] (0 < s <= 1: the share of
    // that kind's positions still held after an interval; the rest were closed by their
    // owners). Cohorts left below a ten-thousandth of the mean cohort are dropped whole.
    // Returns the quantity removed. O(cohorts): the engine calls it once an hour.
    double survive(const QVector<double> &survivalOfKind);

    double quantity() const { return m_qtyRaw * m_scale; }
    double notional() const { return m_notionalRaw * m_scale; }
    qsizetype cohortCount() const { return m_count; }
    qsizetype memoryBytes() const;

    // Notional per bin over [binLow, binHigh], ascending bins: fn(bin, usd) for non-empty bins.
    void forEachBin(int binLow, int binHigh, const std::function<void(int, double)> &fn) const;
    // Adds each bin's notional in [binLow, binHigh] to out[bin − binLow] (dense, for rasters).
    void addBins(int binLow, int binHigh, double *out) const;
    // Every cohort, in no particular order: fn(price, qty, epoch, kind).
    void forEachCohort(const std::function<void(double, double, qint32, quint16)> &fn) const;
    // Lowest and highest non-empty bin (low > high when empty).
    std::pair<int, int> binRange() const;

private:
    struct Bucket
    {
        std::vector<Cohort> cohorts; // unordered
        double notionalRaw = 0;
        double qtyRaw = 0;
        double maxKey = 0;
        qint32 oldestEpoch = 0;
        quint32 generation = 0; // bumped whenever cohorts move inside, so saved indices expire
    };
    // Where the current hour's levels are, by (kind, slot): an open-addressing table emptied
    // when the hour changes, so merging is O(1).
    struct Recent
    {
        quint64 tag = 0; // 0 = free
        int keyBin = 0;
        quint32 index = 0;
        quint32 generation = 0;
        bool placed = false;
    };

    int keyBinOf(double price) const { return m_sign * m_grid.binOf(price); }
    int keyBinOfLog(double logPrice) const { return m_sign * int(std::floor(logPrice / m_logStep)); }
    Bucket &bucketAt(int keyBin);
    Bucket *existingBucket(int keyBin);
    quint32 place(const Cohort &c, int keyBin); // returns the index in its bucket
    Recent *recentSlot(quint16 kind, double logPrice, qint32 epoch);
    void recount(Bucket &b) const;
    void recountTotals();
    void renormalise();

    Liquidation::Side m_side;
    int m_sign;
    LogPriceGrid m_grid;
    double m_logStep;
    double m_logResolution; // 0 = no merging
    std::vector<Recent> m_recent;
    std::vector<quint16> m_recentSlots; // used entries, to empty the table cheaply
    qint32 m_recentEpoch;
    std::vector<Bucket> m_buckets; // m_buckets[i] holds key bin m_firstKeyBin + i
    int m_firstKeyBin = 0;
    int m_lowKeyBin = 1;  // non-empty key bins lie within [m_lowKeyBin, m_highKeyBin]
    int m_highKeyBin = 0;
    double m_scale = 1;
    double m_qtyRaw = 0;
    double m_notionalRaw = 0;
    qsizetype m_count = 0;
};
