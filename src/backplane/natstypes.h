// Values exchanged with NatsClient: errors, messages, headers, stream settings.
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QMetaType>
#include <QtCore/QPair>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <cstdint>

namespace tickwire::backplane {

// An error as a value: what kind (callers branch on it) and a text for people.
struct NatsError
{
    enum class Kind {
        None,
        InvalidArgument, // refused before anything was sent (bad subject, empty list...)
        NotConnected, // no connection object (open() not called or failed)
        NoResponders, // nobody subscribes to the request's subject
        Timeout, // no reply within the request's timeout
        Cancelled, // cancel() or the client went away
        JetStream, // the JetStream API answered with an error (code, errorCode)
        Protocol, // an answer that could not be understood
        Library, // libnats refused the call
    };
    Kind kind = Kind::None;
    QString text;
    int code = 0; // JetStream: HTTP-like code (404, 503...); libnats: its natsStatus
    int errorCode = 0; // JetStream: err_code (10058 stream name in use...)

    [[nodiscard]] bool isError() const { return kind != Kind::None; }
};

// Header fields in the order they were given; a key may repeat.
using NatsHeaders = QList<QPair<QByteArray, QByteArray>>;

struct NatsMessage
{
    QString subject;
    QByteArray payload;
    NatsHeaders headers;
    QString replyTo; // empty unless the sender expects a reply (see NatsClient::respond)
    std::uint64_t sequence = 0; // the stream sequence, for messages read from a stream

    // The first value of a header, or a null QByteArray.
    [[nodiscard]] QByteArray header(const QByteArray &key) const;
};

// A JetStream stream as NatsClient::ensureStream creates or updates it. File storage,
// limits retention.
struct StreamConfig
{
    QString name;
    QStringList subjects;
    int replicas = 1; // 1 or 3
    std::int64_t maxMessagesPerSubject = -1; // -1: unlimited
    std::int64_t duplicateWindowMs = 120'000; // Nats-Msg-Id dedup window
    bool allowDirect = false; // let any replica answer direct gets
};

// The acknowledgement of a JetStream publish.
struct PublishAck
{
    QString stream;
    std::uint64_t sequence = 0;
    bool duplicate = false; // the id was already in the stream: nothing was added
};

// A subject that publish() accepts: dot-separated non-empty tokens, no whitespace, no
// wildcards. Subscriptions may also use "*" tokens and a final ">".
[[nodiscard]] bool isValidPublishSubject(QStringView subject);
[[nodiscard]] bool isValidSubscribeSubject(QStringView subject);

// NATS header block ("NATS/1.0\r\nKey: Value\r\n\r\n") from and to fields, as JetStream's
// message get returns them.
[[nodiscard]] NatsHeaders parseHeaderBlock(const QByteArray &block);

} // namespace tickwire::backplane

Q_DECLARE_METATYPE(tickwire::backplane::NatsMessage)
Q_DECLARE_METATYPE(tickwire::backplane::NatsError)
