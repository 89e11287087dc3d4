#include "cluster/enginebridge.h"

#include "protocol/codec.h"
#include "server/marketengine.h"
#include "server/streaminterest.h"

#include <QtCore/QLoggingCategory>
#include <QtCore/QTimer>
#include <QtCore/QUuid>

namespace tickwire::cluster {

Q_LOGGING_CATEGORY(lcBridge, "tickwire.cluster.engine")

using namespace Qt::StringLiterals;
using backplane::NatsError;
using backplane::NatsHeaders;
using backplane::NatsMessage;
using backplane::NatsReply;
using protocol::Channel;

namespace {

std::int64_t accountSeqOf(const protocol::Message &event)
{
    if (const auto *o = std::get_if<protocol::Order>(&event))
        return o->seq;
    if (const auto *p = std::get_if<protocol::Position>(&event))
        return p->seq;
    if (const auto *s = std::get_if<protocol::OrdersSnapshot>(&event))
        return s->seq;
    return 0;
}

} // namespace

EngineBridge::EngineBridge(server::MarketEngine *engine,
                           std::shared_ptr<server::StreamInterest> interest,
                           EngineBridgeOptions options)
    : QObject(engine)
    , m_engine(engine)
    , m_interest(std::move(interest))
    , m_options(std::move(options))
    , m_nats(new backplane::NatsClient(this))
    , m_heartbeat(new QTimer(this))
    , m_boot(QUuid::createUuid().toString(QUuid::WithoutBraces))
{
    const QList<server::StreamRef> refs = streamRefs(m_engine->instruments());
    m_subjects.reserve(std::size_t(refs.size()));
    for (const server::StreamRef &ref : refs)
        m_subjects.push_back(marketSubject(ref));
}

EngineBridge::~EngineBridge() = default;

EngineInfo EngineBridge::info() const
{
    EngineInfo info;
    info.boot = m_boot;
    const server::OrderService *orders = m_engine->orderService();
    info.epoch = orders ? orders->epoch() : 0;
    info.source = m_options.sourceName;
    info.paperTrading = m_engine->isLive();
    info.status = m_status;
    return info;
}

bool EngineBridge::start(QString *error)
{
    backplane::NatsOptions nats = m_options.nats;
    if (nats.name.isEmpty())
        nats.name = u"tickwire-engine"_s;
    const NatsError opened = m_nats->open(nats);
    if (opened.isError()) {
        if (error)
            *error = opened.text;
        return false;
    }
    // Every stream is published, subscribed here or not: the gateways' clients want them.
    for (std::size_t id = 0; id < m_subjects.size(); ++id)
        m_interest->add(int(id), protocol::Encoding::Json, 1);

    connect(m_nats, &backplane::NatsClient::messageReceived, this, &EngineBridge::onRequest);
    m_infoSub = m_nats->subscribe(InfoSubject).id;
    m_snapshotSub = m_nats->subscribe(SnapshotSubject).id;
    m_ordersSub = m_nats->subscribe(OrdersSubject).id;
    connect(m_engine, &server::MarketBackend::published, this, &EngineBridge::onPublished);
    connect(m_engine, &server::MarketBackend::sourceStatusChanged, this,
            [this](const protocol::SourceStatus &status) {
                m_status = status;
                publishHeartbeat();
            });
    connect(m_nats, &backplane::NatsClient::connected, this, [](const QString &url) {
        qCInfo(lcBridge).noquote() << u"event=nats_connected url=%1"_s.arg(url);
    });
    connect(m_nats, &backplane::NatsClient::reconnected, this, [](const QString &url) {
        qCInfo(lcBridge).noquote() << u"event=nats_reconnected url=%1"_s.arg(url);
    });
    connect(m_nats, &backplane::NatsClient::disconnected, this,
            [] { qCWarning(lcBridge).noquote() << u"event=nats_disconnected"_s; });
    connect(m_heartbeat, &QTimer::timeout, this, &EngineBridge::publishHeartbeat);
    m_heartbeat->start(m_options.heartbeatMs);
    ensureStream();
    publishHeartbeat();
    return true;
}

void EngineBridge::ensureStream()
{
    backplane::StreamConfig config;
    config.name = AccountStream;
    config.subjects = {AccountSubjects};
    config.replicas = m_options.replicas;
    config.maxMessagesPerSubject = m_options.keepEvents;
    config.allowDirect = false;
    NatsReply *reply = m_nats->ensureStream(config);
    connect(reply, &NatsReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (reply->error().isError()) {
            qCWarning(lcBridge).noquote()
                << u"event=account_stream_retry reason=\"%1\""_s.arg(reply->error().text);
            QTimer::singleShot(1000, this, &EngineBridge::ensureStream);
            return;
        }
        m_streamReady = true;
        qCInfo(lcBridge).noquote()
            << u"event=account_stream_ready stream=%1 replicas=%2"_s.arg(AccountStream)
                   .arg(m_options.replicas);
        // The outbox: whatever the log holds beyond what the stream has goes out now.
        if (const server::OrderService *orders = m_engine->orderService()) {
            const auto heads = orders->accountHeads();
            for (const server::OrderService::AccountHead &head : heads) {
                Outbox &box = m_outboxes[head.account];
                box.known = std::max(box.known, head.lastSeq);
            }
        }
        const QStringList accounts = m_outboxes.keys();
        for (const QString &account : accounts)
            pump(account);
    });
}

void EngineBridge::publishHeartbeat()
{
    EngineInfo heartbeat = info();
    [[maybe_unused]] const NatsError e =
        m_nats->publish(HeartbeatSubject, encodeEngineInfo(heartbeat));
}

void EngineBridge::onPublished(const server::PublishedBatch &batch)
{
    for (const server::PublishedEventPtr &event : batch) {
        if (event->channel == Channel::Orders) {
            const QString account = event->stream.mid(int(sizeof("orders:")) - 1);
            const QByteArray payload = framePayload(event->jsonFrame);
            Outbox &box = m_outboxes[account];
            box.known = std::max(box.known, event->seq);
            box.queue.emplace_back(event->seq, QByteArray(payload.constData(), payload.size()));
            pump(account);
            continue;
        }
        if (event->streamId < 0 || std::size_t(event->streamId) >= m_subjects.size()
            || event->jsonFrame.isEmpty())
            continue;
        const NatsHeaders headers{{SeqHeader, QByteArray::number(event->seq)}};
        [[maybe_unused]] const NatsError e = m_nats->publish(
            m_subjects[std::size_t(event->streamId)], framePayload(event->jsonFrame), headers);
    }
}

void EngineBridge::pump(const QString &account)
{
    Outbox &box = m_outboxes[account];
    if (box.busy || !m_streamReady)
        return;
    const server::OrderService *orders = m_engine->orderService();
    const std::int64_t epoch = orders ? orders->epoch() : 0;
    const QString subject = accountSubject(account);
    if (box.stored < 0) {
        // Where the stream stands for this account: its newest event, in this epoch or not.
        box.busy = true;
        NatsReply *reply = m_nats->lastMessage(AccountStream, subject);
        connect(reply, &NatsReply::finished, this, [this, reply, account, epoch] {
            reply->deleteLater();
            // Looked up again: the hash may have grown meanwhile.
            Outbox &current = m_outboxes[account];
            current.busy = false;
            const NatsError &error = reply->error();
            if (error.kind == NatsError::Kind::JetStream && error.code == 404) {
                current.stored = 0;
            } else if (error.isError()) {
                retryLater(account);
                return;
            } else {
                const NatsMessage &last = reply->message();
                current.stored = last.header(EpochHeader).toLongLong() == epoch
                                     ? last.header(SeqHeader).toLongLong()
                                     : 0;
            }
            pump(account);
        });
        return;
    }
    while (!box.queue.empty() && box.queue.front().first <= box.stored)
        box.queue.pop_front();
    const bool missing =
        box.queue.empty() ? box.known > box.stored : box.queue.front().first > box.stored + 1;
    if (missing && orders) {
        const std::int64_t before = box.queue.empty() ? box.known + 1 : box.queue.front().first;
        const auto events = orders->eventsAfter(account, box.stored);
        if (!events) {
            qCCritical(lcBridge).noquote()
                << u"event=outbox_gap account=%1 from=%2 to=%3 reason=\"no longer in the log\""_s
                       .arg(account)
                       .arg(box.stored + 1)
                       .arg(before - 1);
            box.stored = before - 1;
        } else {
            std::deque<std::pair<std::int64_t, QByteArray>> fill;
            for (const protocol::Message &event : *events) {
                const std::int64_t seq = accountSeqOf(event);
                if (seq > box.stored && seq < before)
                    fill.emplace_back(seq, protocol::encode(event, protocol::Encoding::Json));
            }
            box.queue.insert(box.queue.begin(), fill.begin(), fill.end());
        }
    }
    if (box.queue.empty())
        return;
    const std::int64_t seq = box.queue.front().first;
    const QByteArray payload = box.queue.front().second;
    box.busy = true;
    const NatsHeaders headers{{SeqHeader, QByteArray::number(seq)},
                              {EpochHeader, QByteArray::number(epoch)}};
    const QString id = u"%1:%2:%3"_s.arg(account).arg(epoch).arg(seq);
    NatsReply *reply = m_nats->publishToStream(subject, payload, id, headers);
    connect(reply, &NatsReply::finished, this, [this, reply, account, seq] {
        reply->deleteLater();
        Outbox &current = m_outboxes[account];
        current.busy = false;
        if (reply->error().isError()) {
            qCWarning(lcBridge).noquote()
                << u"event=account_publish_failed account=%1 seq=%2 reason=\"%3\""_s.arg(account)
                       .arg(seq)
                       .arg(reply->error().text);
            retryLater(account);
            return;
        }
        current.stored = std::max(current.stored, seq);
        Q_EMIT accountEventStored(account, seq);
        pump(account);
    });
}

void EngineBridge::retryLater(const QString &account)
{
    QTimer::singleShot(1000, this, [this, account] { pump(account); });
}

void EngineBridge::onRequest(quint64 subscription, const NatsMessage &message)
{
    if (message.replyTo.isEmpty())
        return;
    if (subscription == m_infoSub) {
        EngineInfo full = info();
        full.instruments = m_engine->instruments();
        [[maybe_unused]] const NatsError e = m_nats->respond(message, encodeEngineInfo(full));
    } else if (subscription == m_snapshotSub) {
        serveSnapshot(message);
    } else if (subscription == m_ordersSub) {
        serveOrders(message);
    }
}

void EngineBridge::respondError(const NatsMessage &request, const QString &text)
{
    [[maybe_unused]] const NatsError e =
        m_nats->respond(request, {}, {{ErrorHeader, text.toUtf8()}});
}

void EngineBridge::serveSnapshot(const NatsMessage &request)
{
    protocol::DecodeResult decoded = protocol::decode(request.payload, protocol::Encoding::Json);
    const auto *subscribe =
        decoded.ok() ? std::get_if<protocol::Subscribe>(&*decoded.message) : nullptr;
    if (!subscribe || subscribe->symbols.size() != 1) {
        respondError(request, u"a snapshot request is one subscribe to one stream"_s);
        return;
    }
    const auto snap = m_engine->snapshot(
        subscribe->channel, subscribe->symbols.constFirst(), subscribe->depth.value_or(0),
        subscribe->interval.value_or(protocol::CandleInterval::M1));
    if (!snap) {
        respondError(request, u"unknown stream"_s);
        return;
    }
    [[maybe_unused]] const NatsError e = m_nats->respond(
        request, encodeLines(snap->messages), {{SeqHeader, QByteArray::number(snap->seq)}});
}

void EngineBridge::serveOrders(const NatsMessage &request)
{
    const QString account = QString::fromUtf8(request.header(AccountHeader));
    protocol::DecodeResult decoded = protocol::decode(request.payload, protocol::Encoding::Json);
    if (account.isEmpty() || !decoded.ok()) {
        respondError(request, u"an order request needs an account and a readable request"_s);
        return;
    }
    m_engine->orderRequest(
        account, *decoded.message,
        [this, request](const QList<protocol::Message> &messages,
                        std::optional<std::int64_t> ordersSeq) {
            NatsHeaders headers;
            if (ordersSeq)
                headers.append({OrdersSeqHeader, QByteArray::number(*ordersSeq)});
            [[maybe_unused]] const NatsError e =
                m_nats->respond(request, encodeLines(messages), headers);
        });
}

} // namespace tickwire::cluster
