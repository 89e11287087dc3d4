#pragma once

#include "server/feedserveroptions.h"
#include "server/publishedevent.h"
#include "server/resyncqueue.h"
#include "server/serverstats.h"
#include "server/streaminterest.h"
#include "server/subscriptionregistry.h"
#include "server/tokenstore.h"
#include "server/workerinbox.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtNetwork/QSslConfiguration>

#include <memory>
#include <optional>
#include <vector>

class QTcpSocket;
class QTimer;
class QWebSocket;

namespace tickwire::server {

class Handshakes;
class MarketBackend;
class Session;

// What every worker shares; read-only after start (counters are atomic).
struct WorkerContext
{
    FeedServerOptions options;
    std::shared_ptr<const TokenStore> tokens;
    std::shared_ptr<SharedCounters> counters;
    std::optional<QSslConfiguration> tls;
    QList<protocol::InstrumentInfo> symbols;
    std::shared_ptr<StreamInterest> interest; // market streams subscribed, over all workers
    MarketBackend *backend = nullptr; // its own thread: queued calls only
    QString sourceName; // welcome.source: "sim", "replay" or the exchange's name
    bool paperTrading = false; // orders fill against a market the exchange does not own
};

// One serving thread, the coordinator of its sessions: adopts the client sockets the acceptor
// hands over (TLS, the WebSocket handshake through its own QWebSocketServer and its deadline),
// authenticates, validates and answers requests, asks the engine for snapshots and orders, and
// fans the engine's batches out of its bounded inbox to its sessions' sockets. The parts have
// their own classes: Session (a connection's state and rules), RequestRateLimiter,
// SubscriptionRegistry (sessions by stream), fanOutStep() (the fan-out's rule per event),
// ResyncQueue, CloseLinger. Every method runs on the worker's thread, except inbox().
class FeedWorker : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FeedWorker)

public:
    explicit FeedWorker(std::shared_ptr<const WorkerContext> context, QObject *parent = nullptr);
    ~FeedWorker() override;

    // Where the engine puts batches and replies for this worker (any thread).
    [[nodiscard]] std::shared_ptr<WorkerInbox> inbox() const { return m_inbox; }

    void init();
    // The market source's health changed: every session hears it, new ones after the welcome.
    void setSourceStatus(const protocol::SourceStatus &status);
    void adopt(qintptr socketDescriptor);
    // Takes and handles everything waiting in the inbox (the inbox wakes this).
    void drainInbox();
    // Closes every session with 1001 (going away).
    void shutdown();

private:
    void onUpgraded(QWebSocket *socket, QTcpSocket *tcp);
    void onMessage(Session *session, QByteArrayView payload, protocol::Encoding encoding);
    void onDisconnected(QWebSocket *socket);
    void onBytesWritten(Session *session);
    void onTimer();

    void subscribe(Session *session, const protocol::Subscribe &request);
    void unsubscribe(Session *session, const protocol::Unsubscribe &request);
    void orderRequest(Session *session, const protocol::Message &request);
    void requestSnapshots(Session *session, const QList<StreamRef> &streams);
    void applySnapshots(quint64 sessionId, const QList<StreamSnapshot> &snapshots);
    void applyOrderReply(quint64 sessionId, const QList<protocol::Message> &messages,
                         std::optional<std::int64_t> ordersSeq, const QString &stream);
    void addStream(Session *session, const QString &key, const StreamRef &ref);
    void removeStream(Session *session, const QString &key);
    void unlistAll(Session *session);

    void deliver(const PublishedBatch &batch);
    // Market events the inbox dropped: their subscribers wait for a resync (ResyncQueue).
    void resyncDropped(const QHash<int, qint64> &dropped);
    // Asks the engine for the snapshots the resync queue lets go now.
    void requestResyncs();
    // One stream's snapshot for its subscribers that lost events, within the turn's budget.
    void applyResync(int streamId, const PublishedBatch &frames);
    void writeFrame(Session *session, const QByteArray &frame);
    void settleBatch();
    void send(Session *session, const protocol::Message &message);
    // Hands the session's written frames to the kernel and acts on its backlog.
    void flushSession(Session *session);
    void publishCounters();
    void closeSession(Session *session, int code, const QString &reason);

    std::shared_ptr<const WorkerContext> m_context;
    Handshakes *m_handshakes = nullptr;
    QTimer *m_timer = nullptr;
    bool m_shutDown = false; // shutdown(): no new sessions, no more requests to the engine
    QHash<QWebSocket *, Session *> m_sessions;
    QHash<quint64, Session *> m_byId;
    QList<Session *> m_graveyard; // disconnected, freed on the next event-loop turn
    SubscriptionRegistry m_registry; // sessions per stream (active or pending)
    std::shared_ptr<WorkerInbox> m_inbox;
    ResyncQueue m_resync;
    std::vector<int> m_resyncCursor; // by stream id: the subscriber the next resync starts at
    QList<Session *> m_written; // sessions written to in the current batch
    std::int64_t m_batchNowMs = 0;
    bool m_inTurn = false; // in drainInbox(): send() leaves the flush to the turn's settleBatch()
    qint64 m_unpublishedMessages = 0; // sent, not yet added to the shared counters
    qint64 m_unpublishedBytes = 0;
    qint64 m_unpublishedTradesDropped = 0;
    quint64 m_nextSessionId = 1;
    std::optional<protocol::SourceStatus> m_sourceStatus; // live sources only
};

} // namespace tickwire::server
