#include "marketsignals.h"

#include <cmath>

namespace {
constexpr double ema5Weight = 1.0 / 300.0;
constexpr double ema60Weight = 1.0 / 3600.0;
constexpr double varHourWeight = 1.0 / 3600.0;
constexpr double varLongWeight = 1.0 / (3 * 86400.0);
constexpr double varMinuteWeight = 1.0 / 1440.0;
constexpr double heatDecay = 0.99917; // ~20 min
} // namespace

MarketSignals::MarketSignals(double startPrice, double calmSigma)
    : m_calmSigma(calmSigma)
    , m_ema5(startPrice)
    , m_ema60(startPrice)
    , m_varHour(calmSigma * calmSigma)
    , m_varLong(calmSigma * calmSigma)
    , m_lastPrice(startPrice)
    , m_varMinute(calmSigma * calmSigma * 60.0)
    , m_lastClose(startPrice)
{
}

void MarketSignals::onSecond(double price)
{
    const double r = std::log(price / m_lastPrice);
    m_lastPrice = price;
    m_ema5 += (price - m_ema5) * ema5Weight;
    m_ema60 += (price - m_ema60) * ema60Weight;
    m_varHour += (r * r - m_varHour) * varHourWeight;
    m_varLong += (r * r - m_varLong) * varLongWeight;
    m_heat *= heatDecay;
}

void MarketSignals::onMinute(double close)
{
    ++m_minute;
    const double r = std::log(close / m_lastClose);
    m_lastClose = close;
    m_varMinute += (r * r - m_varMinute) * varMinuteWeight;
    while (!m_lows.empty() && m_lows.front().minute <= m_minute - 240)
        m_lows.pop_front();
    while (!m_highs.empty() && m_highs.front().minute <= m_minute - 1440)
        m_highs.pop_front();
    // A break of the 4 h low needs some history first.
    if (m_minute > 60 && !m_lows.empty() && close < m_lows.front().price)
        m_heat = 1.0;
    while (!m_lows.empty() && m_lows.back().price >= close)
        m_lows.pop_back();
    m_lows.push_back({m_minute, close});
    while (!m_highs.empty() && m_highs.back().price <= close)
        m_highs.pop_back();
    m_highs.push_back({m_minute, close});
    m_drawdown = 1.0 - close / m_highs.front().price;
    while (!m_hourLows.empty() && m_hourLows.front().minute <= m_minute - 60)
        m_hourLows.pop_front();
    while (!m_hourLows.empty() && m_hourLows.back().price >= close)
        m_hourLows.pop_back();
    m_hourLows.push_back({m_minute, close});
    m_rebound = close / m_hourLows.front().price - 1.0;
}

double MarketSignals::trend() const
{
    const double sigma = std::sqrt(m_varHour * 3600.0);
    return sigma > 0 ? std::log(m_ema5 / m_ema60) / sigma : 0;
}

double MarketSignals::sigmaHour() const
{
    return std::sqrt(m_varHour);
}

double MarketSignals::sigmaLong() const
{
    return std::sqrt(m_varLong);
}

double MarketSignals::sigmaDay() const
{
    return std::sqrt(m_varMinute * 1440.0);
}
