#include "server/workerinbox.h"

#include <QtCore/QDeadlineTimer>

namespace tickwire::server {

namespace {

std::int64_t steadyMs()
{
    return QDeadlineTimer::current().deadline();
}

} // namespace

PublishedBatch dropMarketEvents(const PublishedBatch &batch, QHash<int, qint64> *dropped)
{
    PublishedBatch kept;
    for (const PublishedEventPtr &event : batch) {
        if (event->streamId == NoStreamId) {
            kept.append(event);
            continue;
        }
        qint64 &trades = (*dropped)[event->streamId];
        if (event->channel == protocol::Channel::Trades)
            ++trades;
    }
    return kept;
}

WorkerInbox::WorkerInbox(int maxBatches, std::function<void()> wake)
    : m_maxBatches(std::max(1, maxBatches))
    , m_wake(std::move(wake))
{
}

void WorkerInbox::push(const PublishedBatch &batch)
{
    bool wake = false;
    {
        QMutexLocker lock(&m_mutex);
        if (m_closed)
            return;
        if (m_batches < m_maxBatches) {
            append(Item{batch, {}, {}, steadyMs()});
            ++m_batches;
        } else {
            ++m_stats.droppedBatches;
            QHash<int, qint64> dropped;
            const PublishedBatch kept = dropMarketEvents(batch, &dropped);
            if (!dropped.isEmpty()) {
                Item *last = m_items.empty() ? nullptr : &m_items.back();
                if (last && !last->dropped.isEmpty()) {
                    for (auto it = dropped.cbegin(); it != dropped.cend(); ++it)
                        last->dropped[it.key()] += it.value();
                } else {
                    append(Item{{}, {}, std::move(dropped), steadyMs()});
                }
            }
            if (!kept.isEmpty())
                append(Item{kept, {}, {}, steadyMs()});
        }
        wake = !m_awake && !m_held;
        if (wake)
            m_awake = true;
    }
    if (wake)
        m_wake();
}

void WorkerInbox::pushLost(const QHash<int, qint64> &lost)
{
    if (lost.isEmpty())
        return;
    bool wake = false;
    {
        QMutexLocker lock(&m_mutex);
        if (m_closed)
            return;
        append(Item{{}, {}, lost, steadyMs()});
        wake = !m_awake && !m_held;
        if (wake)
            m_awake = true;
    }
    if (wake)
        m_wake();
}

void WorkerInbox::post(std::function<void()> task)
{
    bool wake = false;
    {
        QMutexLocker lock(&m_mutex);
        if (m_closed)
            return;
        append(Item{{}, std::move(task), {}, steadyMs()});
        wake = !m_awake && !m_held;
        if (wake)
            m_awake = true;
    }
    if (wake)
        m_wake();
}

void WorkerInbox::append(Item item)
{
    m_items.push_back(std::move(item));
    m_stats.maxDepth = std::max(m_stats.maxDepth, qsizetype(m_items.size()));
}

std::deque<WorkerInbox::Item> WorkerInbox::take()
{
    QMutexLocker lock(&m_mutex);
    m_awake = false;
    if (m_held || m_closed)
        return {};
    m_batches = 0;
    return std::exchange(m_items, {});
}

void WorkerInbox::setHeld(bool held)
{
    bool wake = false;
    {
        QMutexLocker lock(&m_mutex);
        m_held = held;
        wake = !held && !m_closed && !m_awake && !m_items.empty();
        if (wake)
            m_awake = true;
    }
    if (wake)
        m_wake();
}

void WorkerInbox::close()
{
    QMutexLocker lock(&m_mutex);
    m_closed = true;
    m_items.clear();
    m_batches = 0;
}

qsizetype WorkerInbox::depth() const
{
    QMutexLocker lock(&m_mutex);
    return qsizetype(m_items.size());
}

WorkerInbox::Stats WorkerInbox::stats() const
{
    QMutexLocker lock(&m_mutex);
    return m_stats;
}

} // namespace tickwire::server
