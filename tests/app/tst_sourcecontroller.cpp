#include "mainwindow.h"
#include "marketwindowmodel.h"
#include "sourcecontroller.h"
#include "sources/datathread.h"
#include "statuspanel.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "testutil.h"

#include <QComboBox>
#include <QSettings>

// SourceController: the GUI's source start-up and switching, on a real data thread and a
// real database, and the main window's source picker driving it.
class TestSourceController : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static SourceOptions syntheticDay(SourceController &c)
    {
        SourceOptions o = c.options(QStringLiteral("synthetic"));
        o.days = 1;
        o.seed = 11;
        return o;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
        QCoreApplication::setOrganizationName(QStringLiteral("PerpscopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_sourcecontroller"));
    }

    void choicesListEverySourceAndNone()
    {
        QStringList names;
        for (const SourceController::Choice &c : SourceController::choices()) {
            names << c.name;
            QVERIFY2(!c.label.isEmpty() && !c.label.contains(QChar(0x24c8)), qPrintable(c.label)); // no glyph the fonts lack
        }
        QCOMPARE(names.last(), SourceController::none());
        for (const char *n : {"sim", "synthetic", "binance"})
            QVERIFY2(names.contains(QLatin1String(n)), n);
    }

    void guiDefaultsAndOverrides()
    {
        SourceController c(m_dir.filePath(QStringLiteral("defaults.db")));
        const SourceOptions sim = c.options(QStringLiteral("sim"));
        QCOMPARE(sim.source, QStringLiteral("sim"));
        QVERIFY(sim.live);
        QCOMPARE(sim.days, 30.0);
        c.setInstrumentHint(QStringLiteral("ETHUSDT"));
        QCOMPARE(c.options(QStringLiteral("binance")).instrument, (Instrument{QStringLiteral("BINANCE"), QStringLiteral("ETHUSDT")}));
        SourceOptions tuned = sim;
        tuned.preset = QStringLiteral("crash");
        tuned.seed = 9;
        c.setOptions(tuned);
        QCOMPARE(c.options(QStringLiteral("sim")).preset, QStringLiteral("crash"));
        QCOMPARE(c.options(QStringLiteral("sim")).seed, quint64(9));
        QCOMPARE(c.options(QStringLiteral("synthetic")).preset, QString()); // per source
    }

    void startsSwitchesAndStops()
    {
        const QString db = m_dir.filePath(QStringLiteral("switch.db"));
        MarketStore::open(db);
        SourceController c(db);
        QSignalSpy changed(&c, &SourceController::changed);
        QSignalSpy appended(c.dataThread(), &DataThread::appended);
        c.setOptions(syntheticDay(c));
        QVERIFY(c.start(QStringLiteral("synthetic")));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(c.name(), QStringLiteral("synthetic"));
        QVERIFY(c.isRunning());
        QVERIFY(!c.displayName().isEmpty());
        QCOMPARE(c.instruments().size(), 1);
        QVERIFY(appended.wait(10000));
        const Instrument synth = c.instruments().front();
        QTRY_COMPARE_WITH_TIMEOUT(MarketStore::openExisting(db).reader()->count(synth, DataKind::Candles), qint64(1440), 10000);

        QVERIFY(c.start(SourceController::none()));
        QCOMPARE(changed.size(), 2);
        QCOMPARE(c.name(), SourceController::none());
        QVERIFY(!c.isRunning());
        QVERIFY(c.instruments().isEmpty());
        QVERIFY(c.displayName().contains(QLatin1String("browsing")));

        // An unknown name falls back to a real source rather than doing nothing.
        c.setOptions(syntheticDay(c));
        QVERIFY(c.start(QStringLiteral("no-such-source")));
        QVERIFY(c.isRunning());
        QVERIFY(c.restart());
        c.stop();
        QCOMPARE(c.name(), SourceController::none());
    }

    void badOptionsSayWhyAndKeepTheRunningSource()
    {
        const QString db = m_dir.filePath(QStringLiteral("bad.db"));
        MarketStore::open(db);
        SourceController c(db);
        c.setOptions(syntheticDay(c));
        QVERIFY(c.start(QStringLiteral("synthetic")));
        QSignalSpy failed(&c, &SourceController::startFailed);
        QSignalSpy changed(&c, &SourceController::changed);
        SourceOptions bad = c.options(QStringLiteral("sim"));
        bad.days = 0;
        QVERIFY(!c.start(bad));
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed.first().first().toString().contains(QLatin1String("days")), qPrintable(failed.first().first().toString()));
        QCOMPARE(changed.size(), 0);
        QCOMPARE(c.name(), QStringLiteral("synthetic"));
    }

    void windowPickerSwitchesTheSource()
    {
        const QString db = m_dir.filePath(QStringLiteral("window.db"));
        MarketStore::open(db);
        MainWindow::Options o;
        o.store = db;
        o.startSource = false;
        o.persistSettings = false;
        MainWindow w(o);
        w.resize(1200, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        SourceController *c = w.sourceController();
        c->setOptions(syntheticDay(*c));
        auto *box = w.findChild<QComboBox *>(QStringLiteral("sourceBox"));
        QVERIFY(box);
        // The user picks "Synthetic" in the toolbar.
        box->setFocus();
        const int synthetic = box->findData(QStringLiteral("synthetic"));
        QVERIFY(synthetic >= 0);
        QSignalSpy changed(c, &SourceController::changed);
        box->setCurrentIndex(synthetic);
        emit box->activated(synthetic);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(c->name(), QStringLiteral("synthetic"));
        QTRY_COMPARE_WITH_TIMEOUT(w.marketModel()->instrument(), c->instruments().front(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(w.marketModel()->hasData(), 10000);
        QCOMPARE(w.sourceDisplayName(), c->displayName());
        const int none = box->findData(SourceController::none());
        box->setCurrentIndex(none);
        emit box->activated(none);
        QCOMPARE(c->name(), SourceController::none());
        QVERIFY(w.sourceDisplayName().contains(QLatin1String("browsing")));
    }
};

QTEST_MAIN(TestSourceController)
#include "tst_sourcecontroller.moc"
