#pragma once

#include "marketwindow.h"

#include <QList>
#include <optional>

// Recently read market windows (the current one, and the neighbours read ahead of the user:
// the next finer and coarser tiers, a wider window at the same tier), so a wheel step that
// changes tier or leaves the loaded window is drawn from memory at once instead of waiting
// for the store. Bounded by count (least recently used goes first); windows that new data
// touches are dropped, never patched.
class WindowCache
{
public:
    explicit WindowCache(int capacity = 6)
        : m_capacity(capacity)
    {
    }

    void insert(MarketWindow window);
    // A window of this instrument and tier covering `range`, cut down to `slice` (bars that
    // reach into it included); nullopt when none covers it.
    std::optional<MarketWindow> find(const Instrument &instrument, Timeframe tf, TimeRange range, TimeRange slice);
    bool covers(const Instrument &instrument, Timeframe tf, TimeRange range) const;
    // New rows of `instrument` in [from, to): windows reaching into it are stale.
    void invalidate(const Instrument &instrument, TimeRange changed);
    void clear() { m_windows.clear(); }
    int size() const { return int(m_windows.size()); }
    qsizetype bars() const; // rows held, all series (tests, memory)

    // `window` restricted to `slice`: bars overlapping it, the settlement in force at its
    // start, the tape before its end.
    static MarketWindow sliced(const MarketWindow &window, TimeRange slice);

private:
    int m_capacity;
    QList<MarketWindow> m_windows; // most recently used first
};
