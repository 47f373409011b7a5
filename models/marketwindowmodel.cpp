#include "marketwindowmodel.h"

#include "timesync.h"

MarketWindowModel::MarketWindowModel(const QString &dbPath, TimeSync *sync, QObject *parent)
    : QObject(parent)
    , m_sync(sync)
    , m_loader(dbPath)
{
    connect(&m_loader, &WindowLoader::loaded, this, &MarketWindowModel::onLoaded);
    connect(&m_loader, &WindowLoader::instrumentsLoaded, this, &MarketWindowModel::instrumentsChanged);
    connect(&m_loader, &WindowLoader::failed, this, &MarketWindowModel::loadFailed);
    connect(m_sync, &TimeSync::visibleRangeChanged, this, &MarketWindowModel::onVisibleRangeChanged);
    // Live commits arrive every second; one reload per burst is enough.
    m_liveReload.setSingleShot(true);
    m_liveReload.setInterval(120);
    connect(&m_liveReload, &QTimer::timeout, this, &MarketWindowModel::reload);
}

void MarketWindowModel::setInstrument(const Instrument &instrument)
{
    if (instrument == m_instrument)
        return;
    m_instrument = instrument;
    m_window = MarketWindow{};
    m_window.instrument = instrument;
    emit windowChanged();
    reload();
}

void MarketWindowModel::setPlotWidth(int pixels)
{
    pixels = std::max(pixels, 100);
    if (pixels == m_plotWidth)
        return;
    m_plotWidth = pixels;
    onVisibleRangeChanged();
}

void MarketWindowModel::setPinnedTimeframe(std::optional<Timeframe> tf)
{
    if (tf == m_pinned)
        return;
    m_pinned = tf;
    reload();
}

Timeframe MarketWindowModel::timeframeFor(TimeRange visible) const
{
    const Timeframe automatic = Timeframes::fitting(visible.span(), m_plotWidth);
    if (!m_pinned)
        return automatic;
    const Timeframe densest = Timeframes::fitting(visible.span(), 2LL * m_plotWidth);
    return Timeframes::minutes(*m_pinned) >= Timeframes::minutes(densest) ? *m_pinned : densest;
}

void MarketWindowModel::onVisibleRangeChanged()
{
    const TimeRange visible = m_sync->visibleRange();
    if (!visible.isValid() || !m_instrument.isValid())
        return;
    const Timeframe tf = timeframeFor(visible);
    const bool covered = m_requested.isValid() && visible.from >= m_requested.from && visible.to <= m_requested.to;
    if (covered && tf == m_requestedTf)
        return;
    load();
}

void MarketWindowModel::reload()
{
    load();
}

void MarketWindowModel::load()
{
    if (!m_instrument.isValid())
        return;
    WindowLoader::Request r;
    r.generation = ++m_generation;
    r.instrument = m_instrument;
    const TimeRange visible = m_sync->visibleRange();
    if (visible.isValid()) {
        r.range = visible.padded(0.5);
        r.timeframe = timeframeFor(visible);
    } else {
        // First load: no view yet. Read the last three days; the reply sets the view.
        r.range = {0, std::numeric_limits<qint64>::max() / 2};
        r.timeframe = Timeframe::D1;
    }
    m_requested = r.range;
    m_requestedTf = r.timeframe;
    m_loader.request(r);
}

void MarketWindowModel::onLoaded(const MarketWindow &window)
{
    if (window.generation != m_generation)
        return; // overtaken by a newer request
    m_window = window;
    if (window.extent.isValid())
        m_sync->setDataExtent(window.extent);
    if (!m_sync->visibleRange().isValid() && window.extent.isValid()) {
        const qint64 threeDays = 3LL * 86'400'000;
        const qint64 from = std::max(window.extent.from, window.extent.to - threeDays);
        m_sync->setVisibleRange({from, window.extent.to + (window.extent.to - from) / 20});
        return; // the range change loads the real window
    }
    emit windowChanged();
}

void MarketWindowModel::onAppended(const Instrument &instrument, DataKind kind, qint64 fromMs, qint64 toMs)
{
    if (instrument != m_instrument) {
        if (!m_instrument.isValid()) {
            setInstrument(instrument); // the first data decides what to show
            requestInstruments();
        }
        return;
    }
    if (kind == DataKind::Candles) {
        const TimeRange extent = m_sync->dataExtent();
        if (extent.isValid() && toMs > extent.to)
            m_sync->setDataExtent({extent.from, toMs});
        else if (!extent.isValid())
            m_sync->setDataExtent({fromMs, toMs});
    }
    const TimeRange visible = m_sync->visibleRange();
    if (!visible.isValid()) {
        if (!m_liveReload.isActive())
            m_liveReload.start();
        return;
    }
    // Inside the loaded window, or just past its right edge while following the latest data.
    if (TimeRange{fromMs, toMs}.intersects(m_requested) || (m_sync->followLatest() && fromMs >= m_requested.to)) {
        if (!m_liveReload.isActive())
            m_liveReload.start();
    }
}
