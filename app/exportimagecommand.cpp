#include "exportimagecommand.h"

#include "chartpane.h"
#include "clisupport.h"
#include "domain/timeformat.h"
#include "heatmapmodel.h"
#include "mainwindow.h"
#include "marketwindowmodel.h"
#include "rangeanalysismodel.h"
#include "rangeanalysispanel.h"
#include "storage/marketstore.h"
#include "storage/storeerror.h"
#include "storage/storereader.h"
#include "timesync.h"

#include <QCommandLineParser>
#include <algorithm>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTextStream>
#include <QTimer>
#include <qcustomplot.h>

using namespace CliSupport;

namespace {

const QMap<QString, QString> &paneDocks()
{
    static const QMap<QString, QString> m = {{QStringLiteral("price"), QStringLiteral("dock.price")},
                                             {QStringLiteral("funding"), QStringLiteral("dock.funding")},
                                             {QStringLiteral("oi"), QStringLiteral("dock.oi")},
                                             {QStringLiteral("liquidations"), QStringLiteral("dock.liquidations")},
                                             {QStringLiteral("workspace"), QString()}};
    return m;
}

QSize parseSize(const QString &text)
{
    const QStringList wh = text.toLower().split(QLatin1Char('x'));
    bool okW = false, okH = false;
    const int w = wh.value(0).toInt(&okW), h = wh.value(1).toInt(&okH);
    if (wh.size() != 2 || !okW || !okH || w < 200 || h < 150 || w > 10000 || h > 10000)
        usage(QStringLiteral("--size: '%1' is not WIDTHxHEIGHT between 200x150 and 10000x10000").arg(text));
    return {w, h};
}

// Runs the event loop until the panes show the requested view and the selection's analysis
// is in (or the timeout passes).
bool waitUntilDrawn(MainWindow &window, const bool &analysed, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(20);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        const MarketWindowModel *m = window.marketModel();
        const TimeRange v = window.timeSync()->visibleRange();
        const bool ready = m->hasData() && v.isValid() && m->window().range.from <= v.from && m->window().range.to >= v.to
            && m->window().timeframe == m->timeframeFor(v) && analysed;
        if (ready || t.elapsed() > timeoutMs)
            loop.exit(ready ? 0 : 1);
    });
    poll.start();
    const bool ok = loop.exec() == 0;
    for (ChartPane *p : window.panes())
        p->plot()->replot();
    return ok;
}

// Runs the event loop until the exported picture would show the finished heatmap and
// liquidation map (a first build over years of data takes minutes), printing its progress
// on stderr; false if it did not finish within timeoutMs. A half-built map is never
// exported: its missing part would read as "no liquidations predicted there".
bool waitForHeatmap(MainWindow &window, const QString &dockName, int timeoutMs)
{
    QTextStream err(stderr);
    err << "waiting for the heatmap… 0 %" << Qt::endl;
    int printed = 0;
    QElapsedTimer t;
    t.start();
    QEventLoop loop;
    const auto c = QObject::connect(window.heatmapModel(), &HeatmapModel::progress, &loop, [&](double fraction, const QString &) {
        const int pct = int(std::clamp(fraction, 0.0, 1.0) * 100);
        if (pct >= printed + 5 && pct < 100) { // a line per 5 %: a year's build reports weekly
            err << "waiting for the heatmap… " << pct << " %" << Qt::endl;
            printed = pct;
        }
    });
    QTimer poll;
    poll.setInterval(50);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (window.heatmapDrawn(dockName))
            loop.exit(0);
        else if (t.elapsed() > timeoutMs)
            loop.exit(1);
    });
    poll.start();
    const bool ok = loop.exec() == 0;
    QObject::disconnect(c);
    if (ok)
        err << "waiting for the heatmap… 100 %: ready after " << QString::number(t.elapsed() / 1000.0, 'f', 1) << " s" << Qt::endl;
    for (ChartPane *p : window.panes())
        p->plot()->replot();
    return ok;
}

} // namespace

int ExportImageCommand::run(const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({
        {QStringLiteral("db"), QStringLiteral("Database file."), QStringLiteral("path")},
        {QStringLiteral("pane"), QStringLiteral("price, funding, oi, liquidations or workspace."), QStringLiteral("name"), QStringLiteral("workspace")},
        {QStringLiteral("instrument"), QStringLiteral("Instrument (default: the only one)."), QStringLiteral("symbol")},
        {QStringLiteral("from"), QStringLiteral("View start (default: three days before the end of the data)."), QStringLiteral("time")},
        {QStringLiteral("to"), QStringLiteral("View end (default: the end of the data)."), QStringLiteral("time")},
        {QStringLiteral("select"), QStringLiteral("Select FROM/TO and show its analysis (the view defaults to around it)."), QStringLiteral("interval")},
        {QStringLiteral("size"), QStringLiteral("Window size in logical pixels."), QStringLiteral("WxH"), QStringLiteral("1600x1000")},
        {QStringLiteral("scale"), QStringLiteral("Pixel ratio of raster images (2 = high-DPI)."), QStringLiteral("s"), QStringLiteral("1")},
        {QStringLiteral("theme"), QStringLiteral("dark or light."), QStringLiteral("name"), QStringLiteral("dark")},
        {QStringLiteral("out"), QStringLiteral("Output file: .png .jpg .pdf .svg."), QStringLiteral("file")},
    });
    parse(p, args);
    const StoreLocator store = storeLocator(p);
    const QString pane = p.value(QStringLiteral("pane"));
    if (!paneDocks().contains(pane))
        usage(QStringLiteral("--pane: '%1' is not one of price, funding, oi, liquidations, workspace").arg(pane));
    const QString theme = p.value(QStringLiteral("theme"));
    if (theme != QLatin1String("dark") && theme != QLatin1String("light"))
        usage(QStringLiteral("--theme: '%1' is not dark or light").arg(theme));
    const QSize size = parseSize(p.value(QStringLiteral("size")));
    const double scale = numberValue(QStringLiteral("scale"), p.value(QStringLiteral("scale"))); // finite: nan passed the bounds below
    if (scale <= 0 || scale > 8)
        usage(QStringLiteral("--scale must be above 0 and at most 8 (got %1)").arg(scale));
    const QString out = requireValue(p, QStringLiteral("out"));
    checkOutputFile(QStringLiteral("out"), out);

    const TimeRange selection = selectionValue(p);
    Instrument instrument;
    TimeRange view;
    try {
        auto reader = MarketStore::openReadOnly(store).reader();
        instrument = resolveInstrument(*reader, p.value(QStringLiteral("instrument")), store);
        const TimeRange extent = reader->extent(instrument, DataKind::Candles);
        if (!extent.isValid())
            throw Error(QStringLiteral("database %1 has no price data for %2").arg(store.display(), instrument.key()));
        // The last three days, or the selection in the middle half of the picture.
        view = selection.isValid() ? selection.padded(0.5) : TimeRange{std::max(extent.from, extent.to - 3 * 86'400'000LL), extent.to};
        view = resolveRange(p, view);
        if (selection.isValid() && !selection.intersects(extent))
            throw Error(QStringLiteral("the selection does not overlap the data of %1 (%2 to %3)")
                            .arg(instrument.key(), TimeFormat::iso(extent.from), TimeFormat::iso(extent.to)));
        if (!view.intersects(extent))
            throw Error(QStringLiteral("the range does not overlap the data of %1 (%2 to %3)")
                            .arg(instrument.key(), TimeFormat::iso(extent.from), TimeFormat::iso(extent.to)));
    } catch (const StoreError &e) {
        throw Error(e.message());
    }

    MainWindow::Options o;
    o.store = store;
    o.startSource = false;
    o.followStore = false;
    o.persistSettings = false;
    o.instrument = instrument.key();
    o.theme = theme;
    MainWindow window(o);
    window.setSourceDisplayName(instrument.isSynthetic()   ? QStringLiteral("Synthetic random walk (not a market)")
                                : instrument.isSimulated() ? QStringLiteral("Simulated market (built-in simulator)")
                                                           : instrument.exchange + QStringLiteral(" market data"));
    const QString dockName = paneDocks().value(pane);
    if (!dockName.isEmpty())
        for (QDockWidget *d : window.findChildren<QDockWidget *>())
            d->setVisible(d->objectName() == dockName);
    if (dockName.isEmpty() && !selection.isValid())
        // Nothing to analyse or compare: the liquidation tape behind those tabs shows real
        // prints instead of a hint and greyed buttons.
        for (const char *empty : {"dock.analysis", "dock.compare"})
            window.dock(QLatin1String(empty))->hide();
    window.resize(size);
    window.show();
    window.timeSync()->setFollowLatest(false);
    window.timeSync()->setVisibleRange(view);
    bool analysed = !selection.isValid();
    if (selection.isValid()) {
        RangeAnalysisModel *analysis = window.analysisPanel()->analysisModel();
        QObject::connect(analysis, &RangeAnalysisModel::finished, &window, [&analysed] { analysed = true; });
        QObject::connect(analysis, &RangeAnalysisModel::failed, &window, [&analysed] { analysed = true; });
        window.timeSync()->setSelection(selection, &window);
    }
    if (!waitUntilDrawn(window, analysed, 30000))
        throw Error(QStringLiteral("the charts did not finish loading within 30 s"));
    if (!waitForHeatmap(window, dockName, 15 * 60'000))
        throw Error(QStringLiteral("the heatmap did not finish within 15 minutes; nothing exported (a half-built map would show "
                                   "missing levels as none)"));

    QString error;
    if (!window.snapshot(dockName).save(out, scale, &error))
        throw Error(error);
    QTextStream err(stderr);
    err << "exported " << pane << " of " << instrument.key() << " to " << out << Qt::endl;
    if (const auto &grid = window.heatmapModel()->grid(); grid && !grid->marginTiers.isEmpty())
        err << "heatmap maintenance-margin tiers: " << grid->marginTiers << Qt::endl;
    return Ok;
}
