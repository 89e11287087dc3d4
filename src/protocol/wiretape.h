#pragma once

// Internal to the decoder (decode.cpp): one pass over a JSON or CBOR payload that checks its
// syntax and records every value as a node of a flat "tape", strings and numbers as spans of
// the payload, so that reading the typed fields afterwards touches each byte once more at most.

#include <QtCore/QByteArrayView>
#include <QtCore/QString>

#include <cstdint>
#include <memory>

namespace tickwire::protocol::wire {

// Every field name the messages of tickwire/1 use, so map keys are matched once, while the
// payload is scanned, and looked up afterwards by index.
enum class Field : std::uint8_t {
    Unknown,
    Type,
    Id,
    Channel,
    Symbols,
    Depth,
    Interval,
    Resume,
    Epoch,
    Seq,
    ClientOrderId,
    Symbol,
    Side,
    OrderType,
    Qty,
    Price,
    OrderId,
    T,
    Protocol,
    Session,
    Ts,
    HeartbeatMs,
    Account,
    Recovered,
    Status,
    Cancelled,
    Code,
    Message,
    Name,
    Base,
    Quote,
    TickSize,
    LotSize,
    Last,
    Bid,
    BidSize,
    Ask,
    AskSize,
    Open24h,
    High24h,
    Low24h,
    Volume24h,
    TradeId,
    Trades,
    Snapshot,
    Bids,
    Asks,
    Checksum,
    O,
    H,
    L,
    C,
    V,
    Closed,
    Candles,
    FilledQty,
    AvgFillPrice,
    LastFillQty,
    LastFillPrice,
    Reason,
    AvgPrice,
    RealizedPnl,
    Orders,
    Positions,
    Source,
    Trading,
    State,
    Reconnects,
    LastMessageTs,
    Count
};

[[nodiscard]] QLatin1StringView fieldName(Field field);
// The field spelled by these bytes, Unknown for any other key.
[[nodiscard]] Field fieldFromName(QByteArrayView name);

enum class Kind : std::uint8_t {
    Undefined, // CBOR undefined: reads like an absent field
    Null,
    False,
    True,
    Integer,
    Double,
    String,
    Bytes,
    Array,
    Map,
    Other, // CBOR tags and other simple values
};

enum StringFlag : std::uint8_t {
    NonAscii = 1, // a byte >= 0x80 (valid UTF-8, or after a JSON backslash)
    Escaped = 2, // JSON backslash escapes: the span is the raw text between the quotes
    Chunked = 4, // CBOR indefinite-length string: the span covers the chunks and the break
};

// A string's bytes in the payload.
struct Span
{
    std::int32_t offset;
    std::int32_t length;
};

struct Node
{
    Kind kind = Kind::Undefined;
    std::uint8_t flags = 0; // StringFlag
    Field key = Field::Unknown; // for the key nodes of a map
    std::int32_t end = 0; // index of the node after this one's subtree
    std::int32_t count = 0; // items of an array, members of a map
    union {
        std::int64_t integer = 0;
        double real;
        Span span; // a named type: an anonymous struct in a union is a compiler extension
    };
};

// The tape's nodes, in one allocation sized for the payload before a scan (every node takes at
// least one byte of input), so appending never reallocates. Kept from message to message.
class NodeBuffer
{
public:
    void prepare(std::size_t maxNodes)
    {
        if (maxNodes > m_capacity) {
            m_data = std::make_unique<Node[]>(maxNodes);
            m_capacity = maxNodes;
        }
        m_size = 0;
    }
    // A node with every field reset; its index is size() - 1.
    Node &append()
    {
        Q_ASSERT(m_size < m_capacity);
        Node &node = m_data[m_size];
        node = Node();
        node.end = std::int32_t(++m_size);
        return node;
    }
    void truncate(std::size_t size) { m_size = size; }
    void release()
    {
        m_data.reset();
        m_capacity = m_size = 0;
    }
    [[nodiscard]] std::size_t size() const { return m_size; }
    [[nodiscard]] std::size_t capacity() const { return m_capacity; }
    Node &operator[](std::size_t i) { return m_data[i]; }
    const Node &operator[](std::size_t i) const { return m_data[i]; }
    [[nodiscard]] const Node &front() const { return m_data[0]; }

private:
    std::unique_ptr<Node[]> m_data;
    std::size_t m_capacity = 0;
    std::size_t m_size = 0;
};

// A map's children are its members' key node and value node, alternately.
struct Tape
{
    QByteArrayView bytes;
    NodeBuffer nodes; // nodes[0] is the payload's top-level value
    bool cbor = false;
    QString error; // why the payload is malformed; empty when it parsed

    [[nodiscard]] QByteArrayView spanOf(const Node &node) const
    {
        return bytes.sliced(node.span.offset, node.span.length);
    }
    // The text of a String node (JSON escapes resolved, CBOR chunks joined), without leading
    // U+FEFFs: QString::fromUtf8, and so QJsonDocument (for a string without escapes) and
    // QCborValue, takes one for a byte order mark, so no form keeps any; a decoded string then
    // comes back the same through JSON and CBOR.
    [[nodiscard]] QString text(const Node &node) const;

private:
    [[nodiscard]] QString textAsWritten(const Node &node) const;
};

// Both fill `tape` and return false with tape.error set on malformed input. JSON follows the
// grammar Qt's QJsonDocument accepts (top level object or array, 1024 levels); CBOR is RFC 8949
// with valid UTF-8 text and 1024 levels, as QCborValue::fromCbor reads it; `consumed` is where
// the first data item ends.
bool parseJson(QByteArrayView bytes, Tape &tape);
bool parseCbor(QByteArrayView bytes, Tape &tape, qsizetype &consumed);

} // namespace tickwire::protocol::wire
