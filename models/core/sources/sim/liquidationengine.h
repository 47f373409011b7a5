#pragma once

#include <QtGlobal>

#include <array>
#include <functional>
#include <map>
#include <vector>

class AccountBook;
class Matcher;
class MarketRecorder;

// Binance's liquidation process (research/models.md §2.4) for the simulated exchange.
// sweep() takes every account whose liquidation price the mark has reached (read off the
// front of the liquidation ladders, deepest breach first):
// - a position in bracket 3 or above is first cut with an IOC to the lower bracket, and
//   survives if that cures it;
// - otherwise the engine takes the position over at the bankruptcy price (the account is
//   left with nothing) and sends it into the book as an IOC market order at once, inside
//   the same tick — the forced flow that drives the cascade. Like Binance's, the order is an
//   IOC limited at the bankruptcy price (and the exchange's price band around the mark);
//   whatever the book cannot take stays with the engine and is offered again every tick
//   within the band: a liquidation overhang that keeps leaning on the book.
// The engine's wallet is the insurance fund: it gains when the fills beat the bankruptcy
// price and pays when they do not. Every liquidation order's fills are one tape print.
// When the fund has lost half of what it started with, leftover inventory is no longer sold
// into the book at a loss: it is auto-deleveraged (ADL) against the opposite side's most
// profitable, most leveraged positions at the engine's takeover price, as Binance does.
class LiquidationEngine
{
public:
    struct Stats
    {
        qint64 takeovers = 0;
        qint64 partials = 0;
        qint64 prints = 0;
        double minInsuranceFund = 0; // USD
        double liquidatedUsd = 0;
        qint64 adlAccounts = 0;
        double adlUsd = 0;
        // Who was liquidated: notional at the mark when breached, by agent kind
        // (AccountBook::Kind) and by the position's leverage.
        std::array<double, 7> byKindUsd{};
        std::map<int, double> byLeverageUsd;
    };

    // retire(id): the account is flat and leaves (clear its triggers and orders, release).
    LiquidationEngine(AccountBook &accounts, Matcher &matcher, MarketRecorder &recorder, quint32 engineAccount,
                      std::function<void(quint32)> retire);

    // Returns the number of accounts it acted on (0: nothing is breached at this mark).
    int sweep(double mark, qint64 now, qint64 ms);
    // Offers inventory left over from earlier ticks.
    void unload(double mark, qint64 now, qint64 ms);
    static constexpr double priceBand = 0.02; // farthest from the mark any order may fill
    quint32 account() const { return m_engine; }
    const Stats &stats() const { return m_stats; }

private:
    void liquidate(quint32 id, double mark, qint64 now, qint64 ms);
    void sell(int positionSide, qint64 lots, double limit, qint64 now, qint64 ms);
    void deleverage(double mark);

    AccountBook &m_accounts;
    Matcher &m_matcher;
    MarketRecorder &m_recorder;
    quint32 m_engine;
    std::function<void(quint32)> m_retire;
    std::vector<quint32> m_breached;
    Stats m_stats;
    qint64 m_adlFloor = 0; // µUSDT: below this fund balance, leftovers are deleveraged
};
