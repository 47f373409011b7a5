#pragma once

#include "orderbook.h"

#include <QtGlobal>

// Capital-limited basis arbitrage tying the perp to the index. The arbitrageurs rest a ladder
// in the perp book anchored to the index: beyond a premium of `enter` (fees plus expected
// funding) they sell the perp (and buy spot) ever more per tick the wider the premium, so
// that their whole capital is offered within `fullAt` of the threshold; the mirror image
// below a discount. Fills are hedged on spot by the caller. Once the basis is back inside
// `exit` they unwind with market orders in clips. A fast, large cascade outruns them when
// their capital is used up — that is when the perp decouples from spot.
class BasisArbitrageur
{
public:
    struct Config
    {
        double capital = 10e6;        // USD notional they may hold
        double enter = 0.0006;
        double exit = 0.0002;
        double fullAt = 0.01;         // capital fully offered this far beyond the threshold
        double unwindShare = 0.005;   // of capital per second
    };

    explicit BasisArbitrageur(const Config &config)
        : m_config(config)
    {
    }

    // The resting ladder for this second, given the index and the current position.
    OrderBook::Anchor ladder(double index, qint64 positionLots, quint32 owner) const;
    // Signed lots to trade at market this second to unwind (0 while the basis is wide).
    qint64 unwind(double premium, qint64 positionLots, double price) const;

private:
    Config m_config;
};
