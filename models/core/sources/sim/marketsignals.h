#pragma once

#include <QtGlobal>

#include <deque>

// What the speculators look at: a trend score z = ln(EMA_5m / EMA_60m) / σ_1h, realised
// volatility at two horizons (the long one drives "greed": leverage rises in quiet weeks),
// breaks of the 4 h low (breakout shorts pile in), the drawdown from the 24 h high and the
// rebound from the 1 h low (dip buyers wait for a bounce). O(1) per second; the rolling
// extremes use monotonic queues of minute closes.
class MarketSignals
{
public:
    MarketSignals(double startPrice, double calmSigma);

    void onSecond(double price);
    void onMinute(double close);

    double trend() const;
    double sigmaHour() const;   // per second
    double sigmaLong() const;   // per second, ~3 days
    // Daily volatility as traders read it off the chart: 1m closes over about a day.
    double sigmaDay() const;
    double calmSigma() const { return m_calmSigma; }
    double breakoutHeat() const { return m_heat; }
    double drawdown() const { return m_drawdown; }
    double rebound() const { return m_rebound; }

private:
    struct Point
    {
        qint64 minute;
        double price;
    };

    double m_calmSigma;
    double m_ema5, m_ema60;
    double m_varHour, m_varLong;
    double m_lastPrice;
    double m_varMinute;
    double m_lastClose;
    double m_heat = 0;
    double m_drawdown = 0;
    double m_rebound = 0;
    qint64 m_minute = 0;
    std::deque<Point> m_lows;  // increasing prices: front = min of the last 4 h
    std::deque<Point> m_highs; // decreasing prices: front = max of the last 24 h
    std::deque<Point> m_hourLows; // increasing prices: front = min of the last hour
};
