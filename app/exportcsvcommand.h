#pragma once

#include <QStringList>

// perpscope export csv --db PATH --kind KIND [--instrument I] [--from T --to T]
//                      [--timeframe 1m|...|1d] [--preset NAME] --out FILE|-
// (--preset chooses the heatmap model preset for --kind heatmap.)
class ExportCsvCommand
{
public:
    static int run(const QStringList &args);
};
