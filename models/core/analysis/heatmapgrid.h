#pragma once

#include "domain/timerange.h"
#include "heatmaphistory.h"

#include <QString>
#include <QVector>
#include <cmath>
#include <limits>

// A dense time x price raster of the predicted heatmap, ready for a QCPColorMap: column c
// shows the state at columnTimes[c] (after every bar that ended by then); row 0 is the lowest
// price. Each model bin's USD is spread over the rows it overlaps, so a column's sum is the
// notional inside [priceLow, priceHigh]. Colour normalisation is the view's business.
struct HeatmapGrid
{
    enum class RowScale { Linear, Log };

    TimeRange range;
    int columns = 0;
    int rows = 0;
    double priceLow = 0;
    double priceHigh = 0;
    RowScale rowScale = RowScale::Linear;
    QVector<qint64> columnTimes;
    QVector<float> columnPrice; // the model's price (mark close) at each column, 0 = none
    QVector<float> longUsd;  // index column * rows + row
    QVector<float> shortUsd; // same layout
    // Predicted liquidations (levels consumed) of the bars opening in range, per bar and bin.
    QVector<HeatmapHistory::ConsumedCell> predicted;
    double binStep = 0;
    // Columns before warmUntil show the warm-up (HeatmapEngine::warmUntil): draw them faded.
    // max() while no open interest has been seen; hasOpenInterest false: no heatmap possible.
    qint64 warmUntil = std::numeric_limits<qint64>::max();
    bool hasOpenInterest = false;
    // The first open-interest sample's time: columns before it are empty (max() without any).
    qint64 openInterestFrom = std::numeric_limits<qint64>::max();

    // Which maintenance-margin tiers the levels were computed with (MarginTierChoice::describe);
    // empty when nothing is stored yet.
    QString marginTiers;

    bool isWarm(int column) const { return columnTimes.value(column) < warmUntil; }

    qsizetype index(int column, int row) const { return qsizetype(column) * rows + row; }
    double rowEdge(int r) const // r in [0, rows]
    {
        return rowScale == RowScale::Log ? priceLow * std::pow(priceHigh / priceLow, double(r) / rows)
                                         : priceLow + (priceHigh - priceLow) * r / rows;
    }
};
