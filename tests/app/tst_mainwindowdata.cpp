#include "chartpane.h"
#include "heatmaplayer.h"
#include "heatmapmodel.h"
#include "importcontroller.h"
#include "liquidationspane.h"
#include "mainwindow.h"
#include "marketwindowmodel.h"
#include "rangeanalysispanel.h"
#include "sources/syntheticsource.h"
#include "statuspanel.h"
#include "storage/marketstore.h"
#include "storage/storewriter.h"
#include "testutil.h"
#include "timesync.h"

#include <QAction>
#include <QComboBox>
#include <QFileDialog>
#include <QLineEdit>
#include <QSettings>
#include <QTimer>
#include <qcustomplot.h>

// The window and the database it opens: an instrument the database does not hold falls
// back to one it does, a steep history never asks the heatmap for a price grid through
// zero, an import shows what it brought (File → Import… as well as drops), and empty panes
// say so instead of drawing invented axes.
class TestMainWindowData : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    const Instrument m_i{QStringLiteral("SYNTH"), QStringLiteral("BTCUSDT")};
    static constexpr qint64 t0 = 1'767'225'600'000; // 2026-01-01

    QString makeDb(const QString &name, qint64 days, double decay = 0)
    {
        const QString db = m_dir.filePath(name);
        SyntheticSource::Params p;
        p.instrument = m_i;
        p.startMs = t0;
        p.minutes = days * 1440;
        p.seed = 13;
        SyntheticSource source(p);
        MarketBatch b = source.generate(p.minutes);
        if (decay > 0) {
            // A market that loses most of its price: the padded axis would reach below zero.
            const auto f = [&](qint64 ts) { return std::exp(-decay * double(ts - t0) / (days * 86'400'000.0)); };
            for (Candle &c : b.candles) {
                const double k = f(c.ts);
                c.open *= k, c.high *= k, c.low *= k, c.close *= k;
            }
            for (Liquidation &l : b.liquidations)
                l.price *= f(l.ts);
        }
        MarketStore::open(db).writer()->commit(b);
        return db;
    }

    std::unique_ptr<MainWindow> open(const QString &db, const QString &source = QStringLiteral("none"), bool persist = true)
    {
        MainWindow::Options o;
        o.store = db;
        o.source = source;
        o.startSource = true;
        o.persistSettings = persist;
        auto w = std::make_unique<MainWindow>(o);
        w->resize(1400, 900);
        w->show();
        if (!QTest::qWaitForWindowExposed(w.get()))
            return nullptr;
        return w;
    }

    // Ink in the strip right of the plot, where value tick labels are drawn.
    static int axisLabelInk(ChartPane *p)
    {
        const QImage img = p->plot()->grab().toImage();
        const QRect r = p->plot()->axisRect()->rect();
        const QColor bg = p->theme().background;
        int ink = 0;
        for (int y = r.top() + 4; y < r.bottom() - 4; ++y)
            for (int x = r.right() + 8; x < img.width() - 2; ++x) {
                const QColor c = img.pixelColor(x, y);
                if (std::abs(c.red() - bg.red()) + std::abs(c.green() - bg.green()) + std::abs(c.blue() - bg.blue()) > 90)
                    ++ink;
            }
        return ink;
    }

private slots:
    void initTestCase()
    {
        qputenv("PERPSCOPE_NO_DIALOGS", "1");
        QVERIFY(m_dir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
        QCoreApplication::setOrganizationName(QStringLiteral("PerpscopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindowdata"));
    }

    void init() { QSettings().clear(); }

    void savedInstrumentNotInTheDatabaseFallsBack()
    {
        const QString db = makeDb(QStringLiteral("fallback.db"), 5);
        {
            // Settings written against another database.
            QSettings s;
            s.setValue(QStringLiteral("view/instrument"), QStringLiteral("BINANCE:ETHUSDT"));
            s.setValue(QStringLiteral("view/from"), 1'600'000'000'000LL);
            s.setValue(QStringLiteral("view/to"), 1'600'086'400'000LL);
            s.setValue(QStringLiteral("view/follow"), false);
        }
        auto w = open(db);
        QVERIFY(w);
        QSignalSpy heatmapFailed(w->heatmapModel(), &HeatmapModel::failed);
        QTRY_COMPARE_WITH_TIMEOUT(w->marketModel()->instrument(), m_i, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(w->marketModel()->hasData(), 10000);
        QVERIFY(w->timeSync()->visibleRange().intersects(w->timeSync()->dataExtent()));
        QVERIFY2(w->statusPanel()->message().contains(QLatin1String("ETHUSDT")), qPrintable(w->statusPanel()->message()));
        auto *box = w->findChild<QComboBox *>(QStringLiteral("instrumentBox"));
        QCOMPARE(box->currentData().toString(), m_i.key());
        QCOMPARE(box->count(), 1); // the missing instrument is not offered
        for (ChartPane *p : w->panes())
            if (p != w->pane(QStringLiteral("dock.fundingcompare")))
                QTRY_VERIFY2(!p->isShowingEmptyNote(), qPrintable(p->title()));
        // One venue of ETH in the store: Funding by venue has nothing to compare and says so.
        QVERIFY(w->pane(QStringLiteral("dock.fundingcompare"))->isShowingEmptyNote());
        QTest::qWait(400);
        QCOMPARE(heatmapFailed.size(), 0);
    }

    void steepHistoryAtOneDayAsksNoGridThroughZero()
    {
        const QString db = makeDb(QStringLiteral("steep.db"), 40, 4.0); // price / 55 over the history
        auto w = open(db, QStringLiteral("none"), false);
        QVERIFY(w);
        QSignalSpy heatmapFailed(w->heatmapModel(), &HeatmapModel::failed);
        QTRY_VERIFY_WITH_TIMEOUT(w->marketModel()->hasData(), 10000);
        auto *tf = w->findChild<QComboBox *>(QStringLiteral("timeframeBox"));
        tf->setCurrentIndex(tf->findData(1440));
        emit tf->activated(tf->currentIndex());
        w->timeSync()->showAll(w.get());
        QTRY_COMPARE_WITH_TIMEOUT(w->marketModel()->window().timeframe, Timeframe::D1, 10000);
        auto *liq = qobject_cast<LiquidationsPane *>(w->pane(QStringLiteral("dock.liquidations")));
        QTRY_VERIFY(liq->valueAxis()->range().upper > 0);
        QVERIFY2(liq->valueAxis()->range().lower >= 0, qPrintable(QString::number(liq->valueAxis()->range().lower)));
        QVERIFY(w->pane(QStringLiteral("dock.price"))->valueAxis()->range().lower >= 0);
        // The heatmap for this view arrives, and nothing failed on the way.
        QTRY_VERIFY_WITH_TIMEOUT(liq->heatmap()->hasData(), 20000);
        QVERIFY(liq->heatmap()->grid()->priceLow > 0);
        QCOMPARE(heatmapFailed.size(), 0);
        QVERIFY2(!w->statusPanel()->message().contains(QLatin1String("heatmap")), qPrintable(w->statusPanel()->message()));
    }

    void importShowsTheImportedInstrumentAndSpan()
    {
        const QString db = makeDb(QStringLiteral("import.db"), 5);
        auto w = open(db);
        QVERIFY(w);
        QTRY_VERIFY_WITH_TIMEOUT(w->marketModel()->hasData(), 10000);
        QCOMPARE(w->marketModel()->instrument(), m_i);
        QSignalSpy finished(w->importController(), &ImportController::finished);
        // File → Import…, as a user finds it (Ctrl+O), answering the dialog.
        QAction *import = w->findChild<QAction *>(QStringLiteral("action.import"));
        QVERIFY(import);
        QCOMPARE(import->shortcut(), QKeySequence(QKeySequence::Open));
        const QString file = TestUtil::dataFile(QStringLiteral("binance/LINKUSDT-1m-2023-02-01.csv"));
        QTimer::singleShot(50, [file] {
            auto *dialog = qobject_cast<QFileDialog *>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            dialog->findChild<QLineEdit *>(QStringLiteral("fileNameEdit"))->setText(file);
            QMetaObject::invokeMethod(dialog, "accept");
        });
        import->trigger();
        QVERIFY(finished.wait(20000));
        QVERIFY(finished.first().at(1).toBool());
        const Instrument link{QStringLiteral("BINANCE"), QStringLiteral("LINKUSDT")};
        QTRY_COMPARE(w->marketModel()->instrument(), link);
        const TimeRange day{1'675'209'600'000, 1'675'296'000'000}; // 2023-02-01
        QTRY_VERIFY_WITH_TIMEOUT(w->marketModel()->hasData() && w->marketModel()->window().instrument == link, 10000);
        const TimeRange view = w->timeSync()->visibleRange();
        QVERIFY2(view.contains(day.from) && view.contains(day.to - 60'000) && view.span() < 2 * day.span(),
                 qPrintable(QStringLiteral("%1 .. %2").arg(view.from).arg(view.to)));
        QVERIFY(w->windowTitle().contains(link.key()));
        QCOMPARE(w->findChild<QComboBox *>(QStringLiteral("instrumentBox"))->currentData().toString(), link.key());
        // The dialog remembers the folder for next time.
        QCOMPARE(QSettings().value(QStringLiteral("import/folder")).toString(), QFileInfo(file).absolutePath());
    }

    void emptyPanesSaySoInsteadOfInventedAxes()
    {
        const QString db = m_dir.filePath(QStringLiteral("empty.db"));
        MarketStore::open(db);
        auto w = open(db);
        QVERIFY(w);
        QTest::qWait(300);
        for (ChartPane *p : w->panes()) {
            p->plot()->replot();
            QVERIFY2(p->isShowingEmptyNote(), qPrintable(p->title()));
            QVERIFY(!p->valueAxis()->tickLabels());
            QVERIFY(!p->timeAxis()->tickLabels());
            if (!p->visibleRegion().isEmpty()) // a background tab (Funding by venue) is never laid out: no picture to read
                QCOMPARE(axisLabelInk(p), 0);
        }
        auto *liq = qobject_cast<LiquidationsPane *>(w->pane(QStringLiteral("dock.liquidations")));
        QVERIFY2(!liq->header()->text().contains(QLatin1String("Heat")), qPrintable(liq->header()->text()));
        // Data arriving replaces the note with the axes.
        w->close();
        w.reset();
        const QString full = makeDb(QStringLiteral("full.db"), 3);
        auto v = open(full);
        QTRY_VERIFY_WITH_TIMEOUT(v->marketModel()->hasData(), 10000);
        for (ChartPane *p : v->panes()) {
            if (p == v->pane(QStringLiteral("dock.fundingcompare")))
                continue; // one venue in the store: nothing to compare, and it says so (above)
            QTRY_VERIFY2(!p->isShowingEmptyNote(), qPrintable(p->title()));
            QVERIFY(p->valueAxis()->tickLabels());
            p->plot()->replot();
            QVERIFY2(axisLabelInk(p) > 20, qPrintable(p->title()));
        }
    }
};

QTEST_MAIN(TestMainWindowData)
#include "tst_mainwindowdata.moc"
