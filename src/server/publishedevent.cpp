#include "publishedevent.h"

namespace tickwire::server {

using namespace Qt::StringLiterals;

std::shared_ptr<const PublishedEvent> PublishedEvent::make(QString stream,
                                                           protocol::Channel channel,
                                                           std::int64_t seq,
                                                           const protocol::Message &message)
{
    auto event = std::make_shared<PublishedEvent>();
    event->stream = std::move(stream);
    event->channel = channel;
    event->seq = seq;
    event->json = QString::fromUtf8(protocol::encode(message, protocol::Encoding::Json));
    event->cbor = protocol::encode(message, protocol::Encoding::Cbor);
    return event;
}

QString streamKey(protocol::Channel channel, const QString &symbol, int tier,
                  protocol::CandleInterval interval)
{
    const QString base = QString(protocol::toString(channel)) + u':' + symbol;
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
