#include "marginbrackets.h"

const MarginBrackets &MarginBrackets::btcusdt()
{
    static const MarginBrackets table = [] {
        MarginBrackets b;
        const double floors[count] = {0, 50e3, 250e3, 1e6, 10e6, 20e6, 50e6, 100e6, 200e6, 300e6};
        const double caps[count] = {50e3, 250e3, 1e6, 10e6, 20e6, 50e6, 100e6, 200e6, 300e6, 500e6};
        const int lev[count] = {125, 100, 50, 20, 10, 5, 4, 3, 2, 1};
        const double mmr[count] = {0.004, 0.005, 0.01, 0.025, 0.05, 0.10, 0.125, 0.15, 0.25, 0.50};
        double cum = 0;
        for (int i = 0; i < count; ++i) {
            if (i > 0)
                cum += floors[i] * (mmr[i] - mmr[i - 1]);
            b.m_brackets[size_t(i)] = {floors[i], caps[i], lev[i], mmr[i], cum};
        }
        // Beyond the last cap the last bracket applies.
        b.m_brackets[count - 1].cap = 1e300;
        return b;
    }();
    return table;
}

int MarginBrackets::indexAt(double notional) const
{
    for (int i = 0; i < count - 1; ++i)
        if (notional < m_brackets[size_t(i)].cap)
            return i;
    return count - 1;
}

double MarginBrackets::maintenance(double notional) const
{
    const Bracket &b = at(notional);
    return notional * b.mmr - b.cum;
}

double MarginBrackets::liquidationPrice(int side, double qty, double entry, double margin) const
{
    if (qty <= 0)
        return 0;
    const double s = side;
    double fallback = 0;
    for (int i = 0; i < count; ++i) {
        const Bracket &b = m_brackets[size_t(i)];
        const double lp = (margin + b.cum - s * qty * entry) / (qty * b.mmr - s * qty);
        if (i == 0)
            fallback = lp;
        const double notional = lp * qty;
        if (notional >= b.floor && notional < b.cap)
            return lp > 0 ? lp : 0;
    }
    return fallback > 0 ? fallback : 0;
}

double MarginBrackets::bankruptcyPrice(int side, double qty, double entry, double margin)
{
    return qty > 0 ? entry - side * margin / qty : 0;
}
