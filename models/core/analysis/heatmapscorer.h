#pragma once

#include "domain/instrument.h"
#include "domain/timerange.h"
#include "heatmapjob.h"
#include "heatmapparams.h"
#include "storage/storelocator.h"

#include <QString>
#include <QStringList>
#include <optional>

class StoreReader;

// Scores the predicted heatmap against a simulator's ground truth (research/models.md §5):
// at each ground-truth snapshot, per side, over the bins between the price and ±band, the
// model's map H and the true liquidation-price notional G are compared by Spearman rank
// correlation, earth mover's distance in log-price, and hot-zone precision/recall (top
// decile of non-zero bins, matched within ±toleranceBins); against what happened next, by
// the rank correlation with the realised liquidation notional over the bins the mark
// traversed within the horizon, and by the lift of realised notional captured in predicted
// hot zones (the top decile of the map's non-zero traversed bins, exact bins). A naive baseline (notional spread evenly over ±baselineWidth of price) is
// scored the same way. Figures are medians over snapshots.
//
// The next-hour test needs no ground truth, only a complete liquidation tape: at every hour
// after the model's warm-up, over the price bins the mark traded through in the next hour,
// the rank correlation between the map's notional and that hour's realised liquidation
// notional (mean over hours), and the lift of realised notional inside the map's hot zones;
// against a proximity baseline (closeness to the last close). On a store without ground
// truth only these are computed; without a complete tape (Binance's stream is a sample) they
// are not, and the report says why (notComputed).
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
        qint64 nextHourMs = 3'600'000;
        bool skipWarmUp = true; // next-hour test: hours inside the model's warm-up are left out
    };
    struct Figures
    {
        double spearman = 0, spearmanLong = 0, spearmanShort = 0;
        double emdPercent = 0, emdLong = 0, emdShort = 0; // % of price
        double precision = 0, recall = 0, f1 = 0;
        double realizedSpearman = 0; // traversed bins, within the horizon
        double captureLift = 0;
        double massRatio = 0; // predicted / true notional inside the band
        double nextHourSpearman = 0; // mean over hours with realised liquidations
        double nextHourLift = 0;     // mean over hours with a hot bin
        int nextHours = 0;           // hours that entered the next-hour figures
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
        Figures proximity; // next-hour figures only: notional falling with the distance to the last close
        Figures truth;     // next-hour figures only: the ground truth of each hour as the map (a ceiling; needs truth)
        bool hasTruth = false;
        bool tapeComplete = false;
        QStringList notComputed; // "what: why", one per metric group that could not be computed
        QString seed;      // the simulator's meta, when stored
        QString simPreset;
        QString marginTiers; // which maintenance-margin tiers the model used (MarginTierChoice::describe)
    };

    // Throws std::runtime_error (one line naming the database) when the store holds neither
    // ground truth nor a complete liquidation tape for the instrument, StoreError on a
    // database error. nullopt when cancelled.
    static std::optional<Report> score(StoreReader &reader, const StoreLocator &store, const Instrument &instrument, const HeatmapParams &params,
                                       const Options &options, const HeatmapJob &job = {});
};
