#pragma once

#include "domain/liquidation.h"

#include <QtGlobal>

// A predicted level the mark price traded through: the model's liquidation, recorded by the
// heatmap engine in the bar that consumed it.
struct PredictedLiquidation
{
    qint64 ts = 0; // open time of the consuming bar
    Liquidation::Side side = Liquidation::Side::Long;
    double price = 0; // the level (liquidation price)
    double qty = 0;   // coins
    double leverage = 0;

    double notional() const { return price * qty; }
};
