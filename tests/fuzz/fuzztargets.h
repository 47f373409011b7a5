#pragma once

#include <QString>

#include <cstddef>
#include <cstdint>
#include <vector>

// Every parser Perpscope feeds with bytes from outside, as a fuzz target: one input in, and
// an invariant checked on what comes out (a row a parser accepts is a row the store accepts;
// a zip entry that verifies has the size its directory says; ...). A broken invariant or a
// crash aborts, which libFuzzer reports and the replay test (tst_fuzzinputs) fails on.
// Built twice: into perpscope_fuzz (clang, libFuzzer, the sanitizer stage) and into the
// ordinary test suite, which replays the seeds and every crash input kept as a regression
// in tests/data/fuzz/<target>/.
namespace FuzzTargets {

struct Target
{
    QString name;
    void (*run)(const uint8_t *data, size_t size);
};

const std::vector<Target> &all();
const Target *find(const QString &name);

// Aborts with a message when an invariant fails.
void check(bool ok, const char *what);

} // namespace FuzzTargets
