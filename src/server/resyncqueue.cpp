#include "server/resyncqueue.h"

#include <algorithm>

namespace tickwire::server {

ResyncQueue::ResyncQueue(Limits limits, int streams)
    : m_limits(limits)
    , m_state(std::size_t(std::max(0, streams)), State::Idle)
{
}

void ResyncQueue::add(int streamId)
{
    if (streamId < 0 || std::size_t(streamId) >= m_state.size()
        || m_state[std::size_t(streamId)] != State::Idle)
        return;
    m_state[std::size_t(streamId)] = State::Queued;
    m_queue.push_back(streamId);
}

void ResyncQueue::beginTurn()
{
    m_spent = 0;
}

void ResyncQueue::endTurn(std::int64_t oldestAgeMs, bool skipped)
{
    m_caughtUp = !skipped && oldestAgeMs < m_limits.caughtUpMs;
}

QList<int> ResyncQueue::takeRequests()
{
    QList<int> streams;
    while (m_caughtUp && m_inFlight < std::max(1, m_limits.maxInFlight) && !m_queue.empty()) {
        const int id = m_queue.front();
        m_queue.pop_front();
        m_state[std::size_t(id)] = State::InFlight;
        ++m_inFlight;
        streams.append(id);
    }
    return streams;
}

void ResyncQueue::done(int streamId, bool complete)
{
    if (streamId < 0 || std::size_t(streamId) >= m_state.size()
        || m_state[std::size_t(streamId)] != State::InFlight)
        return;
    --m_inFlight;
    m_state[std::size_t(streamId)] = State::Idle;
    if (!complete)
        add(streamId);
}

} // namespace tickwire::server
