#pragma once

#include "sources/sourceoptions.h"

#include <QString>

class DataSource;

// The registry row's create function for Binance spot (sources/sourcefactory.cpp).
namespace BinanceSpotVenue {
DataSource *create(const SourceOptions &options, QString *error);
}
