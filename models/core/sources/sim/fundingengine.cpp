#include "fundingengine.h"

#include <algorithm>

double FundingEngine::premium(double impactBid, double impactAsk, double index)
{
    if (index <= 0 || impactBid <= 0 || impactAsk <= 0)
        return 0;
    return (std::max(0.0, impactBid - index) - std::max(0.0, index - impactAsk)) / index;
}

double FundingEngine::rate(double p, const Config &c)
{
    const double perEight = p + std::clamp(c.interest - p, -c.clamp, c.clamp);
    const double f = perEight * c.intervalHours / 8.0;
    return std::clamp(f, -c.cap, c.cap);
}

void FundingEngine::addSample(double premium)
{
    ++m_samples;
    m_weighted += double(m_samples) * premium;
    m_weights += double(m_samples);
}

double FundingEngine::settle()
{
    const double f = predicted();
    m_weighted = 0;
    m_weights = 0;
    m_samples = 0;
    return f;
}
