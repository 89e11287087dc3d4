#include "protocol/checksum.h"

#include <array>

namespace tickwire::protocol {

namespace {

constexpr std::array<std::uint32_t, 256> makeCrcTable()
{
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    return table;
}

constexpr auto CrcTable = makeCrcTable();

} // namespace

std::uint32_t crc32(QByteArrayView data, std::uint32_t crc)
{
    crc = ~crc;
    for (const char ch : data)
        crc = CrcTable[(crc ^ static_cast<unsigned char>(ch)) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}

std::uint32_t bookChecksum(const QList<BookLevel> &bids, const QList<BookLevel> &asks)
{
    struct Pairs
    {
        const QList<BookLevel> &levels;
        struct It
        {
            QList<BookLevel>::const_iterator it;
            std::pair<const Decimal &, const Decimal &> operator*() const
            {
                return {it->price, it->qty};
            }
            It &operator++()
            {
                ++it;
                return *this;
            }
            bool operator!=(const It &o) const { return it != o.it; }
        };
        It begin() const { return {levels.cbegin()}; }
        It end() const { return {levels.cend()}; }
    };
    return bookChecksumOf(Pairs{asks}, Pairs{bids});
}

} // namespace tickwire::protocol
