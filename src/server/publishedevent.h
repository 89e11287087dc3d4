#pragma once

#include "protocol/codec.h"
#include "protocol/messages.h"

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QMetaType>
#include <QtCore/QString>

#include <memory>

namespace tickwire::server {

// Market streams are numbered so that the hot path never hashes a stream name:
// id = symbol index (instrument order) * StreamsPerSymbol + slot, where the slot is 0 ticker,
// 1 trades, 2..5 the book tiers (10, 20, 50, 100), 6..10 the candle intervals (1s 1m 5m 15m 1h).
// Account (`orders`) streams have no id (NoStreamId) and are keyed by name.
inline constexpr int StreamsPerSymbol = 11;
inline constexpr int NoStreamId = -1;
[[nodiscard]] int streamSlot(protocol::Channel channel, int tier = 0,
                             protocol::CandleInterval interval = protocol::CandleInterval::M1);

// Which encodings an event is built in.
struct EncodingSet
{
    bool json = true;
    bool cbor = true;
};

// One outgoing message encoded once per encoding, as a complete unmasked RFC 6455 frame (text
// for JSON, binary for CBOR): every subscriber gets the same bytes, written straight to its
// socket. Immutable after creation, shared across worker threads. A frame is empty when no
// subscriber wanted that encoding at publish time.
struct PublishedEvent
{
    QString stream; // streamKey(...): what a session subscribes to
    protocol::Channel channel = protocol::Channel::Ticker;
    std::int64_t seq = 0;
    int streamId = NoStreamId;
    QByteArray jsonFrame;
    QByteArray cborFrame;

    [[nodiscard]] const QByteArray &frame(protocol::Encoding encoding) const
    {
        return encoding == protocol::Encoding::Json ? jsonFrame : cborFrame;
    }

    [[nodiscard]] static std::shared_ptr<const PublishedEvent>
    make(QString stream, protocol::Channel channel, std::int64_t seq,
         const protocol::Message &message, int streamId = NoStreamId, EncodingSet encodings = {});
};

using PublishedEventPtr = std::shared_ptr<const PublishedEvent>;
using PublishedBatch = QList<PublishedEventPtr>; // in publish order

// A server-to-client WebSocket frame (FIN set, no mask) carrying `payload`.
[[nodiscard]] QByteArray webSocketFrame(protocol::Encoding encoding, const QByteArray &payload);

// Stream names: "ticker:SYM", "trades:SYM", "book:SYM:TIER", "candles:SYM:1m", "orders:ACCOUNT".
[[nodiscard]] QString streamKey(protocol::Channel channel, const QString &symbol, int tier = 0,
                                protocol::CandleInterval interval = protocol::CandleInterval::M1);

// A snapshot for one stream, encoded for one session: send `messages`, then forward only
// events of that stream with seq > `seq`.
struct StreamSnapshot
{
    QString stream;
    std::int64_t seq = 0;
    QList<protocol::Message> messages;
};

} // namespace tickwire::server

Q_DECLARE_METATYPE(tickwire::server::PublishedBatch)
