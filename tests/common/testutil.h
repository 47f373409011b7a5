#pragma once

#include "domain/candle.h"

#include <QDir>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <QtTest>

#include <random>

// Small helpers shared by the tests (header-only: each test is its own executable).
namespace TestUtil {

inline QString dataFile(const QString &name)
{
    return QStringLiteral(PERPSCOPE_TEST_DATA) + QLatin1Char('/') + name;
}

// Runs the real perpscope binary; returns exit code, fills stdout/stderr.
struct RunResult
{
    int exitCode = -1;
    QString out;
    QString err;
};

inline RunResult runPerpscope(const QStringList &args, int timeoutMs = 120000)
{
    QProcess p;
    p.start(QStringLiteral(PERPSCOPE_BINARY), args);
    RunResult r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("timeout");
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

// Random but valid 1m bars (a walk), minute-aligned from startMs.
inline QVector<Candle> randomBars(std::mt19937_64 &rng, qint64 startMs, int count, double startPrice = 100.0)
{
    std::normal_distribution<double> n(0, 0.002);
    std::uniform_real_distribution<double> u(0, 1);
    QVector<Candle> out;
    double price = startPrice;
    for (int i = 0; i < count; ++i) {
        const double open = price;
        const double close = open * std::exp(n(rng));
        const double high = std::max(open, close) * (1 + u(rng) * 0.001);
        const double low = std::min(open, close) * (1 - u(rng) * 0.001);
        const double vol = 1 + u(rng) * 10;
        out.push_back({startMs + i * 60'000LL, open, high, low, close, vol, vol * (open + close) / 2, vol * u(rng)});
        price = close;
    }
    return out;
}

} // namespace TestUtil
