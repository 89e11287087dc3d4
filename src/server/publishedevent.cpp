#include "server/publishedevent.h"

#include "server/marketsimulator.h"

namespace tickwire::server {

using namespace Qt::StringLiterals;

int streamSlot(protocol::Channel channel, int tier, protocol::CandleInterval interval)
{
    switch (channel) {
    case protocol::Channel::Ticker:
        return 0;
    case protocol::Channel::Trades:
        return 1;
    case protocol::Channel::Book:
        for (std::size_t i = 0; i < BookTiers.size(); ++i) {
            if (BookTiers[i] == tier)
                return 2 + int(i);
        }
        return -1;
    case protocol::Channel::Candles:
        return 2 + int(BookTiers.size()) + int(interval);
    case protocol::Channel::Orders:
        return -1;
    }
    return -1;
}

QByteArray webSocketFrame(protocol::Encoding encoding, const QByteArray &payload)
{
    const auto size = quint64(payload.size());
    QByteArray frame;
    frame.reserve(qsizetype(size) + 10);
    frame.append(char(encoding == protocol::Encoding::Json ? 0x81 : 0x82)); // FIN + opcode
    if (size < 126) {
        frame.append(char(size));
    } else if (size <= 0xffff) {
        frame.append(char(126));
        frame.append(char(size >> 8));
        frame.append(char(size & 0xff));
    } else {
        frame.append(char(127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((size >> shift) & 0xff));
    }
    frame.append(payload);
    return frame;
}

std::shared_ptr<const PublishedEvent>
PublishedEvent::make(QString stream, protocol::Channel channel, std::int64_t seq,
                     const protocol::Message &message, int streamId, EncodingSet encodings)
{
    auto event = std::make_shared<PublishedEvent>();
    event->stream = std::move(stream);
    event->channel = channel;
    event->seq = seq;
    event->streamId = streamId;
    for (const protocol::Encoding e : {protocol::Encoding::Json, protocol::Encoding::Cbor}) {
        const bool wanted = e == protocol::Encoding::Json ? encodings.json : encodings.cbor;
        if (!wanted)
            continue;
        QByteArray frame = webSocketFrame(e, protocol::encode(message, e));
        (e == protocol::Encoding::Json ? event->jsonFrame : event->cborFrame) = std::move(frame);
    }
    return event;
}

QString streamKey(protocol::Channel channel, const QString &symbol, int tier,
                  protocol::CandleInterval interval)
{
    QString base = QString(protocol::toString(channel)) + u':' + symbol;
    switch (channel) {
    case protocol::Channel::Book:
        return base + u':' + QString::number(tier);
    case protocol::Channel::Candles:
        return base + u':' + protocol::toString(interval);
    default:
        return base;
    }
}

} // namespace tickwire::server
