#include "basisarbitrageur.h"

#include "simunits.h"

#include <algorithm>
#include <cmath>

BasisArbitrageur::BasisArbitrageur(const Config &config, quint64 seed)
    : m_config(config)
    , m_rng(seed, 4)
    , m_expected(config.interest)
    , m_alpha(1.0 / (config.expectationHours * 60.0))
{
}

void BasisArbitrageur::observeFunding(double predictedFunding)
{
    const double perEight = predictedFunding * 8.0 / m_config.intervalHours;
    m_expected += (perEight - m_expected) * m_alpha;
    // Ornstein-Uhlenbeck in minutes, stationary s.d. capitalVariation.
    const double tau = m_config.capitalDays * 1440.0;
    m_logCapital += -m_logCapital / tau + m_config.capitalVariation * std::sqrt(2.0 / tau) * m_rng.normal();
}

double BasisArbitrageur::capital() const
{
    // exp(x - s²/2): the factor averages one.
    const double s = m_config.capitalVariation;
    return m_config.capital * std::exp(m_logCapital - 0.5 * s * s);
}

qint64 BasisArbitrageur::target(double price) const
{
    // Full appetite at the baseline, more when funding is elevated, none below the hurdle.
    const double appetite = std::clamp((m_expected - m_config.hurdle) / (m_config.interest - m_config.hurdle), 0.0, 2.0);
    return -SimUnits::lotsFloor(capital() * appetite / price);
}

OrderBook::Anchor BasisArbitrageur::ladder(double index, qint64 positionLots, qint64 targetLots, quint32 owner) const
{
    OrderBook::Anchor a;
    a.owner = owner;
    if (m_config.capital <= 0)
        return a;
    const qint64 capacity = SimUnits::lotsFloor(capital() / index);
    const double anchor = anchorPremium();
    const double q = m_config.quoteSpread;
    const auto tick = [&](double premium) { return index * (1.0 + premium) / SimUnits::tickSize; };
    // How short they are, in capital, against how short they want to be.
    const double held = double(-positionLots) / double(std::max<qint64>(1, capacity));
    const double wanted = double(-targetLots) / double(std::max<qint64>(1, capacity));
    // Asks: short of the carry they want, they sell just above the anchor; beyond it each
    // further capital's worth takes `loadedPremium` more (their supply is elastic, not a
    // cliff), up to twice the capital.
    a.askStart = tick(anchor + q + m_config.loadedPremium * std::max(0.0, held - wanted));
    a.askLots = std::max<qint64>(0, 2 * capacity + positionLots);
    // Bids: a carry short is bought back under the anchor (eagerly when they hold more than
    // funding pays for, otherwise only at a real discount); going long the perp while
    // funding is positive (paying it) takes a wide discount.
    if (positionLots < 0) {
        a.bidStart = tick(anchor - (held > wanted ? 3 * q : 8 * q + m_config.loadedPremium * (wanted - held)));
        a.bidLots = -positionLots;
    } else {
        a.bidStart = tick(-2.5 * m_config.enter);
        a.bidLots = 2 * capacity - positionLots;
    }
    const double span = index * m_config.fullAt / SimUnits::tickSize; // ticks to the full size
    // A wall at the start (carry capital is patient and large), growing with distance: the
    // cumulative offer base·d + density·d²/2 reaches the capital at d = span, half of it
    // from the wall.
    a.base = 0.5 * SimUnits::coins(capacity) / span;
    a.density = SimUnits::coins(capacity) / (span * span);
    return a;
}
