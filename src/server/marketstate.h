#pragma once

#include "protocol/messages.h"
#include "protocol/orderbook.h"
#include "server/instruments.h"

#include <cstdint>

namespace tickwire::server {

// What the engine reads of one instrument's market to answer subscriptions: the snapshot of
// every stream and its current seq. The simulator and a live market (fed by an exchange
// adapter) both provide it. Engine thread only.
class MarketState
{
public:
    virtual ~MarketState() = default;

    [[nodiscard]] virtual const Instrument &instrument() const = 0;
    // The whole book (all levels known), for the exchange.
    [[nodiscard]] virtual const protocol::OrderBook &book() const = 0;
    [[nodiscard]] virtual protocol::Book bookSnapshot(int tier) const = 0;
    [[nodiscard]] virtual protocol::Ticker ticker() const = 0;
    [[nodiscard]] virtual std::int64_t tradesSeq() const = 0;
    [[nodiscard]] virtual protocol::TradesSnapshot tradesSnapshot() const = 0;
    [[nodiscard]] virtual std::int64_t candlesSeq(protocol::CandleInterval interval) const = 0;
    [[nodiscard]] virtual protocol::CandlesSnapshot
    candlesSnapshot(protocol::CandleInterval interval, int maxCandles) const = 0;
};

} // namespace tickwire::server
