#pragma once

#include "orderbook.h"
#include "simrandom.h"

#include <QtGlobal>

// Basis arbitrage and carry, tying the perp to the index. The arbitrageurs are passive: they
// rest a ladder in the perp book anchored to the index and hedge every fill on spot (the
// caller's spot flow, which is what carries a perp cascade into the index).
//
// Their main trade is cash and carry: short the perp, long spot, collect funding. They hold
// it while the funding they expect (a day's average of the predicted rate) beats their hurdle,
// and they are indifferent to the premium as long as funding does: so they sell the perp
// down to the premium at which the funding formula would pay just their hurdle,
//   p* = hurdle - clamp   (F = P + clamp(I - P, ±0.05 %) falls below I once P < I - 0.05 %),
// a few basis points under spot. That is why real funding sits at or just under the 0.01 %
// baseline and the perp trades at a small discount: carry capital arbitrages it there.
// Long demand beyond their capital lifts the premium into the band (funding at the
// baseline) and above it (funding elevated); forced selling beyond what they buy back drives
// a discount (funding negative).
// The capital committed to the trade comes and goes over days (it is scarce and has other
// uses): a log-normal factor that mean-reverts over `capitalDays`, so there are weeks when
// the carry holds the perp at its discount and weeks when leveraged demand lifts it into the
// funding band.
// Beyond `enter` either way pure basis arbitrage starts (the far ladders); the offer grows
// with distance (density x d), the whole capital within `fullAt`, so a burst of forced flow
// that outruns it decouples the perp from spot for a while.
class BasisArbitrageur
{
public:
    struct Config
    {
        double capital = 10e6;       // USD: the carry position at full appetite
        double hurdle = 0.000002;    // funding per 8 h the carry must earn (0.2 % a year)
        double interest = 0.0001;    // the funding baseline, per 8 h
        double clamp = 0.0005;       // the funding formula's clamp, per 8 h
        double quoteSpread = 0.00003; // how far from the anchor they quote
        double impactOffset = 0.00016; // impact ask - mid for the impact notional, about
        double loadedPremium = 0.001;  // extra premium per capital's worth held beyond the target
        double enter = 0.0006;       // pure basis arbitrage (going long) beyond this discount
        double fullAt = 0.005;       // capital fully offered this far beyond a ladder's start
        double intervalHours = 8;
        double expectationHours = 24;
        double capitalVariation = 0.4; // s.d. of the log capital factor
        double capitalDays = 3;
    };

    BasisArbitrageur(const Config &config, quint64 seed);

    // Once a minute: the predicted rate of the running interval (per interval); the
    // capital committed moves on.
    void observeFunding(double predictedFunding);
    double capital() const;
    double expectedFunding() const { return m_expected; } // per 8 h
    // The mid's premium (fraction of the index) at which funding would pay the hurdle: the
    // premium index is measured at the impact ask, a little above the mid.
    double anchorPremium() const { return m_config.hurdle - m_config.clamp - m_config.impactOffset; }

    // The carry position they aim for (lots, <= 0).
    qint64 target(double price) const;
    // The resting ladder for this second, given the index and the current position.
    OrderBook::Anchor ladder(double index, qint64 positionLots, qint64 targetLots, quint32 owner) const;

private:
    Config m_config;
    SimRandom m_rng;
    double m_expected;
    double m_alpha;
    double m_logCapital = 0;
};
