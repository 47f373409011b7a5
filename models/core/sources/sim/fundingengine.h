#pragma once

#include <QtGlobal>

// Funding per the Binance / Bybit template (research/models.md §2.3): premium index samples
// P = [max(0, impact bid - index) - max(0, index - impact ask)] / index every few seconds,
// averaged with linear weights over the interval (later samples weigh more);
//   F = P̄ + clamp(I - P̄, -0.05 %, +0.05 %), scaled by interval / 8 h, then capped.
// The predicted rate is F of the running average; settle() closes the interval.
class FundingEngine
{
public:
    struct Config
    {
        int intervalHours = 8;
        double interest = 0.0001; // per 8 h
        double clamp = 0.0005;
        double cap = 0.003;       // 0.75 x MMR at max leverage for BTCUSDT
    };

    explicit FundingEngine(const Config &config)
        : m_config(config)
    {
    }

    static double premium(double impactBid, double impactAsk, double index);
    static double rate(double averagePremium, const Config &config);

    void addSample(double premium);
    double averagePremium() const { return m_weights > 0 ? m_weighted / m_weights : 0; }
    double predicted() const { return rate(averagePremium(), m_config); }
    double settle(); // the rate of the closing interval; starts the next
    qint64 intervalMs() const { return qint64(m_config.intervalHours) * 3600 * 1000; }
    bool isSettlement(qint64 ms) const { return ms % intervalMs() == 0; }
    qint64 nextSettlement(qint64 ms) const { return (ms / intervalMs() + 1) * intervalMs(); }
    int intervalHours() const { return m_config.intervalHours; }

private:
    Config m_config;
    double m_weighted = 0;
    double m_weights = 0;
    qint64 m_samples = 0;
};
