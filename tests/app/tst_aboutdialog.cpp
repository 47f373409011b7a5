#include "aboutdialog.h"
#include "mainwindow.h"
#include "storage/marketstore.h"
#include "testutil.h"

#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QTimer>

// Help → About Perpscope and About Qt, reached through the real menu of the main window.
class TestAboutDialog : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    QString m_aboutQtTitle;

    QAction *helpAction(const QString &text) const
    {
        for (QAction *menu : m_window->menuBar()->actions())
            if (menu->text() == QLatin1String("&Help"))
                for (QAction *a : menu->menu()->actions())
                    if (a->text() == text)
                        return a;
        return nullptr;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
        QCoreApplication::setOrganizationName(QStringLiteral("PerpscopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_aboutdialog"));
        const QString db = m_dir.filePath(QStringLiteral("about.db"));
        MarketStore::open(db);
        MainWindow::Options o;
        o.store = db;
        o.startSource = false;
        m_window = std::make_unique<MainWindow>(o);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanupTestCase() { m_window.reset(); }

    void textNamesVersionLicenceSourcesAndAcknowledgment()
    {
        const QString t = AboutDialog::text();
        for (const char *needle : {"Perpscope " PERPSCOPE_VERSION, "GPL-3.0-or-later", "ABSOLUTELY NO WARRANTY", "SIMULATED",
                                   "describe no real market", "Binance", "data.binance.vision",
                                   "This product includes software developed by Bryant Moscon", "http://www.bryantmoscon.com/",
                                   "Not financial advice", QT_VERSION_STR})
            QVERIFY2(t.contains(QString::fromUtf8(needle)), needle);
    }

    void helpMenuOpensOneAboutDialog()
    {
        QAction *about = helpAction(QStringLiteral("&About Perpscope"));
        QVERIFY(about);
        about->trigger();
        auto *dialog = m_window->findChild<AboutDialog *>();
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QCOMPARE(dialog->windowTitle(), QStringLiteral("About Perpscope"));
        auto *label = dialog->findChild<QLabel *>(QStringLiteral("aboutText"));
        QVERIFY(label);
        QCOMPARE(label->text(), AboutDialog::text());
        // The icon is the SVG from the resources: it needs the SVG icon engine to draw.
        bool iconDrawn = false;
        for (QLabel *l : dialog->findChildren<QLabel *>())
            if (!l->pixmap().isNull() && l->pixmap().toImage().pixelColor(48, 48).alpha() > 0)
                iconDrawn = true;
        QVERIFY(iconDrawn);

        about->trigger(); // again: the same dialog comes to the front
        QCOMPARE(m_window->findChildren<AboutDialog *>().size(), 1);
        dialog->close();
    }

    void helpMenuOpensAboutQt()
    {
        QAction *aboutQt = helpAction(QStringLiteral("About &Qt"));
        QVERIFY(aboutQt);
        // About Qt is modal: look at it from inside its event loop, then close it.
        QTimer::singleShot(0, this, [this] {
            QTRY_VERIFY(QApplication::activeModalWidget());
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            if (!box)
                return;
            m_aboutQtTitle = box->windowTitle();
            box->accept();
        });
        aboutQt->trigger();
        QVERIFY2(m_aboutQtTitle.contains(QLatin1String("Qt")), qPrintable(m_aboutQtTitle));
    }
};

QTEST_MAIN(TestAboutDialog)
#include "tst_aboutdialog.moc"
