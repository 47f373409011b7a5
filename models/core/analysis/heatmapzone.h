#pragma once

#include "domain/liquidation.h"

#include <QtGlobal>

// A predicted hot zone price consumed: a band of adjacent bins (gaps up to 0.2 %) on one side
// where the levels the price traded through held as much notional as the top decile of the
// map's cells at the start of the range.
struct HeatmapZone
{
    Liquidation::Side side = Liquidation::Side::Long;
    double priceLow = 0;
    double priceHigh = 0;
    double notionalUsd = 0; // predicted liquidation notional consumed inside the band
    qint64 firstTs = 0;     // first and last bar that consumed part of it
    qint64 lastTs = 0;
};
