#pragma once

#include "domain/timerange.h"
#include "heatmapbar.h"
#include "heatmapengine.h"
#include "heatmapparams.h"
#include "margintierchoice.h"

#include <QVector>
#include <limits>
#include <optional>

// The heatmap of one instrument over its stored history, kept so views never recompute a
// year: engine checkpoints (full state) every checkpointEvery (daily over the last ten days),
// sparse binned snapshots every
// snapshotEvery for zoomed-out views, and the predicted liquidations aggregated per bar and
// bin. Extended bar by bar as data arrives; the newest bar is tentative (a live bar is
// re-sent while it forms), so the state before it is kept and it is re-stepped on the next
// extend.
//
// State at time t means: after every bar that ended at or before t.
class HeatmapHistory
{
public:
    struct Cell
    {
        qint32 bin = 0;
        float longUsd = 0;
        float shortUsd = 0;
    };
    struct Snapshot
    {
        qint64 time = 0;
        double price = 0;
        qint32 firstCell = 0;
        qint32 cellCount = 0;
    };
    struct ConsumedCell
    {
        qint64 ts = 0; // open time of the bar that consumed the levels
        qint32 bin = 0;
        float longUsd = 0;
        float shortUsd = 0;
    };

    // tiers: the maintenance-margin schedule every liquidation price is computed with.
    HeatmapHistory(const HeatmapParams &params, qint64 startMs, qint64 barMs, qint64 snapshotEveryMs, qint64 checkpointEveryMs,
                   const MarginTierChoice &tiers = MarginTierChoice::binanceDefault());

    const HeatmapParams &params() const { return m_params; }
    const MarginTierChoice &tiers() const { return m_tiers; }
    qint64 startMs() const { return m_start; }
    qint64 barMs() const { return m_barMs; }
    qint64 snapshotEveryMs() const { return m_snapshotEvery; }
    qint64 checkpointEveryMs() const { return m_checkpointEvery; }

    // Where the stored data ends, so that the daily checkpoints are only taken over its last
    // ten days (a year-long build then copies the state ~45 times instead of 365).
    void setDataEnd(qint64 end) { m_dataEnd = end; }

    // Open time from which the next extend() must deliver bars (re-sending the tentative one).
    qint64 resumeFrom() const;
    // Steps bars (ascending, starting at resumeFrom() or later); the last one stays tentative.
    void extend(const QVector<HeatmapBar> &bars);
    // Forgets every bar opening at or after t (stored data before the end changed) by going
    // back to the latest checkpoint at or before t.
    void rewind(qint64 t);

    const HeatmapEngine &engine() const { return m_engine; }
    qint64 time() const { return m_engine.time() ? m_engine.time() : m_start; }
    // Latest checkpoint whose time is <= t (the empty start state when none is).
    const HeatmapEngine &checkpointAtOrBefore(qint64 t) const;
    qint64 checkpointTime(const HeatmapEngine &e) const { return e.time() ? e.time() : m_start; }

    const QVector<Snapshot> &snapshots() const { return m_snapshots; }
    // Index of the latest snapshot with time <= t, or -1.
    qsizetype snapshotAtOrBefore(qint64 t) const;
    const Cell *cells(const Snapshot &s) const { return m_cells.constData() + s.firstCell; }

    // Aggregated predicted liquidations of the bars opening in range.
    QVector<ConsumedCell> consumed(TimeRange range) const;

    qsizetype memoryBytes() const;

private:
    void step(const HeatmapBar &bar);
    void thinCheckpoints();
    void takeSnapshot(qint64 at);
    void dropAfter(qint64 engineTime);

    HeatmapParams m_params;
    qint64 m_start;
    qint64 m_barMs;
    qint64 m_snapshotEvery;
    qint64 m_checkpointEvery;
    qint64 m_dataEnd = std::numeric_limits<qint64>::min();
    HeatmapEngine m_engine;
    MarginTierChoice m_tiers;
    HeatmapEngine m_origin; // empty state at m_start
    QVector<HeatmapEngine> m_checkpoints;
    std::optional<HeatmapEngine> m_beforeTentative;
    qint64 m_tentativeTs = -1;
    qint64 m_nextSnapshot;
    QVector<Snapshot> m_snapshots;
    QVector<Cell> m_cells;
    QVector<ConsumedCell> m_consumed;
    QVector<PredictedLiquidation> m_scratch;
};
