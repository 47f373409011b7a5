#pragma once

#include <QtGlobal>

#include <cmath>

// Contract units of the simulated BTCUSDT-like perpetual. Prices on the book are whole ticks
// and sizes whole lots, so every trade's notional is an integer number of micro-USDT: the
// ledger balances exactly, and open interest is an exact integer sum of positions.
namespace SimUnits {
inline constexpr double tickSize = 1.0;           // USDT per tick
inline constexpr qint64 lotsPerCoin = 1000;       // 1 lot = 0.001 BTC (Binance's step size)
inline constexpr qint64 microPerTickLot = 1000;   // µUSDT of 1 tick x 1 lot
inline constexpr double microPerUsd = 1e6;

inline double coins(qint64 lots) { return double(lots) / double(lotsPerCoin); }
inline qint64 lotsFloor(double coins) { return qint64(std::floor(coins * double(lotsPerCoin))); }
inline double usd(qint64 micro) { return double(micro) / microPerUsd; }
inline qint64 micro(double usd) { return std::llround(usd * microPerUsd); }
// Notional of lots at a (possibly fractional) price, in µUSDT.
inline qint64 notionalMicro(double price, qint64 lots) { return std::llround(price * double(lots) * double(microPerTickLot)); }
} // namespace SimUnits
