#include "server/session.h"

#include "server/framesocket.h"

#include <QtNetwork/QTcpSocket>

namespace tickwire::server {

namespace {

// Within a batch, a session's frames are handed to the kernel at least every this many bytes.
constexpr qint64 FlushBytes = 64 * 1024;

} // namespace

Session::Session(quint64 id, Identity identity, const FeedServerOptions &options,
                 std::int64_t nowMs)
    : m_id(id)
    , m_identity(std::move(identity))
    , m_options(options)
    , m_rate(options.maxRequestsPerSecond, options.requestBurst, nowMs)
    , m_lastSentMs(nowMs)
    , m_lastPingMs(nowMs)
    , m_lastPongMs(nowMs)
{
}

Session::~Session() = default;

void Session::attach(QWebSocket *socket, QTcpSocket *tcp)
{
    m_socket = socket;
    m_tcp = tcp;
    m_frames = qobject_cast<FrameSocket *>(tcp);
}

Subscription *Session::subscription(const QString &key) const
{
    const auto it = m_streams.find(key);
    return it == m_streams.end() ? nullptr : it->second.get();
}

Subscription *Session::addSubscription(const QString &key, const StreamRef &ref)
{
    auto &slot = m_streams[key];
    if (slot)
        return nullptr;
    slot = std::make_unique<Subscription>();
    slot->key = key;
    slot->ref = ref;
    slot->session = this;
    slot->encoding = encoding();
    return slot.get();
}

void Session::removeSubscription(const QString &key)
{
    m_streams.erase(key);
}

bool Session::write(const QByteArray &frame)
{
    // Published frames bypass QWebSocket (which would copy and, for text, re-encode every
    // message per client); this socket is what QWebSocket writes to as well, in order.
    if (!m_tcp || m_tcp->state() != QAbstractSocket::ConnectedState)
        return false;
    const bool first = m_batch.messages == 0;
    if (m_frames)
        m_frames->queue(frame);
    else
        m_tcp->write(frame);
    m_batch.bytes += frame.size();
    ++m_batch.messages;
    return first;
}

bool Session::batchFull() const
{
    return m_batch.bytes >= FlushBytes;
}

void Session::flush(std::int64_t nowMs)
{
    m_lastSentMs = nowMs;
    if (!m_tcp)
        return;
    if (m_frames)
        m_frames->sendQueued();
    else
        m_tcp->flush();
}

Session::Backlog Session::checkBacklog()
{
    const qint64 queued = m_tcp ? m_tcp->bytesToWrite() : 0;
    if (queued > m_options.hardWatermarkBytes)
        return Backlog::Close;
    if (queued > m_options.softWatermarkBytes && !m_conflated) {
        m_conflated = true;
        m_conflatedSinceMs = m_lastSentMs;
        return Backlog::Conflate;
    }
    return Backlog::Fine;
}

bool Session::leaveConflationIfDrained()
{
    if (!m_conflated || m_closing
        || (m_tcp && m_tcp->bytesToWrite() > m_options.softWatermarkBytes / 2))
        return false;
    m_conflated = false;
    return true;
}

Session::Due Session::due(std::int64_t nowMs)
{
    Due due;
    if (m_conflated && nowMs - m_conflatedSinceMs > m_options.slowGraceMs) {
        due.close = Due::Close::SlowConsumer;
        return due;
    }
    if (nowMs - m_lastPongMs > m_options.pongTimeoutMs) {
        due.close = Due::Close::PingTimeout;
        return due;
    }
    if (nowMs - m_lastPingMs >= m_options.pingIntervalMs) {
        m_lastPingMs = nowMs;
        due.ping = true;
    }
    due.heartbeat = nowMs - m_lastSentMs >= m_options.heartbeatMs;
    return due;
}

} // namespace tickwire::server
