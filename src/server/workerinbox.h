#pragma once

#include "server/publishedevent.h"

#include <QtCore/QHash>
#include <QtCore/QMutex>

#include <deque>
#include <functional>

namespace tickwire::server {

// What the engine hands one worker, in order: event batches and replies (snapshots, order
// replies) that must stay in order with those batches. Bounded: once `maxBatches` batches are
// waiting, the market events of further batches are not queued; only which streams lost events
// is (merged into one `dropped` item while it is the newest), and the worker re-sends those
// streams as snapshots. Account (`orders`) events and replies are always queued: they are
// durable and must arrive exactly once. push/post from any thread (the engine's), take/
// setHeld/close from the worker's or the server's.
class WorkerInbox
{
public:
    struct Item
    {
        PublishedBatch batch; // events in publish order
        std::function<void()> task; // a reply, run on the worker in order with the batches
        QHash<int, qint64> dropped; // stream id -> trades dropped (0 for other channels)
        std::int64_t queuedMs = 0; // steady clock (QDeadlineTimer::current), for the age check
    };
    struct Stats
    {
        qint64 droppedBatches = 0; // batches whose market events were not queued
        qsizetype maxDepth = 0; // most items ever waiting at once
    };

    // `wake` is called (from the pushing thread, without the lock) when the inbox goes from
    // nothing to take to something to take; the worker then calls take().
    WorkerInbox(int maxBatches, std::function<void()> wake);

    void push(const PublishedBatch &batch);
    void post(std::function<void()> task);
    // Events of these market streams were lost before they reached the inbox (stream id ->
    // trades lost): the worker resyncs them, in order with the batches around.
    void pushLost(const QHash<int, qint64> &lost);
    // Everything waiting, oldest first; nothing while held or after close().
    [[nodiscard]] std::deque<Item> take();
    // Holding stops take() from handing anything out (an overloaded worker, as the engine sees
    // it); releasing wakes the worker.
    void setHeld(bool held);
    // Discards what is waiting and everything pushed later.
    void close();

    [[nodiscard]] qsizetype depth() const;
    [[nodiscard]] Stats stats() const;

private:
    void append(Item item); // with the lock held; sets m_wakeNeeded when the worker must wake

    const int m_maxBatches;
    const std::function<void()> m_wake;
    mutable QMutex m_mutex;
    std::deque<Item> m_items;
    int m_batches = 0; // items in m_items with a batch of market events
    bool m_awake = false; // a wake is pending: the worker will take() soon
    bool m_held = false;
    bool m_closed = false;
    Stats m_stats;
};

// Splits a batch's market events into `dropped` (stream id -> trades); returns the account
// events, which are never dropped.
PublishedBatch dropMarketEvents(const PublishedBatch &batch, QHash<int, qint64> *dropped);

} // namespace tickwire::server
