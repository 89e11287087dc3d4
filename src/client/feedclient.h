#pragma once

#include "client/feedoptions.h"
#include "client/topic.h"
#include "protocol/eventbatch.h"

#include <QtCore/QDateTime>
#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QSet>
#include <QtCore/QUrl>

class QThread;

namespace tickwire::client {

class FeedConnection;

// The GUI-thread face of the feed: connection state, statistics and batches of verified
// events. Socket I/O, decoding, sequencing and book checks run on a thread this object owns
// (FeedConnection); results arrive here as queued signals. All methods: GUI thread only.
class FeedClient : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FeedClient)
    Q_PROPERTY(State state READ state NOTIFY stateChanged FINAL)
    Q_PROPERTY(QUrl url READ url NOTIFY urlChanged FINAL)
    Q_PROPERTY(int attempt READ attempt NOTIFY attemptChanged FINAL)
    Q_PROPERTY(QDateTime nextRetryAt READ nextRetryAt NOTIFY nextRetryAtChanged FINAL)
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged FINAL)
    // The account of the last welcome; empty before it and for anonymous sessions.
    Q_PROPERTY(QString account READ account NOTIFY accountChanged FINAL)
    Q_PROPERTY(int latencyMs READ latencyMs NOTIFY statsChanged FINAL)
    Q_PROPERTY(double messagesPerSecond READ messagesPerSecond NOTIFY statsChanged FINAL)
    Q_PROPERTY(double bytesPerSecond READ bytesPerSecond NOTIFY statsChanged FINAL)
    Q_PROPERTY(int reconnectCount READ reconnectCount NOTIFY statsChanged FINAL)
    // Where the server's market comes from ("sim", "replay", "binance", …) and how its orders
    // execute ("demo", "paper"); empty until a server says.
    Q_PROPERTY(QString marketSource READ marketSource NOTIFY marketChanged FINAL)
    Q_PROPERTY(QString trading READ trading NOTIFY marketChanged FINAL)
    // The market source's health from source_status ("live", "resyncing", "unverified",
    // "down"); empty when the server sends none (its own simulation is always live).
    Q_PROPERTY(QString sourceState READ sourceState NOTIFY sourceStatusChanged FINAL)
    Q_PROPERTY(int sourceReconnects READ sourceReconnects NOTIFY sourceStatusChanged FINAL)
    Q_PROPERTY(
        QDateTime sourceLastMessageAt READ sourceLastMessageAt NOTIFY sourceStatusChanged FINAL)

public:
    enum class State {
        Disconnected, // never opened
        Connecting, // TCP/TLS/WebSocket handshake, waiting for welcome
        Live, // welcome received, data flowing
        Stale, // nothing arrived for staleHeartbeats x heartbeat: being dropped
        Reconnecting, // waiting out a backoff delay (see nextRetryAt)
        AuthFailed, // token refused: no retry until setToken() or retryNow()
        Closed // closed by the application
    };
    Q_ENUM(State)

    explicit FeedClient(QObject *parent = nullptr);
    ~FeedClient() override;

    // Takes effect at the next open() / connection attempt.
    void setOptions(const FeedOptions &options);
    [[nodiscard]] FeedOptions options() const { return m_options; }

    Q_INVOKABLE void open();
    Q_INVOKABLE void close();
    Q_INVOKABLE void retryNow();
    // New credentials: leaves AuthFailed and reconnects.
    Q_INVOKABLE void setToken(const QString &token);

    // The desired subscriptions, whole: the I/O thread's SubscriptionSet alone works out what
    // to request and to drop, on this connection and after every reconnect.
    void setSubscriptions(const QSet<Topic> &topics);
    [[nodiscard]] QSet<Topic> subscriptions() const { return m_subscriptions; }
    // One topic more or less.
    void subscribe(const Topic &topic);
    void unsubscribe(const Topic &topic);
    // The same for a topic written as text ("ticker:BTC-USD", "candles:1m:ETH-USD", "orders"),
    // as a command line gives it. Return an error text for malformed text, empty on success.
    QString subscribe(const QString &topic);
    QString unsubscribe(const QString &topic);
    // Why the server refused a topic (e.g. unknown symbol); empty when it did not.
    [[nodiscard]] QString subscriptionError(const Topic &topic) const;

    struct OrderResult
    {
        QString clientOrderId; // set when the request was sent
        QString error; // set when it was not (not Live, invalid arguments)
        [[nodiscard]] bool ok() const { return error.isEmpty(); }
    };
    // Fails immediately unless Live: nothing is ever queued for later. The outcome arrives
    // as orderAcknowledged / orderRequestFailed, or orderReconciled after a lost ack.
    [[nodiscard]] OrderResult placeOrder(const QString &symbol, protocol::Side side,
                                         protocol::OrderType type, const Decimal &qty,
                                         std::optional<Decimal> price = {},
                                         const QString &clientOrderId = {});
    [[nodiscard]] QString cancelOrder(const QString &orderId);
    // Every open order of the account, or of one symbol. Returns an error text.
    [[nodiscard]] QString cancelAll(const QString &symbol = {});

    [[nodiscard]] State state() const { return m_state; }
    // The server in use or being tried; before the first attempt, the first of the options.
    [[nodiscard]] QUrl url() const { return m_url; }
    [[nodiscard]] int attempt() const { return m_attempt; }
    [[nodiscard]] QDateTime nextRetryAt() const { return m_nextRetryAt; }
    [[nodiscard]] QString lastError() const { return m_lastError; }
    [[nodiscard]] QString account() const { return m_account; }
    [[nodiscard]] int latencyMs() const { return m_stats.latencyMs; }
    [[nodiscard]] double messagesPerSecond() const { return m_stats.messagesPerSecond; }
    [[nodiscard]] double bytesPerSecond() const { return m_stats.bytesPerSecond; }
    [[nodiscard]] int reconnectCount() const { return m_stats.reconnects; }
    [[nodiscard]] FeedStats stats() const { return m_stats; }
    [[nodiscard]] QString marketSource() const { return m_marketSource; }
    [[nodiscard]] QString trading() const { return m_trading; }
    [[nodiscard]] QString sourceState() const;
    [[nodiscard]] int sourceReconnects() const;
    [[nodiscard]] QDateTime sourceLastMessageAt() const;
    [[nodiscard]] std::optional<protocol::SourceStatus> sourceStatus() const
    {
        return m_sourceStatus;
    }

    [[nodiscard]] static QString toString(State state);

Q_SIGNALS:
    void stateChanged(tickwire::client::FeedClient::State state);
    // Every transition with its context (attempt, backoff delay in ms, error, and the server
    // being tried, in use or that just failed), for logs.
    void transitioned(tickwire::client::FeedClient::State state, int attempt, int delayMs,
                      const QString &error, const QUrl &url);
    void urlChanged();
    void attemptChanged();
    void nextRetryAtChanged();
    void lastErrorChanged();
    void accountChanged();
    void statsChanged();
    void marketChanged();
    void sourceStatusChanged();
    // Every source_status as the server sent it.
    void sourceStatusReceived(const tickwire::protocol::SourceStatus &status);
    void batchReady(const tickwire::protocol::EventBatch &batch);
    void subscriptionFailed(const tickwire::client::Topic &topic, const QString &code,
                            const QString &message);
    void orderAcknowledged(const QString &clientOrderId, const QString &orderId);
    void orderRequestFailed(const QString &clientOrderId, const QString &code,
                            const QString &message);
    // An order whose ack was lost showed up in the order stream after a resume.
    void orderReconciled(const QString &clientOrderId, const QString &orderId);
    // The server's instruments, after every (re)connect.
    void instrumentsReceived(const QList<tickwire::protocol::InstrumentInfo> &instruments);

private:
    void applyState(tickwire::client::FeedClient::State state, int attempt, qint64 nextRetryAtMs,
                    int delayMs, const QString &error, const QUrl &url);
    void setUrl(const QUrl &url);

    FeedOptions m_options;
    QUrl m_url;
    QThread *m_thread = nullptr;
    FeedConnection *m_connection = nullptr; // lives on m_thread
    State m_state = State::Disconnected;
    QString m_marketSource;
    QString m_trading;
    std::optional<protocol::SourceStatus> m_sourceStatus;
    int m_attempt = 0;
    QDateTime m_nextRetryAt;
    QString m_account;
    QString m_lastError;
    FeedStats m_stats;
    QSet<Topic> m_subscriptions;
    QHash<Topic, QString> m_subscriptionErrors;
    quint64 m_nextClientOrder = 0;
};

} // namespace tickwire::client

Q_DECLARE_METATYPE(tickwire::client::FeedClient::OrderResult)
