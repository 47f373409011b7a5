#include "basisarbitrageur.h"

#include "simunits.h"

#include <algorithm>
#include <cmath>
#include <limits>

qint64 BasisArbitrageur::target(double predictedFunding, double price) const
{
    const double scale = std::clamp(predictedFunding / m_config.interest, 0.0, 3.0);
    return -SimUnits::lotsFloor(m_config.capital * m_config.carryShare * scale / price);
}

OrderBook::Anchor BasisArbitrageur::ladder(double index, qint64 positionLots, qint64 targetLots, quint32 owner) const
{
    OrderBook::Anchor a;
    a.owner = owner;
    if (m_config.capital <= 0)
        return a;
    const qint64 capacity = SimUnits::lotsFloor(m_config.capital / index);
    const double span = index * m_config.fullAt / SimUnits::tickSize; // ticks to the full size
    // Covering carry shorts at a discount is the easy trade; going long the perp while
    // funding is positive (paying it) takes a wider discount.
    a.bidStart = index * (1.0 - m_config.enter * (positionLots < 0 ? 1.0 : 2.5)) / SimUnits::tickSize;
    // Short of their carry target they sell at a quarter of the usual premium.
    a.askStart = index * (1.0 + m_config.enter * (positionLots > targetLots ? 0.25 : 1.0)) / SimUnits::tickSize;
    // Cumulative offer density·d²/2 reaches the capital at d = span.
    a.density = 2.0 * SimUnits::coins(capacity) / (span * span);
    (void)positionLots;
    a.bidLots = std::numeric_limits<qint64>::max() / 4;
    a.askLots = a.bidLots;
    return a;
}

qint64 BasisArbitrageur::unwind(double premium, qint64 positionLots, qint64 targetLots, double price) const
{
    const qint64 gap = targetLots - positionLots;
    if (gap == 0 || std::abs(premium) > m_config.exit)
        return 0;
    // Only unwind towards the target here; building the carry happens on the ladder.
    if (targetLots < 0 && gap < 0 && positionLots <= 0)
        return 0;
    const double clip = m_config.capital / price * double(SimUnits::lotsPerCoin) * m_config.unwindShare;
    const qint64 step = std::min<qint64>(qAbs(gap), std::max<qint64>(1, qint64(clip)));
    return gap > 0 ? step : -step;
}
