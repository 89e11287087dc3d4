// Session: its subscriptions, request rate and abuse, liveness (ping, pong timeout, heartbeat)
// on given steady times, and the backlog rules on a real loopback TCP socket whose peer stops
// reading (conflate, close, slow-consumer grace, drained).
#include "server/session.h"

#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::server;
using protocol::Channel;

namespace {

FeedServerOptions rules()
{
    FeedServerOptions o;
    o.heartbeatMs = 5'000;
    o.pingIntervalMs = 20'000;
    o.pongTimeoutMs = 60'000;
    o.slowGraceMs = 15'000;
    o.maxRequestsPerSecond = 10;
    o.requestBurst = 2;
    o.abuseLimit = 3;
    o.maxSubscriptions = 2;
    o.softWatermarkBytes = 256 * 1024;
    o.hardWatermarkBytes = 4 * 1024 * 1024;
    return o;
}

Session::Identity identity()
{
    Session::Identity id;
    id.name = u"s-test"_s;
    id.peer = u"127.0.0.1"_s;
    return id;
}

} // namespace

class tst_Session : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void subscriptions();
    void rateAndAbuse();
    void pingsAndHeartbeats();
    void pongTimeout();
    void backlogConflatesClosesAndDrains();
};

void tst_Session::subscriptions()
{
    const FeedServerOptions o = rules();
    Session s(1, identity(), o, 0);
    const StreamRef ticker{Channel::Ticker, u"AAA"_s};
    Subscription *a = s.addSubscription(u"ticker:AAA"_s, ticker);
    QVERIFY(a);
    QCOMPARE(a->session, &s);
    QCOMPARE(a->lastSeq, Pending);
    QCOMPARE(s.addSubscription(u"ticker:AAA"_s, ticker), nullptr); // already there
    QCOMPARE(s.subscription(u"ticker:AAA"_s), a);
    QVERIFY(s.maySubscribe());
    QVERIFY(s.addSubscription(u"trades:AAA"_s, {Channel::Trades, u"AAA"_s}));
    QVERIFY(!s.maySubscribe()); // maxSubscriptions
    s.removeSubscription(u"ticker:AAA"_s);
    QCOMPARE(s.subscription(u"ticker:AAA"_s), nullptr);
    QCOMPARE(s.subscriptionCount(), 1);
    QVERIFY(s.maySubscribe());
}

void tst_Session::rateAndAbuse()
{
    const FeedServerOptions o = rules();
    Session s(1, identity(), o, 1'000);
    QVERIFY(s.admit(1'000));
    QVERIFY(s.admit(1'000)); // the burst
    for (int i = 0; i < o.abuseLimit; ++i) {
        QVERIFY(!s.admit(1'001));
        QVERIFY(!s.isAbusive());
    }
    QVERIFY(!s.admit(1'002));
    QVERIFY(s.isAbusive());
}

void tst_Session::pingsAndHeartbeats()
{
    const FeedServerOptions o = rules();
    Session s(1, identity(), o, 0);
    Session::Due due = s.due(4'999);
    QCOMPARE(due.close, Session::Due::Close::No);
    QVERIFY(!due.ping);
    QVERIFY(!due.heartbeat);
    QVERIFY(s.due(5'000).heartbeat); // nothing sent for heartbeatMs
    s.flush(5'000); // something went out
    QVERIFY(!s.due(9'999).heartbeat);
    QVERIFY(s.due(10'000).heartbeat);
    due = s.due(20'000);
    QVERIFY(due.ping);
    QVERIFY(!s.due(20'001).ping); // the ping time was taken
    QVERIFY(s.due(40'000).ping);
}

void tst_Session::pongTimeout()
{
    const FeedServerOptions o = rules();
    Session s(1, identity(), o, 0);
    QCOMPARE(s.due(60'000).close, Session::Due::Close::No);
    s.pongReceived(50'000);
    QCOMPARE(s.due(110'000).close, Session::Due::Close::No);
    QCOMPARE(s.due(110'001).close, Session::Due::Close::PingTimeout);
}

void tst_Session::backlogConflatesClosesAndDrains()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QTcpSocket peer;
    peer.setReadBufferSize(64 * 1024); // stops taking from the kernel: the output backs up
    peer.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QVERIFY(server.waitForNewConnection(5'000));
    std::unique_ptr<QTcpSocket> tcp(server.nextPendingConnection());
    QVERIFY(tcp);
    tcp->setParent(nullptr);
    QTRY_COMPARE(peer.state(), QAbstractSocket::ConnectedState);

    const FeedServerOptions o = rules();
    Session s(1, identity(), o, 0);
    s.attach(nullptr, tcp.get());
    const QByteArray frame(32 * 1024, 'f');
    QCOMPARE(s.write(frame), true); // the first of a batch
    QCOMPARE(s.write(frame), false);
    QVERIFY(s.batchFull()); // 64 KiB
    s.flush(1'000);
    const Session::Batch batch = s.takeBatch();
    QCOMPARE(batch.messages, 2);
    QCOMPARE(batch.bytes, 2 * frame.size());
    QVERIFY(!s.batchFull());

    // Write until the kernel's buffers are full and Qt's buffer holds more than the soft mark.
    Session::Backlog backlog = Session::Backlog::Fine;
    for (int i = 0; i < 4'000 && backlog == Session::Backlog::Fine; ++i) {
        s.write(frame);
        s.flush(1'000);
        backlog = s.checkBacklog();
    }
    QCOMPARE(backlog, Session::Backlog::Conflate);
    QVERIFY(s.isConflated());
    QCOMPARE(s.checkBacklog(), Session::Backlog::Fine); // conflated once, not again
    QCOMPARE(s.due(1'000 + o.slowGraceMs).close, Session::Due::Close::No);
    QCOMPARE(s.due(1'001 + o.slowGraceMs).close, Session::Due::Close::SlowConsumer);
    QVERIFY(!s.leaveConflationIfDrained()); // still backed up

    for (int i = 0; i < 4'000 && backlog != Session::Backlog::Close; ++i) {
        s.write(frame);
        s.flush(2'000);
        backlog = s.checkBacklog();
    }
    QCOMPARE(backlog, Session::Backlog::Close);

    // The peer reads it all: the backlog drains and conflation ends.
    peer.setReadBufferSize(0);
    QTRY_VERIFY_WITH_TIMEOUT((peer.readAll(), tcp->bytesToWrite() <= o.softWatermarkBytes / 2),
                             10'000);
    QVERIFY(s.leaveConflationIfDrained());
    QVERIFY(!s.isConflated());
    QVERIFY(!s.leaveConflationIfDrained());
}

QTEST_GUILESS_MAIN(tst_Session)
#include "tst_session.moc"
