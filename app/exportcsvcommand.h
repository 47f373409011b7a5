#pragma once

#include <QStringList>

// perpscope export csv --db PATH --kind KIND [--instrument I] [--from T --to T]
//                      [--timeframe 1m|...|1d] --out FILE|-
class ExportCsvCommand
{
public:
    static int run(const QStringList &args);
};
