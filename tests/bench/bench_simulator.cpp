// 30 simulated days of 1 s ticks with the default preset (treadmill), end to end into the
// store through the real data thread and writer; goal <= 15 s. Baselines measured in the
// same run: the simulator alone (no store), and writing the very same batches through
// StoreWriter alone. Medians of three runs each. Also a restart on the stored month (issue
// 12.3): the run is replayed silently and checked against the store, then an hour added.
#include "sources/datathread.h"
#include "sources/sim/simengine.h"
#include "sources/sim/simulator.h"
#include "sources/sourcefactory.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "storage/storewriter.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

constexpr double days = 30;
constexpr qint64 end = 1'769'817'600'000; // 2026-01-31T00:00:00Z
constexpr qint64 ticks = qint64(days * 86400);

SourceOptions sourceOptions(const QString &store = {}, qint64 endMs = end)
{
    SourceOptions o;
    o.source = QStringLiteral("sim");
    o.days = days;
    o.endMs = endMs;
    o.store = store;
    return o;
}

// CPU seconds of the whole process (every thread): on a machine shared with other jobs the
// wall clock measures the neighbours too, so each figure is printed both ways.
double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct Clock
{
    QElapsedTimer wall;
    double cpu0 = cpuSeconds();
    Clock() { wall.start(); }
    double stop(std::vector<double> *cpu) const
    {
        if (cpu)
            cpu->push_back(cpuSeconds() - cpu0);
        return wall.elapsed() / 1000.0;
    }
};

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double endToEnd(const QString &path, std::vector<double> *cpu, qint64 endMs = end)
{
    QString error;
    DataSource *source = SourceFactory::create(sourceOptions(path, endMs), &error);
    if (!source)
        qFatal("%s", qPrintable(error));
    MarketStore::open(path);
    const Clock t;
    {
        DataThread data(path);
        QEventLoop loop;
        QObject::connect(&data, &DataThread::sourceFinished, &loop, &QEventLoop::quit);
        QObject::connect(&data, &DataThread::storeError, &loop, [&](const QString &m) { qFatal("%s", qPrintable(m)); });
        data.setSource(source);
        loop.exec();
        data.sync();
    }
    return t.stop(cpu);
}

// The simulator alone, in 4 h slices as the source runs it; keeps the batches.
double simulatorAlone(std::vector<MarketBatch> *batches, std::vector<double> *cpu)
{
    QString error;
    std::unique_ptr<DataSource> source(SourceFactory::create(sourceOptions(), &error));
    const Simulator::Options &o = static_cast<Simulator *>(source.get())->options();
    const Clock t;
    SimEngine engine(o.scenario, o.seed, o.instrument, o.startMs, o.warmupSeconds);
    engine.run(o.warmupSeconds);
    for (qint64 done = 0; done < ticks; done += 4 * 3600) {
        engine.run(std::min<qint64>(4 * 3600, ticks - done));
        MarketBatch b = engine.take();
        if (batches)
            batches->push_back(std::move(b));
    }
    return t.stop(cpu);
}

double storeAlone(const QString &path, const std::vector<MarketBatch> &batches, qint64 *rows, std::vector<double> *cpu)
{
    MarketStore::open(path);
    auto writer = MarketStore::openExisting(path).writer();
    const Clock t;
    *rows = 0;
    for (const MarketBatch &b : batches) {
        writer->commit(b);
        *rows += b.rowCount();
    }
    return t.stop(cpu);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // each run's line as it is measured
    QTemporaryDir dir;
    std::vector<double> e2e, sim, store, resume, e2eCpu, simCpu, storeCpu, resumeCpu;
    qint64 rows = 0;
    for (int run = 0; run < 3; ++run) {
        const QString path = dir.filePath(QStringLiteral("e2e%1.db").arg(run));
        e2e.push_back(endToEnd(path, &e2eCpu));
        resume.push_back(endToEnd(path, &resumeCpu, end + 3'600'000)); // the same store, an hour later
        std::vector<MarketBatch> batches;
        sim.push_back(simulatorAlone(&batches, &simCpu));
        store.push_back(storeAlone(dir.filePath(QStringLiteral("store%1.db").arg(run)), batches, &rows, &storeCpu));
        std::printf("run %d: end to end %.2f s, restart + 1 h %.2f s, simulator alone %.2f s, store alone %.2f s\n", run + 1, e2e.back(),
                    resume.back(), sim.back(), store.back());
    }
    const double e = median(e2e), s = median(sim), w = median(store), r = median(resume);
    std::printf("\n30 simulated days (%lld ticks + a week of warm-up), preset treadmill, seed 42; %lld rows stored\n", ticks, rows);
    std::printf("end to end into the store: %.2f s = %.0f ticks/s (goal <= 15 s)\n", e, ticks / e);
    std::printf("baseline simulator alone:  %.2f s = %.0f ticks/s   (end to end / this = %.2f)\n", s, ticks / s, e / s);
    std::printf("baseline StoreWriter alone, same batches: %.2f s = %.0f rows/s   (end to end / this = %.2f)\n", w, rows / w, e / w);
    std::printf("end to end / (simulator + writer): %.2f\n", e / (s + w));
    std::printf("CPU seconds (all threads; the same figures without the machine's other jobs): end to end %.2f, restart + 1 h %.2f, "
                "simulator alone %.2f, writer alone %.2f; end to end / simulator = %.2f, restart / simulator = %.2f\n",
                median(e2eCpu), median(resumeCpu), median(simCpu), median(storeCpu), median(e2eCpu) / median(simCpu),
                median(resumeCpu) / median(simCpu));
    std::printf("restart on the stored month, replayed and checked, then 1 h added: %.2f s   (/ simulator alone = %.2f, / end to end = %.2f)\n",
                r, r / s, r / e);
    return 0;
}
