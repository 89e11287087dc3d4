#pragma once

#include "server/instruments.h"

#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtNetwork/QHostAddress>

#include <optional>

namespace tickwire::server {

// Everything a FeedServer is started with: listener, market, limits, TLS, tokens, exchange.
struct FeedServerOptions
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 8787; // 0 picks a free port: read it back with FeedServer::port()

    QList<Instrument> instruments; // empty: the compiled-in default set
    std::optional<quint64> seed; // unset: random
    double tradesPerSecond = 5; // per instrument
    bool history = true; // simulation starts with invented candle history
    int tickMs = 100;
    // Added to every market stream's seq (EngineOptions::seqBase).
    std::int64_t seqBase = 0;
    int tradeStepMs = 10; // trades published this often (when < tickMs); see EngineOptions
    QString replayFile; // replay mode when set
    double replaySpeed = 1;
    bool replayLoop = false;

    int workerThreads = 2;
    int heartbeatMs = 5000; // `heartbeat` after this long without any message to a client
    int pingIntervalMs = 20000; // WebSocket ping
    int pongTimeoutMs = 60000; // close when no pong for this long
    int handshakeTimeoutMs = 10000;
    // After a close frame the connection stays up this long at most, discarding what the client
    // still sends, so the close frame reaches it (see CloseLinger); 0: dropped at once.
    int closeLingerMs = 2000;

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
    // Those streams' snapshots go out only once the worker has caught up (no batch it takes
    // waited resyncCatchUpMs or more), at most resyncBudgetBytes of them per inbox turn.
    int resyncCatchUpMs = 50;
    qint64 resyncBudgetBytes = 512 * 1024;

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

} // namespace tickwire::server
