#pragma once

#include <array>
#include <cstddef>

// Binance USDⓈ-M maintenance-margin brackets ("tax bracket" scheme) and the isolated-margin
// liquidation price of a one-way position (research/models.md §2.1). The table is BTCUSDT's
// (announcement 2021-03-18); cum is derived from it, cum_n = floor_n (MMR_n - MMR_n-1) + cum_n-1.
class MarginBrackets
{
public:
    struct Bracket
    {
        double floor;    // notional from (USDT, inclusive)
        double cap;      // notional to (exclusive)
        int maxLeverage;
        double mmr;      // maintenance margin rate
        double cum;      // maintenance amount
    };
    static constexpr int count = 10;

    static const MarginBrackets &btcusdt();

    const Bracket &bracket(int index) const { return m_brackets[std::size_t(index)]; }
    int indexAt(double notional) const;
    const Bracket &at(double notional) const { return bracket(indexAt(notional)); }
    // MM = notional x MMR - cum of the notional's bracket.
    double maintenance(double notional) const;
    int maxLeverage(double notional) const { return at(notional).maxLeverage; }

    // side +1 long / -1 short; qty in coins; margin = isolated wallet balance. Binance's
    //   LP = (WB + cum - side Q E) / (Q MMR - side Q)
    // with the bracket of the notional *at LP* (tried from tier 1 up). 0 when the position
    // cannot be liquidated (a long whose LP would be <= 0).
    double liquidationPrice(int side, double qty, double entry, double margin) const;
    // Where equity reaches zero: E - side x margin / Q.
    static double bankruptcyPrice(int side, double qty, double entry, double margin);

private:
    std::array<Bracket, count> m_brackets{};
};
