#pragma once

#include "protocol/messages.h"

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QSet>
#include <QtCore/QString>

#include <optional>

namespace tickwire::client {

// The account's order stream: open orders and positions, kept exactly once in stream order.
// Order and position events share one {epoch, seq} sequence; after a reconnect the stream is
// resumed from resumePoint(), replayed events already applied are dropped, and an
// orders_snapshot replaces everything. A gap or a new epoch means state is lost: the owner
// must subscribe again without resume (a fresh snapshot). Not thread-safe: one owner thread.
class OrderStream
{
public:
    enum class Verdict {
        Applied, // new event, state updated
        Duplicate, // already applied (replay after resume): drop it
        Gap // events are missing or the epoch changed: resubscribe for a snapshot
    };

    [[nodiscard]] std::optional<protocol::ResumePoint> resumePoint() const;

    void apply(const protocol::OrdersSnapshot &snapshot);
    [[nodiscard]] Verdict apply(const protocol::Order &order);
    [[nodiscard]] Verdict apply(const protocol::Position &position);
    // Forget the stream position (after a gap): the next subscribe must not resume.
    void invalidate();

    // Orders placed by this client whose outcome is not known yet (ack lost, disconnect...).
    void trackPlaced(const QString &clientOrderId);
    void acknowledged(const QString &clientOrderId);
    [[nodiscard]] bool isUnresolved(const QString &clientOrderId) const
    {
        return m_unresolved.contains(clientOrderId);
    }
    // Tracked orders the stream has shown since the last call: their fate is known.
    [[nodiscard]] QStringList takeReconciled();

    [[nodiscard]] const QHash<QString, protocol::Order> &orders() const { return m_orders; }
    [[nodiscard]] const QHash<QString, protocol::Position> &positions() const
    {
        return m_positions;
    }
    [[nodiscard]] std::optional<protocol::Order> findByClientOrderId(const QString &id) const;

private:
    [[nodiscard]] Verdict advance(std::int64_t epoch, std::int64_t seq);
    void noteSeen(const QString &clientOrderId);

    std::int64_t m_epoch = 0;
    std::int64_t m_seq = 0;
    bool m_valid = false;
    QHash<QString, protocol::Order> m_orders; // by order id; includes terminal orders seen
    QHash<QString, protocol::Position> m_positions; // by symbol
    QSet<QString> m_unresolved;
    QStringList m_reconciled;
};

} // namespace tickwire::client
