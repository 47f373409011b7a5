#include "heatmapmodel.h"

#include "analysis/heatmapservice.h"
#include "storage/storeerror.h"
#include "workpool.h"

#include <QtConcurrent>

HeatmapModel::HeatmapModel(const QString &dbPath, QObject *parent)
    : QObject(parent)
    , m_service(std::make_shared<HeatmapService>(dbPath))
    , m_params(*HeatmapParams::preset(QStringLiteral("all_leverage")))
{
    connect(&m_gridWatcher, &QFutureWatcher<std::shared_ptr<const HeatmapGrid>>::finished, this, [this] {
        m_gridRunning = false;
        const auto result = m_gridWatcher.result();
        if (result && m_runningGrid == m_wantedGrid) {
            m_grid = result;
            emit gridReady();
        }
        if (!(m_runningGrid == m_wantedGrid))
            startGrid();
    });
    connect(&m_mapWatcher, &QFutureWatcher<std::optional<LiquidationMap>>::finished, this, [this] {
        m_mapRunning = false;
        if (const auto result = m_mapWatcher.result()) {
            m_map = result;
            emit mapReady();
        }
        if (m_mapPending)
            startMap();
    });
    connect(&m_updateWatcher, &QFutureWatcher<void>::finished, this, [this] { m_updateRunning = false; });
    // Live commits come every second; extend the model at most a few times a second.
    m_updateTimer.setSingleShot(true);
    m_updateTimer.setInterval(300);
    connect(&m_updateTimer, &QTimer::timeout, this, &HeatmapModel::startUpdate);
}

HeatmapModel::~HeatmapModel()
{
    if (m_gridCancel)
        *m_gridCancel = true;
    m_gridWatcher.waitForFinished();
    m_mapWatcher.waitForFinished();
    m_updateWatcher.waitForFinished();
}

void HeatmapModel::setParams(const HeatmapParams &params)
{
    if (params == m_params)
        return;
    m_params = params;
    m_grid.reset();
    m_map.reset();
    emit paramsChanged();
    if (m_wantedGrid.instrument.isValid())
        startGrid();
}

void HeatmapModel::setEnabled(bool on)
{
    m_enabled = on;
    if (!on && m_gridCancel)
        *m_gridCancel = true;
}

void HeatmapModel::requestGrid(const GridRequest &request)
{
    if (!m_enabled || request.columns <= 0 || request.rows <= 0 || !(request.priceLow > 0) || !(request.priceHigh > request.priceLow)
        || !request.range.isValid())
        return;
    if (request == m_wantedGrid && (m_grid || m_gridRunning))
        return;
    m_wantedGrid = request;
    if (m_gridRunning) {
        *m_gridCancel = true; // the reply would be stale; the finished handler starts the new one
        return;
    }
    startGrid();
}

void HeatmapModel::startGrid()
{
    m_runningGrid = m_wantedGrid;
    m_gridRunning = true;
    m_gridCancel = std::make_shared<std::atomic<bool>>(false);
    const auto service = m_service;
    const auto cancel = m_gridCancel;
    const GridRequest r = m_runningGrid;
    const HeatmapParams params = m_params;
    QPointer<HeatmapModel> self(this);
    m_gridWatcher.setFuture(WorkPool::run([service, cancel, r, params, self]() -> std::shared_ptr<const HeatmapGrid> {
        HeatmapJob job;
        job.cancel = cancel.get();
        job.progress = [self](double fraction, const QString &what) {
            if (self)
                QMetaObject::invokeMethod(self, [self, fraction, what] { if (self) emit self->progress(fraction, what); }, Qt::QueuedConnection);
        };
        try {
            auto grid = service->grid(r.instrument, r.range, r.columns, r.priceLow, r.priceHigh, r.rows, params, HeatmapGrid::RowScale::Linear, job);
            if (!grid)
                return nullptr;
            return std::make_shared<const HeatmapGrid>(std::move(*grid));
        } catch (const StoreError &e) {
            if (self)
                QMetaObject::invokeMethod(self, [self, m = e.message()] { if (self) emit self->failed(m); }, Qt::QueuedConnection);
        } catch (const std::exception &e) {
            if (self)
                QMetaObject::invokeMethod(self, [self, m = QString::fromStdString(e.what())] { if (self) emit self->failed(m); }, Qt::QueuedConnection);
        }
        return nullptr;
    }));
}

void HeatmapModel::requestMap(const Instrument &instrument, qint64 t)
{
    if (!m_enabled || !instrument.isValid())
        return;
    m_wantedMap = {instrument, t};
    if (m_mapRunning) {
        m_mapPending = true; // only the newest cursor position matters
        return;
    }
    startMap();
}

void HeatmapModel::startMap()
{
    m_mapPending = false;
    m_mapRunning = true;
    const auto service = m_service;
    const auto instrument = m_wantedMap.first; // not a structured binding: clang 14 cannot capture those
    const auto t = m_wantedMap.second;
    const HeatmapParams params = m_params;
    m_mapWatcher.setFuture(WorkPool::run([service, instrument, t, params]() -> std::optional<LiquidationMap> {
        try {
            return service->liquidationMap(instrument, t, params);
        } catch (const std::exception &) {
            return std::nullopt; // the grid request reports database problems
        }
    }));
}

void HeatmapModel::onAppended(const Instrument &instrument, DataKind kind, qint64 fromMs, qint64)
{
    if (kind != DataKind::Candles && kind != DataKind::MarkCandles && kind != DataKind::OpenInterest && kind != DataKind::Liquidations)
        return;
    // Anything before the newest bar (a gap filled, a late OI sample) invalidates what was
    // computed from that time on; the newest bar itself is re-stepped by update() anyway.
    m_service->invalidate(instrument, fromMs);
    m_updateInstrument = instrument;
    if (m_enabled && !m_updateTimer.isActive())
        m_updateTimer.start();
}

void HeatmapModel::startUpdate()
{
    if (m_updateRunning) {
        m_updateTimer.start();
        return;
    }
    m_updateRunning = true;
    const auto service = m_service;
    const Instrument instrument = m_updateInstrument;
    const HeatmapParams params = m_params;
    m_updateWatcher.setFuture(WorkPool::run([service, instrument, params] {
        try {
            service->update(instrument, params);
        } catch (const std::exception &) {
            // reported by the next grid request
        }
    }));
    // The view's grid is stale now: ask again for the same window.
    if (m_wantedGrid.instrument == instrument && m_grid) {
        m_grid.reset();
        requestGrid(m_wantedGrid);
    }
}
