#pragma once

#include <QtGlobal>

#include <map>
#include <vector>

// The perp's limit order book as a depth profile (research/models.md §3.2): the market
// maker quotes q*(d) = A · d^γ · exp(-d/d0) coins at d ticks from its reference tick R (best
// bid R-1, best ask R+1), scaled per side by setScale() — that is where it withdraws depth as
// volatility rises. A market order walks the levels; what it takes is remembered per absolute
// tick as a deficit that decays with the resilience time, so a level swept twice in a short
// while is thin the second time. The deficit is only evaluated when a level is touched, so an
// idle book costs nothing per tick. Agents' resting limit orders (round-number entries) sit
// on top and fill first at their level. Below the maker sits the basis arbitrageurs' ladder,
// anchored to the index rather than to the book: beyond a threshold premium each tick offers
// more (base + density x distance), up to the capital the arbitrageurs have left — an elastic
// supply that holds the perp near spot until their capital runs out.
class OrderBook
{
public:
    static constexpr quint32 marketMaker = 0xffffffffu;

    struct Config
    {
        int referenceTick = 100'000;   // R at the start
        double gamma = 0.5;            // profile rise near the touch
        double decayTicks = 200;       // d0
        int maxDepthTicks = 8000;      // the book ends here (orders beyond stay unfilled)
        double resilienceSeconds = 30; // deficit decay time
    };
    struct Fill
    {
        int tick;
        qint64 lots;
        quint32 maker; // marketMaker or the resting order's account
    };

    explicit OrderBook(const Config &config);

    // Coins per unit of the profile on each side (A_t times inventory factors).
    void setScale(double bidScale, double askScale)
    {
        m_bidScale = bidScale;
        m_askScale = askScale;
    }
    double bidScale() const { return m_bidScale; }
    double askScale() const { return m_askScale; }
    int reference() const { return m_reference; }
    void setReference(int tick) { m_reference = tick; }

    struct Anchor
    {
        double bidStart = 0;     // bids below this tick (index x (1 - threshold))
        double askStart = 1e300; // asks above this tick
        double base = 0;         // coins per tick right beyond the start
        double density = 0;      // more coins per tick, per tick of distance beyond the start
        qint64 bidLots = 0;      // what the owner may still buy / sell
        qint64 askLots = 0;
        quint32 owner = 0;
    };
    void setAnchor(const Anchor &anchor) { m_anchor = anchor; }
    double profileSum(int ticks) const; // Σ_{d=1..ticks} g(d), for calibrating A

    // takerSide +1 buys (walks asks), -1 sells (walks bids), never beyond limitTick (a buy's
    // highest / a sell's lowest price; 0 = no limit): an IOC. Appends fills to `out` and moves
    // R to the new touch. Returns the lots filled (less than asked if the book ran out).
    qint64 market(int takerSide, qint64 lots, qint64 now, std::vector<Fill> &out, int limitTick = 0);
    // Average price a market order of `notional` USD would get (Binance's impact bid/ask),
    // without trading; 0 if the book cannot fill it.
    double impactPrice(int takerSide, double notional, qint64 now) const;
    // Coins resting within `fraction` of R on one side (+1 asks, -1 bids).
    double depthWithin(int side, double fraction, qint64 now) const;
    // The same from the quoted profile and the arbitrage ladder alone, ignoring what recent
    // sweeps took (O(1): how a trader sizes an order from the visible book).
    double quotedDepth(int side, double fraction) const;

    void addResting(int side, int tick, quint32 owner, qint64 lots);
    // Removes what is left of owner's order at tick; returns the lots that were left.
    qint64 cancelResting(int side, int tick, quint32 owner);
    // Resting orders the reference has moved through (a bid at or above R, an ask at or below
    // R): they are marketable now. Removes and returns them.
    struct Resting
    {
        quint32 owner;
        qint64 lots;
    };
    struct Crossed
    {
        int side; // -1 a resting bid (its owner buys), +1 a resting ask
        int tick;
        Resting order;
    };
    std::vector<Crossed> takeCrossed();
    qsizetype restingCount() const;

private:
    struct Level
    {
        double deficit = 0; // coins taken and not yet refilled, as of `stamp`
        qint64 stamp = 0;
    };
    using RestingMap = std::map<int, std::vector<Resting>>;

    Level *level(int side, int tick);
    double deficitAt(const Level &l, qint64 now) const;
    double makerCoins(int side, int tick, qint64 now) const;
    double anchorCoins(int side, int tick) const;

    Config m_config;
    std::vector<double> m_profile;    // g(d), d = 0..maxDepthTicks (g(0) = 0)
    std::vector<double> m_cumulative; // Σ_{1..d} g
    std::vector<Level> m_bids, m_asks;
    int m_tickBase = 0; // absolute tick of index 0 in m_bids / m_asks
    int m_reference;
    double m_bidScale = 0, m_askScale = 0;
    double m_decayPerSecond;
    RestingMap m_restingBids, m_restingAsks;
    Anchor m_anchor;
};
