#pragma once

#include "domain/instrument.h"
#include "domain/timerange.h"
#include "heatmapjob.h"
#include "heatmapparams.h"

#include <QString>
#include <optional>

class StoreReader;

// Scores the predicted heatmap against a simulator's ground truth (research/models.md §5):
// at each ground-truth snapshot, per side, over the bins between the price and ±band, the
// model's map H and the true liquidation-price notional G are compared by Spearman rank
// correlation, earth mover's distance in log-price, and hot-zone precision/recall (top
// decile of non-zero bins, matched within ±toleranceBins); against what happened next, by
// the rank correlation with the realised liquidation notional over the bins the mark
// traversed within the horizon, and by the lift of realised notional captured in predicted
// hot zones. A naive baseline (notional spread evenly over ±baselineWidth of price) is
// scored the same way. Figures are medians over snapshots.
class HeatmapScorer
{
public:
    struct Options
    {
        double band = 0.15;
        double baselineWidth = 0.10;
        double hotQuantile = 0.9;
        int toleranceBins = 2;
        qint64 everyMs = 3'600'000; // at most one snapshot per hour is scored
        qint64 warmupMs = 0;        // snapshots this soon after the first bar are skipped
        qint64 horizonMs = 24 * 3'600'000LL;
    };
    struct Figures
    {
        double spearman = 0, spearmanLong = 0, spearmanShort = 0;
        double emdPercent = 0, emdLong = 0, emdShort = 0; // % of price
        double precision = 0, recall = 0, f1 = 0;
        double realizedSpearman = 0; // traversed bins, within the horizon
        double captureLift = 0;
        double massRatio = 0; // predicted / true notional inside the band
    };
    struct Report
    {
        Instrument instrument;
        QString preset;
        Options options;
        int snapshots = 0;
        TimeRange range; // first to last scored snapshot
        Figures model;
        Figures baseline;
        QString seed;      // the simulator's meta, when stored
        QString simPreset;
    };

    // Throws std::runtime_error (one line naming the database) when the store holds no ground
    // truth for the instrument, StoreError on a database error. nullopt when cancelled.
    static std::optional<Report> score(StoreReader &reader, const QString &dbPath, const Instrument &instrument, const HeatmapParams &params,
                                       const Options &options, const HeatmapJob &job = {});
};
