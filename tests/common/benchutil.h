#pragma once

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

} // namespace BenchUtil
