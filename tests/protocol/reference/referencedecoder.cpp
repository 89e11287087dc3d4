// The decoder Tickwire used before the single-pass one in src/protocol/decode.cpp: Qt's JSON
// DOM, converted to a QCborMap, then every field looked up by name. Kept in the tests only, as
// the reference the fast decoder must agree with (accept/reject, values, error code and id).
#include "referencedecoder.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QCborStreamReader>
#include <QtCore/QCborValue>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonParseError>

#include <cmath>

namespace tickwire::protocol::reference {

using namespace Qt::StringLiterals;


namespace {

// Largest integer a JSON number can carry exactly through an IEEE double.
constexpr double MaxExactDouble = 9007199254740992.0; // 2^53
constexpr qsizetype MaxStringLength = 256; // ids, symbols, names, reasons
constexpr qsizetype MaxMessageLength = 4096; // error messages

// A text value without its leading U+FEFFs: QCborValue (and QJsonDocument, for a string without
// escapes) drops one as a byte order mark; the protocol drops them all (protocol.md).
QString textOf(const QCborValue &v)
{
    QString s = v.toString();
    qsizetype marks = 0;
    while (marks < s.size() && s.at(marks).unicode() == 0xFEFF)
        ++marks;
    return s.remove(0, marks);
}

// Reads typed fields out of one map, remembering the first problem.
class Fields
{
public:
    Fields(const QCborMap &map, const DecodeLimits &limits, QString path = {})
        : m_map(map)
        , m_limits(limits)
        , m_path(std::move(path))
    {
    }

    [[nodiscard]] bool ok() const { return m_error.isEmpty(); }
    [[nodiscard]] const QString &error() const { return m_error; }

    bool fail(QLatin1StringView key, const QString &what)
    {
        if (m_error.isEmpty())
            m_error = u"field '"_s + m_path + key + u"' "_s + what;
        return false;
    }
    void adopt(const Fields &inner)
    {
        if (m_error.isEmpty() && !inner.m_error.isEmpty())
            m_error = inner.m_error;
    }

    [[nodiscard]] bool has(QLatin1StringView key) const
    {
        const QCborValue v = m_map.value(key);
        return !v.isUndefined() && !v.isNull();
    }
    [[nodiscard]] QCborValue raw(QLatin1StringView key) const { return m_map.value(key); }
    [[nodiscard]] QString path(QLatin1StringView key) const { return m_path + key; }
    [[nodiscard]] const DecodeLimits &limits() const { return m_limits; }

    std::int64_t integer(QLatin1StringView key, std::int64_t min = 0,
                         std::int64_t max = std::numeric_limits<std::int64_t>::max())
    {
        const QCborValue v = m_map.value(key);
        if (v.isUndefined() || v.isNull())
            return fail(key, u"is missing"_s), 0;
        return integerValue(key, v, min, max);
    }
    std::optional<std::int64_t>
    optInteger(QLatin1StringView key, std::int64_t min = 0,
               std::int64_t max = std::numeric_limits<std::int64_t>::max())
    {
        if (!has(key))
            return std::nullopt;
        return integerValue(key, m_map.value(key), min, max);
    }
    std::int64_t integerValue(QLatin1StringView key, const QCborValue &v, std::int64_t min,
                              std::int64_t max)
    {
        std::int64_t value = 0;
        if (v.isInteger()) {
            value = v.toInteger();
        } else if (v.isDouble()) {
            const double d = v.toDouble();
            if (!std::isfinite(d) || std::trunc(d) != d || std::fabs(d) > MaxExactDouble)
                return fail(key, u"must be an integer within range"_s), 0;
            value = static_cast<std::int64_t>(d);
        } else {
            return fail(key, u"must be an integer"_s), 0;
        }
        if (value < min || value > max)
            return fail(key, u"is out of range [%1, %2]"_s.arg(min).arg(max)), 0;
        return value;
    }

    QString text(QLatin1StringView key, qsizetype maxLength = MaxStringLength)
    {
        const QCborValue v = m_map.value(key);
        if (v.isUndefined() || v.isNull())
            return fail(key, u"is missing"_s), QString();
        return textValue(key, v, maxLength);
    }
    std::optional<QString> optText(QLatin1StringView key, qsizetype maxLength = MaxStringLength)
    {
        if (!has(key))
            return std::nullopt;
        return textValue(key, m_map.value(key), maxLength);
    }
    QString textValue(QLatin1StringView key, const QCborValue &v, qsizetype maxLength)
    {
        if (!v.isString())
            return fail(key, u"must be a string"_s), QString();
        QString s = textOf(v);
        if (s.size() > maxLength)
            return fail(key, u"is longer than %1 characters"_s.arg(maxLength)), QString();
        // JSON escapes can spell a lone surrogate ("\ud800"): no UTF-8 can carry it on.
        if (!QStringView(s).isValidUtf16())
            return fail(key, u"is not valid Unicode"_s), QString();
        return s;
    }
    // Identifiers (symbols, order ids): non-empty, printable ASCII without spaces or quotes.
    QString identifier(QLatin1StringView key)
    {
        QString s = text(key, 64);
        return checkIdentifier(key, s) ? s : QString();
    }
    bool checkIdentifier(QLatin1StringView key, const QString &s)
    {
        if (!ok())
            return false;
        if (s.isEmpty())
            return fail(key, u"must not be empty"_s);
        for (const QChar c : s) {
            if (c.unicode() <= 0x20 || c.unicode() >= 0x7F || c == u'"' || c == u'\\')
                return fail(key, u"has a character that is not allowed"_s);
        }
        return true;
    }

    bool boolean(QLatin1StringView key)
    {
        const QCborValue v = m_map.value(key);
        if (!v.isBool())
            return fail(key, v.isUndefined() ? u"is missing"_s : u"must be true or false"_s);
        return v.toBool();
    }
    std::optional<bool> optBoolean(QLatin1StringView key)
    {
        if (!has(key))
            return std::nullopt;
        return boolean(key);
    }

    Decimal decimal(QLatin1StringView key)
    {
        const QCborValue v = m_map.value(key);
        if (v.isUndefined() || v.isNull())
            return fail(key, u"is missing"_s), Decimal();
        return decimalValue(key, v);
    }
    std::optional<Decimal> optDecimal(QLatin1StringView key)
    {
        if (!has(key))
            return std::nullopt;
        return decimalValue(key, m_map.value(key));
    }
    Decimal decimalValue(QLatin1StringView key, const QCborValue &v)
    {
        if (!v.isString())
            return fail(key, u"must be a decimal string such as \"12.50\""_s), Decimal();
        const QString s = textOf(v);
        const auto d = Decimal::parse(QStringView(s));
        if (!d) {
            return fail(key,
                        u"is not a valid decimal (at most 18 digits, no exponent): \"%1\""_s.arg(
                            s.left(40))),
                   Decimal();
        }
        return *d;
    }

    template<typename E>
    E enumeration(QLatin1StringView key, std::optional<E> (*parse)(QStringView))
    {
        const QCborValue v = m_map.value(key);
        if (v.isUndefined() || v.isNull())
            return fail(key, u"is missing"_s), E{};
        return enumValue(key, v, parse);
    }
    template<typename E>
    std::optional<E> optEnumeration(QLatin1StringView key, std::optional<E> (*parse)(QStringView))
    {
        if (!has(key))
            return std::nullopt;
        return enumValue(key, m_map.value(key), parse);
    }
    template<typename E>
    E enumValue(QLatin1StringView key, const QCborValue &v, std::optional<E> (*parse)(QStringView))
    {
        if (!v.isString())
            return fail(key, u"must be a string"_s), E{};
        const QString s = textOf(v);
        const std::optional<E> e = parse(QStringView(s));
        if (!e)
            return fail(key, u"has an unknown value \"%1\""_s.arg(s.left(40))), E{};
        return *e;
    }

    QCborArray array(QLatin1StringView key, bool required = true)
    {
        const QCborValue v = m_map.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (required)
                fail(key, u"is missing"_s);
            return {};
        }
        if (!v.isArray())
            return fail(key, u"must be an array"_s), QCborArray();
        QCborArray a = v.toArray();
        if (a.size() > m_limits.maxItems)
            return fail(key, u"has more than %1 items"_s.arg(m_limits.maxItems)), QCborArray();
        return a;
    }

    QStringList symbols(QLatin1StringView key)
    {
        const QCborArray a = array(key);
        QStringList out;
        out.reserve(a.size());
        for (qsizetype i = 0; ok() && i < a.size(); ++i) {
            const QCborValue v = a.at(i);
            if (!v.isString() || textOf(v).size() > 64)
                return fail(key, u"must be an array of symbol strings"_s), QStringList();
            const QString s = textOf(v);
            if (!checkIdentifier(key, s))
                return {};
            out.append(s);
        }
        return out;
    }

    QList<BookLevel> levels(QLatin1StringView key)
    {
        const QCborArray a = array(key);
        QList<BookLevel> out;
        out.reserve(a.size());
        for (qsizetype i = 0; ok() && i < a.size(); ++i) {
            const QCborValue v = a.at(i);
            const QCborArray pair = v.toArray();
            if (!v.isArray() || pair.size() != 2)
                return fail(key, u"must be an array of [price, qty] pairs"_s), QList<BookLevel>();
            BookLevel level;
            level.price = decimalValue(key, pair.at(0));
            level.qty = decimalValue(key, pair.at(1));
            out.append(level);
        }
        return out;
    }

    template<typename T, typename Read> QList<T> objects(QLatin1StringView key, Read read)
    {
        const QCborArray a = array(key);
        QList<T> out;
        out.reserve(a.size());
        for (qsizetype i = 0; ok() && i < a.size(); ++i) {
            const QCborValue v = a.at(i);
            if (!v.isMap())
                return fail(key, u"must be an array of objects"_s), QList<T>();
            Fields inner(v.toMap(), m_limits, m_path + key + u'[' + QString::number(i) + u"]."_s);
            T item = read(inner);
            adopt(inner);
            out.append(std::move(item));
        }
        return out;
    }

private:
    const QCborMap m_map; // a copy (implicitly shared, cheap): callers pass temporaries
    const DecodeLimits &m_limits;
    QString m_path;
    QString m_error;
};

constexpr std::int64_t MaxId = std::numeric_limits<std::int64_t>::max();

InstrumentInfo readInstrument(Fields &f)
{
    InstrumentInfo i;
    i.symbol = f.identifier("symbol"_L1);
    i.name = f.text("name"_L1);
    i.base = f.text("base"_L1);
    i.quote = f.text("quote"_L1);
    i.tickSize = f.decimal("tick_size"_L1);
    i.lotSize = f.decimal("lot_size"_L1);
    return i;
}

Trade readTrade(Fields &f)
{
    Trade t;
    t.symbol = f.identifier("symbol"_L1);
    t.seq = f.integer("seq"_L1);
    t.ts = f.integer("ts"_L1);
    t.tradeId = f.integer("trade_id"_L1);
    t.price = f.decimal("price"_L1);
    t.qty = f.decimal("qty"_L1);
    t.side = f.enumeration("side"_L1, &sideFromString);
    return t;
}

Candle readCandle(Fields &f)
{
    Candle c;
    c.symbol = f.identifier("symbol"_L1);
    c.interval = f.enumeration("interval"_L1, &candleIntervalFromString);
    c.seq = f.integer("seq"_L1);
    c.t = f.integer("t"_L1);
    c.o = f.decimal("o"_L1);
    c.h = f.decimal("h"_L1);
    c.l = f.decimal("l"_L1);
    c.c = f.decimal("c"_L1);
    c.v = f.decimal("v"_L1);
    c.closed = f.boolean("closed"_L1);
    return c;
}

Order readOrder(Fields &f)
{
    Order o;
    o.epoch = f.integer("epoch"_L1);
    o.seq = f.integer("seq"_L1);
    o.orderId = f.identifier("order_id"_L1);
    o.clientOrderId = f.text("client_order_id"_L1, 64);
    o.symbol = f.identifier("symbol"_L1);
    o.side = f.enumeration("side"_L1, &sideFromString);
    o.orderType = f.enumeration("order_type"_L1, &orderTypeFromString);
    o.price = f.optDecimal("price"_L1);
    o.qty = f.decimal("qty"_L1);
    o.filledQty = f.decimal("filled_qty"_L1);
    o.avgFillPrice = f.optDecimal("avg_fill_price"_L1);
    o.lastFillQty = f.optDecimal("last_fill_qty"_L1);
    o.lastFillPrice = f.optDecimal("last_fill_price"_L1);
    o.status = f.enumeration("status"_L1, &orderStatusFromString);
    o.reason = f.optText("reason"_L1);
    o.ts = f.integer("ts"_L1);
    return o;
}

Position readPosition(Fields &f)
{
    Position p;
    p.epoch = f.integer("epoch"_L1);
    p.seq = f.integer("seq"_L1);
    p.symbol = f.identifier("symbol"_L1);
    p.qty = f.decimal("qty"_L1);
    p.avgPrice = f.decimal("avg_price"_L1);
    p.realizedPnl = f.decimal("realized_pnl"_L1);
    return p;
}

// Channel-specific checks shared by subscribe and unsubscribe.
void readChannelTargets(Fields &f, Channel channel, QStringList &symbols,
                        std::optional<CandleInterval> &interval)
{
    if (channel != Channel::Orders) {
        symbols = f.symbols("symbols"_L1);
        if (f.ok() && symbols.isEmpty())
            f.fail("symbols"_L1, u"must name at least one symbol"_s);
    }
    interval = f.optEnumeration("interval"_L1, &candleIntervalFromString);
    if (f.ok() && channel == Channel::Candles && !interval)
        f.fail("interval"_L1, u"is required for the candles channel"_s);
}

std::optional<Channel> readChannel(Fields &f, DecodeError &error)
{
    const QCborValue v = f.raw("channel"_L1);
    if (!v.isString()) {
        f.fail("channel"_L1, v.isUndefined() ? u"is missing"_s : u"must be a string"_s);
        return std::nullopt;
    }
    const QString name = textOf(v);
    const auto channel = channelFromString(QStringView(name));
    if (!channel) {
        error.code = ErrorCode::UnknownChannel;
        error.message =
            u"unknown channel \"%1\" (ticker, trades, book, candles, orders)"_s.arg(name.left(40));
    }
    return channel;
}

using Reader = std::optional<Message> (*)(Fields &, DecodeError &);

template<typename T> std::optional<Message> done(Fields &f, T &&value)
{
    if (!f.ok())
        return std::nullopt;
    return Message(std::forward<T>(value));
}

const QHash<QString, Reader> &readers()
{
    static const QHash<QString, Reader> table = {
        {u"subscribe"_s,
         [](Fields &f, DecodeError &e) -> std::optional<Message> {
             Subscribe m;
             m.id = f.integer("id"_L1, 0, MaxId);
             const auto channel = readChannel(f, e);
             if (!channel)
                 return std::nullopt;
             m.channel = *channel;
             readChannelTargets(f, m.channel, m.symbols, m.interval);
             if (const auto depth = f.optInteger("depth"_L1, 1, MaxBookDepth))
                 m.depth = int(*depth);
             if (f.has("resume"_L1)) {
                 const QCborValue r = f.raw("resume"_L1);
                 if (!r.isMap())
                     return f.fail("resume"_L1, u"must be an object {epoch, seq}"_s), std::nullopt;
                 const QCborMap map = r.toMap();
                 Fields inner(map, f.limits(), u"resume."_s);
                 ResumePoint point;
                 point.epoch = inner.integer("epoch"_L1, 0, MaxId);
                 point.seq = inner.integer("seq"_L1, 0, MaxId);
                 f.adopt(inner);
                 m.resume = point;
             }
             return done(f, std::move(m));
         }},
        {u"unsubscribe"_s,
         [](Fields &f, DecodeError &e) -> std::optional<Message> {
             Unsubscribe m;
             m.id = f.integer("id"_L1, 0, MaxId);
             const auto channel = readChannel(f, e);
             if (!channel)
                 return std::nullopt;
             m.channel = *channel;
             readChannelTargets(f, m.channel, m.symbols, m.interval);
             return done(f, std::move(m));
         }},
        {u"list_symbols"_s,
         [](Fields &f, DecodeError &) -> std::optional<Message> {
             return done(f, ListSymbols{f.integer("id"_L1, 0, MaxId)});
         }},
        {u"place_order"_s,
         [](Fields &f, DecodeError &) -> std::optional<Message> {
             PlaceOrder m;
             m.id = f.integer("id"_L1, 0, MaxId);
             m.clientOrderId = f.identifier("client_order_id"_L1);
             m.symbol = f.identifier("symbol"_L1);
             m.side = f.enumeration("side"_L1, &sideFromString);
             m.orderType = f.enumeration("order_type"_L1, &orderTypeFromString);
             m.qty = f.decimal("qty"_L1);
             m.price = f.optDecimal("price"_L1);
             return done(f, std::move(m));
         }},
        {u"cancel_order"_s,
         [](Fields &f, DecodeError &) -> std::optional<Message> {
             CancelOrder m;
             m.id = f.integer("id"_L1, 0, MaxId);
             m.orderId = f.identifier("order_id"_L1);
             return done(f, std::move(m));
         }},
        {u"cancel_all"_s,
         [](Fields &f, DecodeError &) -> std::optional<Message> {
             CancelAll m;
             m.id = f.integer("id"_L1, 0, MaxId);
             if (f.has("symbol"_L1))
                 m.symbol = f.identifier("symbol"_L1);
             return done(f, std::move(m));
         }},
        {u"ping"_s,
         [](Fields &f, DecodeError &) -> std::optional<Message> {
             Ping m;
             m.id = f.integer("id"_L1, 0, MaxId);
             m.t = f.integer("t"_L1, std::numeric_limits<std::int64_t>::min());
             return done(f, std::move(m));
         }},
        {u"welcome"_s,
         [](Fields &f, DecodeError &) -> std::optional<Message> {
             Welcome m;
             m.protocol = f.text("protocol"_L1);
             m.session = f.text("session"_L1);
             m.ts = f.integer("ts"_L1);
             m.heartbeatMs = int(f.integer("heartbeat_ms"_L1, 1, 3'600'000));
             m.account = f.optText("account"_L1);
             m.source = f.optText("source"_L1);
             m.trading = f.optText("trading"_L1);
             return done(f, std::move(m));
         }},
        {u"ack"_s,
         [](Fields &f, DecodeError &) -> std::optional<Message> {
             Ack m;
             m.id = f.integer("id"_L1, 0, MaxId);
             m.channel = f.optEnumeration("channel"_L1, &channelFromString);
             if (f.has("symbols"_L1))
                 m.symbols = f.symbols("symbols"_L1);
             m.recovered = f.optBoolean("recovered"_L1);
             m.orderId = f.optText("order_id"_L1);
             m.status = f.optEnumeration("status"_L1, &orderStatusFromString);
             if (const auto n = f.optInteger("cancelled"_L1, 0, std::numeric_limits<int>::max()))
                 m.cancelled = int(*n);
             return done(f, std::move(m));
         }},
        {u"error"_s,
         [](Fields &f, DecodeError &) -> std::optional<Message> {
             Error m;
             m.id = f.optInteger("id"_L1, 0, MaxId);
             m.code = f.text("code"_L1, 64);
             m.message = f.text("message"_L1, MaxMessageLength);
             m.symbol = f.optText("symbol"_L1, 64);
             return done(f, std::move(m));
         }},
        {u"symbols"_s,
         [](Fields &f, DecodeError &) -> std::optional<Message> {
             Symbols m;
             m.id = f.integer("id"_L1, 0, MaxId);
             m.symbols = f.objects<InstrumentInfo>("symbols"_L1, &readInstrument);
             return done(f, std::move(m));
         }},
        {u"ticker"_s,
         [](Fields &f, DecodeError &) -> std::optional<Message> {
             Ticker m;
             m.symbol = f.identifier("symbol"_L1);
             m.seq = f.integer("seq"_L1);
             m.ts = f.integer("ts"_L1);
             m.last = f.decimal("last"_L1);
             m.bid = f.decimal("bid"_L1);
             m.bidSize = f.decimal("bid_size"_L1);
             m.ask = f.decimal("ask"_L1);
             m.askSize = f.decimal("ask_size"_L1);
             m.open24h = f.decimal("open_24h"_L1);
             m.high24h = f.decimal("high_24h"_L1);
             m.low24h = f.decimal("low_24h"_L1);
             m.volume24h = f.decimal("volume_24h"_L1);
             return done(f, std::move(m));
         }},
        {u"trade"_s,
         [](Fields &f, DecodeError &) -> std::optional<Message> { return done(f, readTrade(f)); }},
        {u"trades_snapshot"_s,
         [](Fields &f, DecodeError &) -> std::optional<Message> {
             TradesSnapshot m;
             m.symbol = f.identifier("symbol"_L1);
             m.trades = f.objects<Trade>("trades"_L1, &readTrade);
             return done(f, std::move(m));
         }},
        {u"book"_s,
         [](Fields &f, DecodeError &) -> std::optional<Message> {
             Book m;
             m.symbol = f.identifier("symbol"_L1);
             m.seq = f.integer("seq"_L1);
             m.ts = f.integer("ts"_L1);
             m.snapshot = f.boolean("snapshot"_L1);
             m.bids = f.levels("bids"_L1);
             m.asks = f.levels("asks"_L1);
             m.checksum = std::uint32_t(f.integer("checksum"_L1, 0, 0xFFFFFFFFLL));
             return done(f, std::move(m));
         }},
        {u"candle"_s,
         [](Fields &f, DecodeError &) -> std::optional<Message> { return done(f, readCandle(f)); }},
        {u"candles_snapshot"_s,
         [](Fields &f, DecodeError &) -> std::optional<Message> {
             CandlesSnapshot m;
             m.symbol = f.identifier("symbol"_L1);
             m.interval = f.enumeration("interval"_L1, &candleIntervalFromString);
             m.candles = f.objects<Candle>("candles"_L1, &readCandle);
             return done(f, std::move(m));
         }},
        {u"order"_s,
         [](Fields &f, DecodeError &) -> std::optional<Message> { return done(f, readOrder(f)); }},
        {u"position"_s,
         [](Fields &f, DecodeError &) -> std::optional<Message> {
             return done(f, readPosition(f));
         }},
        {u"orders_snapshot"_s,
         [](Fields &f, DecodeError &) -> std::optional<Message> {
             OrdersSnapshot m;
             m.epoch = f.integer("epoch"_L1);
             m.seq = f.integer("seq"_L1);
             m.orders = f.objects<Order>("orders"_L1, &readOrder);
             m.positions = f.objects<Position>("positions"_L1, &readPosition);
             return done(f, std::move(m));
         }},
        {u"heartbeat"_s,
         [](Fields &f, DecodeError &) -> std::optional<Message> {
             return done(f, Heartbeat{f.integer("ts"_L1)});
         }},
        {u"pong"_s,
         [](Fields &f, DecodeError &) -> std::optional<Message> {
             Pong m;
             m.id = f.integer("id"_L1, 0, MaxId);
             m.t = f.integer("t"_L1, std::numeric_limits<std::int64_t>::min());
             m.ts = f.integer("ts"_L1);
             return done(f, std::move(m));
         }},
        {u"source_status"_s,
         [](Fields &f, DecodeError &) -> std::optional<Message> {
             SourceStatus m;
             m.source = f.text("source"_L1);
             m.state = f.enumeration("state"_L1, &sourceStateFromString);
             m.reconnects = f.integer("reconnects"_L1);
             m.lastMessageTs = f.integer("last_message_ts"_L1);
             m.ts = f.integer("ts"_L1);
             return done(f, std::move(m));
         }},
    };
    return table;
}

DecodeResult failure(QLatin1StringView code, QString message, std::optional<std::int64_t> id = {})
{
    DecodeResult r;
    r.error = DecodeError{QString(code), std::move(message), id};
    return r;
}

DecodeResult decodeMap(const QCborMap &map, const DecodeLimits &limits)
{
    // Read the id first, so every later error can echo it.
    std::optional<std::int64_t> id;
    const QCborValue idValue = map.value("id"_L1);
    if (idValue.isInteger() && idValue.toInteger() >= 0)
        id = idValue.toInteger();
    else if (idValue.isDouble() && std::trunc(idValue.toDouble()) == idValue.toDouble()
             && idValue.toDouble() >= 0 && idValue.toDouble() <= MaxExactDouble)
        id = std::int64_t(idValue.toDouble());

    const QCborValue typeValue = map.value("type"_L1);
    if (!typeValue.isString())
        return failure(ErrorCode::BadRequest,
                       typeValue.isUndefined() ? u"field 'type' is missing"_s
                                               : u"field 'type' must be a string"_s,
                       id);
    const QString type = textOf(typeValue);
    const auto reader = readers().constFind(type);
    if (reader == readers().cend())
        return failure(ErrorCode::UnknownType, u"unknown message type \"%1\""_s.arg(type.left(40)),
                       id);

    Fields fields(map, limits);
    DecodeResult result;
    result.message = (*reader)(fields, result.error);
    if (!result.message) {
        if (result.error.code.isEmpty()) {
            result.error.code = ErrorCode::BadRequest;
            result.error.message = type + u": "_s + fields.error();
        }
        result.error.id = id;
    }
    return result;
}

} // namespace

DecodeResult referenceDecode(QByteArrayView payload, Encoding encoding, const DecodeLimits &limits)
{
    if (payload.size() > limits.maxBytes)
        return failure(ErrorCode::TooLarge,
                       u"message of %1 bytes exceeds the limit of %2 bytes"_s.arg(payload.size())
                           .arg(limits.maxBytes));
    if (payload.isEmpty())
        return failure(ErrorCode::BadRequest, u"empty message"_s);

    QCborMap map;
    if (encoding == Encoding::Json) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(payload.toByteArray(), &error);
        if (error.error != QJsonParseError::NoError && !payload.trimmed().startsWith('{'))
            return failure(ErrorCode::BadRequest, u"a message must be a JSON object"_s);
        if (error.error != QJsonParseError::NoError)
            return failure(
                ErrorCode::BadRequest,
                u"malformed JSON at offset %1: %2"_s.arg(error.offset).arg(error.errorString()));
        if (!doc.isObject())
            return failure(ErrorCode::BadRequest, u"a message must be a JSON object"_s);
        map = QCborMap::fromJsonObject(doc.object());
    } else {
        QCborStreamReader reader(payload.toByteArray());
        const QCborValue value = QCborValue::fromCbor(reader);
        if (const QCborError error = reader.lastError(); error != QCborError::NoError)
            return failure(ErrorCode::BadRequest,
                           u"malformed CBOR at offset %1: %2"_s.arg(reader.currentOffset())
                               .arg(error.toString()));
        if (reader.currentOffset() != payload.size())
            return failure(ErrorCode::BadRequest,
                           u"malformed CBOR: %1 bytes after the message"_s.arg(
                               payload.size() - reader.currentOffset()));
        if (!value.isMap())
            return failure(ErrorCode::BadRequest, u"a message must be a CBOR map"_s);
        map = value.toMap();
    }
    return decodeMap(map, limits);
}

} // namespace tickwire::protocol::reference

namespace tickwire::protocol::reference {

QString differenceFromReference(QByteArrayView payload, Encoding encoding,
                                const DecodeLimits &limits)
{
    const DecodeResult fast = decode(payload, encoding, limits);
    const DecodeResult slow = referenceDecode(payload, encoding, limits);
    const auto describe = [](const DecodeResult &r) -> QString {
        if (r.ok())
            return u"accepted \""_s + typeName(*r.message) + u'"';
        return u"refused (%1, id %2): %3"_s.arg(r.error.code,
                                                r.error.id ? QString::number(*r.error.id)
                                                           : u"none"_s,
                                                r.error.message);
    };
    const auto differs = [&]() -> QString { return u"decode "_s + describe(fast) + u"; reference "_s + describe(slow); };
    if (fast.ok() != slow.ok())
        return differs();
    if (fast.ok()) {
        if (*fast.message != *slow.message)
            return u"both accept, with different values: "_s + differs();
        for (const Encoding through : {Encoding::Json, Encoding::Cbor}) {
            if (encode(*fast.message, through) != encode(*slow.message, through))
                return u"both accept, written differently: "_s + differs();
        }
        return {};
    }
    if (fast.error.code != slow.error.code || fast.error.id != slow.error.id)
        return differs();
    const auto syntax = [](const QString &m) {
        return m.startsWith(u"malformed JSON at offset"_s) || m.startsWith(u"malformed CBOR at offset"_s);
    };
    if (syntax(fast.error.message) && syntax(slow.error.message)
        && fast.error.message.left(14) == slow.error.message.left(14))
        return {};
    if (fast.error.message != slow.error.message)
        return u"different messages: "_s + differs();
    return {};
}

} // namespace tickwire::protocol::reference
