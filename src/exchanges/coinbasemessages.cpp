#include "exchanges/coinbasemessages.h"

#include "exchanges/jsonfields.h"
#include "exchanges/marketsource.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

#include <chrono>

namespace tickwire::exchanges::coinbase {

using namespace Qt::StringLiterals;

namespace {

// An RFC 3339 time field, in ms since the epoch.
std::int64_t time(JsonFields &r, QLatin1StringView key)
{
    const QString t = r.text(key);
    const std::optional<std::int64_t> ms = parseTimeMs(t);
    if (!ms && r.ok())
        r.fail(u"\"%1\" is not an RFC 3339 time: \"%2\""_s.arg(key, t));
    return ms.value_or(0);
}

// Reads `count` decimal digits at `at`; -1 when they are not all digits.
int digits(QStringView text, qsizetype at, int count)
{
    if (at + count > text.size())
        return -1;
    int value = 0;
    for (int i = 0; i < count; ++i) {
        const QChar c = text[at + i];
        if (c < u'0' || c > u'9')
            return -1;
        value = value * 10 + (c.unicode() - u'0');
    }
    return value;
}

BookMessage readBook(const QJsonArray &events, QString *error)
{
    BookMessage out;
    for (const auto &e : events) {
        JsonFields r(e.toObject(), error);
        BookEvent event;
        const QString type = r.text("type"_L1);
        event.productId = r.text("product_id"_L1);
        const QJsonArray updates = r.array("updates"_L1);
        if (!r.ok())
            return {};
        if (type != "snapshot"_L1 && type != "update"_L1) {
            r.fail(u"l2_data event of unknown type \"%1\""_s.arg(type));
            return {};
        }
        event.snapshot = type == "snapshot"_L1;
        event.updates.reserve(updates.size());
        for (const auto &u : updates) {
            JsonFields level(u.toObject(), error);
            LevelUpdate update;
            const QString side = level.text("side"_L1);
            update.price = level.text("price_level"_L1);
            update.qty = level.text("new_quantity"_L1);
            if (!level.ok())
                return {};
            if (side == "bid"_L1) {
                update.side = BookSide::Bid;
            } else if (side == "offer"_L1 || side == "ask"_L1) {
                update.side = BookSide::Offer;
            } else {
                level.fail(u"l2_data update with side \"%1\" (expected bid or offer)"_s.arg(side));
                return {};
            }
            event.updates.append(update);
        }
        out.events.append(event);
    }
    return out;
}

TradesMessage readTrades(const QJsonArray &events, QString *error)
{
    TradesMessage out;
    for (const auto &e : events) {
        JsonFields r(e.toObject(), error);
        const QJsonArray trades = r.array("trades"_L1);
        if (!r.ok())
            return {};
        for (const auto &t : trades) {
            JsonFields tr(t.toObject(), error);
            TradeItem trade;
            trade.tradeId = tr.integerOrDigits("trade_id"_L1);
            trade.productId = tr.text("product_id"_L1);
            trade.price = tr.text("price"_L1);
            trade.size = tr.text("size"_L1);
            const QString side = tr.text("side"_L1);
            trade.timeMs = time(tr, "time"_L1);
            if (!tr.ok())
                return {};
            if (side != "BUY"_L1 && side != "SELL"_L1) {
                tr.fail(u"market trade with side \"%1\" (expected BUY or SELL)"_s.arg(side));
                return {};
            }
            trade.makerBuy = side == "BUY"_L1;
            out.trades.append(trade);
        }
    }
    return out;
}

TickerMessage readTickers(const QJsonArray &events, QString *error)
{
    TickerMessage out;
    for (const auto &e : events) {
        JsonFields r(e.toObject(), error);
        const QJsonArray tickers = r.array("tickers"_L1);
        if (!r.ok())
            return {};
        for (const auto &t : tickers) {
            JsonFields tr(t.toObject(), error);
            TickerItem ticker;
            ticker.productId = tr.text("product_id"_L1);
            ticker.price = tr.text("price"_L1);
            ticker.volume24h = tr.text("volume_24_h"_L1);
            ticker.low24h = tr.text("low_24_h"_L1);
            ticker.high24h = tr.text("high_24_h"_L1);
            ticker.percentChange24h = tr.text("price_percent_chg_24_h"_L1);
            ticker.bestBid = tr.text("best_bid"_L1);
            ticker.bestBidQty = tr.text("best_bid_quantity"_L1);
            ticker.bestAsk = tr.text("best_ask"_L1);
            ticker.bestAskQty = tr.text("best_ask_quantity"_L1);
            if (!tr.ok())
                return {};
            out.tickers.append(ticker);
        }
    }
    return out;
}

CandlesMessage readCandles(const QJsonArray &events, QString *error)
{
    CandlesMessage out;
    for (const auto &e : events) {
        JsonFields r(e.toObject(), error);
        const QJsonArray candles = r.array("candles"_L1);
        if (!r.ok())
            return {};
        for (const auto &c : candles) {
            JsonFields cr(c.toObject(), error);
            CandleItem candle;
            candle.productId = cr.text("product_id"_L1);
            candle.startMs = cr.integerOrDigits("start"_L1) * 1000;
            candle.open = cr.text("open"_L1);
            candle.high = cr.text("high"_L1);
            candle.low = cr.text("low"_L1);
            candle.close = cr.text("close"_L1);
            candle.volume = cr.text("volume"_L1);
            if (!cr.ok())
                return {};
            out.candles.append(candle);
        }
    }
    return out;
}

} // namespace

ProductsResult parseProducts(QByteArrayView json)
{
    ProductsResult result;
    const std::optional<QJsonObject> root = parseJsonObject(json, &result.error);
    if (!root)
        return result;
    const QJsonValue products = root->value("products"_L1);
    if (!products.isArray()) {
        result.error = u"products reply has no \"products\" array"_s;
        return result;
    }
    const QJsonArray entries = products.toArray();
    for (const auto &entry : entries) {
        QString error;
        JsonFields r(entry.toObject(), &error);
        const QString id = r.text("product_id"_L1);
        const QString status = r.text("status"_L1);
        const QString type = r.optionalText("product_type"_L1);
        const bool tradingDisabled = r.optionalBoolean("trading_disabled"_L1);
        const bool disabled = r.optionalBoolean("is_disabled"_L1);
        const QString priceIncrement = r.optionalText("price_increment"_L1);
        const QString quoteIncrement = r.optionalText("quote_increment"_L1);
        const QString baseIncrement = r.optionalText("base_increment"_L1);
        const QString displayName = r.optionalText("display_name"_L1);
        if (!r.ok()) {
            result.error = u"product %1: %2"_s.arg(id, error);
            return result;
        }
        const QStringList parts = id.split(u'-');
        if (status != "online"_L1 || tradingDisabled || disabled
            || (!type.isEmpty() && type != "SPOT"_L1) || parts.size() != 2)
            continue;
        // price_increment is the price grid; older replies only carry quote_increment, which
        // equals it on spot products.
        const std::optional<Decimal> tick =
            Decimal::parse(QStringView(priceIncrement.isEmpty() ? quoteIncrement : priceIncrement));
        const std::optional<Decimal> lot = Decimal::parse(QStringView(baseIncrement));
        if (!tick || !tick->isPositive() || !lot || !lot->isPositive()) {
            result.error = u"product %1: no positive price_increment/quote_increment and "
                           "base_increment"_s.arg(id);
            return result;
        }
        ProductInfo info;
        info.productId = id;
        info.info.symbol = id;
        info.info.name = displayName.isEmpty() ? id : displayName;
        info.info.base = parts[0];
        info.info.quote = parts[1];
        info.info.tickSize = tick->normalized();
        info.info.lotSize = lot->normalized();
        result.products.append(info);
    }
    return result;
}

MessageResult parseMessage(QByteArrayView json)
{
    MessageResult result;
    const std::optional<QJsonObject> root = parseJsonObject(json, &result.error);
    if (!root)
        return result;
    if (root->value("type"_L1).toString() == "error"_L1) {
        Message m;
        m.channel = u"error"_s;
        m.payload = ErrorMessage{root->value("message"_L1).toString()};
        result.channel = m.channel;
        result.message = m;
        return result;
    }
    JsonFields r(*root, &result.error);
    Message m;
    m.channel = r.text("channel"_L1);
    result.channel = m.channel;
    const std::int64_t sequence = r.integerOrDigits("sequence_num"_L1);
    if (r.ok())
        result.sequenceNum = sequence;
    m.sequenceNum = result.sequenceNum;
    m.timestampMs = time(r, "timestamp"_L1);
    const QJsonArray events = r.array("events"_L1);
    if (!r.ok())
        return result;
    if (m.channel == "l2_data"_L1) {
        m.payload = readBook(events, &result.error);
    } else if (m.channel == "market_trades"_L1) {
        m.payload = readTrades(events, &result.error);
    } else if (m.channel == "ticker"_L1) {
        m.payload = readTickers(events, &result.error);
    } else if (m.channel == "candles"_L1) {
        m.payload = readCandles(events, &result.error);
    } else if (m.channel == "heartbeats"_L1) {
        HeartbeatMessage heartbeat;
        if (events.isEmpty()) {
            r.fail(u"heartbeats message without events"_s);
        } else {
            JsonFields h(events.first().toObject(), &result.error);
            heartbeat.counter = h.integerOrDigits("heartbeat_counter"_L1);
        }
        m.payload = heartbeat;
    } else if (m.channel == "subscriptions"_L1) {
        m.payload = SubscriptionsMessage{};
    } else {
        m.payload = Unhandled{m.channel};
    }
    if (r.ok())
        result.message = m;
    else
        result.error = u"%1: %2"_s.arg(m.channel, result.error);
    return result;
}

std::optional<std::int64_t> parseTimeMs(QStringView text)
{
    // YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)
    const int year = digits(text, 0, 4);
    const int month = digits(text, 5, 2);
    const int day = digits(text, 8, 2);
    const int hour = digits(text, 11, 2);
    const int minute = digits(text, 14, 2);
    const int second = digits(text, 17, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || text[4] != u'-'
        || text[7] != u'-' || (text[10] != u'T' && text[10] != u't') || text[13] != u':'
        || text[16] != u':' || hour > 23 || minute > 59 || second > 60)
        return std::nullopt;
    qsizetype at = 19;
    int millis = 0;
    if (at < text.size() && text[at] == u'.') {
        ++at;
        int count = 0;
        while (at < text.size() && text[at] >= u'0' && text[at] <= u'9') {
            if (count < 3)
                millis = millis * 10 + (text[at].unicode() - u'0');
            ++count;
            ++at;
        }
        if (count == 0)
            return std::nullopt;
        for (int i = count; i < 3; ++i)
            millis *= 10;
    }
    int offsetMinutes = 0;
    if (at < text.size() && (text[at] == u'Z' || text[at] == u'z')) {
        ++at;
    } else if (at < text.size() && (text[at] == u'+' || text[at] == u'-')) {
        const int oh = digits(text, at + 1, 2);
        const int om = digits(text, at + 4, 2);
        if (oh < 0 || om < 0 || text[at + 3] != u':')
            return std::nullopt;
        offsetMinutes = (oh * 60 + om) * (text[at] == u'-' ? -1 : 1);
        at += 6;
    } else {
        return std::nullopt;
    }
    if (at != text.size())
        return std::nullopt;
    const std::chrono::year_month_day date{std::chrono::year(year),
                                           std::chrono::month(unsigned(month)),
                                           std::chrono::day(unsigned(day))};
    if (!date.ok())
        return std::nullopt;
    const std::int64_t days = std::chrono::sys_days(date).time_since_epoch().count();
    const std::int64_t seconds =
        days * 86'400 + hour * 3600 + minute * 60 + second - std::int64_t(offsetMinutes) * 60;
    return seconds * 1000 + millis;
}

QString subscriptionMessage(QLatin1StringView type, QLatin1StringView channel,
                            const QStringList &productIds)
{
    QString out = u"{\"type\":\""_s + type + u'"';
    if (!productIds.isEmpty()) {
        out += u",\"product_ids\":"_s
               + QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(productIds))
                                       .toJson(QJsonDocument::Compact));
    }
    out += u",\"channel\":\""_s + channel + u"\"}"_s;
    return out;
}

std::optional<Levels> toLevels(const QList<LevelUpdate> &updates,
                               const protocol::InstrumentInfo &info)
{
    Levels out;
    for (const LevelUpdate &u : updates) {
        const auto price = atStep(u.price, info.tickSize);
        const auto qty = atStep(u.qty, info.lotSize);
        if (!price || !qty || !price->isPositive())
            return std::nullopt;
        (u.side == BookSide::Bid ? out.bids : out.asks).append(protocol::BookLevel{*price, *qty});
    }
    return out;
}

std::optional<protocol::Trade> toTrade(const TradeItem &trade, const protocol::InstrumentInfo &info)
{
    const auto price = atStep(trade.price, info.tickSize);
    const auto qty = atStep(trade.size, info.lotSize);
    if (!price || !qty)
        return std::nullopt;
    protocol::Trade out;
    out.symbol = info.symbol;
    out.ts = trade.timeMs;
    out.tradeId = trade.tradeId;
    out.price = *price;
    out.qty = *qty;
    // Coinbase names the maker's side; tickwire/1 the aggressor's.
    out.side = trade.makerBuy ? protocol::Side::Sell : protocol::Side::Buy;
    return out;
}

std::optional<protocol::Ticker> toTicker(const TickerItem &ticker, std::int64_t ts,
                                         const protocol::InstrumentInfo &info)
{
    const auto last = atStep(ticker.price, info.tickSize);
    const auto bid = atStep(ticker.bestBid, info.tickSize);
    const auto bidSize = atStep(ticker.bestBidQty, info.lotSize);
    const auto ask = atStep(ticker.bestAsk, info.tickSize);
    const auto askSize = atStep(ticker.bestAskQty, info.lotSize);
    const auto high = atStep(ticker.high24h, info.tickSize);
    const auto low = atStep(ticker.low24h, info.tickSize);
    const auto volume = atStep(ticker.volume24h, info.lotSize);
    if (!last || !bid || !bidSize || !ask || !askSize || !high || !low || !volume)
        return std::nullopt;
    // open = last * 100 / (100 + percent), to the nearest tick. The percent is Coinbase's own
    // rounded figure, so the open is only as exact as that: 8 decimals of it are plenty.
    const auto percent = Decimal::parse(QStringView(ticker.percentChange24h));
    const auto percent8 = percent ? percent->rounded(std::min(percent->scale(), 8)) : std::nullopt;
    const auto denominator = percent8 ? Decimal::fromInt(100).plus(*percent8) : std::nullopt;
    if (!denominator || !denominator->isPositive())
        return std::nullopt;
    const auto numerator = last->times(Decimal::fromInt(100));
    const auto perTick = denominator->times(info.tickSize);
    const auto ticks = numerator && perTick ? numerator->dividedBy(*perTick, 0) : std::nullopt;
    const auto openRaw = ticks ? ticks->times(info.tickSize) : std::nullopt;
    const auto open = openRaw ? openRaw->withScale(info.tickSize.scale()) : std::nullopt;
    if (!open)
        return std::nullopt;
    protocol::Ticker out;
    out.symbol = info.symbol;
    out.ts = ts;
    out.last = *last;
    out.bid = *bid;
    out.bidSize = *bidSize;
    out.ask = *ask;
    out.askSize = *askSize;
    out.open24h = *open;
    out.high24h = *high;
    out.low24h = *low;
    out.volume24h = *volume;
    return out;
}

std::optional<protocol::Candle> toCandle(const CandleItem &candle,
                                         const protocol::InstrumentInfo &info)
{
    const auto o = atStep(candle.open, info.tickSize);
    const auto h = atStep(candle.high, info.tickSize);
    const auto l = atStep(candle.low, info.tickSize);
    const auto c = atStep(candle.close, info.tickSize);
    const auto v = atStep(candle.volume, info.lotSize);
    if (!o || !h || !l || !c || !v)
        return std::nullopt;
    protocol::Candle out;
    out.symbol = info.symbol;
    out.interval = protocol::CandleInterval::M5;
    out.t = candle.startMs;
    out.o = *o;
    out.h = *h;
    out.l = *l;
    out.c = *c;
    out.v = *v;
    out.closed = false;
    return out;
}

} // namespace tickwire::exchanges::coinbase
