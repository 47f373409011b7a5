#include "timesync.h"

#include <algorithm>
#include <cmath>

TimeSync::TimeSync(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<TimeRange>();
}

TimeRange TimeSync::clamped(TimeRange r) const
{
    if (r.span() < minimumSpanMs) {
        const qint64 mid = r.from + r.span() / 2;
        r = {mid - minimumSpanMs / 2, mid - minimumSpanMs / 2 + minimumSpanMs};
    }
    if (!m_extent.isValid())
        return r;
    // Allow a margin of a quarter view (or a day) beyond the data on each side, no more.
    const qint64 margin = std::max<qint64>(r.span() / 4, 0);
    const qint64 maxSpan = m_extent.span() + 2 * std::max<qint64>(m_extent.span() / 20, 3'600'000);
    if (r.span() > maxSpan) {
        const qint64 mid = m_extent.from + m_extent.span() / 2;
        r = {mid - maxSpan / 2, mid - maxSpan / 2 + maxSpan};
    }
    if (r.to < m_extent.from + margin)
        r = {m_extent.from + margin - r.span(), m_extent.from + margin};
    if (r.from > m_extent.to - margin)
        r = {m_extent.to - margin, m_extent.to - margin + r.span()};
    return r;
}

void TimeSync::setVisibleRange(TimeRange range, const QObject *origin)
{
    if (!range.isValid())
        return;
    range = clamped(range);
    if (range == m_visible)
        return;
    m_visible = range;
    emit visibleRangeChanged(m_visible, origin);
    // A user moving the right edge away from the newest data leaves follow mode; moving it
    // back onto the newest data enters it again.
    if (origin && origin != this && m_extent.isValid()) {
        const bool atEdge = m_visible.to >= m_extent.to;
        if (atEdge != m_follow) {
            m_follow = atEdge;
            emit followLatestChanged(m_follow);
        }
    }
}

void TimeSync::setCursor(std::optional<qint64> t, const QObject *origin)
{
    if (t == m_cursor)
        return;
    m_cursor = t;
    emit cursorChanged(m_cursor, origin);
}

void TimeSync::setSelection(TimeRange range, const QObject *origin)
{
    if (!range.isValid())
        range = {};
    if (range == m_selection)
        return;
    m_selection = range;
    emit selectionChanged(m_selection, origin);
}

void TimeSync::setDataExtent(TimeRange extent)
{
    if (extent == m_extent)
        return;
    const TimeRange old = m_extent;
    m_extent = extent;
    emit dataExtentChanged(m_extent);
    if (!m_visible.isValid()) {
        setVisibleRange(extent, this);
    } else if (m_follow && old.isValid() && extent.to > old.to) {
        // Follow-latest: keep the span, slide the right edge with the data.
        const qint64 shift = extent.to - std::max(m_visible.to, old.to);
        if (shift > 0)
            setVisibleRange({m_visible.from + shift, m_visible.to + shift}, this);
    }
}

void TimeSync::setRightGutter(int px)
{
    px = std::max(0, px);
    if (px == m_gutter)
        return;
    m_gutter = px;
    emit rightGutterChanged(px);
}

void TimeSync::setFollowLatest(bool follow)
{
    if (follow == m_follow)
        return;
    m_follow = follow;
    emit followLatestChanged(m_follow);
    if (m_follow && m_extent.isValid() && m_visible.isValid()) {
        const qint64 span = m_visible.span();
        m_visible = clamped({m_extent.to - span + span / 20, m_extent.to + span / 20});
        emit visibleRangeChanged(m_visible, this);
    }
}

void TimeSync::zoom(double factor, qint64 anchor, const QObject *origin)
{
    if (!m_visible.isValid() || factor <= 0)
        return;
    const double from = anchor - (anchor - m_visible.from) * factor;
    const double to = anchor + (m_visible.to - anchor) * factor;
    setVisibleRange({qint64(std::llround(from)), qint64(std::llround(to))}, origin);
}

void TimeSync::pan(qint64 deltaMs, const QObject *origin)
{
    if (m_visible.isValid())
        setVisibleRange({m_visible.from + deltaMs, m_visible.to + deltaMs}, origin);
}

void TimeSync::showAll(const QObject *origin)
{
    if (m_extent.isValid())
        setVisibleRange(m_extent.padded(0.02), origin);
}

void TimeSync::reset()
{
    m_visible = {};
    m_extent = {};
    setSelection({}, this);
    setCursor(std::nullopt, this);
    m_follow = true;
    emit followLatestChanged(m_follow);
}
