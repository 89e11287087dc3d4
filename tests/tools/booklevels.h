#pragma once

#include "protocol/orderbook.h"

#include <QtCore/QStringList>

namespace tickwire::testing {

// A book's levels as text, bids then asks ("b 64000.00:0.5"), to compare whole books in tests
// with the exact decimal strings.
inline QStringList bookLevels(const protocol::OrderBook &book)
{
    using namespace Qt::StringLiterals;
    QStringList out;
    for (const auto &[price, qty] : book.bids())
        out.append(u"b "_s + price.toString() + u':' + qty.toString());
    for (const auto &[price, qty] : book.asks())
        out.append(u"a "_s + price.toString() + u':' + qty.toString());
    return out;
}

} // namespace tickwire::testing
