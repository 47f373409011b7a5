#pragma once

#include "analysis/heatmapgrid.h"
#include "analysis/heatmapparams.h"
#include "storage/storelocator.h"
#include "analysis/liquidationmap.h"
#include "domain/datakind.h"
#include "domain/instrument.h"

#include <QFutureWatcher>
#include <QObject>
#include <QTimer>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>

class HeatmapService;

// The predicted heatmap for the GUI: grids for the visible window and the liquidation map at
// the cursor, computed off the GUI thread by one HeatmapService per database (which the
// range analysis shares). A newer request cancels the one running; replies for superseded
// requests are dropped. Commits from the data thread extend the model in the background,
// so it keeps up bar by bar while the app streams.
//
// The GUI thread never waits for a build: onAppended() only marks the histories dirty
// (HeatmapService::invalidate takes the table lock, never an entry's), and setParams() sets
// the cancel flag of every running job (grid, map, update) and returns; the cancelled jobs
// stop at their next week of bars and report cancelled(). A pool thread never touches the
// model: a job sees only its JobState (cancel flag, progress, error), which the model polls
// on its own thread, so a model destroyed while a job runs leaves nothing dangling.
class HeatmapModel : public QObject
{
    Q_OBJECT
public:
    explicit HeatmapModel(const StoreLocator &store, QObject *parent = nullptr);
    ~HeatmapModel() override; // cancels and waits for running work

    std::shared_ptr<HeatmapService> service() const { return m_service; }
    const HeatmapParams &params() const { return m_params; }
    void setParams(const HeatmapParams &params);
    void setEnabled(bool on);
    bool isEnabled() const { return m_enabled; }

    struct GridRequest
    {
        Instrument instrument;
        TimeRange range;
        int columns = 0;
        int rows = 0;
        double priceLow = 0;
        double priceHigh = 0;
        friend bool operator==(const GridRequest &, const GridRequest &) = default;
    };
    void requestGrid(const GridRequest &request);
    void requestMap(const Instrument &instrument, qint64 t);
    const std::shared_ptr<const HeatmapGrid> &grid() const { return m_grid; }
    const std::optional<LiquidationMap> &map() const { return m_map; }
    // Whose grid and map those are (a pane that switched instrument drops the other's).
    const Instrument &gridInstrument() const { return m_gridInstrument; }
    const Instrument &mapInstrument() const { return m_mapInstrument; }
    // The grid (map) answers the newest request with the current parameters and nothing for
    // it is running or queued: what exports wait for, so they never show a half-built map.
    bool gridIsCurrent() const;
    bool mapIsCurrent() const;

public slots:
    void onAppended(const Instrument &instrument, DataKind kind, qint64 fromMs, qint64 toMs);

signals:
    void gridReady();
    void mapReady();
    void paramsChanged();
    void progress(double fraction, const QString &what); // while a history is first built
    void failed(const QString &message);
    // A running job stopped because its request or the parameters changed ("grid", "map",
    // "update").
    void cancelled(const QString &what);

public:
    // What a pool thread shares with the model (and nothing else).
    struct JobState
    {
        std::atomic<bool> cancel{false};
        std::mutex mutex; // guards the rest
        double fraction = -1;
        QString what;
    };
    struct GridResult
    {
        std::shared_ptr<const HeatmapGrid> grid;
        QString error;
        bool cancelled = false;
    };
    struct MapResult
    {
        std::optional<LiquidationMap> map;
        bool cancelled = false;
    };

private:
    void startGrid();
    void startMap();
    void startUpdate();
    void cancelAll();
    void pollProgress();

    std::shared_ptr<HeatmapService> m_service;
    HeatmapParams m_params;
    bool m_enabled = true;

    GridRequest m_wantedGrid;
    Instrument m_gridInstrument;
    Instrument m_mapInstrument;
    Instrument m_runningMapInstrument;
    GridRequest m_runningGrid;
    HeatmapParams m_runningGridParams;
    bool m_gridRunning = false;
    std::shared_ptr<JobState> m_gridJob;
    std::shared_ptr<const HeatmapGrid> m_grid;
    QFutureWatcher<GridResult> m_gridWatcher;

    std::pair<Instrument, qint64> m_wantedMap;
    HeatmapParams m_runningMapParams;
    bool m_mapRunning = false;
    bool m_mapPending = false;
    std::shared_ptr<JobState> m_mapJob;
    std::optional<LiquidationMap> m_map;
    QFutureWatcher<MapResult> m_mapWatcher;

    Instrument m_updateInstrument;
    QTimer m_updateTimer;
    bool m_updateRunning = false;
    std::shared_ptr<JobState> m_updateJob;
    QFutureWatcher<bool> m_updateWatcher;

    QTimer m_progressTimer; // polls the running jobs' progress on the GUI thread
    double m_lastFraction = -1;
};
