#include "cluster/gatewaymarket.h"

#include "protocol/codec.h"

#include <QtCore/QDateTime>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QLoggingCategory>
#include <QtCore/QMap>
#include <QtCore/QTimer>

#include <algorithm>
#include <memory>

namespace tickwire::cluster {

Q_LOGGING_CATEGORY(lcGateway, "tickwire.cluster.gateway")

using namespace Qt::StringLiterals;
using backplane::NatsError;
using backplane::NatsMessage;
using backplane::NatsReply;
using protocol::Channel;
using protocol::Message;
using server::PublishedEvent;
using server::PublishedEventPtr;

namespace {

// Events forwarded at once, whatever their age (a burst does not wait for the timer).
constexpr qsizetype MaxBatch = 1024;
// Account events kept after publication, for answers that were on their way meanwhile (a
// subscription's answer takes one request to the engine or one read of the stream).
constexpr qsizetype PublishedKept = 256;

protocol::Error unavailable(const Message &request, const QString &text)
{
    protocol::Error error;
    error.id = protocol::requestId(request);
    error.code = protocol::ErrorCode::Unavailable;
    error.message = text;
    return error;
}

// A request the engine can take twice without doing it twice.
bool repeatable(const Message &request)
{
    if (const auto *place = std::get_if<protocol::PlaceOrder>(&request))
        return !place->clientOrderId.isEmpty(); // the exchange's idempotency key
    return std::holds_alternative<protocol::CancelOrder>(request)
           || std::holds_alternative<protocol::CancelAll>(request)
           || std::holds_alternative<protocol::Subscribe>(request);
}

std::optional<std::int64_t> headerNumber(const NatsMessage &message, const char *key)
{
    const QByteArray value = message.header(key);
    bool ok = false;
    const std::int64_t n = value.toLongLong(&ok);
    return ok ? std::optional<std::int64_t>(n) : std::nullopt;
}

// The account events of one epoch read from the stream, by seq (a retried append that was
// stored twice counts once).
QMap<std::int64_t, QByteArray> epochEvents(const QList<NatsMessage> &history, std::int64_t epoch)
{
    QMap<std::int64_t, QByteArray> events;
    for (const NatsMessage &m : history) {
        const auto seq = headerNumber(m, SeqHeader);
        if (seq && headerNumber(m, EpochHeader) == epoch)
            events.insert(*seq, m.payload);
    }
    return events;
}

// Adds the events with seq > `after` to `events`.
void mergeAfter(QMap<std::int64_t, QByteArray> *events,
                const QList<std::pair<std::int64_t, QByteArray>> &more, std::int64_t after)
{
    for (const auto &[seq, json] : more) {
        if (seq > after)
            events->insert(seq, json);
    }
}

std::optional<Message> decodeJson(const QByteArray &json)
{
    protocol::DecodeResult decoded = protocol::decode(json, protocol::Encoding::Json);
    if (!decoded.ok())
        return std::nullopt;
    return std::move(decoded.message);
}

} // namespace

GatewayMarket::GatewayMarket(EngineInfo engine, GatewayOptions options)
    : m_engine(std::move(engine))
    , m_options(std::move(options))
{
    const QList<server::StreamRef> refs = streamRefs(m_engine.instruments);
    m_streams.resize(std::size_t(refs.size()));
    for (qsizetype id = 0; id < refs.size(); ++id) {
        Stream &s = m_streams[std::size_t(id)];
        s.ref = refs[id];
        s.key = server::streamKey(s.ref.channel, s.ref.symbol, s.ref.tier, s.ref.interval);
        s.subject = marketSubject(s.ref);
        m_streamIds.insert(s.key, int(id));
    }
    m_clock.start();
}

GatewayMarket::~GatewayMarket() = default;

void GatewayMarket::start()
{
    m_nats = new backplane::NatsClient(this);
    m_flushTimer = new QTimer(this);
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setTimerType(Qt::PreciseTimer);
    m_flushTimer->setInterval(m_options.batchMs);
    connect(m_flushTimer, &QTimer::timeout, this, &GatewayMarket::flush);
    m_checkTimer = new QTimer(this);
    connect(m_checkTimer, &QTimer::timeout, this, &GatewayMarket::checkEngine);
    m_checkTimer->start(std::max(50, m_options.engineSilenceMs / 4));
    auto *sweep = new QTimer(this);
    connect(sweep, &QTimer::timeout, this, &GatewayMarket::dropUnwanted);
    sweep->start(1000);

    connect(m_nats, &backplane::NatsClient::messageReceived, this, &GatewayMarket::onMessage);
    connect(m_nats, &backplane::NatsClient::slowConsumer, this, [this](quint64 subscription) {
        // Messages of the subscription were dropped: its stream resyncs, its account refills.
        if (const int id = m_streamBySubscription.value(subscription, -1); id >= 0) {
            qCWarning(lcGateway).noquote()
                << u"event=slow_consumer stream=%1"_s.arg(m_streams[std::size_t(id)].key);
            m_streams[std::size_t(id)].lastSeq = -1;
            flush();
            Q_EMIT streamsLost({{id, 0}});
        } else if (const QString name = m_accountBySubscription.value(subscription);
                   !name.isEmpty()) {
            fillAccount(name);
        }
    });
    connect(m_nats, &backplane::NatsClient::disconnected, this, [this] {
        qCWarning(lcGateway).noquote() << u"event=nats_disconnected"_s;
        checkEngine();
    });
    connect(m_nats, &backplane::NatsClient::reconnected, this, [this](const QString &url) {
        // What was published meanwhile is lost for this connection: every stream resyncs,
        // every account refills from the stream.
        qCInfo(lcGateway).noquote() << u"event=nats_reconnected url=%1"_s.arg(url);
        resyncAll();
        const QStringList names = m_accounts.keys();
        for (const QString &name : names)
            fillAccount(name);
    });
    backplane::NatsOptions nats = m_options.nats;
    if (nats.name.isEmpty())
        nats.name = u"tickwire-gateway"_s;
    const NatsError opened = m_nats->open(nats);
    if (opened.isError())
        qCCritical(lcGateway).noquote() << u"event=nats_unusable reason=\"%1\""_s.arg(opened.text);
    m_heartbeatSubscription = m_nats->subscribe(HeartbeatSubject).id;
    // Until the engine is heard from, clients hear that the market is down.
    m_lastHeartbeatMs = nowMs();
    m_reachable = true;
    setReachable(true);
}

void GatewayMarket::onMessage(quint64 subscription, const NatsMessage &message)
{
    if (subscription == m_heartbeatSubscription)
        return onHeartbeat(message);
    if (const int id = m_streamBySubscription.value(subscription, -1); id >= 0)
        return onMarket(id, message);
    if (const QString name = m_accountBySubscription.value(subscription); !name.isEmpty())
        onAccount(name, message);
}

void GatewayMarket::onHeartbeat(const NatsMessage &message)
{
    QString error;
    const std::optional<EngineInfo> info = decodeEngineInfo(message.payload, &error);
    if (!info) {
        qCWarning(lcGateway).noquote() << u"event=bad_heartbeat reason=\"%1\""_s.arg(error);
        return;
    }
    m_lastHeartbeatMs = nowMs();
    m_lastHeartbeatTs = QDateTime::currentMSecsSinceEpoch();
    if (info->boot != m_engine.boot) {
        // Another engine process: its streams started over (above the old seqs).
        qCInfo(lcGateway).noquote()
            << u"event=engine_restarted boot=%1 epoch=%2"_s.arg(info->boot).arg(info->epoch);
        m_engine.boot = info->boot;
        resyncAll();
    }
    if (info->epoch != m_engine.epoch) {
        for (Account &a : m_accounts) {
            a.lastSeq = -1; // a new epoch starts its seqs over
            a.published.clear();
        }
    }
    m_engine.epoch = info->epoch;
    m_engine.status = info->status;
    checkEngine();
}

void GatewayMarket::checkEngine()
{
    const bool connected = m_nats && m_nats->state() == backplane::NatsClient::State::Connected;
    const bool heard =
        m_lastHeartbeatMs >= 0 && nowMs() - m_lastHeartbeatMs <= m_options.engineSilenceMs;
    setReachable(connected && heard);
}

void GatewayMarket::setReachable(bool reachable)
{
    if (reachable != m_reachable)
        qCInfo(lcGateway).noquote()
            << (reachable ? u"event=engine_reachable"_s : u"event=engine_unreachable"_s);
    m_reachable = reachable;
    protocol::SourceStatus status;
    if (reachable && m_engine.status) {
        status = *m_engine.status;
    } else {
        status.source = m_engine.source;
        status.state = reachable ? protocol::SourceState::Live : protocol::SourceState::Down;
        status.lastMessageTs = m_lastHeartbeatTs;
    }
    // Only a change is news (ts and last_message_ts move with every heartbeat).
    const bool changed = !m_sentStatus || m_sentStatus->state != status.state
                         || m_sentStatus->source != status.source
                         || m_sentStatus->reconnects != status.reconnects;
    if (!changed)
        return;
    status.ts = QDateTime::currentMSecsSinceEpoch();
    m_sentStatus = status;
    // A simulated market has no source_status of its own: it is sent only once it has been
    // down (the protocol: without one, a client takes the market as always live).
    if (!m_engine.status && status.state == protocol::SourceState::Live && !m_wasDown)
        return;
    m_wasDown = m_wasDown || status.state == protocol::SourceState::Down;
    flush();
    Q_EMIT sourceStatusChanged(status);
}

void GatewayMarket::resyncAll()
{
    QHash<int, qint64> lost;
    for (std::size_t id = 0; id < m_streams.size(); ++id) {
        Stream &s = m_streams[id];
        if (!s.subscription)
            continue;
        s.lastSeq = -1;
        lost.insert(int(id), 0);
    }
    flush();
    if (!lost.isEmpty())
        Q_EMIT streamsLost(lost);
}

void GatewayMarket::dropUnwanted()
{
    if (!m_interest)
        return;
    for (std::size_t id = 0; id < m_streams.size(); ++id) {
        Stream &s = m_streams[id];
        if (!s.subscription || s.waiting > 0)
            continue;
        const server::EncodingSet wanted = m_interest->wanted(int(id));
        if (wanted.json || wanted.cbor)
            continue;
        m_nats->unsubscribe(s.subscription);
        m_streamBySubscription.remove(s.subscription);
        s.subscription = 0;
        s.lastSeq = -1;
        s.held.clear();
    }
}

GatewayMarket::Stream &GatewayMarket::subscribed(int streamId)
{
    Stream &s = m_streams[std::size_t(streamId)];
    if (!s.subscription) {
        const backplane::NatsClient::Subscription sub = m_nats->subscribe(s.subject);
        if (sub.error.isError()) {
            qCWarning(lcGateway).noquote()
                << u"event=subscribe_failed subject=%1 reason=\"%2\""_s.arg(s.subject,
                                                                            sub.error.text);
        } else {
            s.subscription = sub.id;
            s.lastSeq = -1;
            m_streamBySubscription.insert(sub.id, streamId);
        }
    }
    return s;
}

void GatewayMarket::onMarket(int streamId, const NatsMessage &message)
{
    Stream &s = m_streams[std::size_t(streamId)];
    const std::optional<std::int64_t> seq = headerNumber(message, SeqHeader);
    if (!seq) {
        qCWarning(lcGateway).noquote()
            << u"event=bad_event subject=%1 reason=\"no seq\""_s.arg(message.subject);
        return;
    }
    if (s.lastSeq >= 0 && *seq <= s.lastSeq)
        return; // seen
    if (s.lastSeq >= 0 && *seq > s.lastSeq + 1) {
        // Lost on the way: the subscribers wait for a snapshot, from here on in order.
        flush();
        Q_EMIT streamsLost({{streamId, 0}});
    }
    s.lastSeq = *seq;
    if (s.waiting > 0)
        s.held.append({*seq, message.payload});
    const server::EncodingSet encodings =
        m_interest ? m_interest->wanted(streamId) : server::EncodingSet{};
    if (!encodings.json && !encodings.cbor)
        return;
    if (PublishedEventPtr event =
            makeEvent(s.key, s.ref.channel, *seq, streamId, message.payload, encodings))
        append(std::move(event));
}

PublishedEventPtr GatewayMarket::makeEvent(const QString &key, Channel channel, std::int64_t seq,
                                           int streamId, const QByteArray &json,
                                           server::EncodingSet encodings) const
{
    auto event = std::make_shared<PublishedEvent>();
    event->stream = key;
    event->channel = channel;
    event->seq = seq;
    event->streamId = streamId;
    if (encodings.json)
        event->jsonFrame = server::webSocketFrame(protocol::Encoding::Json, json);
    if (encodings.cbor) {
        const std::optional<Message> message = decodeJson(json);
        if (!message) {
            qCWarning(lcGateway).noquote()
                << u"event=bad_event stream=%1 seq=%2 reason=\"unreadable JSON\""_s.arg(key).arg(
                       seq);
            return nullptr;
        }
        event->cborFrame = server::webSocketFrame(
            protocol::Encoding::Cbor, protocol::encode(*message, protocol::Encoding::Cbor));
    }
    return event;
}

void GatewayMarket::append(PublishedEventPtr event)
{
    m_batch.append(std::move(event));
    if (m_batch.size() >= MaxBatch)
        flush();
    else if (!m_flushTimer->isActive())
        m_flushTimer->start();
}

void GatewayMarket::flush()
{
    m_flushTimer->stop();
    if (m_batch.isEmpty())
        return;
    Q_EMIT published(std::exchange(m_batch, {}));
}

void GatewayMarket::requestSnapshot(int streamId, const SnapshotDone &done)
{
    Stream &s = subscribed(streamId);
    ++s.waiting;
    protocol::Subscribe request;
    request.channel = s.ref.channel;
    request.symbols = {s.ref.symbol};
    if (s.ref.channel == Channel::Book)
        request.depth = s.ref.tier;
    if (s.ref.channel == Channel::Candles)
        request.interval = s.ref.interval;
    NatsReply *reply =
        m_nats->request(SnapshotSubject, protocol::encode(request, protocol::Encoding::Json),
                        m_options.requestTimeoutMs);
    connect(reply, &NatsReply::finished, this, [this, reply, streamId, done] {
        reply->deleteLater();
        Stream &current = m_streams[std::size_t(streamId)];
        --current.waiting;
        const Held held = current.waiting == 0 ? std::exchange(current.held, {}) : current.held;
        const NatsMessage &answer = reply->message();
        const QByteArray refusal = answer.header(ErrorHeader);
        std::optional<std::int64_t> seq = headerNumber(answer, SeqHeader);
        QString error;
        std::optional<QList<Message>> messages;
        if (!reply->error().isError() && refusal.isNull() && seq)
            messages = decodeLines(answer.payload, &error);
        if (!messages) {
            if (!refusal.isNull()) { // the engine does not know the stream: nothing to wait for
                done(std::nullopt);
                return;
            }
            const server::EncodingSet wanted =
                m_interest ? m_interest->wanted(streamId) : server::EncodingSet{};
            if (!wanted.json && !wanted.cbor) {
                done(std::nullopt); // nobody wants it any more
                return;
            }
            // The engine is away (or restarting): ask again until it answers.
            QTimer::singleShot(500, this,
                               [this, streamId, done] { requestSnapshot(streamId, done); });
            return;
        }
        Snapshot snapshot;
        snapshot.seq = *seq;
        snapshot.messages = std::move(*messages);
        for (const auto &event : held) {
            if (event.first > snapshot.seq)
                snapshot.trailing.append(event);
        }
        done(snapshot);
    });
}

void GatewayMarket::snapshots(const QList<server::StreamRef> &streams, const SnapshotsDone &done)
{
    struct Collect
    {
        qsizetype outstanding = 0;
        QList<server::StreamSnapshot> snapshots;
    };
    auto collect = std::make_shared<Collect>();
    QList<int> ids;
    for (const server::StreamRef &ref : streams) {
        const int id = m_streamIds.value(
            server::streamKey(ref.channel, ref.symbol, ref.tier, ref.interval), -1);
        if (id >= 0)
            ids.append(id);
    }
    collect->outstanding = ids.size();
    if (ids.isEmpty()) {
        done({});
        return;
    }
    for (const int id : std::as_const(ids)) {
        requestSnapshot(id, [this, id, collect, done](const std::optional<Snapshot> &snapshot) {
            if (snapshot) {
                const Stream &s = m_streams[std::size_t(id)];
                server::StreamSnapshot out;
                out.stream = s.key;
                out.seq = snapshot->seq;
                out.messages = snapshot->messages;
                for (const auto &[seq, json] : snapshot->trailing) {
                    if (std::optional<Message> m = decodeJson(json)) {
                        out.messages.append(std::move(*m));
                        out.seq = seq;
                    }
                }
                collect->snapshots.append(std::move(out));
            }
            if (--collect->outstanding == 0)
                done(collect->snapshots);
        });
    }
}

void GatewayMarket::resyncSnapshot(int streamId, const server::StreamRef &stream,
                                   const ResyncDone &done)
{
    Q_UNUSED(stream)
    if (streamId < 0 || std::size_t(streamId) >= m_streams.size()) {
        done({});
        return;
    }
    requestSnapshot(streamId, [this, streamId, done](const std::optional<Snapshot> &snapshot) {
        server::PublishedBatch frames;
        if (snapshot) {
            const Stream &s = m_streams[std::size_t(streamId)];
            const server::EncodingSet encodings =
                m_interest ? m_interest->wanted(streamId) : server::EncodingSet{};
            for (const Message &m : snapshot->messages)
                frames.append(PublishedEvent::make(s.key, s.ref.channel, snapshot->seq, m, streamId,
                                                   encodings));
            for (const auto &[seq, json] : snapshot->trailing) {
                if (PublishedEventPtr e =
                        makeEvent(s.key, s.ref.channel, seq, streamId, json, encodings))
                    frames.append(std::move(e));
            }
        }
        // What the workers hold is older than this; later events follow in the same inbox.
        flush();
        done(frames);
    });
}

// ---- orders ---------------------------------------------------------------------------------

GatewayMarket::Account &GatewayMarket::account(const QString &name)
{
    Account &a = m_accounts[name];
    if (!a.subscription) {
        a.subject = accountSubject(name);
        a.epoch = m_engine.epoch;
        const backplane::NatsClient::Subscription sub = m_nats->subscribe(a.subject);
        if (!sub.error.isError()) {
            a.subscription = sub.id;
            m_accountBySubscription.insert(sub.id, name);
        }
    }
    return a;
}

void GatewayMarket::orderRequest(const QString &accountName, const Message &request,
                                 const server::OrderService::Reply &reply)
{
    if (const auto *subscribe = std::get_if<protocol::Subscribe>(&request)) {
        subscribeOrders(accountName, *subscribe, reply);
        return;
    }
    if (const auto *unsubscribe = std::get_if<protocol::Unsubscribe>(&request)) {
        protocol::Ack ack;
        ack.id = unsubscribe->id;
        ack.channel = Channel::Orders;
        reply({ack}, std::nullopt);
        return;
    }
    sendOrder(accountName, request, reply, nowMs() + m_options.orderDeadlineMs);
}

void GatewayMarket::sendOrder(const QString &accountName, const Message &request,
                              const server::OrderService::Reply &reply, std::int64_t deadlineMs)
{
    if (!engineReachable()) {
        // A NATS reconnect or a leader election takes a moment: wait for it, within the
        // deadline, then refuse (never queue longer).
        if (nowMs() < deadlineMs) {
            QTimer::singleShot(250, this, [this, accountName, request, reply, deadlineMs] {
                sendOrder(accountName, request, reply, deadlineMs);
            });
            return;
        }
        reply({unavailable(request, u"the exchange cannot be reached from this server now; "
                                    u"the request was not sent"_s)},
              std::nullopt);
        return;
    }
    NatsReply *answer =
        m_nats->request(OrdersSubject, protocol::encode(request, protocol::Encoding::Json),
                        m_options.requestTimeoutMs, {{AccountHeader, accountName.toUtf8()}});
    connect(answer, &NatsReply::finished, this,
            [this, answer, accountName, request, reply, deadlineMs] {
                answer->deleteLater();
                const NatsError &error = answer->error();
                if (!error.isError()) {
                    const NatsMessage &m = answer->message();
                    if (const QByteArray refusal = m.header(ErrorHeader); !refusal.isNull()) {
                        reply({protocol::Error{protocol::requestId(request),
                                               QString(protocol::ErrorCode::BadRequest),
                                               QString::fromUtf8(refusal),
                                               {}}},
                              std::nullopt);
                        return;
                    }
                    QString why;
                    if (std::optional<QList<Message>> messages = decodeLines(m.payload, &why)) {
                        reply(*messages, headerNumber(m, OrdersSeqHeader));
                        return;
                    }
                    reply({unavailable(request, u"unreadable answer from the exchange: "_s + why)},
                          std::nullopt);
                    return;
                }
                // Nobody took it (the engine is restarting, a leader moves): safe to send
                // again. A timeout may have been taken: again only when that is harmless.
                const bool again =
                    error.kind == NatsError::Kind::NoResponders
                    || (error.kind == NatsError::Kind::Timeout && repeatable(request));
                if (again && nowMs() < deadlineMs) {
                    QTimer::singleShot(250, this, [this, accountName, request, reply, deadlineMs] {
                        sendOrder(accountName, request, reply, deadlineMs);
                    });
                    return;
                }
                const QString text =
                    error.kind == NatsError::Kind::Timeout
                        ? u"no answer from the exchange in time; the request may have been "
                          u"carried out: the order stream shows it if so"_s
                        : u"the exchange cannot be reached from this server now; the request "
                          u"was not carried out"_s;
                reply({unavailable(request, text)}, std::nullopt);
            });
}

void GatewayMarket::subscribeOrders(const QString &name, const protocol::Subscribe &request,
                                    const server::OrderService::Reply &reply)
{
    Account &a = account(name);
    ++a.waiting; // from here on, live events are kept for this subscription
    const std::optional<protocol::ResumePoint> resume = request.resume;
    if (!resume || resume->epoch != m_engine.epoch || m_engine.epoch == 0) {
        forwardSubscribe(name, request, reply);
        return;
    }
    // Centrifugo's rule: live first (above), then the history, merged without gaps or
    // duplicates; anything short of that is answered by the engine with a snapshot.
    NatsReply *history =
        m_nats->readSubject(AccountStream, a.subject, 1, m_options.historyTimeoutMs);
    connect(history, &NatsReply::finished, this, [this, history, name, request, reply] {
        history->deleteLater();
        if (history->error().isError()) {
            qCInfo(lcGateway).noquote()
                << u"event=resume_from_engine account=%1 after=%2 reason=\"%3\""_s.arg(name)
                       .arg(request.resume->seq)
                       .arg(history->error().text);
            forwardSubscribe(name, request, reply);
            return;
        }
        Account &current = m_accounts[name];
        const protocol::ResumePoint point = *request.resume;
        QMap<std::int64_t, QByteArray> events = epochEvents(history->messages(), point.epoch);
        const std::int64_t stored = events.isEmpty() ? 0 : events.lastKey();
        events.erase(events.begin(), events.upperBound(point.seq));
        mergeAfter(&events, current.recent, point.seq);
        QList<Message> messages;
        std::int64_t expected = point.seq + 1;
        bool recovered = point.seq <= std::max(stored, current.lastSeq);
        for (auto it = events.cbegin(); recovered && it != events.cend(); ++it) {
            std::optional<Message> m = decodeJson(it.value());
            recovered = it.key() == expected && m.has_value();
            if (recovered)
                messages.append(std::move(*m));
            ++expected;
        }
        if (!recovered) {
            qCInfo(lcGateway).noquote()
                << u"event=resume_from_engine account=%1 after=%2 reason=\"not in the stream "
                   "(stored up to %3, live from %4)\""_s.arg(name)
                       .arg(point.seq)
                       .arg(stored)
                       .arg(current.lastSeq);
            forwardSubscribe(name, request, reply);
            return;
        }
        std::int64_t last = expected - 1;
        catchUp(current, &messages, &last);
        --current.waiting;
        if (current.waiting == 0)
            current.recent.clear();
        protocol::Ack ack;
        ack.id = request.id;
        ack.channel = Channel::Orders;
        ack.recovered = true;
        messages.append(ack);
        reply(messages, last);
    });
}

void GatewayMarket::forwardSubscribe(const QString &name, const protocol::Subscribe &request,
                                     const server::OrderService::Reply &reply)
{
    sendOrder(
        name, request,
        [this, name, request, reply](const QList<Message> &messages,
                                     std::optional<std::int64_t> ordersSeq) {
            const auto *error =
                messages.size() == 1 ? std::get_if<protocol::Error>(&messages.first()) : nullptr;
            if (error && error->code == protocol::ErrorCode::Unavailable) {
                // A subscription is not an order: it waits for the engine, as a market
                // stream's snapshot does (the session hears `down` meanwhile).
                QTimer::singleShot(1000, this, [this, name, request, reply] {
                    forwardSubscribe(name, request, reply);
                });
                return;
            }
            Account &a = m_accounts[name];
            --a.waiting;
            QList<Message> out = messages;
            std::optional<std::int64_t> position = ordersSeq;
            if (position) {
                // The events since the engine's answer (events or a snapshot) follow it.
                catchUp(a, &out, &*position);
            }
            if (a.waiting == 0)
                a.recent.clear();
            reply(out, position);
        },
        nowMs() + m_options.orderDeadlineMs);
}

void GatewayMarket::onAccount(const QString &name, const NatsMessage &message)
{
    Account &a = m_accounts[name];
    const std::optional<std::int64_t> seq = headerNumber(message, SeqHeader);
    const std::optional<std::int64_t> epoch = headerNumber(message, EpochHeader);
    if (!seq || !epoch) {
        qCWarning(lcGateway).noquote()
            << u"event=bad_event subject=%1 reason=\"no seq or epoch\""_s.arg(message.subject);
        return;
    }
    if (*epoch != a.epoch) {
        a.epoch = *epoch;
        a.lastSeq = -1;
        a.published.clear();
    }
    if (a.waiting > 0)
        a.recent.append({*seq, message.payload});
    if (a.filling) {
        a.held.append({*seq, message.payload});
        return;
    }
    if (a.lastSeq >= 0 && *seq <= a.lastSeq)
        return; // a retried publish, or already filled
    if (a.lastSeq >= 0 && *seq > a.lastSeq + 1) {
        a.held.append({*seq, message.payload});
        fillAccount(name);
        return;
    }
    a.lastSeq = *seq;
    publishAccountEvent(name, *seq, message.payload);
}

void GatewayMarket::fillAccount(const QString &name)
{
    Account &a = m_accounts[name];
    if (a.filling || !a.subscription)
        return;
    a.filling = true; // live events wait in `held` until the fill is done
    readAccountHistory(name);
}

void GatewayMarket::readAccountHistory(const QString &name)
{
    NatsReply *history =
        m_nats->readSubject(AccountStream, m_accounts[name].subject, 1, m_options.historyTimeoutMs);
    connect(history, &NatsReply::finished, this, [this, history, name] {
        history->deleteLater();
        Account &a = m_accounts[name];
        if (history->error().isError()) {
            qCWarning(lcGateway).noquote()
                << u"event=account_fill_retry account=%1 reason=\"%2\""_s.arg(
                       name, history->error().text);
            QTimer::singleShot(1000, this, [this, name] { readAccountHistory(name); });
            return;
        }
        QMap<std::int64_t, QByteArray> events = epochEvents(history->messages(), a.epoch);
        events.erase(events.begin(), events.upperBound(a.lastSeq));
        mergeAfter(&events, std::exchange(a.held, {}), a.lastSeq);
        for (auto it = events.cbegin(); it != events.cend(); ++it) {
            if (a.lastSeq >= 0 && it.key() != a.lastSeq + 1) {
                // Not in the stream yet (still being stored): the rest waits for the next read.
                for (auto rest = it; rest != events.cend(); ++rest)
                    a.held.append({rest.key(), rest.value()});
                QTimer::singleShot(200, this, [this, name] { readAccountHistory(name); });
                return;
            }
            a.lastSeq = it.key();
            publishAccountEvent(name, it.key(), it.value());
        }
        a.filling = false;
    });
}

void GatewayMarket::catchUp(Account &a, QList<Message> *messages, std::int64_t *position)
{
    QMap<std::int64_t, QByteArray> after;
    mergeAfter(&after, a.published, *position);
    mergeAfter(&after, a.recent, *position);
    for (auto it = after.cbegin(); it != after.cend() && it.key() == *position + 1; ++it) {
        std::optional<Message> m = decodeJson(it.value());
        if (!m)
            break;
        messages->append(std::move(*m));
        *position = it.key();
    }
    if (a.lastSeq < 0) {
        a.lastSeq = *position; // nothing published yet: the first session sets the start
    } else if (*position < a.lastSeq) {
        // Published further than this answer reaches (beyond the events kept): the session
        // will see the gap and resynchronise itself.
        qCWarning(lcGateway).noquote()
            << u"event=orders_catch_up_short account_seq=%1 session_seq=%2"_s.arg(a.lastSeq).arg(
                   *position);
    }
}

void GatewayMarket::publishAccountEvent(const QString &name, std::int64_t seq,
                                        const QByteArray &json)
{
    Held &published = m_accounts[name].published;
    published.append({seq, json});
    if (published.size() > PublishedKept)
        published.remove(0, published.size() - PublishedKept);
    if (PublishedEventPtr event =
            makeEvent(server::streamKey(Channel::Orders, name), Channel::Orders, seq,
                      server::NoStreamId, json, server::EncodingSet{}))
        append(std::move(event));
}

// ---- start-up -------------------------------------------------------------------------------

std::optional<EngineInfo> GatewayMarket::fetchEngineInfo(const backplane::NatsOptions &nats,
                                                         int timeoutMs, QString *error)
{
    backplane::NatsClient client;
    backplane::NatsOptions options = nats;
    if (options.name.isEmpty())
        options.name = u"tickwire-gateway"_s;
    const NatsError opened = client.open(options);
    if (opened.isError()) {
        if (error)
            *error = opened.text;
        return std::nullopt;
    }
    const QDeadlineTimer deadline =
        timeoutMs < 0 ? QDeadlineTimer(QDeadlineTimer::Forever) : QDeadlineTimer(timeoutMs);
    QString last;
    int attempt = 0;
    while (!deadline.hasExpired()) {
        // Deleted here, with the client still alive (a deleteLater would outlive it).
        const std::unique_ptr<NatsReply> reply(client.request(InfoSubject, {}, 2'000));
        QEventLoop loop;
        QObject::connect(reply.get(), &NatsReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        if (!reply->error().isError()) {
            if (auto info = decodeEngineInfo(reply->message().payload, &last))
                return info;
        } else {
            last = reply->error().text;
        }
        if (++attempt == 1 || attempt % 10 == 0)
            qCInfo(lcGateway).noquote() << u"event=waiting_for_engine reason=\"%1\""_s.arg(last);
        QEventLoop pause;
        QTimer::singleShot(500, &pause, &QEventLoop::quit);
        pause.exec();
    }
    if (error)
        *error = u"the engine did not answer: "_s + last;
    return std::nullopt;
}

} // namespace tickwire::cluster
