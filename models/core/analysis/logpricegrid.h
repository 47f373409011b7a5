#pragma once

#include <cmath>

// Log-spaced price bins: bin k covers [base·(1+δ)^k, base·(1+δ)^(k+1)). One grid (δ = 0.1 %
// by default) is shared by the simulator's ground truth and the heatmap model, so cells
// compare bin for bin. Bins are absolute (anchored at price 1), not relative to any price.
class LogPriceGrid
{
public:
    static constexpr double defaultStep = 0.001;

    explicit LogPriceGrid(double step = defaultStep)
        : m_step(step)
        , m_logStep(std::log1p(step))
    {
    }

    double step() const { return m_step; }
    int binOf(double price) const { return static_cast<int>(std::floor(std::log(price) / m_logStep)); }
    double lowerEdge(int bin) const { return std::exp(bin * m_logStep); }
    double upperEdge(int bin) const { return std::exp((bin + 1) * m_logStep); }
    double centre(int bin) const { return std::exp((bin + 0.5) * m_logStep); }

private:
    double m_step;
    double m_logStep;
};
