// NatsClient: a NATS connection (core and JetStream) for one Qt thread.
#pragma once

#include "backplane/natsreply.h"
#include "backplane/natstypes.h"

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>

namespace tickwire::backplane {

struct NatsOptions
{
    QStringList urls; // nats://host:port; tried in this order, then those the cluster advertises
    QString name; // the connection name the servers show (monitoring /connz)
    int connectTimeoutMs = 2'000; // per server and attempt
    int reconnectWaitMs = 250; // between rounds over the server list; reconnects never stop
    // Per subscription: messages received and not yet delivered on the owner's thread (and
    // libnats's own buffer). Beyond it messages are dropped and slowConsumer() is emitted.
    int pendingMessagesLimit = 65'536;
    int pendingBytesLimit = 64 * 1024 * 1024;
};

// Backoff between attempts of publishToStream (forever) and readSubject (until its deadline):
// the delay doubles from firstDelayMs up to maxDelayMs, each one jittered into [d/2, d].
struct RetryOptions
{
    int attemptTimeoutMs = 2'000; // wait for one acknowledgement
    int firstDelayMs = 50;
    int maxDelayMs = 1'000;
};

// One NATS connection, used from the thread that owns the object (GUI or worker). libnats
// runs its callbacks on its own threads; every one is turned into a queued call onto the
// owner's thread, so all signals and NatsReply results arrive there and nothing here blocks
// the owner's event loop on the network (open() tries each URL once with connectTimeoutMs,
// then keeps trying in the background). Errors are values: NatsError or a NatsReply's error().
class NatsClient : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NatsClient)
    Q_PROPERTY(State state READ state NOTIFY stateChanged FINAL)
    Q_PROPERTY(QString connectedUrl READ connectedUrl NOTIFY connectedUrlChanged FINAL)
public:
    enum class State { Idle, Connecting, Connected, Reconnecting, Closed };
    Q_ENUM(State)

    explicit NatsClient(QObject *parent = nullptr);
    ~NatsClient() override;

    // Starts connecting (and reconnecting forever). Errors only for bad options; an
    // unreachable cluster is not an error: the client stays Connecting and keeps trying.
    [[nodiscard]] NatsError open(const NatsOptions &options);
    // Closes the connection; pending replies finish with Cancelled. Emits closed().
    void close();

    [[nodiscard]] State state() const { return m_state; }
    // The server in use ("nats://127.0.0.1:4223"), empty while not connected.
    [[nodiscard]] QString connectedUrl() const { return m_connectedUrl; }

    // Core NATS. Publishing while reconnecting is buffered by libnats (up to its buffer).
    [[nodiscard]] NatsError publish(const QString &subject, const QByteArray &payload,
                                    const NatsHeaders &headers = {});
    struct Subscription
    {
        quint64 id = 0;
        NatsError error;
    };
    // Messages arrive as messageReceived(id, message) on the owner's thread.
    [[nodiscard]] Subscription subscribe(const QString &subject);
    void unsubscribe(quint64 subscriptionId);
    // Answers a message that carries a reply subject (the responder side of request()).
    [[nodiscard]] NatsError respond(const NatsMessage &request, const QByteArray &payload,
                                    const NatsHeaders &headers = {});
    // The reply arrives as the NatsReply's message(); NoResponders when nobody subscribes.
    [[nodiscard]] NatsReply *request(const QString &subject, const QByteArray &payload,
                                     int timeoutMs, const NatsHeaders &headers = {});

    // JetStream. Creates the stream or, when it exists with other settings, updates it;
    // message() holds the API's JSON answer.
    [[nodiscard]] NatsReply *ensureStream(const StreamConfig &config, int timeoutMs = 5'000);
    // Publishes with a Nats-Msg-Id and retries with the same id until the stream acknowledges
    // it (or cancel()); each failed attempt emits retrying(). The stream deduplicates within its
    // duplicate window, so a retry of a stored message acks with duplicate == true.
    [[nodiscard]] NatsReply *publishToStream(const QString &subject, const QByteArray &payload,
                                             const QString &messageId,
                                             const NatsHeaders &headers = {},
                                             const RetryOptions &retry = {});
    // Every message of one subject with a stream sequence >= fromSequence, in stream order, as
    // of the moment the read reaches the end (messages()). Read by the stream leader one
    // message at a time (so no consumer state on the servers, nothing missed or repeated
    // across leader changes); retried until timeoutMs passes.
    [[nodiscard]] NatsReply *readSubject(const QString &stream, const QString &subject,
                                         std::uint64_t fromSequence, int timeoutMs = 10'000,
                                         const RetryOptions &retry = {});
    // The newest message of a subject (message()); a JetStream 404 error when it has none.
    // Read by the leader, like readSubject.
    [[nodiscard]] NatsReply *lastMessage(const QString &stream, const QString &subject,
                                         int timeoutMs = 5'000, const RetryOptions &retry = {});

Q_SIGNALS:
    void stateChanged(tickwire::backplane::NatsClient::State state);
    void connectedUrlChanged(const QString &url);
    void connected(const QString &url);
    void disconnected();
    void reconnected(const QString &url);
    void closed();
    void messageReceived(quint64 subscriptionId, const tickwire::backplane::NatsMessage &message);
    // Messages of this subscription were dropped (the owner's thread fell pendingMessagesLimit
    // behind): the subscriber has missed messages and must resynchronise. Once per episode.
    void slowConsumer(quint64 subscriptionId);
    // Asynchronous errors of the connection that no call returns (server -ERR, etc.).
    void errorOccurred(const tickwire::backplane::NatsError &error);

private:
    friend class NatsReply;
    friend struct NatsCallbacks; // libnats's callbacks (natsclient.cpp)
    struct Relay;
    using RequestDone = std::function<void(const NatsMessage &reply, const NatsError &error)>;
    struct PendingRequest
    {
        RequestDone done;
    };

    void setState(State state, const QString &url);
    [[nodiscard]] NatsError ensureInbox();
    void sendRequest(const QString &subject, const QByteArray &payload, const NatsHeaders &headers,
                     int timeoutMs, RequestDone done);
    void handleInboxMessage(quint64 token, const NatsMessage &message, bool noResponders);
    [[nodiscard]] NatsReply *newReply();
    static void finishLater(NatsReply *reply, const NatsError &error);
    static void finish(NatsReply *reply, const NatsError &error);
    void attemptPublish(const QPointer<NatsReply> &reply, const QString &subject,
                        const QByteArray &payload, const NatsHeaders &headers,
                        const RetryOptions &retry);
    void readNext(const QPointer<NatsReply> &reply, const QString &stream, const QString &subject,
                  std::uint64_t sequence, std::int64_t deadlineMs, const RetryOptions &retry);
    void fetchLast(const QPointer<NatsReply> &reply, const QString &stream, const QString &subject,
                   std::int64_t deadlineMs, const RetryOptions &retry);
    [[nodiscard]] int retryDelay(int attempt, const RetryOptions &retry);
    void forgetReply(NatsReply *reply);

    std::shared_ptr<Relay> m_relay;
    struct Handles; // libnats's connection and subscriptions (natsclient.cpp)
    std::unique_ptr<Handles> m_nats;
    quint64 m_generation = 0; // of the connection: one per open()
    State m_state = State::Idle;
    QString m_connectedUrl;
    QString m_name;
    int m_pendingMessagesLimit = 0;
    int m_pendingBytesLimit = 0;

    QString m_inboxPrefix; // "_INBOX.<unique>."; replies arrive on prefix + token
    quint64 m_nextToken = 1;
    std::unordered_map<quint64, PendingRequest> m_requests;

    quint64 m_nextSubscription = 1;
    QList<QPointer<NatsReply>> m_replies; // unfinished: cancelled when the client goes away
};

} // namespace tickwire::backplane
