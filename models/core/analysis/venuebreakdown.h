#pragma once

#include "analysis/rangeanalysis.h"

#include <QVector>

class StoreReader;

// The per-venue breakdown of an aggregate (ALL:BTC) over a range: each member analysed on its
// own (fixed thresholds, no heatmap: the figures only), the price reference first. What the
// dock lists under the aggregate's figures and analyze --json prints as "venues".
namespace VenueBreakdown {
QVector<RangeAnalysis::Venue> measure(StoreReader &reader, const Instrument &aggregate, TimeRange range);
// "partial: OKX:BTC-USDT-SWAP has no oi, funding over part of the range" per member missing
// something (empty when every member covers the range).
QStringList partialReasons(const QVector<RangeAnalysis::Venue> &venues);
} // namespace VenueBreakdown
