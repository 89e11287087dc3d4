#pragma once

#include "server/feedserveroptions.h"
#include "server/orderservice.h"
#include "server/serverstats.h"

#include <QtCore/QObject>
#include <QtCore/QUrl>

#include <memory>
#include <optional>

class QThread;
class QTimer;

namespace tickwire::exchanges {
class MarketSource;
} // namespace tickwire::exchanges

namespace tickwire::server {

class MarketBackend;
class MarketEngine;
class FeedWorker;
class StreamInterest;
class TcpAcceptor;
class WorkerInbox;

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
    // The market comes from `source` (an exchange adapter) instead of the simulator: the
    // instruments must be the source's (FeedServerOptions::instruments), replay options are
    // ignored, and orders are refused. Call before start(); the engine takes the source to
    // its thread. Nothing may have been started on it yet (no sockets, no timers running).
    void setMarketSource(std::unique_ptr<exchanges::MarketSource> source);
    // A gateway: the market and the orders come from `backend` (the engine behind a
    // backplane), not from an engine of this process; FeedServerOptions::instruments must be
    // the engine's, in its order. `sourceName` and `paperTrading` are what the welcome says.
    // Call before start(); the server takes the backend to its engine thread.
    void setRemoteMarket(std::unique_ptr<MarketBackend> backend, QString sourceName,
                         bool paperTrading);

    // Loads instruments, tokens, TLS material and the replay tape, starts the threads and
    // listens. False with a readable `error` when anything is wrong; nothing keeps running then.
    [[nodiscard]] bool start(QString *error);
    // Closes every client with 1001 (going away) and joins all threads. Idempotent.
    void stop();

    [[nodiscard]] bool isRunning() const { return m_running; }
    [[nodiscard]] quint16 port() const;
    [[nodiscard]] QUrl url() const;
    [[nodiscard]] QString demoToken() const { return m_demoToken; }
    // What the welcome names as the market source ("sim", "replay", an exchange); after start().
    [[nodiscard]] QString sourceName() const { return m_sourceName; }
    // The account stream epoch of the built-in exchange; 0 without it.
    [[nodiscard]] std::int64_t exchangeEpoch() const { return m_exchangeEpoch; }
    [[nodiscard]] ServerStats stats() const;
    [[nodiscard]] const FeedServerOptions &options() const { return m_options; }
    // The engine (lives on the engine thread: only queued calls from other threads); null in a
    // gateway.
    [[nodiscard]] MarketEngine *engine() const { return m_engine; }
    // How many sessions subscribe to each market stream (after start()).
    [[nodiscard]] std::shared_ptr<StreamInterest> interest() const { return m_interest; }

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
    std::unique_ptr<exchanges::MarketSource> m_pendingSource;
    std::unique_ptr<MarketBackend> m_pendingBackend;
    QString m_remoteSourceName;
    bool m_remotePaperTrading = false;
    std::shared_ptr<StreamInterest> m_interest;
    QString m_demoToken;
    QString m_sourceName;
    std::int64_t m_exchangeEpoch = 0;
    bool m_running = false;
    TcpAcceptor *m_acceptor = nullptr;
    MarketEngine *m_engine = nullptr; // the backend when the market is in-process
    MarketBackend *m_backend = nullptr;
    QThread *m_engineThread = nullptr;
    QList<FeedWorker *> m_workers;
    QList<std::shared_ptr<WorkerInbox>> m_inboxes;
    QList<QThread *> m_workerThreads;
    int m_nextWorker = 0;
    QTimer *m_statsTimer = nullptr;
    ServerStats m_lastStats;
};

} // namespace tickwire::server
