#include "heatmapintensity.h"
#include "liquidationspane.h"
#include "mainwindow.h"
#include "marketwindowmodel.h"
#include "testutil.h"

#include <QAction>
#include <QMenu>
#include <QSettings>
#include <QTest>

// The heatmap intensity control in the real window: the choice saved last time is what the
// pane draws with after a restart (and is ticked in View > Heatmap > Heatmap intensity), and
// picking another one applies it and saves it.
class TestHeatmapControls : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;

    std::unique_ptr<MainWindow> open()
    {
        MainWindow::Options o;
        o.store = m_db;
        o.startSource = false;
        o.persistSettings = true; // restores what QSettings holds, as a real start does
        o.instrument = QStringLiteral("SIM:BTCUSDT");
        auto w = std::make_unique<MainWindow>(o);
        w->show();
        return w;
    }

    static LiquidationsPane *pane(MainWindow *w) { return qobject_cast<LiquidationsPane *>(w->pane(QStringLiteral("dock.liquidations"))); }

    static QAction *action(MainWindow *w, const QString &startsWith)
    {
        auto *menu = w->findChild<QMenu *>(QStringLiteral("heatmapIntensityMenu"));
        if (!menu)
            return nullptr;
        for (QAction *a : menu->actions())
            if (a->text().startsWith(startsWith))
                return a;
        return nullptr;
    }

private slots:
    void initTestCase()
    {
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
        m_db = m_dir.filePath(QStringLiteral("sim.db"));
        const auto r = TestUtil::runPerpscope({QStringLiteral("backfill"), QStringLiteral("--db"), m_db, QStringLiteral("--source"), QStringLiteral("sim"),
                                               QStringLiteral("--days"), QStringLiteral("1"), QStringLiteral("--seed"), QStringLiteral("5"),
                                               QStringLiteral("--end"), QStringLiteral("2026-01-02")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }

    void savedIntensityIsRestoredAndPickingSavesIt()
    {
        {
            QSettings s;
            s.setValue(QStringLiteral("heatmap/clipPercentile"), 0.95);
            s.setValue(QStringLiteral("heatmap/threshold"), 0.15);
        }
        auto w = open();
        QTRY_VERIFY_WITH_TIMEOUT(w->marketModel()->hasData(), 10000);
        QCOMPARE(pane(w.get())->heatmapIntensity(), (HeatmapIntensity{0.95, 0.15}));
        QAction *p95 = action(w.get(), QStringLiteral("Brighter: scale tops at the 95th"));
        QAction *hide15 = action(w.get(), QStringLiteral("Hide cells below 15%"));
        QVERIFY(p95 && hide15);
        QVERIFY(p95->isChecked());
        QVERIFY(hide15->isChecked());

        QAction *hottest = action(w.get(), QStringLiteral("Hottest only"));
        QAction *every = action(w.get(), QStringLiteral("Show every predicted cell"));
        QVERIFY(hottest && every);
        hottest->trigger();
        every->trigger();
        QCOMPARE(pane(w.get())->heatmapIntensity(), (HeatmapIntensity{0.999, 0.0}));
        QVERIFY(hottest->isChecked() && !p95->isChecked());
        w.reset();

        // The next start draws with the new choice.
        auto again = open();
        QCOMPARE(pane(again.get())->heatmapIntensity(), (HeatmapIntensity{0.999, 0.0}));
    }
};

QTEST_MAIN(TestHeatmapControls)
#include "tst_heatmapcontrols.moc"
