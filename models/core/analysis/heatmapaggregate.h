#pragma once

#include "heatmapconsumption.h"
#include "heatmapgrid.h"
#include "liquidationmap.h"

#include <QStringList>
#include <QVector>

// The predicted heatmap of an aggregate (ALL:BTC): each member's own history (its OI changes,
// its venue's margin tiers) summed. The grids of one query share columns, rows and price
// bounds, and the model's bins are one log-price grid for every instrument, so cells and bins
// add exactly. An aggregate is warm when its last member is, and has open interest only when
// every member has (a member without any is unknown, not an empty book).
namespace HeatmapAggregate {

// members: one grid per member for the same query, the price reference first; names: the
// member keys (for marginTiers: "BINANCE:BTCUSDT: ...; BYBIT:BTCUSDT: ...").
HeatmapGrid sum(const QVector<HeatmapGrid> &members, const QStringList &names);
LiquidationMap sum(const QVector<LiquidationMap> &members);
// Member consumptions over the same counted span (the latest member's warm-up end onward).
HeatmapConsumption sum(const QVector<HeatmapConsumption> &members, TimeRange range);

} // namespace HeatmapAggregate
