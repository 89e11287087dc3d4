// One libFuzzer executable per entry point: TICKWIRE_FUZZ_TARGET names it ("json_decode", ...).
#include "fuzzentries.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {
tickwire::fuzz::EntryFunction g_entry = nullptr;
}

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    for (const tickwire::fuzz::Entry &entry : tickwire::fuzz::entries()) {
        if (std::strcmp(entry.name, TICKWIRE_FUZZ_TARGET) == 0)
            g_entry = entry.run;
    }
    if (!g_entry) {
        std::fprintf(stderr, "no fuzz entry named %s\n", TICKWIRE_FUZZ_TARGET);
        std::abort();
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QString problem =
        g_entry(QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (!problem.isEmpty()) {
        std::fprintf(stderr, "%s: invariant broken: %s\n", TICKWIRE_FUZZ_TARGET,
                     qUtf8Printable(problem));
        std::abort(); // libFuzzer saves the input as a crash artifact
    }
    return 0;
}
