#include "marketwindowmodel.h"
#include "sources/syntheticsource.h"
#include "storage/marketstore.h"
#include "storage/storewriter.h"
#include "testutil.h"
#include "timesync.h"

#include <QSignalSpy>

// MarketWindowModel, the panes' shared data, over a real store read on its loader thread:
// a first start opens on the last three days, each view is read at the tier that keeps about
// one bar per pixel (a pinned timeframe while it stays within two), a window reaches beyond
// the view so small pans read nothing, late replies for views already left are dropped,
// the next wheel step is served from what was read ahead, commits inside the window (or at
// the right edge of a following view) reload it, another instrument starts afresh, and a
// database that cannot be read says so.
class TestMarketWindowModel : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;
    const Instrument m_i{QStringLiteral("SYNTH"), QStringLiteral("BTCUSDT")};
    const Instrument m_other{QStringLiteral("SYNTH"), QStringLiteral("ETHUSDT")};
    static constexpr qint64 minute = 60'000;
    static constexpr qint64 hour = 60 * minute;
    static constexpr qint64 day = 24 * hour;
    static constexpr qint64 t0 = 1'767'225'600'000;
    static constexpr int days = 20;

    static void fill(const QString &db, const Instrument &i, qint64 start, qint64 minutes, quint64 seed)
    {
        SyntheticSource::Params p;
        p.instrument = i;
        p.startMs = start;
        p.minutes = minutes;
        p.seed = seed;
        SyntheticSource source(p);
        MarketStore::open(db).writer()->commit(source.generate(minutes));
    }

    // The model's window covers the view at the tier the view asks for.
    static bool settled(const MarketWindowModel &m, const TimeSync &s)
    {
        return m.hasData() && m.isCurrent() && m.window().timeframe == m.timeframeFor(s.visibleRange());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("window.db"));
        fill(m_db, m_i, t0, days * 1440, 3);
        fill(m_db, m_other, t0 + 5 * day, 2 * 1440, 4);
    }

    void firstStartOpensOnTheLastThreeDays()
    {
        TimeSync sync;
        MarketWindowModel model(m_db, &sync);
        QSignalSpy changed(&model, &MarketWindowModel::windowChanged);
        model.setInstrument(m_i);
        QCOMPARE(model.instrument(), m_i);
        QTRY_VERIFY_WITH_TIMEOUT(settled(model, sync), 20000);
        const TimeRange extent{t0, t0 + days * day};
        QCOMPARE(sync.dataExtent(), extent);
        // Three days up to the newest bar, and a twentieth of room on the right for what comes.
        QCOMPARE(sync.visibleRange(), (TimeRange{extent.to - 3 * day, extent.to + 3 * day / 20}));
        QVERIFY(sync.followLatest());
        const MarketWindow &w = model.window();
        QCOMPARE(w.instrument, m_i);
        QCOMPARE(w.extent, extent);
        QVERIFY(!w.candles.isEmpty() && !w.openInterest.isEmpty() && !w.funding.isEmpty());
        // The window reaches half a view beyond each side of it.
        QVERIFY(w.range.from <= sync.visibleRange().from - sync.visibleRange().span() / 2);
        QVERIFY(w.candles.front().ts <= sync.visibleRange().from);
        QCOMPARE(w.candles.back().ts, extent.to - Timeframes::ms(w.timeframe));
        QVERIFY(changed.size() >= 1);
    }

    void tierKeepsAboutOneBarPerPixel()
    {
        TimeSync sync;
        MarketWindowModel model(m_db, &sync);
        model.setPlotWidth(1000);
        QCOMPARE(model.timeframeFor({t0, t0 + 1000 * minute}), Timeframe::M1);
        QCOMPARE(model.timeframeFor({t0, t0 + 1001 * minute}), Timeframe::M5);
        QCOMPARE(model.timeframeFor({t0, t0 + 10 * day}), Timeframe::M15);
        QCOMPARE(model.timeframeFor({t0, t0 + 40 * day}), Timeframe::H1);
        QCOMPARE(model.timeframeFor({t0, t0 + 3 * 365 * day}), Timeframe::D1);
        // A narrower plot needs coarser bars for the same span.
        model.setPlotWidth(300);
        QCOMPARE(model.timeframeFor({t0, t0 + 1000 * minute}), Timeframe::M5);
        // A pinned timeframe holds while it keeps within two bars per pixel, then gives way.
        model.setPlotWidth(1000);
        model.setPinnedTimeframe(Timeframe::M1);
        QCOMPARE(model.pinnedTimeframe(), std::optional<Timeframe>(Timeframe::M1));
        QCOMPARE(model.timeframeFor({t0, t0 + 2000 * minute}), Timeframe::M1);
        QCOMPARE(model.timeframeFor({t0, t0 + 2001 * minute}), Timeframe::M5);
        model.setPinnedTimeframe(Timeframe::H4);
        QCOMPARE(model.timeframeFor({t0, t0 + day}), Timeframe::H4); // coarser than needed is the user's choice
    }

    void smallPansReadNothingAndWindowsFollowTheView()
    {
        TimeSync sync;
        MarketWindowModel model(m_db, &sync);
        model.setPlotWidth(1000);
        model.setInstrument(m_i);
        QTRY_VERIFY_WITH_TIMEOUT(settled(model, sync), 20000);
        QObject pane;
        sync.setVisibleRange({t0 + 8 * day, t0 + 9 * day}, &pane);
        QTRY_VERIFY_WITH_TIMEOUT(settled(model, sync), 20000);
        QCOMPARE(model.window().timeframe, Timeframe::M5);
        const TimeRange read = model.window().range;

        // A pan of an hour stays inside what was read: the same window, no reload.
        QSignalSpy changed(&model, &MarketWindowModel::windowChanged);
        sync.pan(hour, &pane);
        QVERIFY(model.isCurrent());
        QVERIFY(!changed.wait(300));
        QCOMPARE(model.window().range, read);

        // A pan of three days leaves it: a new window around the new view.
        sync.pan(3 * day, &pane);
        QTRY_VERIFY_WITH_TIMEOUT(settled(model, sync), 20000);
        QVERIFY(model.window().range.from > read.from);
        // Every bar of the view is there, in order, at the tier's steps.
        const QVector<Candle> &c = model.window().candles;
        for (int k = 1; k < c.size(); ++k)
            QCOMPARE(c[k].ts - c[k - 1].ts, Timeframes::ms(Timeframe::M5));
        QVERIFY(c.front().ts <= sync.visibleRange().from && c.back().ts >= sync.visibleRange().to - Timeframes::ms(Timeframe::M5));
    }

    void lateRepliesForOldViewsAreDropped()
    {
        TimeSync sync;
        MarketWindowModel model(m_db, &sync);
        model.setPrefetch(false); // every step a real read, so replies overtake each other
        model.setPlotWidth(1000);
        model.setInstrument(m_i);
        QTRY_VERIFY_WITH_TIMEOUT(settled(model, sync), 20000);
        QObject pane;
        // A burst of views of every size, faster than the loader answers.
        const QList<TimeRange> views = {{t0 + day, t0 + 15 * day}, {t0 + 2 * day, t0 + 3 * day}, {t0 + 4 * day, t0 + 4 * day + 2 * hour},
                                        {t0 + 10 * day, t0 + 12 * day}, {t0 + 6 * day, t0 + 6 * day + 12 * hour}};
        QList<TimeRange> shown;
        connect(&model, &MarketWindowModel::windowChanged, &pane, [&] { shown << model.window().range; });
        for (const TimeRange &v : views)
            sync.setVisibleRange(v, &pane);
        QTRY_VERIFY_WITH_TIMEOUT(settled(model, sync), 20000);
        QTest::qWait(300); // any reply still on its way
        QVERIFY(settled(model, sync));
        QCOMPARE(sync.visibleRange(), views.last());
        QCOMPARE(model.window().timeframe, model.timeframeFor(views.last()));
        // Whatever was shown on the way, the last window shown is the last view's.
        QVERIFY(!shown.isEmpty());
        QVERIFY(shown.last().from <= views.last().from && shown.last().to >= views.last().to);
    }

    void theNextWheelStepIsServedFromMemory()
    {
        TimeSync sync;
        MarketWindowModel model(m_db, &sync);
        model.setPlotWidth(1000);
        model.setInstrument(m_i);
        QTRY_VERIFY_WITH_TIMEOUT(settled(model, sync), 20000);
        QObject pane;
        sync.setVisibleRange({t0 + 7 * day, t0 + 11 * day}, &pane); // four days: 15m
        QTRY_VERIFY_WITH_TIMEOUT(settled(model, sync), 20000);
        QCOMPARE(model.window().timeframe, Timeframe::M15);
        // Read ahead: the finer tier over this view, the coarser one over a wider view.
        QTRY_VERIFY_WITH_TIMEOUT(model.cache().covers(m_i, Timeframe::M5, {t0 + 7 * day, t0 + 11 * day})
                                     && model.cache().covers(m_i, Timeframe::H1, {t0 + 5 * day, t0 + 13 * day}),
                                 20000);

        // Zoom in one step (two days, 5m): the window changes inside the call, before any read returns.
        QSignalSpy changed(&model, &MarketWindowModel::windowChanged);
        sync.zoom(0.5, t0 + 9 * day, &pane);
        QCOMPARE(changed.size(), 1);
        QVERIFY(settled(model, sync));
        QCOMPARE(model.window().timeframe, Timeframe::M5);
        // Once the read-ahead around the new view is in, zooming out two steps (eight days,
        // 15m) is the same.
        QTRY_VERIFY_WITH_TIMEOUT(model.cache().covers(m_i, Timeframe::M15, {t0 + 5 * day, t0 + 13 * day}), 20000);
        sync.zoom(4.0, t0 + 9 * day, &pane);
        QCOMPARE(changed.size(), 2);
        QVERIFY(settled(model, sync));
        QCOMPARE(model.window().timeframe, Timeframe::M15);
        // What the cache gave is what the store holds.
        const MarketWindow fromCache = model.window();
        model.setPrefetch(false);
        model.reload();
        QVERIFY(changed.wait(20000));
        QCOMPARE(model.window().candles.size() > 0, true);
        for (const Candle &c : fromCache.candles) {
            const Candle *stored = MarketWindow::at(model.window().candles, c.ts, Timeframes::ms(Timeframe::M15));
            if (!stored)
                continue; // outside the reloaded window
            QCOMPARE(stored->close, c.close);
            QCOMPARE(stored->volume, c.volume);
        }
    }

    void commitsReloadTheWindowAndAFollowingViewSlides()
    {
        const QString db = m_dir.filePath(QStringLiteral("live.db"));
        SyntheticSource::Params p;
        p.instrument = m_i;
        p.startMs = t0;
        p.minutes = 3 * 1440;
        p.seed = 9;
        SyntheticSource source(p);
        MarketStore::open(db).writer()->commit(source.generate(2 * 1440));

        TimeSync sync;
        MarketWindowModel model(db, &sync);
        model.setPlotWidth(1000);
        model.setInstrument(m_i);
        QTRY_VERIFY_WITH_TIMEOUT(settled(model, sync), 20000);
        QObject pane;
        sync.setVisibleRange({t0 + 2 * day - 6 * hour, t0 + 2 * day}, &pane); // the newest six hours, 1m
        QVERIFY(sync.followLatest());
        QTRY_VERIFY_WITH_TIMEOUT(settled(model, sync), 20000);
        const qint64 newest = model.window().candles.back().ts;

        // Ten live minutes, committed as the data thread does, then announced.
        MarketStore::open(db).writer()->commit(source.generate(10));
        model.onAppended(m_i, DataKind::Candles, t0 + 2 * day, t0 + 2 * day + 10 * minute);
        QCOMPARE(sync.dataExtent().to, t0 + 2 * day + 10 * minute);
        QCOMPARE(sync.visibleRange(), (TimeRange{t0 + 2 * day - 6 * hour + 10 * minute, t0 + 2 * day + 10 * minute}));
        QTRY_COMPARE_WITH_TIMEOUT(model.window().candles.back().ts, newest + 10 * minute, 20000);

        // Another instrument's commit does not disturb this view.
        QSignalSpy changed(&model, &MarketWindowModel::windowChanged);
        model.onAppended(m_other, DataKind::Candles, t0, t0 + minute);
        QVERIFY(!changed.wait(400));
        QCOMPARE(model.instrument(), m_i);
    }

    void anotherInstrumentStartsAfresh()
    {
        TimeSync sync;
        MarketWindowModel model(m_db, &sync);
        model.setInstrument(m_i);
        QTRY_VERIFY_WITH_TIMEOUT(settled(model, sync), 20000);
        QSignalSpy changed(&model, &MarketWindowModel::windowChanged);
        sync.reset(); // as the main window does when the user picks another instrument
        model.setInstrument(m_other);
        // At once: nothing of the old instrument is shown under the new one's name.
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.window().instrument, m_other);
        QVERIFY(!model.hasData());
        QTRY_VERIFY_WITH_TIMEOUT(settled(model, sync), 20000);
        QCOMPARE(sync.dataExtent(), (TimeRange{t0 + 5 * day, t0 + 7 * day}));
        // Setting the same instrument again reads nothing.
        changed.clear();
        model.setInstrument(m_other);
        QVERIFY(!changed.wait(300));
    }

    void instrumentsAndFailuresAreReported()
    {
        TimeSync sync;
        MarketWindowModel model(m_db, &sync);
        QSignalSpy instruments(&model, &MarketWindowModel::instrumentsChanged);
        model.requestInstruments();
        QVERIFY(instruments.wait(20000));
        const auto list = instruments.first().first().value<QList<Instrument>>();
        QVERIFY(list.contains(m_i));
        QVERIFY(list.contains(m_other));

        TimeSync other;
        MarketWindowModel broken(m_dir.filePath(QStringLiteral("no/such/folder.db")), &other);
        QSignalSpy failed(&broken, &MarketWindowModel::loadFailed);
        broken.setInstrument(m_i);
        QVERIFY(failed.wait(20000));
        QVERIFY(!failed.first().first().toString().isEmpty());
        QVERIFY(!broken.hasData());
    }
};

QTEST_GUILESS_MAIN(TestMarketWindowModel)
#include "tst_marketwindowmodel.moc"
