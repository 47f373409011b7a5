#pragma once

// The venues whose REST and stream messages are fuzzed: one line each. X(name, Adapter)
// makes the targets <name>_rest and <name>_stream, seeded from tests/data/fuzz/<name>_rest
// and tests/data/fuzz/<name>_stream (CMake reads the names from the lines below: keep one
// X(...) per line). A new venue: its adapter's #include, its line, and its seed folders.

#include "sources/binance/binanceadapter.h"
#include "sources/binancespot/binancespotadapter.h"
#include "sources/bybit/bybitadapter.h"
#include "sources/coinbase/coinbaseadapter.h"
#include "sources/okx/okxadapter.h"

#define PERPSCOPE_FUZZ_VENUES(X) \
    X(binance, BinanceAdapter) \
    X(bybit, BybitAdapter) \
    X(okx, OkxAdapter) \
    X(binancespot, BinanceSpotAdapter) \
    X(coinbase, CoinbaseAdapter)
