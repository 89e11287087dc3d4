#pragma once

#include "protocol/messages.h"

#include <QtCore/QByteArrayView>
#include <QtCore/QList>
#include <QtCore/QString>

#include <array>
#include <optional>
#include <variant>

// Decoders for Kraken's Spot WebSocket API v2 (wss://ws.kraken.com/v2). Kraken sends prices
// and quantities as JSON numbers; they are read with RawJson and kept as the exact text on the
// wire ("0.10000000" keeps its zeros), because the book checksum is computed over that text.
// Converting to tickwire/1 messages rewrites the text at the instrument's tick and lot scale
// and refuses what does not fit exactly (an exponent, too many digits, a value off the grid).
namespace tickwire::exchanges::kraken {

// One Kraken pair and the tickwire instrument it becomes (BTC/USD -> BTC-USD).
struct SymbolInfo
{
    QString exchangeSymbol; // "BTC/USD"
    protocol::InstrumentInfo info; // symbol "BTC-USD", tick and lot from the instrument channel
};

struct RawLevel
{
    QString price; // the exact JSON number text
    QString qty;
    friend bool operator==(const RawLevel &, const RawLevel &) = default;
};

// channel "book", one entry of `data`.
struct BookData
{
    QString symbol; // Kraken's, "BTC/USD"
    QList<RawLevel> bids;
    QList<RawLevel> asks;
    quint32 checksum = 0;
    std::int64_t ts = 0; // ms epoch; 0 when the message has no timestamp
};

struct BookMessage
{
    bool snapshot = false;
    QList<BookData> books;
};

// channel "trade"
struct TradeEvent
{
    QString symbol;
    protocol::Side side = protocol::Side::Buy; // the taker's side
    QString price;
    QString qty;
    std::int64_t tradeId = 0;
    std::int64_t ts = 0;
};

struct TradeMessage
{
    bool snapshot = false;
    QList<TradeEvent> trades;
};

// channel "ticker" (24 h figures)
struct TickerEvent
{
    QString symbol;
    QString bid, bidQty, ask, askQty, last, volume, low, high;
    QString change; // last minus the price 24 h ago, in quote currency (may be negative)
    std::int64_t ts = 0; // 0 when the message has no timestamp
};

struct TickerMessage
{
    bool snapshot = false;
    QList<TickerEvent> tickers;
};

// channel "ohlc"
struct CandleEvent
{
    QString symbol;
    QString open, high, low, close, volume;
    int intervalMinutes = 0;
    std::int64_t intervalBegin = 0; // ms epoch
};

struct OhlcMessage
{
    bool snapshot = false;
    QList<CandleEvent> candles;
};

// channel "instrument": one of `data.pairs`.
struct InstrumentPair
{
    QString symbol; // "BTC/USD"
    QString base;
    QString quote;
    QString status; // "online", "delisted", …
    QString priceIncrement; // the JSON number text ("0.1", "1e-08")
    QString qtyIncrement;
};

struct InstrumentMessage
{
    bool snapshot = false;
    QList<InstrumentPair> pairs;
};

// channel "heartbeat": sent about once a second when nothing else is.
struct Heartbeat
{
};

// channel "status": the trading engine's state ("online", "maintenance", …).
struct StatusUpdate
{
    QString system;
};

// method "pong", the answer to our "ping".
struct Pong
{
    std::int64_t reqId = 0;
};

// The acknowledgement of a subscribe or unsubscribe request (one per symbol).
struct MethodReply
{
    QString method; // "subscribe", "unsubscribe"
    QString channel;
    QString symbol;
    bool success = false;
    QString error;
};

// A well-formed message of a channel or method this adapter does not use.
struct Unhandled
{
    QString name;
};

using Message =
    std::variant<BookMessage, TradeMessage, TickerMessage, OhlcMessage, InstrumentMessage,
                 Heartbeat, StatusUpdate, Pong, MethodReply, Unhandled>;

struct MessageResult
{
    std::optional<Message> message;
    QString error;
    [[nodiscard]] bool ok() const { return message.has_value(); }
};

// One text frame from the v2 endpoint.
[[nodiscard]] MessageResult parseMessage(QByteArrayView json);

// RFC 3339 UTC time ("2023-10-06T17:35:55.440295Z", up to 9 fraction digits) in ms since the
// epoch, the fraction truncated; nullopt when it is not of that form.
[[nodiscard]] std::optional<std::int64_t> parseTime(QStringView text);

// "BTC/USD" -> "BTC-USD"; Kraken's XBT is BTC. Empty when `symbol` is not BASE/QUOTE.
[[nodiscard]] QString fromKrakenSymbol(QStringView symbol);
// "BTC-USD" -> "BTC/USD" (XBT also becomes BTC). Empty when `symbol` is not BASE-QUOTE.
[[nodiscard]] QString toKrakenSymbol(QStringView symbol);

// A JSON number's text without an exponent, exactly ("1e-08" -> "0.00000001"); nullopt when it
// is not a plain non-negative number after that, or has more than Decimal can hold.
[[nodiscard]] std::optional<Decimal> exactDecimal(QStringView jsonNumber);

// The instrument an instrument-channel pair describes; nullopt with `error` set when its
// symbol or increments make no sense.
[[nodiscard]] std::optional<SymbolInfo> toSymbolInfo(const InstrumentPair &pair, QString *error);

// Kraken's book checksum: the top 10 asks (lowest first) then the top 10 bids (highest first),
// each as price then qty text with the '.' removed and leading zeros stripped, concatenated;
// CRC-32 of that. The levels must be best first.
[[nodiscard]] quint32 bookChecksum(const QList<RawLevel> &asks, const QList<RawLevel> &bids);
// One field as the checksum writes it ("0.00100000" -> "100000").
[[nodiscard]] QByteArray checksumField(QStringView text);

// The ohlc intervals subscribed (minutes) and the tickwire intervals they feed. Kraken has no
// one-second candles, so tickwire's 1s series stays empty on Kraken.
struct IntervalPair
{
    int minutes;
    protocol::CandleInterval interval;
};
inline constexpr std::array<IntervalPair, 4> Intervals{{
    {1, protocol::CandleInterval::M1},
    {5, protocol::CandleInterval::M5},
    {15, protocol::CandleInterval::M15},
    {60, protocol::CandleInterval::H1},
}};
[[nodiscard]] std::optional<protocol::CandleInterval> intervalFromMinutes(int minutes);

// Requests, compact JSON. `symbols` in Kraken's form ("BTC/USD").
[[nodiscard]] QString subscribeRequest(QLatin1StringView channel, const QStringList &symbols,
                                       int depthOrInterval = 0);
[[nodiscard]] QString unsubscribeRequest(QLatin1StringView channel, const QStringList &symbols,
                                         int depthOrInterval = 0);
[[nodiscard]] QString instrumentRequest();
[[nodiscard]] QString pingRequest(std::int64_t reqId);

// Conversions to tickwire/1 (seq 0: the engine sequences). nullopt when a value is not an exact
// multiple of the instrument's tick (prices) or lot (quantities) once written at its scale.
// `nowMs` stamps a ticker that carries no timestamp.
[[nodiscard]] std::optional<protocol::Trade> toTrade(const TradeEvent &event,
                                                     const protocol::InstrumentInfo &info);
[[nodiscard]] std::optional<protocol::Ticker>
toTicker(const TickerEvent &event, const protocol::InstrumentInfo &info, std::int64_t nowMs);
[[nodiscard]] std::optional<protocol::Candle> toCandle(const CandleEvent &event,
                                                       const protocol::InstrumentInfo &info);

} // namespace tickwire::exchanges::kraken
