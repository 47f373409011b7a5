#pragma once

#include "domain/datakind.h"
#include "marketwindow.h"
#include "windowcache.h"
#include "windowloader.h"

#include <QObject>
#include <QTimer>
#include <optional>

class TimeSync;

// The panes' shared data: the current instrument's series over the visible range plus
// padding, at the finest tier that keeps at most about one bar per pixel. Follows TimeSync,
// loads off the GUI thread (WindowLoader), drops stale replies, and reloads when the data
// thread commits inside (or at the right edge of) the window. After each view change it
// reads ahead what the next wheel step or pan will need (the finer and the coarser tier,
// a wider window at this tier) into a WindowCache, and serves a view from there at once
// when it can.
class MarketWindowModel : public QObject
{
    Q_OBJECT
public:
    MarketWindowModel(const StoreLocator &store, TimeSync *sync, QObject *parent = nullptr);

    void setInstrument(const Instrument &instrument);
    const Instrument &instrument() const { return m_instrument; }
    // Plot width in pixels (the widest pane); with the span it decides the tier.
    void setPlotWidth(int pixels);
    // A pinned timeframe is used whenever it keeps bars within 2 per pixel; coarser otherwise.
    void setPinnedTimeframe(std::optional<Timeframe> tf);
    std::optional<Timeframe> pinnedTimeframe() const { return m_pinned; }
    Timeframe timeframeFor(TimeRange visible) const;

    const MarketWindow &window() const { return m_window; }
    bool hasData() const { return !m_window.isEmpty(); }
    void requestInstruments() { m_loader.requestInstruments(); }
    // Whether the window shown covers the view at the tier the view asks for.
    bool isCurrent() const;
    const WindowCache &cache() const { return m_cache; }
    // Read-ahead on or off (benchmarks compare; on by default).
    void setPrefetch(bool on) { m_prefetchOn = on; }

    // Loads now, even if the window looks current.
    void reload();

public slots:
    void onAppended(const Instrument &instrument, DataKind kind, qint64 fromMs, qint64 toMs);

signals:
    void windowChanged();
    void instrumentsChanged(const QList<Instrument> &instruments);
    void loadFailed(const QString &message);

private:
    void onVisibleRangeChanged(bool byUser);
    void onLoaded(const MarketWindow &window);
    void onPrefetched(const MarketWindow &window);
    void load();
    bool serveFromCache(TimeRange visible, Timeframe tf);
    void prefetchAround(TimeRange visible, Timeframe tf);
    // The view the app opens with: the last three days of data.
    static TimeRange defaultView(TimeRange extent);

    TimeSync *m_sync;
    WindowLoader m_loader;
    WindowCache m_cache;
    Instrument m_instrument;
    MarketWindow m_window;
    std::optional<Timeframe> m_pinned;
    int m_plotWidth = 1200;
    quint64 m_generation = 0;
    // Bumped by every commit and instrument change: read-aheads issued before it may miss rows.
    quint64 m_epoch = 0;
    quint64 m_prefetchEpoch = 0;
    bool m_prefetchOn = true;
    // True until the user (or a restored session) sets a view: while a backfill grows the
    // data, the default view grows with it instead of staying on the first minutes.
    bool m_autoView = true;
    TimeRange m_requested;
    Timeframe m_requestedTf = Timeframe::M1;
    QTimer m_liveReload;
};
