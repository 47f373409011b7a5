#pragma once

#include "domain/timerange.h"
#include "heatmapzone.h"

#include <QJsonObject>
#include <optional>
#include <QVector>
#include <limits>

// What a range's price path consumed of the predicted heatmap: the predicted liquidation
// notional of every level the mark traded through, per side, and the hot zones among them.
// Consumption inside the model's warm-up (HeatmapEngine::warmUntil) is not counted, since
// the levels there come from the prior, not from observed flow: `counted` is the part of the
// range after the warm-up (invalid when all of it is warming up).
struct HeatmapConsumption
{
    TimeRange range;
    TimeRange counted;
    qint64 warmUntil = std::numeric_limits<qint64>::max(); // max: no open interest yet
    bool hasOpenInterest = false;
    double longUsd = 0;  // predicted long liquidations (levels below price consumed)
    double shortUsd = 0; // predicted short liquidations
    QVector<HeatmapZone> zones; // hot zones consumed, largest first

    bool isKnown() const { return counted.isValid(); }
    bool isPartial() const { return isKnown() && counted != range; }
    double totalUsd() const { return longUsd + shortUsd; }
    // JSON for analyze --json: null figures when unknown; realized liquidations of the range
    // (where the tape covers them) give the consumed/realized ratio per side.
    QJsonObject toJson(std::optional<double> realizedLongUsd, std::optional<double> realizedShortUsd) const;
};
