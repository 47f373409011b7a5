#pragma once

#include <QStringList>

// perpscope aggregate --db PATH [--define ALL:U --members I,I... | --clear ALL:U] [--json]
// The aggregated instruments (ALL:BTC) of a store and their members, the price reference
// first. --define stores a set of its own in the store's meta table (aggregate.ALL:BTC), so
// the GUI and every command read the same members; --clear returns to the default rule
// (every venue perpetual of the underlying in the store).
class AggregateCommand
{
public:
    static int run(const QStringList &args);
};
