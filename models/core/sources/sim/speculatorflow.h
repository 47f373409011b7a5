#pragma once

#include "accountbook.h"
#include "simrandom.h"

#include <vector>

class MarketSignals;

// Arrivals of the speculator populations (research/models.md §3.2 agent table), one draw per
// second and population:
// - momentum traders, rate λ0(1 + a|z|), long with probability Φ(b·z + bias) damped by
//   positive funding; Pareto sizes; leverage mix 5/10/25/50/100x whose high tiers grow with
//   the leverage appetite and in quiet weeks ("greed"); take-profits at the next round
//   number, stops just beyond one;
// - breakout shorts after a break of the 4 h low (25-100x);
// - dip buyers once the drawdown from the 24 h high passes a threshold (5-25x, take profit
//   on the bounce);
// - noise traders, both sides, small, short holds.
// A share of momentum and dip entries rest as limit orders at round numbers, so their
// liquidation prices cluster (Osler's round-number effect).
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
    };
    struct Entry
    {
        AccountBook::Kind kind;
        int side;
        double notional;      // USD
        double leverage;
        double takeProfit;    // 0 = none
        double stopLoss;      // 0 = none
        qint64 holdSeconds;
        int limitTick;        // 0 = market order
    };

    SpeculatorFlow(const Config &config, quint64 seed);

    void decide(const MarketSignals &market, double price, double predictedFunding, std::vector<Entry> &out);

    // Expected open positions per population when the market is quiet (for tests and docs).
    double momentumRate() const { return m_momentumRate; }

private:
    void add(AccountBook::Kind kind, int side, double price, std::vector<Entry> &out, double greed);
    double pickLeverage(AccountBook::Kind kind, double greed);
    int roundTick(int side, double price) const;

    Config m_config;
    SimRandom m_rng;
    double m_momentumRate, m_breakoutRate, m_dipRate, m_noiseRate;
};
