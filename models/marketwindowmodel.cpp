#include "marketwindowmodel.h"

#include "domain/aggregates.h"
#include "domain/underlying.h"
#include "timesync.h"

namespace {
// How much of a view's span a window reads on each side, so pans need no read.
constexpr double windowPadding = 0.5;

std::optional<Timeframe> neighbour(Timeframe tf, int direction)
{
    const auto it = std::find(Timeframes::all.cbegin(), Timeframes::all.cend(), tf);
    const auto index = (it - Timeframes::all.cbegin()) + direction;
    if (it == Timeframes::all.cend() || index < 0 || index >= qsizetype(Timeframes::all.size()))
        return std::nullopt;
    return Timeframes::all[size_t(index)];
}
} // namespace

MarketWindowModel::MarketWindowModel(const StoreLocator &store, TimeSync *sync, QObject *parent)
    : QObject(parent)
    , m_sync(sync)
    , m_loader(store)
{
    connect(&m_loader, &WindowLoader::loaded, this, &MarketWindowModel::onLoaded);
    connect(&m_loader, &WindowLoader::prefetched, this, &MarketWindowModel::onPrefetched);
    connect(&m_loader, &WindowLoader::instrumentsLoaded, this, &MarketWindowModel::instrumentsChanged);
    connect(&m_loader, &WindowLoader::failed, this, &MarketWindowModel::loadFailed);
    connect(m_sync, &TimeSync::visibleRangeChanged, this, [this](TimeRange, const QObject *origin) {
        const bool byUser = origin != this && origin != m_sync;
        if (byUser)
            m_autoView = false;
        onVisibleRangeChanged(byUser);
    });
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
    m_autoView = true;
    ++m_epoch;
    m_cache.clear();
    m_loader.prefetch({});
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
    onVisibleRangeChanged(false);
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

bool MarketWindowModel::isCurrent() const
{
    const TimeRange v = m_sync->visibleRange();
    return v.isValid() && m_window.instrument == m_instrument && m_window.timeframe == timeframeFor(v) && m_window.range.from <= v.from
        && m_window.range.to >= v.to;
}

void MarketWindowModel::onVisibleRangeChanged(bool byUser)
{
    const TimeRange visible = m_sync->visibleRange();
    if (!visible.isValid() || !m_instrument.isValid())
        return;
    const Timeframe tf = timeframeFor(visible);
    const bool covered = m_requested.isValid() && visible.from >= m_requested.from && visible.to <= m_requested.to;
    if (!(covered && tf == m_requestedTf) && !serveFromCache(visible, tf))
        load();
    // Read ahead for what a person does next; a view that slides with live data needs none.
    if (byUser)
        prefetchAround(visible, tf);
}

bool MarketWindowModel::serveFromCache(TimeRange visible, Timeframe tf)
{
    auto hit = m_cache.find(m_instrument, tf, visible, visible.padded(windowPadding));
    if (!hit)
        return false;
    // Newer than any request in flight: a late reply for an older view must not replace it.
    hit->generation = ++m_generation;
    if (m_sync->dataExtent().isValid())
        hit->extent = m_sync->dataExtent(); // the cached one may predate later commits
    m_requested = hit->range;
    m_requestedTf = tf;
    m_window = std::move(*hit);
    emit windowChanged();
    return true;
}

void MarketWindowModel::prefetchAround(TimeRange visible, Timeframe tf)
{
    if (!m_prefetchOn || !m_instrument.isValid())
        return;
    // What the next steps need: zooming in (the finer tier over this view), zooming out (the
    // coarser tier over a view four times as wide) and wider pans or zooms at this tier.
    QList<WindowRequest> ahead;
    const auto want = [&](Timeframe t, TimeRange range) {
        if (m_cache.covers(m_instrument, t, range) || (m_window.timeframe == t && m_window.range.from <= range.from && m_window.range.to >= range.to))
            return;
        WindowRequest r;
        r.instrument = m_instrument;
        r.timeframe = t;
        r.range = range;
        ahead.push_back(r);
    };
    if (const auto finer = neighbour(tf, -1))
        want(*finer, visible.padded(0.1));
    if (const auto coarser = neighbour(tf, 1))
        want(*coarser, visible.padded(2.0));
    want(tf, visible.padded(1.5));
    m_prefetchEpoch = m_epoch;
    m_loader.prefetch(ahead);
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
        r.range = visible.padded(windowPadding);
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
    // No view yet (first start, another instrument): open on the last days of the data. Set
    // before the extent, which would otherwise make the view all of it.
    if (!m_sync->visibleRange().isValid() && window.extent.isValid()) {
        m_sync->setVisibleRange(defaultView(window.extent), this);
        m_sync->setDataExtent(window.extent);
        return; // the range change loads the real window
    }
    if (window.extent.isValid())
        m_sync->setDataExtent(window.extent);
    if (m_window.range.span() < std::numeric_limits<qint64>::max() / 4)
        m_cache.insert(window);
    emit windowChanged();
}

void MarketWindowModel::onPrefetched(const MarketWindow &window)
{
    // Read before the newest commit or for another instrument: it may miss rows.
    if (window.instrument != m_instrument || m_prefetchEpoch != m_epoch)
        return;
    m_cache.insert(window);
}

TimeRange MarketWindowModel::defaultView(TimeRange extent)
{
    const qint64 threeDays = 3LL * 86'400'000;
    const qint64 from = std::max(extent.from, extent.to - threeDays);
    return {from, extent.to + (extent.to - from) / 20};
}

void MarketWindowModel::onAppended(const Instrument &appended, DataKind kind, qint64 fromMs, qint64 toMs)
{
    // A venue's commit changes the aggregate of its underlying (ALL:BTC) and the other
    // venues' funding comparison: the window shown reads it.
    const bool related = appended != m_instrument && m_instrument.isValid() && !Underlying::of(appended).isEmpty()
        && (Aggregates::isAggregate(m_instrument) ? Underlying::of(appended) == m_instrument.symbol
                                                  : Underlying::of(appended) == Underlying::of(m_instrument) && Aggregates::isPerpetual(appended));
    const Instrument &instrument = related ? m_instrument : appended;
    if (related && !Aggregates::isAggregate(m_instrument)) {
        ++m_epoch;
        m_cache.invalidate(m_instrument, {Timeframes::floor(Timeframe::D1, fromMs), Timeframes::floor(Timeframe::D1, toMs) + Timeframes::ms(Timeframe::D1)});
        if (TimeRange{fromMs, toMs}.intersects(m_requested) && !m_liveReload.isActive())
            m_liveReload.start();
        return; // another venue's candles do not move this one's extent
    }
    if (instrument != m_instrument) {
        if (!m_instrument.isValid()) {
            setInstrument(instrument); // the first data decides what to show
            requestInstruments();
        }
        return;
    }
    ++m_epoch;
    // Bars of every tier that contain the new rows are stale in the cache.
    m_cache.invalidate(instrument, {Timeframes::floor(Timeframe::D1, fromMs), Timeframes::floor(Timeframe::D1, toMs) + Timeframes::ms(Timeframe::D1)});
    if (kind == DataKind::Candles) {
        const TimeRange extent = m_sync->dataExtent();
        const TimeRange grown = extent.isValid() ? TimeRange{std::min(extent.from, fromMs), std::max(extent.to, toMs)} : TimeRange{fromMs, toMs};
        if (grown != extent) {
            m_sync->setDataExtent(grown);
            if (m_autoView && m_sync->visibleRange().isValid())
                m_sync->setVisibleRange(defaultView(grown), this);
        }
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
