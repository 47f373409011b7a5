#pragma once

#include "analysis/heatmapgrid.h"
#include "analysis/heatmapparams.h"
#include "analysis/liquidationmap.h"
#include "domain/datakind.h"
#include "domain/instrument.h"

#include <QFutureWatcher>
#include <QObject>
#include <QTimer>
#include <atomic>
#include <memory>

class HeatmapService;

// The predicted heatmap for the GUI: grids for the visible window and the liquidation map at
// the cursor, computed off the GUI thread by one HeatmapService per database (which the
// range analysis shares). A newer request cancels the one running; replies for superseded
// requests are dropped. Commits from the data thread extend the model in the background,
// so it keeps up bar by bar while the app streams.
class HeatmapModel : public QObject
{
    Q_OBJECT
public:
    explicit HeatmapModel(const QString &dbPath, QObject *parent = nullptr);
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

public slots:
    void onAppended(const Instrument &instrument, DataKind kind, qint64 fromMs, qint64 toMs);

signals:
    void gridReady();
    void mapReady();
    void paramsChanged();
    void progress(double fraction, const QString &what); // while a history is first built
    void failed(const QString &message);

private:
    void startGrid();
    void startMap();
    void startUpdate();

    std::shared_ptr<HeatmapService> m_service;
    HeatmapParams m_params;
    bool m_enabled = true;

    GridRequest m_wantedGrid;
    GridRequest m_runningGrid;
    bool m_gridRunning = false;
    std::shared_ptr<std::atomic<bool>> m_gridCancel;
    std::shared_ptr<const HeatmapGrid> m_grid;
    QFutureWatcher<std::shared_ptr<const HeatmapGrid>> m_gridWatcher;

    std::pair<Instrument, qint64> m_wantedMap;
    bool m_mapRunning = false;
    bool m_mapPending = false;
    std::optional<LiquidationMap> m_map;
    QFutureWatcher<std::optional<LiquidationMap>> m_mapWatcher;

    Instrument m_updateInstrument;
    QTimer m_updateTimer;
    bool m_updateRunning = false;
    QFutureWatcher<void> m_updateWatcher;
};
