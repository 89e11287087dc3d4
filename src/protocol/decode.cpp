// The decoding half of codec.h: one scan of the payload into a tape (wiretape.h), then the typed
// message read field by field from it. Strings become QStrings only where the message keeps
// them; decimals, enumerations and integers are read from the payload's bytes.
#include "protocol/codec.h"
#include "protocol/wiretape.h"

#include <array>
#include <cmath>

namespace tickwire::protocol {

using namespace Qt::StringLiterals;

namespace {

using wire::Field;
using wire::Kind;
using wire::Node;
using wire::Tape;

// Largest integer a JSON number can carry exactly through an IEEE double.
constexpr double MaxExactDouble = 9007199254740992.0; // 2^53
constexpr qsizetype MaxStringLength = 256; // ids, symbols, names, reasons
constexpr qsizetype MaxMessageLength = 4096; // error messages
constexpr qsizetype MaxIdentifierLength = 64;
constexpr std::int64_t MaxId = std::numeric_limits<std::int64_t>::max();
constexpr std::size_t KeepNodes = 64 * 1024; // a larger tape is released after use

// Symbols and order ids repeat from message to message: the same bytes give the same shared
// QString instead of a new allocation. Per thread, a fixed number of slots.
QString internedAscii(QByteArrayView bytes)
{
    thread_local std::array<QString, 256> slots;
    std::uint32_t h = 2166136261u;
    for (const char c : bytes)
        h = (h ^ std::uint8_t(c)) * 16777619u;
    QString &slot = slots[(h ^ (h >> 8)) & 255];
    if (slot.size() != bytes.size() || slot != QLatin1StringView(bytes))
        slot = QString::fromLatin1(bytes);
    return slot;
}

// Reads typed fields out of one map of the tape, remembering the first problem. Fields are
// read in a fixed order per message type, so the first error reported does not depend on the
// order of the keys on the wire.
class Fields
{
public:
    Fields(const Tape &tape, std::int32_t map, const DecodeLimits &limits, QString path = {})
        : m_tape(tape)
        , m_limits(limits)
        , m_path(std::move(path))
    {
        m_slot.fill(-1);
        // A repeated key: QJsonDocument keeps the last value, QCborMap::value() finds the first.
        const bool lastWins = !tape.cbor;
        const Node &m = node(map);
        std::int32_t i = map + 1;
        for (std::int32_t n = 0; n < m.count; ++n) {
            const Node &key = node(i);
            const std::int32_t value = key.end;
            if (key.key != Field::Unknown) {
                std::int32_t &slot = m_slot[std::size_t(key.key)];
                if (lastWins || slot < 0)
                    slot = value;
            }
            i = node(value).end;
        }
    }

    [[nodiscard]] bool ok() const { return m_error.isEmpty(); }
    [[nodiscard]] const QString &error() const { return m_error; }

    bool fail(Field key, const QString &what)
    {
        if (m_error.isEmpty())
            m_error = u"field '"_s + m_path + wire::fieldName(key) + u"' "_s + what;
        return false;
    }
    void adopt(const Fields &inner)
    {
        if (m_error.isEmpty() && !inner.m_error.isEmpty())
            m_error = inner.m_error;
    }

    // nullptr when the key is absent.
    [[nodiscard]] const Node *raw(Field key) const
    {
        const std::int32_t i = m_slot[std::size_t(key)];
        return i < 0 ? nullptr : &node(i);
    }
    [[nodiscard]] std::int32_t indexOf(Field key) const { return m_slot[std::size_t(key)]; }
    [[nodiscard]] bool has(Field key) const { return !absent(raw(key)); }
    [[nodiscard]] const Tape &tape() const { return m_tape; }
    [[nodiscard]] const DecodeLimits &limits() const { return m_limits; }

    std::int64_t integer(Field key, std::int64_t min = 0,
                         std::int64_t max = std::numeric_limits<std::int64_t>::max())
    {
        const Node *v = raw(key);
        if (absent(v))
            return fail(key, u"is missing"_s), 0;
        return integerValue(key, *v, min, max);
    }
    std::optional<std::int64_t>
    optInteger(Field key, std::int64_t min = 0,
               std::int64_t max = std::numeric_limits<std::int64_t>::max())
    {
        const Node *v = raw(key);
        if (absent(v))
            return std::nullopt;
        return integerValue(key, *v, min, max);
    }
    std::int64_t integerValue(Field key, const Node &v, std::int64_t min, std::int64_t max)
    {
        std::int64_t value = 0;
        if (v.kind == Kind::Integer) {
            value = v.integer;
        } else if (v.kind == Kind::Double) {
            const double d = v.real;
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

    QString text(Field key, qsizetype maxLength = MaxStringLength)
    {
        const Node *v = raw(key);
        if (absent(v))
            return fail(key, u"is missing"_s), QString();
        return textValue(key, *v, maxLength);
    }
    std::optional<QString> optText(Field key, qsizetype maxLength = MaxStringLength)
    {
        const Node *v = raw(key);
        if (absent(v))
            return std::nullopt;
        return textValue(key, *v, maxLength);
    }
    QString textValue(Field key, const Node &v, qsizetype maxLength)
    {
        if (v.kind != Kind::String)
            return fail(key, u"must be a string"_s), QString();
        QString s = m_tape.text(v);
        return checkText(key, s, maxLength) ? s : QString();
    }
    bool checkText(Field key, const QString &s, qsizetype maxLength)
    {
        if (s.size() > maxLength)
            return fail(key, u"is longer than %1 characters"_s.arg(maxLength));
        // JSON escapes can spell a lone surrogate ("\ud800"): no UTF-8 can carry it on.
        if (!QStringView(s).isValidUtf16())
            return fail(key, u"is not valid Unicode"_s);
        return true;
    }

    // Identifiers (symbols, order ids): non-empty, printable ASCII without spaces or quotes.
    QString identifier(Field key)
    {
        const Node *v = raw(key);
        if (absent(v))
            return fail(key, u"is missing"_s), QString();
        if (v->kind != Kind::String)
            return fail(key, u"must be a string"_s), QString();
        if (isPlain(*v)) {
            const QByteArrayView bytes = m_tape.spanOf(*v);
            if (bytes.size() > MaxIdentifierLength)
                return fail(key, u"is longer than %1 characters"_s.arg(MaxIdentifierLength)),
                       QString();
            return checkIdentifier(key, bytes) ? internedAscii(bytes) : QString();
        }
        QString s = textValue(key, *v, MaxIdentifierLength);
        return ok() && checkIdentifier(key, QStringView(s)) ? s : QString();
    }
    static std::uint32_t unit(char c) { return std::uint8_t(c); }
    static std::uint32_t unit(QChar c) { return c.unicode(); }
    template<typename Chars> bool checkIdentifier(Field key, const Chars &s)
    {
        if (s.isEmpty())
            return fail(key, u"must not be empty"_s);
        for (const auto c : s) {
            const auto u = unit(c);
            if (u <= 0x20 || u >= 0x7F || u == '"' || u == '\\')
                return fail(key, u"has a character that is not allowed"_s);
        }
        return true;
    }

    bool boolean(Field key)
    {
        const Node *v = raw(key);
        if (!v || (v->kind != Kind::True && v->kind != Kind::False))
            return fail(key, v && v->kind != Kind::Undefined ? u"must be true or false"_s
                                                             : u"is missing"_s);
        return v->kind == Kind::True;
    }
    std::optional<bool> optBoolean(Field key)
    {
        if (!has(key))
            return std::nullopt;
        return boolean(key);
    }

    Decimal decimal(Field key)
    {
        const Node *v = raw(key);
        if (absent(v))
            return fail(key, u"is missing"_s), Decimal();
        return decimalValue(key, *v);
    }
    std::optional<Decimal> optDecimal(Field key)
    {
        const Node *v = raw(key);
        if (absent(v))
            return std::nullopt;
        return decimalValue(key, *v);
    }
    Decimal decimalValue(Field key, const Node &v)
    {
        if (v.kind == Kind::String && isPlain(v)) [[likely]] {
            if (const auto d = Decimal::parse(m_tape.spanOf(v)))
                return *d;
        }
        return decimalOtherwise(key, v);
    }
    // Escaped, chunked or wrong: out of the hot path.
    [[gnu::noinline]] Decimal decimalOtherwise(Field key, const Node &v)
    {
        if (v.kind != Kind::String)
            return fail(key, u"must be a decimal string such as \"12.50\""_s), Decimal();
        std::optional<Decimal> d;
        if (isPlain(v))
            d = Decimal::parse(m_tape.spanOf(v));
        else
            d = Decimal::parse(QStringView(m_tape.text(v)));
        if (!d) {
            return fail(key,
                        u"is not a valid decimal (at most 18 digits, no exponent): \"%1\""_s.arg(
                            m_tape.text(v).left(40))),
                   Decimal();
        }
        return *d;
    }

    template<typename E> E enumeration(Field key, std::optional<E> (*parse)(QStringView))
    {
        const Node *v = raw(key);
        if (absent(v))
            return fail(key, u"is missing"_s), E{};
        return enumValue(key, *v, parse);
    }
    template<typename E>
    std::optional<E> optEnumeration(Field key, std::optional<E> (*parse)(QStringView))
    {
        const Node *v = raw(key);
        if (absent(v))
            return std::nullopt;
        return enumValue(key, *v, parse);
    }
    template<typename E>
    E enumValue(Field key, const Node &v, std::optional<E> (*parse)(QStringView))
    {
        if (v.kind != Kind::String)
            return fail(key, u"must be a string"_s), E{};
        std::optional<E> e;
        if (isPlain(v) && v.span.length <= 32) {
            // Enumerations are short ASCII words: widen on the stack, no QString.
            char16_t buffer[32];
            const QByteArrayView bytes = m_tape.spanOf(v);
            for (qsizetype i = 0; i < bytes.size(); ++i)
                buffer[i] = char16_t(std::uint8_t(bytes[i]));
            e = parse(QStringView(buffer, bytes.size()));
        } else {
            e = parse(QStringView(m_tape.text(v)));
        }
        if (!e)
            return fail(key, u"has an unknown value \"%1\""_s.arg(m_tape.text(v).left(40))), E{};
        return *e;
    }

    // The array's node index, or -1 (absent, or an error recorded).
    std::int32_t array(Field key)
    {
        const Node *v = raw(key);
        if (absent(v))
            return fail(key, u"is missing"_s), -1;
        if (v->kind != Kind::Array)
            return fail(key, u"must be an array"_s), -1;
        if (v->count > m_limits.maxItems)
            return fail(key, u"has more than %1 items"_s.arg(m_limits.maxItems)), -1;
        return indexOf(key);
    }

    QStringList symbols(Field key)
    {
        const std::int32_t a = array(key);
        if (a < 0)
            return {};
        QStringList out;
        out.reserve(node(a).count);
        for (std::int32_t i = a + 1; i < node(a).end; i = node(i).end) {
            const Node &v = node(i);
            const QString notSymbols = u"must be an array of symbol strings"_s;
            if (v.kind != Kind::String)
                return fail(key, notSymbols), QStringList();
            if (isPlain(v)) {
                const QByteArrayView bytes = m_tape.spanOf(v);
                if (bytes.size() > MaxIdentifierLength)
                    return fail(key, notSymbols), QStringList();
                if (!checkIdentifier(key, bytes))
                    return {};
                out.append(internedAscii(bytes));
            } else {
                QString s = m_tape.text(v);
                if (s.size() > MaxIdentifierLength)
                    return fail(key, notSymbols), QStringList();
                if (!checkIdentifier(key, QStringView(s)))
                    return {};
                out.append(std::move(s));
            }
        }
        return out;
    }

    QList<BookLevel> levels(Field key)
    {
        const std::int32_t a = array(key);
        if (a < 0)
            return {};
        QList<BookLevel> out;
        out.reserve(node(a).count);
        for (std::int32_t i = a + 1; ok() && i < node(a).end; i = node(i).end) {
            const Node &pair = node(i);
            if (pair.kind != Kind::Array || pair.count != 2)
                return fail(key, u"must be an array of [price, qty] pairs"_s), QList<BookLevel>();
            BookLevel level;
            const std::int32_t price = i + 1;
            level.price = decimalValue(key, node(price));
            level.qty = decimalValue(key, node(node(price).end));
            out.append(level);
        }
        return out;
    }

    template<typename T, typename Read> QList<T> objects(Field key, Read read)
    {
        const std::int32_t a = array(key);
        if (a < 0)
            return {};
        QList<T> out;
        out.reserve(node(a).count);
        qsizetype n = 0;
        for (std::int32_t i = a + 1; ok() && i < node(a).end; i = node(i).end, ++n) {
            if (node(i).kind != Kind::Map)
                return fail(key, u"must be an array of objects"_s), QList<T>();
            Fields inner(m_tape, i, m_limits,
                         m_path + wire::fieldName(key) + u'[' + QString::number(n) + u"]."_s);
            T item = read(inner);
            adopt(inner);
            out.append(std::move(item));
        }
        return out;
    }

private:
    [[nodiscard]] const Node &node(std::int32_t i) const { return m_tape.nodes[std::size_t(i)]; }
    static bool absent(const Node *v)
    {
        return !v || v->kind == Kind::Undefined || v->kind == Kind::Null;
    }
    // A string whose bytes are its text: plain ASCII, no escapes, one piece.
    static bool isPlain(const Node &v) { return v.flags == 0; }

    const Tape &m_tape;
    const DecodeLimits &m_limits;
    QString m_path;
    QString m_error;
    std::array<std::int32_t, std::size_t(Field::Count)> m_slot;
};

InstrumentInfo readInstrument(Fields &f)
{
    InstrumentInfo i;
    i.symbol = f.identifier(Field::Symbol);
    i.name = f.text(Field::Name);
    i.base = f.text(Field::Base);
    i.quote = f.text(Field::Quote);
    i.tickSize = f.decimal(Field::TickSize);
    i.lotSize = f.decimal(Field::LotSize);
    return i;
}

Trade readTrade(Fields &f)
{
    Trade t;
    t.symbol = f.identifier(Field::Symbol);
    t.seq = f.integer(Field::Seq);
    t.ts = f.integer(Field::Ts);
    t.tradeId = f.integer(Field::TradeId);
    t.price = f.decimal(Field::Price);
    t.qty = f.decimal(Field::Qty);
    t.side = f.enumeration(Field::Side, &sideFromString);
    return t;
}

Candle readCandle(Fields &f)
{
    Candle c;
    c.symbol = f.identifier(Field::Symbol);
    c.interval = f.enumeration(Field::Interval, &candleIntervalFromString);
    c.seq = f.integer(Field::Seq);
    c.t = f.integer(Field::T);
    c.o = f.decimal(Field::O);
    c.h = f.decimal(Field::H);
    c.l = f.decimal(Field::L);
    c.c = f.decimal(Field::C);
    c.v = f.decimal(Field::V);
    c.closed = f.boolean(Field::Closed);
    return c;
}

Order readOrder(Fields &f)
{
    Order o;
    o.epoch = f.integer(Field::Epoch);
    o.seq = f.integer(Field::Seq);
    o.orderId = f.identifier(Field::OrderId);
    o.clientOrderId = f.text(Field::ClientOrderId, 64);
    o.symbol = f.identifier(Field::Symbol);
    o.side = f.enumeration(Field::Side, &sideFromString);
    o.orderType = f.enumeration(Field::OrderType, &orderTypeFromString);
    o.price = f.optDecimal(Field::Price);
    o.qty = f.decimal(Field::Qty);
    o.filledQty = f.decimal(Field::FilledQty);
    o.avgFillPrice = f.optDecimal(Field::AvgFillPrice);
    o.lastFillQty = f.optDecimal(Field::LastFillQty);
    o.lastFillPrice = f.optDecimal(Field::LastFillPrice);
    o.status = f.enumeration(Field::Status, &orderStatusFromString);
    o.reason = f.optText(Field::Reason);
    o.ts = f.integer(Field::Ts);
    return o;
}

Position readPosition(Fields &f)
{
    Position p;
    p.epoch = f.integer(Field::Epoch);
    p.seq = f.integer(Field::Seq);
    p.symbol = f.identifier(Field::Symbol);
    p.qty = f.decimal(Field::Qty);
    p.avgPrice = f.decimal(Field::AvgPrice);
    p.realizedPnl = f.decimal(Field::RealizedPnl);
    return p;
}

// Channel-specific checks shared by subscribe and unsubscribe.
void readChannelTargets(Fields &f, Channel channel, QStringList &symbols,
                        std::optional<CandleInterval> &interval)
{
    if (channel != Channel::Orders) {
        symbols = f.symbols(Field::Symbols);
        if (f.ok() && symbols.isEmpty())
            f.fail(Field::Symbols, u"must name at least one symbol"_s);
    }
    interval = f.optEnumeration(Field::Interval, &candleIntervalFromString);
    if (f.ok() && channel == Channel::Candles && !interval)
        f.fail(Field::Interval, u"is required for the candles channel"_s);
}

std::optional<Channel> readChannel(Fields &f, DecodeError &error)
{
    const Node *v = f.raw(Field::Channel);
    if (!v || v->kind != Kind::String) {
        f.fail(Field::Channel,
               !v || v->kind == Kind::Undefined ? u"is missing"_s : u"must be a string"_s);
        return std::nullopt;
    }
    const QString name = f.tape().text(*v);
    const auto channel = channelFromString(QStringView(name));
    if (!channel) {
        error.code = ErrorCode::UnknownChannel;
        error.message =
            u"unknown channel \"%1\" (ticker, trades, book, candles, orders)"_s.arg(name.left(40));
    }
    return channel;
}

template<typename T> std::optional<Message> done(Fields &f, T &&value)
{
    if (!f.ok())
        return std::nullopt;
    return Message(std::forward<T>(value));
}

std::optional<Message> readSubscribe(Fields &f, DecodeError &e)
{
    Subscribe m;
    m.id = f.integer(Field::Id, 0, MaxId);
    const auto channel = readChannel(f, e);
    if (!channel)
        return std::nullopt;
    m.channel = *channel;
    readChannelTargets(f, m.channel, m.symbols, m.interval);
    if (const auto depth = f.optInteger(Field::Depth, 1, MaxBookDepth))
        m.depth = int(*depth);
    if (f.has(Field::Resume)) {
        if (f.raw(Field::Resume)->kind != Kind::Map)
            return f.fail(Field::Resume, u"must be an object {epoch, seq}"_s), std::nullopt;
        Fields inner(f.tape(), f.indexOf(Field::Resume), f.limits(), u"resume."_s);
        ResumePoint point;
        point.epoch = inner.integer(Field::Epoch, 0, MaxId);
        point.seq = inner.integer(Field::Seq, 0, MaxId);
        f.adopt(inner);
        m.resume = point;
    }
    return done(f, std::move(m));
}

std::optional<Message> readUnsubscribe(Fields &f, DecodeError &e)
{
    Unsubscribe m;
    m.id = f.integer(Field::Id, 0, MaxId);
    const auto channel = readChannel(f, e);
    if (!channel)
        return std::nullopt;
    m.channel = *channel;
    readChannelTargets(f, m.channel, m.symbols, m.interval);
    return done(f, std::move(m));
}

std::optional<Message> readListSymbols(Fields &f, DecodeError &)
{
    return done(f, ListSymbols{f.integer(Field::Id, 0, MaxId)});
}

std::optional<Message> readPlaceOrder(Fields &f, DecodeError &)
{
    PlaceOrder m;
    m.id = f.integer(Field::Id, 0, MaxId);
    m.clientOrderId = f.identifier(Field::ClientOrderId);
    m.symbol = f.identifier(Field::Symbol);
    m.side = f.enumeration(Field::Side, &sideFromString);
    m.orderType = f.enumeration(Field::OrderType, &orderTypeFromString);
    m.qty = f.decimal(Field::Qty);
    m.price = f.optDecimal(Field::Price);
    return done(f, std::move(m));
}

std::optional<Message> readCancelOrder(Fields &f, DecodeError &)
{
    CancelOrder m;
    m.id = f.integer(Field::Id, 0, MaxId);
    m.orderId = f.identifier(Field::OrderId);
    return done(f, std::move(m));
}

std::optional<Message> readCancelAll(Fields &f, DecodeError &)
{
    CancelAll m;
    m.id = f.integer(Field::Id, 0, MaxId);
    if (f.has(Field::Symbol))
        m.symbol = f.identifier(Field::Symbol);
    return done(f, std::move(m));
}

std::optional<Message> readPing(Fields &f, DecodeError &)
{
    Ping m;
    m.id = f.integer(Field::Id, 0, MaxId);
    m.t = f.integer(Field::T, std::numeric_limits<std::int64_t>::min());
    return done(f, m);
}

std::optional<Message> readWelcome(Fields &f, DecodeError &)
{
    Welcome m;
    m.protocol = f.text(Field::Protocol);
    m.session = f.text(Field::Session);
    m.ts = f.integer(Field::Ts);
    m.heartbeatMs = int(f.integer(Field::HeartbeatMs, 1, 3'600'000));
    m.account = f.optText(Field::Account);
    m.source = f.optText(Field::Source);
    m.trading = f.optText(Field::Trading);
    return done(f, std::move(m));
}

std::optional<Message> readAck(Fields &f, DecodeError &)
{
    Ack m;
    m.id = f.integer(Field::Id, 0, MaxId);
    m.channel = f.optEnumeration(Field::Channel, &channelFromString);
    if (f.has(Field::Symbols))
        m.symbols = f.symbols(Field::Symbols);
    m.recovered = f.optBoolean(Field::Recovered);
    m.orderId = f.optText(Field::OrderId);
    m.status = f.optEnumeration(Field::Status, &orderStatusFromString);
    if (const auto n = f.optInteger(Field::Cancelled, 0, std::numeric_limits<int>::max()))
        m.cancelled = int(*n);
    return done(f, std::move(m));
}

std::optional<Message> readError(Fields &f, DecodeError &)
{
    Error m;
    m.id = f.optInteger(Field::Id, 0, MaxId);
    m.code = f.text(Field::Code, 64);
    m.message = f.text(Field::Message, MaxMessageLength);
    m.symbol = f.optText(Field::Symbol, 64);
    return done(f, std::move(m));
}

std::optional<Message> readSymbols(Fields &f, DecodeError &)
{
    Symbols m;
    m.id = f.integer(Field::Id, 0, MaxId);
    m.symbols = f.objects<InstrumentInfo>(Field::Symbols, &readInstrument);
    return done(f, std::move(m));
}

std::optional<Message> readTicker(Fields &f, DecodeError &)
{
    Ticker m;
    m.symbol = f.identifier(Field::Symbol);
    m.seq = f.integer(Field::Seq);
    m.ts = f.integer(Field::Ts);
    m.last = f.decimal(Field::Last);
    m.bid = f.decimal(Field::Bid);
    m.bidSize = f.decimal(Field::BidSize);
    m.ask = f.decimal(Field::Ask);
    m.askSize = f.decimal(Field::AskSize);
    m.open24h = f.decimal(Field::Open24h);
    m.high24h = f.decimal(Field::High24h);
    m.low24h = f.decimal(Field::Low24h);
    m.volume24h = f.decimal(Field::Volume24h);
    return done(f, std::move(m));
}

std::optional<Message> readTradeMessage(Fields &f, DecodeError &)
{
    return done(f, readTrade(f));
}

std::optional<Message> readTradesSnapshot(Fields &f, DecodeError &)
{
    TradesSnapshot m;
    m.symbol = f.identifier(Field::Symbol);
    m.trades = f.objects<Trade>(Field::Trades, &readTrade);
    return done(f, std::move(m));
}

std::optional<Message> readBook(Fields &f, DecodeError &)
{
    Book m;
    m.symbol = f.identifier(Field::Symbol);
    m.seq = f.integer(Field::Seq);
    m.ts = f.integer(Field::Ts);
    m.snapshot = f.boolean(Field::Snapshot);
    m.bids = f.levels(Field::Bids);
    m.asks = f.levels(Field::Asks);
    m.checksum = std::uint32_t(f.integer(Field::Checksum, 0, 0xFFFFFFFFLL));
    return done(f, std::move(m));
}

std::optional<Message> readCandleMessage(Fields &f, DecodeError &)
{
    return done(f, readCandle(f));
}

std::optional<Message> readCandlesSnapshot(Fields &f, DecodeError &)
{
    CandlesSnapshot m;
    m.symbol = f.identifier(Field::Symbol);
    m.interval = f.enumeration(Field::Interval, &candleIntervalFromString);
    m.candles = f.objects<Candle>(Field::Candles, &readCandle);
    return done(f, std::move(m));
}

std::optional<Message> readOrderMessage(Fields &f, DecodeError &)
{
    return done(f, readOrder(f));
}

std::optional<Message> readPositionMessage(Fields &f, DecodeError &)
{
    return done(f, readPosition(f));
}

std::optional<Message> readOrdersSnapshot(Fields &f, DecodeError &)
{
    OrdersSnapshot m;
    m.epoch = f.integer(Field::Epoch);
    m.seq = f.integer(Field::Seq);
    m.orders = f.objects<Order>(Field::Orders, &readOrder);
    m.positions = f.objects<Position>(Field::Positions, &readPosition);
    return done(f, std::move(m));
}

std::optional<Message> readHeartbeat(Fields &f, DecodeError &)
{
    return done(f, Heartbeat{f.integer(Field::Ts)});
}

std::optional<Message> readPong(Fields &f, DecodeError &)
{
    Pong m;
    m.id = f.integer(Field::Id, 0, MaxId);
    m.t = f.integer(Field::T, std::numeric_limits<std::int64_t>::min());
    m.ts = f.integer(Field::Ts);
    return done(f, m);
}

std::optional<Message> readSourceStatus(Fields &f, DecodeError &)
{
    SourceStatus m;
    m.source = f.text(Field::Source);
    m.state = f.enumeration(Field::State, &sourceStateFromString);
    m.reconnects = f.integer(Field::Reconnects);
    m.lastMessageTs = f.integer(Field::LastMessageTs);
    m.ts = f.integer(Field::Ts);
    return done(f, std::move(m));
}

using Reader = std::optional<Message> (*)(Fields &, DecodeError &);

struct TypeEntry
{
    QLatin1StringView name;
    Reader read;
};

// Hot types first: the look-up is a linear scan over short names.
constexpr TypeEntry Types[] = {
    {"ticker"_L1, &readTicker},
    {"trade"_L1, &readTradeMessage},
    {"book"_L1, &readBook},
    {"candle"_L1, &readCandleMessage},
    {"heartbeat"_L1, &readHeartbeat},
    {"order"_L1, &readOrderMessage},
    {"position"_L1, &readPositionMessage},
    {"subscribe"_L1, &readSubscribe},
    {"unsubscribe"_L1, &readUnsubscribe},
    {"list_symbols"_L1, &readListSymbols},
    {"place_order"_L1, &readPlaceOrder},
    {"cancel_order"_L1, &readCancelOrder},
    {"cancel_all"_L1, &readCancelAll},
    {"ping"_L1, &readPing},
    {"welcome"_L1, &readWelcome},
    {"ack"_L1, &readAck},
    {"error"_L1, &readError},
    {"symbols"_L1, &readSymbols},
    {"trades_snapshot"_L1, &readTradesSnapshot},
    {"candles_snapshot"_L1, &readCandlesSnapshot},
    {"orders_snapshot"_L1, &readOrdersSnapshot},
    {"pong"_L1, &readPong},
    {"source_status"_L1, &readSourceStatus},
};

Reader readerFor(QByteArrayView name)
{
    for (const TypeEntry &t : Types) {
        if (t.name.size() == name.size()
            && std::memcmp(t.name.data(), name.data(), std::size_t(name.size())) == 0)
            return t.read;
    }
    return nullptr;
}

DecodeResult failure(QLatin1StringView code, QString message, std::optional<std::int64_t> id = {})
{
    DecodeResult r;
    r.error = DecodeError{QString(code), std::move(message), id};
    return r;
}

DecodeResult decodeMap(const Tape &tape, const DecodeLimits &limits)
{
    Fields fields(tape, 0, limits);

    // Read the id first, so every later error can echo it.
    std::optional<std::int64_t> id;
    if (const Node *v = fields.raw(Field::Id)) {
        if (v->kind == Kind::Integer && v->integer >= 0)
            id = v->integer;
        else if (v->kind == Kind::Double && std::trunc(v->real) == v->real && v->real >= 0
                 && v->real <= MaxExactDouble)
            id = std::int64_t(v->real);
    }

    const Node *typeValue = fields.raw(Field::Type);
    if (!typeValue || typeValue->kind != Kind::String)
        return failure(ErrorCode::BadRequest,
                       !typeValue || typeValue->kind == Kind::Undefined
                           ? u"field 'type' is missing"_s
                           : u"field 'type' must be a string"_s,
                       id);
    Reader reader = nullptr;
    if (typeValue->flags == 0) {
        reader = readerFor(tape.spanOf(*typeValue));
    } else {
        const QString type = tape.text(*typeValue);
        bool ascii = true;
        for (const QChar c : type)
            ascii = ascii && c.unicode() < 0x80;
        if (ascii)
            reader = readerFor(type.toLatin1());
    }
    if (!reader)
        return failure(ErrorCode::UnknownType,
                       u"unknown message type \"%1\""_s.arg(tape.text(*typeValue).left(40)), id);

    DecodeResult result;
    result.message = reader(fields, result.error);
    if (!result.message) {
        if (result.error.code.isEmpty()) {
            result.error.code = ErrorCode::BadRequest;
            result.error.message = tape.text(*typeValue) + u": "_s + fields.error();
        }
        result.error.id = id;
    }
    return result;
}

// The payload without leading and trailing ASCII white space starts with '{'.
bool looksLikeObject(QByteArrayView payload)
{
    return payload.trimmed().startsWith('{');
}

} // namespace

DecodeResult decode(QByteArrayView payload, Encoding encoding, const DecodeLimits &limits)
{
    if (payload.size() > limits.maxBytes)
        return failure(ErrorCode::TooLarge,
                       u"message of %1 bytes exceeds the limit of %2 bytes"_s.arg(payload.size())
                           .arg(limits.maxBytes));
    if (payload.isEmpty())
        return failure(ErrorCode::BadRequest, u"empty message"_s);
    if (payload.size() > std::numeric_limits<std::int32_t>::max())
        return failure(ErrorCode::TooLarge,
                       u"message of %1 bytes is too large"_s.arg(payload.size()));

    // One tape per thread, reused: decoding allocates only what the message keeps.
    thread_local Tape tape;
    struct Release
    {
        Tape &t;
        ~Release()
        {
            t.bytes = {};
            if (t.nodes.capacity() > KeepNodes)
                t.nodes.release();
        }
    } release{tape};

    if (encoding == Encoding::Json) {
        if (!wire::parseJson(payload, tape)) {
            if (!looksLikeObject(payload))
                return failure(ErrorCode::BadRequest, u"a message must be a JSON object"_s);
            return failure(ErrorCode::BadRequest, tape.error);
        }
        if (tape.nodes.front().kind != Kind::Map)
            return failure(ErrorCode::BadRequest, u"a message must be a JSON object"_s);
    } else {
        qsizetype consumed = 0;
        if (!wire::parseCbor(payload, tape, consumed))
            return failure(ErrorCode::BadRequest, tape.error);
        if (consumed != payload.size())
            return failure(
                ErrorCode::BadRequest,
                u"malformed CBOR: %1 bytes after the message"_s.arg(payload.size() - consumed));
        if (tape.nodes.front().kind != Kind::Map)
            return failure(ErrorCode::BadRequest, u"a message must be a CBOR map"_s);
    }
    return decodeMap(tape, limits);
}

} // namespace tickwire::protocol
