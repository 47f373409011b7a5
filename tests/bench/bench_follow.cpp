// bench_follow: GUI follow latency on a shared store (issue 18's goal: from a recorder's
// commit to the pane <= 1 s). A main window opened on the store runs no source; a writer on
// another connection (as the recorder process would be) commits one new 1m bar at a time,
// and the time from the commit's return to the window holding that bar is measured, on
// PostgreSQL (LISTEN/NOTIFY) and on an SQLite file (polled every StoreFollower::sqlitePollMs).
// Baseline in the same run: the window's own reload of the same view (what following costs
// beyond noticing). Wall time, median and worst of 15 commits each. Not part of the suite.

#include "mainwindow.h"
#include "marketwindowmodel.h"
#include "pgcluster.h"
#include "storage/marketstore.h"
#include "storage/storewriter.h"
#include "storefollower.h"

#include "benchutil.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QSettings>
#include <QTemporaryDir>
#include <QTextStream>

using namespace BenchUtil;

namespace {

constexpr qint64 t0 = 1'767'225'600'000; // 2026-01-01
const Instrument instrument = Instrument::parse(QStringLiteral("BINANCE:BTCUSDT"), QString());

bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return true;
}

struct Figures
{
    QVector<double> follow, reload;
};

Figures measure(const QString &locator, QTextStream &out)
{
    Figures f;
    fillSynthetic(locator, instrument, t0, 30 * 1440); // 30 days
    MainWindow::Options o;
    o.store = StoreLocator(locator);
    o.persistSettings = false;
    o.source = QStringLiteral("none");
    o.instrument = instrument.key();
    MainWindow w(o);
    w.resize(1500, 950);
    w.show();
    MarketWindowModel *model = w.marketModel();
    if (!waitFor([&] { return model->hasData() && w.storeFollower()->state() == QLatin1String("following"); }, 20000)) {
        out << "  window did not load or follow: " << w.storeFollower()->state() << "\n";
        return f;
    }
    auto writer = MarketStore::open(StoreLocator(locator)).writer();
    qint64 next = model->window().extent.to;
    for (int i = 0; i < 15; ++i) {
        waitFor([] { return false; }, 150); // let the previous load settle
        MarketBatch b;
        b.instrument = instrument;
        const double p = 90'000 + i;
        b.candles.push_back({next, p, p + 5, p - 5, p + 1, 10, 10 * p, 4});
        writer->commit(b);
        QElapsedTimer t;
        t.start();
        const qint64 want = next + 60'000;
        if (!waitFor([&] { return model->window().extent.to >= want; }, 10000)) {
            out << "  bar " << i << " never reached the window\n";
            break;
        }
        f.follow << t.nsecsElapsed() / 1e6;
        next = want;
        // Baseline: the same window reloaded on request.
        waitFor([] { return false; }, 100);
        int loads = 0;
        QMetaObject::Connection c = QObject::connect(model, &MarketWindowModel::windowChanged, [&] { ++loads; });
        t.restart();
        model->reload();
        waitFor([&] { return loads > 0; }, 10000);
        f.reload << t.nsecsElapsed() / 1e6;
        QObject::disconnect(c);
    }
    return f;
}

void print(QTextStream &out, const char *name, const Figures &f)
{
    if (f.follow.isEmpty())
        return;
    const double worst = *std::max_element(f.follow.cbegin(), f.follow.cend());
    const double reload = median(f.reload);
    out << "  " << name << ": commit -> window median " << QString::number(median(f.follow), 'f', 1) << " ms, worst "
        << QString::number(worst, 'f', 1) << " ms (goal <= 1000 ms); reload alone median " << QString::number(reload, 'f', 1)
        << " ms; ratio follow/reload " << QString::number(median(f.follow) / std::max(0.01, reload), 'f', 2) << "x\n";
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QTemporaryDir dir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.filePath(QStringLiteral("settings")));
    QTextStream out(stdout);
    out << "bench_follow: a recorder's commit -> the GUI window holding the bar (15 one-bar commits)\n";
    PgCluster cluster;
    QString why;
    if (cluster.start(&why)) {
        print(out, "PostgreSQL (LISTEN/NOTIFY)", measure(cluster.uri(), out));
        out.flush();
        cluster.stop();
    } else {
        out << "  PostgreSQL: cannot start a cluster: " << why << "\n";
    }
    print(out, "SQLite (polled)", measure(dir.filePath(QStringLiteral("follow.db")), out));
    return 0;
}
