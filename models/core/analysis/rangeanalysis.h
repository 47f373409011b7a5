#pragma once

#include "analysis/heatmapconsumption.h"
#include "domain/instrument.h"
#include "domain/timerange.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <optional>
#include <stdexcept>

class HeatmapService;
struct HeatmapParams;
class StoreReader;

// What happened in a time range, in the terms a perp trader reads a move: price, realized
// volatility, open interest, funding, liquidations by side, and a verdict. Reads the store's
// tiers (a range of years touches a few thousand rows), so it is fast enough to run on every
// selection change off the GUI thread and from the command line alike.
class RangeAnalysis
{
public:
    enum class Verdict { Quiet, Flush, PartialFlush, StillLoaded, SpotLed };

    // The thresholds behind the verdict, in one place so they can be named in the UI and
    // the docs. Fractions: 0.015 = 1.5 %.
    struct Rules
    {
        double move = 0.015;              // |price change| at least this is a directional move
        double oiCollapse = -0.05;        // OI change at most this: positions were closed
        double oiHolding = -0.02;         // OI change above this: positions are still there
        double liqSignificant = 0.005;    // liquidations of the move's side, share of OI (USD)
        double liqFootprint = 0.0015;     // below this share of OI: no liquidation footprint
        double oiFootprint = 0.02;        // |OI change| below this: no OI footprint
        double fundingReset = 0.000101;    // funding back at (or below) the 0.01 %/8h baseline: longs no longer pay up
        double fundingElevated = 0.00012;  // funding above the 0.01 % baseline: longs still pay to stay
    };

    struct Result
    {
        Instrument instrument;
        TimeRange range;
        double priceOpen = 0, priceClose = 0, priceChangePct = 0, high = 0, low = 0;
        double realizedVolPct = 0; // annualised, from the bars of the range
        double oiStart = 0, oiEnd = 0, oiChange = 0, oiChangePct = 0, oiStartUsd = 0;
        double fundingMean = 0, fundingPeak = 0, fundingPaidUsd = 0; // settlements inside the range
        double fundingStart = 0, fundingEnd = 0;                     // rate in force at each end
        int fundingSettlements = 0;
        double longLiqUsd = 0, shortLiqUsd = 0, largestLiqUsd = 0;
        int longLiqCount = 0, shortLiqCount = 0;
        std::optional<int> zonesConsumed;       // predicted hot zones crossed (needs the heatmap, after its warm-up)
        double zonesConsumedUsd = 0;
        // Predicted liquidation notional the range's path consumed, per side (needs the heatmap).
        std::optional<HeatmapConsumption> consumption;
        bool liquidationTapeComplete = false; // the realized figures are the full tape, not a sample
        Verdict verdict = Verdict::Quiet;
        QStringList reasons;

        int liqCount() const { return longLiqCount + shortLiqCount; }
        QJsonObject toJson() const;
    };

    // A bad range or one without price data: the message says which and what the data covers.
    class Error : public std::runtime_error
    {
    public:
        using std::runtime_error::runtime_error;
    };

    explicit RangeAnalysis(StoreReader &reader);
    RangeAnalysis(StoreReader &reader, Rules rules);
    // With a heatmap, the result also says which predicted hot zones the range consumed.
    void setHeatmap(HeatmapService *service, const HeatmapParams *params);
    Result analyze(const Instrument &instrument, TimeRange range) const;

    static QString verdictName(Verdict v); // flush, partial_flush, still_loaded, spot_led, quiet
    static QString verdictTitle(Verdict v); // "Leverage flush", ...
    const Rules &rules() const { return m_rules; }
    // Applies the rules to the measured figures (public for crafted-case tests).
    static void judge(Result &r, const Rules &rules);

private:
    StoreReader &m_reader;
    Rules m_rules;
    HeatmapService *m_heatmap = nullptr;
    const HeatmapParams *m_heatmapParams = nullptr;
};
