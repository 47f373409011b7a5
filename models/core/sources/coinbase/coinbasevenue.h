#pragma once

#include "sources/sourceoptions.h"

#include <QString>

class DataSource;

// The registry row's create function for Coinbase spot (sources/sourcefactory.cpp).
namespace CoinbaseVenue {
DataSource *create(const SourceOptions &options, QString *error);
}
