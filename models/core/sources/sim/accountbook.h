#pragma once

#include "marginbrackets.h"
#include "priceladder.h"

#include <QtGlobal>

#include <vector>

// Every account of the simulated exchange: speculators (one isolated position each), the
// basis arbitrageur, the market maker and the liquidation engine (whose wallet is the
// insurance fund). Money is integer µUSDT and positions integer lots, so the audit balances
// exactly: deposits - withdrawals = Σ wallets - Σ open cost + fees + funding rounding.
// Liquidation prices (Binance isolated formula, own bracket) are kept in two PriceLadders,
// so a breach is found by looking at one end of a ladder, never by scanning accounts.
class AccountBook
{
public:
    enum class Kind : quint8 { Momentum, Breakout, DipBuyer, Noise, Arbitrageur, MarketMaker, Engine };
    static constexpr int kindCount = 7;

    struct Account
    {
        qint64 lots = 0;     // signed position
        qint64 cost = 0;     // tick-lots paid for the open position (>= 0)
        qint64 wallet = 0;   // µUSDT: isolated margin, or the cross wallet
        double leverage = 1; // isolated: initial margin = notional / leverage
        double marginBuffer = 0; // spare collateral brought with every fill, x its initial margin (isolated)
        double liqPrice = 0; // key in a liquidation ladder, 0 = none
        double takeProfit = 0, stopLoss = 0; // trigger prices, 0 = none (kept by ExitBook)
        int restingTick = 0;                 // pending entry order, 0 = none
        qint64 exitAt = 0;                   // the planned exit that counts (s; earlier plans are stale)
        qint64 holdSeconds = 0;              // how long a resting entry is held once it fills
        double marginCall = 0;               // mark level where the trader reacts, 0 = none
        qint8 onMarginCall = 0;              // 0 ignores it, 1 adds margin, 2 cuts the position
        qint8 intent = 0;                    // side the speculator wants (+1 / -1)
        quint32 generation = 0;
        Kind kind = Kind::Noise;
        bool isolated = true;
        bool liquidatable = true;
        bool alive = false;

        double entry() const { return lots != 0 ? double(cost) / double(qAbs(lots)) : 0; }
        int side() const { return lots > 0 ? 1 : lots < 0 ? -1 : 0; }
    };

    struct Audit
    {
        qint64 longLots = 0, shortLots = 0; // recomputed from the accounts
        qint64 runningOi = 0;               // what the book reports as open interest
        qint64 imbalance = 0;               // money the ledger cannot explain (must be 0)
        qint64 openAccounts = 0;
    };

    AccountBook();

    // A new account. Speculators fund margin and fees as they trade; cross accounts start
    // with `deposit` µUSDT.
    quint32 open(Kind kind, bool isolated, bool liquidatable, double leverage, qint64 deposit = 0);
    // Withdraws what is left and frees the id. The position must be flat.
    void release(quint32 id);
    Account &operator[](quint32 id) { return m_accounts[id]; }
    const Account &operator[](quint32 id) const { return m_accounts[id]; }
    bool isAlive(quint32 id, quint32 generation) const { return id < m_accounts.size() && m_accounts[id].alive && m_accounts[id].generation == generation; }

    // A fill: signedLots bought (+) or sold (-) for quoteTickLots (Σ tick x lots; any integer,
    // so an internal transfer at a fractional price stays exact). Isolated accounts deposit
    // the initial margin of what they add; fees go to the exchange.
    void applyFill(quint32 id, qint64 signedLots, qint64 quoteTickLots, double feeRate);
    // The trader adds `micro` µUSDT of collateral to an isolated position (a margin call
    // answered); refreshes its liquidation price.
    void addMargin(quint32 id, qint64 micro);
    // Recomputes the liquidation price and its ladder entry (after fills or margin changes).
    void refreshLiquidation(quint32 id);

    // Funding settlement at `mark`: longs pay rate x notional to shorts (rate > 0). Rounding
    // leftovers go to the exchange. Rebuilds the ladders. Returns Σ |payment| (µUSDT).
    qint64 settleFunding(double rate, double mark);

    qint64 openInterestLots() const { return m_oiLots; }

    // Ground truth of who traded (speculators only; the market maker, the arbitrageurs and
    // the liquidation engine provide liquidity): cumulative lots per side of the position
    // ([0] longs, [1] shorts) opened, closed by choice, and forced out (liquidation, ADL),
    // and what is open now. Labelled tests read it; the market does not.
    struct Flows
    {
        qint64 open[2] = {0, 0};
        qint64 opened[2] = {0, 0};
        qint64 closed[2] = {0, 0};
        qint64 forced[2] = {0, 0};
    };
    const Flows &flows() const { return m_flows; }
    // Fills of this account count as forced until cleared (noAccount).
    static constexpr quint32 noAccount = 0xffffffffu;
    void setForced(quint32 id) { m_forced = id; }
    double equity(quint32 id, double mark) const;               // USD
    double maintenance(quint32 id, double mark) const;          // USD
    PriceLadder &longLiquidations() { return m_longLiq; }
    PriceLadder &shortLiquidations() { return m_shortLiq; }
    const PriceLadder &longLiquidations() const { return m_longLiq; }
    const PriceLadder &shortLiquidations() const { return m_shortLiq; }
    const MarginBrackets &brackets() const { return m_brackets; }

    qint64 fees() const { return m_fees; }
    qint64 deposits() const { return m_deposits; }
    qint64 withdrawals() const { return m_withdrawals; }
    qint64 fundingResidual() const { return m_fundingResidual; }
    qint64 aliveCount() const { return m_alive; }
    Audit audit() const;

    template<typename F>
    void forEachAlive(F &&f) const
    {
        for (quint32 id = 0; id < m_accounts.size(); ++id)
            if (m_accounts[id].alive)
                f(id, m_accounts[id]);
    }

private:
    void setOi(qint64 before, qint64 after) { m_oiLots += std::max<qint64>(after, 0) - std::max<qint64>(before, 0); }
    void trackFlows(quint32 id, qint64 before, qint64 after);
    void unlist(quint32 id);

    const MarginBrackets &m_brackets;
    std::vector<Account> m_accounts;
    std::vector<quint32> m_free;
    PriceLadder m_longLiq{PriceLadder::Order::HighestFirst};
    PriceLadder m_shortLiq{PriceLadder::Order::LowestFirst};
    qint64 m_oiLots = 0;
    qint64 m_fees = 0, m_deposits = 0, m_withdrawals = 0, m_fundingResidual = 0;
    qint64 m_alive = 0;
    Flows m_flows;
    quint32 m_forced = noAccount;
};
