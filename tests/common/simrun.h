#pragma once

#include "marketstats.h"
#include "sources/sim/simengine.h"
#include "sources/sim/simscenario.h"

// A simulator run kept in memory exactly as the store would hold it (a re-sent partial bar
// replaces the earlier version), for tests and tools that measure many seeds without the
// cost of a database (header-only: each test is its own executable).
namespace SimRun {

struct Result
{
    MarketStats::Series series;
    QVector<FundingSample> settled;
    SimEngine::Stats stats;
};

inline void append(Result &r, const MarketBatch &b)
{
    for (const Candle &c : b.candles) {
        if (!r.series.bars.isEmpty() && r.series.bars.back().ts == c.ts)
            r.series.bars.back() = c;
        else
            r.series.bars.push_back(c);
    }
    r.series.oi += b.openInterest;
    r.series.predicted += b.predictedFunding;
    r.series.liquidations += b.liquidations;
    r.settled += b.funding;
}

// `days` of history ending at endMs, after the scenario's warm-up. onHour (optional) is
// called with the engine after every simulated hour of the record.
template<typename OnHour>
Result run(const SimScenario &scenario, quint64 seed, double days, qint64 endMs, OnHour &&onHour)
{
    Result r;
    const qint64 start = endMs - qint64(days * 86400) * 1000;
    SimEngine engine(scenario, seed, Instrument{QStringLiteral("SIM"), QStringLiteral("BTCUSDT")}, start);
    engine.run(SimEngine::defaultWarmup);
    r.series.start = start;
    const qint64 ticks = qint64(days * 86400);
    for (qint64 done = 0; done < ticks; done += 3600) {
        engine.run(std::min<qint64>(3600, ticks - done));
        append(r, engine.take());
        onHour(engine);
    }
    r.stats = engine.stats();
    return r;
}

inline Result run(const SimScenario &scenario, quint64 seed, double days, qint64 endMs)
{
    return run(scenario, seed, days, endMs, [](const SimEngine &) {});
}

} // namespace SimRun
