// libFuzzer entry of perpscope_fuzz: one binary for every target of FuzzTargets::all().
//   perpscope_fuzz -target=klines_rows [libFuzzer flags] CORPUS... (or PERPSCOPE_FUZZ_TARGET)
//   perpscope_fuzz -list_targets
#include "fuzztargets.h"

#include <QByteArray>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {
const FuzzTargets::Target *g_target = nullptr;
}

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    QString name = qEnvironmentVariable("PERPSCOPE_FUZZ_TARGET");
    int kept = 0;
    for (int i = 0; i < *argc; ++i) {
        const char *a = (*argv)[i];
        if (std::strcmp(a, "-list_targets") == 0) {
            for (const auto &t : FuzzTargets::all())
                std::printf("%s\n", qPrintable(t.name));
            std::exit(0);
        }
        if (std::strncmp(a, "-target=", 8) == 0) {
            name = QString::fromUtf8(a + 8);
            continue; // not a libFuzzer flag
        }
        (*argv)[kept++] = (*argv)[i];
    }
    *argc = kept;
    g_target = FuzzTargets::find(name);
    if (!g_target) {
        std::fprintf(stderr, "perpscope_fuzz: no target '%s' (-list_targets lists them)\n", qPrintable(name));
        std::exit(2);
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_target->run(data, size);
    return 0;
}
