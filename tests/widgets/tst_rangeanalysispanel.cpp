#include "marketwindowmodel.h"
#include "rangeanalysismodel.h"
#include "rangeanalysispanel.h"
#include "syntheticstore.h"
#include "testutil.h"
#include "timesync.h"

#include <QDockWidget>
#include <QLabel>
#include <QMainWindow>

// The Range analysis dock keeps the width the user gave it whatever text arrives: verdicts,
// reasons and figures wrap inside it (the defect: a long verdict or figure widened the dock
// with every new analysis, squeezing the charts).
class TestRangeAnalysisPanel : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;
    const Instrument m_i{QStringLiteral("SYNTH"), QStringLiteral("BTCUSDT")};
    static constexpr qint64 t0 = 1'767'225'600'000; // 2026-01-01
    static constexpr qint64 day = 86'400'000;

    // Every label of the panel ends inside the panel (nothing drawn past the dock's edge).
    static void expectLabelsInside(const QWidget *panel)
    {
        for (const QLabel *l : panel->findChildren<QLabel *>()) {
            if (!l->isVisible())
                continue;
            const QRect r(l->mapTo(panel, QPoint(0, 0)), l->size());
            QVERIFY2(r.right() <= panel->width(), qPrintable(QStringLiteral("'%1' ends at %2 of %3").arg(l->text().left(60)).arg(r.right()).arg(panel->width())));
        }
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("panel.db"));
        SyntheticStore::fill(m_db, m_i, t0, 10 * 1440, 3);
    }

    void dockWidthStaysAsVerdictsChange()
    {
        TimeSync sync;
        MarketWindowModel market(m_db, &sync);
        market.setInstrument(m_i);
        QMainWindow window;
        window.setCentralWidget(new QWidget);
        auto *panel = new RangeAnalysisPanel(m_db, &sync, &market);
        auto *dock = new QDockWidget(QStringLiteral("Range analysis"));
        dock->setObjectName(QStringLiteral("dock.analysis"));
        dock->setWidget(panel);
        window.addDockWidget(Qt::RightDockWidgetArea, dock);
        window.resize(1300, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.resizeDocks({dock}, {340}, Qt::Horizontal);
        QTRY_VERIFY_WITH_TIMEOUT(market.hasData(), 10000);
        QApplication::processEvents();
        const int width = dock->width();
        QVERIFY2(width >= 300 && width <= 380, qPrintable(QString::number(width)));

        // Real analyses of several ranges, one after the other.
        for (const auto &[from, to] : {std::pair{1, 2}, {2, 5}, {0, 9}, {6, 7}}) {
            QSignalSpy done(panel->analysisModel(), &RangeAnalysisModel::finished);
            sync.setSelection({t0 + from * day, t0 + to * day});
            QVERIFY(done.wait(20000));
            QApplication::processEvents();
            QCOMPARE(dock->width(), width);
            expectLabelsInside(panel);
        }

        // The longest texts an analysis can bring: a long verdict, reasons and figures, and a
        // failure whose message holds a path without spaces.
        RangeAnalysis::Result r = panel->analysisModel()->result().value();
        r.verdict = RangeAnalysis::Verdict::InsufficientData;
        for (int i = 0; i < 6; ++i)
            r.reasons << QStringLiteral("open interest covers only part of the range (%1 of 6 spans), so the change and the path inside it are "
                                        "not known well enough to call it a flush or a squeeze")
                             .arg(i);
        emit panel->analysisModel()->finished(r);
        QApplication::processEvents();
        QCOMPARE(dock->width(), width);
        expectLabelsInside(panel);
        emit panel->analysisModel()->failed(QStringLiteral("no price data in /home/trader/.local/share/Perpscope/some-very-long-database-name-"
                                                           "without-any-spaces-at-all-2026-01-01.db for this range"));
        QApplication::processEvents();
        QCOMPARE(dock->width(), width);
        expectLabelsInside(panel);
        // And back to a short one.
        QSignalSpy done(panel->analysisModel(), &RangeAnalysisModel::finished);
        sync.setSelection({t0 + 3 * day, t0 + 4 * day});
        QVERIFY(done.wait(20000));
        QApplication::processEvents();
        QCOMPARE(dock->width(), width);
        QVERIFY(!panel->verdictText().isEmpty());

        // Zones consumed: a path that crossed no hot zone still consumed predicted notional,
        // and the row says how much per side (the defect: "0 ($0)" beside a reason that said
        // $155.0K longs, $339.5K shorts were consumed).
        RangeAnalysis::Result c = panel->analysisModel()->result().value();
        HeatmapConsumption consumed;
        consumed.range = c.range;
        consumed.counted = c.range;
        consumed.warmUntil = c.range.from;
        consumed.hasOpenInterest = true;
        consumed.longUsd = 155'000;
        consumed.shortUsd = 339'500;
        c.consumption = consumed;
        c.zonesConsumed = 0;
        emit panel->analysisModel()->finished(c);
        QApplication::processEvents();
        const QString row = panel->figure(QStringLiteral("Zones consumed"));
        QVERIFY2(row.contains(QLatin1String("longs $155")) && row.contains(QLatin1String("shorts $339")), qPrintable(row));
        QVERIFY2(!row.contains(QLatin1String("($0)")), qPrintable(row));
        c.consumption.reset();
        emit panel->analysisModel()->finished(c);
        QApplication::processEvents();
        QCOMPARE(panel->figure(QStringLiteral("Zones consumed")), QStringLiteral("n/a (no heatmap)"));
    }
};

QTEST_MAIN(TestRangeAnalysisPanel)
#include "tst_rangeanalysispanel.moc"
