#include "heatmapmodel.h"

#include "analysis/heatmapservice.h"
#include "domain/aggregates.h"
#include "domain/underlying.h"
#include "storage/storeerror.h"
#include "workpool.h"

#include <QtConcurrent>

namespace {

// The job's hooks into the service: its cancel flag and a progress callback that only
// writes into the shared state (the model reads it on its own thread).
HeatmapJob jobFor(const std::shared_ptr<HeatmapModel::JobState> &state)
{
    HeatmapJob job;
    job.cancel = &state->cancel;
    job.progress = [state](double fraction, const QString &what) {
        std::lock_guard lock(state->mutex);
        state->fraction = fraction;
        state->what = what;
    };
    return job;
}

} // namespace

HeatmapModel::HeatmapModel(const StoreLocator &store, QObject *parent)
    : QObject(parent)
    , m_service(std::make_shared<HeatmapService>(store))
    , m_params(*HeatmapParams::preset(QStringLiteral("all_leverage")))
{
    connect(&m_gridWatcher, &QFutureWatcher<GridResult>::finished, this, [this] {
        m_gridRunning = false;
        const GridResult result = m_gridWatcher.result();
        const bool current = m_runningGrid == m_wantedGrid && m_runningGridParams == m_params;
        if (!result.error.isEmpty())
            emit failed(result.error);
        if (result.cancelled)
            emit cancelled(QStringLiteral("grid"));
        if (result.grid && current) {
            m_grid = result.grid;
            m_gridInstrument = m_runningGrid.instrument;
            emit gridReady();
        }
        if (!current && m_enabled)
            startGrid();
        pollProgress();
    });
    connect(&m_mapWatcher, &QFutureWatcher<MapResult>::finished, this, [this] {
        m_mapRunning = false;
        const MapResult result = m_mapWatcher.result();
        if (result.cancelled)
            emit cancelled(QStringLiteral("map"));
        if (result.map && m_runningMapParams == m_params) {
            m_map = result.map;
            m_mapInstrument = m_runningMapInstrument;
            emit mapReady();
        }
        if (m_mapPending || !(m_runningMapParams == m_params))
            startMap();
        pollProgress();
    });
    connect(&m_updateWatcher, &QFutureWatcher<bool>::finished, this, [this] {
        m_updateRunning = false;
        if (!m_updateWatcher.result())
            emit cancelled(QStringLiteral("update"));
        pollProgress();
    });
    // Live commits come every second; extend the model at most a few times a second.
    m_updateTimer.setSingleShot(true);
    m_updateTimer.setInterval(300);
    connect(&m_updateTimer, &QTimer::timeout, this, &HeatmapModel::startUpdate);
    m_progressTimer.setInterval(100);
    connect(&m_progressTimer, &QTimer::timeout, this, &HeatmapModel::pollProgress);
}

HeatmapModel::~HeatmapModel()
{
    // The jobs stop within a week of bars; their states outlive the model anyway.
    cancelAll();
    m_gridWatcher.waitForFinished();
    m_mapWatcher.waitForFinished();
    m_updateWatcher.waitForFinished();
}

void HeatmapModel::cancelAll()
{
    for (const auto &job : {m_gridJob, m_mapJob, m_updateJob})
        if (job)
            job->cancel = true;
}

bool HeatmapModel::gridIsCurrent() const
{
    return !m_gridRunning && m_grid && m_runningGrid == m_wantedGrid && m_runningGridParams == m_params;
}

bool HeatmapModel::mapIsCurrent() const
{
    return !m_mapRunning && !m_mapPending && m_map && m_runningMapParams == m_params && m_map->time == m_wantedMap.second;
}

void HeatmapModel::pollProgress()
{
    // Whichever running job builds the history (the first to take it) reports its progress;
    // the others wait for it without any.
    double fraction = -1;
    QString what;
    bool running = false;
    for (const auto &[job, on] : {std::pair{m_gridJob, m_gridRunning}, std::pair{m_mapJob, m_mapRunning}, std::pair{m_updateJob, m_updateRunning}}) {
        if (!on || !job)
            continue;
        running = true;
        std::lock_guard lock(job->mutex);
        if (job->fraction >= 0 && (fraction < 0 || job->fraction < 1)) {
            fraction = job->fraction;
            what = job->what;
        }
    }
    if (!running) {
        m_progressTimer.stop();
        if (m_lastFraction >= 0 && m_lastFraction < 1)
            emit progress(1, QString());
        m_lastFraction = -1;
        return;
    }
    // Only a first build reports progress worth a bar (a short step reports 1 at once).
    if (fraction >= 0 && fraction != m_lastFraction && (fraction < 1 || m_lastFraction >= 0)) {
        m_lastFraction = fraction;
        emit progress(fraction, what);
    }
}

void HeatmapModel::setParams(const HeatmapParams &params)
{
    if (params == m_params)
        return;
    m_params = params;
    m_grid.reset();
    m_map.reset();
    cancelAll(); // nothing running was asked for with these parameters
    emit paramsChanged();
    // A running grid restarts with the new parameters when it has stopped (finished handler).
    if (m_wantedGrid.instrument.isValid() && !m_gridRunning && m_enabled)
        startGrid();
}

void HeatmapModel::setEnabled(bool on)
{
    m_enabled = on;
    if (!on && m_gridJob)
        m_gridJob->cancel = true;
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
        m_gridJob->cancel = true; // the reply would be stale; the finished handler starts the new one
        return;
    }
    startGrid();
}

void HeatmapModel::startGrid()
{
    m_runningGrid = m_wantedGrid;
    m_runningGridParams = m_params;
    m_gridRunning = true;
    m_gridJob = std::make_shared<JobState>();
    const auto service = m_service;
    const auto state = m_gridJob;
    const GridRequest r = m_runningGrid;
    const HeatmapParams params = m_params;
    m_gridWatcher.setFuture(WorkPool::run([service, state, r, params]() -> GridResult {
        GridResult result;
        try {
            auto grid = service->grid(r.instrument, r.range, r.columns, r.priceLow, r.priceHigh, r.rows, params,
                                      HeatmapGrid::RowScale::Linear, jobFor(state));
            if (grid)
                result.grid = std::make_shared<const HeatmapGrid>(std::move(*grid));
            else
                result.cancelled = state->cancel.load();
        } catch (const StoreError &e) {
            result.error = e.message();
        } catch (const std::exception &e) {
            result.error = QString::fromStdString(e.what());
        }
        return result;
    }));
    if (!m_progressTimer.isActive())
        m_progressTimer.start();
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
    if (!m_wantedMap.first.isValid())
        return;
    m_mapRunning = true;
    m_runningMapParams = m_params;
    m_runningMapInstrument = m_wantedMap.first;
    m_mapJob = std::make_shared<JobState>();
    const auto service = m_service;
    const auto state = m_mapJob;
    const auto instrument = m_wantedMap.first; // not a structured binding: clang 14 cannot capture those
    const auto t = m_wantedMap.second;
    const HeatmapParams params = m_params;
    m_mapWatcher.setFuture(WorkPool::run([service, state, instrument, t, params]() -> MapResult {
        MapResult result;
        try {
            result.map = service->liquidationMap(instrument, t, params, jobFor(state));
            result.cancelled = !result.map && state->cancel.load();
        } catch (const std::exception &) {
            // the grid request reports database problems
        }
        return result;
    }));
    if (!m_progressTimer.isActive())
        m_progressTimer.start();
}

void HeatmapModel::onAppended(const Instrument &instrument, DataKind kind, qint64 fromMs, qint64)
{
    if (kind != DataKind::Candles && kind != DataKind::MarkCandles && kind != DataKind::OpenInterest && kind != DataKind::Liquidations)
        return;
    // Anything before the newest bar (a gap filled, a late OI sample) invalidates what was
    // computed from that time on; the newest bar itself is re-stepped by update() anyway.
    // invalidate() only records the time (the table lock, never a history's): a build that
    // is running goes back there at its next week of bars.
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
    m_updateJob = std::make_shared<JobState>();
    const auto service = m_service;
    const auto state = m_updateJob;
    const Instrument instrument = m_updateInstrument;
    const HeatmapParams params = m_params;
    m_updateWatcher.setFuture(WorkPool::run([service, state, instrument, params] {
        try {
            return service->update(instrument, params, jobFor(state)) || !state->cancel.load();
        } catch (const std::exception &) {
            return true; // reported by the next grid request
        }
    }));
    if (!m_progressTimer.isActive())
        m_progressTimer.start();
    // The view's grid is stale now: ask again for the same window.
    // An aggregate's grid sums its members': a member's new rows make it stale too.
    const bool shown = m_wantedGrid.instrument == instrument
        || (Aggregates::isAggregate(m_wantedGrid.instrument) && Underlying::of(instrument) == m_wantedGrid.instrument.symbol);
    if (shown && m_grid) {
        m_grid.reset();
        requestGrid(m_wantedGrid);
    }
}
