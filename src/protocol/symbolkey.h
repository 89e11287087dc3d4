#pragma once

#include <QtCore/QString>
#include <QtCore/QStringView>

#include <cstddef>

namespace tickwire {

// A hash of short strings (symbols, order ids) for the containers a market-data event passes
// through, several lookups per event. Qt 6.4's qHash(QString) takes its AES-NI path on x86
// CPUs that have it; Debian's build mixes VEX and legacy-SSE encodings there without
// vzeroupper, and on Intel CPUs a call on a 7-character symbol then costs ~125 ns instead of a
// few (a loop over one hot string on an Intel Xeon VM; 10 ns for 15 characters; not on AMD). This
// one is a multiply-xorshift over 8 bytes at a time, not meant to resist collisions chosen by an
// attacker: keys are symbols the client asked for or the server listed.
[[nodiscard]] std::size_t symbolHash(QStringView text, std::size_t seed = 0) noexcept;

// A QString as a QHash key, hashed with symbolHash. Converts from QString implicitly, so
// lookups and inserts take the QString itself.
struct SymbolKey
{
    SymbolKey(const QString &s) // NOLINT(google-explicit-constructor): a key stands for its text
        : text(s)
    {
    }
    QString text;

    friend bool operator==(const SymbolKey &a, const SymbolKey &b) noexcept
    {
        return a.text == b.text;
    }
};

[[nodiscard]] inline std::size_t qHash(const SymbolKey &key, std::size_t seed = 0) noexcept
{
    return symbolHash(key.text, seed);
}

} // namespace tickwire
