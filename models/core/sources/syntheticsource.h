#pragma once

#include "datasource.h"

#include <random>

// A fast, seeded random walk (GARCH-like volatility, no agents, no order book): years of 1m
// bars with funding, open interest and liquidation prints in seconds. For benchmarks, tests
// and demos of scale only; it is not a market model (that is the Simulator), and the UI
// labels it "synthetic".
class SyntheticSource : public DataSource
{
    Q_OBJECT
public:
    struct Params
    {
        Instrument instrument{QStringLiteral("SYNTH"), QStringLiteral("BTCUSDT")};
        quint64 seed = 1;
        qint64 startMs = 0; // first bar; must be on a minute boundary
        qint64 minutes = 1440;
        double startPrice = 50'000;
        qint64 barsPerBatch = 10'000;
    };

    explicit SyntheticSource(const Params &params, QObject *parent = nullptr);

    QString displayName() const override;
    QList<Instrument> instruments() const override { return {m_params.instrument}; }
    bool isSimulated() const override { return true; } // made up: the UI labels it so
    std::optional<CoverageQuality> liquidationCoverage() const override { return CoverageQuality::Complete; }

    // Generates the next `bars` minutes without a thread or store (benchmarks, tests).
    MarketBatch generate(qint64 bars);

public slots:
    void start() override;
    void stop() override;

private:
    void step();

    Params m_params;
    std::mt19937_64 m_rng;
    qint64 m_done = 0;
    double m_price;
    double m_vol = 0.0006; // per minute: the long-run level
    double m_oi = 80'000;
    double m_fundingPremium = 0.0001;
    int m_liqSeq = 0;
    bool m_running = false;
};
