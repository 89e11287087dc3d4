#pragma once

#include "messages.h"

#include <QtCore/QString>
#include <QtCore/QStringView>

#include <optional>

namespace tickwire::client {

// One subscription the application wants: a channel, a symbol (empty for `orders`) and, for
// candles, an interval. Written as "ticker:BTC-USD", "book:BTC-USD", "trades:BTC-USD",
// "candles:1m:BTC-USD" or "orders".
struct Topic
{
    protocol::Channel channel = protocol::Channel::Ticker;
    QString symbol;
    std::optional<protocol::CandleInterval> interval;

    [[nodiscard]] QString toString() const;
    // nullopt with a message in `error` for malformed text.
    [[nodiscard]] static std::optional<Topic> parse(QStringView text, QString *error = nullptr);

    friend bool operator==(const Topic &, const Topic &) = default;
};

// The sequence stream a market-data message belongs to ("book:BTC-USD", "candles:1m:ETH-USD").
[[nodiscard]] QString streamKey(protocol::Channel channel, const QString &symbol,
                                std::optional<protocol::CandleInterval> interval = {});

} // namespace tickwire::client
