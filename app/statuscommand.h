#pragma once

#include <QStringList>

// perpscope status --db LOCATOR [--instrument I] [--now T] [--json]
// How current a store is, per instrument and kind: the newest row, its lag behind now, and
// the coverage the sources recorded (span, quality, covered share, holes). What an operator
// runs to see that a recorder keeps up.
class StatusCommand
{
public:
    static int run(const QStringList &args);
};
