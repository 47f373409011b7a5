#pragma once

#include "domain/timerange.h"

#include <QObject>
#include <optional>

// The one place that owns linked time: the visible range every pane shows, the cursor under
// the mouse, and the selected range. Views push their own changes with themselves as
// `origin` and ignore notifications carrying their own tag, so there are no feedback loops;
// ranges are integer milliseconds, so float round-off cannot ping-pong between panes.
// Changes TimeSync makes itself (following the data) carry TimeSync as their origin.
class TimeSync : public QObject
{
    Q_OBJECT
public:
    explicit TimeSync(QObject *parent = nullptr);

    TimeRange visibleRange() const { return m_visible; }
    std::optional<qint64> cursor() const { return m_cursor; }
    TimeRange selection() const { return m_selection; }
    // The data's extent; zoom-out and pan stop a little beyond it.
    TimeRange dataExtent() const { return m_extent; }
    // True while the view's right edge is at the newest data, so live appends scroll it.
    bool followLatest() const { return m_follow; }
    // Pixels every pane keeps free right of its value axis. The panes share one time axis, so
    // a strip one pane draws beside its price axis (the liquidation map) must not make its
    // plot narrower than the others: they all make the same room.
    int rightGutter() const { return m_gutter; }

    static constexpr qint64 minimumSpanMs = 10 * 60'000; // ten minutes

public slots:
    void setVisibleRange(TimeRange range, const QObject *origin = nullptr);
    void setCursor(std::optional<qint64> t, const QObject *origin = nullptr);
    void clearCursor(const QObject *origin = nullptr) { setCursor(std::nullopt, origin); }
    void setSelection(TimeRange range, const QObject *origin = nullptr);
    void clearSelection(const QObject *origin = nullptr) { setSelection({}, origin); }
    void setDataExtent(TimeRange extent);
    void setFollowLatest(bool follow);
    void setRightGutter(int px);
    // Zooms by factor (< 1 zooms in) keeping anchor at the same place on screen.
    void zoom(double factor, qint64 anchor, const QObject *origin = nullptr);
    void pan(qint64 deltaMs, const QObject *origin = nullptr);
    void showAll(const QObject *origin = nullptr);
    // Forgets view, extent and selection (another instrument is shown): the next data decides.
    void reset();

signals:
    void visibleRangeChanged(TimeRange range, const QObject *origin);
    void cursorChanged(std::optional<qint64> t, const QObject *origin);
    void selectionChanged(TimeRange range, const QObject *origin);
    void dataExtentChanged(TimeRange extent);
    void followLatestChanged(bool follow);
    void rightGutterChanged(int px);

private:
    TimeRange clamped(TimeRange range) const;

    TimeRange m_visible;
    TimeRange m_selection;
    TimeRange m_extent;
    std::optional<qint64> m_cursor;
    bool m_follow = true;
    int m_gutter = 0;
};
