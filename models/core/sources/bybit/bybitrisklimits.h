#pragma once

#include "domain/margintier.h"

#include <QJsonArray>
#include <QString>

// Bybit v5 GET /v5/market/risk-limit (public; research/data-formats.md §5.5): result.list
// holds one row per risk limit of the symbol, each with riskLimitValue (the position value
// the tier reaches, USDT), maintenanceMargin and initialMargin (rates), maxLeverage and
// mmDeduction (the maintenance amount; "" when Bybit gives none). Bybit's documentation shows
// the rates as percent strings ("0.5" for 0.5 %) while its API answers fractions ("0.005"):
// initialMargin x maxLeverage (about 1 for fractions, 100 for percent) tells which.
namespace BybitRiskLimits {
// Parses `list` (rows of other symbols are skipped) into tiers 1..n with USD bounds, each
// floor the previous row's riskLimitValue. False with *error naming the row, the field and
// what was expected.
bool parse(const QJsonArray &list, const QString &symbol, qint64 fetchedMs, QVector<MarginTier> *tiers, QString *error);
} // namespace BybitRiskLimits
