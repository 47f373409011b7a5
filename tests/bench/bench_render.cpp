// bench_render: the main window on five years of 1m candles. Full zoom-out replot of the
// price pane against all 1m bars fed naively to QCPFinancial (same run), cursor moves
// across all panes, zooming from years to an hour, and peak memory. Not part of the tests.

#include "chartpane.h"
#include "heatmaplayer.h"
#include "mainwindow.h"
#include "marketwindowmodel.h"
#include "sources/syntheticsource.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "storage/storewriter.h"
#include "timesync.h"

#include "benchutil.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QDockWidget>
#include <QFile>
#include <QPainter>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>
#include <qcustomplot.h>

#include <algorithm>

using namespace BenchUtil;

namespace {

constexpr qint64 t0 = 1'609'459'200'000; // 2021-01-01

bool waitFor(const std::function<bool()> &done, int ms = 20000)
{
    return QTest::qWaitFor(done, ms);
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    QTextStream out(stdout);
    QTemporaryDir dir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.filePath(QStringLiteral("settings")));
    const QString db = dir.filePath(QStringLiteral("fiveyears.db"));
    const Instrument instrument{QStringLiteral("SYNTH"), QStringLiteral("BTCUSDT")};
    const qint64 bars = 5LL * 365 * 1440 + 1440;
    {
        out << "filling " << bars << " 1m bars (5 years)...\n";
        out.flush();
        fillSynthetic(db, instrument, t0, bars);
    }
    const long rssBeforeWindow = peakRssKb();

    MainWindow::Options o;
    o.dbPath = db;
    o.startSource = false;
    o.instrument = instrument.key();
    MainWindow window(o);
    window.resize(2300, 1300);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return 1;
    // The price pane as wide as the 2000 px: the tape is not part of this figure.
    for (const char *name : {"dock.tape", "dock.analysis", "dock.compare"})
        window.dock(QString::fromLatin1(name))->hide();
    TimeSync *sync = window.timeSync();
    MarketWindowModel *model = window.marketModel();
    waitFor([&] { return model->hasData() && sync->dataExtent().isValid(); });
    sync->showAll(&window);
    waitFor([&] { return model->window().timeframe == Timeframe::D1 && model->window().candles.size() > 1000; });
    QTest::qWait(200);
    ChartPane *price = window.pane(QStringLiteral("dock.price"));
    QCustomPlot *plot = price->plot();

    QVector<double> replots;
    for (int k = 0; k < 31; ++k) {
        QElapsedTimer t;
        t.start();
        plot->replot();
        replots << t.nsecsElapsed() / 1e6;
    }
    const double ours = median(replots);

    // Cursor: mouse moves over the price pane; every pane moves its cursor layer.
    QVector<double> moves;
    const QRect rect = plot->axisRect()->rect();
    QApplication::processEvents();
    for (int k = 0; k < 200; ++k) {
        const QPoint p(rect.left() + 10 + (k * 7) % (rect.width() - 20), rect.center().y());
        QElapsedTimer t;
        t.start();
        QTest::mouseMove(plot, p);
        QApplication::processEvents(); // includes the repaint of every pane
        moves << t.nsecsElapsed() / 1e6;
    }
    // Baseline in the same run: one full replot of all four panes.
    QVector<double> fulls;
    for (int k = 0; k < 11; ++k) {
        QElapsedTimer t;
        t.start();
        for (ChartPane *p : window.panes())
            p->plot()->replot();
        fulls << t.nsecsElapsed() / 1e6;
    }
    out << QStringLiteral("cursor move across %1 panes\n").arg(window.panes().size());
    out << QStringLiteral("  median                      : %1 ms (goal <= 3 ms)\n").arg(median(moves), 0, 'f', 2);
    out << QStringLiteral("  full replot of all panes    : %1 ms (x%2)\n")
               .arg(median(fulls), 0, 'f', 2)
               .arg(median(fulls) / median(moves), 0, 'f', 1);
    out.flush();

    // Browse: zoom from five years down to an hour and back, panning on the way.
    QVector<double> zoomSteps;
    const qint64 end = sync->dataExtent().to;
    for (int k = 0; k < 60; ++k) {
        QElapsedTimer t;
        t.start();
        sync->zoom(0.8, end - 3600'000, &window);
        const quint64 before = model->window().generation;
        waitFor([&] { return model->window().generation != before || model->window().range.contains(sync->visibleRange().from); }, 2000);
        for (ChartPane *p : window.panes())
            p->plot()->replot();
        zoomSteps << t.nsecsElapsed() / 1e6;
    }
    const TimeRange shown = sync->visibleRange();
    for (int k = 0; k < 40; ++k) {
        sync->pan(-shown.span() / 3, &window);
        QApplication::processEvents();
    }
    sync->showAll(&window);
    waitFor([&] { return model->window().timeframe == Timeframe::D1; });
    QApplication::processEvents();
    out << QStringLiteral("zoom from 5 years to %1 minutes in 60 steps\n").arg(shown.span() / 60'000);
    out << QStringLiteral("  step median (load + replot) : %1 ms, worst %2 ms\n")
               .arg(median(zoomSteps), 0, 'f', 1)
               .arg(*std::max_element(zoomSteps.cbegin(), zoomSteps.cend()), 0, 'f', 1);
    out << QStringLiteral("peak RSS while browsing       : %1 MB (goal <= 400 MB; %2 MB before the window opened)\n")
               .arg(peakRssKb() / 1024)
               .arg(rssBeforeWindow / 1024);
    out.flush();

    // Heatmap layer at 2000 x 800 cells, as the Liquidations pane draws it.
    {
        QCustomPlot heatPlot;
        heatPlot.resize(2100, 900);
        heatPlot.show();
        if (!QTest::qWaitForWindowExposed(&heatPlot))
            return 1;
        HeatmapLayer layer(heatPlot.xAxis, heatPlot.yAxis);
        layer.setTheme(ChartTheme::dark());
        auto grid = std::make_shared<HeatmapGrid>();
        grid->columns = 2000;
        grid->rows = 800;
        grid->priceLow = 90'000;
        grid->priceHigh = 110'000;
        grid->range = {t0, t0 + 2000LL * 60'000};
        for (int c = 0; c < grid->columns; ++c)
            grid->columnTimes.push_back(t0 + (c + 1) * 60'000LL);
        grid->longUsd.resize(grid->columns * grid->rows);
        grid->shortUsd.resize(grid->columns * grid->rows);
        for (int c = 0; c < grid->columns; ++c)
            for (int r = 0; r < grid->rows; ++r) {
                // Bands that start at some time and persist, as predicted levels do.
                const int band = r % 37;
                grid->longUsd[grid->index(c, r)] = r < 400 && band < 5 && c > (r * 7) % 1500 ? float(1e5 * (1 + band) * (1 + (c % 97) / 50.0)) : 0.f;
                grid->shortUsd[grid->index(c, r)] = r >= 400 && band < 3 && c > (r * 11) % 1700 ? float(2e5 * (1 + band)) : 0.f;
            }
        heatPlot.xAxis->setRange(t0 / 1000.0, (t0 + 2000LL * 60'000) / 1000.0);
        heatPlot.yAxis->setRange(90'000, 110'000);
        QVector<double> rebuild, unchanged;
        for (int k = 0; k < 9; ++k) {
            QElapsedTimer t;
            t.start();
            layer.setGrid(grid); // new data: normalise, fill the map, recolour
            heatPlot.replot();
            rebuild << t.nsecsElapsed() / 1e6;
            t.restart();
            heatPlot.replot();
            unchanged << t.nsecsElapsed() / 1e6;
        }
        // Baseline: every non-empty cell painted as its own rectangle.
        QVector<double> naive;
        for (int k = 0; k < 3; ++k) {
            QImage img(heatPlot.size(), QImage::Format_ARGB32_Premultiplied);
            QPainter p(&img);
            QElapsedTimer t;
            t.start();
            const double cw = 2000.0 / grid->columns, rh = 800.0 / grid->rows;
            for (int c = 0; c < grid->columns; ++c)
                for (int r = 0; r < grid->rows; ++r) {
                    const float v = grid->longUsd[grid->index(c, r)] + grid->shortUsd[grid->index(c, r)];
                    if (v > 0)
                        p.fillRect(QRectF(c * cw, 800 - (r + 1) * rh, cw, rh), QColor::fromHsvF(0.5 * std::min(1.0, v / 1e6), 0.8, 0.9));
                }
            naive << t.nsecsElapsed() / 1e6;
        }
        out << QStringLiteral("heatmap pane at 2000x800 cells\n");
        out << QStringLiteral("  replot, map unchanged       : %1 ms (goal <= 16 ms)\n").arg(median(unchanged), 0, 'f', 2);
        out << QStringLiteral("  new grid + replot           : %1 ms\n").arg(median(rebuild), 0, 'f', 1);
        out << QStringLiteral("  naive rect per cell         : %1 ms (x%2 the unchanged replot)\n")
                   .arg(median(naive), 0, 'f', 0)
                   .arg(median(naive) / median(unchanged), 0, 'f', 0);
        out.flush();
    }

    // The baseline comes last, so its 2.6 M-bar arrays do not count in the browsing peak.
    // Naive: every 1m bar of the same view in one QCPFinancial of the same size.
    double naive = 0;
    {
        QCustomPlot naivePlot;
        naivePlot.resize(plot->size());
        auto *fin = new QCPFinancial(naivePlot.xAxis, naivePlot.yAxis);
        fin->setAntialiased(false);
        fin->setWidthType(QCPFinancial::wtPlotCoords);
        fin->setWidth(42);
        auto r = MarketStore::openExisting(db).reader();
        const auto all = r->candles(instrument, Timeframe::M1, {0, t0 * 2});
        QVector<QCPFinancialData> data;
        data.reserve(all.size());
        for (const Candle &c : all)
            data.push_back(QCPFinancialData(c.ts / 1000.0 + 30, c.open, c.high, c.low, c.close));
        fin->data()->set(data, true);
        naivePlot.xAxis->setRange(all.front().ts / 1000.0, all.back().ts / 1000.0);
        naivePlot.yAxis->setRange(900, 200000);
        QElapsedTimer t;
        t.start();
        naivePlot.replot();
        naive = t.nsecsElapsed() / 1e6;
    }
    out << QStringLiteral("price pane full zoom-out (%1 bars at %2, plot %3 px wide)\n")
               .arg(model->window().candles.size())
               .arg(Timeframes::name(model->window().timeframe))
               .arg(price->plotWidth());
    out << QStringLiteral("  replot median               : %1 ms (goal <= 16 ms)\n").arg(ours, 0, 'f', 2);
    out << QStringLiteral("  naive, all %1 1m bars        : %2 ms\n").arg(bars).arg(naive, 0, 'f', 0);
    out << QStringLiteral("  speed-up                    : x%1 (goal >= 30)\n").arg(naive / ours, 0, 'f', 0);
    out.flush();

    return 0;
}
