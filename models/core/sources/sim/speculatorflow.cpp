#include "speculatorflow.h"

#include "marginbrackets.h"
#include "marketsignals.h"
#include "simunits.h"

#include <algorithm>
#include <cmath>

namespace {

constexpr double hour = 3600.0;
// Mean holding times (s): most open interest is held for a day or more (daily volume / OI
// ~ 2-3, as on the big venues); high leverage shortens it (see add()).
constexpr double momentumHold = 24 * hour, breakoutHold = 12 * hour, dipHold = 6 * hour, noiseHold = 1 * hour;
// Arrivals per second for every 20,000 agents: momentum at z = 0 (it grows with |z|), the
// breakout crowd right after a break, dip buyers at twice the drawdown threshold, noise.
constexpr double momentumPer20k = 0.15, breakoutPer20k = 0.1, dipPer20k = 0.3, noisePer20k = 0.3;

double normalCdf(double x)
{
    return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

} // namespace

SpeculatorFlow::SpeculatorFlow(const Config &config, quint64 seed)
    : m_config(config)
    , m_rng(seed, 2)
{
    const double scale = config.agents / 20'000.0;
    m_momentumRate = momentumPer20k * scale;
    m_breakoutRate = breakoutPer20k * scale;
    m_dipRate = dipPer20k * scale;
    m_noiseRate = noisePer20k * scale;
}

double SpeculatorFlow::pickLeverage(AccountBook::Kind kind, double greed)
{
    const double hi = m_config.leverage * greed;
    // The appetite moves weight into the high tiers and out of the low ones.
    switch (kind) {
    case AccountBook::Kind::Momentum: {
        // Most notional runs at modest leverage; the appetite scales the 20x+ tiers.
        static const double levels[] = {2, 3, 5, 10, 20, 25, 50, 100};
        const double w[] = {0.06, 0.08, 0.14, 0.24, 0.18 * hi, 0.12 * hi, 0.12 * hi, 0.06 * hi};
        return levels[m_rng.pick(w, 8)];
    }
    case AccountBook::Kind::Breakout: {
        static const double levels[] = {5, 10, 20, 25, 50, 100};
        const double w[] = {0.2, 0.3, 0.2 * hi, 0.15 * hi, 0.1 * hi, 0.05 * hi};
        return levels[m_rng.pick(w, 6)];
    }
    case AccountBook::Kind::DipBuyer: {
        static const double levels[] = {3, 5, 10, 20, 25};
        const double w[] = {0.2, 0.3, 0.3, 0.12 * hi, 0.08 * hi};
        return levels[m_rng.pick(w, 5)];
    }
    default: {
        static const double levels[] = {2, 3, 5, 10, 20};
        const double w[] = {0.2, 0.2, 0.25, 0.25, 0.1};
        return levels[m_rng.pick(w, 5)];
    }
    }
}

int SpeculatorFlow::roundTick(int side, double price) const
{
    // The nearest round number on the near side that is not right at the touch, within 2 %.
    const double step = m_config.roundStep;
    double level = side > 0 ? std::floor(price / step) * step : std::ceil(price / step) * step;
    if (std::abs(price - level) < price * 0.001)
        level += side > 0 ? -step : step;
    if (std::abs(price - level) > price * 0.02 || level <= 0)
        return 0;
    return int(std::lround(level / SimUnits::tickSize));
}

void SpeculatorFlow::add(AccountBook::Kind kind, int side, double price, std::vector<Entry> &out, double greed)
{
    Entry e{};
    e.kind = kind;
    e.side = side;
    switch (kind) {
    case AccountBook::Kind::Noise:
        e.notional = std::min(2e6, 3000.0 * std::exp(1.0 * m_rng.normal()));
        e.holdSeconds = qint64(m_rng.exponential(noiseHold)) + 1;
        break;
    case AccountBook::Kind::DipBuyer:
        e.notional = m_rng.pareto(5000, 1.6, 3e6);
        e.holdSeconds = qint64(m_rng.exponential(dipHold)) + 1;
        break;
    case AccountBook::Kind::Breakout:
        e.notional = m_rng.pareto(5000, 1.5, 5e6);
        e.holdSeconds = qint64(m_rng.exponential(breakoutHold)) + 1;
        break;
    default:
        e.notional = m_rng.pareto(5000, 1.5, 5e6);
        e.holdSeconds = qint64(m_rng.exponential(momentumHold * (0.3 + 1.4 * m_rng.uniform()))) + 1;
        break;
    }
    // Exchange limit: the bracket of the notional caps the leverage.
    const double maxLev = MarginBrackets::btcusdt().maxLeverage(e.notional);
    e.leverage = std::min(pickLeverage(kind, greed), maxLev);
    // High leverage is a short-term game: such traders hold for less time and use stops more.
    const double highLeverage = std::min(1.0, 10.0 / e.leverage);
    e.holdSeconds = std::max<qint64>(1, qint64(double(e.holdSeconds) * std::sqrt(std::sqrt(highLeverage))));

    const bool resting = (kind == AccountBook::Kind::Momentum || kind == AccountBook::Kind::DipBuyer) && m_rng.chance(m_config.roundEntries);
    e.limitTick = resting ? roundTick(side, price) : 0;
    const double entry = e.limitTick ? e.limitTick * SimUnits::tickSize : price;
    const double step = m_config.roundStep;
    const double liqDistance = 1.0 / e.leverage - 0.005; // rough: a stop must sit inside it
    if (kind == AccountBook::Kind::Momentum || kind == AccountBook::Kind::Breakout) {
        if (m_rng.chance(0.5)) // take profit at the next round number beyond 0.5 %
            e.takeProfit = side > 0 ? std::ceil(entry * 1.005 / step) * step : std::floor(entry * 0.995 / step) * step;
        if (m_rng.chance(e.leverage >= 50 ? 0.6 : 0.3) && liqDistance > 0.004) {
            // Stops sit just beyond a round number between entry and liquidation.
            const double room = entry * liqDistance * 0.7;
            const double level = side > 0 ? std::floor((entry - room * 0.5) / step) * step : std::ceil((entry + room * 0.5) / step) * step;
            const double stop = level - side * entry * 0.0005;
            if (std::abs(stop - entry) < room && std::abs(stop - entry) > entry * 0.002)
                e.stopLoss = stop;
        }
    } else if (kind == AccountBook::Kind::DipBuyer) {
        e.takeProfit = entry * 1.02;
    }
    out.push_back(e);
}

void SpeculatorFlow::decide(const MarketSignals &market, double price, double predictedFunding, std::vector<Entry> &out)
{
    const double z = std::clamp(market.trend(), -3.0, 3.0);
    // Quiet weeks breed leverage.
    const double greed = std::clamp(market.calmSigma() / std::max(1e-12, market.sigmaLong()), 0.6, 1.8);

    // Funding above baseline makes longs pay to stay; below it, shorts.
    const double excess = (predictedFunding - m_config.interest) / 0.001;
    const double pLong = normalCdf(0.6 * z + m_config.longBias);
    const double wLong = pLong * std::exp(-std::max(0.0, excess));
    const double wShort = (1.0 - pLong) * std::exp(-std::max(0.0, -excess));
    const double longShare = wLong / (wLong + wShort);

    const int momentum = m_rng.poisson(m_momentumRate * (1.0 + m_config.momentum * std::abs(z)));
    for (int i = 0; i < momentum; ++i)
        add(AccountBook::Kind::Momentum, m_rng.chance(longShare) ? 1 : -1, price, out, greed);

    if (market.breakoutHeat() > 0.01) {
        const int n = m_rng.poisson(m_breakoutRate * market.breakoutHeat());
        for (int i = 0; i < n; ++i)
            add(AccountBook::Kind::Breakout, -1, price, out, greed);
    }
    // Dip buyers want a real drawdown and then a sign of a bounce.
    const double dipThreshold = 0.02;
    if (market.drawdown() > dipThreshold && market.rebound() > 0.003) {
        const double intensity = std::min(1.0, market.drawdown() / dipThreshold - 1.0);
        const int n = m_rng.poisson(m_dipRate * intensity);
        for (int i = 0; i < n; ++i)
            add(AccountBook::Kind::DipBuyer, 1, price, out, greed);
    }
    const int noise = m_rng.poisson(m_noiseRate);
    for (int i = 0; i < noise; ++i)
        add(AccountBook::Kind::Noise, m_rng.chance(0.5) ? 1 : -1, price, out, greed);
}
