#pragma once

#include "orderbook.h"

#include <QtGlobal>

// Basis arbitrage tying the perp to the index. The arbitrageurs rest a ladder in the perp
// book anchored to the index: beyond a premium of `enter` (fees plus expected funding) they
// sell the perp (and buy spot) ever more per tick the wider the premium — their capital is
// on offer within `fullAt` of the threshold, and a wider basis draws in more (outside money
// chasing a sure thing), so the offer keeps growing linearly per tick. The mirror image
// below a discount. Fills are hedged on spot by the caller (their spot leg is what carries a
// perp cascade into the index). Once the basis is back inside `exit` they unwind with market
// orders in clips. Capital sets how far a burst of forced flow can push the basis: a
// cascade that outruns it decouples the perp from spot for a while.
// They also run the cash-and-carry trade: while funding is positive they want to be short
// the perp (long spot) to collect it — more the higher the predicted funding — and offer
// the perp at a thinner premium until they are. So a long flush is partly bought by carry
// shorts covering at a discount, and open interest falls with it.
class BasisArbitrageur
{
public:
    struct Config
    {
        double capital = 10e6;        // USD notional offered within fullAt
        double enter = 0.0006;
        double exit = 0.0002;
        double fullAt = 0.01;         // capital fully offered this far beyond the threshold
        double unwindShare = 0.005;   // of capital per second
        double carryShare = 1.0;      // carry position per 0.01 % of funding, x capital
        double interest = 0.0001;     // the funding baseline
    };

    explicit BasisArbitrageur(const Config &config)
        : m_config(config)
    {
    }

    // The carry position they aim for at this predicted funding rate (lots, <= 0).
    qint64 target(double predictedFunding, double price) const;
    // The resting ladder for this second, given the index and the current position.
    OrderBook::Anchor ladder(double index, qint64 positionLots, qint64 targetLots, quint32 owner) const;
    // Signed lots to trade at market this second towards the target (0 while the basis is
    // wide).
    qint64 unwind(double premium, qint64 positionLots, qint64 targetLots, double price) const;

private:
    Config m_config;
};
