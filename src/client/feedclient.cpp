#include "client/feedclient.h"

#include "client/feedconnection.h"

#include <QtCore/QThread>
#include <QtCore/QUuid>

using namespace Qt::StringLiterals;

namespace tickwire::client {

FeedClient::FeedClient(QObject *parent)
    : QObject(parent)
    , m_thread(new QThread(this))
{
    qRegisterMetaType<protocol::EventBatch>();
    qRegisterMetaType<FeedStats>();
    qRegisterMetaType<FeedClient::State>();
    qRegisterMetaType<QList<protocol::InstrumentInfo>>();
    qRegisterMetaType<Topic>();
    qRegisterMetaType<protocol::SourceStatus>();

    m_thread->setObjectName(u"tickwire-feed-io"_s);
    m_connection = new FeedConnection; // no parent: it moves to the I/O thread
    m_connection->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_connection, &QObject::deleteLater);

    connect(m_connection, &FeedConnection::stateChanged, this, &FeedClient::applyState);
    connect(m_connection, &FeedConnection::batchReady, this, &FeedClient::batchReady);
    connect(m_connection, &FeedConnection::welcomed, this,
            [this](const QString &account, const QString &source, const QString &trading) {
                // A new connection's server says its source's state anew (or never).
                if (std::exchange(m_sourceStatus, std::nullopt))
                    Q_EMIT sourceStatusChanged();
                if (source != m_marketSource || trading != m_trading) {
                    m_marketSource = source;
                    m_trading = trading;
                    Q_EMIT marketChanged();
                }
                if (account == m_account)
                    return;
                m_account = account;
                Q_EMIT accountChanged();
            });
    connect(m_connection, &FeedConnection::sourceStatusReceived, this,
            [this](const protocol::SourceStatus &status) {
                const bool changed = !m_sourceStatus || *m_sourceStatus != status;
                m_sourceStatus = status;
                if (changed)
                    Q_EMIT sourceStatusChanged();
                Q_EMIT sourceStatusReceived(status);
            });
    connect(m_connection, &FeedConnection::errorReported, this, [this](const QString &error) {
        if (error == m_lastError)
            return;
        m_lastError = error;
        Q_EMIT lastErrorChanged();
    });
    connect(m_connection, &FeedConnection::statsUpdated, this, [this](const FeedStats &stats) {
        const bool changed = stats.latencyMs != m_stats.latencyMs
                             || stats.messagesPerSecond != m_stats.messagesPerSecond
                             || stats.bytesPerSecond != m_stats.bytesPerSecond
                             || stats.reconnects != m_stats.reconnects;
        m_stats = stats;
        if (changed)
            Q_EMIT statsChanged();
    });
    connect(m_connection, &FeedConnection::subscriptionFailed, this,
            [this](const Topic &topic, const QString &code, const QString &message) {
                if (m_subscriptions.contains(topic) && code != u"timeout"_s)
                    m_subscriptionErrors.insert(topic, message);
                Q_EMIT subscriptionFailed(topic, code, message);
            });
    connect(m_connection, &FeedConnection::orderAcknowledged, this, &FeedClient::orderAcknowledged);
    connect(m_connection, &FeedConnection::orderRequestFailed, this,
            &FeedClient::orderRequestFailed);
    connect(m_connection, &FeedConnection::orderReconciled, this, &FeedClient::orderReconciled);
    connect(m_connection, &FeedConnection::instrumentsReceived, this,
            &FeedClient::instrumentsReceived);
    m_thread->start();
}

FeedClient::~FeedClient()
{
    // Close on the I/O thread, then let the thread delete the connection as it finishes.
    QMetaObject::invokeMethod(
        m_connection, [c = m_connection] { c->close(); }, Qt::BlockingQueuedConnection);
    m_connection->disconnect(this);
    m_thread->quit();
    m_thread->wait();
}

QString FeedClient::sourceState() const
{
    return m_sourceStatus ? QString(protocol::toString(m_sourceStatus->state)) : QString();
}

int FeedClient::sourceReconnects() const
{
    return m_sourceStatus ? int(m_sourceStatus->reconnects) : 0;
}

QDateTime FeedClient::sourceLastMessageAt() const
{
    if (!m_sourceStatus || m_sourceStatus->lastMessageTs <= 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(m_sourceStatus->lastMessageTs);
}

QString FeedClient::toString(State state)
{
    switch (state) {
    case State::Disconnected:
        return u"Disconnected"_s;
    case State::Connecting:
        return u"Connecting"_s;
    case State::Live:
        return u"Live"_s;
    case State::Stale:
        return u"Stale"_s;
    case State::Reconnecting:
        return u"Reconnecting"_s;
    case State::AuthFailed:
        return u"AuthFailed"_s;
    case State::Closed:
        return u"Closed"_s;
    }
    return {};
}

void FeedClient::setOptions(const FeedOptions &options)
{
    m_options = options;
    QMetaObject::invokeMethod(m_connection,
                              [c = m_connection, options] { c->setOptions(options); });
    // The next attempt starts over at the first server.
    setUrl(options.servers().value(0));
}

void FeedClient::setUrl(const QUrl &url)
{
    if (url == m_url)
        return;
    m_url = url;
    Q_EMIT urlChanged();
}

void FeedClient::open()
{
    QMetaObject::invokeMethod(m_connection, [c = m_connection] { c->open(); });
}

void FeedClient::close()
{
    QMetaObject::invokeMethod(m_connection, [c = m_connection] { c->close(); });
}

void FeedClient::retryNow()
{
    QMetaObject::invokeMethod(m_connection, [c = m_connection] { c->retryNow(); });
}

void FeedClient::setToken(const QString &token)
{
    m_options.token = token;
    QMetaObject::invokeMethod(m_connection, [c = m_connection, token] { c->setToken(token); });
}

void FeedClient::setSubscriptions(const QSet<Topic> &topics)
{
    if (topics == m_subscriptions)
        return;
    m_subscriptions = topics;
    for (auto it = m_subscriptionErrors.begin(); it != m_subscriptionErrors.end();) {
        if (topics.contains(it.key()))
            ++it;
        else
            it = m_subscriptionErrors.erase(it);
    }
    QMetaObject::invokeMethod(m_connection, [c = m_connection, topics] { c->setTopics(topics); });
}

void FeedClient::subscribe(const Topic &topic)
{
    QSet<Topic> topics = m_subscriptions;
    topics.insert(topic);
    setSubscriptions(topics);
}

void FeedClient::unsubscribe(const Topic &topic)
{
    QSet<Topic> topics = m_subscriptions;
    topics.remove(topic);
    setSubscriptions(topics);
}

QString FeedClient::subscribe(const QString &topic)
{
    QString error;
    const auto parsed = Topic::parse(topic, &error);
    if (parsed)
        subscribe(*parsed);
    return error;
}

QString FeedClient::unsubscribe(const QString &topic)
{
    QString error;
    const auto parsed = Topic::parse(topic, &error);
    if (parsed)
        unsubscribe(*parsed);
    return error;
}

QString FeedClient::subscriptionError(const Topic &topic) const
{
    return m_subscriptionErrors.value(topic);
}

FeedClient::OrderResult FeedClient::placeOrder(const QString &symbol, protocol::Side side,
                                               protocol::OrderType type, const Decimal &qty,
                                               std::optional<Decimal> price,
                                               const QString &clientOrderId)
{
    if (m_state != State::Live)
        return {{},
                //: %1 is the connection state as FeedClient::toString names it (Closed…).
                tr("not connected (%1): the order was not sent").arg(toString(m_state))};
    if (symbol.isEmpty())
        return {{}, tr("no symbol")};
    if (!qty.isPositive())
        return {{}, tr("quantity must be positive")};
    if (type == protocol::OrderType::Limit && (!price || !price->isPositive()))
        return {{}, tr("a limit order needs a positive price")};
    if (type == protocol::OrderType::Market && price)
        return {{}, tr("a market order takes no price")};

    protocol::PlaceOrder request;
    request.clientOrderId =
        clientOrderId.isEmpty()
            ? u"c-%1-%2"_s.arg(QUuid::createUuid().toString(QUuid::Id128).left(12))
                  .arg(++m_nextClientOrder)
            : clientOrderId;
    request.symbol = symbol;
    request.side = side;
    request.orderType = type;
    request.qty = qty;
    request.price = price;
    QMetaObject::invokeMethod(m_connection,
                              [c = m_connection, request] { c->placeOrder(request); });
    return {request.clientOrderId, {}};
}

QString FeedClient::cancelOrder(const QString &orderId)
{
    if (m_state != State::Live)
        return tr("not connected (%1): the cancel was not sent").arg(toString(m_state));
    if (orderId.isEmpty())
        return tr("no order id");
    QMetaObject::invokeMethod(m_connection,
                              [c = m_connection, orderId] { c->cancelOrder(orderId); });
    return {};
}

QString FeedClient::cancelAll(const QString &symbol)
{
    if (m_state != State::Live)
        return tr("not connected (%1): the cancel was not sent").arg(toString(m_state));
    QMetaObject::invokeMethod(m_connection, [c = m_connection, symbol] { c->cancelAll(symbol); });
    return {};
}

void FeedClient::applyState(State state, int attempt, qint64 nextRetryAtMs, int delayMs,
                            const QString &error, const QUrl &url)
{
    setUrl(url);
    if (error != m_lastError) {
        m_lastError = error;
        Q_EMIT lastErrorChanged();
    }
    if (attempt != m_attempt) {
        m_attempt = attempt;
        Q_EMIT attemptChanged();
    }
    const QDateTime retryAt =
        nextRetryAtMs > 0 ? QDateTime::fromMSecsSinceEpoch(nextRetryAtMs) : QDateTime();
    if (retryAt != m_nextRetryAt) {
        m_nextRetryAt = retryAt;
        Q_EMIT nextRetryAtChanged();
    }
    const bool changed = state != m_state;
    m_state = state;
    Q_EMIT transitioned(state, attempt, delayMs, error, url);
    if (changed)
        Q_EMIT stateChanged(state);
}

} // namespace tickwire::client
