#pragma once

#include <QString>

// One OKX SWAP contract's face value (public/instruments: ctVal, ctMult, ctValCcy, ctType;
// research/data-formats-2.md §A.7). Linear (BTC-USDT-SWAP): ctVal is in the base coin, 0.01 BTC
// per contract. Inverse (BTC-USD-SWAP): ctVal is in USD, 100 USD per contract. Sizes OKX gives
// in contracts (liquidation sz, oi, candle vol) convert to coins and USD with it.
struct OkxContract
{
    double ctVal = 0;
    double ctMult = 1;
    bool inverse = false;
    QString valueCurrency; // ctValCcy: "BTC" (linear) or "USD" (inverse)
    QString settleCurrency;

    double faceValue() const { return ctVal * ctMult; }
    // Coins for n contracts at price px (inverse: the fixed USD face divided by the price).
    double coins(double contracts, double px) const { return inverse ? (px > 0 ? contracts * faceValue() / px : 0) : contracts * faceValue(); }
    double usd(double contracts, double px) const { return inverse ? contracts * faceValue() : contracts * faceValue() * px; }
    bool isValid() const { return ctVal > 0 && ctMult > 0; }
};
