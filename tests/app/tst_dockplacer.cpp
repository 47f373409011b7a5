#include "chartpane.h"
#include "dockplacer.h"
#include "mainwindow.h"
#include "rangeanalysispanel.h"
#include "marketwindowmodel.h"
#include "sources/syntheticsource.h"
#include "storage/marketstore.h"
#include "storage/storewriter.h"
#include "testutil.h"
#include "timesync.h"

#include <QDockWidget>
#include <QScreen>
#include <QSettings>

// Issue 14 item 9: a pane floated with its float button (or a double click on its title)
// opened on top of the other panes. It goes beside the window where the screen has room;
// one the user drags out (or moves) stays where it is dropped.
class TestDockPlacer : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;
    const Instrument m_i{QStringLiteral("SYNTH"), QStringLiteral("BTCUSDT")};
    static constexpr qint64 t0 = 1'767'225'600'000;
    static constexpr qint64 day = 86'400'000;

    std::unique_ptr<MainWindow> openWindow(QRect geometry)
    {
        MainWindow::Options o;
        o.store = m_db;
        o.startSource = false;
        o.persistSettings = false;
        o.instrument = m_i.key();
        auto w = std::make_unique<MainWindow>(o);
        w->setGeometry(geometry);
        w->show();
        if (!QTest::qWaitForWindowExposed(w.get()))
            return nullptr;
        if (!QTest::qWaitFor([&] { return w->marketModel()->hasData() && w->timeSync()->visibleRange().isValid(); }, 10000))
            return nullptr;
        QTest::qWait(50); // the default dock sizes are applied after the first show
        return w;
    }

    // The float button of a dock's title bar, clicked as a user does.
    static bool clickFloatButton(QDockWidget *d)
    {
        for (QAbstractButton *b : d->findChildren<QAbstractButton *>(QStringLiteral("qt_dockwidget_floatbutton"))) {
            QTest::mouseClick(b, Qt::LeftButton);
            return true;
        }
        return false;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
        m_db = m_dir.filePath(QStringLiteral("docks.db"));
        SyntheticSource::Params p;
        p.instrument = m_i;
        p.startMs = t0;
        p.minutes = 4 * 1440;
        p.seed = 8;
        SyntheticSource source(p);
        MarketStore::open(m_db).writer()->commit(source.generate(p.minutes));
    }

    void besideTheWindowWhereThereIsRoom()
    {
        const QRect screen(0, 0, 2560, 1440);
        const QSize pane(600, 300);
        // Room on the right: there, top-aligned with the window.
        QRect r = DockPlacer::beside({0, 0, 1600, 1000}, pane, screen);
        QCOMPARE(r.size(), pane);
        QVERIFY(r.left() > 1600 && screen.contains(r));
        QCOMPARE(r.top(), 0);
        // Window on the right half: the left side.
        r = DockPlacer::beside({1200, 100, 1300, 1000}, pane, screen);
        QVERIFY(r.right() < 1200 && screen.contains(r));
        // Full width but room below.
        r = DockPlacer::beside({0, 0, 2560, 900}, pane, screen);
        QVERIFY(r.top() > 900 && screen.contains(r));
        // A window lower on the screen: above it.
        r = DockPlacer::beside({0, 600, 2560, 840}, pane, screen);
        QVERIFY(r.bottom() < 600 && screen.contains(r));
        // Not quite room for the whole width: narrowed to the room if still usable.
        r = DockPlacer::beside({0, 0, 2100, 1440}, pane, screen);
        QVERIFY(r.left() > 2100 && r.right() <= screen.right());
        QVERIFY(r.width() >= 260 && r.width() < pane.width());
        QVERIFY(!r.intersects({0, 0, 2100, 1440}));
        // Maximised: no room anywhere; on screen, at its right edge.
        r = DockPlacer::beside(screen, pane, screen);
        QVERIFY(screen.contains(r));
        QCOMPARE(r.right(), screen.right());
        QCOMPARE(r.size(), pane);
        // A pane larger than the screen is cut to it.
        r = DockPlacer::beside({0, 0, 800, 600}, {4000, 3000}, screen);
        QVERIFY(screen.contains(r));
    }

    void floatButtonPutsThePaneBesideTheWindow()
    {
        QScreen *screen = QGuiApplication::primaryScreen();
        QVERIFY(screen);
        const QRect avail = screen->availableGeometry();
        // The window on the left part of the screen, the right part free.
        auto w = openWindow({avail.left(), avail.top(), avail.width() * 3 / 5, avail.height() * 4 / 5});
        QVERIFY(w);
        QDockWidget *funding = w->dock(QStringLiteral("dock.funding"));
        const QSize docked = funding->size();
        QVERIFY(clickFloatButton(funding));
        QTRY_VERIFY(funding->isFloating());
        const QRect window = w->frameGeometry();
        const QRect expected = DockPlacer::beside(window, funding->frameGeometry().size(), avail);
        QTRY_VERIFY2_WITH_TIMEOUT(!funding->frameGeometry().intersects(window),
                                  qPrintable(QStringLiteral("floating pane at %1,%2 %3x%4 over the window %5,%6 %7x%8")
                                                 .arg(funding->frameGeometry().x()).arg(funding->frameGeometry().y())
                                                 .arg(funding->frameGeometry().width()).arg(funding->frameGeometry().height())
                                                 .arg(window.x()).arg(window.y()).arg(window.width()).arg(window.height())),
                                  5000);
        QVERIFY(expected.left() > window.right());
        QVERIFY(avail.contains(funding->frameGeometry()));
        // About the size it had in the layout (or the room there is).
        QVERIFY(funding->width() >= std::min(docked.width(), 260) - 2);
        // And it still draws its chart there.
        auto *pane = qobject_cast<ChartPane *>(funding->widget());
        QVERIFY(pane && pane->isVisible());
    }

    void aDraggedPaneStaysWhereItIsDropped()
    {
        QScreen *screen = QGuiApplication::primaryScreen();
        const QRect avail = screen->availableGeometry();
        auto w = openWindow({avail.left(), avail.top(), avail.width() * 3 / 5, avail.height() * 4 / 5});
        QVERIFY(w);
        QDockWidget *oi = w->dock(QStringLiteral("dock.oi"));
        // As a drag ends: floated, then moved by the user to a place of their choosing (over
        // the window, say) before the placer looks.
        oi->setFloating(true);
        const QPoint chosen = w->geometry().center() - QPoint(100, 100);
        oi->move(chosen);
        QTest::qWait(200);
        QCOMPARE(oi->pos(), chosen);
    }
};

QTEST_MAIN(TestDockPlacer)
#include "tst_dockplacer.moc"
