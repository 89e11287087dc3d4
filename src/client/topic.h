#pragma once

#include "protocol/messages.h"

#include <QtCore/QMetaType>
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

// Hashes the fields themselves: looking a topic up builds no string.
[[nodiscard]] size_t qHash(const Topic &topic, size_t seed = 0) noexcept;

// A market-data message's sequence stream is the topic it was subscribed under: its channel,
// symbol and (candles) interval.
using StreamId = Topic;

} // namespace tickwire::client

Q_DECLARE_METATYPE(tickwire::client::Topic)
