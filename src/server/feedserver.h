#pragma once

#include "instruments.h"
#include "orderservice.h"
#include "serverstats.h"

#include <QtCore/QObject>
#include <QtCore/QStringList>
#include <QtCore/QUrl>
#include <QtNetwork/QHostAddress>

#include <memory>
#include <optional>

class QThread;
class QTimer;

namespace tickwire::server {

class MarketEngine;
class FeedWorker;
class TcpAcceptor;
class WorkerInbox;

struct FeedServerOptions
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 8787; // 0 picks a free port: read it back with FeedServer::port()

    QList<Instrument> instruments; // empty: the compiled-in default set
    std::optional<quint64> seed; // unset: random
    double tradesPerSecond = 5; // per instrument
    bool history = true; // simulation starts with invented candle history
    int tickMs = 100;
    int tradeStepMs = 10; // trades published this often (when < tickMs); see EngineOptions
    QString replayFile; // replay mode when set
    double replaySpeed = 1;
    bool replayLoop = false;

    int workerThreads = 2;
    int heartbeatMs = 5000; // `heartbeat` after this long without any message to a client
    int pingIntervalMs = 20000; // WebSocket ping
    int pongTimeoutMs = 60000; // close when no pong for this long
    int handshakeTimeoutMs = 10000;

    qint64 maxMessageBytes = 64 * 1024; // incoming; above: close 1009
    double maxRequestsPerSecond = 20; // token bucket rate per connection
    int requestBurst = 40; // bucket size
    int abuseLimit = 50; // rate_limited replies within a second before close 1008
    int maxSubscriptions = 400; // streams per connection
    int maxConnections = 2000;
    int maxConnectionsPerAddress = 500;
    QStringList allowedOrigins; // empty: any Origin (and none) accepted

    qint64 softWatermarkBytes = 512 * 1024; // above: conflate market data
    qint64 hardWatermarkBytes = 8 * 1024 * 1024; // above: close 1008
    int slowGraceMs = 15000; // conflated this long: close 1008
    int socketSendBufferBytes = 0; // SO_SNDBUF for client sockets, 0: OS default
    // A worker behind the engine: once this many batches wait for it, or the one it takes is
    // older than maxBatchAgeMs (0: no age limit), market data is skipped for its sessions and
    // the affected streams are re-sent as snapshots. Account events are never skipped.
    int maxQueuedBatches = 200;
    int maxBatchAgeMs = 2000;

    QString tlsCertFile; // both set: wss://
    QString tlsKeyFile;

    QString tokensFile;
    QString demoToken; // empty: a random one is generated at start

    // The demo exchange (orders, positions, the durable account stream). Used unless an
    // OrderService is installed with setOrderService().
    bool exchange = true;
    QString statePath;       // SQLite state file; empty: memory only (a new epoch every start)
    int keepEvents = 10'000; // account events kept for resume
};

// The tickwire/1 feed server, embeddable: an acceptor on the calling thread, a pool of worker
// threads that own the client sockets, and the market engine on its own thread. All methods
// are called from the thread that created the FeedServer.
class FeedServer : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FeedServer)

public:
    explicit FeedServer(FeedServerOptions options, QObject *parent = nullptr);
    ~FeedServer() override;

    // Install before start(); the engine takes ownership and calls it on the engine thread.
    void setOrderService(std::unique_ptr<OrderService> service);

    // Loads instruments, tokens, TLS material and the replay tape, starts the threads and
    // listens. False with a readable `error` when anything is wrong; nothing keeps running then.
    [[nodiscard]] bool start(QString *error);
    // Closes every client with 1001 (going away) and joins all threads. Idempotent.
    void stop();

    [[nodiscard]] bool isRunning() const { return m_running; }
    [[nodiscard]] quint16 port() const;
    [[nodiscard]] QUrl url() const;
    [[nodiscard]] QString demoToken() const { return m_demoToken; }
    // The account stream epoch of the built-in exchange; 0 without it.
    [[nodiscard]] std::int64_t exchangeEpoch() const { return m_exchangeEpoch; }
    [[nodiscard]] ServerStats stats() const;
    [[nodiscard]] const FeedServerOptions &options() const { return m_options; }
    // The engine (lives on the engine thread: only queued calls from other threads).
    [[nodiscard]] MarketEngine *engine() const { return m_engine; }

    // Starts logging a `stats` line every `seconds` (0 stops).
    void setStatsInterval(int seconds);
    // While held, the workers take nothing from their inboxes (what an overloaded worker looks
    // like to the engine; they still serve handshakes and requests). For tests and diagnostics.
    void setDeliveryHeld(bool held);

Q_SIGNALS:
    void replayFinished();

private:
    void logStats();

    FeedServerOptions m_options;
    std::shared_ptr<SharedCounters> m_counters;
    std::unique_ptr<OrderService> m_pendingOrderService;
    QString m_demoToken;
    std::int64_t m_exchangeEpoch = 0;
    bool m_running = false;
    TcpAcceptor *m_acceptor = nullptr;
    MarketEngine *m_engine = nullptr;
    QThread *m_engineThread = nullptr;
    QList<FeedWorker *> m_workers;
    QList<std::shared_ptr<WorkerInbox>> m_inboxes;
    QList<QThread *> m_workerThreads;
    int m_nextWorker = 0;
    QTimer *m_statsTimer = nullptr;
    ServerStats m_lastStats;
};

} // namespace tickwire::server
