#include "importcontroller.h"
#include "mainwindow.h"
#include "marketwindowmodel.h"
#include "storage/marketstore.h"
#include "statuspanel.h"
#include "storage/storereader.h"
#include "testutil.h"

#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QUrl>

// Files dropped on the main window are imported with the same importer as
// `perpscope import`, in the background, and the result is reported.
class TestFileImportDrop : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static void dropFiles(QWidget *target, const QStringList &files)
    {
        QMimeData mime;
        QList<QUrl> urls;
        for (const QString &f : files)
            urls << QUrl::fromLocalFile(f);
        mime.setUrls(urls);
        const QPoint pos = target->rect().center();
        QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(target, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(target, &drop);
        QVERIFY(drop.isAccepted());
    }

private slots:
    void initTestCase()
    {
        qputenv("PERPSCOPE_NO_DIALOGS", "1");
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
    }

    void droppedKlineFileIsImported()
    {
        const QString db = m_dir.filePath(QStringLiteral("drop.db"));
        MarketStore::open(db);
        MainWindow::Options o;
        o.store = db;
        o.startSource = false;
        o.persistSettings = false;
        MainWindow w(o);
        w.resize(1200, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto *import = w.findChild<ImportController *>();
        QVERIFY(import);
        QSignalSpy finished(import, &ImportController::finished);

        dropFiles(&w, {TestUtil::dataFile(QStringLiteral("binance/LINKUSDT-1m-2023-02-01.csv"))});
        QVERIFY(finished.wait(20000));
        QVERIFY(finished.first().at(1).toBool());
        QVERIFY2(finished.first().at(0).toString().contains(QLatin1String("LINKUSDT")), qPrintable(finished.first().at(0).toString()));
        const Instrument link{QStringLiteral("BINANCE"), QStringLiteral("LINKUSDT")};
        QCOMPARE(MarketStore::openExisting(db).reader()->count(link, DataKind::Candles), 1440);
        // The window shows what arrived: the first data picks the instrument.
        QTRY_COMPARE(w.marketModel()->instrument(), link);
        QTRY_VERIFY(w.marketModel()->hasData());

        // The same file again: nothing new, and the window and status bar say so.
        finished.clear();
        dropFiles(&w, {TestUtil::dataFile(QStringLiteral("binance/LINKUSDT-1m-2023-02-01.csv"))});
        QVERIFY(finished.wait(20000));
        QVERIFY(finished.first().at(1).toBool());
        const QString again = finished.first().at(0).toString();
        QVERIFY2(again.startsWith(QLatin1String("Nothing new: 1440 1m candles from 1 file already stored")), qPrintable(again));
        QTRY_VERIFY2(w.statusPanel()->message().startsWith(QLatin1String("Nothing new")), qPrintable(w.statusPanel()->message()));
        QCOMPARE(MarketStore::openExisting(db).reader()->count(link, DataKind::Candles), 1440);

        // A file that is not market data gets one clear message and changes nothing.
        const QString junk = m_dir.filePath(QStringLiteral("holiday.jpg"));
        QFile f(junk);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, '\x7f'));
        f.close();
        finished.clear();
        dropFiles(&w, {junk});
        QVERIFY(finished.wait(20000));
        QVERIFY(!finished.first().at(1).toBool());
        QVERIFY2(finished.first().at(0).toString().contains(QLatin1String("holiday.jpg")), qPrintable(finished.first().at(0).toString()));
        QCOMPARE(MarketStore::openExisting(db).reader()->count(link, DataKind::Candles), 1440);
    }
};

QTEST_MAIN(TestFileImportDrop)
#include "tst_fileimportdrop.moc"
