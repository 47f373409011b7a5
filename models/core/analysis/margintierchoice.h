#pragma once

#include "domain/instrument.h"
#include "domain/margintier.h"
#include "liquidationprice.h"

#include <QString>
#include <QVector>

class StoreReader;

// Which maintenance-margin tiers the heatmap computes liquidation prices with for one
// instrument: the venue's own, as the store last fetched them (Bybit risk-limit, OKX
// position-tiers), or else Binance BTCUSDT's built-in table (Binance's own brackets need an
// API key; LiquidationPrice::binanceBtcUsdt). The heatmap service, the image and heatmap
// exports and heatmap-score all take it from here, and describe() is what the UI shows.
struct MarginTierChoice
{
    QVector<LiquidationPrice::Bracket> brackets;
    Instrument instrument; // whose stored tiers these are; invalid for the default
    qint64 fetchedMs = 0;  // 0: the default table
    double referencePrice = 0; // coin-sized tiers were valued at this price (0: USD tiers)

    bool isDefault() const { return fetchedMs == 0; }
    // "OKX tiers of BTC-USDT-SWAP fetched 2026-12-03 08:15 UTC (8 tiers, maintenance 0.40 % to
    // 25.00 %)" or "Binance BTCUSDT default (built-in table of 2021-03-18)".
    QString describe() const;

    static MarginTierChoice binanceDefault();
    // The stored tiers of the instrument when the store holds a usable schedule, else the default.
    static MarginTierChoice forInstrument(StoreReader &reader, const Instrument &instrument);
    static MarginTierChoice fromTiers(const Instrument &instrument, const QVector<MarginTier> &tiers);

    friend bool operator==(const MarginTierChoice &a, const MarginTierChoice &b)
    {
        return a.brackets == b.brackets && a.fetchedMs == b.fetchedMs;
    }
};
