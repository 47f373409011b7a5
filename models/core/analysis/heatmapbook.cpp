#include "heatmapbook.h"

#include <algorithm>
#include <limits>

namespace {

constexpr int growBy = 256;              // bins added at either end when a price leaves the bucket array
constexpr size_t recentCapacity = 4096;  // a power of two; an hour makes at most ~60 bars x kinds x entries levels
constexpr qint32 noEpoch = std::numeric_limits<qint32>::min();

bool isEmptyRange(int low, int high)
{
    return low > high;
}

} // namespace

HeatmapBook::HeatmapBook(Liquidation::Side side, double binStep, double levelResolution)
    : m_side(side)
    , m_sign(side == Liquidation::Side::Long ? 1 : -1)
    , m_grid(binStep)
    , m_logStep(std::log1p(binStep))
    , m_logResolution(levelResolution > 0 ? std::log1p(levelResolution) : 0)
    , m_recentEpoch(noEpoch)
{
}

HeatmapBook::Bucket &HeatmapBook::bucketAt(int keyBin)
{
    if (m_buckets.empty()) {
        m_firstKeyBin = keyBin - growBy;
        m_buckets.resize(2 * growBy);
    } else if (keyBin < m_firstKeyBin) {
        const int extra = m_firstKeyBin - keyBin + growBy;
        std::vector<Bucket> grown(size_t(extra) + m_buckets.size());
        std::move(m_buckets.begin(), m_buckets.end(), grown.begin() + extra);
        m_buckets.swap(grown);
        m_firstKeyBin -= extra;
    } else if (keyBin >= m_firstKeyBin + int(m_buckets.size())) {
        m_buckets.resize(size_t(keyBin - m_firstKeyBin + growBy));
    }
    return m_buckets[size_t(keyBin - m_firstKeyBin)];
}

HeatmapBook::Bucket *HeatmapBook::existingBucket(int keyBin)
{
    if (keyBin < m_firstKeyBin || keyBin >= m_firstKeyBin + int(m_buckets.size()))
        return nullptr;
    return &m_buckets[size_t(keyBin - m_firstKeyBin)];
}

void HeatmapBook::recount(Bucket &b) const
{
    b.qtyRaw = 0;
    b.notionalRaw = 0;
    b.maxKey = -std::numeric_limits<double>::infinity();
    b.oldestEpoch = b.cohorts.empty() ? 0 : b.cohorts.front().epoch;
    for (const Cohort &c : b.cohorts) {
        b.qtyRaw += c.qtyRaw;
        b.notionalRaw += m_sign * c.key * c.qtyRaw;
        b.maxKey = std::max(b.maxKey, c.key);
        b.oldestEpoch = std::min(b.oldestEpoch, c.epoch);
    }
}

void HeatmapBook::recountTotals()
{
    m_qtyRaw = 0;
    m_notionalRaw = 0;
    m_count = 0;
    int low = 1, high = 0;
    for (int k = m_lowKeyBin; k <= m_highKeyBin; ++k) {
        const Bucket &b = m_buckets[size_t(k - m_firstKeyBin)];
        if (b.cohorts.empty())
            continue;
        m_qtyRaw += b.qtyRaw;
        m_notionalRaw += b.notionalRaw;
        m_count += qsizetype(b.cohorts.size());
        if (isEmptyRange(low, high))
            low = k;
        high = k;
    }
    m_lowKeyBin = low;
    m_highKeyBin = high;
}

void HeatmapBook::renormalise()
{
    // The scale only shrinks (closes, decay); fold it into the quantities before it underflows.
    for (int k = m_lowKeyBin; k <= m_highKeyBin; ++k) {
        Bucket &b = m_buckets[size_t(k - m_firstKeyBin)];
        for (Cohort &c : b.cohorts)
            c.qtyRaw *= m_scale;
        recount(b);
    }
    m_scale = 1;
    recountTotals();
}

quint32 HeatmapBook::place(const Cohort &c, int keyBin)
{
    Bucket &b = bucketAt(keyBin);
    if (b.cohorts.empty()) {
        b.oldestEpoch = c.epoch;
        b.maxKey = c.key;
    } else {
        b.oldestEpoch = std::min(b.oldestEpoch, c.epoch);
        b.maxKey = std::max(b.maxKey, c.key);
    }
    b.cohorts.push_back(c);
    b.qtyRaw += c.qtyRaw;
    b.notionalRaw += m_sign * c.key * c.qtyRaw;
    ++m_count;
    if (isEmptyRange(m_lowKeyBin, m_highKeyBin)) {
        m_lowKeyBin = m_highKeyBin = keyBin;
    } else {
        m_lowKeyBin = std::min(m_lowKeyBin, keyBin);
        m_highKeyBin = std::max(m_highKeyBin, keyBin);
    }
    return quint32(b.cohorts.size() - 1);
}

HeatmapBook::Recent *HeatmapBook::recentSlot(quint16 kind, double logPrice, qint32 epoch)
{
    if (epoch != m_recentEpoch) {
        if (m_recent.size() != recentCapacity)
            m_recent.assign(recentCapacity, Recent{});
        for (quint16 slot : m_recentSlots)
            m_recent[slot] = Recent{};
        m_recentSlots.clear();
        m_recentEpoch = epoch;
    }
    const auto slot = qint64(std::floor(logPrice / m_logResolution));
    const quint64 tag = ((quint64(kind) + 1) << 48) ^ (quint64(slot) & 0xffff'ffff'ffffULL);
    size_t h = size_t((tag * 0x9E3779B97F4A7C15ULL) >> 52) & (recentCapacity - 1);
    while (m_recent[h].tag != 0 && m_recent[h].tag != tag)
        h = (h + 1) & (recentCapacity - 1);
    if (m_recent[h].tag == 0) {
        if (m_recentSlots.size() * 10 >= recentCapacity * 7)
            return nullptr; // full for this hour: later levels are simply kept apart
        m_recent[h].tag = tag;
        m_recentSlots.push_back(quint16(h));
    }
    return &m_recent[h];
}

void HeatmapBook::add(double price, double logPrice, double qty, qint32 epoch, quint16 kind)
{
    const double qtyRaw = qty / m_scale;
    if (!(qtyRaw > 0) || !(price > 0))
        return;
    const double key = m_sign * price;
    const int keyBin = keyBinOfLog(logPrice);
    m_qtyRaw += qtyRaw;
    m_notionalRaw += price * qtyRaw;

    Recent *recent = m_logResolution > 0 ? recentSlot(kind, logPrice, epoch) : nullptr;
    if (recent && recent->placed) {
        // The level this hour's flow of the same kind made in this slot, unless it moved or went.
        Bucket *b = existingBucket(recent->keyBin);
        if (b && b->generation == recent->generation && recent->index < b->cohorts.size()) {
            Cohort &c = b->cohorts[recent->index];
            if (c.epoch == epoch && c.kind == kind) {
                const double total = c.qtyRaw + qtyRaw;
                const double mergedKey = (c.key * c.qtyRaw + key * qtyRaw) / total;
                // The slot may straddle a bin edge; then the merged level may change bucket.
                const int mergedKeyBin = keyBin == recent->keyBin ? keyBin : keyBinOf(m_sign * mergedKey);
                if (mergedKeyBin == recent->keyBin) {
                    c.key = mergedKey;
                    c.qtyRaw = total;
                    b->qtyRaw += qtyRaw;
                    b->notionalRaw += price * qtyRaw;
                    b->maxKey = std::max(b->maxKey, mergedKey);
                    return;
                }
                const Cohort moved{mergedKey, total, epoch, kind};
                c = b->cohorts.back();
                b->cohorts.pop_back();
                ++b->generation;
                --m_count;
                recount(*b);
                recent->index = place(moved, mergedKeyBin);
                recent->keyBin = mergedKeyBin;
                recent->generation = existingBucket(mergedKeyBin)->generation;
                return;
            }
        }
    }
    const quint32 index = place(Cohort{key, qtyRaw, epoch, kind}, keyBin);
    if (recent) {
        recent->placed = true;
        recent->keyBin = keyBin;
        recent->index = index;
        recent->generation = existingBucket(keyBin)->generation;
    }
}

HeatmapBook::Consumed HeatmapBook::consume(double level, qint64 ts, const QVector<double> &leverageOfKind,
                                           QVector<PredictedLiquidation> *out)
{
    if (isEmptyRange(m_lowKeyBin, m_highKeyBin) || !(level > 0))
        return {};
    const double levelKey = m_sign * level;
    const int levelKeyBin = keyBinOf(level);
    if (levelKeyBin - 1 > m_highKeyBin)
        return {};
    // Buckets above the level's go whole; the level's own bucket (and the one below, in case
    // rounding put a cohort at an edge there) are filtered.
    const int stop = std::max(levelKeyBin - 1, m_lowKeyBin);
    double qtyRaw = 0, notionalRaw = 0;
    for (int k = m_highKeyBin; k >= stop; --k) {
        Bucket &b = m_buckets[size_t(k - m_firstKeyBin)];
        if (b.cohorts.empty() || b.maxKey < levelKey)
            continue;
        size_t kept = 0;
        Bucket left; // totals of what stays, gathered in the same pass
        left.maxKey = -std::numeric_limits<double>::infinity();
        left.oldestEpoch = std::numeric_limits<qint32>::max();
        for (size_t i = 0; i < b.cohorts.size(); ++i) {
            const Cohort &c = b.cohorts[i];
            const double price = m_sign * c.key;
            if (c.key >= levelKey) {
                if (out)
                    out->push_back({ts, m_side, price, c.qtyRaw * m_scale, leverageOfKind.value(c.kind)});
                qtyRaw += c.qtyRaw;
                notionalRaw += price * c.qtyRaw;
            } else {
                left.qtyRaw += c.qtyRaw;
                left.notionalRaw += price * c.qtyRaw;
                left.maxKey = std::max(left.maxKey, c.key);
                left.oldestEpoch = std::min(left.oldestEpoch, c.epoch);
                if (kept != i)
                    b.cohorts[kept] = c;
                ++kept;
            }
        }
        if (kept != b.cohorts.size()) {
            m_count -= qsizetype(b.cohorts.size() - kept);
            b.cohorts.resize(kept);
            ++b.generation;
            b.qtyRaw = left.qtyRaw;
            b.notionalRaw = left.notionalRaw;
            b.maxKey = left.maxKey;
            b.oldestEpoch = kept ? left.oldestEpoch : 0;
        }
    }
    m_qtyRaw -= qtyRaw;
    m_notionalRaw -= notionalRaw;
    while (m_highKeyBin >= m_lowKeyBin && m_buckets[size_t(m_highKeyBin - m_firstKeyBin)].cohorts.empty())
        --m_highKeyBin;
    if (isEmptyRange(m_lowKeyBin, m_highKeyBin)) {
        m_lowKeyBin = 1;
        m_highKeyBin = 0;
        m_qtyRaw = m_notionalRaw = 0;
    }
    return {qtyRaw * m_scale, notionalRaw * m_scale};
}

double HeatmapBook::scale(double factor)
{
    const double before = quantity();
    if (factor >= 1)
        return 0;
    if (factor <= 0) {
        for (int k = m_lowKeyBin; k <= m_highKeyBin; ++k) {
            Bucket &b = m_buckets[size_t(k - m_firstKeyBin)];
            b.cohorts.clear();
            ++b.generation;
            recount(b);
        }
        m_lowKeyBin = 1;
        m_highKeyBin = 0;
        m_qtyRaw = m_notionalRaw = 0;
        m_count = 0;
        m_scale = 1;
        return before;
    }
    m_scale *= factor;
    if (m_scale < 1e-150)
        renormalise();
    return before - quantity();
}

void HeatmapBook::rescale(double factor)
{
    if (!(factor > 0) || factor == 1)
        return;
    m_scale *= factor;
    if (m_scale < 1e-150 || m_scale > 1e150)
        renormalise();
}

double HeatmapBook::shift(const QVector<double> &shiftOfKind)
{
    m_recentEpoch = noEpoch; // keys change: forget where this hour's levels were
    if (isEmptyRange(m_lowKeyBin, m_highKeyBin))
        return 0;
    // Funding moves levels by a fraction of a bin: shift keys in place and move only the
    // cohorts that left their bucket.
    std::vector<Cohort> movers;
    double droppedRaw = 0;
    const double *shift = shiftOfKind.constData();
    for (int k = m_lowKeyBin; k <= m_highKeyBin; ++k) {
        Bucket &b = m_buckets[size_t(k - m_firstKeyBin)];
        if (b.cohorts.empty())
            continue;
        const int bin = m_sign * k;
        const double lower = m_grid.lowerEdge(bin), upper = m_grid.upperEdge(bin);
        size_t kept = 0;
        double qty = 0, notional = 0, maxKey = -std::numeric_limits<double>::infinity();
        qint32 oldest = std::numeric_limits<qint32>::max();
        Cohort *cohorts = b.cohorts.data();
        for (size_t i = 0, n = b.cohorts.size(); i < n; ++i) {
            const Cohort &c = cohorts[i];
            const double key = c.key + m_sign * shift[c.kind];
            const double price = m_sign * key;
            if (price >= lower && price < upper) {
                qty += c.qtyRaw;
                notional += price * c.qtyRaw;
                maxKey = std::max(maxKey, key);
                oldest = std::min(oldest, c.epoch);
                if (kept != i)
                    cohorts[kept] = c;
                cohorts[kept++].key = key;
            } else if (price > 0) {
                movers.push_back({key, c.qtyRaw, c.epoch, c.kind});
            } else {
                droppedRaw += c.qtyRaw; // a level at or below zero can never be reached
            }
        }
        m_count -= qsizetype(b.cohorts.size() - kept);
        b.cohorts.resize(kept);
        ++b.generation;
        b.qtyRaw = qty;
        b.notionalRaw = notional;
        b.maxKey = maxKey;
        b.oldestEpoch = kept ? oldest : 0;
    }
    for (const Cohort &c : movers)
        place(c, keyBinOf(m_sign * c.key));
    recountTotals();
    return droppedRaw * m_scale;
}

std::pair<double, double> HeatmapBook::sweep(qint32 minEpoch, double low, double high)
{
    if (isEmptyRange(m_lowKeyBin, m_highKeyBin))
        return {0, 0};
    const int keepLow = m_sign > 0 ? keyBinOf(low) : keyBinOf(high);
    const int keepHigh = m_sign > 0 ? keyBinOf(high) : keyBinOf(low);
    double expiredRaw = 0, outsideRaw = 0;
    for (int k = m_lowKeyBin; k <= m_highKeyBin; ++k) {
        Bucket &b = m_buckets[size_t(k - m_firstKeyBin)];
        if (b.cohorts.empty())
            continue;
        if (k < keepLow || k > keepHigh) {
            outsideRaw += b.qtyRaw;
            b.cohorts.clear();
            ++b.generation;
            recount(b);
        } else if (b.oldestEpoch < minEpoch) {
            double removed = 0;
            std::erase_if(b.cohorts, [&](const Cohort &c) {
                if (c.epoch >= minEpoch)
                    return false;
                removed += c.qtyRaw;
                return true;
            });
            expiredRaw += removed;
            ++b.generation;
            recount(b);
        }
    }
    recountTotals();
    return {expiredRaw * m_scale, outsideRaw * m_scale};
}

double HeatmapBook::survive(const QVector<double> &survivalOfKind)
{
    if (isEmptyRange(m_lowKeyBin, m_highKeyBin) || m_count == 0)
        return 0;
    const double before = quantity();
    const double floorRaw = 1e-4 * m_qtyRaw / double(m_count);
    // One pass per bucket: scale, drop the remnants and gather the bucket's totals (this runs
    // every hour over every cohort, so it is the turnover's whole cost).
    for (int k = m_lowKeyBin; k <= m_highKeyBin; ++k) {
        Bucket &b = m_buckets[size_t(k - m_firstKeyBin)];
        if (b.cohorts.empty())
            continue;
        size_t kept = 0;
        double qty = 0, notional = 0, maxKey = -std::numeric_limits<double>::infinity();
        qint32 oldest = std::numeric_limits<qint32>::max();
        const size_t n = b.cohorts.size();
        for (size_t i = 0; i < n; ++i) {
            Cohort c = b.cohorts[i];
            const quint16 kind = c.kind;
            c.qtyRaw *= kind < survivalOfKind.size() ? survivalOfKind[kind] : 1.0;
            if (!(c.qtyRaw > floorRaw))
                continue;
            qty += c.qtyRaw;
            notional += m_sign * c.key * c.qtyRaw;
            maxKey = std::max(maxKey, c.key);
            oldest = std::min(oldest, c.epoch);
            b.cohorts[kept++] = c;
        }
        if (kept != n) {
            b.cohorts.resize(kept);
            ++b.generation; // indices saved for merging are stale
        }
        b.qtyRaw = qty;
        b.notionalRaw = notional;
        b.maxKey = maxKey;
        b.oldestEpoch = kept ? oldest : 0;
    }
    recountTotals();
    return before - quantity();
}

qsizetype HeatmapBook::memoryBytes() const
{
    qsizetype bytes = qsizetype(m_buckets.capacity() * sizeof(Bucket) + m_recent.capacity() * sizeof(Recent)
                                + m_recentSlots.capacity() * sizeof(quint16));
    for (const Bucket &b : m_buckets)
        bytes += qsizetype(b.cohorts.capacity() * sizeof(Cohort));
    return bytes;
}

void HeatmapBook::forEachBin(int binLow, int binHigh, const std::function<void(int, double)> &fn) const
{
    if (isEmptyRange(m_lowKeyBin, m_highKeyBin))
        return;
    const int from = std::max(binLow, m_sign > 0 ? m_lowKeyBin : -m_highKeyBin);
    const int to = std::min(binHigh, m_sign > 0 ? m_highKeyBin : -m_lowKeyBin);
    for (int bin = from; bin <= to; ++bin) {
        const Bucket &b = m_buckets[size_t(m_sign * bin - m_firstKeyBin)];
        if (!b.cohorts.empty())
            fn(bin, b.notionalRaw * m_scale);
    }
}

void HeatmapBook::addBins(int binLow, int binHigh, double *out) const
{
    if (isEmptyRange(m_lowKeyBin, m_highKeyBin))
        return;
    const int from = std::max(binLow, m_sign > 0 ? m_lowKeyBin : -m_highKeyBin);
    const int to = std::min(binHigh, m_sign > 0 ? m_highKeyBin : -m_lowKeyBin);
    for (int bin = from; bin <= to; ++bin)
        out[bin - binLow] += m_buckets[size_t(m_sign * bin - m_firstKeyBin)].notionalRaw * m_scale;
}

void HeatmapBook::forEachCohort(const std::function<void(double, double, qint32, quint16)> &fn) const
{
    for (int k = m_lowKeyBin; k <= m_highKeyBin; ++k)
        for (const Cohort &c : m_buckets[size_t(k - m_firstKeyBin)].cohorts)
            fn(m_sign * c.key, c.qtyRaw * m_scale, c.epoch, c.kind);
}

std::pair<int, int> HeatmapBook::binRange() const
{
    if (isEmptyRange(m_lowKeyBin, m_highKeyBin))
        return {1, 0};
    return m_sign > 0 ? std::pair{m_lowKeyBin, m_highKeyBin} : std::pair{-m_highKeyBin, -m_lowKeyBin};
}
