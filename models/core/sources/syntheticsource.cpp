#include "syntheticsource.h"

#include "domain/timeframe.h"
#include "sourcecoverage.h"

#include <QTimer>

#include <algorithm>
#include <cmath>

namespace {
constexpr double mixtureVariance = 0.98 + 0.02 * 16.0;
// GARCH(1,1) per minute: persistence alpha + beta = 0.98, long-run vol 0.06 % a minute
// (about BTC's), capped at 1 % a minute.
constexpr double garchAlpha = 0.08, garchBeta = 0.90;
constexpr double garchOmega = (1 - garchAlpha - garchBeta) * 0.0006 * 0.0006;
constexpr double maxVol = 0.01;
constexpr double maxReturn = 0.08; // no 1m bar moves more than 8 %
constexpr double reversionPerMinute = 0.6931 / (90.0 * 1440); // half-life 90 days
} // namespace

SyntheticSource::SyntheticSource(const Params &params, QObject *parent)
    : DataSource(parent)
    , m_params(params)
    , m_rng(params.seed)
    , m_price(params.startPrice)
{
}

QString SyntheticSource::displayName() const
{
    return QStringLiteral("Synthetic random walk · seed %1").arg(m_params.seed);
}

MarketBatch SyntheticSource::generate(qint64 bars)
{
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    MarketBatch batch;
    batch.instrument = m_params.instrument;
    batch.candles.reserve(bars);
    batch.openInterest.reserve(bars);
    const qint64 end = std::min(m_params.minutes, m_done + bars);
    SourceCoverage::Resolutions res;
    res.predictedFunding = 5 * Timeframes::minuteMs;
    SourceCoverage::coverAll(batch, {m_params.startMs + m_done * Timeframes::minuteMs, m_params.startMs + end * Timeframes::minuteMs}, res,
                             QStringLiteral("synthetic"));
    for (; m_done < end; ++m_done) {
        const qint64 ts = m_params.startMs + m_done * Timeframes::minuteMs;
        // Volatility clusters (GARCH(1,1)) and fat tails (a normal mixture scaled to unit
        // variance). The mixture once had variance 1.3, which made alpha + beta effectively
        // 1.004: the variance grew without bound and a 2-year walk jumped 50k -> 800k in a bar.
        const double shock = normal(m_rng) * (uniform(m_rng) < 0.02 ? 4.0 : 1.0) / std::sqrt(mixtureVariance);
        // Log price reverts slowly to the start price, so years stay in a plausible band
        // (stationary sd about 0.2 in log price) while days and weeks look like a walk.
        const double pull = -reversionPerMinute * std::log(m_price / m_params.startPrice);
        const double r = std::clamp(pull + m_vol * shock, -maxReturn, maxReturn);
        const double barVol = m_vol; // this bar's wick and flow follow the volatility it was drawn with
        m_vol = std::min(maxVol, std::sqrt(garchOmega + garchBeta * m_vol * m_vol + garchAlpha * (r - pull) * (r - pull)));
        const double open = m_price;
        const double close = open * std::exp(r);
        const double wick = barVol * open;
        const double high = std::max(open, close) + std::abs(normal(m_rng)) * wick * 0.5;
        const double low = std::min(open, close) - std::abs(normal(m_rng)) * wick * 0.5;
        const double volume = 50.0 * (1.0 + std::abs(shock)) * (0.5 + uniform(m_rng));
        const double takerBuy = volume * std::clamp(0.5 + r / (4 * barVol + 1e-12) * 0.25, 0.05, 0.95);
        batch.candles.push_back({ts, open, high, low, close, volume, volume * (open + close) / 2, takerBuy});
        m_price = close;

        // OI builds in calm, drops on big down moves (a crude flush).
        const double liqQty = r < -2.5 * barVol ? m_oi * std::min(0.05, -r * 2) : 0.0;
        m_oi = std::max(1000.0, m_oi * (1.0 + 0.00002 * normal(m_rng)) + 0.5 - liqQty);
        batch.openInterest.push_back({ts, m_oi, m_oi * close});
        if (liqQty > 0) {
            const int prints = 1 + int(uniform(m_rng) * 5);
            for (int i = 0; i < prints; ++i)
                batch.liquidations.push_back({ts + 1000 * i, m_liqSeq++, Liquidation::Side::Long, low + (open - low) * uniform(m_rng),
                                              liqQty / prints, i == 0});
        }
        m_fundingPremium = 0.98 * m_fundingPremium + 0.02 * (0.0001 + r * 0.05);
        const double predicted = std::clamp(m_fundingPremium, -0.003, 0.003);
        if (ts % (8 * 3600 * 1000LL) == 0)
            batch.funding.push_back({ts, predicted, 8});
        if (ts % (5 * Timeframes::minuteMs) == 0)
            batch.predictedFunding.push_back({ts, predicted, 8});
    }
    batch.markCandles = batch.candles;
    return batch;
}

void SyntheticSource::start()
{
    m_running = true;
    emit statusChanged(QStringLiteral("generating"));
    QTimer::singleShot(0, this, &SyntheticSource::step);
}

void SyntheticSource::stop()
{
    if (!m_running)
        return;
    m_running = false;
    emit finished();
}

void SyntheticSource::step()
{
    if (!m_running)
        return;
    MarketBatch batch = generate(m_params.barsPerBatch);
    emit batchReady(batch);
    emit progress(m_done, m_params.minutes, QStringLiteral("synthetic bars"));
    if (m_done >= m_params.minutes) {
        m_running = false;
        emit statusChanged(QStringLiteral("done"));
        emit finished();
        return;
    }
    QTimer::singleShot(0, this, &SyntheticSource::step);
}
