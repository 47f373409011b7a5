#include "basisarbitrageur.h"

#include "simunits.h"

#include <algorithm>
#include <cmath>

OrderBook::Anchor BasisArbitrageur::ladder(double index, qint64 positionLots, quint32 owner) const
{
    OrderBook::Anchor a;
    a.owner = owner;
    if (m_config.capital <= 0)
        return a;
    const qint64 capacity = SimUnits::lotsFloor(m_config.capital / index);
    const double span = index * m_config.fullAt / SimUnits::tickSize; // ticks to the full size
    a.bidStart = index * (1.0 - m_config.enter) / SimUnits::tickSize;
    a.askStart = index * (1.0 + m_config.enter) / SimUnits::tickSize;
    // Cumulative offer density·d²/2 reaches the capital at d = span.
    a.density = 2.0 * SimUnits::coins(capacity) / (span * span);
    a.bidLots = std::max<qint64>(0, capacity - positionLots);
    a.askLots = std::max<qint64>(0, capacity + positionLots);
    return a;
}

qint64 BasisArbitrageur::unwind(double premium, qint64 positionLots, double price) const
{
    if (positionLots == 0 || std::abs(premium) > m_config.exit)
        return 0;
    const double clip = m_config.capital / price * double(SimUnits::lotsPerCoin) * m_config.unwindShare;
    const qint64 step = std::min<qint64>(qAbs(positionLots), std::max<qint64>(1, qint64(clip)));
    return positionLots > 0 ? -step : step;
}
