#include "exchanges/binancemessages.h"

#include "exchanges/jsonfields.h"
#include "exchanges/marketsource.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>

namespace tickwire::exchanges::binance {

using namespace Qt::StringLiterals;

namespace {

constexpr std::array<protocol::CandleInterval, 5> Intervals{
    protocol::CandleInterval::S1, protocol::CandleInterval::M1, protocol::CandleInterval::M5,
    protocol::CandleInterval::M15, protocol::CandleInterval::H1};

// Binance's book levels: [price, qty] pairs of strings.
QList<RawLevel> levels(JsonFields &r, QLatin1StringView key)
{
    QList<RawLevel> out;
    const QJsonValue v = r.value(key);
    if (!v.isArray()) {
        r.fail(u"\"%1\" is not an array"_s.arg(key));
        return out;
    }
    const QJsonArray array = v.toArray();
    out.reserve(array.size());
    for (const auto &level : array) {
        const QJsonArray pair = level.toArray();
        if (pair.size() < 2 || !pair.at(0).isString() || !pair.at(1).isString()) {
            r.fail(u"\"%1\" has a level that is not [price, qty] strings"_s.arg(key));
            return {};
        }
        out.append(RawLevel{pair.at(0).toString(), pair.at(1).toString()});
    }
    return out;
}

} // namespace

ExchangeInfoResult parseExchangeInfo(QByteArrayView json)
{
    ExchangeInfoResult result;
    const std::optional<QJsonObject> root = parseJsonObject(json, &result.error);
    if (!root)
        return result;
    const QJsonValue symbols = root->value("symbols"_L1);
    if (!symbols.isArray()) {
        result.error = u"exchangeInfo has no \"symbols\" array"_s;
        return result;
    }
    const QJsonArray entries = symbols.toArray();
    for (const auto &entry : entries) {
        QString error;
        JsonFields r(entry.toObject(), &error);
        const QString symbol = r.text("symbol"_L1);
        const QString status = r.text("status"_L1);
        const QString base = r.text("baseAsset"_L1);
        const QString quote = r.text("quoteAsset"_L1);
        std::optional<Decimal> tick, lot;
        const QJsonArray filters = entry.toObject().value("filters"_L1).toArray();
        for (const auto &f : filters) {
            const QJsonObject filter = f.toObject();
            const QString type = filter.value("filterType"_L1).toString();
            if (type == "PRICE_FILTER"_L1)
                tick = Decimal::parse(QStringView(filter.value("tickSize"_L1).toString()));
            else if (type == "LOT_SIZE"_L1)
                lot = Decimal::parse(QStringView(filter.value("stepSize"_L1).toString()));
        }
        if (!r.ok()) {
            result.error = u"exchangeInfo symbol %1: %2"_s.arg(symbol, error);
            return result;
        }
        if (status != "TRADING"_L1)
            continue;
        if (!tick || !tick->isPositive() || !lot || !lot->isPositive()) {
            result.error = u"exchangeInfo symbol %1: no positive PRICE_FILTER.tickSize and "
                           "LOT_SIZE.stepSize"_s.arg(symbol);
            return result;
        }
        SymbolInfo info;
        info.exchangeSymbol = symbol;
        info.info.symbol = base + u'-' + quote;
        info.info.name = info.info.symbol;
        info.info.base = base;
        info.info.quote = quote;
        info.info.tickSize = tick->normalized();
        info.info.lotSize = lot->normalized();
        result.symbols.append(info);
    }
    return result;
}

DepthSnapshotResult parseDepthSnapshot(QByteArrayView json)
{
    DepthSnapshotResult result;
    const std::optional<QJsonObject> root = parseJsonObject(json, &result.error);
    if (!root)
        return result;
    JsonFields r(*root, &result.error);
    result.snapshot.lastUpdateId = r.integer("lastUpdateId"_L1);
    result.snapshot.bids = levels(r, "bids"_L1);
    result.snapshot.asks = levels(r, "asks"_L1);
    return result;
}

StreamResult parseStreamMessage(QByteArrayView json)
{
    StreamResult result;
    const std::optional<QJsonObject> root = parseJsonObject(json, &result.error);
    if (!root)
        return result;
    JsonFields envelope(*root, &result.error);
    const QString stream = envelope.text("stream"_L1);
    const QJsonObject data = envelope.object("data"_L1);
    if (!envelope.ok())
        return result;
    JsonFields r(data, &result.error);
    const QString type = r.text("e"_L1);
    if (!r.ok())
        return result;
    if (type == "depthUpdate"_L1) {
        DepthUpdate e;
        e.symbol = r.text("s"_L1);
        e.eventTime = r.integer("E"_L1);
        e.firstUpdateId = r.integer("U"_L1);
        e.finalUpdateId = r.integer("u"_L1);
        e.bids = levels(r, "b"_L1);
        e.asks = levels(r, "a"_L1);
        if (r.ok() && e.firstUpdateId > e.finalUpdateId)
            r.fail(u"depthUpdate with U > u"_s);
        if (r.ok())
            result.event = e;
    } else if (type == "trade"_L1) {
        TradeEvent e;
        e.symbol = r.text("s"_L1);
        e.eventTime = r.integer("E"_L1);
        e.tradeId = r.integer("t"_L1);
        e.tradeTime = r.integer("T"_L1);
        e.price = r.text("p"_L1);
        e.qty = r.text("q"_L1);
        e.buyerIsMaker = r.boolean("m"_L1);
        if (r.ok())
            result.event = e;
    } else if (type == "24hrTicker"_L1) {
        TickerEvent e;
        e.symbol = r.text("s"_L1);
        e.eventTime = r.integer("E"_L1);
        e.last = r.text("c"_L1);
        e.bid = r.text("b"_L1);
        e.bidQty = r.text("B"_L1);
        e.ask = r.text("a"_L1);
        e.askQty = r.text("A"_L1);
        e.open = r.text("o"_L1);
        e.high = r.text("h"_L1);
        e.low = r.text("l"_L1);
        e.volume = r.text("v"_L1);
        if (r.ok())
            result.event = e;
    } else if (type == "kline"_L1) {
        KlineEvent e;
        e.symbol = r.text("s"_L1);
        e.eventTime = r.integer("E"_L1);
        JsonFields k(r.object("k"_L1), &result.error);
        e.interval = k.text("i"_L1);
        e.start = k.integer("t"_L1);
        e.open = k.text("o"_L1);
        e.high = k.text("h"_L1);
        e.low = k.text("l"_L1);
        e.close = k.text("c"_L1);
        e.volume = k.text("v"_L1);
        e.closed = k.boolean("x"_L1);
        if (r.ok())
            result.event = e;
    } else if (type == "serverShutdown"_L1) {
        ServerShutdown e;
        e.eventTime = r.integer("E"_L1);
        if (r.ok())
            result.event = e;
    } else {
        result.event = Unhandled{stream};
    }
    return result;
}

QStringList streamNames(const QString &exchangeSymbol)
{
    const QString s = exchangeSymbol.toLower();
    QStringList names{s + "@ticker"_L1, s + "@trade"_L1, s + "@depth@100ms"_L1};
    for (protocol::CandleInterval interval : Intervals)
        names.append(s + "@kline_"_L1 + intervalToBinance(interval));
    return names;
}

std::optional<protocol::CandleInterval> intervalFromBinance(QStringView interval)
{
    for (protocol::CandleInterval i : Intervals) {
        if (interval == intervalToBinance(i))
            return i;
    }
    return std::nullopt;
}

QLatin1StringView intervalToBinance(protocol::CandleInterval interval)
{
    // Binance writes its intervals as tickwire/1 does.
    return protocol::toString(interval);
}

std::optional<protocol::Trade> toTrade(const TradeEvent &event,
                                       const protocol::InstrumentInfo &info)
{
    const auto price = atStep(event.price, info.tickSize);
    const auto qty = atStep(event.qty, info.lotSize);
    if (!price || !qty)
        return std::nullopt;
    protocol::Trade trade;
    trade.symbol = info.symbol;
    trade.ts = event.tradeTime;
    trade.tradeId = event.tradeId;
    trade.price = *price;
    trade.qty = *qty;
    trade.side = event.buyerIsMaker ? protocol::Side::Sell : protocol::Side::Buy;
    return trade;
}

std::optional<protocol::Ticker> toTicker(const TickerEvent &event,
                                         const protocol::InstrumentInfo &info)
{
    const auto last = atStep(event.last, info.tickSize);
    const auto bid = atStep(event.bid, info.tickSize);
    const auto bidSize = atStep(event.bidQty, info.lotSize);
    const auto ask = atStep(event.ask, info.tickSize);
    const auto askSize = atStep(event.askQty, info.lotSize);
    const auto open = atStep(event.open, info.tickSize);
    const auto high = atStep(event.high, info.tickSize);
    const auto low = atStep(event.low, info.tickSize);
    const auto volume = atStep(event.volume, info.lotSize);
    if (!last || !bid || !bidSize || !ask || !askSize || !open || !high || !low || !volume)
        return std::nullopt;
    protocol::Ticker ticker;
    ticker.symbol = info.symbol;
    ticker.ts = event.eventTime;
    ticker.last = *last;
    ticker.bid = *bid;
    ticker.bidSize = *bidSize;
    ticker.ask = *ask;
    ticker.askSize = *askSize;
    ticker.open24h = *open;
    ticker.high24h = *high;
    ticker.low24h = *low;
    ticker.volume24h = *volume;
    return ticker;
}

std::optional<protocol::Candle> toCandle(const KlineEvent &event,
                                         const protocol::InstrumentInfo &info)
{
    const auto interval = intervalFromBinance(event.interval);
    if (!interval)
        return std::nullopt;
    return candleAtStep(info, *interval, event.start,
                        {event.open, event.high, event.low, event.close, event.volume},
                        event.closed);
}

std::optional<QList<protocol::BookLevel>> toLevels(const QList<RawLevel> &levels,
                                                   const protocol::InstrumentInfo &info)
{
    QList<protocol::BookLevel> out;
    out.reserve(levels.size());
    for (const RawLevel &level : levels) {
        const auto price = atStep(level.price, info.tickSize);
        const auto qty = atStep(level.qty, info.lotSize);
        if (!price || !qty || !price->isPositive())
            return std::nullopt;
        out.append(protocol::BookLevel{*price, *qty});
    }
    return out;
}

} // namespace tickwire::exchanges::binance
