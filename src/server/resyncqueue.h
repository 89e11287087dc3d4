#pragma once

#include <QtCore/QList>

#include <cstdint>
#include <deque>
#include <vector>

namespace tickwire::server {

// The market streams of one worker whose subscribers lost events (the worker fell behind, or a
// socket was conflated) and wait for a fresh snapshot. Snapshots are asked for only while the
// worker keeps up, oldest stream first and a few at a time, and at most `budgetBytes` of them
// are written per drain turn: re-sending every stream at once would put the worker behind
// again. Worker thread only.
class ResyncQueue
{
public:
    struct Limits
    {
        std::int64_t budgetBytes = 512 * 1024; // snapshot bytes per drain turn (one always goes)
        int maxInFlight = 2; // snapshot requests waiting for the engine
        std::int64_t caughtUpMs = 50; // a turn whose oldest batch waited less is caught up
    };

    ResyncQueue(Limits limits, int streams);

    // Some subscribers of `streamId` need a snapshot. Queued once; a stream already queued keeps
    // its place, one in flight is served by the snapshot on its way.
    void add(int streamId);
    // A drain turn starts: the byte budget is full again.
    void beginTurn();
    // A drain turn ends. `oldestAgeMs`: how long the oldest batch taken had waited; `skipped`:
    // market data was skipped in the turn. Behind unless neither.
    void endTurn(std::int64_t oldestAgeMs, bool skipped);
    // Streams whose snapshot to request now (they count as in flight); none while behind.
    [[nodiscard]] QList<int> takeRequests();
    // Whether a snapshot may still be written in this turn; `spend` what was written.
    [[nodiscard]] bool mayWrite() const { return m_spent == 0 || m_spent < m_limits.budgetBytes; }
    void spend(std::int64_t bytes) { m_spent += bytes; }
    // The requested snapshot of `streamId` was applied; not `complete` (budget spent before
    // every waiting subscriber got it): back to the end of the queue.
    void done(int streamId, bool complete);

    [[nodiscard]] bool caughtUp() const { return m_caughtUp; }
    [[nodiscard]] qsizetype queued() const { return qsizetype(m_queue.size()); }
    [[nodiscard]] int inFlight() const { return m_inFlight; }

private:
    enum class State : std::uint8_t { Idle, Queued, InFlight };

    const Limits m_limits;
    std::deque<int> m_queue; // oldest first
    std::vector<State> m_state; // by stream id
    int m_inFlight = 0;
    std::int64_t m_spent = 0;
    bool m_caughtUp = true;
};

} // namespace tickwire::server
