#include "mainwindow.h"
#include "simulatorsettingsdialog.h"
#include "sourcecontroller.h"
#include "sources/datathread.h"
#include "sources/sim/simrunrecord.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "testutil.h"

#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>

// Simulator settings in the real main window, driven with QTest: the dialog says which market
// is stored; starting another one asks first, Cancel there and in the dialog keeps every
// stored row; confirming replaces it, and switching sources and back then continues the new
// market instead of rewriting it. Without stored history nothing is asked.
class TestSimulatorSettings : public QObject
{
    Q_OBJECT

private:
    static constexpr qint64 end = 1'769'817'600'000; // 2026-01-31T00:00:00Z
    const Instrument m_sim{QStringLiteral("SIM"), QStringLiteral("BTCUSDT")};
    QTemporaryDir m_dir;

    QString db() const { return m_dir.filePath(QStringLiteral("settings.db")); }

    QVector<Candle> candles(const QString &path)
    {
        return MarketStore::openExisting(path).reader()->candles(m_sim, Timeframe::M1, {0, end + 86'400'000});
    }

    QString record(const QString &path) { return MarketStore::openExisting(path).reader()->meta(SimRunRecord::metaKey(m_sim)); }

    static MainWindow::Options windowOptions(const QString &path)
    {
        MainWindow::Options o;
        o.store = path;
        o.startSource = false;
        o.persistSettings = false;
        return o;
    }

    static SimulatorSettingsDialog *openDialog(MainWindow &w)
    {
        auto *action = w.findChild<QAction *>(QStringLiteral("action.simSettings"));
        if (!action)
            return nullptr;
        action->trigger();
        auto *d = w.findChild<SimulatorSettingsDialog *>();
        return d && QTest::qWaitForWindowExposed(d) ? d : nullptr;
    }

    static void typeSeed(SimulatorSettingsDialog *d, const QString &seed)
    {
        auto *edit = d->findChild<QLineEdit *>(QStringLiteral("seed"));
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Backspace);
        QTest::keyClicks(edit, seed);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const auto r = TestUtil::runPerpscope({QStringLiteral("backfill"), QStringLiteral("--db"), db(), QStringLiteral("--days"), QStringLiteral("0.25"),
                                               QStringLiteral("--end"), QStringLiteral("2026-01-31T00:00:00Z")},
                                              240'000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(candles(db()).size(), 360);
    }

    void cancelKeepsTheStoredHistory()
    {
        const QVector<Candle> before = candles(db());
        MainWindow w(windowOptions(db()));
        w.show();
        SimulatorSettingsDialog *d = openDialog(w);
        QVERIFY(d && d->isVisible());
        const QString stored = d->findChild<QLabel *>(QStringLiteral("storedMarket"))->text();
        QVERIFY2(stored.contains(QStringLiteral("treadmill · seed 42")) && stored.contains(QLatin1String("360 minutes")), qPrintable(stored));
        typeSeed(d, QStringLiteral("77"));
        QCOMPARE(d->seed(), quint64(77));

        QTest::mouseClick(d->startButton(), Qt::LeftButton);
        QMessageBox *ask = d->confirmation();
        QVERIFY2(ask && ask->isVisible(), "starting another market did not ask first");
        QVERIFY2(ask->text().contains(QStringLiteral("treadmill · seed 77")), qPrintable(ask->text()));
        QVERIFY2(ask->informativeText().contains(QLatin1String("deletes the stored simulated history")), qPrintable(ask->informativeText()));
        QTest::mouseClick(ask->findChild<QAbstractButton *>(QStringLiteral("keep")), Qt::LeftButton);
        QTRY_VERIFY(!ask->isVisible());
        QVERIFY(d->isVisible()); // back in the dialog, nothing started
        QVERIFY(!w.sourceController()->isRunning());

        QSignalSpy closed(d, &QDialog::finished);
        QTest::mouseClick(d->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Cancel), Qt::LeftButton);
        QCOMPARE(closed.count(), 1);
        QVERIFY(!w.sourceController()->isRunning());
        w.dataThread()->sync();
        QVERIFY(candles(db()) == before);
        QVERIFY(record(db()).contains(QLatin1String("\"seed\":\"42\"")));
    }

    void confirmingReplacesAndSwitchingBackContinues()
    {
        const QVector<Candle> before = candles(db());
        MainWindow w(windowOptions(db()));
        w.show();
        // The GUI's simulator, kept short for the test: 2 h ending at a fixed time, no live part.
        SourceOptions o = w.sourceController()->options(QStringLiteral("sim"));
        o.days = 2.0 / 24;
        o.endMs = end;
        o.live = false;
        w.sourceController()->setOptions(o);

        SimulatorSettingsDialog *d = openDialog(w);
        QVERIFY(d);
        auto *preset = d->findChild<QComboBox *>(QStringLiteral("preset"));
        preset->setCurrentText(QStringLiteral("calm"));
        typeSeed(d, QStringLiteral("77"));
        QTest::mouseClick(d->startButton(), Qt::LeftButton);
        QVERIFY(d->confirmation() && d->confirmation()->isVisible());
        QSignalSpy finished(w.dataThread(), &DataThread::sourceFinished);
        QTest::mouseClick(d->confirmation()->findChild<QAbstractButton *>(QStringLiteral("replace")), Qt::LeftButton);
        QVERIFY(w.sourceController()->isRunning());
        QVERIFY2(w.sourceController()->displayName().contains(QStringLiteral("calm · seed 77")), qPrintable(w.sourceController()->displayName()));
        QVERIFY(finished.wait(240'000));
        w.dataThread()->sync();
        const QVector<Candle> replaced = candles(db());
        QCOMPARE(replaced.size(), 120);
        QCOMPARE(replaced.front().ts, end - 2 * 3600'000);
        QVERIFY(replaced.back().close != before.back().close);
        QVERIFY2(record(db()).contains(QLatin1String("\"seed\":\"77\"")) && record(db()).contains(QLatin1String("\"preset\":\"calm\"")),
                 qPrintable(record(db())));

        // Another source, then the simulator again: the new market is continued, not redone.
        QVERIFY(w.sourceController()->start(SourceController::none()));
        finished.clear();
        QVERIFY(w.sourceController()->start(QStringLiteral("sim")));
        QVERIFY2(w.sourceController()->displayName().contains(QStringLiteral("calm · seed 77")), qPrintable(w.sourceController()->displayName()));
        QVERIFY(finished.wait(240'000));
        w.dataThread()->sync();
        QVERIFY(candles(db()) == replaced);
    }

    void withoutStoredHistoryNothingIsAsked()
    {
        const QString empty = m_dir.filePath(QStringLiteral("empty.db"));
        MarketStore::open(empty);
        MainWindow w(windowOptions(empty));
        w.show();
        SourceOptions o = w.sourceController()->options(QStringLiteral("sim"));
        o.days = 1.0 / 24;
        o.endMs = end;
        o.live = false;
        w.sourceController()->setOptions(o);
        SimulatorSettingsDialog *d = openDialog(w);
        QVERIFY(d);
        QVERIFY(d->findChild<QLabel *>(QStringLiteral("storedMarket"))->text().contains(QLatin1String("No simulated history")));
        QSignalSpy requested(d, &SimulatorSettingsDialog::startRequested);
        QSignalSpy finished(w.dataThread(), &DataThread::sourceFinished);
        QTest::mouseClick(d->startButton(), Qt::LeftButton);
        QCOMPARE(requested.count(), 1);
        QVERIFY(!d->confirmation());
        QVERIFY(finished.wait(240'000));
        w.dataThread()->sync();
        QCOMPARE(candles(empty).size(), 60);
    }
};

QTEST_MAIN(TestSimulatorSettings)
#include "tst_simulatorsettings.moc"
