#pragma once

#include <QtGlobal>

class OrderBook;

// The book's liquidity provider. It quotes thinner when spot is in its volatile regime and
// pulls hard on a surprise: with σ_s (~30 s) and σ_l (~1 h) EWMAs of the perp's 1 s returns,
//   A_t = A_0 · sqrt(σ_calm / σ_regime) · exp(-β_σ · max(0, σ_s / max(σ_ref, σ_l) - 1.5)).
// It pulls at once and comes back slowly (recoverySeconds). Measuring the surprise against
// its own recent normal keeps a thin book from locking itself in: after a while of
// turbulence the maker adapts. Inventory thins the loaded side and skews its quotes; the quote centre drifts
// towards the index (plus skew), more slowly when it has withdrawn: it does not pin price.
class MarketMaker
{
public:
    struct Config
    {
        double baseScale = 0.05;         // A_0, coins per profile unit
        double withdrawal = 1.5;         // β_σ
        double minimumDepth = 0.1;       // share of A_0 that always stays
        double referenceSigma = 1e-4;    // normal per-second volatility
        double recoverySeconds = 300;
        double shortHalfLifeSeconds = 30;
        double longHalfLifeSeconds = 3600;
        double inventoryShare = 0.05;    // of open interest: inventory where the loaded side is cut the most
        double inventoryFloorLots = 1000;
        double inventoryCut = 0.7;
        double skewAtLimit = 0.004;      // quote centre offset at the limit (fraction of price)
        double fairPullSeconds = 60;
        double fairBasisSeconds = 1800;
    };

    explicit MarketMaker(const Config &config);

    void observe(double logReturn);
    // Sets the book's per-side scale and moves its reference towards the fair value.
    // calmShare = σ_calm / σ_regime of spot (1 in the calm regime).
    // openInterestLots: the maker sizes its inventory tolerance to the market.
    void quote(OrderBook &book, qint64 inventoryLots, qint64 openInterestLots, double index, double calmShare);

    double sigmaShort() const;
    double sigmaLong() const;
    double depthFactor() const { return m_scale / m_config.baseScale; }

private:
    Config m_config;
    double m_varShort, m_varLong;
    double m_scale;
    double m_centre = 0;
    double m_lastIndex = 0;
    double m_fairBasis = 0;
    double m_alphaShort, m_alphaLong;
};
