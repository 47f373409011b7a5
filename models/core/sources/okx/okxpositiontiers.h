#pragma once

#include "domain/margintier.h"
#include "okxcontract.h"

#include <QJsonArray>
#include <QString>

// OKX v5 GET /api/v5/public/position-tiers?instType=SWAP&tdMode=isolated&instFamily=BTC-USDT
// (public): data holds one row per tier of the family, each with tier, minSz and maxSz (for
// SWAP in contracts), mmr and imr (fractions) and maxLever; OKX gives no maintenance amount.
// Sizes convert with the contract's face value (ctVal x ctMult): a linear swap's tiers are
// then coins (valued at a price by the caller), an inverse swap's USD.
namespace OkxPositionTiers {
// The instrument family of a swap's instId ("BTC-USDT-SWAP" -> "BTC-USDT").
QString familyOf(const QString &instId);
// Parses `data` (rows of other families or instruments are skipped) into tiers 1..n, each
// floor the previous tier's cap. *inCoins: the bounds are coins, not USD. False with *error
// naming the row, the field and what was expected.
bool parse(const QJsonArray &data, const QString &instId, const OkxContract &contract, qint64 fetchedMs, QVector<MarginTier> *tiers,
           bool *inCoins, QString *error);
} // namespace OkxPositionTiers
