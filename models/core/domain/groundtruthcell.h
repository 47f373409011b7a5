#pragma once

#include "liquidation.h"

#include <QMetaType>
#include <QtGlobal>

// Simulator ground truth: at snapshot time ts, the notional (USD at the liquidation price) of
// open positions of one side whose *true* liquidation price lies in log-price bin `bin`
// (see LogPriceGrid). Only a simulator knows this; it is what the heatmap is scored against.
struct GroundTruthCell
{
    qint64 ts = 0;
    Liquidation::Side side = Liquidation::Side::Long;
    int bin = 0;
    double notional = 0;

    friend bool operator==(const GroundTruthCell &, const GroundTruthCell &) = default;
};

Q_DECLARE_METATYPE(GroundTruthCell)
