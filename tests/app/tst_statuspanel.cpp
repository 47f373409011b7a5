#include "mainwindow.h"
#include "marketwindowmodel.h"
#include "sourcecontroller.h"
#include "sources/datathread.h"
#include "sources/syntheticsource.h"
#include "statuspanel.h"
#include "storage/marketstore.h"
#include "storage/storewriter.h"
#include "testutil.h"

#include <QClipboard>
#include <QLabel>
#include <QMainWindow>
#include <QProgressBar>
#include <QSettings>
#include <QStatusBar>

// Issue 14 item 7, the status bar: the progress text overflowed its bar, the bar repeated
// itself during a backfill ("…seed 42 simulating Simulator · treadmill · seed 42"), and the
// copy-to-clipboard message was clipped behind the SIMULATED badge. Checked on the real
// status bar of the real window, with what is painted where.
class TestStatusPanel : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_simDb;
    static constexpr qint64 t0 = 1'767'225'600'000;

    template<typename T>
    static T *part(QStatusBar *bar, const char *name)
    {
        return bar->findChild<T *>(QLatin1String(name));
    }

    // Columns of `area` (in the bar's coordinates) where something other than the bar's
    // background is painted: where text really is.
    static QPair<int, int> inkColumns(const QImage &img, QRect area)
    {
        const QColor bg = img.pixelColor(area.left(), area.top());
        int first = -1, last = -1;
        for (int x = std::max(0, area.left()); x <= std::min(img.width() - 1, area.right()); ++x)
            for (int y = std::max(0, area.top()); y <= std::min(img.height() - 1, area.bottom()); ++y) {
                const QColor c = img.pixelColor(x, y);
                if (std::abs(c.red() - bg.red()) + std::abs(c.green() - bg.green()) + std::abs(c.blue() - bg.blue()) > 60) {
                    if (first < 0)
                        first = x;
                    last = x;
                    break;
                }
            }
        return {first, last};
    }

    static std::unique_ptr<MainWindow> window(const QString &db)
    {
        MainWindow::Options o;
        o.store = db;
        o.startSource = false;
        o.persistSettings = false;
        auto w = std::make_unique<MainWindow>(o);
        w->resize(1600, 1000);
        w->show();
        if (!QTest::qWaitForWindowExposed(w.get()))
            return nullptr;
        return w;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
        m_simDb = m_dir.filePath(QStringLiteral("sim.db"));
        SyntheticSource::Params p;
        p.instrument = {QStringLiteral("SIM"), QStringLiteral("BTCUSDT")}; // shown as simulated
        p.startMs = t0;
        p.minutes = 2 * 1440;
        p.seed = 5;
        SyntheticSource source(p);
        MarketStore::open(m_simDb).writer()->commit(source.generate(p.minutes));
    }

    void progressTextStaysOutOfItsBar_data()
    {
        QTest::addColumn<int>("width");
        QTest::newRow("wide window") << 1600;
        QTest::newRow("narrow window") << 720;
    }

    void progressTextStaysOutOfItsBar()
    {
        QFETCH(int, width);
        QMainWindow w;
        StatusPanel panel(w.statusBar());
        w.resize(width, 300);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        panel.setSource(QStringLiteral("Simulator · treadmill · seed 42"));
        panel.setState(QStringLiteral("simulating the history"));
        const QString what = QStringLiteral("warming up the simulated market, then thirty days of simulated minutes");
        panel.showProgress(371, 1000, what);
        QVERIFY(panel.isProgressShown());
        QApplication::processEvents();

        QStatusBar *bar = w.statusBar();
        auto *progress = part<QProgressBar>(bar, "progressBar");
        QVERIFY(progress && progress->isVisible());
        // The bar holds the percentage only, and it fits with room to spare.
        QCOMPARE(progress->text(), QStringLiteral("37%"));
        QVERIFY(progress->fontMetrics().horizontalAdvance(progress->text()) < progress->width() / 2);
        // What is running stands beside the bar, shortened to its room, never under the bar.
        QLabel *whatLabel = nullptr;
        for (QLabel *l : progress->parentWidget()->findChildren<QLabel *>())
            if (l->toolTip() == what)
                whatLabel = l;
        QVERIFY(whatLabel);
        QVERIFY(whatLabel->isVisible());
        const QRect labelRect(whatLabel->mapTo(bar, QPoint()), whatLabel->size());
        const QRect barRect(progress->mapTo(bar, QPoint()), progress->size());
        QVERIFY2(labelRect.right() < barRect.left(), qPrintable(QStringLiteral("label %1..%2, bar from %3").arg(labelRect.left()).arg(labelRect.right()).arg(barRect.left())));
        QVERIFY(whatLabel->fontMetrics().horizontalAdvance(whatLabel->text()) <= whatLabel->contentsRect().width());
        if (whatLabel->text() != what)
            QVERIFY(whatLabel->text().endsWith(QChar(0x2026)));
        QCOMPARE(panel.progressText(), what + QStringLiteral(" 37%"));

        // Painted: the label's ink ends before the bar begins, and the bar's own text sits
        // inside the bar.
        const QImage img = bar->grab().toImage();
        const auto ink = inkColumns(img, labelRect);
        QVERIFY(ink.first >= 0);
        QVERIFY2(ink.second < barRect.left(), qPrintable(QStringLiteral("text ink up to %1, bar from %2").arg(ink.second).arg(barRect.left())));
        // Nothing of the status bar's texts runs past the window's right edge.
        for (QLabel *l : bar->findChildren<QLabel *>())
            if (l->isVisible())
                QVERIFY2(l->mapTo(bar, QPoint(l->width(), 0)).x() <= bar->width(), qPrintable(l->text()));

        panel.showProgress(1000, 1000, what);
        QVERIFY(!panel.isProgressShown());
    }

    void backfillSaysEachThingOnce()
    {
        const QString db = m_dir.filePath(QStringLiteral("backfill.db"));
        MarketStore::open(db);
        auto w = window(db);
        QVERIFY(w);
        SourceController *sources = w->sourceController();
        SourceOptions o = sources->options(QStringLiteral("sim"));
        o.days = 3;
        o.seed = 42;
        o.preset = QStringLiteral("treadmill");
        o.live = false;
        sources->setOptions(o);
        QStringList progressTexts;
        connect(w->dataThread(), &DataThread::progress, this, [&](qint64, qint64, const QString &what) { progressTexts << what; });
        QVERIFY(sources->start(QStringLiteral("sim")));
        StatusPanel *panel = w->statusPanel();
        QTRY_VERIFY_WITH_TIMEOUT(panel->isProgressShown(), 30000);

        // What the status bar says while the history is simulated, as a person reads it.
        QStringList shown;
        for (QLabel *l : w->statusBar()->findChildren<QLabel *>())
            if (l->isVisible() && !l->text().trimmed().isEmpty())
                shown << l->text().trimmed();
        const QString line = shown.join(QLatin1Char(' '));
        const QString name = sources->displayName();
        QVERIFY(!name.isEmpty());
        QVERIFY2(line.count(name) == 1, qPrintable(line));
        QVERIFY2(!panel->state().contains(name), qPrintable(panel->state()));
        for (const QString &what : std::as_const(progressTexts))
            QVERIFY2(!what.contains(name) && !name.contains(what), qPrintable(what));
        // No word of the source's name comes back in the state or the progress.
        for (const QString &word : name.split(QLatin1Char(' '), Qt::SkipEmptyParts))
            if (word.size() > 3)
                QVERIFY2(!(panel->state() + QLatin1Char(' ') + panel->progressText()).contains(word, Qt::CaseInsensitive),
                         qPrintable(QStringLiteral("'%1' again in '%2' / '%3'").arg(word, panel->state(), panel->progressText())));
        sources->stop();
    }

    void copyMessageIsBesideTheBadge()
    {
        auto w = window(m_simDb);
        QVERIFY(w);
        QTRY_VERIFY_WITH_TIMEOUT(w->marketModel()->hasData(), 10000);
        StatusPanel *panel = w->statusPanel();
        QTRY_VERIFY(panel->isSimulatedShown());
        QApplication::clipboard()->clear();

        // The user's way: Ctrl+Shift+C on the window.
        QTest::keyClick(w.get(), Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_VERIFY_WITH_TIMEOUT(!QApplication::clipboard()->image().isNull(), 10000);
        const QString expected = QStringLiteral("Workspace copied to the clipboard");
        QCOMPARE(panel->message(), expected);
        QApplication::processEvents();

        QStatusBar *bar = w->statusBar();
        auto *badge = part<QLabel>(bar, "simBadge");
        auto *message = part<QLabel>(bar, "messageLabel");
        QVERIFY(badge && badge->isVisible());
        QVERIFY(message && message->isVisible());
        const QRect badgeRect(badge->mapTo(bar, QPoint()), badge->size());
        const QRect messageRect(message->mapTo(bar, QPoint()), message->size());
        QVERIFY(!badgeRect.intersects(messageRect));
        QCOMPARE(message->text(), expected); // whole, not shortened
        // Painted: the message's ink starts right of the badge and is as wide as the text.
        const QImage img = bar->grab().toImage();
        const auto ink = inkColumns(img, messageRect);
        QVERIFY(ink.first > badgeRect.right());
        const int textWidth = message->fontMetrics().horizontalAdvance(expected);
        QVERIFY2(ink.second - ink.first >= textWidth * 9 / 10,
                 qPrintable(QStringLiteral("ink %1..%2 for a text %3 px wide").arg(ink.first).arg(ink.second).arg(textWidth)));
        QVERIFY(ink.second <= messageRect.right());
    }
};

QTEST_MAIN(TestStatusPanel)
#include "tst_statuspanel.moc"
