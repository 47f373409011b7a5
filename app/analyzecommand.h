#pragma once

#include <QStringList>

// perpscope analyze --db PATH --from T --to T [--instrument I] [--json]
// The range analysis the GUI shows for a selection, with its verdict.
class AnalyzeCommand
{
public:
    static int run(const QStringList &args);
};
