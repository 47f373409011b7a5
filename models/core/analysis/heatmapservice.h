#pragma once

#include "domain/instrument.h"
#include "domain/timerange.h"
#include "heatmapconsumption.h"
#include "heatmapgrid.h"
#include "heatmaphistory.h"
#include "heatmapjob.h"
#include "heatmapparams.h"
#include "liquidationmap.h"
#include "storage/marketstore.h"

#include <QString>
#include <QVector>
#include <atomic>
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
// A history starts one look-back before the first open-interest sample (or at the first
// candle, if later): those bars only lay down the warm-up prior (HeatmapEngine).
//
// Memory: histories are kept within a budget (defaultMemoryBudget, setMemoryBudget); when the
// total exceeds it, the least recently used histories that no query is using are dropped
// (they are rebuilt on their next use), so switching presets back and forth never grows
// without bound. The history being built or queried is never dropped.
//
// invalidate(), clear() and memoryBytes() never wait for a build: they take only the short
// table lock, so the GUI thread may call them at any time.
//
// Calls return std::nullopt when cancelled, throw StoreError on a database error and
// std::invalid_argument (message for the user) on unusable arguments.
class HeatmapService
{
public:
    using Job = HeatmapJob;
    // About one five-year history of 1m bars or five one-year ones (bench_heatmap prints the
    // memory per year).
    static constexpr qsizetype defaultMemoryBudget = qsizetype(320) << 20;

    explicit HeatmapService(const StoreLocator &store, qsizetype memoryBudget = defaultMemoryBudget);
    ~HeatmapService();

    const StoreLocator &store() const { return m_store.locator(); }
    void setMemoryBudget(qsizetype bytes);
    qsizetype memoryBudget() const { return m_budget; }

    // Brings the history up to date with the store; false when cancelled (the part built so
    // far is kept and the next call continues from it).
    bool update(const Instrument &instrument, const HeatmapParams &params, const Job &job = {});

    std::optional<HeatmapGrid> grid(const Instrument &instrument, TimeRange range, int columns, double priceLow, double priceHigh,
                                    int rows, const HeatmapParams &params, HeatmapGrid::RowScale scale = HeatmapGrid::RowScale::Linear,
                                    const Job &job = {});
    std::optional<LiquidationMap> liquidationMap(const Instrument &instrument, qint64 t, const HeatmapParams &params, const Job &job = {});
    // What the range's price path consumed of the map (HeatmapConsumption), warm-up excluded.
    std::optional<HeatmapConsumption> consumption(const Instrument &instrument, TimeRange range, const HeatmapParams &params,
                                                  const Job &job = {});

    // Stored data at or after fromMs changed (a gap was filled, OI arrived late): later states
    // are recomputed on the next query (a build in progress restarts from there at its next
    // week of bars). Call it for appended() spans that start before the end of what was
    // already computed. Never blocks on a running build.
    void invalidate(const Instrument &instrument, qint64 fromMs);
    // Forgets every history (another database, or to free memory); histories in use by a
    // running query are freed when it ends.
    void clear();
    // Memory held by the histories (as of their last completed step of work).
    qsizetype memoryBytes();
    // Number of histories held, and whether one is (for tests of the budget).
    int historyCount();
    bool holds(const Instrument &instrument, const HeatmapParams &params);

private:
    // An aggregate (ALL:BTC) has no history of its own: its queries sum its members' (each
    // with its own open-interest changes and its venue's margin tiers).
    QList<Instrument> aggregateMembers(const Instrument &aggregate);
    struct Entry;
    class Use;
    Use entry(const Instrument &instrument, const HeatmapParams &params);
    bool updateLocked(Entry &e, StoreReader &reader, const Instrument &instrument, const HeatmapParams &params, const Job &job);
    void applyPendingRewind(Entry &e);
    void noteMemory(Entry &e);
    void enforceBudget(const Entry *keep);
    // The exact engine state at t (stepping from the nearest checkpoint), or nullopt if cancelled.
    std::optional<HeatmapEngine> stateAt(Entry &e, StoreReader &reader, const Instrument &instrument, qint64 t, const Job &job);

    MarketStore m_store;
    std::atomic<qsizetype> m_budget;
    std::atomic<quint64> m_clock{0};
    std::mutex m_mutex; // the table only; never held while waiting for an entry
    std::map<std::pair<QString, QByteArray>, std::shared_ptr<Entry>> m_entries;
};
