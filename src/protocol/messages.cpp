#include "protocol/messages.h"

#include <array>
#include <utility>

namespace tickwire::protocol {

namespace {

using namespace Qt::StringLiterals;

constexpr std::array ChannelNames = {"ticker"_L1, "trades"_L1, "book"_L1, "candles"_L1,
                                     "orders"_L1};
constexpr std::array SideNames = {"buy"_L1, "sell"_L1};
constexpr std::array OrderTypeNames = {"limit"_L1, "market"_L1};
constexpr std::array OrderStatusNames = {"new"_L1, "partially_filled"_L1, "filled"_L1,
                                         "cancelled"_L1, "rejected"_L1};
constexpr std::array IntervalNames = {"1s"_L1, "1m"_L1, "5m"_L1, "15m"_L1, "1h"_L1};
constexpr std::array SourceStateNames = {"live"_L1, "resyncing"_L1, "unverified"_L1, "down"_L1};
constexpr std::array<std::int64_t, 5> IntervalMs = {1'000, 60'000, 300'000, 900'000, 3'600'000};

template<typename Enum, std::size_t N>
std::optional<Enum> lookup(const std::array<QLatin1StringView, N> &names, QStringView text)
{
    for (std::size_t i = 0; i < N; ++i) {
        if (text == names[i])
            return static_cast<Enum>(i);
    }
    return std::nullopt;
}

} // namespace

QLatin1StringView toString(Channel channel)
{
    return ChannelNames[static_cast<std::size_t>(channel)];
}
QLatin1StringView toString(Side side)
{
    return SideNames[static_cast<std::size_t>(side)];
}
QLatin1StringView toString(OrderType type)
{
    return OrderTypeNames[static_cast<std::size_t>(type)];
}
QLatin1StringView toString(OrderStatus status)
{
    return OrderStatusNames[static_cast<std::size_t>(status)];
}
QLatin1StringView toString(CandleInterval interval)
{
    return IntervalNames[static_cast<std::size_t>(interval)];
}

QLatin1StringView toString(SourceState state)
{
    return SourceStateNames[static_cast<std::size_t>(state)];
}

std::optional<Channel> channelFromString(QStringView text)
{
    return lookup<Channel>(ChannelNames, text);
}
std::optional<Side> sideFromString(QStringView text)
{
    return lookup<Side>(SideNames, text);
}
std::optional<OrderType> orderTypeFromString(QStringView text)
{
    return lookup<OrderType>(OrderTypeNames, text);
}
std::optional<OrderStatus> orderStatusFromString(QStringView text)
{
    return lookup<OrderStatus>(OrderStatusNames, text);
}
std::optional<CandleInterval> candleIntervalFromString(QStringView text)
{
    return lookup<CandleInterval>(IntervalNames, text);
}

std::optional<SourceState> sourceStateFromString(QStringView text)
{
    return lookup<SourceState>(SourceStateNames, text);
}

std::int64_t intervalMs(CandleInterval interval)
{
    return IntervalMs[static_cast<std::size_t>(interval)];
}

bool isTerminal(OrderStatus status)
{
    return status == OrderStatus::Filled || status == OrderStatus::Cancelled
           || status == OrderStatus::Rejected;
}

QLatin1StringView typeName(const Message &message)
{
    static constexpr std::array<QLatin1StringView, std::variant_size_v<Message>> Names = {
        "subscribe"_L1,   "unsubscribe"_L1,      "list_symbols"_L1,
        "place_order"_L1, "cancel_order"_L1,     "cancel_all"_L1,
        "ping"_L1,        "welcome"_L1,          "ack"_L1,
        "error"_L1,       "symbols"_L1,          "ticker"_L1,
        "trade"_L1,       "trades_snapshot"_L1,  "book"_L1,
        "candle"_L1,      "candles_snapshot"_L1, "order"_L1,
        "position"_L1,    "orders_snapshot"_L1,  "heartbeat"_L1,
        "pong"_L1,        "source_status"_L1,
    };
    return Names[message.index()];
}

std::optional<std::int64_t> requestId(const Message &message)
{
    return std::visit(
        [](const auto &m) -> std::optional<std::int64_t> {
            if constexpr (requires { m.id; })
                return m.id;
            else
                return std::nullopt;
        },
        message);
}

} // namespace tickwire::protocol
