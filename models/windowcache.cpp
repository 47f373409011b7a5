#include "windowcache.h"

namespace {

template<typename T>
QVector<T> barsIn(const QVector<T> &rows, TimeRange slice, qint64 stepMs)
{
    // Bars whose bucket [ts, ts + step) overlaps the slice.
    auto b = std::lower_bound(rows.cbegin(), rows.cend(), slice.from - stepMs + 1, [](const T &r, qint64 v) { return r.ts < v; });
    auto e = std::lower_bound(b, rows.cend(), slice.to, [](const T &r, qint64 v) { return r.ts < v; });
    return QVector<T>(b, e);
}

} // namespace

void WindowCache::insert(MarketWindow window)
{
    // One window per instrument, tier and range: a newer read of the same replaces it, and
    // one that another covers entirely adds nothing.
    for (qsizetype i = 0; i < m_windows.size(); ++i) {
        const MarketWindow &w = m_windows[i];
        if (w.instrument != window.instrument || w.timeframe != window.timeframe)
            continue;
        if (w.range.from <= window.range.from && w.range.to >= window.range.to && w.range != window.range)
            return;
        if (window.range.from <= w.range.from && window.range.to >= w.range.to)
            m_windows.removeAt(i--);
    }
    m_windows.prepend(std::move(window));
    while (m_windows.size() > m_capacity)
        m_windows.removeLast();
}

bool WindowCache::covers(const Instrument &instrument, Timeframe tf, TimeRange range) const
{
    for (const MarketWindow &w : m_windows)
        if (w.instrument == instrument && w.timeframe == tf && w.range.from <= range.from && w.range.to >= range.to)
            return true;
    return false;
}

std::optional<MarketWindow> WindowCache::find(const Instrument &instrument, Timeframe tf, TimeRange range, TimeRange slice)
{
    for (qsizetype i = 0; i < m_windows.size(); ++i) {
        const MarketWindow &w = m_windows[i];
        if (w.instrument != instrument || w.timeframe != tf || w.range.from > range.from || w.range.to < range.to)
            continue;
        m_windows.move(i, 0);
        return sliced(m_windows.front(), slice);
    }
    return std::nullopt;
}

void WindowCache::invalidate(const Instrument &instrument, TimeRange changed)
{
    for (qsizetype i = 0; i < m_windows.size(); ++i) {
        const MarketWindow &w = m_windows[i];
        // Rows past a window's range do not concern it (its extent is refreshed on use).
        if (w.instrument == instrument && w.range.intersects(changed))
            m_windows.removeAt(i--);
    }
}

qsizetype WindowCache::bars() const
{
    qsizetype n = 0;
    for (const MarketWindow &w : m_windows)
        n += w.candles.size() + w.markCandles.size() + w.openInterest.size() + w.openInterestUsd.size() + w.predictedFunding.size()
            + w.funding.size() + w.liquidations.size() + w.tape.size();
    return n;
}

MarketWindow WindowCache::sliced(const MarketWindow &w, TimeRange slice)
{
    MarketWindow out;
    out.generation = w.generation;
    out.instrument = w.instrument;
    out.timeframe = w.timeframe;
    out.extent = w.extent;
    out.liquidationFeed = w.liquidationFeed;
    out.liquidationFeedNote = w.liquidationFeedNote;
    out.takerBuy = w.takerBuy; // spans, not rows: valid for any slice
    out.liquidationCoverage = w.liquidationCoverage;
    out.range = {std::max(w.range.from, slice.from), std::min(w.range.to, slice.to)};
    const qint64 step = Timeframes::ms(w.timeframe);
    out.candles = barsIn(w.candles, out.range, step);
    out.markCandles = barsIn(w.markCandles, out.range, step);
    out.openInterest = barsIn(w.openInterest, out.range, step);
    out.openInterestUsd = barsIn(w.openInterestUsd, out.range, step);
    out.predictedFunding = barsIn(w.predictedFunding, out.range, step);
    out.liquidations = barsIn(w.liquidations, out.range, step);
    // Settlements: the one in force at the start, then those inside.
    auto first = std::upper_bound(w.funding.cbegin(), w.funding.cend(), out.range.from, [](qint64 v, const FundingSample &f) { return v < f.ts; });
    if (first != w.funding.cbegin())
        --first;
    auto last = std::lower_bound(first, w.funding.cend(), out.range.to, [](const FundingSample &f, qint64 v) { return f.ts < v; });
    out.funding = QVector<FundingSample>(first, last);
    // The tape is newest first.
    for (const Liquidation &l : w.tape)
        if (l.ts < out.range.to)
            out.tape.push_back(l);
    return out;
}
