#include "timesync.h"

#include <QSignalSpy>
#include <QTest>

// TimeSync, the one owner of linked time: every pane follows it, so its rules are what a
// trader feels when zooming and panning. Views tag their changes with themselves as origin
// (and ignore their own notifications); the view never shrinks below ten minutes nor runs
// away from the data; follow-latest slides with new data until the user moves the right
// edge away, and comes back when they move it onto the newest data.
class TestTimeSync : public QObject
{
    Q_OBJECT

private:
    static constexpr qint64 minute = 60'000;
    static constexpr qint64 hour = 60 * minute;
    static constexpr qint64 day = 24 * hour;
    static constexpr qint64 t0 = 1'767'225'600'000; // 2026-01-01
    const TimeRange m_extent{t0, t0 + 30 * day};

    static TimeRange rangeOf(const QSignalSpy &spy, int i) { return spy.at(i).at(0).value<TimeRange>(); }

private slots:
    void originTravelsWithEveryChange()
    {
        TimeSync sync;
        QObject pane;
        QSignalSpy range(&sync, &TimeSync::visibleRangeChanged);
        QSignalSpy cursor(&sync, &TimeSync::cursorChanged);
        QSignalSpy selection(&sync, &TimeSync::selectionChanged);

        sync.setVisibleRange({t0, t0 + day}, &pane);
        QCOMPARE(range.size(), 1);
        QCOMPARE(rangeOf(range, 0), (TimeRange{t0, t0 + day}));
        QCOMPARE(range.at(0).at(1).value<const QObject *>(), &pane);

        // The same range again is no change: no notification for panes to bounce back.
        sync.setVisibleRange({t0, t0 + day}, nullptr);
        QCOMPARE(range.size(), 1);

        sync.setCursor(t0 + hour, &pane);
        sync.setCursor(t0 + hour, nullptr);
        QCOMPARE(cursor.size(), 1);
        QCOMPARE(cursor.at(0).at(0).value<std::optional<qint64>>(), std::optional<qint64>(t0 + hour));
        QCOMPARE(cursor.at(0).at(1).value<const QObject *>(), &pane);
        sync.clearCursor(&pane);
        QCOMPARE(cursor.size(), 2);
        QVERIFY(!sync.cursor().has_value());

        sync.setSelection({t0 + hour, t0 + 2 * hour}, &pane);
        QCOMPARE(selection.size(), 1);
        QCOMPARE(sync.selection(), (TimeRange{t0 + hour, t0 + 2 * hour}));
        // A reversed or empty range is no selection: it clears the one there was.
        sync.setSelection({t0 + 2 * hour, t0 + hour}, &pane);
        QCOMPARE(selection.size(), 2);
        QVERIFY(!sync.selection().isValid());
        sync.clearSelection();
        QCOMPARE(selection.size(), 2);

        // Invalid views are ignored rather than blanking every pane.
        sync.setVisibleRange({t0 + day, t0}, &pane);
        QCOMPARE(range.size(), 1);
        QCOMPARE(sync.visibleRange(), (TimeRange{t0, t0 + day}));
    }

    void zoomKeepsTheAnchorWhereItIs()
    {
        TimeSync sync;
        sync.setDataExtent(m_extent);
        sync.setVisibleRange({t0 + 10 * day, t0 + 12 * day});
        const qint64 anchor = t0 + 10 * day + 12 * hour; // a quarter into the view
        const double before = double(anchor - sync.visibleRange().from) / double(sync.visibleRange().span());
        sync.zoom(0.5, anchor);
        QCOMPARE(sync.visibleRange().span(), day);
        const double after = double(anchor - sync.visibleRange().from) / double(sync.visibleRange().span());
        QCOMPARE(after, before);
        sync.zoom(2.0, anchor);
        QCOMPARE(sync.visibleRange(), (TimeRange{t0 + 10 * day, t0 + 12 * day}));

        // Zoom needs a view and a positive factor.
        TimeSync empty;
        QSignalSpy spy(&empty, &TimeSync::visibleRangeChanged);
        empty.zoom(0.5, anchor);
        sync.zoom(0, anchor);
        sync.zoom(-1, anchor);
        QCOMPARE(spy.size(), 0);
        QCOMPARE(sync.visibleRange(), (TimeRange{t0 + 10 * day, t0 + 12 * day}));
    }

    void viewNeverShrinksBelowTenMinutes()
    {
        TimeSync sync;
        sync.setDataExtent(m_extent);
        sync.setVisibleRange({t0 + 10 * day, t0 + 10 * day + hour});
        for (int i = 0; i < 20; ++i)
            sync.zoom(0.5, t0 + 10 * day + 30 * minute);
        QCOMPARE(sync.visibleRange().span(), TimeSync::minimumSpanMs);
        // Around the middle of what was asked for.
        QVERIFY(sync.visibleRange().contains(t0 + 10 * day + 30 * minute));
        // A one-minute range asked directly becomes ten minutes around its middle.
        sync.setVisibleRange({t0 + day, t0 + day + minute});
        QCOMPARE(sync.visibleRange(), (TimeRange{t0 + day + 30'000 - 5 * minute, t0 + day + 30'000 + 5 * minute}));
    }

    void zoomOutAndPanStopNearTheData()
    {
        TimeSync sync;
        sync.setDataExtent(m_extent);
        sync.setVisibleRange({t0 + 10 * day, t0 + 12 * day});
        for (int i = 0; i < 30; ++i)
            sync.zoom(2.0, t0 + 11 * day);
        // At most the data plus a margin of a twentieth (or an hour) on each side.
        const qint64 margin = std::max<qint64>(m_extent.span() / 20, hour);
        QCOMPARE(sync.visibleRange().span(), m_extent.span() + 2 * margin);
        QVERIFY(sync.visibleRange().from >= m_extent.from - margin);
        QVERIFY(sync.visibleRange().to <= m_extent.to + margin);

        // Panning far past either end leaves a quarter of the view over the data.
        sync.setVisibleRange({t0 + 10 * day, t0 + 12 * day});
        sync.pan(-100 * day);
        QCOMPARE(sync.visibleRange(), (TimeRange{t0 + day / 2 - 2 * day, t0 + day / 2}));
        sync.pan(+500 * day);
        QCOMPARE(sync.visibleRange(), (TimeRange{m_extent.to - day / 2, m_extent.to - day / 2 + 2 * day}));
        // Without an extent (no data yet) nothing limits the view.
        TimeSync free;
        free.setVisibleRange({t0, t0 + day});
        free.pan(-1000 * day);
        QCOMPARE(free.visibleRange(), (TimeRange{t0 - 1000 * day, t0 - 999 * day}));
    }

    void followLatestSlidesWithNewDataUntilTheUserLooksElsewhere()
    {
        TimeSync sync;
        QObject pane;
        QSignalSpy follow(&sync, &TimeSync::followLatestChanged);
        QSignalSpy range(&sync, &TimeSync::visibleRangeChanged);
        // The first extent becomes the view, set by TimeSync itself.
        sync.setDataExtent(m_extent);
        QCOMPARE(sync.visibleRange(), m_extent);
        QCOMPARE(range.last().at(1).value<const QObject *>(), &sync);
        QVERIFY(sync.followLatest());

        sync.setVisibleRange({m_extent.to - day, m_extent.to}, &pane);
        QVERIFY(sync.followLatest());
        // A live minute arrives: the view keeps its span and slides by that minute.
        sync.setDataExtent({m_extent.from, m_extent.to + minute});
        QCOMPARE(sync.visibleRange(), (TimeRange{m_extent.to - day + minute, m_extent.to + minute}));
        QCOMPARE(range.last().at(1).value<const QObject *>(), &sync);

        // The user pans back an hour: follow ends, and new data leaves the view alone.
        sync.pan(-hour, &pane);
        QVERIFY(!sync.followLatest());
        QCOMPARE(follow.size(), 1);
        QCOMPARE(follow.last().at(0).toBool(), false);
        const TimeRange looking = sync.visibleRange();
        sync.setDataExtent({m_extent.from, m_extent.to + 2 * minute});
        QCOMPARE(sync.visibleRange(), looking);

        // Moving the right edge onto the newest data again follows again.
        sync.setVisibleRange({m_extent.to + 2 * minute - day, m_extent.to + 2 * minute}, &pane);
        QVERIFY(sync.followLatest());
        QCOMPARE(follow.size(), 2);

        // The Follow button: the view jumps to the newest data with a little room on the right.
        sync.pan(-5 * day, &pane);
        QVERIFY(!sync.followLatest());
        sync.setFollowLatest(true);
        const qint64 newest = m_extent.to + 2 * minute;
        QCOMPARE(sync.visibleRange().span(), day);
        QCOMPARE(sync.visibleRange().to, newest + day / 20);
        QVERIFY(sync.visibleRange().contains(newest - 1));
    }

    void showAllAndReset()
    {
        TimeSync sync;
        sync.setDataExtent(m_extent);
        sync.setVisibleRange({t0 + day, t0 + 2 * day});
        sync.showAll();
        QCOMPARE(sync.visibleRange(), m_extent.padded(0.02));

        sync.setSelection({t0 + day, t0 + 2 * day});
        sync.setCursor(t0 + day);
        sync.setFollowLatest(false);
        QSignalSpy selection(&sync, &TimeSync::selectionChanged);
        QSignalSpy cursor(&sync, &TimeSync::cursorChanged);
        QSignalSpy follow(&sync, &TimeSync::followLatestChanged);
        // Another instrument: nothing of this one's time carries over.
        sync.reset();
        QVERIFY(!sync.visibleRange().isValid());
        QVERIFY(!sync.dataExtent().isValid());
        QVERIFY(!sync.selection().isValid());
        QVERIFY(!sync.cursor().has_value());
        QVERIFY(sync.followLatest());
        QCOMPARE(selection.size(), 1);
        QCOMPARE(cursor.size(), 1);
        QCOMPARE(follow.size(), 1);
        // The next data decides the view.
        const TimeRange other{t0 + 100 * day, t0 + 101 * day};
        sync.setDataExtent(other);
        QCOMPARE(sync.visibleRange(), other);
    }

    void rightGutterIsSharedAndNotifiedOnce()
    {
        // One pane's side strip (the liquidation map) widens every pane's right margin, so
        // the gutter lives where time alignment lives; a repeat is no change.
        TimeSync sync;
        QCOMPARE(sync.rightGutter(), 0);
        QSignalSpy gutter(&sync, &TimeSync::rightGutterChanged);
        sync.setRightGutter(104);
        QCOMPARE(sync.rightGutter(), 104);
        sync.setRightGutter(104);
        QCOMPARE(gutter.size(), 1);
        QCOMPARE(gutter.at(0).at(0).toInt(), 104);
        sync.setRightGutter(-5); // a negative room is none
        QCOMPARE(sync.rightGutter(), 0);
        QCOMPARE(gutter.size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestTimeSync)
#include "tst_timesync.moc"
