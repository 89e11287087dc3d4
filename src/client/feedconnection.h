#pragma once

#include "client/feedclient.h"
#include "client/feedoptions.h"
#include "client/marketsequencer.h"
#include "client/orderstream.h"
#include "client/reconnectpolicy.h"
#include "client/subscriptionset.h"
#include "protocol/eventbatch.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QTimer>

class QWebSocket;

namespace tickwire::client {

// The I/O-thread half of FeedClient: owns the socket, decodes frames, runs the state machine,
// heartbeat watchdog and pings, passes market data through its MarketSequencer (sequences,
// verified books) and acts on its verdicts, tracks the order stream, and hands verified events
// to the GUI thread in EventBatches. Every method must be called on the
// thread this object lives on (FeedClient uses QMetaObject::invokeMethod).
class FeedConnection : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FeedConnection)

public:
    using State = FeedClient::State;

    explicit FeedConnection(QObject *parent = nullptr);
    ~FeedConnection() override;

    void setOptions(const FeedOptions &options);
    void open();
    void close();
    void retryNow();
    void setToken(const QString &token);
    // The desired subscriptions: what is not yet wanted is requested, what no longer is, dropped.
    void setTopics(const QSet<tickwire::client::Topic> &topics);
    void placeOrder(protocol::PlaceOrder request);
    void cancelOrder(const QString &orderId);
    // Cancels every open order of the account (of one symbol when given).
    void cancelAll(const QString &symbol);

Q_SIGNALS:
    // `url` is the server of this state: the one being tried, in use or that just failed.
    void stateChanged(tickwire::client::FeedClient::State state, int attempt, qint64 nextRetryAtMs,
                      int delayMs, const QString &error, const QUrl &url);
    // The account the server's welcome named (empty for an anonymous, market data session),
    // where its market comes from and how it trades (empty from servers that do not say).
    void welcomed(const QString &account, const QString &source, const QString &trading);
    // The server's market source changed state (source_status).
    void sourceStatusReceived(const tickwire::protocol::SourceStatus &status);
    void batchReady(const tickwire::protocol::EventBatch &batch);
    // A problem that does not change the state (an undecodable frame): becomes lastError.
    void errorReported(const QString &error);
    void statsUpdated(const tickwire::client::FeedStats &stats);
    void subscriptionFailed(const tickwire::client::Topic &topic, const QString &code,
                            const QString &message);
    void orderAcknowledged(const QString &clientOrderId, const QString &orderId);
    void orderRequestFailed(const QString &clientOrderId, const QString &code,
                            const QString &message);
    void orderReconciled(const QString &clientOrderId, const QString &orderId);
    // The server's instruments, asked for on every (re)connect.
    void instrumentsReceived(const QList<tickwire::protocol::InstrumentInfo> &instruments);

private:
    struct OrderRequest
    {
        QString clientOrderId; // place_order
        QString orderId; // cancel_order
    };

    std::int64_t m_symbolsRequestId = -1;
    [[nodiscard]] std::int64_t nowMs() const { return m_clock.elapsed(); }
    void setState(State state, int delayMs = 0);
    [[nodiscard]] QUrl currentUrl() const { return m_options.servers().value(m_serverIndex); }
    void connectNow();
    void dropSocket(int closeCode, const QString &reason, bool stale);
    void onSocketDisconnected();
    void onFrame(const QByteArray &payload, bool binary);
    void handle(protocol::Message &&message);
    void handleWelcome(const protocol::Welcome &welcome);
    void handleAck(const protocol::Ack &ack);
    void handleError(const protocol::Error &error);
    void handleOrderVerdict(OrderStream::Verdict verdict, protocol::Message &&message);
    void handleMarketData(protocol::Message &&message);
    void resnapshotBook(const QString &symbol);
    void resyncOrders();
    void syncSubscriptions();
    void send(const protocol::Message &message);
    void sendPing();
    void publishReconciled();
    void flush();
    void tickStats();

    FeedOptions m_options;
    QElapsedTimer m_clock;
    ReconnectPolicy m_policy;
    SubscriptionSet m_subscriptions;
    MarketSequencer m_market{m_subscriptions, m_options.bookDepth}; // owns the batch
    OrderStream m_orders;
    QHash<std::int64_t, OrderRequest> m_orderRequests;
    bool m_ordersAwaitingSnapshot = false;

    QWebSocket *m_socket = nullptr;
    protocol::Encoding m_encoding = protocol::Encoding::Json;
    State m_state = State::Disconnected;
    QString m_lastError;
    std::int64_t m_nextId = 1;
    int m_heartbeatMs = 5'000;
    bool m_everConnected = false;
    int m_serverIndex = 0; // into m_options.servers(): the server of this or the next attempt

    QTimer m_connectTimer;
    QTimer m_watchdog;
    QTimer m_pingTimer;
    QTimer m_retryTimer;
    QTimer m_flushTimer;
    QTimer m_statsTimer;

    FeedStats m_stats;
    qint64 m_lastMessages = 0;
    qint64 m_lastBytes = 0;
    std::int64_t m_lastStatsAt = 0;
    int m_lastAttemptShown = 0;
};

} // namespace tickwire::client
