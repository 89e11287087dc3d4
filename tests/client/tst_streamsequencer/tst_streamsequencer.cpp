#include "streamsequencer.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using tickwire::client::StreamSequencer;
using Verdict = StreamSequencer::Verdict;

class tst_StreamSequencer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void verdicts_data();
    void verdicts();
    void streamsAreIndependent();
    void restartAcceptsSnapshotPosition();
};

void tst_StreamSequencer::verdicts_data()
{
    QTest::addColumn<QList<qint64>>("seqs");
    QTest::addColumn<QList<int>>("expected");
    QTest::newRow("in order") << QList<qint64>{
        5, 6, 7} << QList<int>{int(Verdict::First), int(Verdict::InOrder), int(Verdict::InOrder)};
    QTest::newRow("duplicate") << QList<qint64>{5, 6, 6, 7}
                               << QList<int>{int(Verdict::First), int(Verdict::InOrder),
                                             int(Verdict::Stale), int(Verdict::InOrder)};
    QTest::newRow("old") << QList<qint64>{5, 6, 3, 7}
                         << QList<int>{int(Verdict::First), int(Verdict::InOrder),
                                       int(Verdict::Stale), int(Verdict::InOrder)};
    QTest::newRow("gap then continue") << QList<qint64>{5, 9, 10, 8}
                                       << QList<int>{int(Verdict::First), int(Verdict::Gap),
                                                     int(Verdict::InOrder), int(Verdict::Stale)};
}

void tst_StreamSequencer::verdicts()
{
    QFETCH(QList<qint64>, seqs);
    QFETCH(QList<int>, expected);
    StreamSequencer sequencer;
    QList<int> actual;
    for (qint64 seq : seqs)
        actual.append(int(sequencer.check(u"book:BTC-USD"_s, seq)));
    QCOMPARE(actual, expected);
}

void tst_StreamSequencer::streamsAreIndependent()
{
    StreamSequencer sequencer;
    QCOMPARE(sequencer.check(u"ticker:BTC-USD"_s, 10), Verdict::First);
    QCOMPARE(sequencer.check(u"ticker:ETH-USD"_s, 3), Verdict::First);
    QCOMPARE(sequencer.check(u"ticker:BTC-USD"_s, 11), Verdict::InOrder);
    QCOMPARE(sequencer.check(u"ticker:ETH-USD"_s, 4), Verdict::InOrder);
    sequencer.forget(u"ticker:ETH-USD"_s);
    QCOMPARE(sequencer.last(u"ticker:ETH-USD"_s), std::nullopt);
    QCOMPARE(sequencer.last(u"ticker:BTC-USD"_s), 11);
    sequencer.clear();
    // After a reconnect a restarted server may count from 1 again: not a duplicate.
    QCOMPARE(sequencer.check(u"ticker:BTC-USD"_s, 1), Verdict::First);
}

void tst_StreamSequencer::restartAcceptsSnapshotPosition()
{
    StreamSequencer sequencer;
    QCOMPARE(sequencer.check(u"book:X"_s, 100), Verdict::First);
    sequencer.restart(u"book:X"_s, 7);
    QCOMPARE(sequencer.check(u"book:X"_s, 8), Verdict::InOrder);
}

QTEST_GUILESS_MAIN(tst_StreamSequencer)
#include "tst_streamsequencer.moc"
