#include "heatmaphistory.h"

#include <algorithm>

namespace {

// Zoomed-in views are mostly of recent days: keep a checkpoint per day over the last ten days,
// and only one per checkpointEvery before that.
constexpr qint64 recentEveryMs = 24 * 3'600'000LL;
constexpr qint64 recentWindowMs = 10 * recentEveryMs;

qint64 ceilTo(qint64 t, qint64 step)
{
    const qint64 r = ((t % step) + step) % step;
    return r == 0 ? t : t + (step - r);
}

} // namespace

HeatmapHistory::HeatmapHistory(const HeatmapParams &params, qint64 startMs, qint64 barMs, qint64 snapshotEveryMs, qint64 checkpointEveryMs,
                               const MarginTierChoice &tiers)
    : m_params(params)
    , m_start(startMs)
    , m_barMs(barMs)
    , m_snapshotEvery(std::max<qint64>(barMs, snapshotEveryMs))
    , m_checkpointEvery(std::max<qint64>(barMs, checkpointEveryMs))
    , m_engine(params, tiers.brackets)
    , m_tiers(tiers)
    , m_origin(params, tiers.brackets)
    , m_nextSnapshot(ceilTo(startMs, m_snapshotEvery))
{
}

qint64 HeatmapHistory::resumeFrom() const
{
    return m_tentativeTs >= 0 ? m_tentativeTs : time();
}

void HeatmapHistory::extend(const QVector<HeatmapBar> &bars)
{
    if (bars.isEmpty())
        return;
    if (m_beforeTentative && bars.front().ts <= m_tentativeTs) {
        // The tentative bar is being re-sent (it may have changed): undo it.
        m_engine = *m_beforeTentative;
        const qint64 t = m_engine.time();
        while (!m_checkpoints.isEmpty() && m_checkpoints.back().time() > t)
            m_checkpoints.removeLast();
        while (!m_consumed.isEmpty() && m_consumed.back().ts >= m_tentativeTs)
            m_consumed.removeLast();
    }
    m_beforeTentative.reset();
    m_tentativeTs = -1;
    const qint64 from = resumeFrom();
    for (qsizetype i = 0; i < bars.size(); ++i) {
        const HeatmapBar &bar = bars[i];
        if (bar.ts < from)
            continue;
        if (i + 1 == bars.size()) {
            m_beforeTentative = m_engine;
            m_tentativeTs = bar.ts;
        }
        step(bar);
    }
}

void HeatmapHistory::step(const HeatmapBar &bar)
{
    // Snapshots strictly before this bar's end describe the state before it.
    while (m_nextSnapshot < bar.end()) {
        takeSnapshot(m_nextSnapshot);
        m_nextSnapshot += m_snapshotEvery;
    }
    const qint64 before = time();
    m_scratch.clear();
    m_engine.step(bar, &m_scratch);

    if (!m_scratch.isEmpty()) {
        const LogPriceGrid grid(m_params.binStep);
        const qsizetype first = m_consumed.size();
        for (const PredictedLiquidation &p : std::as_const(m_scratch)) {
            const qint32 bin = grid.binOf(p.price);
            auto it = std::find_if(m_consumed.begin() + first, m_consumed.end(), [bin](const ConsumedCell &c) { return c.bin == bin; });
            if (it == m_consumed.end()) {
                m_consumed.push_back({bar.ts, bin, 0, 0});
                it = m_consumed.end() - 1;
            }
            (p.side == Liquidation::Side::Long ? it->longUsd : it->shortUsd) += float(p.notional());
        }
    }
    const bool recent = m_engine.time() >= m_dataEnd - recentWindowMs;
    const qint64 every = recent ? std::min(m_checkpointEvery, recentEveryMs) : m_checkpointEvery;
    if (m_engine.time() / every != before / every) {
        m_checkpoints.push_back(m_engine);
        thinCheckpoints();
    }
}

void HeatmapHistory::thinCheckpoints()
{
    const qint64 horizon = m_engine.time() - recentWindowMs;
    for (qsizetype i = 1; i < m_checkpoints.size() && m_checkpoints[i].time() < horizon;) {
        if (m_checkpoints[i].time() / m_checkpointEvery == m_checkpoints[i - 1].time() / m_checkpointEvery)
            m_checkpoints.removeAt(i);
        else
            ++i;
    }
}

void HeatmapHistory::takeSnapshot(qint64 at)
{
    Snapshot s{at, m_engine.price(), qint32(m_cells.size()), 0};
    QVector<std::pair<int, double>> longs, shorts;
    const auto bins = [](const HeatmapBook &b, QVector<std::pair<int, double>> &out) {
        const auto [low, high] = b.binRange();
        b.forEachBin(low, high, [&out](int bin, double usd) { out.push_back({bin, usd}); });
    };
    bins(m_engine.book(Liquidation::Side::Long), longs);
    bins(m_engine.book(Liquidation::Side::Short), shorts);
    qsizetype i = 0, j = 0;
    while (i < longs.size() || j < shorts.size()) {
        Cell c;
        if (j == shorts.size() || (i < longs.size() && longs[i].first < shorts[j].first)) {
            c = {longs[i].first, float(longs[i].second), 0};
            ++i;
        } else if (i == longs.size() || shorts[j].first < longs[i].first) {
            c = {shorts[j].first, 0, float(shorts[j].second)};
            ++j;
        } else {
            c = {longs[i].first, float(longs[i].second), float(shorts[j].second)};
            ++i;
            ++j;
        }
        m_cells.push_back(c);
    }
    s.cellCount = qint32(m_cells.size() - s.firstCell);
    m_snapshots.push_back(s);
}

void HeatmapHistory::rewind(qint64 t)
{
    m_beforeTentative.reset();
    m_tentativeTs = -1;
    while (!m_checkpoints.isEmpty() && m_checkpoints.back().time() > t)
        m_checkpoints.removeLast();
    m_engine = m_checkpoints.isEmpty() ? m_origin : m_checkpoints.back();
    dropAfter(time());
}

void HeatmapHistory::dropAfter(qint64 engineTime)
{
    while (!m_snapshots.isEmpty() && m_snapshots.back().time > engineTime) {
        m_cells.resize(m_snapshots.back().firstCell);
        m_snapshots.removeLast();
    }
    m_nextSnapshot = m_snapshots.isEmpty() ? ceilTo(m_start, m_snapshotEvery) : m_snapshots.back().time + m_snapshotEvery;
    while (!m_consumed.isEmpty() && m_consumed.back().ts >= engineTime)
        m_consumed.removeLast();
}

const HeatmapEngine &HeatmapHistory::checkpointAtOrBefore(qint64 t) const
{
    auto it = std::upper_bound(m_checkpoints.begin(), m_checkpoints.end(), t,
                               [](qint64 v, const HeatmapEngine &e) { return v < e.time(); });
    if (it == m_checkpoints.begin())
        return m_origin;
    return *(it - 1);
}

qsizetype HeatmapHistory::snapshotAtOrBefore(qint64 t) const
{
    auto it = std::upper_bound(m_snapshots.begin(), m_snapshots.end(), t, [](qint64 v, const Snapshot &s) { return v < s.time; });
    return (it - m_snapshots.begin()) - 1;
}

QVector<HeatmapHistory::ConsumedCell> HeatmapHistory::consumed(TimeRange range) const
{
    auto lo = std::lower_bound(m_consumed.begin(), m_consumed.end(), range.from, [](const ConsumedCell &c, qint64 v) { return c.ts < v; });
    auto hi = std::lower_bound(lo, m_consumed.end(), range.to, [](const ConsumedCell &c, qint64 v) { return c.ts < v; });
    return QVector<ConsumedCell>(lo, hi);
}

qsizetype HeatmapHistory::memoryBytes() const
{
    qsizetype bytes = m_engine.memoryBytes() + m_origin.memoryBytes();
    for (const HeatmapEngine &e : m_checkpoints)
        bytes += e.memoryBytes();
    if (m_beforeTentative)
        bytes += m_beforeTentative->memoryBytes();
    bytes += m_snapshots.capacity() * qsizetype(sizeof(Snapshot)) + m_cells.capacity() * qsizetype(sizeof(Cell))
        + m_consumed.capacity() * qsizetype(sizeof(ConsumedCell));
    return bytes;
}
