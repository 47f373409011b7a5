#include "analysis/heatmapparams.h"
#include "charttheme.h"
#include "heatmaplayer.h"
#include "heatmapmodel.h"
#include "liquidationmapstrip.h"
#include "liquidationspane.h"
#include "mainwindow.h"
#include "marketwindowmodel.h"
#include "storage/marketstore.h"
#include "storage/storewriter.h"
#include "testutil.h"
#include "timesync.h"

#include <QComboBox>
#include <QDialog>
#include <QSettings>
#include <QTextBrowser>
#include <qcustomplot.h>

#include <random>

// The predicted heatmap in the real window on a simulator database: drawn under the
// prints, with the liquidation map at the cursor, switching presets recomputes it, and the
// "About this model" text is there.
class TestHeatmapPane : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;
    std::unique_ptr<MainWindow> m_w;

    LiquidationsPane *pane() const { return qobject_cast<LiquidationsPane *>(m_w->pane(QStringLiteral("dock.liquidations"))); }

private slots:
    void initTestCase()
    {
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
        m_db = m_dir.filePath(QStringLiteral("sim.db"));
        const auto r = TestUtil::runPerpscope({QStringLiteral("backfill"), QStringLiteral("--db"), m_db, QStringLiteral("--source"), QStringLiteral("sim"),
                                               QStringLiteral("--days"), QStringLiteral("3"), QStringLiteral("--seed"), QStringLiteral("5"),
                                               QStringLiteral("--end"), QStringLiteral("2026-01-04")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }

    void init()
    {
        MainWindow::Options o;
        o.store = m_db;
        o.startSource = false;
        o.persistSettings = false;
        o.instrument = QStringLiteral("SIM:BTCUSDT");
        m_w = std::make_unique<MainWindow>(o);
        m_w->resize(1400, 1000);
        m_w->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_w.get()));
        QTRY_VERIFY_WITH_TIMEOUT(m_w->marketModel()->hasData(), 10000);
    }

    void cleanup() { m_w.reset(); }

    void heatmapIsDrawnUnderThePrints()
    {
        QTRY_VERIFY_WITH_TIMEOUT(pane()->heatmap()->hasData(), 15000);
        const auto &grid = pane()->heatmap()->grid();
        // The grid covers the view and holds predicted notional.
        QCOMPARE(grid->range, m_w->timeSync()->visibleRange());
        double total = 0;
        for (int i = 0; i < grid->longUsd.size(); ++i)
            total += grid->longUsd[i] + grid->shortUsd[i];
        QVERIFY(total > 0);
        // Order: the colour map is drawn before (under) the price line and the bubbles.
        QCustomPlot *plot = pane()->plot();
        QCPColorMap *map = pane()->heatmap()->colorMap();
        for (int i = 0; i < plot->plottableCount(); ++i)
            if (plot->plottable(i) != map)
                QVERIFY(plot->plottable(i)->layer() != map->layer()
                        || map->layer()->children().indexOf(plot->plottable(i)) > map->layer()->children().indexOf(map));
        // The picture really has heat in it: viridis greens or yellows somewhere.
        QTest::qWait(50);
        plot->replot();
        const QImage img = plot->grab().toImage();
        int warm = 0;
        const QRect r = plot->axisRect()->rect();
        for (int y = r.top(); y < r.bottom(); y += 2)
            for (int x = r.left(); x < r.right(); x += 2) {
                const QColor c = img.pixelColor(x, y);
                // Heat colours are saturated; the price line and the grid are grey.
                if (c.hsvSaturation() > 90 && c.value() > 90)
                    ++warm;
            }
        QVERIFY2(warm > 20, qPrintable(QString::number(warm)));
        QVERIFY(pane()->header()->text().contains(QLatin1String("Heat")));
    }

    void liquidationMapFollowsTheCursor()
    {
        QTRY_VERIFY_WITH_TIMEOUT(pane()->liquidationMap()->map().has_value(), 15000);
        const qint64 before = pane()->liquidationMap()->map()->time;
        const TimeRange v = m_w->timeSync()->visibleRange();
        const QRect r = pane()->plot()->axisRect()->rect();
        QTest::mouseMove(pane()->plot(), QPoint(r.left() + r.width() / 3, r.center().y()));
        QTRY_VERIFY(pane()->liquidationMap()->map()->time < before);
        const LiquidationMap &m = *pane()->liquidationMap()->map();
        QVERIFY(m.time >= v.from);
        QVERIFY(!m.longs.isEmpty() || !m.shorts.isEmpty());
        // Cumulative from the price outwards.
        for (int i = 1; i < m.longs.size(); ++i)
            QVERIFY(m.longs[i].cumulativeUsd >= m.longs[i - 1].cumulativeUsd);
        for (const auto &l : m.longs)
            QVERIFY(l.priceLow <= m.price); // a level may share the price's bin, never lie wholly above it
    }

    void liquidationMapSitsInTheGutterBesideThePriceAxis()
    {
        QTRY_VERIFY_WITH_TIMEOUT(pane()->liquidationMap()->map().has_value(), 15000);
        QCustomPlot *plot = pane()->plot();
        ChartPane *price = m_w->pane(QStringLiteral("dock.price"));
        QVERIFY(price);
        QCOMPARE(m_w->timeSync()->rightGutter(), LiquidationMapStrip::width);
        // The strip is outside the plot area: no bar or print is covered, and every pane keeps
        // the same room so time stays aligned between them.
        const QRect area = plot->axisRect()->rect();
        const QRect strip = pane()->liquidationMap()->stripRect();
        QCOMPARE(strip.width(), LiquidationMapStrip::width);
        QVERIFY(strip.left() > area.right());
        QCOMPARE(price->plot()->axisRect()->rect().left(), area.left());
        QCOMPARE(price->plot()->axisRect()->rect().width(), area.width());
        plot->replot();
        QTRY_VERIFY(pane()->liquidationMap()->scaleUsd() > 0);
        const QImage img = plot->grab().toImage();
        // Long (below price) and short (above) bars in the strip, in their own colours.
        const ChartTheme t = ChartTheme::dark();
        int longInk = 0, shortInk = 0;
        for (int y = strip.top(); y <= strip.bottom(); ++y)
            for (int x = strip.left() + 4; x < strip.left() + 30; ++x) {
                const QColor c = img.pixelColor(x, y);
                const auto near = [&](const QColor &ref) {
                    const int d = std::abs(c.hue() - ref.hue());
                    return std::min(d, 360 - d) < 20 && c.saturation() > 60;
                };
                longInk += near(t.longLiq);
                shortInk += near(t.shortLiq);
            }
        QVERIFY2(longInk > 20 && shortInk > 20, qPrintable(QStringLiteral("%1 %2").arg(longInk).arg(shortInk)));

        // Hiding the map gives the room back to every pane.
        pane()->setShowLiquidationMap(false);
        QCOMPARE(m_w->timeSync()->rightGutter(), 0);
        QTRY_VERIFY(plot->axisRect()->rect().width() > area.width());
        QCOMPARE(price->plot()->axisRect()->rect().width(), plot->axisRect()->rect().width());
        pane()->setShowLiquidationMap(true);
    }

    void aGridForthePreviousInstrumentIsNotShownOnTheNext()
    {
        // Seen walking journey 6: switching to a source whose instrument the store does not
        // hold yet left the previous instrument's heat and map under "No data for ...".
        QTRY_VERIFY_WITH_TIMEOUT(pane()->heatmap()->hasData(), 15000);
        // A new grid and map are being computed for this instrument when the switch comes.
        m_w->heatmapModel()->setParams(*HeatmapParams::preset(QStringLiteral("high_leverage")));
        m_w->marketModel()->setInstrument(Instrument::parse(QStringLiteral("BINANCE:BTCUSDT"), QString()));
        QTRY_VERIFY_WITH_TIMEOUT(m_w->marketModel()->window().instrument.key() == QLatin1String("BINANCE:BTCUSDT"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(m_w->heatmapModel()->gridIsCurrent(), 20000);
        QTest::qWait(300);
        QVERIFY(!pane()->heatmap()->hasData());
        QVERIFY(!pane()->liquidationMap()->map().has_value());
        m_w->heatmapModel()->setParams(*HeatmapParams::preset(QStringLiteral("all_leverage")));
    }

    void switchingPresetRecomputes()
    {
        QTRY_VERIFY_WITH_TIMEOUT(pane()->heatmap()->hasData(), 15000);
        const auto first = pane()->heatmap()->grid();
        auto *box = m_w->findChild<QComboBox *>(QStringLiteral("heatmapPresetBox"));
        QVERIFY(box);
        const int high = box->findData(QStringLiteral("high_leverage"));
        QVERIFY(high >= 0);
        box->setCurrentIndex(high);
        emit box->activated(high);
        QCOMPARE(m_w->heatmapModel()->params().name, QStringLiteral("high_leverage"));
        QTRY_VERIFY_WITH_TIMEOUT(pane()->heatmap()->hasData() && pane()->heatmap()->grid() != first, 15000);
        double a = 0, b = 0;
        for (float v : first->longUsd)
            a += v;
        for (float v : pane()->heatmap()->grid()->longUsd)
            b += v;
        QVERIFY(a != b); // a different leverage mix puts the levels elsewhere
        QCOMPARE(QSettings().value(QStringLiteral("heatmap/preset")).toString(), QStringLiteral("high_leverage"));
    }

    // Without open interest the model has nothing to map: its prior (traded volume) is
    // nobody's positions. The pane showed it as heat; now it says so and draws none, and
    // where OI starts later, the columns before it stay empty.
    void noOpenInterestNoHeat_data()
    {
        QTest::addColumn<bool>("laterOi");
        QTest::newRow("candles only") << false;
        QTest::newRow("open interest from the second day") << true;
    }

    void noOpenInterestNoHeat()
    {
        QFETCH(bool, laterOi);
        m_w.reset();
        const QString db = m_dir.filePath(laterOi ? QStringLiteral("later-oi.db") : QStringLiteral("no-oi.db"));
        const Instrument inst{QStringLiteral("BINANCE"), QStringLiteral("NOOIUSDT")};
        const qint64 t0 = 1'767'225'600'000; // 2026-01-01
        {
            auto w = MarketStore::open(db).writer();
            std::mt19937_64 rng(9);
            MarketBatch b;
            b.instrument = inst;
            b.candles = TestUtil::randomBars(rng, t0, 2 * 1440, 100.0);
            if (laterOi)
                for (qint64 t = t0 + 86'400'000; t < t0 + 2 * 86'400'000; t += 300'000)
                    b.openInterest.push_back({t, 5e6, 5e8});
            w->commit(b);
        }
        MainWindow::Options o;
        o.store = db;
        o.startSource = false;
        o.persistSettings = false;
        o.instrument = inst.key();
        m_w = std::make_unique<MainWindow>(o);
        m_w->resize(1400, 1000);
        m_w->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_w.get()));
        QTRY_VERIFY_WITH_TIMEOUT(m_w->marketModel()->hasData(), 10000);
        m_w->timeSync()->setVisibleRange({t0, t0 + 2 * 86'400'000}, this);
        QTRY_VERIFY_WITH_TIMEOUT(pane()->heatmap()->hasData() && pane()->heatmap()->grid()->range.from == t0, 15000);
        const auto grid = pane()->heatmap()->grid();
        QCOMPARE(grid->hasOpenInterest, laterOi);
        int heated = 0, heatedBeforeOi = 0;
        for (int c = 0; c < grid->columns; ++c)
            for (int r = 0; r < grid->rows; ++r)
                if (grid->longUsd[grid->index(c, r)] + grid->shortUsd[grid->index(c, r)] > 0) {
                    ++heated;
                    if (grid->columnTimes[c] < t0 + 86'400'000)
                        ++heatedBeforeOi;
                }
        QCOMPARE(heatedBeforeOi, 0);
        QCOMPARE(heated > 0, laterOi);
        const QString note = pane()->heatmapNote();
        QVERIFY2(note.contains(laterOi ? QLatin1String("No open interest before 2026-01-02") : QLatin1String("No open interest for BINANCE:NOOIUSDT: no heatmap")),
                 qPrintable(note));
        QVERIFY2(laterOi || pane()->header()->text().contains(QLatin1String("no open interest: no heatmap")), qPrintable(pane()->header()->text()));

        // On screen: the left half (no OI anywhere) has no heat colours, the note is painted.
        QCustomPlot *plot = pane()->plot();
        plot->replot();
        const QImage img = plot->grab().toImage();
        if (qEnvironmentVariableIsSet("PERPSCOPE_TEST_SAVE"))
            img.save(QStringLiteral("/tmp/nooi-%1.png").arg(laterOi));
        const QRect r = plot->axisRect()->rect();
        int warm = 0;
        for (int y = r.top() + 30; y < r.bottom(); y += 2)
            for (int x = r.left(); x < r.left() + r.width() * 45 / 100; x += 2) {
                const QColor c = img.pixelColor(x, y);
                // Heat colours are saturated; the price line and the grid are grey.
                if (c.hsvSaturation() > 90 && c.value() > 90)
                    ++warm;
            }
        QCOMPARE(warm, 0);
        // The note is painted: hiding its item changes the pixels under it.
        QCPItemText *item = nullptr;
        for (int i = 0; i < plot->itemCount(); ++i)
            if (auto *t = qobject_cast<QCPItemText *>(plot->item(i)); t && t->text() == note)
                item = t;
        QVERIFY(item && item->visible());
        item->setVisible(false);
        plot->replot();
        const QImage without = plot->grab().toImage();
        item->setVisible(true);
        int ink = 0;
        for (int y = r.top(); y < r.top() + 30; ++y)
            for (int x = r.left(); x < r.right(); ++x)
                ink += img.pixel(x, y) != without.pixel(x, y);
        QVERIFY2(ink > 100, qPrintable(QString::number(ink)));
    }

    void aboutThisModel()
    {
        QTRY_VERIFY_WITH_TIMEOUT(m_w->heatmapModel()->grid() != nullptr, 20000); // the tiers are named once a map exists
        QAction *about = nullptr;
        for (QAction *a : m_w->findChildren<QAction *>())
            if (a->text() == QStringLiteral("About this model…"))
                about = a;
        QVERIFY(about);
        about->trigger();
        auto *dialog = m_w->findChild<QDialog *>(QStringLiteral("aboutHeatmapModel"));
        QVERIFY(dialog);
        const QString text = dialog->findChild<QTextBrowser *>()->toPlainText();
        QVERIFY(text.contains(QLatin1String("model estimate")));
        QVERIFY(text.contains(QLatin1String("leverage")));
        // Which maintenance-margin tiers the map was computed with: the simulator's venue
        // publishes none, so Binance BTCUSDT's default.
        QVERIFY2(text.contains(QLatin1String("Maintenance-margin tiers in use: Binance BTCUSDT default")), qPrintable(text.right(300)));
        dialog->close();
    }
};

QTEST_MAIN(TestHeatmapPane)
#include "tst_heatmappane.moc"
