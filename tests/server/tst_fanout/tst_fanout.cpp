// fanOutStep(): the fan-out's rule for one event and one subscription, every case of it.
#include "server/fanout.h"
#include "server/subscriptionregistry.h"

#include <QtTest/QTest>

using namespace tickwire::server;
using tickwire::protocol::Channel;

Q_DECLARE_METATYPE(FanOutStep)
Q_DECLARE_METATYPE(Channel)

class tst_FanOut : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void step_data();
    void step();
};

void tst_FanOut::step_data()
{
    QTest::addColumn<qint64>("lastSeq");
    QTest::addColumn<qint64>("eventSeq");
    QTest::addColumn<Channel>("channel");
    QTest::addColumn<bool>("conflated");
    QTest::addColumn<bool>("encoded");
    QTest::addColumn<FanOutStep>("expected");
    QTest::addColumn<qint64>("lastSeqAfter");

    QTest::newRow("next event") << qint64(7) << qint64(8) << Channel::Book << false << true
                                << FanOutStep::Write << qint64(8);
    QTest::newRow("a gap is still sent") << qint64(7) << qint64(12) << Channel::Trades << false
                                         << true << FanOutStep::Write << qint64(12);
    QTest::newRow("before the snapshot")
        << Pending << qint64(8) << Channel::Book << false << true << FanOutStep::Skip << Pending;
    QTest::newRow("already in the snapshot") << qint64(8) << qint64(8) << Channel::Book << false
                                             << true << FanOutStep::Skip << qint64(8);
    QTest::newRow("older than the snapshot") << qint64(8) << qint64(3) << Channel::Ticker << false
                                             << true << FanOutStep::Skip << qint64(8);
    QTest::newRow("stale book waits for its resync")
        << Stale << qint64(9) << Channel::Book << false << true << FanOutStep::Drop << Stale;
    QTest::newRow("stale trades wait for the resync")
        << Stale << qint64(9) << Channel::Trades << false << true << FanOutStep::Drop << Stale;
    QTest::newRow("a ticker resyncs a stale ticker")
        << Stale << qint64(9) << Channel::Ticker << false << true << FanOutStep::Write << qint64(9);
    QTest::newRow("conflated: market data dropped")
        << qint64(7) << qint64(8) << Channel::Ticker << true << true << FanOutStep::Drop << Stale;
    QTest::newRow("conflated: candles dropped")
        << qint64(7) << qint64(8) << Channel::Candles << true << true << FanOutStep::Drop << Stale;
    QTest::newRow("conflated: account events still sent")
        << qint64(7) << qint64(8) << Channel::Orders << true << true << FanOutStep::Write
        << qint64(8);
    QTest::newRow("not encoded for this session")
        << qint64(7) << qint64(8) << Channel::Book << false << false << FanOutStep::Resnapshot
        << Pending;
    QTest::newRow("not encoded but not due either")
        << qint64(8) << qint64(8) << Channel::Book << false << false << FanOutStep::Skip
        << qint64(8);
}

void tst_FanOut::step()
{
    QFETCH(qint64, lastSeq);
    QFETCH(qint64, eventSeq);
    QFETCH(Channel, channel);
    QFETCH(bool, conflated);
    QFETCH(bool, encoded);
    QFETCH(FanOutStep, expected);
    QFETCH(qint64, lastSeqAfter);
    QCOMPARE(fanOutStep(lastSeq, eventSeq, channel, conflated, encoded), expected);
    QCOMPARE(lastSeq, lastSeqAfter);
}

QTEST_APPLESS_MAIN(tst_FanOut)
#include "tst_fanout.moc"
