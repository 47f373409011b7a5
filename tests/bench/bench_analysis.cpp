// bench_analysis: range analysis over five years of 1m data (tiers) against the same
// figures computed from the raw 1m rows in the same run, and the composite export of the
// workspace at 2x. Not part of the test suite.

#include "analysis/rangeanalysis.h"
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
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

#include <algorithm>

using namespace BenchUtil;

namespace {

// The naive way: every raw row of the range, summed directly.
double naiveAnalysis(StoreReader &r, const Instrument &i, TimeRange range)
{
    double high = 0, low = 1e300, liq = 0;
    for (const Candle &c : r.candles(i, Timeframe::M1, range)) {
        high = std::max(high, c.high);
        low = std::min(low, c.low);
    }
    for (const Liquidation &l : r.liquidations(i, range))
        liq += l.notional();
    return high - low + liq;
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    QTextStream out(stdout);
    QTemporaryDir dir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.filePath(QStringLiteral("settings")));
    const QString db = dir.filePath(QStringLiteral("five.db"));
    const Instrument instrument{QStringLiteral("SYNTH"), QStringLiteral("BTCUSDT")};
    constexpr qint64 t0 = 1'609'459'200'000;
    const qint64 bars = 5LL * 365 * 1440 + 1440;
    {
        out << "filling five years of 1m data...\n";
        out.flush();
        fillSynthetic(db, instrument, t0, bars);
    }
    auto reader = MarketStore::openExisting(db).reader();
    // Unaligned ends, as a mouse selection has.
    const TimeRange all{t0 + 7 * 60'000 + 13'000, t0 + bars * 60'000 - 11 * 60'000 - 7'000};
    QVector<double> tiers, naive;
    RangeAnalysis::Result r;
    for (int k = 0; k < 21; ++k) {
        QElapsedTimer t;
        t.start();
        r = RangeAnalysis(*reader).analyze(instrument, all);
        tiers << t.nsecsElapsed() / 1e6;
    }
    for (int k = 0; k < 3; ++k) {
        QElapsedTimer t;
        t.start();
        naiveAnalysis(*reader, instrument, all);
        naive << t.nsecsElapsed() / 1e6;
    }
    out << QStringLiteral("range analysis over %1 days of 1m data (verdict %2, %3 liquidations)\n")
               .arg(all.span() / 86'400'000)
               .arg(RangeAnalysis::verdictName(r.verdict))
               .arg(r.liqCount() ? QString::number(*r.liqCount()) : QStringLiteral("an unknown number of"));
    out << QStringLiteral("  with tiers, median          : %1 ms (goal <= 50 ms)\n").arg(median(tiers), 0, 'f', 1);
    out << QStringLiteral("  from raw rows (baseline)    : %1 ms (x%2)\n").arg(median(naive), 0, 'f', 0).arg(median(naive) / median(tiers), 0, 'f', 0);
    out.flush();

    MainWindow::Options o;
    o.store = db;
    o.startSource = false;
    o.persistSettings = false;
    o.instrument = instrument.key();
    MainWindow window(o);
    window.resize(1600, 1000);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return 1;
    window.timeSync()->setFollowLatest(false);
    window.timeSync()->setVisibleRange({t0 + 400LL * 86'400'000, t0 + 407LL * 86'400'000}, &window);
    if (!QTest::qWaitFor([&] { return window.marketModel()->hasData() && window.marketModel()->window().range.contains(t0 + 401LL * 86'400'000); }))
        return 1;
    QTest::qWait(200);
    QVector<double> exports2x, exports1x;
    for (int k = 0; k < 7; ++k) {
        QElapsedTimer t;
        t.start();
        const QImage img = window.snapshot().toImage(2.0);
        exports2x << t.nsecsElapsed() / 1e6;
        t.restart();
        const QImage one = window.snapshot().toImage(1.0);
        exports1x << t.nsecsElapsed() / 1e6;
    }
    const QSize size = window.snapshot().logicalSize();
    out << QStringLiteral("composite workspace export %1x%2 logical\n").arg(size.width()).arg(size.height());
    out << QStringLiteral("  at 2x (%1x%2 px), median    : %3 ms (goal <= 1000 ms)\n")
               .arg(size.width() * 2)
               .arg(size.height() * 2)
               .arg(median(exports2x), 0, 'f', 0);
    out << QStringLiteral("  at 1x (baseline)            : %1 ms (2x costs x%2)\n")
               .arg(median(exports1x), 0, 'f', 0)
               .arg(median(exports2x) / median(exports1x), 0, 'f', 1);
    return 0;
}
