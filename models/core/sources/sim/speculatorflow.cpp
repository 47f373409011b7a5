#include "speculatorflow.h"

#include "marginbrackets.h"
#include "marketsignals.h"
#include "simunits.h"

#include <algorithm>
#include <cmath>

namespace {

constexpr double hour = 3600.0;
// Mean holding times (s, momentum: the median): most open interest is held for days (daily
// volume / OI about 2, Binance 1.3); the risk budget shortens high leverage (see add()).
constexpr double gamblerHold = 3 * hour;
constexpr double momentumHold = 96 * hour, breakoutHold = 12 * hour, dipHold = 12 * hour, noiseHold = 6 * hour;
constexpr double maxNotional = 3e5;      // USD, the largest speculator position
constexpr double restingLife = 3 * hour; // mean life of a limit entry order
// Arrivals per second for every 20,000 agents: momentum at z = 0 (it grows with |z|), the
// breakout crowd right after a break, dip buyers at twice the drawdown threshold, noise,
// gamblers.
constexpr double momentumPer20k = 0.025, breakoutPer20k = 0.03, dipPer20k = 0.03, noisePer20k = 0.03, gamblerPer20k = 0.0095;

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
    m_gamblerRate = gamblerPer20k * scale;
}

double SpeculatorFlow::pickLeverage(AccountBook::Kind kind, double greed)
{
    const double hi = m_config.leverage * greed;
    // The appetite moves weight into the high tiers and out of the low ones.
    switch (kind) {
    case AccountBook::Kind::Momentum: {
        // Most notional runs at modest leverage; the appetite scales the 20x+ tiers.
        static const double levels[] = {2, 3, 5, 10, 20, 25, 50, 100};
        const double w[] = {0.10, 0.12, 0.18, 0.22, 0.14 * hi, 0.10 * hi, 0.09 * hi, 0.05 * hi};
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

double SpeculatorFlow::pickGamblerLeverage()
{
    static const double levels[] = {20, 25, 50, 75, 100, 125};
    static const double w[] = {0.15, 0.15, 0.25, 0.15, 0.2, 0.1};
    return levels[m_rng.pick(w, 6)];
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

void SpeculatorFlow::add(AccountBook::Kind kind, int side, double price, std::vector<Entry> &out, double greed, double sigmaDay, bool gambler)
{
    Entry e{};
    e.kind = kind;
    e.side = side;
    // Leverage first: it says who the trader is. High leverage is retail's game, so the
    // size cap falls with it (the whales that carry open interest run low leverage).
    e.leverage = gambler ? pickGamblerLeverage() : pickLeverage(kind, greed);
    const double cap = std::min(maxNotional, 2.5e6 / e.leverage);
    switch (kind) {
    case AccountBook::Kind::Noise:
        if (gambler) {
            // Small tickets at high leverage, held for hours whatever the volatility: the
            // steady trickle of liquidations a real tape shows every half hour.
            e.notional = std::min(cap, 500.0 * std::exp(1.0 * m_rng.normal()));
            e.holdSeconds = qint64(m_rng.exponential(gamblerHold)) + 1;
            e.marginBuffer = 0;
            e.onMarginCall = 0;
            e.limitTick = 0;
            e.orderLifeSeconds = 0;
            if (m_rng.chance(0.5))
                e.takeProfit = side > 0 ? price * (1 + 0.5 / e.leverage) : price * (1 - 0.5 / e.leverage);
            out.push_back(e);
            return;
        }
        e.notional = std::min(cap, 3000.0 * std::exp(1.0 * m_rng.normal()));
        e.holdSeconds = qint64(m_rng.exponential(noiseHold)) + 1;
        break;
    case AccountBook::Kind::DipBuyer:
        e.notional = m_rng.pareto(5000, 1.7, cap);
        e.holdSeconds = qint64(m_rng.exponential(dipHold)) + 1;
        break;
    case AccountBook::Kind::Breakout:
        e.notional = m_rng.pareto(5000, 1.7, cap);
        e.holdSeconds = qint64(m_rng.exponential(breakoutHold)) + 1;
        break;
    default:
        e.notional = m_rng.pareto(5000, 1.7, cap);
        e.holdSeconds = qint64(momentumHold * std::exp(1.0 * m_rng.normal())) + 1; // days to weeks
        break;
    }
    // Exchange limit: the bracket of the notional caps the leverage.
    e.leverage = std::min<double>(e.leverage, MarginBrackets::btcusdt().maxLeverage(e.notional));
    // Margin behaviour: many traders keep spare collateral behind a position (cross margin
    // with a wallet balance, or margin added when it comes close), so its effective
    // leverage is well below the nominal one; high-leverage gamblers rarely do.
    e.marginBuffer = m_rng.chance(m_config.bufferShare * (e.leverage >= 50 ? 0.4 : 1.0)) ? std::exp(0.7 * m_rng.normal()) : 0.0;
    const double effective = e.leverage / (1.0 + e.marginBuffer);
    // Half way to liquidation most traders act (after a while: a fast cascade outruns them):
    // they add margin or cut the position; some let it ride.
    static const double reactions[] = {0.2, 0.4, 0.4};
    e.onMarginCall = m_rng.pick(reactions, 3);
    // Risk budget: a trader holds no longer than it takes the recent volatility to carry
    // price k standard deviations to the liquidation price, so high leverage is a
    // short-term game (a 100x position lives minutes, a 10x one days). Volatility that
    // rises after entry is what catches them.
    const double distance = std::max(0.001, 1.0 / effective - 0.005);
    const double sigma = std::max(1e-4, sigmaDay);
    // Traders differ in how much risk they take: a few gamble (and feed a steady trickle of
    // liquidations), most are careful.
    const double budget = m_config.riskBudget * std::exp(0.5 * m_rng.normal());
    const double riskHold = std::pow(distance / (budget * sigma), 2.0) * 86400.0 * (0.5 + m_rng.uniform());
    e.holdSeconds = std::max<qint64>(1, std::min(e.holdSeconds, qint64(riskHold)));

    const bool resting = (kind == AccountBook::Kind::Momentum || kind == AccountBook::Kind::DipBuyer) && m_rng.chance(m_config.roundEntries);
    e.limitTick = resting ? roundTick(side, price) : 0;
    e.orderLifeSeconds = qint64(m_rng.exponential(restingLife)) + 60;
    const double entry = e.limitTick ? e.limitTick * SimUnits::tickSize : price;
    // Exits cluster at round numbers of every size, $1000 more than $500 more than $250
    // (each also a multiple of the finer ones), not all at one.
    static const double stepShares[] = {0.4, 0.35, 0.25};
    const double step = m_config.roundStep / double(1 << m_rng.pick(stepShares, 3));
    const double liqDistance = 1.0 / effective - 0.005; // rough: a stop must sit inside it
    // Targets scale with what price can do over the hold: a trader planning days aims
    // further than a scalper.
    const double move = std::clamp(1.5 * sigma * std::sqrt(double(e.holdSeconds) / 86400.0), 0.005, 0.1);
    if (kind == AccountBook::Kind::Momentum || kind == AccountBook::Kind::Breakout) {
        // Take profit at the next round number beyond the target move; traders who plan days
        // rarely set one.
        if (m_rng.chance(e.holdSeconds < 86400 ? 0.5 : 0.2))
            e.takeProfit = side > 0 ? std::ceil(entry * (1 + move) / step) * step : std::floor(entry * (1 - move) / step) * step;
        // Stops are a short-term trader's tool; a position meant for days rarely has one.
        const double stopShare = e.leverage >= 50 ? 0.6 : e.holdSeconds < 86400 ? 0.3 : 0.12;
        if (m_rng.chance(stopShare) && liqDistance > 0.004) {
            // Stops sit just beyond a round number between entry and liquidation.
            const double room = entry * std::min(liqDistance * 0.8, 3 * move);
            const double level = side > 0 ? std::floor((entry - room * 0.5) / step) * step : std::ceil((entry + room * 0.5) / step) * step;
            const double stop = level - side * entry * (0.0003 + 0.0012 * m_rng.uniform());
            if (std::abs(stop - entry) < room && std::abs(stop - entry) > entry * 0.002)
                e.stopLoss = stop;
        }
    } else if (kind == AccountBook::Kind::DipBuyer) {
        e.takeProfit = entry * (1.015 + 0.035 * m_rng.uniform()); // a bounce of 1.5-5 %
    }
    out.push_back(e);
}

void SpeculatorFlow::decide(const MarketSignals &market, double price, double predictedFunding, std::vector<Entry> &out)
{
    const double z = std::clamp(market.trend(), -3.0, 3.0);
    // Quiet weeks breed leverage.
    const double greed = std::clamp(market.calmSigma() / std::max(1e-12, market.sigmaLong()), 0.6, 1.8);
    const double sigmaDay = market.sigmaDay();

    // Funding above baseline makes longs pay to stay; below it, shorts.
    const double excess = (predictedFunding - m_config.interest) / 0.001;
    const double pLong = normalCdf(0.35 * z + m_config.longBias);
    const double wLong = pLong * std::exp(-std::max(0.0, excess));
    const double wShort = (1.0 - pLong) * std::exp(-std::max(0.0, -excess));
    const double longShare = wLong / (wLong + wShort);

    const int momentum = m_rng.poisson(m_momentumRate * (1.0 + 0.25 * m_config.momentum * std::abs(z)));
    for (int i = 0; i < momentum; ++i)
        add(AccountBook::Kind::Momentum, m_rng.chance(longShare) ? 1 : -1, price, out, greed, sigmaDay);

    if (market.breakoutHeat() > 0.01) {
        const int n = m_rng.poisson(m_breakoutRate * market.breakoutHeat());
        for (int i = 0; i < n; ++i)
            add(AccountBook::Kind::Breakout, -1, price, out, greed, sigmaDay);
    }
    // Dip buyers want a real drawdown and then a sign of a bounce.
    const double dipThreshold = 0.02;
    if (market.drawdown() > dipThreshold && market.rebound() > 0.003) {
        const double intensity = std::min(1.0, market.drawdown() / dipThreshold - 1.0);
        const int n = m_rng.poisson(m_dipRate * intensity);
        for (int i = 0; i < n; ++i)
            add(AccountBook::Kind::DipBuyer, 1, price, out, greed, sigmaDay);
    }
    const int noise = m_rng.poisson(m_noiseRate);
    for (int i = 0; i < noise; ++i)
        add(AccountBook::Kind::Noise, m_rng.chance(0.5) ? 1 : -1, price, out, greed, sigmaDay);
    const int gamblers = m_rng.poisson(m_gamblerRate);
    for (int i = 0; i < gamblers; ++i)
        add(AccountBook::Kind::Noise, m_rng.chance(longShare) ? 1 : -1, price, out, greed, sigmaDay, true);
}
