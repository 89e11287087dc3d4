#include "protocol/orderbook.h"

#include "protocol/checksum.h"

#include <algorithm>

namespace tickwire::protocol {

namespace {

template<typename Side> QList<BookLevel> top(const Side &side, int depth)
{
    QList<BookLevel> out;
    out.reserve(std::min<qsizetype>(depth, qsizetype(side.size())));
    for (auto it = side.cbegin(); it != side.cend() && out.size() < depth; ++it)
        out.append(BookLevel{it->first, it->second});
    return out;
}

} // namespace

void OrderBook::clear()
{
    m_bids.clear();
    m_asks.clear();
}

template<typename Better>
bool OrderBook::applySide(std::vector<Level> &side, const QList<BookLevel> &levels, Better better)
{
    bool ok = true;
    for (const BookLevel &level : levels) {
        if (level.qty.isNegative() || !level.price.isPositive()) {
            ok = false;
            continue;
        }
        const auto it = std::lower_bound(
            side.begin(), side.end(), level.price,
            [&better](const Level &l, const Decimal &price) { return better(l.first, price); });
        const bool found = it != side.end() && it->first == level.price;
        if (level.qty.isZero()) {
            if (found)
                side.erase(it);
        } else if (found) {
            *it = Level{level.price, level.qty}; // the newest written form of the price too
        } else {
            side.insert(it, Level{level.price, level.qty});
        }
    }
    return ok;
}

bool OrderBook::apply(const Book &message)
{
    if (message.snapshot)
        clear();
    return applyLevels(message.bids, message.asks);
}

bool OrderBook::applyLevels(const QList<BookLevel> &bids, const QList<BookLevel> &asks)
{
    const bool bidsOk = applySide(m_bids, bids, std::greater<>());
    const bool asksOk = applySide(m_asks, asks, std::less<>());
    return bidsOk && asksOk;
}

std::uint32_t OrderBook::checksum() const
{
    return bookChecksumOf(m_asks, m_bids);
}

bool OrderBook::isCrossed() const
{
    return !m_bids.empty() && !m_asks.empty() && m_bids.cbegin()->first >= m_asks.cbegin()->first;
}

QList<BookLevel> OrderBook::topBids(int depth) const
{
    return top(m_bids, depth);
}

QList<BookLevel> OrderBook::topAsks(int depth) const
{
    return top(m_asks, depth);
}

std::optional<BookLevel> OrderBook::bestBid() const
{
    if (m_bids.empty())
        return std::nullopt;
    return BookLevel{m_bids.cbegin()->first, m_bids.cbegin()->second};
}

std::optional<BookLevel> OrderBook::bestAsk() const
{
    if (m_asks.empty())
        return std::nullopt;
    return BookLevel{m_asks.cbegin()->first, m_asks.cbegin()->second};
}

} // namespace tickwire::protocol
