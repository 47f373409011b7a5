#pragma once

#include "analysis/rangeanalysis.h"

// The verdict on a measured range: which of flush, squeeze, partial_flush, still_loaded,
// deleveraging, spot_led, quiet or insufficient_data it was, how confident that is, and the
// reasons with their numbers. It judges the path (the open-interest peak to trough and
// where it happened relative to the price move), not only the two ends, and measures
// "meaningful", "heavy" and "elevated" against the instrument's own trailing history
// (VerdictThresholds). Unknown data never counts as zero: it lowers the confidence or, for
// price and open interest, makes the verdict insufficient_data.
namespace VerdictRules {
// Data a verdict needs at all: price over this share of the range, and open interest with
// fresh samples at both edges over this share.
inline constexpr double minPriceShare = 0.8;
inline constexpr double minOpenInterestShare = 0.5;
// Liquidations count as covered (for "heavy" and "no footprint") over this share.
inline constexpr double minLiquidationShare = 0.9;
// A partial clearing: at least this fraction of the meaningful OI decline.
inline constexpr double partialClearing = 0.5;
// "Flat" open interest: within this fraction of the meaningful change, both ways.
inline constexpr double flatBand = 0.35;
// No liquidation footprint: below this fraction of the heavy level.
inline constexpr double noFootprint = 0.33;
// A deciding figure within this fraction of its threshold lowers the confidence one step.
inline constexpr double marginBand = 0.15;

void judge(RangeAnalysis::Result &r);
// Help -> About the verdict: the vocabulary, the rules, the thresholds and their fallbacks.
QString aboutText();
} // namespace VerdictRules
