#pragma once

#include <QStringList>

// perpscope import --db PATH FILE|DIR... [--instrument I] [--kind KIND]
// Imports Binance data dumps (zipped or plain) and Perpscope CSV exports through the real
// data thread and writer: progress on stderr, the summary on stdout.
class ImportCommand
{
public:
    static int run(const QStringList &args);
};
