// NatsReply: the outcome of one asynchronous NatsClient call, like QNetworkReply.
#pragma once

#include "backplane/natstypes.h"

#include <QtCore/QObject>

namespace tickwire::backplane {

class NatsClient;

// Lives on the client's thread and is owned by the caller (deleteLater it after finished();
// deleting it earlier cancels the call). finished() is emitted exactly once, always from the
// event loop (never from inside the call that created it), so connecting after the call is safe.
// Which results are filled depends on the call: message() for request and lastMessage,
// messages() for readSubject, ack() for publishToStream.
class NatsReply : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NatsReply)
public:
    ~NatsReply() override;

    [[nodiscard]] bool isFinished() const { return m_finished; }
    [[nodiscard]] const NatsError &error() const { return m_error; }
    [[nodiscard]] const NatsMessage &message() const { return m_message; }
    [[nodiscard]] const QList<NatsMessage> &messages() const { return m_messages; }
    [[nodiscard]] const PublishAck &ack() const { return m_ack; }
    // Attempts that failed and were retried (publishToStream, readSubject).
    [[nodiscard]] int retries() const { return m_retries; }

    // Stops the call: no further attempt, finished() with a Cancelled error. Note that a
    // publish already sent may still have been stored.
    void cancel();

Q_SIGNALS:
    void finished();
    // An attempt failed and another follows after delayMs (the same Nats-Msg-Id for publishes).
    void retrying(int attempt, const tickwire::backplane::NatsError &error, int delayMs);

private:
    friend class NatsClient;
    explicit NatsReply(NatsClient *client);

    NatsClient *m_client;
    NatsError m_error;
    NatsMessage m_message;
    QList<NatsMessage> m_messages;
    PublishAck m_ack;
    int m_retries = 0;
    bool m_finished = false;
};

} // namespace tickwire::backplane
