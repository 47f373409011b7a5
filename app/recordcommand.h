#pragma once

#include <QStringList>

// perpscope record --db LOCATOR --source NAME[,NAME...]... --instrument I[,I...]...
//                  [--days D] [--commit-ms MS] [--source-option [NAME.]KEY=VALUE]...
//                  [--seed N] [--preset P] [--param K=V]... [--speed X] [--stop-timeout S]
// The headless recorder (Recorder): backfills what the store lacks, streams, commits in
// batches, one log line per event on stderr; SIGTERM/SIGINT stop it cleanly (exit 0).
class RecordCommand
{
public:
    static int run(const QStringList &args);
};
