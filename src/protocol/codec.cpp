#include "protocol/codec.h"

#include <QtCore/QCborStreamWriter>

namespace tickwire::protocol {

using namespace Qt::StringLiterals;

QLatin1StringView subprotocolName(Encoding encoding)
{
    return encoding == Encoding::Cbor ? CborSubprotocol : JsonSubprotocol;
}

std::optional<Encoding> encodingFromSubprotocol(QStringView name)
{
    if (name == JsonSubprotocol)
        return Encoding::Json;
    if (name == CborSubprotocol)
        return Encoding::Cbor;
    return std::nullopt;
}

// ---- encoding -----------------------------------------------------------------------------

namespace {

// Writes compact JSON straight into a byte array (no DOM), UTF-8, keys in insertion order.
class JsonWriter
{
public:
    explicit JsonWriter(QByteArray &out)
        : m_out(out)
    {
    }

    void beginMap() { open('{'); }
    void endMap() { close('}'); }
    void beginArray() { open('['); }
    void endArray() { close(']'); }
    void key(QLatin1StringView k)
    {
        separate();
        m_out += '"';
        m_out += QByteArrayView(k.data(), k.size());
        m_out += "\":";
        m_afterKey = true;
    }
    void text(QStringView s)
    {
        separate();
        writeString(s);
    }
    void text(QLatin1StringView s)
    {
        separate();
        m_out += '"';
        m_out += QByteArrayView(s.data(), s.size()); // enum names: plain ASCII, no escapes
        m_out += '"';
    }
    void decimal(const Decimal &d)
    {
        separate();
        m_out += '"';
        m_out += d.toUtf8();
        m_out += '"';
    }
    void integer(std::int64_t v)
    {
        separate();
        m_out += QByteArray::number(qlonglong(v));
    }
    void boolean(bool b)
    {
        separate();
        m_out += b ? "true" : "false";
    }
    void null()
    {
        separate();
        m_out += "null";
    }

private:
    void open(char c)
    {
        separate();
        m_out += c;
        m_first = true;
    }
    void close(char c)
    {
        m_out += c;
        m_first = false;
    }
    void separate()
    {
        if (m_afterKey)
            m_afterKey = false;
        else if (!m_first)
            m_out += ',';
        m_first = false;
    }
    void writeString(QStringView s)
    {
        static constexpr char Hex[] = "0123456789abcdef";
        const QByteArray utf8 = s.toUtf8();
        m_out += '"';
        for (const char ch : utf8) {
            const auto c = static_cast<unsigned char>(ch);
            if (c == '"' || c == '\\') {
                m_out += '\\';
                m_out += ch;
            } else if (c < 0x20) {
                switch (c) {
                case '\n':
                    m_out += "\\n";
                    break;
                case '\r':
                    m_out += "\\r";
                    break;
                case '\t':
                    m_out += "\\t";
                    break;
                case '\b':
                    m_out += "\\b";
                    break;
                case '\f':
                    m_out += "\\f";
                    break;
                default:
                    m_out += "\\u00";
                    m_out += Hex[c >> 4];
                    m_out += Hex[c & 0xF];
                }
            } else {
                m_out += ch;
            }
        }
        m_out += '"';
    }

    QByteArray &m_out;
    bool m_first = true;
    bool m_afterKey = false;
};

// Writes CBOR with indefinite-length maps and arrays (valid RFC 8949, read by every decoder).
class CborWriter
{
public:
    explicit CborWriter(QByteArray &out)
        : m_writer(&out)
    {
    }

    void beginMap() { m_writer.startMap(); }
    void endMap() { m_writer.endMap(); }
    void beginArray() { m_writer.startArray(); }
    void endArray() { m_writer.endArray(); }
    void key(QLatin1StringView k) { m_writer.append(k); }
    void text(QStringView s) { m_writer.append(s); }
    void text(QLatin1StringView s) { m_writer.append(s); }
    void decimal(const Decimal &d)
    {
        const QByteArray s = d.toUtf8();
        m_writer.appendTextString(s.constData(), s.size());
    }
    void integer(std::int64_t v) { m_writer.append(qint64(v)); }
    void boolean(bool b) { m_writer.append(b); }
    void null() { m_writer.appendNull(); }

private:
    QCborStreamWriter m_writer;
};

template<typename W> struct Encoder
{
    W &w;

    void field(QLatin1StringView k, QStringView v) { w.key(k), w.text(v); }
    void field(QLatin1StringView k, const QString &v) { w.key(k), w.text(QStringView(v)); }
    void field(QLatin1StringView k, QLatin1StringView v) { w.key(k), w.text(v); }
    void field(QLatin1StringView k, const Decimal &v) { w.key(k), w.decimal(v); }
    void field(QLatin1StringView k, std::int64_t v) { w.key(k), w.integer(v); }
    void field(QLatin1StringView k, int v) { w.key(k), w.integer(v); }
    void field(QLatin1StringView k, bool v) { w.key(k), w.boolean(v); }
    template<typename E>
    requires std::is_enum_v<E>
    void field(QLatin1StringView k, E v) { w.key(k), w.text(toString(v)); }
    // Present-or-null: the field is always written so schemas stay fixed.
    template<typename T> void nullable(QLatin1StringView k, const std::optional<T> &v)
    {
        if (v)
            field(k, *v);
        else
            w.key(k), w.null();
    }
    // Present-or-absent.
    template<typename T> void optional(QLatin1StringView k, const std::optional<T> &v)
    {
        if (v)
            field(k, *v);
    }
    void field(QLatin1StringView k, const QStringList &list)
    {
        w.key(k);
        w.beginArray();
        for (const QString &s : list)
            w.text(QStringView(s));
        w.endArray();
    }
    template<typename T> void list(QLatin1StringView k, const QList<T> &items)
    {
        w.key(k);
        w.beginArray();
        for (const T &item : items)
            object(item);
        w.endArray();
    }
    void levels(QLatin1StringView k, const QList<BookLevel> &levels)
    {
        w.key(k);
        w.beginArray();
        for (const BookLevel &l : levels) {
            w.beginArray();
            w.decimal(l.price);
            w.decimal(l.qty);
            w.endArray();
        }
        w.endArray();
    }

    // A nested object (snapshot entries): the same fields as the message, without `type`.
    template<typename T> void object(const T &m)
    {
        w.beginMap();
        body(m);
        w.endMap();
    }

    void body(const Subscribe &m)
    {
        field("id"_L1, m.id);
        field("channel"_L1, m.channel);
        if (m.channel != Channel::Orders)
            field("symbols"_L1, m.symbols);
        optional("depth"_L1, m.depth);
        optional("interval"_L1, m.interval);
        if (m.resume) {
            w.key("resume"_L1);
            w.beginMap();
            field("epoch"_L1, m.resume->epoch);
            field("seq"_L1, m.resume->seq);
            w.endMap();
        }
    }
    void body(const Unsubscribe &m)
    {
        field("id"_L1, m.id);
        field("channel"_L1, m.channel);
        if (m.channel != Channel::Orders)
            field("symbols"_L1, m.symbols);
        optional("interval"_L1, m.interval);
    }
    void body(const ListSymbols &m) { field("id"_L1, m.id); }
    void body(const PlaceOrder &m)
    {
        field("id"_L1, m.id);
        field("client_order_id"_L1, m.clientOrderId);
        field("symbol"_L1, m.symbol);
        field("side"_L1, m.side);
        field("order_type"_L1, m.orderType);
        field("qty"_L1, m.qty);
        optional("price"_L1, m.price);
    }
    void body(const CancelOrder &m)
    {
        field("id"_L1, m.id);
        field("order_id"_L1, m.orderId);
    }
    void body(const CancelAll &m)
    {
        field("id"_L1, m.id);
        optional("symbol"_L1, m.symbol);
    }
    void body(const Ping &m)
    {
        field("id"_L1, m.id);
        field("t"_L1, m.t);
    }
    void body(const Welcome &m)
    {
        field("protocol"_L1, m.protocol);
        field("session"_L1, m.session);
        field("ts"_L1, m.ts);
        field("heartbeat_ms"_L1, m.heartbeatMs);
        nullable("account"_L1, m.account);
        optional("source"_L1, m.source);
        optional("trading"_L1, m.trading);
    }
    void body(const Ack &m)
    {
        field("id"_L1, m.id);
        optional("channel"_L1, m.channel);
        optional("symbols"_L1, m.symbols);
        optional("recovered"_L1, m.recovered);
        optional("order_id"_L1, m.orderId);
        optional("status"_L1, m.status);
        optional("cancelled"_L1, m.cancelled);
    }
    void body(const Error &m)
    {
        optional("id"_L1, m.id);
        field("code"_L1, m.code);
        field("message"_L1, m.message);
        optional("symbol"_L1, m.symbol);
    }
    void body(const InstrumentInfo &m)
    {
        field("symbol"_L1, m.symbol);
        field("name"_L1, m.name);
        field("base"_L1, m.base);
        field("quote"_L1, m.quote);
        field("tick_size"_L1, m.tickSize);
        field("lot_size"_L1, m.lotSize);
    }
    void body(const Symbols &m)
    {
        field("id"_L1, m.id);
        list("symbols"_L1, m.symbols);
    }
    void body(const Ticker &m)
    {
        field("symbol"_L1, m.symbol);
        field("seq"_L1, m.seq);
        field("ts"_L1, m.ts);
        field("last"_L1, m.last);
        field("bid"_L1, m.bid);
        field("bid_size"_L1, m.bidSize);
        field("ask"_L1, m.ask);
        field("ask_size"_L1, m.askSize);
        field("open_24h"_L1, m.open24h);
        field("high_24h"_L1, m.high24h);
        field("low_24h"_L1, m.low24h);
        field("volume_24h"_L1, m.volume24h);
    }
    void body(const Trade &m)
    {
        field("symbol"_L1, m.symbol);
        field("seq"_L1, m.seq);
        field("ts"_L1, m.ts);
        field("trade_id"_L1, m.tradeId);
        field("price"_L1, m.price);
        field("qty"_L1, m.qty);
        field("side"_L1, m.side);
    }
    void body(const TradesSnapshot &m)
    {
        field("symbol"_L1, m.symbol);
        list("trades"_L1, m.trades);
    }
    void body(const Book &m)
    {
        field("symbol"_L1, m.symbol);
        field("seq"_L1, m.seq);
        field("ts"_L1, m.ts);
        field("snapshot"_L1, m.snapshot);
        levels("bids"_L1, m.bids);
        levels("asks"_L1, m.asks);
        field("checksum"_L1, std::int64_t(m.checksum));
    }
    void body(const Candle &m)
    {
        field("symbol"_L1, m.symbol);
        field("interval"_L1, m.interval);
        field("seq"_L1, m.seq);
        field("t"_L1, m.t);
        field("o"_L1, m.o);
        field("h"_L1, m.h);
        field("l"_L1, m.l);
        field("c"_L1, m.c);
        field("v"_L1, m.v);
        field("closed"_L1, m.closed);
    }
    void body(const CandlesSnapshot &m)
    {
        field("symbol"_L1, m.symbol);
        field("interval"_L1, m.interval);
        list("candles"_L1, m.candles);
    }
    void body(const Order &m)
    {
        field("epoch"_L1, m.epoch);
        field("seq"_L1, m.seq);
        field("order_id"_L1, m.orderId);
        field("client_order_id"_L1, m.clientOrderId);
        field("symbol"_L1, m.symbol);
        field("side"_L1, m.side);
        field("order_type"_L1, m.orderType);
        nullable("price"_L1, m.price);
        field("qty"_L1, m.qty);
        field("filled_qty"_L1, m.filledQty);
        nullable("avg_fill_price"_L1, m.avgFillPrice);
        nullable("last_fill_qty"_L1, m.lastFillQty);
        nullable("last_fill_price"_L1, m.lastFillPrice);
        field("status"_L1, m.status);
        nullable("reason"_L1, m.reason);
        field("ts"_L1, m.ts);
    }
    void body(const Position &m)
    {
        field("epoch"_L1, m.epoch);
        field("seq"_L1, m.seq);
        field("symbol"_L1, m.symbol);
        field("qty"_L1, m.qty);
        field("avg_price"_L1, m.avgPrice);
        field("realized_pnl"_L1, m.realizedPnl);
    }
    void body(const OrdersSnapshot &m)
    {
        field("epoch"_L1, m.epoch);
        field("seq"_L1, m.seq);
        list("orders"_L1, m.orders);
        list("positions"_L1, m.positions);
    }
    void body(const Heartbeat &m) { field("ts"_L1, m.ts); }
    void body(const Pong &m)
    {
        field("id"_L1, m.id);
        field("t"_L1, m.t);
        field("ts"_L1, m.ts);
    }
    void body(const SourceStatus &m)
    {
        field("source"_L1, m.source);
        field("state"_L1, m.state);
        field("reconnects"_L1, m.reconnects);
        field("last_message_ts"_L1, m.lastMessageTs);
        field("ts"_L1, m.ts);
    }
};

template<typename W> void encodeWith(W &writer, const Message &message)
{
    Encoder<W> encoder{writer};
    writer.beginMap();
    encoder.field("type"_L1, typeName(message));
    std::visit([&encoder](const auto &m) { encoder.body(m); }, message);
    writer.endMap();
}

} // namespace

QByteArray encode(const Message &message, Encoding encoding)
{
    QByteArray out;
    out.reserve(256);
    if (encoding == Encoding::Json) {
        JsonWriter writer(out);
        encodeWith(writer, message);
    } else {
        CborWriter writer(out);
        encodeWith(writer, message);
    }
    return out;
}

} // namespace tickwire::protocol
