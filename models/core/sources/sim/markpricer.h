#pragma once

#include <array>

// Binance's mark price (research/models.md §2.2): median(P1, P2, last) with
//   P1 = index · (1 + funding rate · time to funding / interval)
//   P2 = index + MA(basis), basis = mid - index sampled once a second over 30 s.
// Liquidations and unrealised PnL use the mark, so a last-price wick alone does not
// liquidate; a sustained perp discount drags P2 (and the mark) along within half a minute.
class MarkPricer
{
public:
    static constexpr int window = 30;

    // Opens this second's basis sample.
    void sample(double index, double mid);
    // Trades within the second moved the mid: replace this second's sample.
    void revise(double index, double mid);

    double price2(double index) const { return m_count ? index + m_sum / m_count : index; }
    static double price1(double index, double fundingRate, double untilFundingFraction)
    {
        return index * (1.0 + fundingRate * untilFundingFraction);
    }
    double mark(double index, double last, double fundingRate, double untilFundingFraction) const;

private:
    std::array<double, window> m_basis{};
    int m_next = 0;  // slot of the next sample
    int m_count = 0;
    double m_sum = 0;
    int m_sinceRecompute = 0;
};
