#pragma once

#include "sources/sourceoptions.h"

#include <QString>

class DataSource;

// The registry row's create function for Binance USDⓈ-M (sources/sourcefactory.cpp).
namespace BinanceVenue {
DataSource *create(const SourceOptions &options, QString *error);
}
