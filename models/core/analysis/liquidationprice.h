#pragma once

#include <QVector>

// Binance USDⓈ-M isolated-margin liquidation price with the maintenance-margin bracket
// (research/models.md §1.5 and §2.1). The general one-way formula
//   LP = (WB − TMM1 + UPNL1 + cum − s·Q·E) / (Q·MMR − s·Q)
// with WB = N/λ (isolated margin) and TMM1 = UPNL1 = 0 gives, per side,
//   LP_long  = E·(1 − 1/λ + b + φ − cum/N) / (1 − m)
//   LP_short = E·(1 + 1/λ − b − φ + cum/N) / (1 + m)
// where b is an optional fee buffer and φ the funding paid since entry as a fraction of the
// entry price (negative when received). The bracket (m, cum) must be the one at the
// notional *at the liquidation price*, so the bracket is searched from tier 1 upward.
namespace LiquidationPrice {

struct Bracket
{
    double floor = 0; // lowest notional (USDT) of the tier
    double cap = 0;   // notional where the next tier starts
    double mmr = 0;   // maintenance margin rate
    double cum = 0;   // maintenance amount
    int maxLeverage = 0;

    friend bool operator==(const Bracket &, const Bracket &) = default;
};

// Binance BTCUSDT table of 2021-03-18 (models.md §2.1), the heatmap's default schedule.
const QVector<Bracket> &binanceBtcUsdt();

struct Result
{
    double price = 0;  // <= 0 means the position cannot be liquidated (Binance shows "--")
    int bracket = 0;   // index into the table
};

// entry E > 0, leverage λ > 0, notional N = Q·E > 0.
Result forLong(double entry, double leverage, double notional, const QVector<Bracket> &brackets = binanceBtcUsdt(),
               double feeBuffer = 0, double fundingPaid = 0);
Result forShort(double entry, double leverage, double notional, const QVector<Bracket> &brackets = binanceBtcUsdt(),
                double feeBuffer = 0, double fundingPaid = 0);

} // namespace LiquidationPrice
