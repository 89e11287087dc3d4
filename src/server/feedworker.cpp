#include "server/feedworker.h"

#include "server/fanout.h"
#include "server/framesocket.h"
#include "server/handshakes.h"
#include "server/marketbackend.h"
#include "server/marketsimulator.h"
#include "server/session.h"

#include <QtCore/QDateTime>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QLoggingCategory>
#include <QtCore/QRandomGenerator>
#include <QtCore/QScopedValueRollback>
#include <QtCore/QTimer>
#include <QtCore/QUrlQuery>
#include <QtWebSockets/QWebSocket>

namespace tickwire::server {

Q_LOGGING_CATEGORY(lcFeed, "tickwire.feed")

using namespace Qt::StringLiterals;
using protocol::Channel;
using protocol::Encoding;

namespace {

// Timestamps the protocol carries (welcome, heartbeat, pong): the wall clock.
std::int64_t wallMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// Deadlines, rate limits, liveness: a steady clock, which no clock adjustment moves.
std::int64_t steadyMs()
{
    return QDeadlineTimer::current().deadline();
}

protocol::Error makeError(std::optional<std::int64_t> id, QLatin1StringView code, QString message,
                          std::optional<QString> symbol = std::nullopt)
{
    return protocol::Error{id, QString(code), std::move(message), std::move(symbol)};
}

} // namespace

FeedWorker::FeedWorker(std::shared_ptr<const WorkerContext> context, QObject *parent)
    : QObject(parent)
    , m_context(std::move(context))
    , m_registry(m_context->symbols, m_context->interest)
    , m_resync(ResyncQueue::Limits{m_context->options.resyncBudgetBytes, 2,
                                   m_context->options.resyncCatchUpMs},
               int(m_context->symbols.size()) * StreamsPerSymbol)
{
    m_resyncCursor.resize(std::size_t(m_registry.marketStreams()), 0);
    m_inbox = std::make_shared<WorkerInbox>(m_context->options.maxQueuedBatches, [this] {
        QMetaObject::invokeMethod(this, &FeedWorker::drainInbox, Qt::QueuedConnection);
    });
}

FeedWorker::~FeedWorker()
{
    delete m_handshakes; // before the sessions: it may still own upgraded sockets
    qDeleteAll(m_graveyard);
    for (Session *s : std::as_const(m_sessions)) {
        unlistAll(s);
        m_context->counters->release(s->peer());
        s->socket()->disconnect(this);
        delete s->socket();
        delete s;
    }
}

void FeedWorker::init()
{
    const FeedServerOptions &o = m_context->options;
    m_handshakes = new Handshakes(o, m_context->tls, m_context->counters, this);
    connect(m_handshakes, &Handshakes::upgraded, this, &FeedWorker::onUpgraded);
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
    m_handshakes->adopt(socketDescriptor, steadyMs());
}

void FeedWorker::onUpgraded(QWebSocket *socket, QTcpSocket *tcp)
{
    const FeedServerOptions &o = m_context->options;
    socket->setParent(this);
    if (m_shutDown) { // no new sessions: they could post to the engine being destroyed
        socket->close(QWebSocketProtocol::CloseCodeGoingAway, u"server shutting down"_s);
        return;
    }
    const QString peer = socket->peerAddress().toString();
    if (!m_context->counters->tryAcquire(peer, o.maxConnections, o.maxConnectionsPerAddress)) {
        m_context->counters->rejectedConnections++;
        qCInfo(lcFeed).noquote() << u"event=reject reason=too_many_connections peer=%1"_s.arg(peer);
        connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        // Not 1013 (try again later): Qt 6.4's QWebSocket takes it for an invalid code and
        // answers with a protocol error, so Qt clients would never see why.
        socket->close(QWebSocketProtocol::CloseCodePolicyViolated, u"too many connections"_s);
        return;
    }
    if (!tcp) {
        // Not one of ours (cannot happen: every socket is adopted): without its TCP socket
        // the published frames have nowhere to go.
        connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        socket->close(QWebSocketProtocol::CloseCodeAbnormalDisconnection, u"internal error"_s);
        m_context->counters->release(peer);
        return;
    }
    // Token from `?token=` or `Authorization: Bearer`; never logged.
    const QNetworkRequest request = socket->request();
    QString token = QUrlQuery(request.url()).queryItemValue(u"token"_s);
    const QByteArray authorization = request.rawHeader("Authorization");
    if (token.isEmpty() && authorization.startsWith("Bearer "))
        token = QString::fromLatin1(authorization.mid(7).trimmed());
    Session::Identity identity;
    identity.name = u"s-%1"_s.arg(qulonglong(QRandomGenerator::global()->generate64()), 16, 16,
                                  QLatin1Char('0'));
    identity.peer = peer;
    identity.encoding =
        protocol::encodingFromSubprotocol(socket->subprotocol()).value_or(Encoding::Json);
    QLatin1StringView auth = "none"_L1;
    if (!token.isEmpty()) {
        identity.account = m_context->tokens->account(token);
        auth = identity.account ? "valid"_L1 : "invalid"_L1;
    }
    auto *s = new Session(m_nextSessionId++, std::move(identity), o, steadyMs());
    s->attach(socket, tcp);
    m_sessions.insert(socket, s);
    m_byId.insert(s->id(), s);
    socket->setMaxAllowedIncomingMessageSize(quint64(o.maxMessageBytes));
    socket->setMaxAllowedIncomingFrameSize(quint64(o.maxMessageBytes));

    qCInfo(lcFeed).noquote()
        << u"event=connect session=%1 peer=%2 path=%3 encoding=%4 auth=%5 account=%6"_s.arg(
               s->name(), peer, request.url().path(), protocol::subprotocolName(s->encoding()),
               auth, s->account().value_or(u"-"_s));

    connect(socket, &QWebSocket::textMessageReceived, this,
            [this, s](const QString &text) { onMessage(s, text.toUtf8(), Encoding::Json); });
    connect(socket, &QWebSocket::binaryMessageReceived, this,
            [this, s](const QByteArray &data) { onMessage(s, data, Encoding::Cbor); });
    connect(socket, &QWebSocket::pong, this,
            [s](quint64, const QByteArray &) { s->pongReceived(steadyMs()); });
    connect(socket, &QWebSocket::bytesWritten, this, [this, s](qint64) { onBytesWritten(s); });
    connect(socket, &QWebSocket::disconnected, this, [this, socket] { onDisconnected(socket); });
    // Closed by QWebSocket itself (a message over the size limit): nothing more to send.
    connect(socket, &QWebSocket::aboutToClose, this, [s] { s->setClosing(); });

    protocol::Welcome welcome;
    welcome.session = s->name();
    welcome.ts = wallMs();
    welcome.heartbeatMs = o.heartbeatMs;
    welcome.account = s->account();
    welcome.source = m_context->sourceName;
    welcome.trading = m_context->paperTrading ? u"paper"_s : u"demo"_s;
    send(s, welcome);
    if (m_sourceStatus)
        send(s, *m_sourceStatus);
}

void FeedWorker::setSourceStatus(const protocol::SourceStatus &status)
{
    m_sourceStatus = status;
    for (Session *s : std::as_const(m_sessions))
        send(s, status);
}

void FeedWorker::onDisconnected(QWebSocket *socket)
{
    Session *s = m_sessions.take(socket);
    if (!s)
        return;
    qCInfo(lcFeed).noquote() << u"event=disconnect session=%1 code=%2 peer=%3"_s.arg(s->name())
                                    .arg(int(socket->closeCode()))
                                    .arg(s->peer());
    unlistAll(s);
    m_byId.remove(s->id());
    m_context->counters->release(s->peer());
    // close() can emit disconnected synchronously while a caller still holds `s` (a fan-out
    // loop, a send): the session is only marked dead here and freed from the event loop.
    s->setClosing();
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

void FeedWorker::onMessage(Session *s, QByteArrayView payload, Encoding encoding)
{
    if (s->isClosing())
        return;
    m_context->counters->messagesIn++;
    protocol::DecodeLimits limits;
    limits.maxBytes = m_context->options.maxMessageBytes;
    const protocol::DecodeResult decoded = protocol::decode(payload, encoding, limits);
    if (!s->admit(steadyMs())) {
        m_context->counters->rateLimited++;
        if (s->isAbusive()) {
            qCInfo(lcFeed).noquote()
                << u"event=close session=%1 reason=rate_abuse"_s.arg(s->name());
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
        send(s, protocol::Pong{ping->id, ping->t, wallMs()});
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
        if (!m_registry.knows(symbol)) {
            send(s, makeError(request.id, protocol::ErrorCode::UnknownSymbol,
                              u"unknown symbol \"%1\""_s.arg(symbol), symbol));
            continue;
        }
        const StreamRef ref{request.channel, symbol, tier,
                            request.interval.value_or(protocol::CandleInterval::M1)};
        const QString key = streamKey(ref.channel, symbol, tier, ref.interval);
        if (!s->subscription(key)) {
            if (!s->maySubscribe()) {
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
        if (s->account())
            removeStream(s, streamKey(Channel::Orders, *s->account()));
    }
    for (const QString &symbol : request.symbols) {
        if (!m_registry.knows(symbol)) {
            send(s, makeError(request.id, protocol::ErrorCode::UnknownSymbol,
                              u"unknown symbol \"%1\""_s.arg(symbol), symbol));
            continue;
        }
        // Every tier of the book / the given candle interval. Known symbols are acked even
        // when nothing was subscribed: unsubscribe is idempotent.
        QStringList keys;
        s->forEachSubscription([&](const Subscription &subscription) {
            const StreamRef &ref = subscription.ref;
            if (ref.channel == request.channel && ref.symbol == symbol
                && (request.channel != Channel::Candles || !request.interval
                    || *request.interval == ref.interval)) {
                keys.append(subscription.key);
            }
        });
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

void FeedWorker::addStream(Session *s, const QString &key, const StreamRef &ref)
{
    if (Subscription *subscription = s->addSubscription(key, ref))
        m_registry.add(subscription);
}

void FeedWorker::removeStream(Session *s, const QString &key)
{
    if (const Subscription *subscription = s->subscription(key)) {
        m_registry.remove(subscription);
        s->removeSubscription(key);
    }
}

void FeedWorker::unlistAll(Session *s)
{
    s->forEachSubscription(
        [this](const Subscription &subscription) { m_registry.remove(&subscription); });
}

void FeedWorker::orderRequest(Session *s, const protocol::Message &request)
{
    const auto id = protocol::requestId(request);
    if (!s->account()) {
        send(s, makeError(id, protocol::ErrorCode::Unauthorized,
                          u"orders need a valid token (?token= or Authorization: Bearer)"_s));
        return;
    }
    QString stream;
    if (std::holds_alternative<protocol::Subscribe>(request)) {
        stream = streamKey(Channel::Orders, *s->account());
        if (!s->subscription(stream)) {
            if (!s->maySubscribe()) {
                send(s, makeError(id, protocol::ErrorCode::TooManySubscriptions,
                                  u"at most %1 subscriptions per connection"_s.arg(
                                      m_context->options.maxSubscriptions)));
                return;
            }
        }
        // Account events published before the reply are skipped; the reply says from where on.
        removeStream(s, stream);
        addStream(s, stream, StreamRef{Channel::Orders, *s->account(), 0, {}});
    }
    MarketBackend *backend = m_context->backend;
    const quint64 sessionId = s->id();
    const QString account = *s->account();
    QMetaObject::invokeMethod(
        backend,
        [backend, this, inbox = m_inbox, sessionId, account, request, stream] {
            backend->orderRequest(
                account, request,
                [this, inbox, sessionId, stream](const QList<protocol::Message> &messages,
                                                 std::optional<std::int64_t> ordersSeq) {
                    inbox->post([this, sessionId, stream, messages, ordersSeq] {
                        applyOrderReply(sessionId, messages, ordersSeq, stream);
                    });
                });
        },
        Qt::QueuedConnection);
}

void FeedWorker::applyOrderReply(quint64 sessionId, const QList<protocol::Message> &messages,
                                 std::optional<std::int64_t> ordersSeq, const QString &stream)
{
    Session *s = m_byId.value(sessionId);
    if (!s || s->isClosing())
        return;
    for (const protocol::Message &m : messages)
        send(s, m);
    Subscription *subscription = stream.isEmpty() ? nullptr : s->subscription(stream);
    if (!subscription)
        return;
    if (ordersSeq)
        subscription->lastSeq = *ordersSeq;
    else
        removeStream(s, stream); // refused (error reply): not subscribed
}

void FeedWorker::requestSnapshots(Session *s, const QList<StreamRef> &streams)
{
    MarketBackend *backend = m_context->backend;
    const quint64 sessionId = s->id();
    // The reply goes into this worker's inbox after every batch the engine published before
    // building the snapshot, and before every later batch: that is the ordering guarantee.
    QMetaObject::invokeMethod(
        backend,
        [backend, this, inbox = m_inbox, sessionId, streams] {
            backend->snapshots(streams, [this, inbox,
                                         sessionId](const QList<StreamSnapshot> &snapshots) {
                inbox->post([this, sessionId, snapshots] { applySnapshots(sessionId, snapshots); });
            });
        },
        Qt::QueuedConnection);
}

void FeedWorker::applySnapshots(quint64 sessionId, const QList<StreamSnapshot> &snapshots)
{
    Session *s = m_byId.value(sessionId);
    if (!s || s->isClosing())
        return;
    for (const StreamSnapshot &snap : snapshots) {
        Subscription *subscription = s->subscription(snap.stream);
        if (!subscription || subscription->lastSeq != Pending)
            continue; // unsubscribed meanwhile
        for (const protocol::Message &m : snap.messages)
            send(s, m);
        subscription->lastSeq = snap.seq;
        if (s->isClosing())
            return;
    }
}

void FeedWorker::drainInbox()
{
    const std::int64_t maxAgeMs = m_context->options.maxBatchAgeMs;
    const std::int64_t now = QDeadlineTimer::current().deadline();
    std::deque<WorkerInbox::Item> items = m_inbox->take();
    const QScopedValueRollback inTurn(m_inTurn, true);
    m_batchNowMs = now;
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
        for (Subscription *subscription : m_registry.market(it.key())) {
            const Session *s = subscription->session;
            if (s->isClosing() || subscription->lastSeq == Pending)
                continue; // a snapshot is on its way that is newer than what was dropped
            m_unpublishedTradesDropped += it.value();
            subscription->lastSeq = Stale;
            queue = queue || !s->isConflated(); // a conflated one queues it when it drains
        }
        if (queue)
            m_resync.add(it.key());
    }
}

void FeedWorker::requestResyncs()
{
    if (m_shutDown)
        return; // the engine may be going away
    MarketBackend *backend = m_context->backend;
    for (const int id : m_resync.takeRequests()) {
        const QList<Subscription *> &subscribers = m_registry.market(id);
        const bool waiting =
            std::any_of(subscribers.cbegin(), subscribers.cend(), [](const Subscription *sub) {
                return sub->lastSeq == Stale && !sub->session->isConflated();
            });
        if (!waiting) { // unsubscribed, or tickers resynced by a live ticker meanwhile
            m_resync.done(id, true);
            continue;
        }
        // Built after every batch the engine published so far and queued ahead of the later
        // ones, like a subscribe's snapshot; it serves whoever is still Stale when it arrives.
        const StreamRef ref = subscribers.first()->ref;
        QMetaObject::invokeMethod(
            backend,
            [backend, this, inbox = m_inbox, id, ref] {
                backend->resyncSnapshot(id, ref, [this, inbox, id](const PublishedBatch &frames) {
                    inbox->post([this, id, frames] { applyResync(id, frames); });
                });
            },
            Qt::QueuedConnection);
    }
}

void FeedWorker::applyResync(int streamId, const PublishedBatch &frames)
{
    const QList<Subscription *> subscribers = m_registry.market(streamId); // a write may close
    const qsizetype n = subscribers.size();
    int &cursor = m_resyncCursor[std::size_t(streamId)];
    bool complete = true;
    m_batchNowMs = steadyMs();
    // Round-robin from where the last partial resync of this stream stopped: none starves.
    for (qsizetype i = 0; i < n; ++i) {
        const qsizetype at = (cursor + i) % n;
        Subscription *subscription = subscribers[at];
        Session *s = subscription->session;
        if (s->isClosing() || s->isConflated() || subscription->lastSeq != Stale)
            continue;
        if (!m_resync.mayWrite()) {
            complete = false;
            cursor = int(at);
            break;
        }
        if (frames.isEmpty() || frames.first()->frame(s->encoding()).isEmpty()) {
            // Not encoded for this session (cannot happen while subscribed): its own snapshot.
            subscription->lastSeq = Pending;
            requestSnapshots(s, {subscription->ref});
            continue;
        }
        for (const PublishedEventPtr &event : frames) {
            const QByteArray &frame = event->frame(s->encoding());
            m_resync.spend(frame.size());
            writeFrame(s, frame);
        }
        subscription->lastSeq = frames.last()->seq;
        m_context->counters->resyncs++;
    }
    m_resync.done(streamId, complete);
}

void FeedWorker::deliver(const PublishedBatch &batch)
{
    m_batchNowMs = steadyMs();
    for (const PublishedEventPtr &event : batch) {
        const QList<Subscription *> *list = m_registry.subscribers(event->streamId, event->stream);
        if (!list || list->isEmpty())
            continue;
        const QList<Subscription *> subscribers = *list; // a write may close a session
        for (Subscription *subscription : subscribers) {
            Session *s = subscription->session;
            if (s->isClosing())
                continue;
            const QByteArray &frame = event->frame(s->encoding());
            switch (fanOutStep(subscription->lastSeq, event->seq, event->channel, s->isConflated(),
                               !frame.isEmpty())) {
            case FanOutStep::Skip:
                break;
            case FanOutStep::Drop:
                if (event->channel == Channel::Trades)
                    ++m_unpublishedTradesDropped;
                break;
            case FanOutStep::Resnapshot:
                requestSnapshots(s, {subscription->ref});
                break;
            case FanOutStep::Write:
                writeFrame(s, frame);
                break;
            }
        }
    }
}

void FeedWorker::writeFrame(Session *s, const QByteArray &frame)
{
    if (s->write(frame))
        m_written.append(s);
    if (s->batchFull())
        flushSession(s);
}

void FeedWorker::flushSession(Session *s)
{
    const Session::Batch batch = s->takeBatch();
    m_unpublishedMessages += batch.messages;
    m_unpublishedBytes += batch.bytes;
    if (s->isClosing() || batch.messages == 0)
        return;
    s->flush(m_batchNowMs);
    if (s->isClosing())
        return;
    // What is still queued is what the client has not taken.
    const FeedServerOptions &o = m_context->options;
    switch (s->checkBacklog()) {
    case Session::Backlog::Fine:
        break;
    case Session::Backlog::Conflate:
        m_context->counters->conflations++;
        qCInfo(lcFeed).noquote() << u"event=conflate session=%1 queued=%2"_s.arg(s->name()).arg(
            s->tcp()->bytesToWrite());
        break;
    case Session::Backlog::Close:
        m_context->counters->slowConsumerClosed++;
        qCInfo(lcFeed).noquote()
            << u"event=close session=%1 reason=slow_consumer queued=%2"_s.arg(s->name()).arg(
                   s->tcp()->bytesToWrite());
        closeSession(s, QWebSocketProtocol::CloseCodePolicyViolated,
                     u"slow consumer: output above %1 bytes"_s.arg(o.hardWatermarkBytes));
        break;
    }
}

void FeedWorker::settleBatch()
{
    // Hand every session's frames of this turn to the kernel now, not when the event loop
    // next gets to the socket: the first event of a batch must not wait for the last.
    const QList<Session *> written = std::exchange(m_written, {});
    for (Session *s : written)
        flushSession(s);
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
    if (s->isClosing())
        return;
    // Framed here, like published events (QWebSocket would re-encode JSON text from a QString),
    // and written in order with them: within an inbox turn with the turn's frames, otherwise
    // at once.
    if (!m_inTurn)
        m_batchNowMs = steadyMs();
    writeFrame(s, webSocketFrame(s->encoding(), protocol::encode(message, s->encoding())));
    if (!m_inTurn) {
        settleBatch();
        publishCounters();
    }
}

void FeedWorker::onBytesWritten(Session *s)
{
    if (!s->leaveConflationIfDrained())
        return;
    int stale = 0;
    s->forEachSubscription([&](const Subscription &subscription) {
        if (subscription.lastSeq == Stale) {
            m_resync.add(subscription.id);
            ++stale;
        }
    });
    qCInfo(lcFeed).noquote() << u"event=drained session=%1 resync=%2"_s.arg(s->name()).arg(stale);
    requestResyncs();
}

void FeedWorker::closeSession(Session *s, int code, const QString &reason)
{
    if (s->isClosing())
        return;
    s->setClosing();
    // QWebSocket closes its TCP socket right after the close frame: that socket's linger
    // (CloseLinger) delivers the frame, and ends a peer that never answers.
    s->socket()->close(QWebSocketProtocol::CloseCode(code), reason);
}

void FeedWorker::onTimer()
{
    const FeedServerOptions &o = m_context->options;
    const std::int64_t now = steadyMs();
    m_handshakes->expire(now);
    const QList<Session *> sessions = m_sessions.values();
    for (Session *s : sessions) {
        if (s->isClosing())
            continue;
        const Session::Due due = s->due(now);
        switch (due.close) {
        case Session::Due::Close::No:
            break;
        case Session::Due::Close::SlowConsumer:
            m_context->counters->slowConsumerClosed++;
            qCInfo(lcFeed).noquote()
                << u"event=close session=%1 reason=slow_consumer_grace"_s.arg(s->name());
            closeSession(s, QWebSocketProtocol::CloseCodePolicyViolated,
                         u"slow consumer: conflated for more than %1 ms"_s.arg(o.slowGraceMs));
            continue;
        case Session::Due::Close::PingTimeout:
            qCInfo(lcFeed).noquote()
                << u"event=close session=%1 reason=ping_timeout"_s.arg(s->name());
            closeSession(s, QWebSocketProtocol::CloseCodePolicyViolated, u"ping timeout"_s);
            continue;
        }
        if (due.ping)
            s->socket()->ping();
        if (due.heartbeat)
            send(s, protocol::Heartbeat{wallMs()});
    }
}

void FeedWorker::shutdown()
{
    m_shutDown = true;
    m_handshakes->stop();
    m_timer->stop();
    const QList<Session *> sessions = m_sessions.values();
    for (Session *s : sessions) {
        if (s->isClosing())
            continue;
        s->setClosing();
        s->socket()->close(QWebSocketProtocol::CloseCodeGoingAway, u"server shutting down"_s);
        s->socket()->flush();
    }
}

} // namespace tickwire::server
