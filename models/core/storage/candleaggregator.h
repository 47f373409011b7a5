#pragma once

#include "domain/candle.h"
#include "domain/timeframe.h"

#include <QVector>
#include <span>

// OHLCV aggregation, the single definition the store's tiers and every check use:
// open = first, close = last, high = max, low = min, volumes summed in time order.
// Summing in time order from the 1m bars (never from a coarser tier) keeps a tier bit-for-bit
// equal to aggregating its 1m bars, whatever order batches arrived in.
namespace CandleAggregator {
Candle aggregate(qint64 bucketTs, std::span<const Candle> barsInTimeOrder);
// Aggregates time-sorted bars into tf buckets (all buckets, complete or not).
QVector<Candle> toTimeframe(std::span<const Candle> barsInTimeOrder, Timeframe tf);
// Sorts by ts and keeps the last occurrence of each ts (a later snapshot of a bar wins).
QVector<Candle> normalized(const QVector<Candle> &bars);
} // namespace CandleAggregator
