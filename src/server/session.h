#pragma once

#include "protocol/codec.h"
#include "server/feedserveroptions.h"
#include "server/requestratelimiter.h"
#include "server/subscriptionregistry.h"

#include <QtCore/QString>

#include <memory>
#include <optional>
#include <unordered_map>

class QTcpSocket;
class QWebSocket;

namespace tickwire::server {

class FrameSocket;

// One client connection of a FeedWorker: who it is, what it subscribed to, its request rate,
// its output (published frames go straight to the TCP socket under its QWebSocket, in order
// with what QWebSocket writes), and the rules that close it: no pong, a backlog the client does
// not take. It decides; the worker acts (closes, pings, sends the heartbeat). Times are
// milliseconds of a steady clock. Worker thread only.
class Session
{
    Q_DISABLE_COPY_MOVE(Session)

public:
    struct Identity
    {
        QString name; // "s-..." as sent in welcome
        QString peer; // address
        protocol::Encoding encoding = protocol::Encoding::Json;
        std::optional<QString> account; // from a valid token
    };

    Session(quint64 id, Identity identity, const FeedServerOptions &options, std::int64_t nowMs);
    ~Session();

    [[nodiscard]] quint64 id() const { return m_id; }
    [[nodiscard]] const QString &name() const { return m_identity.name; }
    [[nodiscard]] const QString &peer() const { return m_identity.peer; }
    [[nodiscard]] protocol::Encoding encoding() const { return m_identity.encoding; }
    [[nodiscard]] const std::optional<QString> &account() const { return m_identity.account; }

    // The WebSocket (may be null in tests) and the TCP or TLS socket under it.
    void attach(QWebSocket *socket, QTcpSocket *tcp);
    [[nodiscard]] QWebSocket *socket() const { return m_socket; }
    [[nodiscard]] QTcpSocket *tcp() const { return m_tcp; }

    // Closing: a close frame was sent (by the worker, or by QWebSocket itself); nothing more is
    // read or sent.
    [[nodiscard]] bool isClosing() const { return m_closing; }
    void setClosing() { m_closing = true; }

    // Requests: false when over the rate; abusive() once refused too often within a second.
    [[nodiscard]] bool admit(std::int64_t nowMs) { return m_rate.admit(nowMs); }
    [[nodiscard]] bool isAbusive() const { return m_rate.violations() > m_options.abuseLimit; }

    // Subscriptions, by streamKey(). The registry lists them; the session owns them.
    [[nodiscard]] Subscription *subscription(const QString &key) const;
    [[nodiscard]] qsizetype subscriptionCount() const { return qsizetype(m_streams.size()); }
    [[nodiscard]] bool maySubscribe() const
    {
        return subscriptionCount() < m_options.maxSubscriptions;
    }
    // A new one (Pending), or null when `key` is already subscribed.
    Subscription *addSubscription(const QString &key, const StreamRef &ref);
    void removeSubscription(const QString &key);
    template<typename F> void forEachSubscription(F &&f) const
    {
        for (const auto &entry : m_streams)
            f(*entry.second);
    }

    // Output. write() queues a complete frame behind everything before it and answers whether
    // it was the first of the current batch; batchFull() tells when to flush() within one.
    bool write(const QByteArray &frame);
    [[nodiscard]] bool batchFull() const;
    struct Batch
    {
        qint64 messages = 0;
        qint64 bytes = 0;
    };
    // What was written since the last call (for the counters).
    Batch takeBatch() { return std::exchange(m_batch, {}); }
    // Hands the written frames to the kernel; `nowMs` is when the client last heard from us.
    void flush(std::int64_t nowMs);

    // After a flush, what is still queued is what the client has not taken.
    enum class Backlog { Fine, Conflate, Close };
    // Fine; Conflate when it just went above the soft watermark (the session is conflated from
    // now on); Close above the hard one.
    [[nodiscard]] Backlog checkBacklog();
    [[nodiscard]] bool isConflated() const { return m_conflated; }
    // True when a conflated session's backlog fell to half the soft watermark: it is not
    // conflated any more, and its Stale streams want a resync.
    [[nodiscard]] bool leaveConflationIfDrained();

    // Liveness, checked by the worker's timer.
    void pongReceived(std::int64_t nowMs) { m_lastPongMs = nowMs; }
    struct Due
    {
        enum class Close { No, SlowConsumer, PingTimeout } close = Close::No;
        bool ping = false; // the ping time is taken as now
        bool heartbeat = false;
    };
    [[nodiscard]] Due due(std::int64_t nowMs);

private:
    const quint64 m_id;
    const Identity m_identity;
    const FeedServerOptions &m_options;
    QWebSocket *m_socket = nullptr;
    QTcpSocket *m_tcp = nullptr;
    FrameSocket *m_frames = nullptr; // m_tcp when it is plain TCP: frames by reference
    std::unordered_map<QString, std::unique_ptr<Subscription>> m_streams;
    RequestRateLimiter m_rate;
    Batch m_batch; // written since the last takeBatch(), which comes with each flush
    std::int64_t m_lastSentMs;
    std::int64_t m_lastPingMs;
    std::int64_t m_lastPongMs;
    bool m_conflated = false; // market events are skipped (their streams go Stale)
    std::int64_t m_conflatedSinceMs = 0;
    bool m_closing = false;
};

} // namespace tickwire::server
