#pragma once

#include "analysis/heatmapconsumption.h"
#include "analysis/verdictthresholds.h"
#include "domain/coverage.h"
#include "domain/instrument.h"
#include "domain/timerange.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>
#include <optional>
#include <stdexcept>

class HeatmapService;
struct HeatmapParams;
class StoreReader;

// What happened in a time range, in the terms a perp trader reads a move: price and its
// path, open interest (in coins and in USD) and its path, taker flow, funding, liquidations
// by side, and a verdict with its confidence and reasons. Every figure is known, partial
// (with the covered share) or unknown (nullopt, null in the JSON): unknown is never zero.
// Reads the store's tiers (a range of years touches a few thousand rows), so it runs on
// every selection change off the GUI thread and from the command line alike.
class RangeAnalysis
{
public:
    enum class Verdict { Quiet, Flush, Squeeze, PartialFlush, StillLoaded, Deleveraging, SpotLed, InsufficientData };
    enum class Confidence { Low, Medium, High };

    // How one kind of data covered the range, and how old the samples used at its edges were
    // (an edge older than a few sampling intervals is stale and not used as that edge).
    struct KindCoverage
    {
        double share = 0; // covered share of the range
        std::optional<CoverageQuality> quality;
        std::optional<qint64> resolutionMs;
        std::optional<qint64> startAgeMs, endAgeMs; // >= 0: before the edge; < 0: first sample after it
        bool startStale = false, endStale = false;
        bool isKnown() const { return share >= 0.99; }
        bool isNone() const { return share <= 0; }
        QJsonObject toJson() const;
    };

    // One member of an aggregate (ALL:BTC) over the range: its own figures and coverage, so
    // the aggregate's sums read venue by venue (analysis/venuebreakdown.h measures them).
    struct Venue
    {
        Instrument instrument;
        bool priceReference = false;
        QString error; // no price data for the member over the range, and why
        std::optional<double> priceChangePct, volumeUsd;
        std::optional<double> oiStartUsd, oiEndUsd, oiChangeUsd, oiChangeUsdPct;
        int intervalHours = 8;
        std::optional<double> fundingMean8h, fundingEnd8h, fundingPaidUsd;
        std::optional<double> longLiqUsd, shortLiqUsd;
        KindCoverage candles, openInterest, funding, liquidations;
        // The kinds it does not cover over all of the range ("oi", "funding", ...): what makes
        // the aggregate's figure of that kind partial.
        QStringList missing;
        QJsonObject toJson() const;
    };

    struct Result
    {
        Instrument instrument;
        TimeRange range;
        // Price: a Result exists only where there is price data (coverage.candles says how much).
        double priceOpen = 0, priceClose = 0, priceChangePct = 0, high = 0, low = 0;
        qint64 highTime = 0, lowTime = 0;
        std::optional<double> realizedVolPct; // annualised, from the bars of the range
        // Open interest at the edges (coins and USD) and its path inside the range.
        std::optional<double> oiStart, oiEnd, oiChange, oiChangePct;
        std::optional<double> oiStartUsd, oiEndUsd, oiChangeUsd, oiChangeUsdPct;
        std::optional<double> oiPeakToTroughPct; // largest fall from a running peak, coins (<= 0)
        std::optional<double> oiTroughToPeakPct; // largest rise from a running trough, coins (>= 0)
        qint64 oiPeakTime = 0, oiTroughTime = 0;  // of the largest fall
        // Taker flow (perp CVD): taker buys minus taker sells, coins and USD (at each bar's VWAP).
        // Unknown unless bars with known taker-buy volume (coverage.takerBuy) hold nearly all
        // of the range's volume: a venue without it stores 0, which is not "no buyers".
        std::optional<double> cvdCoins, cvdUsd, takerBuyShare;
        // Funding: settlements inside the range; the rate in force at the edges; extremes.
        std::optional<double> fundingMean, fundingPeak, fundingPaidUsd;
        std::optional<double> fundingStart, fundingEnd, fundingMin, fundingMax;
        int fundingSettlements = 0;
        // Liquidations where covered (coverage.liquidations says how much and how completely).
        std::optional<double> longLiqUsd, shortLiqUsd, largestLiqUsd;
        std::optional<int> longLiqCount, shortLiqCount;
        std::optional<double> longLiqShare, shortLiqShare; // of OI in USD at the start
        std::optional<int> zonesConsumed; // predicted hot zones crossed (needs the heatmap, after its warm-up)
        double zonesConsumedUsd = 0;
        // Predicted liquidation notional the range's path consumed, per side (needs the heatmap).
        std::optional<HeatmapConsumption> consumption;
        bool liquidationTapeComplete = false; // the realized figures are the full tape, not a sample
        struct
        {
            KindCoverage candles, openInterest, funding, predictedFunding, liquidations;
            KindCoverage takerBuy; // where the candles carry taker-buy volume (not Bybit, OKX)
        } coverage;
        // Aggregates: the member the price comes from and every member's own figures.
        Instrument priceReference;
        QVector<Venue> venues;
        VerdictThresholds thresholds;
        Verdict verdict = Verdict::Quiet;
        Confidence confidence = Confidence::Low;
        QStringList reasons;

        std::optional<int> liqCount() const
        {
            return longLiqCount && shortLiqCount ? std::optional(*longLiqCount + *shortLiqCount) : std::nullopt;
        }
        QJsonObject toJson() const;
    };

    // A bad range or one without price data: the message says which and what the data covers.
    class Error : public std::runtime_error
    {
    public:
        using std::runtime_error::runtime_error;
    };

    explicit RangeAnalysis(StoreReader &reader);
    // With a heatmap, the result also says which predicted hot zones the range consumed.
    void setHeatmap(HeatmapService *service, const HeatmapParams *params);
    // Thresholds from the trailing history (default) or the fixed fallbacks only (tests).
    void setTrailingThresholds(bool on) { m_trailing = on; }
    Result analyze(const Instrument &instrument, TimeRange range) const;

    static QString verdictName(Verdict v);  // flush, squeeze, ..., insufficient_data
    static QString verdictTitle(Verdict v); // "Leverage flush", ...
    static QString confidenceName(Confidence c); // high, medium, low
    static std::optional<Verdict> parseVerdict(const QString &name);

private:
    void measurePrice(Result &r, TimeRange minutes) const;
    void measureOpenInterest(Result &r) const;
    void measureFunding(Result &r) const;
    void measureLiquidations(Result &r, TimeRange minutes) const;

    StoreReader &m_reader;
    HeatmapService *m_heatmap = nullptr;
    const HeatmapParams *m_heatmapParams = nullptr;
    bool m_trailing = true;
};
