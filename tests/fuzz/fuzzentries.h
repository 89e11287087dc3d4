// The fuzz entry points: each feeds one input to one parser of untrusted bytes and checks what
// must hold for any input. The libFuzzer executables (fuzzmain.cpp) and the corpus replay test
// (tst_fuzzcorpus) call the same functions, so every finding becomes a regression test.
#pragma once

#include <QtCore/QByteArrayView>
#include <QtCore/QList>
#include <QtCore/QString>

namespace tickwire::fuzz {

// Returns an empty string, or what broke (the fuzzer aborts on it, the test fails on it).
// A crash, a sanitizer report or a hang is a finding too.
using EntryFunction = QString (*)(QByteArrayView input);

struct Entry
{
    const char *name; // the target's folder name in corpus/ and regressions/
    EntryFunction run;
};

// protocol::decode as JSON; a decoded message survives encode/decode in both encodings.
[[nodiscard]] QString jsonDecode(QByteArrayView input);
// protocol::decode as CBOR; the same round trips.
[[nodiscard]] QString cborDecode(QByteArrayView input);
// server::parseReplay in every format; good trades are valid, in file and time order.
[[nodiscard]] QString replay(QByteArrayView input);
// server::parseInstruments; a loaded set obeys the documented rules.
[[nodiscard]] QString instruments(QByteArrayView input);
// watchlists::parseDocument and parseSymbolText; what they accept survives a save/load.
[[nodiscard]] QString watchlist(QByteArrayView input);

// Every target: json_decode, cbor_decode, replay, instruments, watchlist.
[[nodiscard]] QList<Entry> entries();

} // namespace tickwire::fuzz
