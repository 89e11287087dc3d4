#pragma once

#include "codec.h"
#include "messages.h"

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QMetaType>
#include <QtCore/QString>

#include <memory>

namespace tickwire::server {

// One outgoing message encoded once per encoding; every subscriber gets the same bytes.
// Immutable after creation, shared across worker threads.
struct PublishedEvent
{
    QString stream; // streamKey(...): what a session subscribes to
    protocol::Channel channel = protocol::Channel::Ticker;
    std::int64_t seq = 0;
    QString json; // text frame (QWebSocket::sendTextMessage takes a QString)
    QByteArray cbor;

    [[nodiscard]] static std::shared_ptr<const PublishedEvent>
    make(QString stream, protocol::Channel channel, std::int64_t seq,
         const protocol::Message &message);
};

using PublishedEventPtr = std::shared_ptr<const PublishedEvent>;
using PublishedBatch = QList<PublishedEventPtr>; // in publish order

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
