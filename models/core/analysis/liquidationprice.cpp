#include "liquidationprice.h"

namespace LiquidationPrice {

const QVector<Bracket> &binanceBtcUsdt()
{
    static const QVector<Bracket> table = {
        {0, 50'000, 0.004, 0, 125},
        {50'000, 250'000, 0.005, 50, 100},
        {250'000, 1'000'000, 0.01, 1'300, 50},
        {1'000'000, 10'000'000, 0.025, 16'300, 20},
        {10'000'000, 20'000'000, 0.05, 266'300, 10},
        {20'000'000, 50'000'000, 0.10, 1'266'300, 5},
        {50'000'000, 100'000'000, 0.125, 2'516'300, 4},
        {100'000'000, 200'000'000, 0.15, 5'016'300, 3},
        {200'000'000, 300'000'000, 0.25, 25'016'300, 2},
        {300'000'000, 500'000'000, 0.50, 100'016'300, 1},
    };
    return table;
}

namespace {

// side = +1 long, −1 short. Returns LP/E for bracket b.
double ratio(int side, double leverage, double notional, const Bracket &b, double feeBuffer, double fundingPaid)
{
    return (1.0 - side / leverage + side * (feeBuffer + fundingPaid) - side * b.cum / notional) / (1.0 - side * b.mmr);
}

Result solve(int side, double entry, double leverage, double notional, const QVector<Bracket> &brackets, double feeBuffer,
             double fundingPaid)
{
    Result r;
    for (int i = 0; i < brackets.size(); ++i) {
        const double lp = entry * ratio(side, leverage, notional, brackets[i], feeBuffer, fundingPaid);
        const double lpNotional = notional * lp / entry;
        r = {lp, i};
        // The tier whose notional range holds the position valued at the liquidation price;
        // positions beyond the last tier stay in it.
        if (lpNotional < brackets[i].cap || i + 1 == brackets.size())
            return r;
    }
    return r;
}

} // namespace

Result forLong(double entry, double leverage, double notional, const QVector<Bracket> &brackets, double feeBuffer, double fundingPaid)
{
    return solve(+1, entry, leverage, notional, brackets, feeBuffer, fundingPaid);
}

Result forShort(double entry, double leverage, double notional, const QVector<Bracket> &brackets, double feeBuffer, double fundingPaid)
{
    return solve(-1, entry, leverage, notional, brackets, feeBuffer, fundingPaid);
}

} // namespace LiquidationPrice
