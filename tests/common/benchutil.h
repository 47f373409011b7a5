#pragma once

#include "sources/syntheticsource.h"
#include "storage/marketstore.h"
#include "storage/storewriter.h"

#include <QFile>
#include <QVector>

#include <algorithm>
#include <ctime>

// Helpers shared by the benchmarks in tests/bench (header-only: each is its own program).
namespace BenchUtil {

inline double median(QVector<double> v)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// CPU seconds of this thread: on a shared machine wall time mostly measures the neighbours.
inline double cpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

// Peak resident set size of this process (VmHWM), in KiB.
inline long peakRssKb()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLong();
    return 0;
}

// Fills `db` with `bars` synthetic 1m bars (and their OI, funding, liquidations) from t0,
// through the real writer: the five-year databases the GUI benchmarks browse.
inline void fillSynthetic(const QString &db, const Instrument &instrument, qint64 t0, qint64 bars)
{
    SyntheticSource::Params p;
    p.instrument = instrument;
    p.startMs = t0;
    p.minutes = bars;
    SyntheticSource source(p);
    auto w = MarketStore::open(db).writer();
    for (qint64 done = 0; done < bars; done += 20'000)
        w->commit(source.generate(20'000));
}

} // namespace BenchUtil
