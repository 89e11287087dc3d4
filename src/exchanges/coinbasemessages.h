#pragma once

#include "protocol/messages.h"

#include <QtCore/QByteArrayView>
#include <QtCore/QList>
#include <QtCore/QString>

#include <optional>
#include <variant>

// Decoders for the Coinbase Advanced Trade market data API (REST
// /api/v3/brokerage/market/products and the WebSocket channels level2, market_trades, ticker,
// candles, heartbeats). Coinbase sends every price and quantity as a JSON string: the text is
// kept exactly; only integers (sequence_num, heartbeat_counter) are read as numbers. Converting
// to tickwire/1 messages rewrites the text at the instrument's tick and lot scale and refuses
// what does not fit exactly.
namespace tickwire::exchanges::coinbase {

// One Coinbase product and the tickwire instrument it becomes (BTC-USD stays BTC-USD).
struct ProductInfo
{
    QString productId; // "BTC-USD"
    protocol::InstrumentInfo info;
};

struct ProductsResult
{
    QList<ProductInfo> products; // online spot products that trade, in response order
    QString error;
    [[nodiscard]] bool ok() const { return error.isEmpty(); }
};

// GET /api/v3/brokerage/market/products: product_id, price_increment (or quote_increment when
// absent) as the tick, base_increment as the lot, status, trading_disabled, is_disabled.
[[nodiscard]] ProductsResult parseProducts(QByteArrayView json);

enum class BookSide { Bid, Offer };

// One entry of a level2 event's "updates": the absolute quantity at a price ("0" removes).
struct LevelUpdate
{
    BookSide side = BookSide::Bid;
    QString price; // price_level
    QString qty; // new_quantity
    friend bool operator==(const LevelUpdate &, const LevelUpdate &) = default;
};

// One event of an l2_data message.
struct BookEvent
{
    bool snapshot = false; // type "snapshot" (the whole book) or "update"
    QString productId;
    QList<LevelUpdate> updates;
};

// One trade of a market_trades event.
struct TradeItem
{
    std::int64_t tradeId = 0; // Coinbase sends the id as a string of digits
    QString productId;
    QString price;
    QString size;
    bool makerBuy = false; // "side" is the maker's side (BUY or SELL)
    std::int64_t timeMs = 0;
};

// One ticker of a ticker event (24 h figures; no open: it follows from the percent change).
struct TickerItem
{
    QString productId;
    QString price, volume24h, low24h, high24h, percentChange24h;
    QString bestBid, bestBidQty, bestAsk, bestAskQty;
};

// One five-minute candle of a candles event.
struct CandleItem
{
    QString productId;
    std::int64_t startMs = 0; // "start" is a string of UNIX seconds
    QString open, high, low, close, volume;
};

struct BookMessage
{
    QList<BookEvent> events; // applied in this order
};
struct TradesMessage
{
    QList<TradeItem> trades; // every event's trades, in message order
};
struct TickerMessage
{
    QList<TickerItem> tickers;
};
struct CandlesMessage
{
    QList<CandleItem> candles;
};
struct HeartbeatMessage
{
    std::int64_t counter = 0;
};
// The acknowledgement of a subscribe or unsubscribe (channel "subscriptions").
struct SubscriptionsMessage
{
};
// {"type":"error","message":…}: Coinbase refused something the client sent.
struct ErrorMessage
{
    QString message;
};
// A well-formed message of a channel this adapter does not use.
struct Unhandled
{
    QString channel;
};

using Payload = std::variant<BookMessage, TradesMessage, TickerMessage, CandlesMessage,
                             HeartbeatMessage, SubscriptionsMessage, ErrorMessage, Unhandled>;

struct Message
{
    QString channel; // "l2_data", "market_trades", …
    std::optional<std::int64_t> sequenceNum; // absent only on error messages
    std::int64_t timestampMs = 0;
    Payload payload;
};

struct MessageResult
{
    std::optional<Message> message;
    QString channel; // also set when the events could not be read
    std::optional<std::int64_t> sequenceNum; // likewise
    QString error;
    [[nodiscard]] bool ok() const { return message.has_value(); }
};

// One text frame of the WebSocket feed.
[[nodiscard]] MessageResult parseMessage(QByteArrayView json);

// RFC 3339 UTC time ("2023-02-09T20:32:50.714964855Z", any number of fraction digits, or a
// numeric offset) as ms since the epoch, truncated; nullopt when it is not one.
[[nodiscard]] std::optional<std::int64_t> parseTimeMs(QStringView text);

// {"type":"subscribe","product_ids":[…],"channel":"level2"}; `productIds` empty leaves
// product_ids out (heartbeats). `type` is "subscribe" or "unsubscribe".
[[nodiscard]] QString subscriptionMessage(QLatin1StringView type, QLatin1StringView channel,
                                          const QStringList &productIds);

// Conversions to tickwire/1 (seq 0: the engine sequences). nullopt when a value is not an exact
// multiple of the instrument's tick (prices) or lot (quantities) once written at its scale.
struct Levels
{
    QList<protocol::BookLevel> bids;
    QList<protocol::BookLevel> asks;
};
[[nodiscard]] std::optional<Levels> toLevels(const QList<LevelUpdate> &updates,
                                             const protocol::InstrumentInfo &info);
[[nodiscard]] std::optional<protocol::Trade> toTrade(const TradeItem &trade,
                                                     const protocol::InstrumentInfo &info);
// `ts` is the message's timestamp. The 24 h open is derived from the last price and the
// percent change, rounded to the tick (Coinbase's ticker sends no open).
[[nodiscard]] std::optional<protocol::Ticker> toTicker(const TickerItem &ticker, std::int64_t ts,
                                                       const protocol::InstrumentInfo &info);
// A five-minute candle, never closed: a later start closes it (LiveMarket).
[[nodiscard]] std::optional<protocol::Candle> toCandle(const CandleItem &candle,
                                                       const protocol::InstrumentInfo &info);

} // namespace tickwire::exchanges::coinbase
