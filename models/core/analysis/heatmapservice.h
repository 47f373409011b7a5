#pragma once

#include "domain/instrument.h"
#include "domain/timerange.h"
#include "heatmapgrid.h"
#include "heatmaphistory.h"
#include "heatmapjob.h"
#include "heatmapparams.h"
#include "heatmapzone.h"
#include "liquidationmap.h"

#include <QString>
#include <QVector>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

class StoreReader;

// The heatmap queries the panes and the range analysis call, from any thread but the GUI's.
// One HeatmapHistory per (instrument, parameters) is built on first use (a full recompute,
// with progress and cancellation) and then extended with whatever the store gained since,
// so a view of a year reads snapshots instead of recomputing, and a zoomed-in view steps at
// most one checkpoint interval of bars. Each call opens its own read connection.
//
// Calls return std::nullopt when cancelled, throw StoreError on a database error and
// std::invalid_argument (message for the user) on unusable arguments.
class HeatmapService
{
public:
    using Job = HeatmapJob;

    explicit HeatmapService(const QString &dbPath);
    ~HeatmapService();

    const QString &path() const { return m_path; }

    // Brings the history up to date with the store; false when cancelled (the part built so
    // far is kept and the next call continues from it).
    bool update(const Instrument &instrument, const HeatmapParams &params, const Job &job = {});

    std::optional<HeatmapGrid> grid(const Instrument &instrument, TimeRange range, int columns, double priceLow, double priceHigh,
                                    int rows, const HeatmapParams &params, HeatmapGrid::RowScale scale = HeatmapGrid::RowScale::Linear,
                                    const Job &job = {});
    std::optional<LiquidationMap> liquidationMap(const Instrument &instrument, qint64 t, const HeatmapParams &params, const Job &job = {});
    std::optional<QVector<HeatmapZone>> zonesConsumed(const Instrument &instrument, TimeRange range, const HeatmapParams &params,
                                                      const Job &job = {});

    // Stored data at or after fromMs changed (a gap was filled, OI arrived late): later states
    // are recomputed on the next query. Call it for appended() spans that start before the end
    // of what was already computed.
    void invalidate(const Instrument &instrument, qint64 fromMs);
    // Forgets every history (another database, or to free memory).
    void clear();
    qsizetype memoryBytes();

private:
    struct Entry
    {
        std::mutex mutex;
        std::unique_ptr<HeatmapHistory> history;
    };
    std::shared_ptr<Entry> entry(const Instrument &instrument, const HeatmapParams &params);
    bool updateLocked(Entry &e, StoreReader &reader, const Instrument &instrument, const HeatmapParams &params, const Job &job);
    // The exact engine state at t (stepping from the nearest checkpoint), or nullopt if cancelled.
    std::optional<HeatmapEngine> stateAt(Entry &e, StoreReader &reader, const Instrument &instrument, qint64 t, const Job &job);

    QString m_path;
    std::mutex m_mutex;
    std::map<std::pair<QString, QByteArray>, std::shared_ptr<Entry>> m_entries;
};
