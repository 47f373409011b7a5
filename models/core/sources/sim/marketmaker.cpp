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

void MarketMaker::quote(OrderBook &book, qint64 inventoryLots, qint64 openInterestLots, double index, double calmShare)
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

    const double limit = std::max(m_config.inventoryFloorLots, m_config.inventoryShare * double(openInterestLots));
    const double x = std::clamp(double(inventoryLots) / limit, -1.0, 1.0);
    const double bid = x > 0 ? std::max(0.1, 1.0 - m_config.inventoryCut * x) : 1.0;
    const double ask = x < 0 ? std::max(0.1, 1.0 + m_config.inventoryCut * x) : 1.0;
    book.setScale(m_scale * bid, m_scale * ask);

    if (std::lround(m_centre) != book.reference())
        m_centre = book.reference(); // trades moved the touch
    // The maker quotes relative to spot (it hedges there): a move of the index moves the
    // quotes at once, and only the basis - where the perp sits against spot - is pulled back
    // towards its fair value, so the perp does not trail spot with a lag.
    if (m_lastIndex > 0)
        m_centre *= index / m_lastIndex;
    m_lastIndex = index;
    double basis = m_centre * SimUnits::tickSize / index - 1.0;
    // Its idea of where the perp belongs against spot is where it has been trading lately
    // (the arbitrageurs' ladders are what hold that near spot), shifted by its inventory.
    m_fairBasis += (basis - m_fairBasis) / m_config.fairBasisSeconds;
    const double fair = m_fairBasis - m_config.skewAtLimit * x;
    basis += (fair - basis) * std::sqrt(depthFactor()) / m_config.fairPullSeconds;
    m_centre = index * (1.0 + basis) / SimUnits::tickSize;
    book.setReference(int(std::lround(m_centre)));
}
