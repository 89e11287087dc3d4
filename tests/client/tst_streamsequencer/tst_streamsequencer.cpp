#include "client/streamsequencer.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using tickwire::client::StreamSequencer;
using Verdict = StreamSequencer::Verdict;
using tickwire::protocol::Channel;

namespace {
tickwire::client::StreamId T(Channel channel, const char *symbol)
{
    return {channel, QString::fromLatin1(symbol), {}};
}
} // namespace

class tst_StreamSequencer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void verdicts_data();
    void verdicts();
    void streamsAreIndependent();
    void restartAcceptsSnapshotPosition();
    void candleIntervalsAreSeparateStreams();
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
        actual.append(int(sequencer.check(T(Channel::Book, "BTC-USD"), seq)));
    QCOMPARE(actual, expected);
}

void tst_StreamSequencer::streamsAreIndependent()
{
    StreamSequencer sequencer;
    QCOMPARE(sequencer.check(T(Channel::Ticker, "BTC-USD"), 10), Verdict::First);
    QCOMPARE(sequencer.check(T(Channel::Ticker, "ETH-USD"), 3), Verdict::First);
    QCOMPARE(sequencer.check(T(Channel::Ticker, "BTC-USD"), 11), Verdict::InOrder);
    QCOMPARE(sequencer.check(T(Channel::Ticker, "ETH-USD"), 4), Verdict::InOrder);
    sequencer.forget(T(Channel::Ticker, "ETH-USD"));
    QCOMPARE(sequencer.last(T(Channel::Ticker, "ETH-USD")), std::nullopt);
    QCOMPARE(sequencer.last(T(Channel::Ticker, "BTC-USD")), 11);
    sequencer.clear();
    // After a reconnect a restarted server may count from 1 again: not a duplicate.
    QCOMPARE(sequencer.check(T(Channel::Ticker, "BTC-USD"), 1), Verdict::First);
}

void tst_StreamSequencer::restartAcceptsSnapshotPosition()
{
    StreamSequencer sequencer;
    QCOMPARE(sequencer.check(T(Channel::Book, "X"), 100), Verdict::First);
    sequencer.restart(T(Channel::Book, "X"), 7);
    QCOMPARE(sequencer.check(T(Channel::Book, "X"), 8), Verdict::InOrder);
}

void tst_StreamSequencer::candleIntervalsAreSeparateStreams()
{
    // Streams are told apart by channel, symbol and interval, not by a joined string.
    using tickwire::protocol::CandleInterval;
    StreamSequencer sequencer;
    const tickwire::client::StreamId m1{Channel::Candles, u"X"_s, CandleInterval::M1};
    const tickwire::client::StreamId h1{Channel::Candles, u"X"_s, CandleInterval::H1};
    QCOMPARE(sequencer.check(m1, 5), Verdict::First);
    QCOMPARE(sequencer.check(h1, 5), Verdict::First);
    QCOMPARE(sequencer.check(m1, 6), Verdict::InOrder);
    QCOMPARE(sequencer.check(T(Channel::Trades, "X"), 6), Verdict::First);
    QCOMPARE(sequencer.check(h1, 5), Verdict::Stale);
}

QTEST_GUILESS_MAIN(tst_StreamSequencer)
#include "tst_streamsequencer.moc"
