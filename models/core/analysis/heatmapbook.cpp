#include "heatmapbook.h"

#include <algorithm>

namespace {

constexpr int growBy = 256; // bins added at either end when a price leaves the bucket array

bool isEmptyRange(int low, int high)
{
    return low > high;
}

} // namespace

HeatmapBook::HeatmapBook(Liquidation::Side side, double binStep)
    : m_side(side)
    , m_sign(side == Liquidation::Side::Long ? 1 : -1)
    , m_grid(binStep)
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

void HeatmapBook::recount(Bucket &b) const
{
    b.qtyRaw = 0;
    b.notionalRaw = 0;
    b.oldestEpoch = b.cohorts.empty() ? 0 : b.cohorts.front().epoch;
    for (const Cohort &c : b.cohorts) {
        b.qtyRaw += c.qtyRaw;
        b.notionalRaw += m_sign * c.key * c.qtyRaw;
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

void HeatmapBook::add(double price, double qty, qint32 epoch, quint16 kind, double resolution)
{
    const double qtyRaw = qty / m_scale;
    if (!(qtyRaw > 0) || !(price > 0))
        return;
    const double key = m_sign * price;
    const int keyBin = keyBinOf(price);
    Bucket &b = bucketAt(keyBin);
    std::vector<Cohort> &v = b.cohorts;
    auto byKey = [](const Cohort &c, double k) { return c.key < k; };
    auto it = std::lower_bound(v.begin(), v.end(), key, byKey);

    auto merge = [&](std::vector<Cohort>::iterator j) {
        const double total = j->qtyRaw + qtyRaw;
        j->key = (j->key * j->qtyRaw + key * qtyRaw) / total;
        j->qtyRaw = total;
        // The merged key moved toward the new one: restore the order locally.
        while (j + 1 != v.end() && (j + 1)->key < j->key) {
            std::iter_swap(j, j + 1);
            ++j;
        }
        while (j != v.begin() && (j - 1)->key > j->key) {
            std::iter_swap(j, j - 1);
            --j;
        }
    };

    bool merged = false;
    if (resolution > 0) {
        const double tolerance = resolution * price;
        for (auto j = it; j != v.end() && j->key - key <= tolerance; ++j)
            if (j->epoch == epoch && j->kind == kind) {
                merge(j);
                merged = true;
                break;
            }
        for (auto j = it; !merged && j != v.begin();) {
            --j;
            if (key - j->key > tolerance)
                break;
            if (j->epoch == epoch && j->kind == kind) {
                merge(j);
                merged = true;
            }
        }
    }
    if (!merged) {
        b.oldestEpoch = v.empty() ? epoch : std::min(b.oldestEpoch, epoch);
        v.insert(it, Cohort{key, qtyRaw, epoch, kind});
        ++m_count;
    }
    b.qtyRaw += qtyRaw;
    b.notionalRaw += price * qtyRaw;
    m_qtyRaw += qtyRaw;
    m_notionalRaw += price * qtyRaw;
    if (isEmptyRange(m_lowKeyBin, m_highKeyBin)) {
        m_lowKeyBin = m_highKeyBin = keyBin;
    } else {
        m_lowKeyBin = std::min(m_lowKeyBin, keyBin);
        m_highKeyBin = std::max(m_highKeyBin, keyBin);
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
    // One bucket below the level's own, in case rounding put a cohort at an edge there.
    const int stop = std::max(levelKeyBin - 1, m_lowKeyBin);
    double qtyRaw = 0, notionalRaw = 0;
    for (int k = m_highKeyBin; k >= stop; --k) {
        Bucket &b = m_buckets[size_t(k - m_firstKeyBin)];
        std::vector<Cohort> &v = b.cohorts;
        const size_t before = v.size();
        while (!v.empty() && v.back().key >= levelKey) {
            const Cohort &c = v.back();
            const double price = m_sign * c.key;
            if (out)
                out->push_back({ts, m_side, price, c.qtyRaw * m_scale, leverageOfKind.value(c.kind)});
            qtyRaw += c.qtyRaw;
            notionalRaw += price * c.qtyRaw;
            v.pop_back();
        }
        if (v.size() != before) {
            m_count -= qsizetype(before - v.size());
            recount(b);
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

double HeatmapBook::shift(const QVector<double> &shiftOfKind)
{
    if (isEmptyRange(m_lowKeyBin, m_highKeyBin))
        return 0;
    std::vector<Cohort> all;
    all.reserve(size_t(m_count));
    for (int k = m_lowKeyBin; k <= m_highKeyBin; ++k) {
        Bucket &b = m_buckets[size_t(k - m_firstKeyBin)];
        for (Cohort c : b.cohorts) {
            c.key += m_sign * shiftOfKind.value(c.kind);
            all.push_back(c);
        }
        b.cohorts.clear();
        recount(b);
    }
    // One shift per bracket: the order only changes between cohorts of different brackets.
    auto byKey = [](const Cohort &a, const Cohort &b) { return a.key < b.key; };
    if (!std::is_sorted(all.begin(), all.end(), byKey))
        std::stable_sort(all.begin(), all.end(), byKey);
    m_lowKeyBin = 1;
    m_highKeyBin = 0;
    double droppedRaw = 0;
    for (const Cohort &c : all) {
        const double price = m_sign * c.key;
        if (!(price > 0)) {
            droppedRaw += c.qtyRaw; // a level at or below zero can never be reached
            continue;
        }
        const int keyBin = keyBinOf(price);
        bucketAt(keyBin).cohorts.push_back(c);
        if (isEmptyRange(m_lowKeyBin, m_highKeyBin)) {
            m_lowKeyBin = m_highKeyBin = keyBin;
        } else {
            m_lowKeyBin = std::min(m_lowKeyBin, keyBin);
            m_highKeyBin = std::max(m_highKeyBin, keyBin);
        }
    }
    for (int k = m_lowKeyBin; k <= m_highKeyBin; ++k)
        recount(m_buckets[size_t(k - m_firstKeyBin)]);
    recountTotals();
    return droppedRaw * m_scale;
}

std::pair<double, double> HeatmapBook::sweep(qint32 minEpoch, double low, double high)
{
    if (isEmptyRange(m_lowKeyBin, m_highKeyBin))
        return {0, 0};
    int keepLow = m_sign > 0 ? keyBinOf(low) : keyBinOf(high);
    int keepHigh = m_sign > 0 ? keyBinOf(high) : keyBinOf(low);
    double expiredRaw = 0, outsideRaw = 0;
    for (int k = m_lowKeyBin; k <= m_highKeyBin; ++k) {
        Bucket &b = m_buckets[size_t(k - m_firstKeyBin)];
        if (b.cohorts.empty())
            continue;
        if (k < keepLow || k > keepHigh) {
            outsideRaw += b.qtyRaw;
            b.cohorts.clear();
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
            recount(b);
        }
    }
    recountTotals();
    return {expiredRaw * m_scale, outsideRaw * m_scale};
}

qsizetype HeatmapBook::memoryBytes() const
{
    qsizetype bytes = qsizetype(m_buckets.capacity() * sizeof(Bucket));
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
