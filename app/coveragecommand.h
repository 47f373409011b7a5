#pragma once

#include <QStringList>

// perpscope coverage --db PATH [--instrument I] [--json]
// What the store knows it covered, per instrument and kind: the span, the quality
// (complete / sampled), the finest resolution held, the covered share and the holes.
class CoverageCommand
{
public:
    static int run(const QStringList &args);
};
