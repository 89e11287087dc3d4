#pragma once

#include "protocol/messages.h"
#include "protocol/orderbook.h"

#include <optional>

namespace tickwire::exchange {

// One fill of an incoming order against the market's book.
struct Execution
{
    Decimal price;
    Decimal qty;
};

// What the exchange needs of the market it trades in. Implemented by the server's market
// engine; every call happens on the engine thread.
class MarketAccess
{
public:
    virtual ~MarketAccess() = default;

    [[nodiscard]] virtual std::optional<protocol::InstrumentInfo>
    instrument(const QString &symbol) const = 0;
    // The full book of a symbol, or nullptr when it has none yet.
    [[nodiscard]] virtual const protocol::OrderBook *book(const QString &symbol) const = 0;
    // Walks the book for an incoming order (a buy takes asks from the best up, not above
    // limitPrice when given), removes that liquidity, publishes the public book update and
    // trades, and returns the executions in the order they happened.
    virtual QList<Execution> execute(const QString &symbol, protocol::Side side, Decimal qty,
                                     std::optional<Decimal> limitPrice) = 0;
};

} // namespace tickwire::exchange
