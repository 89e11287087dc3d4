#include "server/workerinbox.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::server;

namespace {

// Stream ids of the first symbol: ticker 0, trades 1 (see StreamsPerSymbol).
constexpr int TickerId = 0;
constexpr int TradesId = 1;

PublishedEventPtr marketEvent(int streamId, protocol::Channel channel, std::int64_t seq)
{
    protocol::Heartbeat payload{seq};
    return PublishedEvent::make(u"s%1"_s.arg(streamId), channel, seq, payload, streamId);
}

PublishedEventPtr accountEvent(std::int64_t seq)
{
    protocol::Heartbeat payload{seq};
    return PublishedEvent::make(u"orders:demo"_s, protocol::Channel::Orders, seq, payload);
}

PublishedBatch marketBatch(std::int64_t seq)
{
    return {marketEvent(TradesId, protocol::Channel::Trades, seq),
            marketEvent(TradesId, protocol::Channel::Trades, seq + 1),
            marketEvent(TickerId, protocol::Channel::Ticker, seq)};
}

} // namespace

class tst_WorkerInbox : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void boundedUnderFloodKeepingAccountEventsInOrder();
    void repliesStayInOrderWithBatches();
    void wakesOnceUntilTaken();
    void heldHandsOutNothingThenWakes();
    void closeDiscards();
};

void tst_WorkerInbox::boundedUnderFloodKeepingAccountEventsInOrder()
{
    WorkerInbox inbox(4, [] {});
    std::int64_t accountSeq = 0;
    for (int i = 0; i < 1000; ++i) {
        PublishedBatch batch = marketBatch(i * 2);
        if (i % 10 == 0)
            batch.append(accountEvent(++accountSeq));
        inbox.push(batch);
        // Never more than the bound plus, per account batch, itself and one dropped marker.
        QVERIFY(inbox.depth() <= 4 + 2 * accountSeq + 1);
    }
    QCOMPARE(inbox.stats().droppedBatches, 996);

    std::int64_t lastAccount = 0;
    qint64 droppedTrades = 0;
    int queuedBatches = 0;
    const std::deque<WorkerInbox::Item> items = inbox.take();
    for (const WorkerInbox::Item &item : items) {
        QVERIFY(!item.task);
        for (auto it = item.dropped.cbegin(); it != item.dropped.cend(); ++it) {
            QVERIFY(it.key() == TradesId || it.key() == TickerId);
            if (it.key() == TradesId)
                droppedTrades += it.value();
        }
        bool market = false;
        for (const PublishedEventPtr &e : item.batch) {
            if (e->channel == protocol::Channel::Orders) {
                QCOMPARE(e->seq, lastAccount + 1); // every account event, once, in order
                lastAccount = e->seq;
            } else {
                market = true;
            }
        }
        queuedBatches += market ? 1 : 0;
    }
    QCOMPARE(lastAccount, accountSeq);
    QCOMPARE(queuedBatches, 4);
    QCOMPARE(droppedTrades, 996 * 2);
    QCOMPARE(inbox.depth(), 0);

    // Taking makes room again: the next batches are queued whole.
    inbox.push(marketBatch(5000));
    const std::deque<WorkerInbox::Item> next = inbox.take();
    QCOMPARE(next.size(), std::size_t(1));
    QCOMPARE(next.front().batch.size(), 3);
}

void tst_WorkerInbox::repliesStayInOrderWithBatches()
{
    WorkerInbox inbox(2, [] {});
    QStringList order;
    inbox.push(marketBatch(0));
    inbox.post([&order] { order.append(u"snapshot"_s); });
    inbox.push(marketBatch(2));
    inbox.push(marketBatch(4)); // over the bound: dropped
    inbox.post([&order] { order.append(u"reply"_s); });
    const std::deque<WorkerInbox::Item> items = inbox.take();
    QCOMPARE(items.size(), std::size_t(5));
    QCOMPARE(items[0].batch.first()->seq, 0);
    QVERIFY(items[1].task);
    QCOMPARE(items[2].batch.first()->seq, 2);
    QCOMPARE(items[3].dropped.value(TradesId), 2);
    QVERIFY(items[4].task);
    items[1].task();
    items[4].task();
    QCOMPARE(order, QStringList({u"snapshot"_s, u"reply"_s}));
}

void tst_WorkerInbox::wakesOnceUntilTaken()
{
    int wakes = 0;
    WorkerInbox inbox(100, [&wakes] { ++wakes; });
    inbox.push(marketBatch(0));
    inbox.push(marketBatch(2));
    inbox.post([] {});
    QCOMPARE(wakes, 1);
    QCOMPARE(inbox.take().size(), std::size_t(3));
    inbox.push(marketBatch(4));
    QCOMPARE(wakes, 2);
}

void tst_WorkerInbox::heldHandsOutNothingThenWakes()
{
    int wakes = 0;
    WorkerInbox inbox(3, [&wakes] { ++wakes; });
    inbox.setHeld(true);
    for (int i = 0; i < 50; ++i)
        inbox.push(marketBatch(i * 2));
    QCOMPARE(wakes, 0);
    QVERIFY(inbox.take().empty());
    QCOMPARE(inbox.depth(), 4); // three batches and the dropped rest
    inbox.setHeld(false);
    QCOMPARE(wakes, 1);
    QCOMPARE(inbox.take().size(), std::size_t(4));
}

void tst_WorkerInbox::closeDiscards()
{
    int wakes = 0;
    WorkerInbox inbox(3, [&wakes] { ++wakes; });
    inbox.setHeld(true);
    inbox.push(marketBatch(0));
    inbox.close();
    inbox.push(marketBatch(2));
    inbox.post([] {});
    inbox.setHeld(false);
    QCOMPARE(inbox.depth(), 0);
    QVERIFY(inbox.take().empty());
    QCOMPARE(wakes, 0);
}

QTEST_GUILESS_MAIN(tst_WorkerInbox)
#include "tst_workerinbox.moc"
