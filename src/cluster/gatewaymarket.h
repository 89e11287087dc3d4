// GatewayMarket: a gateway's market, served by the engine over the NATS backplane.
#pragma once

#include "backplane/natsclient.h"
#include "cluster/subjects.h"
#include "server/marketbackend.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>

#include <optional>
#include <vector>

class QTimer;

namespace tickwire::cluster {

struct GatewayOptions
{
    backplane::NatsOptions nats;
    int engineSilenceMs = 2'000; // no engine heartbeat for this long: the engine is down
    int requestTimeoutMs = 3'000; // one request to the engine
    // Order requests wait for an unreachable engine, and are retried (nobody answered, or a
    // timeout of a request that is safe to repeat), until this long after they came in; then
    // the client gets an `unavailable` error.
    int orderDeadlineMs = 6'000;
    int historyTimeoutMs = 10'000; // reading an account's events from the stream
    // Events from NATS reach the workers in batches at most this old: a worker writes a
    // batch to each socket at once, so one message per batch would cost a write per client
    // per message. (The engine publishes trades every 10 ms.)
    int batchMs = 2;
};

// The MarketBackend of a gateway (`tickwire-feed --role gateway`), on the server's engine
// thread. It has no market of its own:
//   - it subscribes on NATS to the subject of each market stream its sessions want, and
//     publishes the engine's events to the workers as they are (same seq, same checksum; the
//     JSON text framed as is, CBOR encoded once per gateway when someone wants it);
//   - a stream's seq that skips (a message lost on NATS, a slow consumer, a reconnect, an
//     engine that restarted) resyncs the stream's subscribers from a fresh snapshot;
//   - snapshots come from the engine by request/reply; events that arrive while one is on its
//     way are kept and appended to it, so nothing between the two is lost;
//   - an `orders` subscription with a resume point is recovered from the account stream in
//     JetStream (subscribe live first, read the history, merge: recovered:true), else from
//     the engine (orders_snapshot, recovered:false); a seq that skips on an account subject is
//     filled from the stream before anything later is published;
//   - order requests go to the engine by request/reply; while the engine or NATS cannot be
//     reached they are refused with `unavailable`, and every session hears source_status
//     `down`.
class GatewayMarket : public server::MarketBackend
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewayMarket)

public:
    GatewayMarket(EngineInfo engine, GatewayOptions options);
    ~GatewayMarket() override;

    void start() override;
    void snapshots(const QList<server::StreamRef> &streams, const SnapshotsDone &done) override;
    void resyncSnapshot(int streamId, const server::StreamRef &stream,
                        const ResyncDone &done) override;
    void orderRequest(const QString &account, const protocol::Message &request,
                      const server::OrderService::Reply &reply) override;

    // Fetches the engine's EngineInfo (with the instruments), waiting (with an event loop) until
    // the engine answers or `timeoutMs` passes (< 0: forever). Logs while it waits.
    [[nodiscard]] static std::optional<EngineInfo>
    fetchEngineInfo(const backplane::NatsOptions &nats, int timeoutMs, QString *error);

private:
    using Held = QList<std::pair<std::int64_t, QByteArray>>; // (seq, JSON)
    struct Stream
    {
        server::StreamRef ref;
        QString key; // server::streamKey
        QString subject;
        quint64 subscription = 0;
        std::int64_t lastSeq = -1; // last seq received on NATS; -1: none since (re)subscribing
        int waiting = 0; // snapshot requests in flight
        Held held; // events received while one is in flight
    };
    struct Account
    {
        QString subject;
        quint64 subscription = 0;
        std::int64_t epoch = 0;
        // Last seq published to the workers: every session of the account has everything up
        // to it, or skips it as older than its own position. Only publishing moves it (and
        // the first subscription's position, before anything is published).
        std::int64_t lastSeq = -1;
        int waiting = 0; // subscribe requests in flight
        Held recent; // events received while one is in flight
        bool filling = false; // reading a gap from the stream; events wait in `held`
        Held held;
        Held published; // the latest events published to the workers (the last 256)
    };
    struct Snapshot
    {
        std::int64_t seq = 0;
        QList<protocol::Message> messages;
        Held trailing; // events after it (seq > seq), to send after the messages
    };
    using SnapshotDone = std::function<void(const std::optional<Snapshot> &snapshot)>;

    void onMessage(quint64 subscription, const backplane::NatsMessage &message);
    void onMarket(int streamId, const backplane::NatsMessage &message);
    void onAccount(const QString &account, const backplane::NatsMessage &message);
    void onHeartbeat(const backplane::NatsMessage &message);
    void checkEngine();
    void setReachable(bool reachable);
    void resyncAll();
    // Unsubscribes the subjects of streams no session wants any more.
    void dropUnwanted();
    Stream &subscribed(int streamId);
    Account &account(const QString &name);
    void requestSnapshot(int streamId, const SnapshotDone &done);
    void sendOrder(const QString &account, const protocol::Message &request,
                   const server::OrderService::Reply &reply, std::int64_t deadlineMs);
    void subscribeOrders(const QString &account, const protocol::Subscribe &request,
                         const server::OrderService::Reply &reply);
    void forwardSubscribe(const QString &account, const protocol::Subscribe &request,
                          const server::OrderService::Reply &reply);
    // Fills a gap of the account's events from the stream; live events wait meanwhile.
    void fillAccount(const QString &account);
    void readAccountHistory(const QString &account);
    void publishAccountEvent(const QString &account, std::int64_t seq, const QByteArray &json);
    // Extends a subscription's answer, which ends at `position`, with what the account's other
    // sessions were given meanwhile or are about to be: the events received live while it was
    // on its way and those published since, in order and without a gap. The session's position
    // is then at least the account's, so it never misses what is published next.
    static void catchUp(Account &account, QList<protocol::Message> *messages,
                        std::int64_t *position);
    void append(server::PublishedEventPtr event);
    void flush();
    [[nodiscard]] server::PublishedEventPtr makeEvent(const QString &key, protocol::Channel channel,
                                                      std::int64_t seq, int streamId,
                                                      const QByteArray &json,
                                                      server::EncodingSet encodings) const;
    [[nodiscard]] bool engineReachable() const { return m_reachable; }
    [[nodiscard]] std::int64_t nowMs() const { return m_clock.elapsed(); }

    EngineInfo m_engine;
    GatewayOptions m_options;
    backplane::NatsClient *m_nats = nullptr;
    QTimer *m_flushTimer = nullptr;
    QTimer *m_checkTimer = nullptr;
    QElapsedTimer m_clock;
    std::vector<Stream> m_streams; // by stream id
    QHash<QString, int> m_streamIds; // stream key -> id
    QHash<quint64, int> m_streamBySubscription;
    QHash<QString, Account> m_accounts;
    QHash<quint64, QString> m_accountBySubscription;
    quint64 m_heartbeatSubscription = 0;
    std::int64_t m_lastHeartbeatMs = -1;
    std::int64_t m_lastHeartbeatTs = 0;
    bool m_reachable = false;
    bool m_wasDown = false; // clients heard `down`: they hear `live` again when it is back
    std::optional<protocol::SourceStatus> m_sentStatus;
    server::PublishedBatch m_batch;
};

} // namespace tickwire::cluster
