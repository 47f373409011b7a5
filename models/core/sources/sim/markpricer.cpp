#include "markpricer.h"

#include <algorithm>

void MarkPricer::sample(double index, double mid)
{
    const double basis = mid - index;
    if (m_count == window)
        m_sum -= m_basis[size_t(m_next)];
    else
        ++m_count;
    m_basis[size_t(m_next)] = basis;
    m_sum += basis;
    m_next = (m_next + 1) % window;
    if (++m_sinceRecompute >= window) {
        // Re-add from scratch now and then so rounding cannot accumulate.
        m_sinceRecompute = 0;
        m_sum = 0;
        for (int i = 0; i < m_count; ++i)
            m_sum += m_basis[size_t(i)];
    }
}

void MarkPricer::revise(double index, double mid)
{
    if (m_count == 0) {
        sample(index, mid);
        return;
    }
    const int last = (m_next + window - 1) % window;
    const double basis = mid - index;
    m_sum += basis - m_basis[size_t(last)];
    m_basis[size_t(last)] = basis;
}

double MarkPricer::mark(double index, double last, double fundingRate, double untilFundingFraction) const
{
    const double p1 = price1(index, fundingRate, untilFundingFraction);
    const double p2 = price2(index);
    return std::max(std::min(p1, p2), std::min(std::max(p1, p2), last));
}
