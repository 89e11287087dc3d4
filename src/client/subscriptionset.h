#pragma once

#include "client/topic.h"

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QSet>
#include <QtCore/QString>

#include <cstdint>
#include <optional>

namespace tickwire::client {

// The subscriptions the application wants (desired state) and what the server has confirmed.
// On every (re)connect everything desired is requested again; while connected only the
// differences are sent. Every request has an id, ends with an ack, an error or a timeout.
// A topic the server refused (unknown symbol, ...) keeps its error and is not requested again
// until the application removes and re-adds it. Not thread-safe: one owner thread.
class SubscriptionSet
{
public:
    struct Failure
    {
        std::int64_t id = 0;
        QList<Topic> topics;
        QString code; // protocol::ErrorCode, or "timeout"
        QString message;
    };

    explicit SubscriptionSet(int bookDepth = protocol::DefaultBookDepth,
                             int requestTimeoutMs = 10'000);

    // Desired state. Return true when it changed.
    bool add(const Topic &topic);
    bool remove(const Topic &topic);
    [[nodiscard]] bool contains(const Topic &topic) const;
    [[nodiscard]] QList<Topic> desired() const;

    // Confirmed by the server on this connection.
    [[nodiscard]] bool isActive(const Topic &topic) const;
    // The server's refusal of this topic, if any ("" when none).
    [[nodiscard]] QString errorFor(const Topic &topic) const;
    [[nodiscard]] QHash<QString, QString> errors() const { return m_errors; }

    // The connection went away: the server holds nothing of ours any more.
    void connectionLost();

    // Requests that bring the server to the desired state, with ids from `nextId` (advanced).
    // `ordersResume` is attached to an orders subscription. `nowMs` starts the timeouts.
    [[nodiscard]] QList<protocol::Message>
    takeRequests(std::int64_t &nextId, std::int64_t nowMs,
                 std::optional<protocol::ResumePoint> ordersResume = {});
    // Unsubscribe + subscribe of one topic (a fresh snapshot) while connected.
    [[nodiscard]] QList<protocol::Message>
    resubscribe(const Topic &topic, std::int64_t &nextId, std::int64_t nowMs,
                std::optional<protocol::ResumePoint> ordersResume = {});

    // Replies. Return false when the id is not one of our pending requests.
    bool handleAck(const protocol::Ack &ack);
    [[nodiscard]] std::optional<Failure> handleError(const protocol::Error &error);
    // Requests older than the timeout: their topics will be requested again by takeRequests.
    [[nodiscard]] QList<Failure> expire(std::int64_t nowMs);

    [[nodiscard]] bool hasPending() const { return !m_pending.isEmpty(); }
    [[nodiscard]] bool isPending(std::int64_t id) const { return m_pending.contains(id); }

private:
    enum class Status { Subscribing, Active, Unsubscribing };
    struct Pending
    {
        bool subscribe = true;
        QList<QString> keys;
        std::int64_t deadline = 0;
    };

    [[nodiscard]] protocol::Subscribe
    makeSubscribe(const QList<Topic> &topics, std::int64_t id,
                  std::optional<protocol::ResumePoint> resume) const;

    int m_bookDepth;
    int m_requestTimeoutMs;
    QHash<QString, Topic> m_desired; // key: Topic::toString()
    QSet<Topic> m_desiredTopics; // the same topics, for contains() on every event
    QHash<QString, Topic> m_known; // every topic ever desired or on the server
    QHash<QString, Status> m_server; // what the server has / is being asked
    QHash<QString, QString> m_errors; // refused topics
    QHash<std::int64_t, Pending> m_pending;
};

} // namespace tickwire::client
