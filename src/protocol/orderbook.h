#pragma once

#include "protocol/messages.h"

#include <functional>
#include <utility>
#include <vector>

namespace tickwire::protocol {

// A price-level order book that applies tickwire/1 `book` messages and computes the book
// checksum. Levels keep the exact decimal strings of the messages that set them, so the
// checksum can be checked against the server's. Each side is a sorted array of (price, qty):
// a book has tens of levels and changes most of them at a time, so a binary search and a short
// move beat a node per level. Not thread-safe: one owner thread.
class OrderBook
{
public:
    using Level = std::pair<Decimal, Decimal>; // price, qty
    using Bids = std::vector<Level>; // best (highest) first
    using Asks = std::vector<Level>; // best (lowest) first

    void clear();
    // Replaces the whole book (snapshot) or applies changed levels (qty "0" removes one).
    // A negative quantity is ignored and reported by returning false.
    bool apply(const Book &message);
    bool applyLevels(const QList<BookLevel> &bids, const QList<BookLevel> &asks);

    [[nodiscard]] std::uint32_t checksum() const;
    // True when the best bid is at or above the best ask: never publish such a book.
    [[nodiscard]] bool isCrossed() const;
    [[nodiscard]] bool isEmpty() const { return m_bids.empty() && m_asks.empty(); }

    [[nodiscard]] const Bids &bids() const { return m_bids; }
    [[nodiscard]] const Asks &asks() const { return m_asks; }
    [[nodiscard]] QList<BookLevel> topBids(int depth) const;
    [[nodiscard]] QList<BookLevel> topAsks(int depth) const;
    [[nodiscard]] std::optional<BookLevel> bestBid() const;
    [[nodiscard]] std::optional<BookLevel> bestAsk() const;

    friend bool operator==(const OrderBook &, const OrderBook &) = default;

private:
    template<typename Better>
    static bool applySide(std::vector<Level> &side, const QList<BookLevel> &levels, Better better);

    Bids m_bids;
    Asks m_asks;
};

} // namespace tickwire::protocol
