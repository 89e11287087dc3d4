// EngineBridge: the engine role's side of the backplane.
#pragma once

#include "backplane/natsclient.h"
#include "cluster/subjects.h"
#include "server/publishedevent.h"

#include <QtCore/QHash>
#include <QtCore/QObject>

#include <deque>
#include <memory>
#include <vector>

class QTimer;

namespace tickwire::server {
class MarketEngine;
class StreamInterest;
} // namespace tickwire::server

namespace tickwire::cluster {

struct EngineBridgeOptions
{
    backplane::NatsOptions nats;
    QString sourceName; // what the welcome says: "sim", "replay", an exchange
    int replicas = 1; // of the account stream: 1, or 3 on a cluster of three or more
    int heartbeatMs = 500;
    int keepEvents = 10'000; // account events kept per account in the stream
};

// Puts one MarketEngine on a NATS backplane, on the engine's thread (a child of the engine):
//   - every market event, once, already stamped (seq, book checksum), as its JSON text on the
//     stream's subject (marketSubject) with its seq in a header; the engine encodes every
//     stream in JSON from then on, subscribed or not;
//   - snapshots (SnapshotSubject) and order requests (OrdersSubject) by request/reply;
//   - every account event appended to the replicated AccountStream, per account in seq order,
//     one at a time, with Nats-Msg-Id "account:epoch:seq" and retried until acknowledged. The
//     exchange's SQLite log is the outbox: at start, and whenever the next event to publish is
//     not the one after the last stored, the missing ones are read from it, so a crash between
//     commit and publish republishes (deduplicated by id), never loses;
//   - a heartbeat (EngineInfo) every heartbeatMs.
class EngineBridge : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EngineBridge)

public:
    EngineBridge(server::MarketEngine *engine, std::shared_ptr<server::StreamInterest> interest,
                 EngineBridgeOptions options);
    ~EngineBridge() override;

    // Connects and starts publishing; call on the engine thread before the engine starts.
    // False (with `error`) only for unusable options.
    [[nodiscard]] bool start(QString *error);

    [[nodiscard]] EngineInfo info() const;

Q_SIGNALS:
    // Every account event published before this one is in the stream too.
    void accountEventStored(const QString &account, std::int64_t seq);

private:
    struct Outbox
    {
        std::int64_t stored = -1; // last seq in the stream for this epoch; -1: not known yet
        std::int64_t known = 0; // highest seq the exchange has (from its log or its events)
        std::deque<std::pair<std::int64_t, QByteArray>> queue; // (seq, JSON), ascending
        bool busy = false; // a look-up or publish is in flight
    };

    void onPublished(const server::PublishedBatch &batch);
    void onRequest(quint64 subscription, const backplane::NatsMessage &message);
    void serveSnapshot(const backplane::NatsMessage &request);
    void serveOrders(const backplane::NatsMessage &request);
    void respondError(const backplane::NatsMessage &request, const QString &text);
    void publishHeartbeat();
    void ensureStream();
    void pump(const QString &account);
    void retryLater(const QString &account);

    server::MarketEngine *m_engine;
    std::shared_ptr<server::StreamInterest> m_interest;
    EngineBridgeOptions m_options;
    backplane::NatsClient *m_nats;
    QTimer *m_heartbeat;
    QString m_boot;
    std::vector<QString> m_subjects; // by stream id
    quint64 m_infoSub = 0;
    quint64 m_snapshotSub = 0;
    quint64 m_ordersSub = 0;
    bool m_streamReady = false;
    std::optional<protocol::SourceStatus> m_status;
    QHash<QString, Outbox> m_outboxes;
};

} // namespace tickwire::cluster
