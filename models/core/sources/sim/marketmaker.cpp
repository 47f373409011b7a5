#include "marketmaker.h"

#include "orderbook.h"
#include "simunits.h"

#include <algorithm>
#include <cmath>

MarketMaker::MarketMaker(const Config &config)
    : m_config(config)
    , m_varShort(config.referenceSigma * config.referenceSigma)
    , m_varLong(m_varShort)
    , m_scale(config.baseScale)
    , m_alphaShort(1.0 - std::exp(std::log(0.5) / config.shortHalfLifeSeconds))
    , m_alphaLong(1.0 - std::exp(std::log(0.5) / config.longHalfLifeSeconds))
{
}

void MarketMaker::observe(double logReturn)
{
    const double r2 = logReturn * logReturn;
    m_varShort += m_alphaShort * (r2 - m_varShort);
    m_varLong += m_alphaLong * (r2 - m_varLong);
}

double MarketMaker::sigmaShort() const
{
    return std::sqrt(m_varShort);
}

double MarketMaker::sigmaLong() const
{
    return std::sqrt(m_varLong);
}

void MarketMaker::quote(OrderBook &book, qint64 inventoryLots, double index, double calmShare)
{
    const double normal = std::max(m_config.referenceSigma, sigmaLong());
    const double level = std::sqrt(calmShare);
    const double surprise = std::max(0.0, sigmaShort() / normal - 1.5);
    // Never quite gone: a sliver of depth stays (and keeps a market order's walk bounded).
    const double target = m_config.baseScale * std::max(m_config.minimumDepth, level * std::exp(-m_config.withdrawal * surprise));
    if (target < m_scale)
        m_scale = target; // quotes are pulled at once
    else
        m_scale += (target - m_scale) / m_config.recoverySeconds;

    const double x = std::clamp(double(inventoryLots) / m_config.inventoryLimitLots, -1.0, 1.0);
    const double bid = x > 0 ? std::max(0.1, 1.0 - m_config.inventoryCut * x) : 1.0;
    const double ask = x < 0 ? std::max(0.1, 1.0 + m_config.inventoryCut * x) : 1.0;
    book.setScale(m_scale * bid, m_scale * ask);

    if (std::lround(m_centre) != book.reference())
        m_centre = book.reference(); // trades moved the touch
    const double fair = index * (1.0 - m_config.skewAtLimit * x) / SimUnits::tickSize;
    m_centre += (fair - m_centre) * std::sqrt(depthFactor()) / m_config.fairPullSeconds;
    book.setReference(int(std::lround(m_centre)));
}
