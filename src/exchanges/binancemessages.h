#pragma once

#include "protocol/messages.h"

#include <QtCore/QByteArrayView>
#include <QtCore/QList>
#include <QtCore/QString>

#include <optional>
#include <variant>

// Decoders for the Binance Spot market-data API (REST /api/v3 and the combined WebSocket
// streams). They keep every price and quantity as the exact text Binance sent (JSON strings);
// only integers (ids, times) are read as numbers. Converting to tickwire/1 messages rewrites
// the text at the instrument's tick and lot scale and refuses what does not fit exactly.
namespace tickwire::exchanges::binance {

// One Binance symbol and the tickwire instrument it becomes (BTCUSDT -> BTC-USDT).
struct SymbolInfo
{
    QString exchangeSymbol; // "BTCUSDT"
    protocol::InstrumentInfo info; // symbol "BTC-USDT", tick and lot normalised ("0.01")
};

struct ExchangeInfoResult
{
    QList<SymbolInfo> symbols; // status TRADING only, in response order
    QString error;
    [[nodiscard]] bool ok() const { return error.isEmpty(); }
};

// GET /api/v3/exchangeInfo: baseAsset, quoteAsset, PRICE_FILTER.tickSize, LOT_SIZE.stepSize.
[[nodiscard]] ExchangeInfoResult parseExchangeInfo(QByteArrayView json);

struct RawLevel
{
    QString price;
    QString qty;
    friend bool operator==(const RawLevel &, const RawLevel &) = default;
};

// GET /api/v3/depth.
struct DepthSnapshot
{
    std::int64_t lastUpdateId = 0;
    QList<RawLevel> bids;
    QList<RawLevel> asks;
};

struct DepthSnapshotResult
{
    DepthSnapshot snapshot;
    QString error;
    [[nodiscard]] bool ok() const { return error.isEmpty(); }
};

[[nodiscard]] DepthSnapshotResult parseDepthSnapshot(QByteArrayView json);

// <symbol>@depth@100ms
struct DepthUpdate
{
    QString symbol; // Binance's, "BTCUSDT"
    std::int64_t eventTime = 0;
    std::int64_t firstUpdateId = 0; // U
    std::int64_t finalUpdateId = 0; // u
    QList<RawLevel> bids;
    QList<RawLevel> asks;
};

// <symbol>@trade
struct TradeEvent
{
    QString symbol;
    std::int64_t eventTime = 0;
    std::int64_t tradeId = 0;
    std::int64_t tradeTime = 0;
    QString price;
    QString qty;
    bool buyerIsMaker = false; // then the seller was the aggressor
};

// <symbol>@ticker (24h rolling window)
struct TickerEvent
{
    QString symbol;
    std::int64_t eventTime = 0;
    QString last, bid, bidQty, ask, askQty, open, high, low, volume;
};

// <symbol>@kline_<interval>
struct KlineEvent
{
    QString symbol;
    std::int64_t eventTime = 0;
    QString interval; // "1m"
    std::int64_t start = 0;
    QString open, high, low, close, volume;
    bool closed = false;
};

// The server is about to close the connection: reconnect now.
struct ServerShutdown
{
    std::int64_t eventTime = 0;
};

// A well-formed message of a stream this adapter does not use (ignored, counted).
struct Unhandled
{
    QString stream;
};

using StreamEvent =
    std::variant<DepthUpdate, TradeEvent, TickerEvent, KlineEvent, ServerShutdown, Unhandled>;

struct StreamResult
{
    std::optional<StreamEvent> event;
    QString error;
    [[nodiscard]] bool ok() const { return event.has_value(); }
};

// One text frame of a combined stream: {"stream":"…","data":{…}}.
[[nodiscard]] StreamResult parseStreamMessage(QByteArrayView json);

// The stream names of a symbol ("btcusdt@trade", …), in the order they are subscribed.
[[nodiscard]] QStringList streamNames(const QString &exchangeSymbol);
[[nodiscard]] std::optional<protocol::CandleInterval> intervalFromBinance(QStringView interval);
[[nodiscard]] QLatin1StringView intervalToBinance(protocol::CandleInterval interval);

// Conversions to tickwire/1 (seq 0: the engine sequences). nullopt when a value is not an exact
// multiple of the instrument's tick (prices) or lot (quantities) once written at its scale.
[[nodiscard]] std::optional<protocol::Trade> toTrade(const TradeEvent &event,
                                                     const protocol::InstrumentInfo &info);
[[nodiscard]] std::optional<protocol::Ticker> toTicker(const TickerEvent &event,
                                                       const protocol::InstrumentInfo &info);
[[nodiscard]] std::optional<protocol::Candle> toCandle(const KlineEvent &event,
                                                       const protocol::InstrumentInfo &info);
[[nodiscard]] std::optional<QList<protocol::BookLevel>>
toLevels(const QList<RawLevel> &levels, const protocol::InstrumentInfo &info);

} // namespace tickwire::exchanges::binance
