#pragma once

#include "simrandom.h"

// The spot index the perp is tied to (research/models.md §3.2, exogenous layer). A latent
// fundamental V follows a random walk whose volatility switches between a calm and a stress
// regime (Markov), with occasional news jumps released over a minute or two and a drift. The index is
// S = V·e^D: news reaches it at once, while the dislocation D moves with the net spot flow
// of the hedgers — the market maker and the basis arbitrageurs lay off on spot whatever the
// perp's takers leave with them — and heals over hours. So perp flow (a cascade above all)
// moves spot too, and the overshoot comes back: the bounce.
class IndexProcess
{
public:
    struct Config
    {
        double startPrice = 100'000;
        double calmVolatility = 0.45;   // annualised
        double stressVolatility = 1.3;  // annualised
        double stressShare = 0.1;
        double meanStressHours = 3;
        double jumpsPerDay = 0.5;
        double jumpSize = 0.008;
        double drift = 0;               // annualised
        double reversionHours = 2;      // dislocation heals (1/e)
        double flowImpactPerCoin = 0;   // log move per coin of net spot flow
    };

    IndexProcess(const Config &config, quint64 seed);

    // One second. spotFlow: coins bought (+) / sold (-) on spot since the last step.
    void step(double spotFlow);
    double index() const { return m_index; }
    double fundamental() const { return m_fundamental; }
    bool stressed() const { return m_stressed; }
    // Per-second volatility of the fundamental in the calm regime (the market maker's yardstick).
    double calmSigma() const { return m_calmSigma; }
    double calmShare() const { return m_stressed ? m_calmSigma / m_stressSigma : 1.0; }

private:
    Config m_config;
    SimRandom m_rng;
    double m_logV, m_logS;
    double m_fundamental, m_index;
    double m_calmSigma, m_stressSigma;
    double m_pStressIn, m_pStressOut, m_jumpPerSecond, m_driftPerSecond;
    double m_pendingJump = 0;
    double m_dislocation = 0;
    bool m_stressed = false;
};
