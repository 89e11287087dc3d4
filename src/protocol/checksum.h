#pragma once

#include "protocol/messages.h"

#include <QtCore/QByteArrayView>

#include <cstdint>

namespace tickwire::protocol {

// CRC-32 (IEEE 802.3, the polynomial and conventions of zlib's crc32()).
[[nodiscard]] std::uint32_t crc32(QByteArrayView data, std::uint32_t crc = 0);

// The book checksum of tickwire/1: CRC-32 of the top ChecksumLevels asks (ascending) then the
// top ChecksumLevels bids (descending), each written "PRICE:QTY," with the exact decimal
// strings. `bids` must be best-first (descending), `asks` best-first (ascending).
[[nodiscard]] std::uint32_t bookChecksum(const QList<BookLevel> &bids,
                                         const QList<BookLevel> &asks);

// The same over any ordered ranges of (price, qty) pairs, for book stores that are not lists.
template<typename AskRange, typename BidRange>
[[nodiscard]] std::uint32_t bookChecksumOf(const AskRange &asks, const BidRange &bids)
{
    char text[2 * ChecksumLevels * (2 * Decimal::MaxTextLength + 2)];
    qsizetype size = 0;
    auto add = [&text, &size](const auto &range) {
        int n = 0;
        for (const auto &[price, qty] : range) {
            if (n++ == ChecksumLevels)
                break;
            size += price.writeTo(text + size);
            text[size++] = ':';
            size += qty.writeTo(text + size);
            text[size++] = ',';
        }
    };
    add(asks);
    add(bids);
    return crc32(QByteArrayView(text, size));
}

} // namespace tickwire::protocol
