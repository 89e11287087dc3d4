// BinanceBookSync: Binance's documented local order book procedure, event by event.
#include "exchanges/binancebook.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::exchanges::binance;
using State = BinanceBookSync::State;

namespace {

protocol::InstrumentInfo btcUsdt()
{
    protocol::InstrumentInfo info;
    info.symbol = u"BTC-USDT"_s;
    info.tickSize = *Decimal::parse(QByteArrayView("0.01"));
    info.lotSize = *Decimal::parse(QByteArrayView("0.00001"));
    return info;
}

DepthUpdate depthEvent(std::int64_t first, std::int64_t last, QList<RawLevel> bids = {},
                       QList<RawLevel> asks = {})
{
    DepthUpdate e;
    e.symbol = u"BTCUSDT"_s;
    e.eventTime = 1000 + last;
    e.firstUpdateId = first;
    e.finalUpdateId = last;
    e.bids = bids.isEmpty() ? QList<RawLevel>{{u"100.00000000"_s, QString::number(last) + ".0"_L1}}
                            : bids;
    e.asks = asks;
    return e;
}

DepthSnapshot snapshot(std::int64_t lastUpdateId)
{
    DepthSnapshot s;
    s.lastUpdateId = lastUpdateId;
    s.bids = {{u"99.99000000"_s, u"1.00000000"_s}};
    s.asks = {{u"100.01000000"_s, u"2.00000000"_s}};
    return s;
}

// The bid quantity event(first, last) sets: tells which events were applied.
QString appliedQty(const protocol::Book &book)
{
    return book.bids.isEmpty() ? QString() : book.bids.first().qty.toString();
}

} // namespace

class TestBinanceBook : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstEventAsksForSnapshot()
    {
        BinanceBookSync sync(btcUsdt());
        auto out = sync.onEvent(depthEvent(101, 103));
        QVERIFY(out.fetchSnapshot);
        QVERIFY(out.books.isEmpty());
        QCOMPARE(sync.state(), State::AwaitingSnapshot);
        out = sync.onEvent(depthEvent(104, 106));
        QVERIFY(!out.fetchSnapshot); // one request at a time
        QCOMPARE(sync.buffered(), 2);
    }

    void staleSnapshotIsFetchedAgain()
    {
        BinanceBookSync sync(btcUsdt());
        (void)sync.onEvent(depthEvent(101, 103));
        auto out = sync.onSnapshot(snapshot(95), 0); // older than the first buffered U
        QVERIFY(out.fetchSnapshot);
        QVERIFY(out.books.isEmpty());
        QCOMPARE(sync.state(), State::AwaitingSnapshot);
        out = sync.onSnapshot(snapshot(102), 5);
        QVERIFY(!out.fetchSnapshot);
        QCOMPARE(sync.state(), State::Synced);
        QCOMPARE(out.books.size(), 2);
        QVERIFY(out.books[0].snapshot);
        QCOMPARE(out.books[0].ts, 5);
        QCOMPARE(out.books[0].bids.first().price.toString(), u"99.99"_s); // at the tick scale
        QCOMPARE(out.books[0].asks.first().qty.toString(), u"2.00000"_s); // at the lot scale
        QCOMPARE(appliedQty(out.books[1]), u"103.00000"_s);
        QCOMPARE(sync.bookUpdateId(), 103);
    }

    void bufferedEventsUpToLastUpdateIdAreDropped()
    {
        BinanceBookSync sync(btcUsdt());
        (void)sync.onEvent(depthEvent(101, 103));
        (void)sync.onEvent(depthEvent(104, 106));
        (void)sync.onEvent(depthEvent(107, 110));
        const auto out = sync.onSnapshot(snapshot(106), 0);
        QCOMPARE(out.books.size(), 2);
        QVERIFY(out.books[0].snapshot);
        QVERIFY(!out.books[1].snapshot);
        QCOMPARE(appliedQty(out.books[1]), u"110.00000"_s);
        QCOMPARE(sync.bookUpdateId(), 110);
    }

    void firstEventStraddlingTheSnapshotApplies()
    {
        BinanceBookSync sync(btcUsdt());
        (void)sync.onEvent(depthEvent(101, 103));
        (void)sync.onEvent(depthEvent(104, 108));
        const auto out = sync.onSnapshot(snapshot(105), 0); // 105 inside [104;108]
        QCOMPARE(out.books.size(), 2);
        QCOMPARE(appliedQty(out.books[1]), u"108.00000"_s);
        QCOMPARE(sync.bookUpdateId(), 108);
    }

    void liveEventsChain()
    {
        BinanceBookSync sync(btcUsdt());
        (void)sync.onEvent(depthEvent(101, 103));
        (void)sync.onSnapshot(snapshot(103), 0);
        const auto out = sync.onEvent(depthEvent(104, 104));
        QCOMPARE(out.books.size(), 1);
        QVERIFY(out.resyncReason.isEmpty());
        QCOMPARE(sync.bookUpdateId(), 104);
    }

    void oldEventIsIgnored()
    {
        BinanceBookSync sync(btcUsdt());
        (void)sync.onEvent(depthEvent(101, 110));
        (void)sync.onSnapshot(snapshot(110), 0);
        const auto out = sync.onEvent(depthEvent(100, 105)); // u < the book's update id
        QVERIFY(out.books.isEmpty());
        QVERIFY(!out.fetchSnapshot);
        QVERIFY(out.resyncReason.isEmpty());
        QCOMPARE(sync.state(), State::Synced);
        QCOMPARE(sync.bookUpdateId(), 110);
    }

    void gapStartsOverWithANewSnapshot()
    {
        BinanceBookSync sync(btcUsdt());
        (void)sync.onEvent(depthEvent(101, 110));
        (void)sync.onSnapshot(snapshot(110), 0);
        auto out = sync.onEvent(depthEvent(115, 125)); // 111..114 lost
        QVERIFY(out.books.isEmpty());
        QVERIFY(out.fetchSnapshot);
        QVERIFY(out.resyncReason.contains(u"gap"_s));
        QCOMPARE(sync.state(), State::AwaitingSnapshot);
        QCOMPARE(sync.buffered(), 1); // the event that showed the gap starts the new buffer
        out = sync.onSnapshot(snapshot(120), 0);
        QCOMPARE(out.books.size(), 2);
        QVERIFY(out.books[0].snapshot); // every resync publishes a snapshot
        QCOMPARE(appliedQty(out.books[1]), u"125.00000"_s);
    }

    void gapInsideTheBufferStartsOver()
    {
        BinanceBookSync sync(btcUsdt());
        (void)sync.onEvent(depthEvent(101, 103));
        (void)sync.onEvent(depthEvent(104, 106));
        (void)sync.onEvent(depthEvent(109, 112)); // 107, 108 lost while buffering
        const auto out = sync.onSnapshot(snapshot(104), 0);
        QCOMPARE(out.books.size(), 2); // the snapshot and 104..106
        QVERIFY(out.fetchSnapshot);
        QVERIFY(!out.resyncReason.isEmpty());
        QCOMPARE(sync.state(), State::AwaitingSnapshot);
    }

    void zeroQuantityIsForwardedAtLotScale()
    {
        BinanceBookSync sync(btcUsdt());
        (void)sync.onEvent(depthEvent(101, 101));
        (void)sync.onSnapshot(snapshot(101), 0);
        const auto out = sync.onEvent(depthEvent(102, 102, {{u"99.99000000"_s, u"0.00000000"_s}}));
        QCOMPARE(out.books.size(), 1);
        QVERIFY(out.books[0].bids[0].qty.isZero());
        QCOMPARE(out.books[0].bids[0].qty.toString(), u"0.00000"_s);
    }

    void offGridLevelDropsTheBook()
    {
        BinanceBookSync sync(btcUsdt());
        (void)sync.onEvent(depthEvent(101, 101));
        (void)sync.onSnapshot(snapshot(101), 0);
        const auto out = sync.onEvent(depthEvent(102, 102, {{u"99.995"_s, u"1"_s}}));
        QVERIFY(out.books.isEmpty());
        QVERIFY(out.resyncReason.contains(u"grid"_s));
        QCOMPARE(sync.state(), State::Idle);
        // A reply to the request made before the reset belongs to nothing now.
        QVERIFY(sync.onSnapshot(snapshot(102), 0).books.isEmpty());
        QVERIFY(sync.onEvent(depthEvent(103, 103)).fetchSnapshot); // and the next event starts over
    }

    void resetForgetsEverything()
    {
        BinanceBookSync sync(btcUsdt());
        (void)sync.onEvent(depthEvent(101, 101));
        sync.reset();
        QCOMPARE(sync.state(), State::Idle);
        QCOMPARE(sync.buffered(), 0);
    }
};

QTEST_GUILESS_MAIN(TestBinanceBook)
#include "tst_binancebook.moc"
