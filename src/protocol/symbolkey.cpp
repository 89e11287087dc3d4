#include "protocol/symbolkey.h"

#include <cstdint>
#include <cstring>

namespace tickwire {

namespace {

constexpr std::uint64_t Mix1 = 0xbf58476d1ce4e5b9ULL;
constexpr std::uint64_t Mix2 = 0x94d049bb133111ebULL;

inline std::uint64_t mix(std::uint64_t h, std::uint64_t word)
{
    h = (h ^ word) * Mix1;
    return h ^ (h >> 31);
}

} // namespace

std::size_t symbolHash(QStringView text, std::size_t seed) noexcept
{
    const auto *bytes = reinterpret_cast<const unsigned char *>(text.data());
    std::size_t left = std::size_t(text.size()) * sizeof(QChar);
    std::uint64_t h = std::uint64_t(seed) ^ (std::uint64_t(left) * 0x9e3779b97f4a7c15ULL);
    for (; left >= 8; left -= 8, bytes += 8) {
        std::uint64_t word;
        std::memcpy(&word, bytes, 8);
        h = mix(h, word);
    }
    if (left > 0) {
        std::uint64_t word = 0;
        std::memcpy(&word, bytes, left);
        h = mix(h, word);
    }
    h ^= h >> 29;
    h *= Mix2;
    h ^= h >> 32;
    return std::size_t(h);
}

} // namespace tickwire
