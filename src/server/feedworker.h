#pragma once

#include "feedserver.h"
#include "publishedevent.h"
#include "tokenstore.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtNetwork/QSslConfiguration>

#include <memory>
#include <optional>

class QTcpSocket;
class QTimer;
class QWebSocket;
class QWebSocketServer;

namespace tickwire::server {

class MarketEngine;

// What every worker shares; read-only after start (counters are atomic).
struct WorkerContext
{
    FeedServerOptions options;
    std::shared_ptr<const TokenStore> tokens;
    std::shared_ptr<SharedCounters> counters;
    std::optional<QSslConfiguration> tls;
    QList<protocol::InstrumentInfo> symbols;
    MarketEngine *engine = nullptr; // engine thread: queued calls only
};

// One serving thread: owns its client sockets (created here from descriptors the acceptor
// hands over) and its own QWebSocketServer used only for handshakes. Receives market events
// from the engine as queued batches and fans the shared bytes out to its sessions.
// Every method runs on the worker's thread.
class FeedWorker : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FeedWorker)

public:
    explicit FeedWorker(std::shared_ptr<const WorkerContext> context, QObject *parent = nullptr);
    ~FeedWorker() override;

    void init();
    void adopt(qintptr socketDescriptor);
    void deliver(const tickwire::server::PublishedBatch &batch);
    // Closes every session with 1001 (going away).
    void shutdown();

private:
    struct StreamRef
    {
        protocol::Channel channel = protocol::Channel::Ticker;
        QString symbol;
        int tier = 0;
        protocol::CandleInterval interval = protocol::CandleInterval::M1;
    };
    struct Session;

    void onNewConnection();
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

    void send(Session *session, const protocol::Message &message);
    void sendEvent(Session *session, const PublishedEvent &event);
    void afterSend(Session *session, qint64 bytes);
    void closeSession(Session *session, int code, const QString &reason);
    [[nodiscard]] bool admitRequest(Session *session, std::int64_t nowMs);
    [[nodiscard]] bool knownSymbol(const QString &symbol) const;

    std::shared_ptr<const WorkerContext> m_context;
    QWebSocketServer *m_handshakes = nullptr;
    QTimer *m_timer = nullptr;
    bool m_shutDown = false; // shutdown(): no new sessions, no more requests to the engine
    QHash<QWebSocket *, Session *> m_sessions;
    QHash<quint64, Session *> m_byId;
    QHash<QString, QTcpSocket *> m_handshaking; // "address|port" -> socket not yet upgraded
    QList<Session *> m_graveyard; // disconnected, freed on the next event-loop turn
    QHash<QString, QList<Session *>> m_subscribers; // stream -> sessions (active or pending)
    QHash<QString, int> m_symbolIndex;
    quint64 m_nextSessionId = 1;
};

} // namespace tickwire::server
