#include "server/resyncqueue.h"

#include <QtTest/QTest>

using namespace tickwire::server;

namespace {

ResyncQueue::Limits limits()
{
    ResyncQueue::Limits l;
    l.budgetBytes = 1000;
    l.maxInFlight = 2;
    l.caughtUpMs = 50;
    return l;
}

} // namespace

class tst_ResyncQueue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nothingGoesOutWhileBehind();
    void oldestFirstAFewAtATime();
    void budgetPerTurnWithOneAlwaysAllowed();
    void partlyServedGoesToTheBack();
    void queuedOnce();
};

void tst_ResyncQueue::nothingGoesOutWhileBehind()
{
    ResyncQueue queue(limits(), 10);
    queue.add(3);
    queue.beginTurn();
    queue.endTurn(2000, false); // the oldest batch of the turn waited 2 s
    QVERIFY(!queue.caughtUp());
    QVERIFY(queue.takeRequests().isEmpty());
    queue.beginTurn();
    queue.endTurn(10, true); // young, but market data was skipped in the turn
    QVERIFY(queue.takeRequests().isEmpty());
    queue.beginTurn();
    queue.endTurn(50, false); // at the threshold: still behind
    QVERIFY(queue.takeRequests().isEmpty());
    QCOMPARE(queue.queued(), 1);
    queue.beginTurn();
    queue.endTurn(49, false);
    QVERIFY(queue.caughtUp());
    QCOMPARE(queue.takeRequests(), QList<int>{3});
    QCOMPARE(queue.inFlight(), 1);
}

void tst_ResyncQueue::oldestFirstAFewAtATime()
{
    ResyncQueue queue(limits(), 10);
    for (const int id : {7, 2, 9, 4})
        queue.add(id);
    queue.endTurn(0, false);
    QCOMPARE(queue.takeRequests(), (QList<int>{7, 2}));
    QVERIFY(queue.takeRequests().isEmpty()); // two in flight
    queue.done(7, true);
    QCOMPARE(queue.takeRequests(), QList<int>{9});
    queue.done(2, true);
    queue.done(9, true);
    QCOMPARE(queue.takeRequests(), QList<int>{4});
    queue.done(4, true);
    QVERIFY(queue.takeRequests().isEmpty());
    QCOMPARE(queue.queued(), 0);
    QCOMPARE(queue.inFlight(), 0);
}

void tst_ResyncQueue::budgetPerTurnWithOneAlwaysAllowed()
{
    ResyncQueue queue(limits(), 10);
    queue.beginTurn();
    QVERIFY(queue.mayWrite());
    queue.spend(5000); // one snapshot larger than the whole budget still goes out
    QVERIFY(!queue.mayWrite());
    queue.beginTurn();
    QVERIFY(queue.mayWrite());
    queue.spend(600);
    QVERIFY(queue.mayWrite());
    queue.spend(400);
    QVERIFY(!queue.mayWrite());
}

void tst_ResyncQueue::partlyServedGoesToTheBack()
{
    ResyncQueue queue(limits(), 10);
    for (const int id : {1, 2, 3})
        queue.add(id);
    queue.endTurn(0, false);
    QCOMPARE(queue.takeRequests(), (QList<int>{1, 2}));
    queue.done(1, false); // budget ran out: behind 3
    queue.done(2, true);
    QCOMPARE(queue.takeRequests(), (QList<int>{3, 1}));
}

void tst_ResyncQueue::queuedOnce()
{
    ResyncQueue queue(limits(), 10);
    queue.add(5);
    queue.add(6);
    queue.add(5); // keeps its place
    QCOMPARE(queue.queued(), 2);
    queue.endTurn(0, false);
    QCOMPARE(queue.takeRequests(), (QList<int>{5, 6}));
    queue.add(5); // in flight: the snapshot on its way serves it
    QCOMPARE(queue.queued(), 0);
    queue.done(5, true);
    queue.add(5); // lost events after that snapshot: queued again
    queue.add(-1);
    queue.add(10); // out of range: ignored
    QCOMPARE(queue.queued(), 1);
}

QTEST_GUILESS_MAIN(tst_ResyncQueue)
#include "tst_resyncqueue.moc"
