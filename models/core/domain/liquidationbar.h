#pragma once

#include <QMetaType>
#include <QtGlobal>

// Liquidations of one bucket of a timeframe tier, per side of the liquidated position.
// usd = sum of price x qty; qty / usd give the side's average price (usd / qty).
struct LiquidationBar
{
    qint64 ts = 0;
    double longUsd = 0;
    double shortUsd = 0;
    double longQty = 0;
    double shortQty = 0;
    int longCount = 0;
    int shortCount = 0;
    double largestUsd = 0; // the biggest single print in the bucket

    double totalUsd() const { return longUsd + shortUsd; }
    double longPrice() const { return longQty > 0 ? longUsd / longQty : 0; }
    double shortPrice() const { return shortQty > 0 ? shortUsd / shortQty : 0; }

    friend bool operator==(const LiquidationBar &, const LiquidationBar &) = default;
};

Q_DECLARE_METATYPE(LiquidationBar)
