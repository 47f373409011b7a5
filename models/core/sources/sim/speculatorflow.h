#pragma once

#include "accountbook.h"
#include "simrandom.h"

#include <vector>

class MarketSignals;

// Arrivals of the speculator populations (research/models.md §3.2 agent table), one draw per
// second and population:
// - momentum traders, rate λ0(1 + a|z|/4), long with probability Φ(0.35 z + bias) damped by
//   positive funding; Pareto sizes; leverage 2-100x whose 20x+ tiers grow with the leverage
//   appetite and in quiet weeks ("greed"); held for days to weeks (log-normal);
// - breakout shorts after a break of the 4 h low;
// - dip buyers once the drawdown from the 24 h high passes a threshold (take profit on a
//   bounce of 1.5-5 %);
// - noise traders, both sides, small, hours;
// - gamblers: small tickets at 20-125x held for hours whatever the volatility, the steady
//   trickle of liquidations a real tape shows in almost every half hour.
// What keeps the market at real scale (research/real-market.md; bench_simrealism shows it):
// - risk budget: a trader holds no longer than it takes recent daily volatility, at k
//   standard deviations (k log-normal around 2.5), to reach the liquidation price, so 100x
//   lives minutes and 10x days; volatility that rises after entry is what catches them;
// - size falls with leverage (retail runs high leverage, the open interest of whales runs
//   low), capped at maxNotional;
// - margin behaviour: half the traders (fewer at 50x+) keep spare collateral behind a
//   position, so its effective leverage is below the nominal one; at a margin call (the
//   mark 60 % of the way to liquidation) most add margin or cut after a few minutes, a fast
//   cascade outruns them;
// - stops and take-profits mostly for short holds, at round numbers of several sizes.
// A share of momentum and dip entries rest for a few hours as limit orders at round
// numbers, so their liquidation prices cluster (Osler's round-number effect).
class SpeculatorFlow
{
public:
    struct Config
    {
        double agents = 20'000;
        double leverage = 1.0;
        double momentum = 1.0;
        double longBias = 0.15;
        double roundEntries = 0.25;
        double roundStep = 1000;
        double interest = 0.0001; // funding baseline per interval
        double riskBudget = 2.5;  // daily standard deviations between entry and liquidation over a hold
        double bufferShare = 0.5; // share of traders with spare collateral behind a position
    };
    struct Entry
    {
        AccountBook::Kind kind;
        int side;
        double notional;      // USD
        double leverage;      // nominal: initial margin = notional / leverage
        double marginBuffer;  // extra collateral behind the position, x initial margin
        int onMarginCall;     // 0 ignores it, 1 adds margin, 2 cuts the position
        double takeProfit;    // 0 = none
        double stopLoss;      // 0 = none
        qint64 holdSeconds;
        qint64 orderLifeSeconds; // a limit entry not filled by then is cancelled
        int limitTick;        // 0 = market order
    };

    SpeculatorFlow(const Config &config, quint64 seed);

    void decide(const MarketSignals &market, double price, double predictedFunding, std::vector<Entry> &out);

    // Expected open positions per population when the market is quiet (for tests and docs).
    double momentumRate() const { return m_momentumRate; }

private:
    void add(AccountBook::Kind kind, int side, double price, std::vector<Entry> &out, double greed, double sigmaDay, bool gambler = false);
    double pickGamblerLeverage();
    double pickLeverage(AccountBook::Kind kind, double greed);
    int roundTick(int side, double price) const;

    Config m_config;
    SimRandom m_rng;
    double m_momentumRate, m_breakoutRate, m_dipRate, m_noiseRate, m_gamblerRate;
};
