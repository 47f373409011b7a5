// bench_render: the main window on five years of 1m candles. Full zoom-out replot of the
// price pane against all 1m bars fed naively to QCPFinancial (same run), cursor moves
// across all panes, zooming from years to an hour, and peak memory. Not part of the tests.

#include "chartpane.h"
#include "heatmaplayer.h"
#include "liquidationspane.h"
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
#include <QThread>
#include <qcustomplot.h>

#include <algorithm>

using namespace BenchUtil;

namespace {

constexpr qint64 t0 = 1'609'459'200'000; // 2021-01-01

bool waitFor(const std::function<bool()> &done, int ms = 20000)
{
    return QTest::qWaitFor(done, ms);
}

// Replot time of each plottable alone (PERPSCOPE_BENCH_PLOTTABLES=1): where a frame goes.
void profilePlottables(QTextStream &out, const QList<ChartPane *> &panes)
{
    const auto timeReplot = [](QCustomPlot *plot) {
        QVector<double> v;
        for (int k = 0; k < 5; ++k) {
            QElapsedTimer t;
            t.start();
            plot->replot();
            v << t.nsecsElapsed() / 1e6;
        }
        return median(v);
    };
    for (ChartPane *p : panes) {
        QCustomPlot *plot = p->plot();
        for (int i = 0; i < plot->plottableCount(); ++i) {
            for (int j = 0; j < plot->plottableCount(); ++j)
                plot->plottable(j)->setVisible(j == i);
            QCPAbstractPlottable *one = plot->plottable(i);
            out << QStringLiteral("    %1 / %2 (%3 points): %4 ms\n")
                       .arg(p->title(), QString::fromLatin1(one->metaObject()->className()))
                       .arg(one->interface1D() ? one->interface1D()->dataCount() : -1)
                       .arg(timeReplot(plot), 0, 'f', 2);
        }
        for (int j = 0; j < plot->plottableCount(); ++j)
            plot->plottable(j)->setVisible(false);
        out << QStringLiteral("    %1 / axes and items only: %2 ms\n").arg(p->title()).arg(timeReplot(plot), 0, 'f', 2);
        for (int j = 0; j < plot->plottableCount(); ++j)
            plot->plottable(j)->setVisible(true);
    }
}

QString loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll().split(' ').value(0)) : QStringLiteral("?");
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    QTextStream out(stdout);
    QTemporaryDir dir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.filePath(QStringLiteral("settings")));
    // PERPSCOPE_BENCH_DB=FILE keeps the five-year database between runs (profiling).
    const QString kept = qEnvironmentVariable("PERPSCOPE_BENCH_DB");
    const QString db = kept.isEmpty() ? dir.filePath(QStringLiteral("fiveyears.db")) : kept;
    const Instrument instrument{QStringLiteral("SYNTH"), QStringLiteral("BTCUSDT")};
    const qint64 bars = 5LL * 365 * 1440 + 1440;
    if (kept.isEmpty() || !QFile::exists(kept)) {
        out << "filling " << bars << " 1m bars (5 years)...\n";
        out.flush();
        fillSynthetic(db, instrument, t0, bars);
    }
    const long rssBeforeWindow = peakRssKb();

    MainWindow::Options o;
    o.store = db;
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
    // The heatmap of five years is built once, in the background; measure what follows.
    {
        QElapsedTimer t;
        t.start();
        const auto *liquidations = qobject_cast<LiquidationsPane *>(window.pane(QStringLiteral("dock.liquidations")));
        waitFor([&] { return liquidations->heatmap()->hasData(); }, 300000);
        out << QStringLiteral("heatmap history of 5 years built in %1 s before the measurements (load average %2 on %3 cores)\n")
                   .arg(t.elapsed() / 1000.0, 0, 'f', 1)
                   .arg(loadAverage())
                   .arg(QThread::idealThreadCount());
        out.flush();
    }
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
    QVector<double> moves, moveCpu;
    const QRect rect = plot->axisRect()->rect();
    QApplication::processEvents();
    for (int k = 0; k < 200; ++k) {
        const QPoint p(rect.left() + 10 + (k * 7) % (rect.width() - 20), rect.center().y());
        QElapsedTimer t;
        t.start();
        const double cpu0 = cpuSeconds();
        QTest::mouseMove(plot, p);
        QApplication::processEvents(); // includes the repaint of every pane
        moves << t.nsecsElapsed() / 1e6;
        moveCpu << (cpuSeconds() - cpu0) * 1000.0;
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
    if (qEnvironmentVariableIsSet("PERPSCOPE_BENCH_NOAA")) {
        for (ChartPane *p : window.panes())
            p->plot()->setNotAntialiasedElements(QCP::aeAll);
        QVector<double> noaa;
        for (int k = 0; k < 11; ++k) {
            QElapsedTimer t;
            t.start();
            for (ChartPane *p : window.panes())
                p->plot()->replot();
            noaa << t.nsecsElapsed() / 1e6;
        }
        QVector<double> noaaImm;
        for (int k = 0; k < 11; ++k) {
            QElapsedTimer t;
            t.start();
            for (ChartPane *p : window.panes())
                p->plot()->replot(QCustomPlot::rpImmediateRefresh);
            noaaImm << t.nsecsElapsed() / 1e6;
        }
        for (ChartPane *p : window.panes())
            p->plot()->setNotAntialiasedElements(QCP::aeNone);
        QVector<double> imm;
        for (int k = 0; k < 11; ++k) {
            QElapsedTimer t;
            t.start();
            for (ChartPane *p : window.panes())
                p->plot()->replot(QCustomPlot::rpImmediateRefresh);
            imm << t.nsecsElapsed() / 1e6;
        }
        out << "full replot AA " << median(fulls) << " noAA " << median(noaa) << " immediate AA " << median(imm) << " immediate noAA " << median(noaaImm) << "\n";
    }
    if (qEnvironmentVariableIsSet("PERPSCOPE_BENCH_PLOTTABLES"))
        profilePlottables(out, window.panes());
    out << QStringLiteral("cursor move across %1 panes\n").arg(window.panes().size());
    out << QStringLiteral("  median                      : %1 ms (goal <= 3 ms); GUI thread %2 ms\n")
               .arg(median(moves), 0, 'f', 2)
               .arg(median(moveCpu), 0, 'f', 2);
    out << QStringLiteral("  full replot of all panes    : %1 ms (x%2)\n")
               .arg(median(fulls), 0, 'f', 2)
               .arg(median(fulls) / median(moves), 0, 'f', 1);
    out.flush();

    // Browse: zoom from five years down to ten minutes, wheel step by wheel step (60 ms
    // apart, a steady wheel), then pan and back. A step lasts from the zoom until every pane
    // shows the new view from a window at the tier it asks for (loaded or read ahead) and has
    // repainted. Once without read-ahead (what every step cost before), then with it.
    struct ZoomRun
    {
        QVector<double> wall, cpu, firstFrame;
        int served = 0; // steps that needed no read at all
        TimeRange last;
    };
    const qint64 end = sync->dataExtent().to;
    const auto zoomRun = [&](bool prefetch) {
        ZoomRun run;
        model->setPrefetch(prefetch);
        sync->showAll(&window);
        waitFor([&] { return model->isCurrent(); });
        QTest::qWait(300);
        for (int k = 0; k < 60; ++k) {
            const quint64 before = model->window().generation;
            QElapsedTimer t;
            t.start();
            const double cpu0 = cpuSeconds();
            sync->zoom(0.8, end - 3600'000, &window);
            const double zoomMs = t.nsecsElapsed() / 1e6;
            const bool immediately = model->isCurrent();
            QApplication::processEvents(); // the first frame: queued replots of every pane
            run.firstFrame << t.nsecsElapsed() / 1e6;
            if (qEnvironmentVariableIsSet("PERPSCOPE_BENCH_STEPS"))
            {
                out << "step " << k << " zoom " << zoomMs << " first " << run.firstFrame.last() << " tf " << Timeframes::name(model->window().timeframe) << " cur " << immediately << " replots";
                for (ChartPane *p : window.panes())
                    out << " " << p->plot()->replotTime();
                out << "\n";
            }
            if (!immediately) {
                waitFor([&] { return model->isCurrent(); }, 5000);
                QApplication::processEvents();
            }
            run.wall << t.nsecsElapsed() / 1e6;
            run.cpu << (cpuSeconds() - cpu0) * 1000.0;
            if (immediately && model->window().generation != before)
                ++run.served;
            // The user's hand between two notches: read-aheads land meanwhile.
            QElapsedTimer gap;
            gap.start();
            while (gap.elapsed() < 60)
                QApplication::processEvents(QEventLoop::AllEvents, 5);
        }
        run.last = sync->visibleRange();
        return run;
    };
    const ZoomRun plain = zoomRun(false);
    const ZoomRun ahead = zoomRun(true);
    const TimeRange shown = ahead.last;
    for (int k = 0; k < 40; ++k) {
        sync->pan(-shown.span() / 3, &window);
        QApplication::processEvents();
    }
    sync->showAll(&window);
    waitFor([&] { return model->window().timeframe == Timeframe::D1; });
    QApplication::processEvents();
    const auto worst = [](const QVector<double> &v) { return *std::max_element(v.cbegin(), v.cend()); };
    out << QStringLiteral("zoom from 5 years to %1 minutes in 60 wheel steps, 60 ms apart (same-run baseline: full replot %2 ms)\n")
               .arg(shown.span() / 60'000)
               .arg(median(fulls), 0, 'f', 1);
    for (const auto &[name, r] : {std::pair<QString, const ZoomRun &>{QStringLiteral("without read-ahead"), plain},
                                  {QStringLiteral("with read-ahead   "), ahead}})
        out << QStringLiteral("  %1: step median %2 ms, worst %3 ms (x%4 / x%5 a full replot); GUI thread median %6 ms, "
                              "worst %7 ms; first frame %8 ms; %9 of 60 steps drawn from memory\n")
                   .arg(name)
                   .arg(median(r.wall), 0, 'f', 1)
                   .arg(worst(r.wall), 0, 'f', 1)
                   .arg(median(r.wall) / median(fulls), 0, 'f', 2)
                   .arg(worst(r.wall) / median(fulls), 0, 'f', 2)
                   .arg(median(r.cpu), 0, 'f', 1)
                   .arg(worst(r.cpu), 0, 'f', 1)
                   .arg(median(r.firstFrame), 0, 'f', 1)
                   .arg(r.served);
    out << QStringLiteral("  goal: median <= 16 ms, worst <= 50 ms; windows cached %1 (%2 rows); load average %3\n")
               .arg(model->cache().size())
               .arg(model->cache().bars())
               .arg(loadAverage());
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
