#pragma once

#include "protocol/decimal.h"

#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <cstdint>
#include <optional>
#include <variant>

// Typed messages of the wire protocol `tickwire/1` (docs/protocol.md). Field names follow the
// wire names in camelCase; every price, quantity and amount is a Decimal, every time an
// integer count of milliseconds since the epoch, every sequence number an integer.
namespace tickwire::protocol {

inline constexpr QLatin1StringView ProtocolName{"tickwire/1"};
inline constexpr QLatin1StringView JsonSubprotocol{"tickwire.v1.json"};
inline constexpr QLatin1StringView CborSubprotocol{"tickwire.v1.cbor"};

enum class Channel { Ticker, Trades, Book, Candles, Orders };
enum class Side { Buy, Sell };
enum class OrderType { Limit, Market };
enum class OrderStatus { New, PartiallyFilled, Filled, Cancelled, Rejected };
enum class CandleInterval { S1, M1, M5, M15, H1 };
// How far a market source can be trusted right now (source_status).
enum class SourceState {
    Live, // connected and every book is in sync
    Resyncing, // connected; at least one book waits for its snapshot
    Unverified, // connected; a book keeps failing the exchange's own checksum but is shown
    Down, // no upstream connection
};

inline constexpr int DefaultBookDepth = 20;
inline constexpr int MaxBookDepth = 100;
inline constexpr int ChecksumLevels = 10;
inline constexpr int TradesSnapshotSize = 50;
inline constexpr int CandlesSnapshotSize = 500;

[[nodiscard]] QLatin1StringView toString(Channel channel);
[[nodiscard]] QLatin1StringView toString(Side side);
[[nodiscard]] QLatin1StringView toString(OrderType type);
[[nodiscard]] QLatin1StringView toString(OrderStatus status);
[[nodiscard]] QLatin1StringView toString(CandleInterval interval);
[[nodiscard]] QLatin1StringView toString(SourceState state);
[[nodiscard]] std::optional<Channel> channelFromString(QStringView text);
[[nodiscard]] std::optional<Side> sideFromString(QStringView text);
[[nodiscard]] std::optional<OrderType> orderTypeFromString(QStringView text);
[[nodiscard]] std::optional<OrderStatus> orderStatusFromString(QStringView text);
[[nodiscard]] std::optional<CandleInterval> candleIntervalFromString(QStringView text);
[[nodiscard]] std::optional<SourceState> sourceStateFromString(QStringView text);
[[nodiscard]] std::int64_t intervalMs(CandleInterval interval);
[[nodiscard]] bool isTerminal(OrderStatus status);

// ---- client -> server -------------------------------------------------------------------

struct ResumePoint
{
    std::int64_t epoch = 0;
    std::int64_t seq = 0;
    friend bool operator==(const ResumePoint &, const ResumePoint &) = default;
};

struct Subscribe
{
    std::int64_t id = 0;
    Channel channel = Channel::Ticker;
    QStringList symbols; // empty for `orders`
    std::optional<int> depth; // book only
    std::optional<CandleInterval> interval; // candles only (required there)
    std::optional<ResumePoint> resume; // orders only
    friend bool operator==(const Subscribe &, const Subscribe &) = default;
};

struct Unsubscribe
{
    std::int64_t id = 0;
    Channel channel = Channel::Ticker;
    QStringList symbols;
    std::optional<CandleInterval> interval;
    friend bool operator==(const Unsubscribe &, const Unsubscribe &) = default;
};

struct ListSymbols
{
    std::int64_t id = 0;
    friend bool operator==(const ListSymbols &, const ListSymbols &) = default;
};

struct PlaceOrder
{
    std::int64_t id = 0;
    QString clientOrderId;
    QString symbol;
    Side side = Side::Buy;
    OrderType orderType = OrderType::Limit;
    Decimal qty;
    std::optional<Decimal> price; // limit orders only
    friend bool operator==(const PlaceOrder &, const PlaceOrder &) = default;
};

struct CancelOrder
{
    std::int64_t id = 0;
    QString orderId;
    friend bool operator==(const CancelOrder &, const CancelOrder &) = default;
};

struct CancelAll
{
    std::int64_t id = 0;
    std::optional<QString> symbol;
    friend bool operator==(const CancelAll &, const CancelAll &) = default;
};

struct Ping
{
    std::int64_t id = 0;
    std::int64_t t = 0; // opaque to the server, echoed back
    friend bool operator==(const Ping &, const Ping &) = default;
};

// ---- server -> client -------------------------------------------------------------------

struct Welcome
{
    QString protocol = QString(ProtocolName);
    QString session;
    std::int64_t ts = 0;
    int heartbeatMs = 5000;
    std::optional<QString> account; // null when the connection has no valid token
    // Where the market comes from ("sim", "replay", "binance", …); absent from older servers.
    std::optional<QString> source;
    // How orders are executed: "demo" (against the simulated market) or "paper" (simulated
    // fills against a real market's prices); absent from older servers.
    std::optional<QString> trading;
    friend bool operator==(const Welcome &, const Welcome &) = default;
};

// Reply to an accepted request. Only the fields the request kind defines are present.
struct Ack
{
    std::int64_t id = 0;
    std::optional<Channel> channel; // subscribe / unsubscribe
    std::optional<QStringList> symbols; // subscribe / unsubscribe: the accepted symbols
    std::optional<bool> recovered; // subscribe to orders with resume
    std::optional<QString> orderId; // place_order / cancel_order
    std::optional<OrderStatus> status; // place_order / cancel_order: state after the request
    std::optional<int> cancelled; // cancel_all: how many orders were cancelled
    friend bool operator==(const Ack &, const Ack &) = default;
};

struct Error
{
    std::optional<std::int64_t> id; // absent when the request had none
    QString code;
    QString message;
    std::optional<QString> symbol; // the offending symbol, for unknown_symbol
    friend bool operator==(const Error &, const Error &) = default;
};

namespace ErrorCode {
inline constexpr QLatin1StringView BadRequest{"bad_request"};
inline constexpr QLatin1StringView UnknownType{"unknown_type"};
inline constexpr QLatin1StringView UnknownChannel{"unknown_channel"};
inline constexpr QLatin1StringView UnknownSymbol{"unknown_symbol"};
inline constexpr QLatin1StringView Unauthorized{"unauthorized"};
inline constexpr QLatin1StringView RateLimited{"rate_limited"};
inline constexpr QLatin1StringView TooManySubscriptions{"too_many_subscriptions"};
inline constexpr QLatin1StringView InvalidOrder{"invalid_order"};
inline constexpr QLatin1StringView UnknownOrder{"unknown_order"};
inline constexpr QLatin1StringView TooLarge{"too_large"};
// The service behind the server cannot take the request now (see the message: whether it was
// carried out). Try again later.
inline constexpr QLatin1StringView Unavailable{"unavailable"};
} // namespace ErrorCode

struct InstrumentInfo
{
    QString symbol;
    QString name;
    QString base;
    QString quote;
    Decimal tickSize;
    Decimal lotSize;
    friend bool operator==(const InstrumentInfo &, const InstrumentInfo &) = default;
};

struct Symbols
{
    std::int64_t id = 0;
    QList<InstrumentInfo> symbols;
    friend bool operator==(const Symbols &, const Symbols &) = default;
};

struct Ticker
{
    QString symbol;
    std::int64_t seq = 0;
    std::int64_t ts = 0;
    Decimal last;
    Decimal bid;
    Decimal bidSize;
    Decimal ask;
    Decimal askSize;
    Decimal open24h;
    Decimal high24h;
    Decimal low24h;
    Decimal volume24h;
    friend bool operator==(const Ticker &, const Ticker &) = default;
};

struct Trade
{
    QString symbol;
    std::int64_t seq = 0;
    std::int64_t ts = 0;
    std::int64_t tradeId = 0;
    Decimal price;
    Decimal qty;
    Side side = Side::Buy; // the aggressor's side
    friend bool operator==(const Trade &, const Trade &) = default;
};

struct TradesSnapshot
{
    QString symbol;
    QList<Trade> trades; // oldest first
    friend bool operator==(const TradesSnapshot &, const TradesSnapshot &) = default;
};

struct BookLevel
{
    Decimal price;
    Decimal qty;
    friend bool operator==(const BookLevel &, const BookLevel &) = default;
};

struct Book
{
    QString symbol;
    std::int64_t seq = 0;
    std::int64_t ts = 0;
    bool snapshot = false;
    QList<BookLevel> bids; // best (highest) first
    QList<BookLevel> asks; // best (lowest) first
    std::uint32_t checksum = 0;
    friend bool operator==(const Book &, const Book &) = default;
};

struct Candle
{
    QString symbol;
    CandleInterval interval = CandleInterval::M1;
    std::int64_t seq = 0;
    std::int64_t t = 0; // start of the interval
    Decimal o;
    Decimal h;
    Decimal l;
    Decimal c;
    Decimal v;
    bool closed = false;
    friend bool operator==(const Candle &, const Candle &) = default;
};

struct CandlesSnapshot
{
    QString symbol;
    CandleInterval interval = CandleInterval::M1;
    QList<Candle> candles; // oldest first
    friend bool operator==(const CandlesSnapshot &, const CandlesSnapshot &) = default;
};

struct Order
{
    std::int64_t epoch = 0;
    std::int64_t seq = 0;
    QString orderId;
    QString clientOrderId;
    QString symbol;
    Side side = Side::Buy;
    OrderType orderType = OrderType::Limit;
    std::optional<Decimal> price; // limit orders
    Decimal qty;
    Decimal filledQty;
    std::optional<Decimal> avgFillPrice; // once anything filled
    std::optional<Decimal> lastFillQty; // on fill events
    std::optional<Decimal> lastFillPrice; // on fill events
    OrderStatus status = OrderStatus::New;
    std::optional<QString> reason; // rejections and cancels
    std::int64_t ts = 0;
    friend bool operator==(const Order &, const Order &) = default;
};

struct Position
{
    std::int64_t epoch = 0;
    std::int64_t seq = 0;
    QString symbol;
    Decimal qty; // signed: negative is short
    Decimal avgPrice;
    Decimal realizedPnl;
    friend bool operator==(const Position &, const Position &) = default;
};

struct OrdersSnapshot
{
    std::int64_t epoch = 0;
    std::int64_t seq = 0; // the stream position this snapshot reflects
    QList<Order> orders; // open orders
    QList<Position> positions;
    friend bool operator==(const OrdersSnapshot &, const OrdersSnapshot &) = default;
};

struct Heartbeat
{
    std::int64_t ts = 0;
    friend bool operator==(const Heartbeat &, const Heartbeat &) = default;
};

struct Pong
{
    std::int64_t id = 0;
    std::int64_t t = 0;
    std::int64_t ts = 0;
    friend bool operator==(const Pong &, const Pong &) = default;
};

// The health of the server's market source: sent after the welcome and whenever it changes,
// by servers whose market comes from outside (an exchange).
struct SourceStatus
{
    QString source; // "binance"
    SourceState state = SourceState::Down;
    std::int64_t reconnects = 0; // upstream connections opened after the first
    std::int64_t lastMessageTs = 0; // server time of the last upstream message; 0: none yet
    std::int64_t ts = 0;
    friend bool operator==(const SourceStatus &, const SourceStatus &) = default;
};

using Message =
    std::variant<Subscribe, Unsubscribe, ListSymbols, PlaceOrder, CancelOrder, CancelAll, Ping,
                 Welcome, Ack, Error, Symbols, Ticker, Trade, TradesSnapshot, Book, Candle,
                 CandlesSnapshot, Order, Position, OrdersSnapshot, Heartbeat, Pong, SourceStatus>;

// The wire `type` of a message ("subscribe", "book", ...).
[[nodiscard]] QLatin1StringView typeName(const Message &message);
// The request id, for requests and for replies that echo one.
[[nodiscard]] std::optional<std::int64_t> requestId(const Message &message);

} // namespace tickwire::protocol
