#pragma once

#include "sources/sourceoptions.h"

#include <QString>

class DataSource;

// The registry row's create function for Bybit v5 linear (sources/sourcefactory.cpp).
namespace BybitVenue {
DataSource *create(const SourceOptions &options, QString *error);
}
