#pragma once

#include "sourceoptions.h"

#include <QStringList>

class DataSource;

// Builds the source named in the options. Returns nullptr and sets *error (a sentence
// naming the bad option) when the options are unusable.
namespace SourceFactory {
QStringList names();
// What the GUI's source picker shows for a name ("Binance USDⓈ-M (live)").
QString label(const QString &name);
DataSource *create(const SourceOptions &options, QString *error);
} // namespace SourceFactory
