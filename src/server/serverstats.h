#pragma once

#include <QtCore/QHash>
#include <QtCore/QMutex>
#include <QtCore/QString>

#include <atomic>
#include <cstdint>

namespace tickwire::server {

// A copy of the server counters at one moment (totals since start).
struct ServerStats
{
    std::int64_t connections = 0; // open WebSocket sessions now
    std::int64_t totalConnections = 0; // sessions ever welcomed
    std::int64_t rejectedConnections = 0;
    std::int64_t messagesOut = 0;
    std::int64_t bytesOut = 0;
    std::int64_t messagesIn = 0;
    std::int64_t tradesDropped = 0; // trades not sent to conflated clients
    std::int64_t conflations = 0; // times a client went above the soft watermark
    std::int64_t slowConsumerClosed = 0;
    std::int64_t rateLimited = 0; // rate_limited errors sent
    std::int64_t batchesDropped = 0; // batches whose market data a lagging worker skipped
    std::int64_t maxQueuedBatches = 0; // most items ever waiting for one worker
};

// Counters and connection accounting shared by the workers (any thread).
class SharedCounters
{
public:
    std::atomic<std::int64_t> connections{0};
    std::atomic<std::int64_t> totalConnections{0};
    std::atomic<std::int64_t> rejectedConnections{0};
    std::atomic<std::int64_t> messagesOut{0};
    std::atomic<std::int64_t> bytesOut{0};
    std::atomic<std::int64_t> messagesIn{0};
    std::atomic<std::int64_t> tradesDropped{0};
    std::atomic<std::int64_t> conflations{0};
    std::atomic<std::int64_t> slowConsumerClosed{0};
    std::atomic<std::int64_t> rateLimited{0};
    std::atomic<std::int64_t> batchesDropped{0}; // by age, at the worker

    // Takes a connection slot for `address`; false (nothing taken) when a limit is reached.
    [[nodiscard]] bool tryAcquire(const QString &address, int maxTotal, int maxPerAddress)
    {
        QMutexLocker lock(&m_mutex);
        int &perAddress = m_perAddress[address];
        if (connections.load() >= maxTotal || perAddress >= maxPerAddress) {
            if (perAddress == 0)
                m_perAddress.remove(address);
            return false;
        }
        ++perAddress;
        ++connections;
        ++totalConnections;
        return true;
    }
    void release(const QString &address)
    {
        QMutexLocker lock(&m_mutex);
        auto it = m_perAddress.find(address);
        if (it != m_perAddress.end() && --*it <= 0)
            m_perAddress.erase(it);
        --connections;
    }

    [[nodiscard]] ServerStats snapshot() const
    {
        return ServerStats{
            connections.load(),   totalConnections.load(), rejectedConnections.load(),
            messagesOut.load(),   bytesOut.load(),         messagesIn.load(),
            tradesDropped.load(), conflations.load(),      slowConsumerClosed.load(),
            rateLimited.load(),   batchesDropped.load()};
    }

private:
    QMutex m_mutex;
    QHash<QString, int> m_perAddress;
};

} // namespace tickwire::server
