#include "bubbleplottable.h"
#include "chartpane.h"
#include "displayformat.h"
#include "liquidationspane.h"
#include "mainwindow.h"
#include "marketwindowmodel.h"
#include "pricepane.h"
#include "rangeanalysispanel.h"
#include "snapshotrenderer.h"
#include "sources/datathread.h"
#include "sources/syntheticsource.h"
#include "storage/marketstore.h"
#include "storage/storewriter.h"
#include "testutil.h"
#include "timesync.h"

#include <QDockWidget>
#include <QSettings>
#include <QWheelEvent>
#include <qcustomplot.h>

// Drives the real main window offscreen: linked zoom, cursor, late panes, layout
// persistence, live appends, and what the panes actually paint.
class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;
    const Instrument m_i{QStringLiteral("SYNTH"), QStringLiteral("BTCUSDT")};
    static constexpr qint64 t0 = 1'767'225'600'000; // 2026-01-01
    static constexpr qint64 days = 20;

    std::unique_ptr<MainWindow> openWindow()
    {
        MainWindow::Options o;
        o.store = m_db;
        o.startSource = false;
        o.instrument = m_i.key();
        auto w = std::make_unique<MainWindow>(o);
        w->resize(1400, 1000);
        w->show();
        if (!QTest::qWaitForWindowExposed(w.get()))
            return nullptr;
        return w;
    }

    // Data loaded and the layout settled (default dock sizes are applied after the first show).
    static bool waitForData(MainWindow *w)
    {
        if (!QTest::qWaitFor([w] { return w->marketModel()->hasData() && w->timeSync()->visibleRange().isValid(); }, 10000))
            return false;
        QTest::qWait(20);
        for (ChartPane *p : w->panes())
            p->plot()->replot();
        return true;
    }

    static void sendWheel(QWidget *target, QPoint pos, int deltaY)
    {
        QWheelEvent e(pos, target->mapToGlobal(pos), QPoint(), QPoint(0, deltaY), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(target, &e);
    }

    static QPoint plotCenter(ChartPane *p)
    {
        return p->plot()->axisRect()->rect().center();
    }

    // Share of pixels in the plot area that differ clearly from the background.
    static double inkShare(ChartPane *p, const QColor &background)
    {
        const QImage img = p->plot()->grab().toImage();
        const QRect r = p->plot()->axisRect()->rect();
        int ink = 0, total = 0;
        for (int y = r.top(); y < r.bottom(); y += 2)
            for (int x = r.left(); x < r.right(); x += 2) {
                const QColor c = img.pixelColor(x, y);
                ++total;
                if (std::abs(c.red() - background.red()) + std::abs(c.green() - background.green()) + std::abs(c.blue() - background.blue()) > 60)
                    ++ink;
            }
        return total ? double(ink) / total : 0;
    }

    static bool hasColor(const QImage &img, const QColor &want, int tolerance = 40)
    {
        for (int y = 0; y < img.height(); y += 1)
            for (int x = 0; x < img.width(); x += 1) {
                const QColor c = img.pixelColor(x, y);
                if (std::abs(c.red() - want.red()) + std::abs(c.green() - want.green()) + std::abs(c.blue() - want.blue()) < tolerance)
                    return true;
            }
        return false;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
        QCoreApplication::setOrganizationName(QStringLiteral("PerpscopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
        m_db = m_dir.filePath(QStringLiteral("gui.db"));
        SyntheticSource::Params p;
        p.instrument = m_i;
        p.startMs = t0;
        p.minutes = days * 1440;
        p.seed = 3;
        SyntheticSource source(p);
        MarketStore::open(m_db).writer()->commit(source.generate(p.minutes));
    }

    void init() { QSettings().clear(); }

    void wheelInOnePaneZoomsAllPanes()
    {
        auto w = openWindow();
        QVERIFY(w);
        QVERIFY(waitForData(w.get()));
        const TimeRange before = w->timeSync()->visibleRange();
        ChartPane *funding = w->pane(QStringLiteral("dock.funding"));
        sendWheel(funding->plot(), plotCenter(funding), 240);
        const TimeRange after = w->timeSync()->visibleRange();
        QVERIFY(after.span() < before.span());
        QApplication::processEvents();
        for (ChartPane *p : w->panes()) {
            QCOMPARE(p->timeAxis()->range().lower, after.from / 1000.0);
            QCOMPARE(p->timeAxis()->range().upper, after.to / 1000.0);
        }
        // Zooming out again, past everything, stops near the data.
        for (int i = 0; i < 40; ++i)
            sendWheel(funding->plot(), plotCenter(funding), -240);
        QVERIFY(w->timeSync()->visibleRange().span() < (days + 5) * 86'400'000LL);
    }

    void dragPansAllPanes()
    {
        auto w = openWindow();
        QVERIFY(w);
        QVERIFY(waitForData(w.get()));
        ChartPane *oi = w->pane(QStringLiteral("dock.oi"));
        const TimeRange before = w->timeSync()->visibleRange();
        const QPoint c = plotCenter(oi);
        QTest::mousePress(oi->plot(), Qt::LeftButton, Qt::NoModifier, c);
        QTest::mouseMove(oi->plot(), c + QPoint(200, 0));
        QTest::mouseRelease(oi->plot(), Qt::LeftButton, Qt::NoModifier, c + QPoint(200, 0));
        const TimeRange after = w->timeSync()->visibleRange();
        QCOMPARE(after.span(), before.span());
        QVERIFY(after.from < before.from); // dragging right shows earlier data
        QCOMPARE(w->pane(QStringLiteral("dock.price"))->timeAxis()->range().lower, after.from / 1000.0);
    }

    void mouseMovePlacesTheCursorInEveryPane()
    {
        auto w = openWindow();
        QVERIFY(w);
        QVERIFY(waitForData(w.get()));
        ChartPane *funding = w->pane(QStringLiteral("dock.funding"));
        const QPoint at = plotCenter(funding) + QPoint(37, 0);
        QTest::mouseMove(funding->plot(), at);
        QVERIFY(w->timeSync()->cursor().has_value());
        const double k = *w->timeSync()->cursor() / 1000.0;
        QCOMPARE(qRound(funding->timeAxis()->coordToPixel(k)), at.x());
        QApplication::processEvents();
        // Every other pane paints the cursor line at the same time, in the cursor colour.
        for (ChartPane *p : w->panes()) {
            if (p->visibleRegion().isEmpty())
                continue; // a pane in a background tab (Funding by venue, beside Funding) is not on screen
            const QImage img = p->plot()->grab().toImage();
            const int x = qRound(p->timeAxis()->coordToPixel(k));
            const QRect r = p->plot()->axisRect()->rect();
            int hits = 0;
            for (int y = r.top() + 2; y < r.bottom() - 2; ++y) {
                const QColor c = img.pixelColor(x, y);
                const QColor want = w->theme().cursor;
                if (std::abs(c.red() - want.red()) + std::abs(c.green() - want.green()) + std::abs(c.blue() - want.blue()) < 30)
                    ++hits;
            }
            QVERIFY2(hits > r.height() / 5, qPrintable(QStringLiteral("%1: cursor line missing (%2 px)").arg(p->title()).arg(hits)));
            QVERIFY2(!p->header()->text().isEmpty(), qPrintable(p->title()));
        }
        // Read-outs come from the bar under the cursor.
        const auto &bars = w->marketModel()->window().candles;
        const Candle *c = MarketWindow::at(bars, *w->timeSync()->cursor(), Timeframes::ms(w->marketModel()->window().timeframe));
        QVERIFY(c);
        QVERIFY2(w->pane(QStringLiteral("dock.price"))->header()->text().contains(QStringLiteral("C ") + DisplayFormat::price(c->close)),
                 qPrintable(w->pane(QStringLiteral("dock.price"))->header()->text()));
        QTest::mouseMove(funding->plot(), QPoint(2, 2)); // outside the plot area
        QVERIFY(!w->timeSync()->cursor().has_value());
    }

    void keysZoomAndPanAndTheCursorStaysUnderTheMouse()
    {
        auto w = openWindow();
        QVERIFY(w);
        QVERIFY(waitForData(w.get()));
        ChartPane *price = w->pane(QStringLiteral("dock.price"));
        const QPoint mouse = plotCenter(price) + QPoint(-120, -30);
        QTest::mouseMove(price->plot(), mouse);
        for (const int key : {int(Qt::Key_Plus), int(Qt::Key_Minus), int(Qt::Key_Left), int(Qt::Key_Right)}) {
            const TimeRange before = w->timeSync()->visibleRange();
            QTest::keyClick(w.get(), Qt::Key(key));
            QVERIFY2(w->timeSync()->visibleRange() != before, qPrintable(QString::number(key)));
            QApplication::processEvents();
            const qint64 under = qint64(std::llround(price->timeAxis()->pixelToCoord(mouse.x()) * 1000.0));
            QVERIFY(w->timeSync()->cursor().has_value());
            QVERIFY2(std::abs(*w->timeSync()->cursor() - under) <= 1, qPrintable(QString::number(key)));
            QCOMPARE(price->cursorValueText(), DisplayFormat::price(price->valueAxis()->pixelToCoord(mouse.y())));
        }
    }

    void paneCreatedLaterAdoptsTheRange()
    {
        auto w = openWindow();
        QVERIFY(w);
        QVERIFY(waitForData(w.get()));
        w->timeSync()->zoom(0.3, w->timeSync()->visibleRange().to - 3600'000, w.get());
        const TimeRange r = w->timeSync()->visibleRange();
        auto *late = new PricePane(w->timeSync(), w->marketModel());
        w->addPaneDock(late, QStringLiteral("dock.price2"));
        QTRY_COMPARE(late->timeAxis()->range().lower, r.from / 1000.0);
        QCOMPARE(late->timeAxis()->range().upper, r.to / 1000.0);
        QTRY_VERIFY(late->plot()->plottableCount() > 0 && !late->header()->text().isEmpty());
    }

    void layoutThemeAndViewPersist()
    {
        struct DockState
        {
            bool floating, visible;
            Qt::DockWidgetArea area;
            int tabbedWith;
            QSize size;
        };
        QMap<QString, DockState> before;
        QSize windowSize;
        TimeRange range;
        const auto capture = [](MainWindow *w) {
            QMap<QString, DockState> m;
            for (QDockWidget *d : w->findChildren<QDockWidget *>())
                m.insert(d->objectName(), {d->isFloating(), d->isVisible(), w->dockWidgetArea(d), int(w->tabifiedDockWidgets(d).size()), d->size()});
            return m;
        };
        {
            auto w = openWindow();
            QVERIFY(w);
            QVERIFY(waitForData(w.get()));
            QDockWidget *funding = w->dock(QStringLiteral("dock.funding"));
            funding->setFloating(true);
            funding->move(200, 200);
            w->tabifyDockWidget(w->dock(QStringLiteral("dock.price")), w->dock(QStringLiteral("dock.oi")));
            w->setTheme(QStringLiteral("light"));
            w->timeSync()->setVisibleRange({t0 + 86'400'000, t0 + 2 * 86'400'000}, w.get());
            w->resizeDocks({w->dock(QStringLiteral("dock.tape"))}, {420}, Qt::Horizontal);
            QApplication::processEvents();
            before = capture(w.get());
            windowSize = w->size();
            range = w->timeSync()->visibleRange();
            w->close();
        }
        auto w = openWindow();
        QVERIFY(w);
        QCOMPARE(w->theme().kind, ChartTheme::Kind::Light);
        QVERIFY(w->dock(QStringLiteral("dock.funding"))->isFloating());
        QCOMPARE(w->tabifiedDockWidgets(w->dock(QStringLiteral("dock.price"))).size(), 1);
        QApplication::processEvents();
        QCOMPARE(w->size(), windowSize);
        const auto after = capture(w.get());
        QCOMPARE(after.keys(), before.keys());
        for (const QString &name : before.keys()) {
            const DockState &a = before[name], &b = after[name];
            QVERIFY2(a.floating == b.floating && a.visible == b.visible && a.area == b.area && a.tabbedWith == b.tabbedWith, qPrintable(name));
            if (a.tabbedWith > 0 || a.floating)
                continue; // inactive tabs and floating windows have no layout size to compare
            QVERIFY2(qAbs(a.size.width() - b.size.width()) <= 2 && qAbs(a.size.height() - b.size.height()) <= 2,
                     qPrintable(QStringLiteral("%1: %2x%3 became %4x%5").arg(name).arg(a.size.width()).arg(a.size.height()).arg(b.size.width()).arg(b.size.height())));
        }
        QCOMPARE(w->timeSync()->visibleRange(), range);
        QVERIFY(!w->timeSync()->followLatest());
        w->resetLayout();
        QVERIFY(!w->dock(QStringLiteral("dock.funding"))->isFloating());
    }

    // Issue 14 item 9: Reset layout also cleared the selection.
    void resetLayoutKeepsTheSelection()
    {
        auto w = openWindow();
        QVERIFY(w);
        QVERIFY(waitForData(w.get()));
        TimeSync *sync = w->timeSync();
        const TimeRange selection{t0 + 18 * 86'400'000LL, t0 + 18 * 86'400'000LL + 6 * 3'600'000};
        sync->setSelection(selection, w.get());
        w->dock(QStringLiteral("dock.funding"))->setFloating(true);
        w->dock(QStringLiteral("dock.oi"))->hide();
        w->tabifyDockWidget(w->dock(QStringLiteral("dock.price")), w->dock(QStringLiteral("dock.liquidations")));
        QApplication::processEvents();

        QSignalSpy cleared(sync, &TimeSync::selectionChanged);
        w->resetLayout();
        QTest::qWait(50);
        // Every pane back in place, and the selection as it was, shaded in every pane.
        for (ChartPane *p : w->panes()) {
            QVERIFY(p->isVisible());
            QVERIFY(!qobject_cast<QDockWidget *>(p->parentWidget())->isFloating());
        }
        QVERIFY(w->tabifiedDockWidgets(w->dock(QStringLiteral("dock.price"))).isEmpty());
        QCOMPARE(sync->selection(), selection);
        QCOMPARE(cleared.size(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!w->analysisPanel()->verdictText().isEmpty() && w->analysisPanel()->verdictText() != QStringLiteral("Analysing…"), 20000);
        // The shading is painted: inside the selection the plot is lighter than outside it.
        for (ChartPane *p : w->panes()) {
            p->plot()->replot();
            const QImage img = p->plot()->grab().toImage();
            const QRect r = p->plot()->axisRect()->rect();
            const int inside = qRound(p->timeAxis()->coordToPixel((selection.from + selection.span() / 2) / 1000.0));
            const int edge = qRound(p->timeAxis()->coordToPixel(selection.from / 1000.0));
            QVERIFY2(inside > r.left() && inside < r.right() && edge > r.left(), qPrintable(p->title()));
            // The selection's left edge line runs down the whole plot.
            int edgeRows = 0;
            for (int y = r.top() + 2; y < r.bottom() - 2; ++y) {
                const QColor c = img.pixelColor(edge, y), left = img.pixelColor(edge - 3, y);
                if (std::abs(c.lightness() - left.lightness()) > 12 || std::abs(c.hue() - left.hue()) > 20)
                    ++edgeRows;
            }
            QVERIFY2(edgeRows > (r.height() - 4) / 2, qPrintable(QStringLiteral("%1: edge seen in %2 of %3 rows").arg(p->title()).arg(edgeRows).arg(r.height())));
        }
    }

    // Issue 14 item 9: the workspace image included the empty analysis panel ("Shift-drag…"
    // and greyed buttons). It is in the picture once there is something analysed.
    void workspaceImageLeavesOutEmptyPanels()
    {
        auto w = openWindow();
        QVERIFY(w);
        QVERIFY(waitForData(w.get()));
        const auto widgets = [&] {
            QList<QWidget *> out;
            // items() refers into the snapshot: keep it alive for the loop (a range-for over a
            // temporary's member dangles).
            const auto snapshot = w->snapshot();
            for (const SnapshotRenderer::Item &item : snapshot.items())
                out << item.widget.data();
            return out;
        };
        QList<QWidget *> shown = widgets();
        QVERIFY(!shown.contains(w->analysisPanel()));
        for (ChartPane *p : w->panes())
            QVERIFY(shown.contains(p) || p->visibleRegion().isEmpty()); // a background tab is not in the picture
        w->timeSync()->setSelection({t0 + 18 * 86'400'000LL, t0 + 18 * 86'400'000LL + 6 * 3'600'000}, w.get());
        QTRY_VERIFY_WITH_TIMEOUT(w->analysisPanel()->verdictText() != QStringLiteral("Analysing…"), 20000);
        QApplication::processEvents();
        shown = widgets();
        QVERIFY(shown.contains(w->analysisPanel()));
    }

    void liveAppendUpdatesAFollowingView()
    {
        auto w = openWindow();
        QVERIFY(w);
        QVERIFY(waitForData(w.get()));
        QVERIFY(w->timeSync()->followLatest());
        const TimeRange before = w->timeSync()->visibleRange();
        auto *price = qobject_cast<PricePane *>(w->pane(QStringLiteral("dock.price")));
        const qint64 end = t0 + days * 86'400'000;
        SyntheticSource::Params p;
        p.instrument = m_i;
        p.startMs = end;
        p.minutes = 240;
        p.barsPerBatch = 30;
        p.seed = 4;
        w->dataThread()->setSource(new SyntheticSource(p));
        // The view slides right with the data and the newest candle is drawn.
        QTRY_VERIFY_WITH_TIMEOUT(w->timeSync()->visibleRange().to >= before.to + 200 * 60'000, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(w->marketModel()->window().candles.last().ts + Timeframes::ms(w->marketModel()->window().timeframe)
                                     == end + 240 * 60'000,
                                 10000);
        const auto *candles = price->plot()->findChild<QCPFinancial *>();
        QVERIFY(candles);
        QTRY_VERIFY(candles->data()->size() > 0 && (candles->data()->constEnd() - 1)->key > (end + 180 * 60'000) / 1000.0);
    }

    void everyPaneRendersData()
    {
        auto w = openWindow();
        QVERIFY(w);
        QVERIFY(waitForData(w.get()));
        w->timeSync()->setVisibleRange({t0 + 5 * 86'400'000LL, t0 + 12 * 86'400'000LL}, w.get());
        QTRY_VERIFY(w->marketModel()->window().candles.size() > 100);
        QApplication::processEvents();
        QTest::qWait(50);
        const ChartTheme &t = w->theme();
        for (ChartPane *p : w->panes()) {
            const double ink = inkShare(p, t.background);
            QVERIFY2(ink > 0.01, qPrintable(QStringLiteral("%1 looks blank (%2 % ink)").arg(p->title()).arg(ink * 100)));
        }
        const QImage price = w->pane(QStringLiteral("dock.price"))->plot()->grab().toImage();
        QVERIFY(hasColor(price, t.up) && hasColor(price, t.down));
        const QImage funding = w->pane(QStringLiteral("dock.funding"))->plot()->grab().toImage();
        QVERIFY(hasColor(funding, t.up) || hasColor(funding, t.down));
        QVERIFY(hasColor(w->pane(QStringLiteral("dock.oi"))->plot()->grab().toImage(), t.accent));
        auto *liq = qobject_cast<LiquidationsPane *>(w->pane(QStringLiteral("dock.liquidations")));
        QVERIFY(!liq->bubbles()->bubbles().isEmpty());
        QVERIFY(hasColor(liq->plot()->grab().toImage(), t.longLiq, 60));
        // Keep a picture of the whole window for people to look at.
        w->grab().save(QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("mainwindow.png")));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
