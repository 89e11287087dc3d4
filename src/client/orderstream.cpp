#include "client/orderstream.h"

namespace tickwire::client {

std::optional<protocol::ResumePoint> OrderStream::resumePoint() const
{
    if (!m_valid)
        return std::nullopt;
    return protocol::ResumePoint{m_epoch, m_seq};
}

void OrderStream::apply(const protocol::OrdersSnapshot &snapshot)
{
    m_epoch = snapshot.epoch;
    m_seq = snapshot.seq;
    m_valid = true;
    m_orders.clear();
    m_positions.clear();
    for (const protocol::Order &order : snapshot.orders) {
        m_orders.insert(order.orderId, order);
        noteSeen(order.clientOrderId);
    }
    for (const protocol::Position &position : snapshot.positions)
        m_positions.insert(position.symbol, position);
}

OrderStream::Verdict OrderStream::advance(std::int64_t epoch, std::int64_t seq)
{
    if (!m_valid) {
        // First event of a stream joined without a snapshot: adopt its position.
        m_epoch = epoch;
        m_seq = seq;
        m_valid = true;
        return Verdict::Applied;
    }
    if (epoch != m_epoch)
        return Verdict::Gap;
    if (seq <= m_seq)
        return Verdict::Duplicate;
    if (seq != m_seq + 1)
        return Verdict::Gap;
    m_seq = seq;
    return Verdict::Applied;
}

OrderStream::Verdict OrderStream::apply(const protocol::Order &order)
{
    const Verdict verdict = advance(order.epoch, order.seq);
    if (verdict == Verdict::Applied) {
        m_orders.insert(order.orderId, order);
        noteSeen(order.clientOrderId);
    }
    return verdict;
}

OrderStream::Verdict OrderStream::apply(const protocol::Position &position)
{
    const Verdict verdict = advance(position.epoch, position.seq);
    if (verdict == Verdict::Applied)
        m_positions.insert(position.symbol, position);
    return verdict;
}

void OrderStream::invalidate()
{
    m_valid = false;
}

void OrderStream::trackPlaced(const QString &clientOrderId)
{
    m_unresolved.insert(clientOrderId);
}

void OrderStream::acknowledged(const QString &clientOrderId)
{
    m_unresolved.remove(clientOrderId);
}

void OrderStream::noteSeen(const QString &clientOrderId)
{
    if (m_unresolved.remove(clientOrderId))
        m_reconciled.append(clientOrderId);
}

QStringList OrderStream::takeReconciled()
{
    return std::exchange(m_reconciled, {});
}

std::optional<protocol::Order> OrderStream::findByClientOrderId(const QString &id) const
{
    for (const protocol::Order &order : m_orders) {
        if (order.clientOrderId == id)
            return order;
    }
    return std::nullopt;
}

} // namespace tickwire::client
