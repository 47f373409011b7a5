#pragma once

// Helpers of the fault-injection loops: how many rounds (PERPSCOPE_FAULT_ROUNDS, default
// 20), a seeded random source for the moments (the seed is printed, so a failing round
// can be replayed with PERPSCOPE_FAULT_SEED), running the real perpscope binary with a
// kill -9 at a chosen moment or under a file size limit, and the line each loop prints for
// the closing table: fault, rounds, rows lost, processes crashed or hung.
// Header-only: each test is its own executable.

#include "storage/candleaggregator.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "testutil.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QProcess>

#include <csignal>
#include <functional>
#include <random>
#include <sys/resource.h>
#include <unistd.h>

namespace FaultLoop {

inline int rounds()
{
    bool ok = false;
    const int n = qEnvironmentVariableIntValue("PERPSCOPE_FAULT_ROUNDS", &ok);
    return ok && n > 0 ? n : 20;
}

inline std::mt19937_64 &rng()
{
    static std::mt19937_64 r = [] {
        bool ok = false;
        const quint64 seed = qEnvironmentVariable("PERPSCOPE_FAULT_SEED").toULongLong(&ok);
        const quint64 s = ok ? seed : quint64(QDateTime::currentMSecsSinceEpoch());
        qInfo("fault moments: PERPSCOPE_FAULT_SEED=%llu", s);
        return std::mt19937_64(s);
    }();
    return r;
}

inline qint64 uniform(qint64 lo, qint64 hi)
{
    return std::uniform_int_distribution<qint64>(lo, std::max(lo, hi))(rng());
}

// One line of the closing table (grep FAULT-TABLE in the test log).
inline void report(const QString &fault, int tried, qint64 lost, int crashedOrHung)
{
    qInfo().noquote() << QStringLiteral("FAULT-TABLE | %1 | %2 | %3 | %4").arg(fault).arg(tried).arg(lost).arg(crashedOrHung);
}

// kill -9 of a child that is still running. (Never kill(0, ...): processId() is 0 once the
// child has ended, and pid 0 means this whole process group, the test included.)
inline bool killNine(QProcess &p)
{
    const qint64 pid = p.processId();
    if (p.state() == QProcess::NotRunning || pid <= 0)
        return false;
    return ::kill(pid_t(pid), SIGKILL) == 0;
}

struct Run
{
    bool killed = false;   // we killed it (it was still running)
    bool crashed = false;  // it died by a signal we did not send, or never ended
    int exitCode = -1;
    QString err;
    qint64 ms = 0;
};

// Starts perpscope with args; kills it with SIGKILL after killAfterMs (< 0: never) unless
// it ended before; a run that has not ended after timeoutMs counts as hung.
inline Run run(const QStringList &args, qint64 killAfterMs, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
               std::function<void()> childSetup = {}, int timeoutMs = 180'000)
{
    QProcess p;
    p.setProcessEnvironment(env);
    if (childSetup)
        p.setChildProcessModifier(childSetup);
    QElapsedTimer t;
    t.start();
    p.start(QStringLiteral(PERPSCOPE_BINARY), args);
    Run r;
    if (!p.waitForStarted(30'000)) {
        r.crashed = true;
        return r;
    }
    if (killAfterMs >= 0 && !p.waitForFinished(int(killAfterMs)))
        r.killed = killNine(p);
    if (p.state() != QProcess::NotRunning && !p.waitForFinished(timeoutMs)) {
        killNine(p);
        p.waitForFinished();
        r.crashed = true; // hung
    }
    r.ms = t.elapsed();
    r.err = QString::fromUtf8(p.readAllStandardError());
    if (!r.killed && p.exitStatus() == QProcess::CrashExit)
        r.crashed = true;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return r;
}

// The child writes no file beyond `bytes` (EFBIG, as a full disk would refuse it); SIGXFSZ
// is ignored so the write fails instead of killing the process.
inline std::function<void()> fileSizeLimit(rlim_t bytes)
{
    return [bytes] {
        ::signal(SIGXFSZ, SIG_IGN);
        const rlimit limit{bytes, bytes};
        ::setrlimit(RLIMIT_FSIZE, &limit);
    };
}

// What a kill may leave: a database that opens and passes integrity_check, whose tiers are
// exactly the aggregation of its 1m bars (no torn batch). Returns the stored 1m bars.
inline QVector<Candle> checkIntact(const QString &db, const Instrument &i, QString *problem)
{
    try {
        const MarketStore store = MarketStore::open(db);
        if (const QString check = store.integrityCheck(); check != QLatin1String("ok")) {
            *problem = QStringLiteral("integrity_check: ") + check;
            return {};
        }
        auto reader = store.reader();
        const TimeRange all{0, 4'102'444'800'000};
        const QVector<Candle> bars = reader->candles(i, Timeframe::M1, all);
        for (Timeframe tf : {Timeframe::H1, Timeframe::D1})
            if (reader->candles(i, tf, all) != CandleAggregator::toTimeframe(bars, tf)) {
                *problem = QStringLiteral("the %1 tier is not the aggregate of the stored 1m bars").arg(Timeframes::name(tf));
                return {};
            }
        return bars;
    } catch (const std::exception &e) {
        *problem = QString::fromUtf8(e.what());
        return {};
    }
}

} // namespace FaultLoop
