#include "server/feedworker.h"

#include "server/closelinger.h"
#include "server/framesocket.h"
#include "server/marketengine.h"

#include <QtCore/QDateTime>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QLoggingCategory>
#include <QtCore/QPointer>
#include <QtCore/QRandomGenerator>
#include <QtCore/QScopedValueRollback>
#include <QtCore/QTimer>
#include <QtCore/QUrlQuery>
#include <QtNetwork/QSslSocket>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketCorsAuthenticator>
#include <QtWebSockets/QWebSocketServer>

#include <unordered_map>

namespace tickwire::server {

Q_LOGGING_CATEGORY(lcFeed, "tickwire.feed")

using namespace Qt::StringLiterals;
using protocol::Channel;
using protocol::Encoding;

namespace {

constexpr qint64 Pending = -1; // stream subscribed, snapshot not delivered yet
// Lost events (worker behind, or socket conflated): waits for a resync snapshot. A ticker
// carries the whole state, so the next live ticker resyncs a ticker stream as well.
constexpr qint64 Stale = -2;
// Within a batch, a session's frames are handed to the kernel at least every this many bytes.
constexpr qint64 FlushBytes = 64 * 1024;

std::int64_t nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

CloseLinger *closeLingerOf(QTcpSocket *tcp)
{
    if (auto *frames = qobject_cast<FrameSocket *>(tcp))
        return &frames->closeLinger();
    if (auto *tls = qobject_cast<TlsSocket *>(tcp))
        return &tls->closeLinger();
    return nullptr;
}

// Closes the WebSocket so that the close frame reaches a peer that is still sending.
void lingeringClose(QWebSocket *socket, QTcpSocket *tcp, QWebSocketProtocol::CloseCode code,
                    const QString &reason)
{
    socket->close(code, reason);
    // QWebSocket closes its TCP socket right after the close frame, which starts the linger;
    // should it wait for the peer's answer instead, the linger starts here.
    CloseLinger *linger = tcp ? closeLingerOf(tcp) : nullptr;
    if (linger && !linger->isActive() && tcp->state() == QAbstractSocket::ConnectedState)
        tcp->close();
}

protocol::Error makeError(std::optional<std::int64_t> id, QLatin1StringView code, QString message,
                          std::optional<QString> symbol = std::nullopt)
{
    return protocol::Error{id, QString(code), std::move(message), std::move(symbol)};
}

} // namespace

struct FeedWorker::Subscription
{
    QString key; // streamKey(...)
    StreamRef ref;
    int id = NoStreamId; // market stream id; NoStreamId for the account stream
    qint64 lastSeq = Pending; // last seq sent, or Pending, or Stale
};

struct FeedWorker::Session
{
    quint64 id = 0;
    QWebSocket *socket = nullptr;
    QTcpSocket *tcp = nullptr; // under `socket`: published frames are written here directly
    FrameSocket *frames = nullptr; // `tcp` when it is plain TCP (not TLS): frames by reference
    qint64 batchBytes = 0; // written in the current batch, not yet flushed
    qint64 batchMessages = 0;
    QString name; // "s-..." as sent in welcome
    QString peer;
    Encoding encoding = Encoding::Json;
    std::optional<QString> account;
    // Every subscribed stream; the Subscription objects stay put while subscribed, so the
    // fan-out keeps pointers to them.
    std::unordered_map<QString, std::unique_ptr<Subscription>> streams;
    double tokens = 0; // request rate bucket
    std::int64_t lastRefillMs = 0;
    int violations = 0;
    std::int64_t lastViolationMs = 0;
    std::int64_t lastSentMs = 0;
    std::int64_t lastPingMs = 0;
    std::int64_t lastPongMs = 0;
    bool conflated = false; // market events are skipped (their streams go Stale)
    std::int64_t conflatedSinceMs = 0;
    bool closing = false;
};

FeedWorker::FeedWorker(std::shared_ptr<const WorkerContext> context, QObject *parent)
    : QObject(parent)
    , m_context(std::move(context))
    , m_resync(ResyncQueue::Limits{m_context->options.resyncBudgetBytes, 2,
                                   m_context->options.resyncCatchUpMs},
               int(m_context->symbols.size()) * StreamsPerSymbol)
{
    for (qsizetype i = 0; i < m_context->symbols.size(); ++i)
        m_symbolIndex.insert(m_context->symbols[i].symbol, int(i));
    m_marketSubscribers.resize(std::size_t(m_context->symbols.size()) * StreamsPerSymbol);
    m_resyncCursor.resize(m_marketSubscribers.size(), 0);
    m_inbox = std::make_shared<WorkerInbox>(m_context->options.maxQueuedBatches, [this] {
        QMetaObject::invokeMethod(this, &FeedWorker::drainInbox, Qt::QueuedConnection);
    });
}

FeedWorker::~FeedWorker()
{
    const QList<Handshake> handshaking = m_handshaking.values();
    m_handshaking.clear();
    for (const Handshake &h : handshaking)
        delete h.socket;
    qDeleteAll(m_graveyard);
    for (Session *s : std::as_const(m_sessions)) {
        for (const auto &[key, subscription] : s->streams)
            unlist(s, *subscription);
        m_context->counters->release(s->peer);
        s->socket->disconnect(this);
        delete s->socket;
        delete s;
    }
}

void FeedWorker::init()
{
    const FeedServerOptions &o = m_context->options;
    m_handshakes = new QWebSocketServer(u"tickwire-feed"_s, QWebSocketServer::NonSecureMode, this);
    m_handshakes->setSupportedSubprotocols(
        {QString(protocol::JsonSubprotocol), QString(protocol::CborSubprotocol)});
    m_handshakes->setHandshakeTimeout(o.handshakeTimeoutMs);
    connect(m_handshakes, &QWebSocketServer::newConnection, this, &FeedWorker::onNewConnection);
    connect(m_handshakes, &QWebSocketServer::originAuthenticationRequired, this,
            [this](QWebSocketCorsAuthenticator *auth) {
                const QStringList &allowed = m_context->options.allowedOrigins;
                auth->setAllowed(allowed.isEmpty() || allowed.contains(auth->origin()));
                if (!auth->allowed()) {
                    m_context->counters->rejectedConnections++;
                    qCInfo(lcFeed).noquote()
                        << u"event=reject reason=origin origin=\"%1\""_s.arg(auth->origin());
                }
            });
    m_timer = new QTimer(this);
    const int period = std::clamp(
        std::min({o.heartbeatMs, o.pingIntervalMs, o.slowGraceMs, o.handshakeTimeoutMs}) / 4, 5,
        500);
    m_timer->setInterval(period);
    connect(m_timer, &QTimer::timeout, this, &FeedWorker::onTimer);
    m_timer->start();
}

void FeedWorker::adopt(qintptr socketDescriptor)
{
    const FeedServerOptions &o = m_context->options;
    QTcpSocket *tcp = m_context->tls ? static_cast<QTcpSocket *>(new TlsSocket) : new FrameSocket;
    if (!tcp->setSocketDescriptor(socketDescriptor)) {
        qCWarning(lcFeed).noquote() << u"event=adopt_failed error=\"%1\""_s.arg(tcp->errorString());
        delete tcp;
        return;
    }
    if (m_shutDown) { // accepted just before the server stopped
        tcp->abort();
        delete tcp;
        return;
    }
    if (o.socketSendBufferBytes > 0)
        tcp->setSocketOption(QAbstractSocket::SendBufferSizeSocketOption, o.socketSendBufferBytes);
    tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    // The worker owns the socket until the WebSocket upgrade completes; then it is re-parented
    // to its QWebSocket (Qt 6.4 does not, and does not time out handshakes started with
    // handleConnection(), so both are done here: the deadline is checked by onTimer(), not by
    // a timer per connection). The peer address:port pairs the two.
    tcp->setParent(this);
    const QString key = tcp->peerAddress().toString() + u'|' + QString::number(tcp->peerPort());
    m_handshaking.insert(key, Handshake{tcp, nowMs() + o.handshakeTimeoutMs});
    // Both connections go once the socket is upgraded (onNewConnection).
    connect(tcp, &QObject::destroyed, this, [this, key, tcp] {
        if (m_handshaking.value(key).socket == tcp)
            m_handshaking.remove(key);
    });
    connect(tcp, &QAbstractSocket::disconnected, this, [this, key, tcp] {
        if (m_handshaking.value(key).socket == tcp) {
            m_handshaking.remove(key);
            tcp->deleteLater();
        }
    });
    if (auto *ssl = qobject_cast<QSslSocket *>(tcp)) {
        ssl->setSslConfiguration(*m_context->tls);
        connect(ssl, &QSslSocket::encrypted, this,
                [this, ssl] { m_handshakes->handleConnection(ssl); });
        connect(ssl, &QSslSocket::sslErrors, ssl, [ssl](const QList<QSslError> &errors) {
            qCInfo(lcFeed).noquote() << u"event=tls_error error=\"%1\""_s.arg(
                errors.isEmpty() ? QString() : errors.first().errorString());
            ssl->abort();
        });
        ssl->startServerEncryption();
    } else {
        m_handshakes->handleConnection(tcp);
    }
}

void FeedWorker::onNewConnection()
{
    const FeedServerOptions &o = m_context->options;
    while (m_handshakes->hasPendingConnections()) {
        QWebSocket *socket = m_handshakes->nextPendingConnection();
        socket->setParent(this);
        const QString key =
            socket->peerAddress().toString() + u'|' + QString::number(socket->peerPort());
        QTcpSocket *tcp = m_handshaking.take(key).socket;
        if (tcp) {
            tcp->disconnect(this); // the handshake's connections (adopt())
            tcp->setParent(socket); // upgraded: freed with its QWebSocket
            if (CloseLinger *linger = closeLingerOf(tcp))
                linger->setDuration(o.closeLingerMs);
        }
        if (m_shutDown) { // no new sessions: they could post to the engine being destroyed
            socket->close(QWebSocketProtocol::CloseCodeGoingAway, u"server shutting down"_s);
            continue;
        }
        const QString peer = socket->peerAddress().toString();
        if (!m_context->counters->tryAcquire(peer, o.maxConnections, o.maxConnectionsPerAddress)) {
            m_context->counters->rejectedConnections++;
            qCInfo(lcFeed).noquote()
                << u"event=reject reason=too_many_connections peer=%1"_s.arg(peer);
            connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            // Not 1013 (try again later): Qt 6.4's QWebSocket takes it for an invalid code and
            // answers with a protocol error, so Qt clients would never see why.
            lingeringClose(socket, tcp, QWebSocketProtocol::CloseCodePolicyViolated,
                           u"too many connections"_s);
            continue;
        }
        if (!tcp) {
            // Not one of ours (cannot happen: every socket is adopted): without its TCP socket
            // the published frames have nowhere to go.
            connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            socket->close(QWebSocketProtocol::CloseCodeAbnormalDisconnection, u"internal error"_s);
            m_context->counters->release(peer);
            continue;
        }
        auto *s = new Session;
        s->id = m_nextSessionId++;
        s->socket = socket;
        s->tcp = tcp;
        s->frames = qobject_cast<FrameSocket *>(tcp);
        s->peer = peer;
        s->name = u"s-%1"_s.arg(qulonglong(QRandomGenerator::global()->generate64()), 16, 16,
                                QLatin1Char('0'));
        s->encoding =
            protocol::encodingFromSubprotocol(socket->subprotocol()).value_or(Encoding::Json);
        s->tokens = o.requestBurst;
        s->lastRefillMs = s->lastSentMs = s->lastPingMs = s->lastPongMs = nowMs();
        m_sessions.insert(socket, s);
        m_byId.insert(s->id, s);
        socket->setMaxAllowedIncomingMessageSize(quint64(o.maxMessageBytes));
        socket->setMaxAllowedIncomingFrameSize(quint64(o.maxMessageBytes));

        // Token from `?token=` or `Authorization: Bearer`; never logged.
        const QNetworkRequest request = socket->request();
        QString token = QUrlQuery(request.url()).queryItemValue(u"token"_s);
        const QByteArray authorization = request.rawHeader("Authorization");
        if (token.isEmpty() && authorization.startsWith("Bearer "))
            token = QString::fromLatin1(authorization.mid(7).trimmed());
        QLatin1StringView auth = "none"_L1;
        if (!token.isEmpty()) {
            s->account = m_context->tokens->account(token);
            auth = s->account ? "valid"_L1 : "invalid"_L1;
        }
        qCInfo(lcFeed).noquote()
            << u"event=connect session=%1 peer=%2 path=%3 encoding=%4 auth=%5 account=%6"_s.arg(
                   s->name, peer, request.url().path(), protocol::subprotocolName(s->encoding),
                   auth, s->account.value_or(u"-"_s));

        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, s](const QString &text) { onMessage(s, text.toUtf8(), Encoding::Json); });
        connect(socket, &QWebSocket::binaryMessageReceived, this,
                [this, s](const QByteArray &data) { onMessage(s, data, Encoding::Cbor); });
        connect(socket, &QWebSocket::pong, this,
                [s](quint64, const QByteArray &) { s->lastPongMs = nowMs(); });
        connect(socket, &QWebSocket::bytesWritten, this, [this, s](qint64) { onBytesWritten(s); });
        connect(socket, &QWebSocket::disconnected, this,
                [this, socket] { onDisconnected(socket); });
        // Closed by QWebSocket itself (a message over the size limit): nothing more to send.
        connect(socket, &QWebSocket::aboutToClose, this, [s] { s->closing = true; });

        protocol::Welcome welcome;
        welcome.session = s->name;
        welcome.ts = nowMs();
        welcome.heartbeatMs = o.heartbeatMs;
        welcome.account = s->account;
        send(s, welcome);
    }
}

void FeedWorker::onDisconnected(QWebSocket *socket)
{
    Session *s = m_sessions.take(socket);
    if (!s)
        return;
    qCInfo(lcFeed).noquote() << u"event=disconnect session=%1 code=%2 peer=%3"_s.arg(s->name)
                                    .arg(int(socket->closeCode()))
                                    .arg(s->peer);
    for (const auto &[key, subscription] : s->streams)
        unlist(s, *subscription);
    m_byId.remove(s->id);
    m_context->counters->release(s->peer);
    // close() can emit disconnected synchronously while a caller still holds `s` (a fan-out
    // loop, a send): the session is only marked dead here and freed from the event loop.
    s->closing = true;
    socket->disconnect(this);
    socket->deleteLater();
    m_graveyard.append(s);
    if (m_graveyard.size() == 1) {
        QMetaObject::invokeMethod(
            this,
            [this] {
                qDeleteAll(m_graveyard);
                m_graveyard.clear();
            },
            Qt::QueuedConnection);
    }
}

bool FeedWorker::admitRequest(Session *s, std::int64_t now)
{
    const FeedServerOptions &o = m_context->options;
    s->tokens = std::min<double>(
        o.requestBurst, s->tokens + (now - s->lastRefillMs) * o.maxRequestsPerSecond / 1000.0);
    s->lastRefillMs = now;
    if (s->tokens >= 1) {
        s->tokens -= 1;
        return true;
    }
    if (now - s->lastViolationMs > 1000)
        s->violations = 0;
    s->lastViolationMs = now;
    ++s->violations;
    return false;
}

void FeedWorker::onMessage(Session *s, QByteArrayView payload, Encoding encoding)
{
    if (s->closing)
        return;
    m_context->counters->messagesIn++;
    const std::int64_t now = nowMs();
    protocol::DecodeLimits limits;
    limits.maxBytes = m_context->options.maxMessageBytes;
    const protocol::DecodeResult decoded = protocol::decode(payload, encoding, limits);
    if (!admitRequest(s, now)) {
        m_context->counters->rateLimited++;
        if (s->violations > m_context->options.abuseLimit) {
            qCInfo(lcFeed).noquote() << u"event=close session=%1 reason=rate_abuse"_s.arg(s->name);
            closeSession(s, QWebSocketProtocol::CloseCodePolicyViolated, u"request rate abuse"_s);
            return;
        }
        send(s, makeError(decoded.ok() ? protocol::requestId(*decoded.message) : decoded.error.id,
                          protocol::ErrorCode::RateLimited,
                          u"more than %1 requests per second"_s.arg(
                              m_context->options.maxRequestsPerSecond)));
        return;
    }
    if (!decoded.ok()) {
        protocol::Error e;
        e.id = decoded.error.id;
        e.code = decoded.error.code;
        e.message = decoded.error.message;
        send(s, e);
        return;
    }
    const protocol::Message &m = *decoded.message;
    if (const auto *sub = std::get_if<protocol::Subscribe>(&m)) {
        subscribe(s, *sub);
    } else if (const auto *unsub = std::get_if<protocol::Unsubscribe>(&m)) {
        unsubscribe(s, *unsub);
    } else if (const auto *list = std::get_if<protocol::ListSymbols>(&m)) {
        send(s, protocol::Symbols{list->id, m_context->symbols});
    } else if (const auto *ping = std::get_if<protocol::Ping>(&m)) {
        send(s, protocol::Pong{ping->id, ping->t, now});
    } else if (std::holds_alternative<protocol::PlaceOrder>(m)
               || std::holds_alternative<protocol::CancelOrder>(m)
               || std::holds_alternative<protocol::CancelAll>(m)) {
        orderRequest(s, m);
    } else {
        send(s,
             makeError(std::nullopt, protocol::ErrorCode::UnknownType,
                       u"\"%1\" is a server message, not a request"_s.arg(protocol::typeName(m))));
    }
}

bool FeedWorker::knownSymbol(const QString &symbol) const
{
    return m_symbolIndex.contains(symbol);
}

void FeedWorker::subscribe(Session *s, const protocol::Subscribe &request)
{
    const FeedServerOptions &o = m_context->options;
    if (request.channel == Channel::Orders) {
        orderRequest(s, request);
        return;
    }
    int tier = 0;
    if (request.channel == Channel::Book) {
        const auto t = bookTierFor(request.depth.value_or(protocol::DefaultBookDepth));
        if (!t || request.depth.value_or(1) < 1) {
            send(s, makeError(request.id, protocol::ErrorCode::BadRequest,
                              u"depth must be between 1 and %1"_s.arg(protocol::MaxBookDepth)));
            return;
        }
        tier = *t;
    }
    if (request.channel == Channel::Candles && !request.interval) {
        send(s, makeError(request.id, protocol::ErrorCode::BadRequest,
                          u"candles needs an interval"_s));
        return;
    }
    if (request.symbols.isEmpty()) {
        send(s, makeError(request.id, protocol::ErrorCode::BadRequest, u"no symbols"_s));
        return;
    }
    QStringList accepted;
    QList<StreamRef> toSnapshot;
    for (const QString &symbol : request.symbols) {
        if (!knownSymbol(symbol)) {
            send(s, makeError(request.id, protocol::ErrorCode::UnknownSymbol,
                              u"unknown symbol \"%1\""_s.arg(symbol), symbol));
            continue;
        }
        const StreamRef ref{request.channel, symbol, tier,
                            request.interval.value_or(protocol::CandleInterval::M1)};
        const QString key = streamKey(ref.channel, symbol, tier, ref.interval);
        if (!s->streams.contains(key)) {
            if (qsizetype(s->streams.size()) >= o.maxSubscriptions) {
                send(s,
                     makeError(request.id, protocol::ErrorCode::TooManySubscriptions,
                               u"at most %1 subscriptions per connection"_s.arg(o.maxSubscriptions),
                               symbol));
                continue;
            }
            addStream(s, key, ref);
            toSnapshot.append(ref);
        }
        if (!accepted.contains(symbol))
            accepted.append(symbol);
    }
    protocol::Ack ack;
    ack.id = request.id;
    ack.channel = request.channel;
    ack.symbols = accepted;
    send(s, ack);
    if (!toSnapshot.isEmpty())
        requestSnapshots(s, toSnapshot);
}

void FeedWorker::unsubscribe(Session *s, const protocol::Unsubscribe &request)
{
    QStringList removed;
    if (request.channel == Channel::Orders) {
        if (s->account)
            removeStream(s, streamKey(Channel::Orders, *s->account));
    }
    for (const QString &symbol : request.symbols) {
        if (!knownSymbol(symbol)) {
            send(s, makeError(request.id, protocol::ErrorCode::UnknownSymbol,
                              u"unknown symbol \"%1\""_s.arg(symbol), symbol));
            continue;
        }
        // Every tier of the book / the given candle interval. Known symbols are acked even
        // when nothing was subscribed: unsubscribe is idempotent.
        QStringList keys;
        for (const auto &[key, subscription] : s->streams) {
            const StreamRef &ref = subscription->ref;
            if (ref.channel == request.channel && ref.symbol == symbol
                && (request.channel != Channel::Candles || !request.interval
                    || *request.interval == ref.interval)) {
                keys.append(key);
            }
        }
        for (const QString &key : std::as_const(keys))
            removeStream(s, key);
        removed.append(symbol);
    }
    protocol::Ack ack;
    ack.id = request.id;
    ack.channel = request.channel;
    if (request.channel != Channel::Orders)
        ack.symbols = removed;
    send(s, ack);
}

QList<FeedWorker::Subscriber> *FeedWorker::subscribersOf(int streamId, const QString &key)
{
    if (streamId != NoStreamId)
        return &m_marketSubscribers[std::size_t(streamId)];
    auto it = m_accountSubscribers.find(key);
    return it == m_accountSubscribers.end() ? nullptr : &*it;
}

void FeedWorker::addStream(Session *s, const QString &key, const StreamRef &ref)
{
    auto subscription = std::make_unique<Subscription>();
    subscription->key = key;
    subscription->ref = ref;
    if (ref.channel != Channel::Orders) {
        const int slot = streamSlot(ref.channel, ref.tier, ref.interval);
        subscription->id = m_symbolIndex.value(ref.symbol) * StreamsPerSymbol + slot;
        m_marketSubscribers[std::size_t(subscription->id)].append({s, subscription.get()});
        // Counted before the snapshot request leaves: see StreamInterest.
        m_context->interest->add(subscription->id, s->encoding, +1);
    } else {
        m_accountSubscribers[key].append({s, subscription.get()});
    }
    s->streams[key] = std::move(subscription);
}

void FeedWorker::unlist(Session *s, const Subscription &subscription)
{
    QList<Subscriber> *subscribers = subscribersOf(subscription.id, subscription.key);
    if (!subscribers)
        return;
    subscribers->removeIf([&](const Subscriber &sub) { return sub.session == s; });
    if (subscription.id != NoStreamId)
        m_context->interest->add(subscription.id, s->encoding, -1);
    else if (subscribers->isEmpty())
        m_accountSubscribers.remove(subscription.key);
}

void FeedWorker::removeStream(Session *s, const QString &key)
{
    const auto it = s->streams.find(key);
    if (it == s->streams.end())
        return;
    unlist(s, *it->second);
    s->streams.erase(it);
}

void FeedWorker::orderRequest(Session *s, const protocol::Message &request)
{
    const auto id = protocol::requestId(request);
    if (!s->account) {
        send(s, makeError(id, protocol::ErrorCode::Unauthorized,
                          u"orders need a valid token (?token= or Authorization: Bearer)"_s));
        return;
    }
    QString stream;
    if (std::holds_alternative<protocol::Subscribe>(request)) {
        stream = streamKey(Channel::Orders, *s->account);
        if (!s->streams.contains(stream)) {
            if (qsizetype(s->streams.size()) >= m_context->options.maxSubscriptions) {
                send(s, makeError(id, protocol::ErrorCode::TooManySubscriptions,
                                  u"at most %1 subscriptions per connection"_s.arg(
                                      m_context->options.maxSubscriptions)));
                return;
            }
        }
        // Account events published before the reply are skipped; the reply says from where on.
        removeStream(s, stream);
        addStream(s, stream, StreamRef{Channel::Orders, *s->account, 0, {}});
    }
    MarketEngine *engine = m_context->engine;
    const quint64 sessionId = s->id;
    const QString account = *s->account;
    QMetaObject::invokeMethod(
        engine,
        [engine, this, inbox = m_inbox, sessionId, account, request, stream] {
            engine->handleOrderRequest(
                account, request, inbox,
                [this, sessionId, stream](const QList<protocol::Message> &messages,
                                          std::optional<std::int64_t> ordersSeq) {
                    applyOrderReply(sessionId, messages, ordersSeq, stream);
                });
        },
        Qt::QueuedConnection);
}

void FeedWorker::applyOrderReply(quint64 sessionId, const QList<protocol::Message> &messages,
                                 std::optional<std::int64_t> ordersSeq, const QString &stream)
{
    Session *s = m_byId.value(sessionId);
    if (!s || s->closing)
        return;
    for (const protocol::Message &m : messages)
        send(s, m);
    const auto it = stream.isEmpty() ? s->streams.end() : s->streams.find(stream);
    if (it == s->streams.end())
        return;
    if (ordersSeq)
        it->second->lastSeq = *ordersSeq;
    else
        removeStream(s, stream); // refused (error reply): not subscribed
}

void FeedWorker::requestSnapshots(Session *s, const QList<StreamRef> &streams)
{
    MarketEngine *engine = m_context->engine;
    const quint64 sessionId = s->id;
    // The reply goes into this worker's inbox after every batch the engine published before
    // building the snapshot, and before every later batch: that is the ordering guarantee.
    QMetaObject::invokeMethod(
        engine,
        [engine, this, inbox = m_inbox, sessionId, streams] {
            QList<StreamSnapshot> snapshots;
            for (const StreamRef &ref : streams) {
                if (auto snap = engine->snapshot(ref.channel, ref.symbol, ref.tier, ref.interval))
                    snapshots.append(std::move(*snap));
            }
            inbox->post([this, sessionId, snapshots] { applySnapshots(sessionId, snapshots); });
        },
        Qt::QueuedConnection);
}

void FeedWorker::applySnapshots(quint64 sessionId, const QList<StreamSnapshot> &snapshots)
{
    Session *s = m_byId.value(sessionId);
    if (!s || s->closing)
        return;
    for (const StreamSnapshot &snap : snapshots) {
        const auto it = s->streams.find(snap.stream);
        if (it == s->streams.end() || it->second->lastSeq != Pending)
            continue; // unsubscribed meanwhile
        for (const protocol::Message &m : snap.messages)
            send(s, m);
        it->second->lastSeq = snap.seq;
        if (s->closing)
            return;
    }
}

void FeedWorker::drainInbox()
{
    const std::int64_t maxAgeMs = m_context->options.maxBatchAgeMs;
    const std::int64_t now = QDeadlineTimer::current().deadline();
    std::deque<WorkerInbox::Item> items = m_inbox->take();
    const QScopedValueRollback inTurn(m_inTurn, true);
    m_batchNowMs = nowMs();
    m_resync.beginTurn();
    std::int64_t oldestAgeMs = 0;
    bool skipped = false;
    for (WorkerInbox::Item &item : items) {
        if (item.task) {
            item.task();
            continue;
        }
        if (!item.dropped.isEmpty()) {
            skipped = true;
            resyncDropped(item.dropped);
        }
        if (item.batch.isEmpty())
            continue;
        oldestAgeMs = std::max(oldestAgeMs, now - item.queuedMs);
        if (maxAgeMs > 0 && now - item.queuedMs > maxAgeMs) {
            // This worker is that far behind: skip the batch's market data (the streams are
            // re-sent as snapshots once it has caught up) but never the account events.
            skipped = true;
            m_context->counters->batchesDropped++;
            QHash<int, qint64> dropped;
            const PublishedBatch kept = dropMarketEvents(item.batch, &dropped);
            resyncDropped(dropped);
            deliver(kept);
        } else {
            deliver(item.batch);
            // A fresh batch goes to the kernel at once; behind, the batches taken together
            // share one write per session, which is what lets the worker catch up.
            if (now - item.queuedMs < m_context->options.resyncCatchUpMs)
                settleBatch();
        }
    }
    settleBatch();
    m_resync.endTurn(oldestAgeMs, skipped);
    requestResyncs();
    publishCounters();
}

void FeedWorker::resyncDropped(const QHash<int, qint64> &dropped)
{
    for (auto it = dropped.cbegin(); it != dropped.cend(); ++it) {
        bool queue = false;
        for (const Subscriber &sub : std::as_const(m_marketSubscribers[std::size_t(it.key())])) {
            Session *s = sub.session;
            Subscription *subscription = sub.subscription;
            if (s->closing || subscription->lastSeq == Pending)
                continue; // a snapshot is on its way that is newer than what was dropped
            m_unpublishedTradesDropped += it.value();
            subscription->lastSeq = Stale;
            queue = queue || !s->conflated; // a conflated one queues it when its socket drains
        }
        if (queue)
            m_resync.add(it.key());
    }
}

void FeedWorker::requestResyncs()
{
    if (m_shutDown)
        return; // the engine may be going away
    MarketEngine *engine = m_context->engine;
    for (const int id : m_resync.takeRequests()) {
        const QList<Subscriber> &subscribers = m_marketSubscribers[std::size_t(id)];
        const bool waiting = std::any_of(subscribers.cbegin(), subscribers.cend(), [](auto &sub) {
            return sub.subscription->lastSeq == Stale && !sub.session->conflated;
        });
        if (!waiting) { // unsubscribed, or tickers resynced by a live ticker meanwhile
            m_resync.done(id, true);
            continue;
        }
        // Built after every batch the engine published so far and queued ahead of the later
        // ones, like a subscribe's snapshot; it serves whoever is still Stale when it arrives.
        const StreamRef ref = subscribers.first().subscription->ref;
        QMetaObject::invokeMethod(
            engine,
            [engine, this, inbox = m_inbox, id, ref] {
                PublishedBatch frames =
                    engine->encodedSnapshot(id, ref.channel, ref.symbol, ref.tier, ref.interval);
                inbox->post([this, id, frames] { applyResync(id, frames); });
            },
            Qt::QueuedConnection);
    }
}

void FeedWorker::applyResync(int streamId, const PublishedBatch &frames)
{
    const QList<Subscriber> subscribers = m_marketSubscribers[std::size_t(streamId)];
    const qsizetype n = subscribers.size();
    int &cursor = m_resyncCursor[std::size_t(streamId)];
    bool complete = true;
    m_batchNowMs = nowMs();
    // Round-robin from where the last partial resync of this stream stopped: none starves.
    for (qsizetype i = 0; i < n; ++i) {
        const qsizetype at = (cursor + i) % n;
        const Subscriber &sub = subscribers[at];
        Session *s = sub.session;
        Subscription *subscription = sub.subscription;
        if (s->closing || s->conflated || subscription->lastSeq != Stale)
            continue;
        if (!m_resync.mayWrite()) {
            complete = false;
            cursor = int(at);
            break;
        }
        if (frames.isEmpty() || frames.first()->frame(s->encoding).isEmpty()) {
            // Not encoded for this session (cannot happen while subscribed): its own snapshot.
            subscription->lastSeq = Pending;
            requestSnapshots(s, {subscription->ref});
            continue;
        }
        for (const PublishedEventPtr &event : frames) {
            const QByteArray &frame = event->frame(s->encoding);
            m_resync.spend(frame.size());
            writeFrame(s, frame);
        }
        subscription->lastSeq = frames.first()->seq;
        m_context->counters->resyncs++;
    }
    m_resync.done(streamId, complete);
}

void FeedWorker::deliver(const PublishedBatch &batch)
{
    m_batchNowMs = nowMs();
    for (const PublishedEventPtr &event : batch) {
        const QList<Subscriber> *list = subscribersOf(event->streamId, event->stream);
        if (!list || list->isEmpty())
            continue;
        const QList<Subscriber> subscribers = *list; // a write may close a session
        for (const Subscriber &sub : subscribers) {
            Session *s = sub.session;
            if (s->closing)
                continue;
            qint64 &seq = sub.subscription->lastSeq;
            if (seq == Pending || event->seq <= seq)
                continue;
            if ((seq == Stale && event->channel != Channel::Ticker)
                || (s->conflated && event->channel != Channel::Orders)) {
                // Keep only the latest state: this stream is re-sent as a snapshot once the
                // socket has drained and the worker keeps up.
                if (event->channel == Channel::Trades)
                    ++m_unpublishedTradesDropped;
                seq = Stale;
                continue;
            }
            const QByteArray &frame = event->frame(s->encoding);
            if (frame.isEmpty()) {
                // Not encoded for this session's encoding: cannot happen while subscribed (see
                // StreamInterest); should it, a fresh snapshot keeps the stream contiguous.
                seq = Pending;
                requestSnapshots(s, {sub.subscription->ref});
                continue;
            }
            seq = event->seq;
            writeFrame(s, frame);
        }
    }
}

void FeedWorker::writeFrame(Session *s, const QByteArray &frame)
{
    // Published frames bypass QWebSocket (which would copy and, for text, re-encode every
    // message per client); this socket is what QWebSocket writes to as well, in order.
    if (s->socket->state() != QAbstractSocket::ConnectedState)
        return;
    if (s->batchMessages == 0 && s->batchBytes == 0)
        m_written.append(s);
    if (s->frames)
        s->frames->queue(frame);
    else
        s->tcp->write(frame);
    s->batchBytes += frame.size();
    ++s->batchMessages;
    if (s->batchBytes >= FlushBytes) {
        m_unpublishedMessages += s->batchMessages;
        m_unpublishedBytes += s->batchBytes;
        s->batchMessages = s->batchBytes = 0;
        s->lastSentMs = m_batchNowMs;
        flushSocket(s);
        if (!s->closing)
            afterSend(s);
    }
}

void FeedWorker::flushSocket(Session *s)
{
    if (s->frames)
        s->frames->sendQueued();
    else
        s->tcp->flush();
}

void FeedWorker::settleBatch()
{
    // Hand every session's frames of this turn to the kernel now, not when the event loop
    // next gets to the socket: the first event of a batch must not wait for the last.
    const QList<Session *> written = std::exchange(m_written, {});
    for (Session *s : written) {
        m_unpublishedMessages += s->batchMessages;
        m_unpublishedBytes += s->batchBytes;
        const bool wrote = s->batchMessages > 0;
        s->batchMessages = s->batchBytes = 0;
        if (s->closing || !wrote)
            continue;
        s->lastSentMs = m_batchNowMs;
        flushSocket(s);
        if (!s->closing)
            afterSend(s);
    }
}

void FeedWorker::publishCounters()
{
    SharedCounters &counters = *m_context->counters;
    if (m_unpublishedMessages)
        counters.messagesOut += std::exchange(m_unpublishedMessages, 0);
    if (m_unpublishedBytes)
        counters.bytesOut += std::exchange(m_unpublishedBytes, 0);
    if (m_unpublishedTradesDropped)
        counters.tradesDropped += std::exchange(m_unpublishedTradesDropped, 0);
}

void FeedWorker::send(Session *s, const protocol::Message &message)
{
    if (s->closing)
        return;
    // Framed here, like published events (QWebSocket would re-encode JSON text from a QString),
    // and written in order with them: within an inbox turn with the turn's frames, otherwise
    // at once.
    if (!m_inTurn)
        m_batchNowMs = nowMs();
    writeFrame(s, webSocketFrame(s->encoding, protocol::encode(message, s->encoding)));
    if (!m_inTurn) {
        settleBatch();
        publishCounters();
    }
}

void FeedWorker::afterSend(Session *s)
{
    // Called once the session's frames went to the kernel (flushSocket): what is still queued
    // is what the client has not taken.
    const FeedServerOptions &o = m_context->options;
    const qint64 queued = s->tcp->bytesToWrite();
    if (queued > o.hardWatermarkBytes) {
        m_context->counters->slowConsumerClosed++;
        qCInfo(lcFeed).noquote()
            << u"event=close session=%1 reason=slow_consumer queued=%2"_s.arg(s->name).arg(queued);
        closeSession(s, QWebSocketProtocol::CloseCodePolicyViolated,
                     u"slow consumer: output above %1 bytes"_s.arg(o.hardWatermarkBytes));
    } else if (queued > o.softWatermarkBytes && !s->conflated) {
        s->conflated = true;
        s->conflatedSinceMs = s->lastSentMs;
        m_context->counters->conflations++;
        qCInfo(lcFeed).noquote() << u"event=conflate session=%1 queued=%2"_s.arg(s->name).arg(
            queued);
    }
}

void FeedWorker::onBytesWritten(Session *s)
{
    if (!s->conflated || s->closing
        || s->socket->bytesToWrite() > m_context->options.softWatermarkBytes / 2)
        return;
    s->conflated = false;
    int stale = 0;
    for (const auto &[key, subscription] : s->streams) {
        if (subscription->lastSeq == Stale) {
            m_resync.add(subscription->id);
            ++stale;
        }
    }
    qCInfo(lcFeed).noquote() << u"event=drained session=%1 resync=%2"_s.arg(s->name).arg(stale);
    requestResyncs();
}

void FeedWorker::closeSession(Session *s, int code, const QString &reason)
{
    if (s->closing)
        return;
    s->closing = true;
    // A peer that does not read never answers the close: the linger ends the connection.
    lingeringClose(s->socket, s->tcp, QWebSocketProtocol::CloseCode(code), reason);
}

void FeedWorker::onTimer()
{
    const FeedServerOptions &o = m_context->options;
    const std::int64_t now = nowMs();
    for (auto it = m_handshaking.begin(); it != m_handshaking.end();) {
        if (it->deadlineMs > now) {
            ++it;
            continue;
        }
        qCInfo(lcFeed).noquote() << u"event=reject reason=handshake_timeout"_s;
        QTcpSocket *tcp = it->socket;
        it = m_handshaking.erase(it);
        tcp->abort();
        tcp->deleteLater();
    }
    const QList<Session *> sessions = m_sessions.values();
    for (Session *s : sessions) {
        if (s->closing)
            continue;
        if (s->conflated && now - s->conflatedSinceMs > o.slowGraceMs) {
            m_context->counters->slowConsumerClosed++;
            qCInfo(lcFeed).noquote()
                << u"event=close session=%1 reason=slow_consumer_grace"_s.arg(s->name);
            closeSession(s, QWebSocketProtocol::CloseCodePolicyViolated,
                         u"slow consumer: conflated for more than %1 ms"_s.arg(o.slowGraceMs));
            continue;
        }
        if (now - s->lastPongMs > o.pongTimeoutMs) {
            qCInfo(lcFeed).noquote()
                << u"event=close session=%1 reason=ping_timeout"_s.arg(s->name);
            closeSession(s, QWebSocketProtocol::CloseCodePolicyViolated, u"ping timeout"_s);
            continue;
        }
        if (now - s->lastPingMs >= o.pingIntervalMs) {
            s->lastPingMs = now;
            s->socket->ping();
        }
        if (now - s->lastSentMs >= o.heartbeatMs)
            send(s, protocol::Heartbeat{now});
    }
}

void FeedWorker::shutdown()
{
    m_shutDown = true;
    m_timer->stop();
    const QList<Session *> sessions = m_sessions.values();
    for (Session *s : sessions) {
        if (s->closing)
            continue;
        s->closing = true;
        s->socket->close(QWebSocketProtocol::CloseCodeGoingAway, u"server shutting down"_s);
        s->socket->flush();
    }
}

} // namespace tickwire::server
