#pragma once

#include <QStringList>

// perpscope backfill --db PATH --source sim|synthetic|binance [--seed N] [--days D]
//                    [--instrument I] [--preset NAME] [--end T] [--param key=value]...
// Fills the database through the real data thread and writer, progress on stderr.
class BackfillCommand
{
public:
    static int run(const QStringList &args);
};
