#include "backplane/natsclient.h"

#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QMutex>
#include <QtCore/QMutexLocker>
#include <QtCore/QRandomGenerator>
#include <QtCore/QTimer>

#include <nats/nats.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <vector>

using namespace Qt::StringLiterals;

namespace tickwire::backplane {

namespace {

constexpr int StreamNameInUse = 10058; // JetStream err_code: exists with other settings
constexpr int NoMessageFound = 10037; // JetStream err_code of a message get past the end

QString statusText(natsStatus status)
{
    return QString::fromUtf8(natsStatus_GetText(status));
}

NatsError libraryError(natsStatus status, const QString &what)
{
    return {NatsError::Kind::Library, what + u": "_s + statusText(status), int(status), 0};
}

// A JetStream stream name: one subject token (no '.', no wildcard, no blank).
bool isValidStreamName(const QString &name)
{
    return isValidPublishSubject(name) && !name.contains(u'.');
}

NatsError invalidArgument(const QString &text)
{
    return {NatsError::Kind::InvalidArgument, text, 0, 0};
}

bool validHeaders(const NatsHeaders &headers)
{
    return std::all_of(headers.cbegin(), headers.cend(), [](const auto &field) {
        const QByteArray &key = field.first;
        const QByteArray &value = field.second;
        if (key.isEmpty() || key.contains(':') || value.contains('\r') || value.contains('\n'))
            return false;
        return std::none_of(key.cbegin(), key.cend(), [](char c) { return c <= ' ' || c == 0x7f; });
    });
}

NatsMessage toMessage(natsMsg *msg)
{
    NatsMessage message;
    message.subject = QString::fromUtf8(natsMsg_GetSubject(msg));
    if (const char *reply = natsMsg_GetReply(msg))
        message.replyTo = QString::fromUtf8(reply);
    message.payload = QByteArray(natsMsg_GetData(msg), natsMsg_GetDataLength(msg));
    const char **keys = nullptr;
    int keyCount = 0;
    if (natsMsgHeader_Keys(msg, &keys, &keyCount) == NATS_OK) {
        for (int k = 0; k < keyCount; ++k) {
            const char **values = nullptr;
            int valueCount = 0;
            if (natsMsgHeader_Values(msg, keys[k], &values, &valueCount) != NATS_OK)
                continue;
            for (int v = 0; v < valueCount; ++v)
                message.headers.append({QByteArray(keys[k]), QByteArray(values[v])});
            free(static_cast<void *>(values)); // the array only: libnats owns the strings
        }
        free(static_cast<void *>(keys));
    }
    return message;
}

// A natsMsg with headers, destroyed with the holder.
struct OutgoingMessage
{
    natsMsg *msg = nullptr;
    OutgoingMessage() = default;
    OutgoingMessage(const OutgoingMessage &) = delete;
    OutgoingMessage &operator=(const OutgoingMessage &) = delete;
    ~OutgoingMessage() { natsMsg_Destroy(msg); }

    natsStatus create(const QString &subject, const QString &reply, const QByteArray &payload,
                      const NatsHeaders &headers)
    {
        const QByteArray subj = subject.toUtf8();
        const QByteArray rep = reply.toUtf8();
        natsStatus s =
            natsMsg_Create(&msg, subj.constData(), rep.isEmpty() ? nullptr : rep.constData(),
                           payload.constData(), int(payload.size()));
        for (const auto &[key, value] : headers) {
            if (s != NATS_OK)
                break;
            s = natsMsgHeader_Add(msg, key.constData(), value.constData());
        }
        return s;
    }
};

// The JetStream API's {"error": {...}} answer, or a protocol error when the answer is not JSON.
NatsError apiError(const QJsonDocument &doc, const QByteArray &raw)
{
    if (!doc.isObject())
        return {
            NatsError::Kind::Protocol,
            NatsClient::tr("Unreadable JetStream answer: %1").arg(QString::fromUtf8(raw.left(200))),
            0, 0};
    const QJsonValue error = doc.object().value(u"error"_s);
    if (!error.isObject())
        return {};
    const QJsonObject e = error.toObject();
    return {NatsError::Kind::JetStream,
            NatsClient::tr("JetStream: %1").arg(e.value(u"description"_s).toString()),
            e.value(u"code"_s).toInt(), e.value(u"err_code"_s).toInt()};
}

// Worth another attempt: the cluster may be electing a leader or the client reconnecting.
bool transient(const NatsError &error)
{
    switch (error.kind) {
    case NatsError::Kind::Timeout:
    case NatsError::Kind::NoResponders:
    case NatsError::Kind::Library:
        return true;
    case NatsError::Kind::JetStream:
        return error.code == 503 || error.code == 500;
    default:
        return false;
    }
}

// A message of the JetStream message get answer ("message": {subject, seq, hdrs, data}).
NatsMessage storedMessage(const QJsonObject &msg)
{
    NatsMessage m;
    m.subject = msg.value(u"subject"_s).toString();
    m.sequence = std::uint64_t(msg.value(u"seq"_s).toInteger());
    m.payload = QByteArray::fromBase64(msg.value(u"data"_s).toString().toLatin1());
    m.headers =
        parseHeaderBlock(QByteArray::fromBase64(msg.value(u"hdrs"_s).toString().toLatin1()));
    return m;
}

std::int64_t nowMs() // monotonic
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

// Shared by the client and every libnats closure. The client clears `client` when it goes
// away; posting happens under the lock, so a callback never posts to a destroyed object.
struct NatsClient::Relay
{
    QMutex mutex;
    NatsClient *client = nullptr;

    // Runs f(client) on the client's thread, unless the client is gone.
    template<typename F> void post(F f)
    {
        const QMutexLocker lock(&mutex);
        if (client)
            QMetaObject::invokeMethod(
                client, [c = client, f = std::move(f)] { f(c); }, Qt::QueuedConnection);
    }
};

struct NatsClient::Handles
{
    natsConnection *connection = nullptr;
    natsSubscription *inbox = nullptr;
    QHash<quint64, natsSubscription *> subscriptions;
};

// libnats callbacks. They run on libnats's threads: they copy what they need and post.
struct NatsCallbacks
{
    using Relay = NatsClient::Relay;
    // The connection's closure, freed by closed() (libnats's last connection callback). Events
    // of a connection that close() already replaced are ignored (generation).
    struct ConnectionClosure
    {
        std::shared_ptr<Relay> relay;
        quint64 generation = 0;

        template<typename F> void post(F f)
        {
            relay->post([g = generation, f = std::move(f)](NatsClient *client) {
                if (client->m_generation == g)
                    f(client);
            });
        }
    };
    // Messages posted to the owner's thread and not yet delivered there. Beyond the limit the
    // owner is not keeping up: messages are dropped and slowConsumer() says so, once per episode
    // (libnats's own pending limit never fills, since its thread only copies and posts).
    struct Backlog
    {
        std::atomic<int> queued = 0;
        std::atomic<bool> dropping = false;
        int limit = 0;
    };
    // A subscription's closure, freed by its completion callback (after its last message).
    struct SubscriptionClosure
    {
        std::shared_ptr<Relay> relay;
        quint64 id = 0; // 0: the request inbox
        std::shared_ptr<Backlog> backlog;
    };

    static QString url(natsConnection *nc)
    {
        char buffer[256] = {};
        if (natsConnection_GetConnectedUrl(nc, buffer, sizeof buffer) != NATS_OK)
            return {};
        return QString::fromUtf8(buffer);
    }

    // Connected for the first time, or again: the state, then the signal.
    static void up(natsConnection *nc, void *closure, void (NatsClient::*signal)(const QString &))
    {
        auto *connection = static_cast<ConnectionClosure *>(closure);
        connection->post([u = url(nc), signal](NatsClient *client) {
            client->setState(NatsClient::State::Connected, u);
            Q_EMIT(client->*signal)(u);
        });
    }
    static void connected(natsConnection *nc, void *closure)
    {
        up(nc, closure, &NatsClient::connected);
    }
    static void disconnected(natsConnection *, void *closure)
    {
        auto *connection = static_cast<ConnectionClosure *>(closure);
        connection->post([](NatsClient *client) {
            if (client->m_state == NatsClient::State::Closed)
                return;
            client->setState(NatsClient::State::Reconnecting, {});
            Q_EMIT client->disconnected();
        });
    }
    static void reconnected(natsConnection *nc, void *closure)
    {
        up(nc, closure, &NatsClient::reconnected);
    }
    static void closed(natsConnection *, void *closure)
    {
        auto *connection = static_cast<ConnectionClosure *>(closure);
        connection->post([](NatsClient *client) {
            if (client->m_state != NatsClient::State::Closed) {
                client->setState(NatsClient::State::Closed, {});
                Q_EMIT client->closed();
            }
        });
        delete connection;
    }
    static void asyncError(natsConnection *, natsSubscription *sub, natsStatus status,
                           void *closure)
    {
        auto *connection = static_cast<ConnectionClosure *>(closure);
        connection->post([sub, status](NatsClient *client) {
            if (status == NATS_SLOW_CONSUMER && sub) {
                for (auto it = client->m_nats->subscriptions.cbegin();
                     it != client->m_nats->subscriptions.cend(); ++it) {
                    if (it.value() == sub) {
                        Q_EMIT client->slowConsumer(it.key());
                        return;
                    }
                }
                if (sub == client->m_nats->inbox) {
                    Q_EMIT client->errorOccurred(
                        libraryError(status, NatsClient::tr("Request replies dropped")));
                    return;
                }
            }
            Q_EMIT client->errorOccurred(libraryError(status, NatsClient::tr("Connection error")));
        });
    }
    static void message(natsConnection *, natsSubscription *, natsMsg *msg, void *closure)
    {
        auto *sc = static_cast<SubscriptionClosure *>(closure);
        const bool noResponders = natsMsg_IsNoResponders(msg);
        NatsMessage message = toMessage(msg);
        natsMsg_Destroy(msg);
        if (sc->id != 0) {
            const std::shared_ptr<Backlog> &backlog = sc->backlog;
            if (backlog->queued.load() >= backlog->limit) {
                if (!backlog->dropping.exchange(true)) {
                    sc->relay->post([id = sc->id](NatsClient *client) {
                        if (client->m_nats->subscriptions.contains(id))
                            Q_EMIT client->slowConsumer(id);
                    });
                }
                return;
            }
            ++backlog->queued;
            sc->relay->post([id = sc->id, backlog, m = std::move(message)](NatsClient *client) {
                if (--backlog->queued == 0)
                    backlog->dropping = false;
                if (client->m_nats->subscriptions.contains(id))
                    Q_EMIT client->messageReceived(id, m);
            });
            return;
        }
        // The inbox: the token is the last subject token.
        const qsizetype dot = message.subject.lastIndexOf(u'.');
        const quint64 token = message.subject.mid(dot + 1).toULongLong();
        sc->relay->post([token, noResponders, m = std::move(message)](NatsClient *client) {
            client->handleInboxMessage(token, m, noResponders);
        });
    }
    static void subscriptionComplete(void *closure)
    {
        delete static_cast<SubscriptionClosure *>(closure);
    }
};

NatsClient::NatsClient(QObject *parent)
    : QObject(parent)
    , m_relay(std::make_shared<Relay>())
    , m_nats(std::make_unique<Handles>())
{
    m_relay->client = this;
}

NatsClient::~NatsClient()
{
    close();
    const QMutexLocker lock(&m_relay->mutex);
    m_relay->client = nullptr;
}

NatsError NatsClient::open(const NatsOptions &options)
{
    if (m_nats->connection)
        return invalidArgument(tr("Already open"));
    if (options.urls.isEmpty())
        return invalidArgument(tr("No server URL given"));
    std::vector<QByteArray> urls;
    for (const QString &url : options.urls) {
        if (!url.startsWith(u"nats://"_s) || url.size() <= 7)
            return invalidArgument(tr("Not a nats:// URL: \"%1\"").arg(url));
        urls.push_back(url.toUtf8());
    }
    std::vector<const char *> servers;
    servers.reserve(urls.size());
    for (const QByteArray &url : urls)
        servers.push_back(url.constData());

    natsOptions *opts = nullptr;
    natsStatus s = natsOptions_Create(&opts);
    auto *closure = new NatsCallbacks::ConnectionClosure{m_relay, ++m_generation};
    const QByteArray name = options.name.toUtf8();
    if (s == NATS_OK)
        s = natsOptions_SetServers(opts, servers.data(), int(servers.size()));
    if (s == NATS_OK && !name.isEmpty())
        s = natsOptions_SetName(opts, name.constData());
    if (s == NATS_OK)
        s = natsOptions_SetNoRandomize(opts, true);
    if (s == NATS_OK)
        s = natsOptions_SetTimeout(opts, options.connectTimeoutMs);
    if (s == NATS_OK)
        s = natsOptions_SetMaxReconnect(opts, -1);
    if (s == NATS_OK)
        s = natsOptions_SetReconnectWait(opts, options.reconnectWaitMs);
    if (s == NATS_OK)
        s = natsOptions_SetRetryOnFailedConnect(opts, true, &NatsCallbacks::connected, closure);
    if (s == NATS_OK)
        s = natsOptions_SetDisconnectedCB(opts, &NatsCallbacks::disconnected, closure);
    if (s == NATS_OK)
        s = natsOptions_SetReconnectedCB(opts, &NatsCallbacks::reconnected, closure);
    if (s == NATS_OK)
        s = natsOptions_SetClosedCB(opts, &NatsCallbacks::closed, closure);
    if (s == NATS_OK)
        s = natsOptions_SetErrorHandler(opts, &NatsCallbacks::asyncError, closure);
    if (s != NATS_OK) {
        natsOptions_Destroy(opts);
        delete closure;
        return libraryError(s, tr("Invalid connection options"));
    }
    m_name = options.name;
    m_pendingMessagesLimit = options.pendingMessagesLimit;
    m_pendingBytesLimit = options.pendingBytesLimit;

    natsConnection *nc = nullptr;
    s = natsConnection_Connect(&nc, opts);
    natsOptions_Destroy(opts);
    if (s != NATS_OK && s != NATS_NOT_YET_CONNECTED) {
        delete closure; // no connection: no callback will ever run
        return libraryError(s, tr("Cannot connect"));
    }
    m_nats->connection = nc;
    if (s == NATS_OK) {
        // Connected within the call: libnats does not invoke the connected callback.
        const QString url = NatsCallbacks::url(nc);
        setState(State::Connected, url);
        QMetaObject::invokeMethod(
            this, [this, url] { Q_EMIT connected(url); }, Qt::QueuedConnection);
    } else {
        setState(State::Connecting, {});
    }
    return ensureInbox();
}

void NatsClient::close()
{
    // Pending calls end first, while their continuations can still see the client.
    const QList<QPointer<NatsReply>> replies = m_replies;
    m_replies.clear();
    for (const QPointer<NatsReply> &reply : replies) {
        if (reply && !reply->isFinished()) {
            reply->m_client = nullptr;
            finish(reply, {NatsError::Kind::Cancelled, tr("The connection was closed"), 0, 0});
        } else if (reply) {
            reply->m_client = nullptr;
        }
    }
    m_requests.clear();
    if (!m_nats->connection)
        return;
    for (natsSubscription *sub : std::as_const(m_nats->subscriptions))
        natsSubscription_Destroy(sub);
    m_nats->subscriptions.clear();
    natsSubscription_Destroy(m_nats->inbox);
    m_nats->inbox = nullptr;
    natsConnection_Close(m_nats->connection);
    natsConnection_Destroy(m_nats->connection);
    m_nats->connection = nullptr;
    if (m_state != State::Closed) {
        setState(State::Closed, {});
        Q_EMIT closed();
    }
}

void NatsClient::setState(State state, const QString &url)
{
    if (m_connectedUrl != url) {
        m_connectedUrl = url;
        Q_EMIT connectedUrlChanged(url);
    }
    if (m_state != state) {
        m_state = state;
        Q_EMIT stateChanged(state);
    }
}

NatsError NatsClient::ensureInbox()
{
    natsInbox *inbox = nullptr;
    natsStatus s = natsInbox_Create(&inbox);
    if (s != NATS_OK)
        return libraryError(s, tr("Cannot create an inbox"));
    m_inboxPrefix = QString::fromUtf8(inbox) + u'.';
    natsInbox_Destroy(inbox);
    const QByteArray wildcard = (m_inboxPrefix + u'*').toUtf8();
    auto *closure = new NatsCallbacks::SubscriptionClosure{m_relay, 0, {}};
    s = natsConnection_Subscribe(&m_nats->inbox, m_nats->connection, wildcard.constData(),
                                 &NatsCallbacks::message, closure);
    if (s == NATS_OK)
        s = natsSubscription_SetOnCompleteCB(m_nats->inbox, &NatsCallbacks::subscriptionComplete,
                                             closure);
    if (s != NATS_OK) {
        if (m_nats->inbox) {
            natsSubscription_Destroy(m_nats->inbox); // the completion callback frees the closure
            m_nats->inbox = nullptr;
        } else {
            delete closure;
        }
        return libraryError(s, tr("Cannot subscribe to the reply inbox"));
    }
    natsSubscription_SetPendingLimits(m_nats->inbox, m_pendingMessagesLimit, m_pendingBytesLimit);
    return {};
}

NatsError NatsClient::publish(const QString &subject, const QByteArray &payload,
                              const NatsHeaders &headers)
{
    if (!isValidPublishSubject(subject))
        return invalidArgument(tr("Invalid subject to publish to: \"%1\"").arg(subject));
    if (!validHeaders(headers))
        return invalidArgument(tr("Invalid header field"));
    if (!m_nats->connection)
        return {NatsError::Kind::NotConnected, tr("Not connected"), 0, 0};
    OutgoingMessage out;
    natsStatus s = out.create(subject, {}, payload, headers);
    if (s == NATS_OK)
        s = natsConnection_PublishMsg(m_nats->connection, out.msg);
    if (s != NATS_OK)
        return libraryError(s, tr("Cannot publish to \"%1\"").arg(subject));
    return {};
}

NatsClient::Subscription NatsClient::subscribe(const QString &subject)
{
    if (!isValidSubscribeSubject(subject))
        return {0, invalidArgument(tr("Invalid subject to subscribe to: \"%1\"").arg(subject))};
    if (!m_nats->connection)
        return {0, {NatsError::Kind::NotConnected, tr("Not connected"), 0, 0}};
    const quint64 id = m_nextSubscription++;
    auto backlog = std::make_shared<NatsCallbacks::Backlog>();
    backlog->limit = m_pendingMessagesLimit;
    auto *closure = new NatsCallbacks::SubscriptionClosure{m_relay, id, std::move(backlog)};
    natsSubscription *sub = nullptr;
    const QByteArray subj = subject.toUtf8();
    natsStatus s = natsConnection_Subscribe(&sub, m_nats->connection, subj.constData(),
                                            &NatsCallbacks::message, closure);
    if (s == NATS_OK)
        s = natsSubscription_SetOnCompleteCB(sub, &NatsCallbacks::subscriptionComplete, closure);
    if (s == NATS_OK)
        s = natsSubscription_SetPendingLimits(sub, m_pendingMessagesLimit, m_pendingBytesLimit);
    if (s != NATS_OK) {
        if (sub) {
            natsSubscription_Unsubscribe(sub);
            natsSubscription_Destroy(sub);
        } else {
            delete closure;
        }
        return {0, libraryError(s, tr("Cannot subscribe to \"%1\"").arg(subject))};
    }
    m_nats->subscriptions.insert(id, sub);
    return {id, {}};
}

void NatsClient::unsubscribe(quint64 subscriptionId)
{
    natsSubscription *sub = m_nats->subscriptions.take(subscriptionId);
    if (!sub)
        return;
    natsSubscription_Unsubscribe(sub);
    natsSubscription_Destroy(sub);
}

NatsError NatsClient::respond(const NatsMessage &request, const QByteArray &payload,
                              const NatsHeaders &headers)
{
    if (request.replyTo.isEmpty())
        return invalidArgument(tr("The message has no reply subject"));
    return publish(request.replyTo, payload, headers);
}

NatsReply *NatsClient::newReply()
{
    auto *reply = new NatsReply(this);
    m_replies.append(reply);
    return reply;
}

void NatsClient::forgetReply(NatsReply *reply)
{
    m_replies.removeIf([reply](const QPointer<NatsReply> &p) { return p == reply || !p; });
}

void NatsClient::finish(NatsReply *reply, const NatsError &error)
{
    if (!reply || reply->m_finished)
        return;
    reply->m_finished = true;
    reply->m_error = error;
    if (reply->m_client)
        reply->m_client->forgetReply(reply);
    Q_EMIT reply->finished();
}

void NatsClient::finishLater(NatsReply *reply, const NatsError &error)
{
    QMetaObject::invokeMethod(
        reply, [reply, error] { finish(reply, error); }, Qt::QueuedConnection);
}

void NatsClient::sendRequest(const QString &subject, const QByteArray &payload,
                             const NatsHeaders &headers, int timeoutMs, RequestDone done)
{
    // Failures are reported from the event loop too, never from inside the caller's call.
    const auto failLater = [this, &done](const NatsError &error) {
        QMetaObject::invokeMethod(
            this, [done = std::move(done), error] { done({}, error); }, Qt::QueuedConnection);
    };
    if (!m_nats->connection || !m_nats->inbox) {
        failLater({NatsError::Kind::NotConnected, tr("Not connected"), 0, 0});
        return;
    }
    const quint64 token = m_nextToken++;
    OutgoingMessage out;
    natsStatus s = out.create(subject, m_inboxPrefix + QString::number(token), payload, headers);
    if (s == NATS_OK)
        s = natsConnection_PublishMsg(m_nats->connection, out.msg);
    if (s != NATS_OK) {
        failLater(libraryError(s, tr("Cannot send a request to \"%1\"").arg(subject)));
        return;
    }
    m_requests.emplace(token, PendingRequest{std::move(done)});
    QTimer::singleShot(timeoutMs, this, [this, token, subject] {
        const auto it = m_requests.find(token);
        if (it == m_requests.end())
            return;
        RequestDone callback = std::move(it->second.done);
        m_requests.erase(it);
        callback({},
                 {NatsError::Kind::Timeout, tr("No reply from \"%1\" in time").arg(subject), 0, 0});
    });
}

void NatsClient::handleInboxMessage(quint64 token, const NatsMessage &message, bool noResponders)
{
    const auto it = m_requests.find(token);
    if (it == m_requests.end())
        return; // timed out or cancelled already: a late reply has nobody to go to
    RequestDone done = std::move(it->second.done);
    m_requests.erase(it);
    if (noResponders)
        done({}, {NatsError::Kind::NoResponders, tr("No responders"), 503, 0});
    else
        done(message, {});
}

NatsReply *NatsClient::request(const QString &subject, const QByteArray &payload, int timeoutMs,
                               const NatsHeaders &headers)
{
    NatsReply *reply = newReply();
    if (!isValidPublishSubject(subject)) {
        finishLater(reply, invalidArgument(tr("Invalid subject to request: \"%1\"").arg(subject)));
        return reply;
    }
    if (!validHeaders(headers) || timeoutMs <= 0) {
        finishLater(reply, invalidArgument(tr("Invalid header field or timeout")));
        return reply;
    }
    sendRequest(subject, payload, headers, timeoutMs,
                [reply = QPointer(reply)](const NatsMessage &answer, const NatsError &error) {
                    if (!reply || reply->isFinished())
                        return;
                    reply->m_message = answer;
                    finishLater(reply, error);
                });
    return reply;
}

NatsReply *NatsClient::ensureStream(const StreamConfig &config, int timeoutMs)
{
    NatsReply *reply = newReply();
    if (!isValidStreamName(config.name)) {
        finishLater(reply, invalidArgument(tr("Invalid stream name: \"%1\"").arg(config.name)));
        return reply;
    }
    if (config.subjects.isEmpty()
        || !std::all_of(config.subjects.cbegin(), config.subjects.cend(),
                        [](const QString &s) { return isValidSubscribeSubject(s); })) {
        finishLater(reply,
                    invalidArgument(tr("Invalid subjects for stream \"%1\"").arg(config.name)));
        return reply;
    }
    if (config.replicas != 1 && config.replicas != 3) {
        finishLater(reply, invalidArgument(tr("Replicas must be 1 or 3")));
        return reply;
    }
    const QJsonObject json{
        {u"name"_s, config.name},
        {u"subjects"_s, QJsonArray::fromStringList(config.subjects)},
        {u"retention"_s, u"limits"_s},
        {u"storage"_s, u"file"_s},
        {u"discard"_s, u"old"_s},
        {u"num_replicas"_s, config.replicas},
        {u"max_msgs_per_subject"_s, qint64(config.maxMessagesPerSubject)},
        {u"duplicate_window"_s, qint64(config.duplicateWindowMs) * 1'000'000},
        {u"allow_direct"_s, config.allowDirect},
    };
    const QByteArray body = QJsonDocument(json).toJson(QJsonDocument::Compact);
    auto handle = [this, reply = QPointer(reply), body, timeoutMs,
                   name = config.name](const NatsMessage &answer, const NatsError &error) {
        if (!reply || reply->isFinished())
            return;
        NatsError e = error;
        if (!e.isError())
            e = apiError(QJsonDocument::fromJson(answer.payload), answer.payload);
        if (e.kind == NatsError::Kind::JetStream && e.errorCode == StreamNameInUse) {
            // It exists with other settings: update it to these.
            sendRequest(u"$JS.API.STREAM.UPDATE."_s + name, body, {}, timeoutMs,
                        [reply](const NatsMessage &updated, const NatsError &updateError) {
                            if (!reply || reply->isFinished())
                                return;
                            NatsError ue = updateError;
                            if (!ue.isError())
                                ue = apiError(QJsonDocument::fromJson(updated.payload),
                                              updated.payload);
                            reply->m_message = updated;
                            finish(reply, ue);
                        });
            return;
        }
        reply->m_message = answer;
        finish(reply, e);
    };
    sendRequest(u"$JS.API.STREAM.CREATE."_s + config.name, body, {}, timeoutMs, handle);
    return reply;
}

int NatsClient::retryDelay(int attempt, const RetryOptions &retry)
{
    const int shift = std::min(attempt - 1, 16);
    const int ceiling =
        int(std::min<qint64>(qint64(retry.firstDelayMs) << shift, retry.maxDelayMs));
    return ceiling / 2 + int(QRandomGenerator::global()->bounded(ceiling / 2 + 1));
}

NatsReply *NatsClient::publishToStream(const QString &subject, const QByteArray &payload,
                                       const QString &messageId, const NatsHeaders &headers,
                                       const RetryOptions &retry)
{
    NatsReply *reply = newReply();
    if (!isValidPublishSubject(subject)) {
        finishLater(reply,
                    invalidArgument(tr("Invalid subject to publish to: \"%1\"").arg(subject)));
        return reply;
    }
    const QByteArray id = messageId.toUtf8();
    if (id.isEmpty() || id.contains('\r') || id.contains('\n') || !validHeaders(headers)) {
        finishLater(reply, invalidArgument(tr("Invalid message id or header field")));
        return reply;
    }
    NatsHeaders all = headers;
    all.append({"Nats-Msg-Id"_ba, id});
    attemptPublish(reply, subject, payload, all, retry);
    return reply;
}

void NatsClient::attemptPublish(const QPointer<NatsReply> &reply, const QString &subject,
                                const QByteArray &payload, const NatsHeaders &headers,
                                const RetryOptions &retry)
{
    sendRequest(subject, payload, headers, retry.attemptTimeoutMs,
                [=, this](const NatsMessage &answer, const NatsError &error) {
                    if (!reply || reply->isFinished())
                        return;
                    NatsError e = error;
                    QJsonObject ack;
                    if (!e.isError()) {
                        const QJsonDocument doc = QJsonDocument::fromJson(answer.payload);
                        e = apiError(doc, answer.payload);
                        ack = doc.object();
                        if (!e.isError() && ack.value(u"seq"_s).toInteger() <= 0)
                            e = {NatsError::Kind::Protocol,
                                 tr("Not a JetStream acknowledgement: %1")
                                     .arg(QString::fromUtf8(answer.payload.left(200))),
                                 0, 0};
                    }
                    if (!e.isError()) {
                        reply->m_ack = {ack.value(u"stream"_s).toString(),
                                        std::uint64_t(ack.value(u"seq"_s).toInteger()),
                                        ack.value(u"duplicate"_s).toBool()};
                        reply->m_message = answer;
                        finish(reply, {});
                        return;
                    }
                    if (!transient(e)) {
                        finish(reply, e);
                        return;
                    }
                    const int attempt = ++reply->m_retries;
                    const int delay = retryDelay(attempt, retry);
                    Q_EMIT reply->retrying(attempt, e, delay);
                    QTimer::singleShot(delay, reply, [=, this] {
                        attemptPublish(reply, subject, payload, headers, retry);
                    });
                });
}

NatsReply *NatsClient::readSubject(const QString &stream, const QString &subject,
                                   std::uint64_t fromSequence, int timeoutMs,
                                   const RetryOptions &retry)
{
    NatsReply *reply = newReply();
    if (!isValidStreamName(stream)) {
        finishLater(reply, invalidArgument(tr("Invalid stream name: \"%1\"").arg(stream)));
        return reply;
    }
    if (!isValidSubscribeSubject(subject)) {
        finishLater(reply, invalidArgument(tr("Invalid subject to read: \"%1\"").arg(subject)));
        return reply;
    }
    readNext(reply, stream, subject, std::max<std::uint64_t>(fromSequence, 1), nowMs() + timeoutMs,
             retry);
    return reply;
}

// One message get per message: {"seq": n, "next_by_subj": subject} answers the first message
// of the subject at sequence n or later; the next request starts after it.
void NatsClient::readNext(const QPointer<NatsReply> &reply, const QString &stream,
                          const QString &subject, std::uint64_t sequence, std::int64_t deadlineMs,
                          const RetryOptions &retry)
{
    const QJsonObject request{{u"seq"_s, qint64(sequence)}, {u"next_by_subj"_s, subject}};
    const int timeout =
        int(std::clamp<std::int64_t>(deadlineMs - nowMs(), 1, retry.attemptTimeoutMs));
    sendRequest(
        u"$JS.API.STREAM.MSG.GET."_s + stream,
        QJsonDocument(request).toJson(QJsonDocument::Compact), {}, timeout,
        [=, this](const NatsMessage &answer, const NatsError &error) {
            if (!reply || reply->isFinished())
                return;
            NatsError e = error;
            QJsonObject msg;
            if (!e.isError()) {
                const QJsonDocument doc = QJsonDocument::fromJson(answer.payload);
                e = apiError(doc, answer.payload);
                msg = doc.object().value(u"message"_s).toObject();
                if (!e.isError() && msg.value(u"seq"_s).toInteger() <= 0)
                    e = {NatsError::Kind::Protocol,
                         tr("Not a stream message: %1")
                             .arg(QString::fromUtf8(answer.payload.left(200))),
                         0, 0};
            }
            if (e.kind == NatsError::Kind::JetStream && e.errorCode == NoMessageFound) {
                finish(reply, {}); // the end of the subject
                return;
            }
            if (!e.isError()) {
                NatsMessage m = storedMessage(msg);
                if (m.sequence < sequence) {
                    finish(
                        reply,
                        {NatsError::Kind::Protocol,
                         tr("The stream answered sequence %1 for %2").arg(m.sequence).arg(sequence),
                         0, 0});
                    return;
                }
                const std::uint64_t next = m.sequence + 1;
                reply->m_messages.append(std::move(m));
                readNext(reply, stream, subject, next, deadlineMs, retry);
                return;
            }
            if (!transient(e) || nowMs() >= deadlineMs) {
                finish(reply, e);
                return;
            }
            const int attempt = ++reply->m_retries;
            const int delay = retryDelay(attempt, retry);
            Q_EMIT reply->retrying(attempt, e, delay);
            QTimer::singleShot(delay, reply, [=, this] {
                readNext(reply, stream, subject, sequence, deadlineMs, retry);
            });
        });
}

NatsReply *NatsClient::lastMessage(const QString &stream, const QString &subject, int timeoutMs,
                                   const RetryOptions &retry)
{
    NatsReply *reply = newReply();
    if (!isValidStreamName(stream)) {
        finishLater(reply, invalidArgument(tr("Invalid stream name: \"%1\"").arg(stream)));
        return reply;
    }
    if (!isValidPublishSubject(subject)) {
        finishLater(reply, invalidArgument(tr("Invalid subject: \"%1\"").arg(subject)));
        return reply;
    }
    fetchLast(reply, stream, subject, nowMs() + timeoutMs, retry);
    return reply;
}

void NatsClient::fetchLast(const QPointer<NatsReply> &reply, const QString &stream,
                           const QString &subject, std::int64_t deadlineMs,
                           const RetryOptions &retry)
{
    const QJsonObject request{{u"last_by_subj"_s, subject}};
    const int timeout =
        int(std::clamp<std::int64_t>(deadlineMs - nowMs(), 1, retry.attemptTimeoutMs));
    sendRequest(u"$JS.API.STREAM.MSG.GET."_s + stream,
                QJsonDocument(request).toJson(QJsonDocument::Compact), {}, timeout,
                [=, this](const NatsMessage &answer, const NatsError &error) {
                    if (!reply || reply->isFinished())
                        return;
                    NatsError e = error;
                    if (!e.isError()) {
                        const QJsonDocument doc = QJsonDocument::fromJson(answer.payload);
                        e = apiError(doc, answer.payload);
                        if (!e.isError()) {
                            reply->m_message =
                                storedMessage(doc.object().value(u"message"_s).toObject());
                            finish(reply, {});
                            return;
                        }
                    }
                    if (!transient(e) || nowMs() >= deadlineMs) {
                        finish(reply, e);
                        return;
                    }
                    const int attempt = ++reply->m_retries;
                    const int delay = retryDelay(attempt, retry);
                    Q_EMIT reply->retrying(attempt, e, delay);
                    QTimer::singleShot(delay, reply, [=, this] {
                        fetchLast(reply, stream, subject, deadlineMs, retry);
                    });
                });
}

} // namespace tickwire::backplane
