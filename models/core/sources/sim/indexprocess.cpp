#include "indexprocess.h"

#include <algorithm>
#include <cmath>

namespace {
constexpr double secondsPerYear = 365.0 * 86400.0;
}

IndexProcess::IndexProcess(const Config &config, quint64 seed)
    : m_config(config)
    , m_rng(seed, 1)
    , m_logV(std::log(config.startPrice))
    , m_logS(m_logV)
    , m_fundamental(config.startPrice)
    , m_index(config.startPrice)
{
    m_calmSigma = config.calmVolatility / std::sqrt(secondsPerYear);
    m_stressSigma = config.stressVolatility / std::sqrt(secondsPerYear);
    const double stressSeconds = config.meanStressHours * 3600;
    m_pStressOut = 1.0 / stressSeconds;
    // Stationary share s = pIn / (pIn + pOut).
    m_pStressIn = config.stressShare > 0 ? m_pStressOut * config.stressShare / (1.0 - config.stressShare) : 0;
    m_jumpPerSecond = config.jumpsPerDay / 86400.0;
    m_driftPerSecond = config.drift / secondsPerYear;
}

void IndexProcess::step(double spotFlow)
{
    m_stressed = m_stressed ? !m_rng.chance(m_pStressOut) : m_rng.chance(m_pStressIn);
    const double sigma = m_stressed ? m_stressSigma : m_calmSigma;
    // News arrives more often in stress; it is released over a minute or two, not in one
    // print. Laplace sizes, the rare extreme cut at eight times the mean (what is beyond is
    // a crash scenario, not news).
    if (m_rng.chance(m_jumpPerSecond * (m_stressed ? 3.0 : 0.7)))
        m_pendingJump += std::clamp(m_rng.laplace(m_config.jumpSize), -8 * m_config.jumpSize, 8 * m_config.jumpSize);
    const double released = m_pendingJump * 0.02;
    m_pendingJump -= released;
    m_logV += m_driftPerSecond - 0.5 * sigma * sigma + sigma * m_rng.normal() + released;

    // S = V · e^D: the fundamental's news reaches spot at once; the dislocation D (perp
    // pull, hedge flow) heals over hours.
    m_dislocation += -m_dislocation / (m_config.reversionHours * 3600.0) + m_config.flowImpactPerCoin * spotFlow;
    m_logS = m_logV + m_dislocation;
    m_fundamental = std::exp(m_logV);
    m_index = std::exp(m_logS);
}
