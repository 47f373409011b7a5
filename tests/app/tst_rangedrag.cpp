#include "comparemodel.h"
#include "comparepanel.h"
#include "dragutil.h"
#include "exportactions.h"
#include "importcontroller.h"
#include "mainwindow.h"
#include "marketwindowmodel.h"
#include "rangeanalysispanel.h"
#include "rangechip.h"
#include "rangemimedata.h"
#include "sources/syntheticsource.h"
#include "statuspanel.h"
#include "storage/marketstore.h"
#include "storage/rangecsvwriter.h"
#include "storage/storewriter.h"
#include "testutil.h"
#include "timesync.h"
#include "workpool.h"

#include <QDockWidget>
#include <QFileDialog>
#include <QLineEdit>
#include <QSemaphore>
#include <QSettings>
#include <QStatusBar>
#include <QTabBar>
#include <QThreadPool>
#include <QTimer>

// The range chip on its way: across the window (dock tabs come forward under it, so Compare
// can be reached in the default layout; nothing but a chart or Compare takes it, and it is
// never imported as a file), and out of the window (its CSV is written on a pool thread and
// only a target that asks for it waits). File → Export CSV writes on a pool thread too.
class TestRangeDrag : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;
    const Instrument m_i{QStringLiteral("SYNTH"), QStringLiteral("BTCUSDT")};
    static constexpr qint64 t0 = 1'767'225'600'000;
    std::unique_ptr<MainWindow> m_w;

    // Occupies every thread of the models' pool until released: whatever is queued there
    // meanwhile cannot run (the GUI thread and Qt's own pool carry on).
    struct PoolBlocker
    {
        QSemaphore gate;
        QSemaphore started;
        int threads = WorkPool::instance()->maxThreadCount();
        bool released = false;
        PoolBlocker()
        {
            for (int k = 0; k < threads; ++k)
                WorkPool::instance()->start([this] {
                    started.release();
                    gate.acquire();
                });
            started.acquire(threads);
        }
        void release()
        {
            if (!released)
                gate.release(threads);
            released = true;
        }
        ~PoolBlocker() { release(); }
    };

    QTabBar *tabBarWith(QDockWidget *dock, int *index) const
    {
        for (QTabBar *bar : m_w->findChildren<QTabBar *>())
            for (int k = 0; k < bar->count(); ++k)
                if (bar->tabData(k).value<quintptr>() == quintptr(dock)) {
                    *index = k;
                    return bar;
                }
        return nullptr;
    }

    QPoint centerOf(QWidget *w) const { return w->mapTo(m_w.get(), w->rect().center()); }

    static void answerSaveDialog(const QString &path, QString *openedIn)
    {
        QTimer::singleShot(50, [path, openedIn] {
            auto *dialog = qobject_cast<QFileDialog *>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            *openedIn = dialog->directory().absolutePath();
            // Typed into the name field, as a user would (selectFile() of a path in another
            // folder keeps the suggested name).
            auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("fileNameEdit"));
            QVERIFY(name);
            name->setText(path);
            QMetaObject::invokeMethod(dialog, "accept");
        });
    }

private slots:
    void initTestCase()
    {
        qputenv("PERPSCOPE_NO_DIALOGS", "1");
        qputenv("QT_FILE_DIALOG_WIDGETS", "1");
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
        QCoreApplication::setOrganizationName(QStringLiteral("PerpscopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_rangedrag"));
        m_db = m_dir.filePath(QStringLiteral("drag.db"));
        SyntheticSource::Params p;
        p.instrument = m_i;
        p.startMs = t0;
        p.minutes = 6 * 1440;
        p.seed = 8;
        SyntheticSource s(p);
        MarketStore::open(m_db).writer()->commit(s.generate(p.minutes));
    }

    void init()
    {
        QSettings().clear();
        MainWindow::Options o;
        o.store = m_db;
        o.startSource = false;
        o.persistSettings = false;
        o.instrument = m_i.key();
        m_w = std::make_unique<MainWindow>(o);
        m_w->resize(1400, 900);
        m_w->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_w.get()));
        QTRY_VERIFY(m_w->marketModel()->hasData());
        m_w->timeSync()->setSelection({t0 + 2 * 86'400'000LL, t0 + 2 * 86'400'000LL + 8 * 3600'000}, m_w.get());
        QTRY_VERIFY(m_w->analysisPanel()->chip()->payload().has_value());
        QApplication::processEvents();
    }

    void cleanup() { m_w.reset(); }

    void chipReachesCompareThroughItsTab()
    {
        QDockWidget *compareDock = m_w->dock(QStringLiteral("dock.compare"));
        QDockWidget *analysisDock = m_w->dock(QStringLiteral("dock.analysis"));
        // The default layout: Range analysis in front, Compare a tab behind it.
        QVERIFY(m_w->tabifiedDockWidgets(analysisDock).contains(compareDock));
        QVERIFY(m_w->comparePanel()->visibleRegion().isEmpty());
        int tab = -1;
        QTabBar *bar = tabBarWith(compareDock, &tab);
        QVERIFY(bar);
        QVERIFY(bar->currentIndex() != tab);

        std::unique_ptr<QMimeData> mime(m_w->analysisPanel()->chip()->mimeData());
        DragDriver drag(m_w.get(), mime.get());
        QVERIFY(!drag.moveTo(centerOf(m_w->analysisPanel()))); // its own panel does not take it
        QVERIFY(drag.moveTo(bar->mapTo(m_w.get(), bar->tabRect(tab).center()))); // the Compare tab takes it
        QCOMPARE(bar->currentIndex(), tab); // ... and came forward
        QTRY_VERIFY(!m_w->comparePanel()->visibleRegion().isEmpty());
        QVERIFY(drag.dropAt(centerOf(m_w->comparePanel())));
        QCOMPARE(m_w->comparePanel()->columnCount(), 1);

        // Dropped on the Compare tab itself: a column too.
        int analysisTab = -1;
        tabBarWith(analysisDock, &analysisTab);
        bar->setCurrentIndex(analysisTab);
        DragDriver again(m_w.get(), mime.get());
        QVERIFY(again.dropAt(bar->mapTo(m_w.get(), bar->tabRect(tab).center())));
        QCOMPARE(m_w->comparePanel()->columnCount(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(m_w->comparePanel()->model()->column(1).state, CompareModel::Column::State::Done, 10000);
        QCOMPARE(m_w->comparePanel()->model()->column(1).payload.range, m_w->timeSync()->selection());
    }

    void chipIsNeverImported()
    {
        std::unique_ptr<QMimeData> mime(m_w->analysisPanel()->chip()->mimeData());
        QVERIFY(mime->hasUrls()); // it does carry a CSV file, for file managers
        QVERIFY(ImportController::localFiles(mime.get()).isEmpty());
        QSignalSpy finished(m_w->importController(), &ImportController::finished);
        // Released over the analysis panel, the status bar, the toolbar: nothing happens.
        for (QWidget *over : {static_cast<QWidget *>(m_w->analysisPanel()), static_cast<QWidget *>(m_w->statusBar())}) {
            DragDriver drag(m_w.get(), mime.get());
            QVERIFY(!drag.dropAt(centerOf(over)));
        }
        QTest::qWait(300);
        QVERIFY(!m_w->importController()->isBusy());
        QCOMPARE(finished.size(), 0);
        QVERIFY2(!m_w->statusPanel()->message().contains(QLatin1String("mport")), qPrintable(m_w->statusPanel()->message()));
        // And if the file does reach the importer (dropped back from a file manager), it says
        // what it is instead of "unrecognised".
        const QString file = mime->urls().first().toLocalFile();
        m_w->openFiles({file});
        QVERIFY(finished.wait(20000));
        QVERIFY(!finished.first().at(1).toBool());
        QVERIFY2(finished.first().at(0).toString().contains(QLatin1String("range export")), qPrintable(finished.first().at(0).toString()));
    }

    void dragStartDoesNotWaitForTheCsv()
    {
        RangeChip *chip = m_w->analysisPanel()->chip();
        std::unique_ptr<QMimeData> mime;
        {
            PoolBlocker pool; // no pool thread can write the CSV now
            mime.reset(chip->mimeData());
            QVERIFY(mime);
            auto *lazy = qobject_cast<RangeMimeData *>(mime.get());
            QVERIFY(lazy);
            QVERIFY(!lazy->isCsvReady());
            // What the drag needs at once is there.
            QVERIFY(RangeMime::decode(mime.get()).has_value());
            QVERIFY(mime->hasFormat(QStringLiteral("text/csv")));
            QVERIFY(mime->hasUrls());
            QVERIFY(mime->text().contains(m_i.key()));
        }
        // A target that asks for the CSV gets all of it.
        const QByteArray csv = mime->data(QStringLiteral("text/csv"));
        QVERIFY(csv.startsWith(RangeCsvWriter::header()));
        QCOMPARE(csv.count('\n'), 8 * 60 + 1);
        QFile file(mime->urls().first().toLocalFile());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), csv);
    }

    void exportCsvWritesInTheBackgroundAndRemembersTheFolder()
    {
        QDir(m_dir.path()).mkpath(QStringLiteral("exports"));
        const QString path = m_dir.filePath(QStringLiteral("exports/selection.csv"));
        QString openedIn;
        {
            PoolBlocker pool;
            answerSaveDialog(path, &openedIn);
            m_w->exportActions()->exportCsv(true); // returns with the file not yet written
            QVERIFY(m_w->exportActions()->isWritingCsv());
            QVERIFY(!QFile::exists(path));
            QVERIFY2(m_w->statusPanel()->message().contains(QLatin1String("selection.csv")), qPrintable(m_w->statusPanel()->message()));
        }
        QTRY_VERIFY(!m_w->exportActions()->isWritingCsv());
        QTRY_VERIFY2(m_w->statusPanel()->message().startsWith(QLatin1String("Saved 480 rows")), qPrintable(m_w->statusPanel()->message()));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll().count('\n'), 481);
        // The next export dialog opens where the last one saved.
        answerSaveDialog(m_dir.filePath(QStringLiteral("exports/view.csv")), &openedIn);
        m_w->exportActions()->exportCsv(false);
        QCOMPARE(QDir(openedIn).canonicalPath(), QDir(m_dir.filePath(QStringLiteral("exports"))).canonicalPath());
        QTRY_VERIFY2(QFile::exists(m_dir.filePath(QStringLiteral("exports/view.csv"))), qPrintable(m_w->statusPanel()->message()));
        QVERIFY(ExportActions::suggestedPath(QStringLiteral("csv"), QStringLiteral("x.csv")).startsWith(QDir(m_dir.filePath(QStringLiteral("exports"))).absolutePath()));
    }
};

QTEST_MAIN(TestRangeDrag)
#include "tst_rangedrag.moc"
