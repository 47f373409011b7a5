// The simulator against the real market (research figures in the README's table): runs
// presets and seeds for 30 days (the engine alone, batches kept in memory exactly as the store
// would hold them), prints the table per run beside the real figures, and what drives it: who
// is liquidated at what leverage, open interest by population and leverage, volume and book
// depth relative to OI, the worst 12 h OI drop and who made it, the largest 1m moves, settled
// funding and daily liquidations. The time of each run is printed too (the 30-day cost of
// bench_simulator's engine baseline).
// Usage: bench_simrealism [--days D] [--seeds 42,7,1001] [--presets calm,treadmill,crash]
//                         [--param key=value]...
// Environment: SIM_DUMP_DAY=N (half-hourly price, OI, liquidations and funding around day N),
// SIM_DUMP_LOTS=1 (hourly net positions by population, first 72 h), SIM_DUMP_MINUTES=M (two
// hours of 1m bars and OI from minute M).
#include "simrun.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QStringList>

#include <cstdio>
#include <map>

using namespace MarketStats;

namespace {

constexpr qint64 end = 1'769'817'600'000; // 2026-01-31T00:00:00Z

struct Run
{
    Series series;
    QVector<FundingSample> settled;
    SimEngine::Stats stats;
    double seconds = 0;
    double volumeUsd = 0;
    std::map<int, double> oiByLeverage; // mean notional
    std::array<double, 7> oiByKind{};
    double meanOiUsd = 0;
    double meanDepth = 0;
    std::vector<std::array<double, 8>> hourlyLots; // long lots per kind (arbitrageur, maker: |lots|), then OI
    std::vector<SimEngine::Stats> hourlyStats;
};

const char *kindName(int k)
{
    static const char *names[] = {"momentum", "breakout", "dip buyer", "noise", "arbitrageur", "market maker", "engine"};
    return names[k];
}

Run simulate(const SimScenario &scenario, quint64 seed, double days)
{
    Run run;
    QElapsedTimer t;
    t.start();
    int samples = 0;
    SimRun::Result r = SimRun::run(scenario, seed, days, end, [&](const SimEngine &engine) {
        // Hourly composition of open interest.
        const double mark = engine.markPrice();
        std::array<double, 8> lots{};
        engine.accounts().forEachAlive([&](quint32, const AccountBook::Account &a) {
            lots[size_t(a.kind)] += SimUnits::coins(a.lots);
            const double usd = SimUnits::coins(qAbs(a.lots)) * mark;
            if (a.lots > 0 || a.kind == AccountBook::Kind::Arbitrageur)
                run.oiByKind[size_t(a.kind)] += usd;
            if (a.lots > 0 && a.liquidatable)
                run.oiByLeverage[int(std::lround(a.leverage))] += usd;
        });
        lots[7] = SimUnits::coins(engine.accounts().openInterestLots());
        run.hourlyLots.push_back(lots);
        run.hourlyStats.push_back(engine.stats());
        run.meanOiUsd += SimUnits::coins(engine.accounts().openInterestLots()) * mark;
        run.meanDepth += engine.marketMakerDepthFactor();
        ++samples;
    });
    run.series = std::move(r.series);
    run.settled = std::move(r.settled);
    run.stats = r.stats;
    for (const Candle &c : run.series.bars)
        run.volumeUsd += c.quoteVolume;
    for (auto &[lev, usd] : run.oiByLeverage)
        usd /= samples;
    for (double &usd : run.oiByKind)
        usd /= samples;
    run.meanOiUsd /= samples;
    run.meanDepth /= samples;
    run.seconds = t.elapsed() / 1000.0;
    return run;
}

void print(const QString &preset, quint64 seed, const Run &run, double days, double depthUsd)
{
    const Realism r = realism(run.series, run.settled);
    std::printf("\n== %s, seed %llu, %.0f days (%.1f s) ==\n", qPrintable(preset), static_cast<unsigned long long>(seed), days, run.seconds);
    std::printf("%-42s %10s  %-14s %s\n", "figure", "measured", "target", "real");
    for (const Target &t : treadmillTargets(r))
        std::printf("%-42s %10.3f  %5.2f-%-7.2f %s %s\n", t.name, t.value, t.lo, t.hi, t.ok() ? "  " : "!!", realFigure(t.name));
    std::printf("price %.0f -> %.0f (low %.0f, high %.0f); ", run.series.bars.front().open, run.series.bars.back().close,
                run.series.extreme(run.series.start, run.series.end(), true).second, run.series.extreme(run.series.start, run.series.end(), false).second);
    std::printf("daily liquidations / OI, max %.3f %%; liquidations total $%.1fM over %lld prints\n", r.liqMaxPct,
                run.stats.liquidation.liquidatedUsd / 1e6, qint64(run.series.liquidations.size()));
    const double meanOi = run.meanOiUsd;
    std::printf("mean OI $%.1fM; daily volume / OI %.2f; quoted depth within 1 %% per side $%.1fM calm = %.2f %% of OI; mean depth factor %.2f\n",
                meanOi / 1e6, run.volumeUsd / days / meanOi, depthUsd / 1e6, 100 * depthUsd / meanOi, run.meanDepth);
    std::printf("OI (long side, mean) by kind:");
    for (int k = 0; k < 5; ++k)
        std::printf(" %s %.1f %%", kindName(k), 100 * run.oiByKind[size_t(k)] / meanOi);
    std::printf("\nbreached notional by kind:");
    double breached = 0;
    for (double v : run.stats.liquidation.byKindUsd)
        breached += v;
    for (int k = 0; k < 4; ++k)
        std::printf(" %s %.1f %%", kindName(k), 100 * run.stats.liquidation.byKindUsd[size_t(k)] / std::max(1.0, breached));
    std::printf("\nleverage: long OI share / breached share / breached per day as %% of its own OI\n");
    for (const auto &[lev, usd] : run.oiByLeverage) {
        const auto it = run.stats.liquidation.byLeverageUsd.find(lev);
        const double b = it == run.stats.liquidation.byLeverageUsd.end() ? 0 : it->second;
        std::printf("  %3dx  %5.1f %%  %5.1f %%  %7.2f %%\n", lev, 100 * usd / meanOi, 100 * b / std::max(1.0, breached),
                    usd > 0 ? 100 * b / days / (2 * usd) : 0);
    }
    std::printf("takeovers %lld, partials %lld, ADL accounts %lld ($%.1fM), insurance fund min $%.2fM; entries %lld exits %lld triggered %lld margin calls acted on %lld\n",
                run.stats.liquidation.takeovers, run.stats.liquidation.partials, run.stats.liquidation.adlAccounts,
                run.stats.liquidation.adlUsd / 1e6, run.stats.liquidation.minInsuranceFund / 1e6, run.stats.entries, run.stats.exits,
                run.stats.triggered, run.stats.marginCalls);
    std::printf("OI change, coins, 5-minute samples (real 1h p5/p95 -0.75/+0.73 %%, 4h -1.57/+1.29, 12h -3.07/+2.09):");
    for (int hours : {1, 4, 12}) {
        const auto oi = openInterestAt(run.series.oi, run.series.start, run.series.end(), 300'000);
        std::vector<double> ch;
        const size_t w = size_t(hours * 12);
        for (size_t i = 0; i + w < oi.size(); ++i)
            ch.push_back(oi[i + w] / oi[i] - 1);
        std::printf(" %dh p5 %.2f p95 %.2f;", hours, 100 * percentile(ch, 0.05), 100 * percentile(ch, 0.95));
    }
    std::printf("\n");
    std::printf("s.d. of hourly net position change by kind, %% of OI:");
    for (int k = 0; k < 8; ++k) {
        std::vector<double> ch;
        for (size_t h = 1; h < run.hourlyLots.size(); ++h)
            ch.push_back((run.hourlyLots[h][size_t(k)] - run.hourlyLots[h - 1][size_t(k)]) / run.hourlyLots[h - 1][7]);
        double m = mean(ch), v = 0;
        for (double x : ch)
            v += (x - m) * (x - m);
        std::printf(" %s %.2f", k < 7 ? kindName(k) : "OI", 100 * std::sqrt(v / double(ch.size())));
    }
    std::printf("\n");
    {
        std::vector<double> d1, d60;
        const auto &oi = run.series.oi;
        for (qsizetype i = 1; i < oi.size(); ++i)
            d1.push_back(oi[i].openInterest / oi[i - 1].openInterest - 1);
        for (qsizetype i = 60; i < oi.size(); i += 60)
            d60.push_back(oi[i].openInterest / oi[i - 60].openInterest - 1);
        const auto var = [](const std::vector<double> &x) {
            double m = mean(x), v = 0;
            for (double y : x)
                v += (y - m) * (y - m);
            return v / double(x.size());
        };
        std::printf("OI 1m change s.d. %.3f %%, 60m %.3f %%, variance ratio %.2f; 1m |change| > 0.5 %%: %.3f %% of minutes carrying %.0f %% of the 1m variance\n",
                    100 * std::sqrt(var(d1)), 100 * std::sqrt(var(d60)), var(d60) / (60 * var(d1)),
                    100.0 * double(std::count_if(d1.begin(), d1.end(), [](double x) { return std::abs(x) > 0.005; })) / double(d1.size()),
                    [&] { double big = 0, all = 0; for (double x : d1) { all += x * x; if (std::abs(x) > 0.005) big += x * x; } return 100 * big / all; }());
    }
    {
        // The worst 12 h OI drop on the hourly samples, and who made it.
        size_t worst = 0;
        double worstChange = 0;
        for (size_t h = 0; h + 12 < run.hourlyLots.size(); ++h) {
            const double c = run.hourlyLots[h + 12][7] / run.hourlyLots[h][7] - 1;
            if (c < worstChange) {
                worstChange = c;
                worst = h;
            }
        }
        std::printf("worst 12 h OI change on hourly samples: %.1f %% from hour %zu (price %.0f -> %.0f):", 100 * worstChange, worst,
                    run.series.close(run.series.start + qint64(worst + 1) * 3'600'000 - 60'000),
                    run.series.close(run.series.start + qint64(worst + 13) * 3'600'000 - 60'000));
        for (int k = 0; k < 6; ++k)
            std::printf(" %s %+.1f", kindName(k), run.hourlyLots[worst + 12][size_t(k)] - run.hourlyLots[worst][size_t(k)]);
        const SimEngine::Stats &a = run.hourlyStats[worst], &b = run.hourlyStats[worst + 12];
        std::printf(" (coins, net; OI %.1f); longs closed: planned $%.2fM, stop/TP $%.2fM, margin-call cut $%.2fM, liquidated $%.2fM (both sides)\n",
                    run.hourlyLots[worst][7], (b.longClosedPlannedUsd - a.longClosedPlannedUsd) / 1e6, (b.longClosedTriggeredUsd - a.longClosedTriggeredUsd) / 1e6,
                    (b.longClosedCutUsd - a.longClosedCutUsd) / 1e6, (b.liquidation.liquidatedUsd - a.liquidation.liquidatedUsd) / 1e6);
    }
    if (qEnvironmentVariableIsSet("SIM_DUMP_LOTS"))
        for (size_t h = 0; h < std::min<size_t>(72, run.hourlyLots.size()); ++h) {
            const auto &l = run.hourlyLots[h];
            std::printf("  h%3zu OI %7.1f mom %7.1f brk %6.1f dip %6.1f noise %6.1f arb %7.1f mm %7.1f price %.0f funding %.4f\n", h, l[7], l[0], l[1], l[2], l[3], l[4], l[5],
                        run.series.close(run.series.start + qint64(h + 1) * 3'600'000 - 60'000),
                        100 * run.series.fundingMean(run.series.start + qint64(h) * 3'600'000, run.series.start + qint64(h + 1) * 3'600'000));
        }
    if (qEnvironmentVariableIsSet("SIM_DUMP_MINUTES")) {
        const qint64 from = run.series.start + qEnvironmentVariableIntValue("SIM_DUMP_MINUTES") * 60'000LL;
        for (qint64 t = from; t < from + 120 * 60'000LL; t += 60'000) {
            const qsizetype m = run.series.minute(t);
            const Candle &c = run.series.bars[m];
            std::printf("  %s o %.0f c %.0f vol %.2f buy %.2f OI %.3f\n", qPrintable(QDateTime::fromMSecsSinceEpoch(t, Qt::UTC).toString(Qt::ISODate)), c.open,
                        c.close, c.volume, c.takerBuyVolume, run.series.oi[m].openInterest);
        }
    }
    {
        std::vector<std::pair<double, qsizetype>> moves;
        for (qsizetype i = 1; i < run.series.bars.size(); ++i)
            moves.push_back({std::abs(std::log(run.series.bars[i].close / run.series.bars[i - 1].close)), i});
        std::sort(moves.begin(), moves.end(), std::greater<>());
        std::printf("largest 1m moves (bp):");
        for (size_t k = 0; k < 8; ++k) {
            const Candle &c = run.series.bars[moves[k].second];
            std::printf(" %s %+.0f (liq $%.2fM)", qPrintable(QDateTime::fromMSecsSinceEpoch(c.ts, Qt::UTC).toString(QStringLiteral("dd hh:mm"))),
                        1e4 * std::log(c.close / run.series.bars[moves[k].second - 1].close),
                        liquidationNotional(run.series.liquidations, c.ts, c.ts + 60'000, 60'000)[0] / 1e6);
        }
        std::printf("\n");
    }
    std::printf("settled funding (bp):");
    for (const FundingSample &f : run.settled)
        std::printf(" %.2f", f.rate * 1e4);
    std::printf("\n");
    const auto daily = dailyLiquidationShare(run.series);
    std::printf("daily liq/OI %%:");
    for (double d : daily)
        std::printf(" %.2f", d * 100);
    std::printf("\n");
    const int dumpDay = qEnvironmentVariableIntValue("SIM_DUMP_DAY");
    if (qEnvironmentVariableIsSet("SIM_DUMP_DAY")) {
        const qint64 from = run.series.start + qint64(dumpDay) * 86'400'000LL - 43'200'000LL;
        const auto liq = liquidationNotional(run.series.liquidations, from, from + 2 * 86'400'000LL, 1'800'000);
        for (size_t h = 0; h < liq.size(); ++h) {
            const qint64 t = from + qint64(h) * 1'800'000;
            const auto [lowAt, low] = run.series.extreme(t, t + 1'800'000, true);
            const auto [highAt, high] = run.series.extreme(t, t + 1'800'000, false);
            std::printf("  %s close %.0f low %.0f high %.0f OI %.1f liq $%.2fM funding %.4f %%\n", qPrintable(QDateTime::fromMSecsSinceEpoch(t, Qt::UTC).toString(Qt::ISODate)),
                        run.series.close(t + 1'740'000), low, high, run.series.openInterest(t + 1'740'000), liq[h] / 1e6,
                        run.series.fundingMean(t, t + 1'800'000) * 100);
            (void)lowAt;
            (void)highAt;
        }
    }
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    double days = 30;
    QStringList seeds{QStringLiteral("42")}, presets{QStringLiteral("treadmill")};
    QMap<QString, QString> params;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--days"))
            days = args[i + 1].toDouble();
        else if (args[i] == QLatin1String("--seeds"))
            seeds = args[i + 1].split(QLatin1Char(','));
        else if (args[i] == QLatin1String("--presets"))
            presets = args[i + 1].split(QLatin1Char(','));
        else if (args[i] == QLatin1String("--param"))
            params.insert(args[i + 1].section(QLatin1Char('='), 0, 0), args[i + 1].section(QLatin1Char('='), 1));
    }
    for (const QString &preset : presets) {
        QString error;
        const auto scenario = SimScenario::build(preset, params, &error);
        if (!scenario) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 2;
        }
        for (const QString &seed : seeds)
            print(preset, seed.toULongLong(), simulate(*scenario, seed.toULongLong(), days), days, scenario->params().depth);
    }
    return 0;
}
