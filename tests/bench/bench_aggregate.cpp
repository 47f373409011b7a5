// bench_aggregate: switching the workspace from one venue to ALL:BTC, the aggregate of three
// venues (Binance, Bybit, OKX) over one year of 1m data each, until the first frame: the
// instrument picked in the toolbar's box, every pane drawn from a window at the tier its view
// asks for. Baseline, in the same run and the same window: switching to one venue of the
// three. Figures are medians of alternating switches. Not part of the tests.

#include "chartpane.h"
#include "mainwindow.h"
#include "marketwindowmodel.h"
#include "timesync.h"

#include "benchutil.h"

#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

using namespace BenchUtil;

namespace {

constexpr qint64 t0 = 1'735'689'600'000; // 2025-01-01

const QList<Instrument> &venues()
{
    static const QList<Instrument> v{{QStringLiteral("BINANCE"), QStringLiteral("BTCUSDT")},
                                     {QStringLiteral("BYBIT"), QStringLiteral("BTCUSDT")},
                                     {QStringLiteral("OKX"), QStringLiteral("BTC-USDT-SWAP")}};
    return v;
}

void fill(const QString &db, qint64 bars)
{
    auto w = MarketStore::open(db).writer();
    for (int k = 0; k < int(venues().size()); ++k) {
        SyntheticSource::Params p;
        p.instrument = venues()[k];
        p.seed = quint64(7 + k);
        p.startMs = t0;
        p.minutes = bars;
        p.startPrice = 90'000 + 10 * k;
        SyntheticSource source(p);
        for (qint64 done = 0; done < bars; done += 20'000)
            w->commit(source.generate(std::min<qint64>(20'000, bars - done)));
    }
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    QTextStream out(stdout);
    QTemporaryDir dir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.filePath(QStringLiteral("settings")));
    // PERPSCOPE_BENCH_DB=FILE keeps the database between runs.
    const QString kept = qEnvironmentVariable("PERPSCOPE_BENCH_DB");
    const QString db = kept.isEmpty() ? dir.filePath(QStringLiteral("threevenues.db")) : kept;
    const qint64 bars = 365LL * 1440;
    if (kept.isEmpty() || !QFile::exists(kept)) {
        out << "filling " << bars << " 1m bars (1 year) for each of 3 venues...\n";
        out.flush();
        QElapsedTimer t;
        t.start();
        fill(db, bars);
        out << "filled in " << t.elapsed() / 1000.0 << " s\n";
    }

    MainWindow::Options o;
    o.store = db;
    o.startSource = false;
    o.instrument = venues().front().key();
    MainWindow window(o);
    window.resize(1900, 1100);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return 1;
    TimeSync *sync = window.timeSync();
    MarketWindowModel *model = window.marketModel();
    QTest::qWaitFor([&] { return model->hasData() && sync->dataExtent().isValid() && model->isCurrent(); }, 30000);
    auto *box = window.findChild<QComboBox *>(QStringLiteral("instrumentBox"));
    const Instrument all{QStringLiteral("ALL"), QStringLiteral("BTC")};
    QTest::qWaitFor([&] { return box->findData(all.key()) >= 0; }, 10000);
    if (box->findData(all.key()) < 0) {
        out << "the instrument box does not offer " << all.key() << "\n";
        return 1;
    }

    // One switch: pick the instrument in the box as a person does, until every pane has
    // drawn the window its view asks for.
    const auto switchTo = [&](const Instrument &i) {
        QElapsedTimer t;
        t.start();
        emit box->activated(box->findData(i.key()));
        const bool ok = QTest::qWaitFor(
            [&] { return model->window().instrument == i && model->isCurrent() && !model->window().candles.isEmpty(); }, 30000);
        QApplication::processEvents(); // the first frame: the queued replots of every pane
        if (!ok)
            out << "switch to " << i.key() << " did not finish\n";
        return t.nsecsElapsed() / 1e6;
    };
    QVector<double> single, aggregate;
    for (int k = 0; k < 7; ++k) {
        aggregate << switchTo(all);
        single << switchTo(venues()[k % 3]);
    }
    switchTo(all);
    const MarketWindow &w = model->window();
    out << QStringLiteral("ALL:BTC window: %1 candles at %2, %3 venues, %4 OI bars summed, %5 tape rows, partial: %6\n")
               .arg(w.candles.size())
               .arg(Timeframes::name(w.timeframe))
               .arg(w.venues.size())
               .arg(w.openInterestUsd.size())
               .arg(w.tape.size())
               .arg(w.missing.isEmpty() ? QStringLiteral("none") : w.missing.join(QStringLiteral("; ")));
    out << QStringLiteral("switch to ALL:BTC (3 venues x 1 year of 1m) -> first frame: median %1 ms (max %2 ms); "
                          "switch to one venue: median %3 ms; ratio %4x; target < 1000 ms\n")
               .arg(median(aggregate), 0, 'f', 1)
               .arg(*std::max_element(aggregate.cbegin(), aggregate.cend()), 0, 'f', 1)
               .arg(median(single), 0, 'f', 1)
               .arg(median(aggregate) / std::max(0.001, median(single)), 0, 'f', 2);
    return 0;
}
