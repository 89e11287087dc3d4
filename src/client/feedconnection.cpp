#include "client/feedconnection.h"

#include "protocol/checksum.h"
#include "protocol/codec.h"

#include <QtCore/QDateTime>
#include <QtCore/QUrlQuery>
#include <QtNetwork/QNetworkRequest>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketHandshakeOptions>
#if QT_CONFIG(ssl)
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslConfiguration>
#endif

#include <algorithm>
#include <random>

using namespace Qt::StringLiterals;

namespace tickwire::client {

namespace {
constexpr int StatsIntervalMs = 1'000;

std::uint64_t seedFrom(std::uint64_t seed)
{
    return seed != 0 ? seed : std::random_device{}();
}
} // namespace

FeedConnection::FeedConnection(QObject *parent)
    : QObject(parent)
    , m_policy(ReconnectOptions{}, seedFrom(0), [this] { return nowMs(); })
{
    m_clock.start();
    for (QTimer *timer : {&m_connectTimer, &m_watchdog, &m_retryTimer})
        timer->setSingleShot(true);
    // Timers are children-by-value: they follow this object to the I/O thread.
    for (QTimer *timer :
         {&m_connectTimer, &m_watchdog, &m_pingTimer, &m_retryTimer, &m_flushTimer, &m_statsTimer})
        timer->setParent(this);

    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        m_lastError =
            tr("connection not established within %1 ms").arg(m_options.reconnect.connectTimeoutMs);
        dropSocket(0, m_lastError, false);
    });
    connect(&m_watchdog, &QTimer::timeout, this, [this] {
        m_lastError = tr("no data for %1 ms (heartbeat %2 ms)")
                          .arg(m_options.staleHeartbeats * m_heartbeatMs)
                          .arg(m_heartbeatMs);
        dropSocket(0, m_lastError, true);
    });
    connect(&m_pingTimer, &QTimer::timeout, this, &FeedConnection::sendPing);
    connect(&m_retryTimer, &QTimer::timeout, this, &FeedConnection::connectNow);
    connect(&m_flushTimer, &QTimer::timeout, this, &FeedConnection::flush);
    connect(&m_statsTimer, &QTimer::timeout, this, &FeedConnection::tickStats);
}

FeedConnection::~FeedConnection()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        delete m_socket;
    }
}

void FeedConnection::setOptions(const FeedOptions &options)
{
    m_options = options;
    m_serverIndex = 0;
    m_policy =
        ReconnectPolicy(options.reconnect, seedFrom(options.seed), [this] { return nowMs(); });
    // Keep what the application asked for; the server side starts over at the next connect.
    const QList<Topic> wanted = m_subscriptions.desired();
    m_subscriptions = SubscriptionSet(options.bookDepth, options.requestTimeoutMs);
    for (const Topic &topic : wanted)
        m_subscriptions.add(topic);
    m_market.setBookDepth(options.bookDepth);
}

void FeedConnection::setState(State state, int delayMs)
{
    m_state = state;
    const int attempt = m_policy.attempt();
    m_lastAttemptShown = attempt;
    const qint64 retryAt =
        state == State::Reconnecting ? QDateTime::currentMSecsSinceEpoch() + delayMs : 0;
    Q_EMIT stateChanged(state, attempt, retryAt, delayMs, m_lastError, currentUrl());
}

void FeedConnection::open()
{
    if (m_state != State::Disconnected && m_state != State::Closed && m_state != State::AuthFailed)
        return;
    m_policy.reset();
    m_serverIndex = 0;
    m_statsTimer.start(StatsIntervalMs);
    m_flushTimer.start(std::max(1, m_options.flushIntervalMs));
    connectNow();
}

void FeedConnection::close()
{
    m_retryTimer.stop();
    if (m_socket) {
        QWebSocket *socket = std::exchange(m_socket, nullptr);
        socket->disconnect(this);
        socket->close(QWebSocketProtocol::CloseCodeNormal, u"closed by the user"_s);
        socket->deleteLater();
    }
    m_connectTimer.stop();
    m_watchdog.stop();
    m_pingTimer.stop();
    m_subscriptions.connectionLost();
    m_orderRequests.clear();
    flush();
    m_lastError.clear();
    setState(State::Closed);
}

void FeedConnection::retryNow()
{
    if (m_state == State::Live || m_state == State::Connecting)
        return;
    m_retryTimer.stop();
    m_policy.reset();
    if (m_state == State::Closed || m_state == State::Disconnected) {
        open();
        return;
    }
    m_statsTimer.start(StatsIntervalMs);
    m_flushTimer.start(std::max(1, m_options.flushIntervalMs));
    connectNow();
}

void FeedConnection::setToken(const QString &token)
{
    m_options.token = token;
    if (m_state == State::AuthFailed)
        retryNow();
}

void FeedConnection::setTopics(const QSet<Topic> &topics)
{
    bool changed = false;
    for (const Topic &topic : m_subscriptions.desired()) {
        if (!topics.contains(topic) && m_subscriptions.remove(topic)) {
            m_market.topicRemoved(topic);
            changed = true;
        }
    }
    for (const Topic &topic : topics) {
        if (m_subscriptions.add(topic)) {
            m_market.topicAdded(topic);
            changed = true;
        }
    }
    if (changed)
        syncSubscriptions();
}

void FeedConnection::syncSubscriptions()
{
    if (m_state != State::Live)
        return;
    const auto resume = m_orders.resumePoint();
    const QList<protocol::Message> requests =
        m_subscriptions.takeRequests(m_nextId, nowMs(), resume);
    for (const protocol::Message &request : requests) {
        if (const auto *subscribe = std::get_if<protocol::Subscribe>(&request);
            subscribe && subscribe->channel == protocol::Channel::Orders && !resume)
            m_ordersAwaitingSnapshot = true;
        send(request);
    }
}

void FeedConnection::connectNow()
{
    m_retryTimer.stop();
    if (m_socket) {
        QWebSocket *old = std::exchange(m_socket, nullptr);
        old->disconnect(this);
        old->abort();
        old->deleteLater();
    }
    if (m_everConnected)
        ++m_stats.reconnects;
    m_everConnected = true;

    QUrl url = currentUrl();
    QNetworkRequest request;
    if (!m_options.token.isEmpty()) {
        if (m_options.tokenInHeader) {
            request.setRawHeader("Authorization", "Bearer " + m_options.token.toUtf8());
        } else {
            QUrlQuery query(url);
            query.removeAllQueryItems(u"token"_s);
            query.addQueryItem(u"token"_s, m_options.token);
            url.setQuery(query);
        }
    }
    request.setUrl(url);
    QWebSocketHandshakeOptions handshake;
    handshake.setSubprotocols({QString(protocol::subprotocolName(m_options.encoding))});

    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_encoding = m_options.encoding;
#if QT_CONFIG(ssl)
    if (!m_options.caCertificateFile.isEmpty()) {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.addCaCertificates(QSslCertificate::fromPath(m_options.caCertificateFile));
        m_socket->setSslConfiguration(ssl);
    }
    if (m_options.ignoreSslErrors) {
        connect(m_socket, &QWebSocket::sslErrors, m_socket,
                [socket = m_socket](const QList<QSslError> &) { socket->ignoreSslErrors(); });
    }
#endif
    connect(m_socket, &QWebSocket::disconnected, this, &FeedConnection::onSocketDisconnected);
    connect(m_socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { onFrame(text.toUtf8(), false); });
    connect(m_socket, &QWebSocket::binaryMessageReceived, this,
            [this](const QByteArray &data) { onFrame(data, true); });
    connect(m_socket, &QWebSocket::connected, this, [this] {
        // The server picks the encoding; fall back to the one asked for.
        if (const auto chosen = protocol::encodingFromSubprotocol(m_socket->subprotocol()))
            m_encoding = *chosen;
    });
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError) {
                if (m_socket)
                    m_lastError = m_socket->errorString();
            });

    m_connectTimer.start(m_options.reconnect.connectTimeoutMs);
    setState(State::Connecting);
    m_socket->open(request, handshake);
}

void FeedConnection::onSocketDisconnected()
{
    if (!m_socket)
        return;
    const int code = int(m_socket->closeCode());
    QString reason = m_socket->closeReason();
    // A connection that never opened (refused, unreachable, TLS or handshake failure) says why
    // through the socket error, which can arrive after the disconnect; the close code of such
    // a socket is a meaningless 1000.
    if (m_state == State::Connecting && reason.isEmpty()
        && m_socket->error() != QAbstractSocket::UnknownSocketError) {
        m_lastError = m_socket->errorString();
    } else if (m_lastError.isEmpty() || !reason.isEmpty())
        m_lastError = reason.isEmpty() ? tr("connection closed (code %1)").arg(code)
                                       : tr("closed by server (code %1): %2").arg(code).arg(reason);
    dropSocket(code, reason, false);
}

void FeedConnection::dropSocket(int closeCode, const QString &reason, bool stale)
{
    if (m_socket) {
        QWebSocket *socket = std::exchange(m_socket, nullptr);
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
    m_connectTimer.stop();
    m_watchdog.stop();
    m_pingTimer.stop();
    flush();
    m_subscriptions.connectionLost();
    m_market.connectionLost();
    // Order requests in flight lose their reply; the order stream reconciles them on resume.
    m_orderRequests.clear();
    m_ordersAwaitingSnapshot = false;
    if (stale)
        setState(State::Stale);

    const ReconnectPolicy::Decision decision = m_policy.next(closeCode, reason);
    if (decision.action == ReconnectPolicy::Action::AuthFailed) {
        setState(State::AuthFailed);
        return;
    }
    m_retryTimer.start(decision.delayMs);
    setState(State::Reconnecting, decision.delayMs);
    // The next attempt goes to the next server, after the same backoff as any retry: the
    // attempt counter runs across the whole list, so a cycle of dead servers backs off too, and
    // the jitter spreads the clients of a dead server over the others. An auth failure stays
    // (above): every server checks the same token.
    const qsizetype servers = m_options.servers().size();
    if (servers > 1)
        m_serverIndex = int((m_serverIndex + 1) % servers);
}

void FeedConnection::send(const protocol::Message &message)
{
    if (!m_socket)
        return;
    const QByteArray payload = protocol::encode(message, m_encoding);
    if (m_encoding == protocol::Encoding::Json)
        m_socket->sendTextMessage(QString::fromUtf8(payload));
    else
        m_socket->sendBinaryMessage(payload);
}

void FeedConnection::sendPing()
{
    protocol::Ping ping;
    ping.id = m_nextId++;
    ping.t = nowMs();
    send(ping);
}

void FeedConnection::onFrame(const QByteArray &payload, bool binary)
{
    ++m_stats.messages;
    m_stats.bytes += payload.size();
    if (m_state == State::Live)
        m_watchdog.start(m_options.staleHeartbeats * m_heartbeatMs);
    const auto encoding = binary ? protocol::Encoding::Cbor : protocol::Encoding::Json;
    protocol::DecodeResult result = protocol::decode(payload, encoding);
    if (!result.ok()) {
        ++m_stats.badFrames;
        m_lastError = tr("undecodable frame: %1").arg(result.error.message);
        Q_EMIT errorReported(m_lastError);
        return;
    }
    handle(std::move(*result.message));
}

void FeedConnection::handle(protocol::Message &&message)
{
    using namespace protocol;
    if (const auto *welcome = std::get_if<Welcome>(&message))
        return handleWelcome(*welcome);
    if (m_state != State::Live)
        return; // nothing counts before the welcome
    if (MarketSequencer::isMarketData(message))
        return handleMarketData(std::move(message));
    if (const auto *ack = std::get_if<Ack>(&message))
        return handleAck(*ack);
    if (const auto *error = std::get_if<Error>(&message))
        return handleError(*error);
    if (const auto *status = std::get_if<SourceStatus>(&message))
        return Q_EMIT sourceStatusReceived(*status);
    if (const auto *pong = std::get_if<Pong>(&message)) {
        m_stats.latencyMs = int(std::max<std::int64_t>(0, nowMs() - pong->t));
        return;
    }
    if (const auto *snapshot = std::get_if<OrdersSnapshot>(&message)) {
        m_orders.apply(*snapshot);
        m_ordersAwaitingSnapshot = false;
        m_market.append(std::move(message));
        publishReconciled();
        return;
    }
    if (const auto *order = std::get_if<Order>(&message)) {
        if (!m_ordersAwaitingSnapshot)
            handleOrderVerdict(m_orders.apply(*order), std::move(message));
        return;
    }
    if (const auto *position = std::get_if<Position>(&message)) {
        if (!m_ordersAwaitingSnapshot)
            handleOrderVerdict(m_orders.apply(*position), std::move(message));
        return;
    }
    if (const auto *symbols = std::get_if<Symbols>(&message)) {
        if (symbols->id == m_symbolsRequestId) {
            m_symbolsRequestId = -1;
            Q_EMIT instrumentsReceived(symbols->symbols);
        }
        return;
    }
    // Heartbeat: its arrival already fed the watchdog.
}

void FeedConnection::handleWelcome(const protocol::Welcome &welcome)
{
    m_connectTimer.stop();
    if (!m_options.token.isEmpty() && !welcome.account) {
        m_lastError = tr("token refused by the server (welcome without account)");
        if (m_socket) {
            QWebSocket *socket = std::exchange(m_socket, nullptr);
            socket->disconnect(this);
            socket->close(QWebSocketProtocol::CloseCodeNormal, u"unauthorized"_s);
            socket->deleteLater();
        }
        m_policy.markDown();
        setState(State::AuthFailed);
        return;
    }
    m_heartbeatMs = std::max(1, welcome.heartbeatMs);
    m_lastError.clear();
    m_policy.markLive();
    m_watchdog.start(m_options.staleHeartbeats * m_heartbeatMs);
    m_pingTimer.start(m_options.pingIntervalMs);
    Q_EMIT welcomed(welcome.account.value_or(QString()), welcome.source.value_or(QString()),
                    welcome.trading.value_or(QString()));
    setState(State::Live);
    sendPing();
    // The instrument list (names, tick and lot sizes) can change between connections.
    protocol::ListSymbols list;
    list.id = m_nextId++;
    m_symbolsRequestId = list.id;
    send(list);
    syncSubscriptions();
}

void FeedConnection::handleAck(const protocol::Ack &ack)
{
    if (m_subscriptions.handleAck(ack))
        return;
    const auto it = m_orderRequests.find(ack.id);
    if (it == m_orderRequests.end())
        return;
    const OrderRequest request = *it;
    m_orderRequests.erase(it);
    if (!request.clientOrderId.isEmpty()) {
        m_orders.acknowledged(request.clientOrderId);
        Q_EMIT orderAcknowledged(request.clientOrderId, ack.orderId.value_or(QString()));
    }
}

void FeedConnection::handleError(const protocol::Error &error)
{
    if (const auto failure = m_subscriptions.handleError(error)) {
        for (const Topic &topic : failure->topics)
            Q_EMIT subscriptionFailed(topic, failure->code, failure->message);
        if (!failure->topics.isEmpty()
            && failure->topics.first().channel == protocol::Channel::Orders)
            m_ordersAwaitingSnapshot = false;
        syncSubscriptions(); // the rest of a partly refused request
        return;
    }
    if (error.id) {
        const auto it = m_orderRequests.find(*error.id);
        if (it != m_orderRequests.end()) {
            const OrderRequest request = *it;
            m_orderRequests.erase(it);
            const QString key =
                request.clientOrderId.isEmpty() ? request.orderId : request.clientOrderId;
            if (!request.clientOrderId.isEmpty())
                m_orders.acknowledged(request.clientOrderId);
            Q_EMIT orderRequestFailed(key, error.code, error.message);
            return;
        }
    }
    m_market.append(error);
}

void FeedConnection::handleMarketData(protocol::Message &&message)
{
    using Verdict = MarketSequencer::Verdict;
    const auto *book = std::get_if<protocol::Book>(&message);
    const QString bookSymbol = book ? book->symbol : QString(); // for a resnapshot
    switch (m_market.handle(std::move(message))) {
    case Verdict::Accepted:
    case Verdict::Ignored:
        return;
    case Verdict::AcceptedAfterGap:
        ++m_stats.gaps;
        return;
    case Verdict::Stale:
        ++m_stats.duplicates;
        return;
    case Verdict::BookGap:
        ++m_stats.gaps;
        break;
    case Verdict::BookChecksumMismatch:
        ++m_stats.checksumFailures;
        break;
    case Verdict::BookCrossed:
        ++m_stats.crossedBooks;
        break;
    case Verdict::BookUnanchored:
    case Verdict::BookRejected:
        break;
    }
    resnapshotBook(bookSymbol);
}

void FeedConnection::resnapshotBook(const QString &symbol)
{
    ++m_stats.resnapshots;
    const auto requests =
        m_subscriptions.resubscribe(Topic{protocol::Channel::Book, symbol, {}}, m_nextId, nowMs());
    for (const protocol::Message &request : requests)
        send(request);
}

void FeedConnection::handleOrderVerdict(OrderStream::Verdict verdict, protocol::Message &&message)
{
    switch (verdict) {
    case OrderStream::Verdict::Applied:
        m_market.append(std::move(message));
        publishReconciled();
        return;
    case OrderStream::Verdict::Duplicate:
        ++m_stats.duplicates;
        return;
    case OrderStream::Verdict::Gap:
        ++m_stats.gaps;
        resyncOrders();
        return;
    }
}

void FeedConnection::resyncOrders()
{
    ++m_stats.resnapshots;
    m_orders.invalidate();
    m_ordersAwaitingSnapshot = true;
    const auto requests =
        m_subscriptions.resubscribe(Topic{protocol::Channel::Orders, {}, {}}, m_nextId, nowMs());
    for (const protocol::Message &request : requests)
        send(request);
}

void FeedConnection::publishReconciled()
{
    const QStringList reconciled = m_orders.takeReconciled();
    for (const QString &clientOrderId : reconciled) {
        const auto order = m_orders.findByClientOrderId(clientOrderId);
        Q_EMIT orderReconciled(clientOrderId, order ? order->orderId : QString());
    }
}

void FeedConnection::placeOrder(protocol::PlaceOrder request)
{
    if (m_state != State::Live || !m_socket) {
        Q_EMIT orderRequestFailed(request.clientOrderId, u"not_connected"_s,
                                  tr("not connected: the order was not sent"));
        return;
    }
    request.id = m_nextId++;
    m_orderRequests.insert(request.id, OrderRequest{request.clientOrderId, {}});
    m_orders.trackPlaced(request.clientOrderId);
    send(request);
}

void FeedConnection::cancelOrder(const QString &orderId)
{
    if (m_state != State::Live || !m_socket) {
        Q_EMIT orderRequestFailed(orderId, u"not_connected"_s,
                                  tr("not connected: the cancel was not sent"));
        return;
    }
    protocol::CancelOrder request;
    request.id = m_nextId++;
    request.orderId = orderId;
    m_orderRequests.insert(request.id, OrderRequest{{}, orderId});
    send(request);
}

void FeedConnection::cancelAll(const QString &symbol)
{
    if (m_state != State::Live || !m_socket) {
        Q_EMIT orderRequestFailed(QString(), u"not_connected"_s,
                                  tr("not connected: the cancel was not sent"));
        return;
    }
    protocol::CancelAll request;
    request.id = m_nextId++;
    if (!symbol.isEmpty())
        request.symbol = symbol;
    m_orderRequests.insert(request.id, OrderRequest{{}, u"*"_s});
    send(request);
}

void FeedConnection::flush()
{
    if (!m_market.hasBatch())
        return;
    Q_EMIT batchReady(m_market.takeBatch());
    Q_EMIT statsUpdated(m_stats); // counters stay in step with the events they describe
}

void FeedConnection::tickStats()
{
    const std::int64_t now = nowMs();
    const double seconds = m_lastStatsAt > 0 ? double(now - m_lastStatsAt) / 1000.0 : 1.0;
    if (seconds > 0) {
        m_stats.messagesPerSecond = double(m_stats.messages - m_lastMessages) / seconds;
        m_stats.bytesPerSecond = double(m_stats.bytes - m_lastBytes) / seconds;
    }
    m_lastMessages = m_stats.messages;
    m_lastBytes = m_stats.bytes;
    m_lastStatsAt = now;

    if (m_state == State::Live) {
        const auto failures = m_subscriptions.expire(now);
        for (const SubscriptionSet::Failure &failure : failures) {
            for (const Topic &topic : failure.topics)
                Q_EMIT subscriptionFailed(topic, failure.code, failure.message);
        }
        if (!failures.isEmpty())
            syncSubscriptions();
        if (m_policy.attempt() != m_lastAttemptShown)
            setState(State::Live); // the attempt counter reset after a stable period
    }
    Q_EMIT statsUpdated(m_stats);
}

} // namespace tickwire::client
