#pragma once

#include "sources/sourceoptions.h"

#include <QString>

class DataSource;

// The registry row's create function for OKX v5 SWAP (sources/sourcefactory.cpp).
namespace OkxVenue {
DataSource *create(const SourceOptions &options, QString *error);
}
