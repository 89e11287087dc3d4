// KrakenBookSync: Kraken's v2 book procedure message by message (synthetic books unless named
// documented): checksum over the wire text, truncation to the depth, one resubscription per
// mismatch, unverified after MaxFailures in a row, exactness.
#include "exchanges/krakenbook.h"

#include <QtCore/QFile>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::exchanges::kraken;
using State = KrakenBookSync::State;

namespace {

protocol::InstrumentInfo btcUsd()
{
    protocol::InstrumentInfo info;
    info.symbol = u"BTC-USD"_s;
    info.tickSize = *Decimal::parse(QByteArrayView("0.1"));
    info.lotSize = *Decimal::parse(QByteArrayView("0.00000001"));
    return info;
}

// Levels written as Kraken would ("price:qty").
QList<RawLevel> levels(const QStringList &texts)
{
    QList<RawLevel> out;
    for (const QString &t : texts) {
        const qsizetype colon = t.indexOf(u':');
        out.append(RawLevel{t.first(colon), t.sliced(colon + 1)});
    }
    return out;
}

// A message whose checksum is that of `expectedBids`/`expectedAsks`: the book the sync must
// hold once it applied the message (best first), as the test writes it out by hand.
BookData message(const QStringList &bids, const QStringList &asks, const QStringList &expectedBids,
                 const QStringList &expectedAsks)
{
    BookData d;
    d.symbol = u"BTC/USD"_s;
    d.bids = levels(bids);
    d.asks = levels(asks);
    d.checksum = bookChecksum(levels(expectedAsks), levels(expectedBids));
    d.ts = 1'700'000'000'000;
    return d;
}

BookData snapshotOf(const QStringList &bids, const QStringList &asks)
{
    return message(bids, asks, bids, asks);
}

QStringList text(const QList<RawLevel> &side)
{
    QStringList out;
    for (const RawLevel &l : side)
        out.append(l.price + u':' + l.qty);
    return out;
}

QStringList text(const QList<protocol::BookLevel> &side)
{
    QStringList out;
    for (const protocol::BookLevel &l : side)
        out.append(l.price.toString() + u':' + l.qty.toString());
    return out;
}

// n bids below 100.0 (99.9, 99.8, …) and n asks above (100.1, …), all qty 1.00000000.
QStringList ladder(int n, bool bids)
{
    QStringList out;
    for (int i = 1; i <= n; ++i) {
        const int tenths = bids ? 1000 - i : 1000 + i;
        out.append(u"%1.%2:1.00000000"_s.arg(tenths / 10).arg(tenths % 10));
    }
    return out;
}

const QStringList Bids{u"64000.0:1.50000000"_s, u"63999.5:0.25000000"_s, u"63990.0:3.00000000"_s};
const QStringList Asks{u"64000.5:0.10000000"_s, u"64001.0:2.00000000"_s};

} // namespace

class TestKrakenBook : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Kraken's documented checksum example, as a snapshot through the sync.
    void documentedSnapshotVerifies()
    {
        QFile file(QStringLiteral(TICKWIRE_TEST_DATA_DIR
                                  "/exchanges/kraken/documented/book-checksum-snapshot.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const MessageResult r = parseMessage(file.readAll());
        QVERIFY2(r.ok(), qPrintable(r.error));
        const BookData data = std::get<BookMessage>(*r.message).books.at(0);
        KrakenBookSync sync(btcUsd());
        const auto out = sync.onSnapshot(data, 42);
        QVERIFY2(out.problem.isEmpty(), qPrintable(out.problem));
        QCOMPARE(sync.state(), State::Synced);
        QCOMPARE(out.books.size(), 1);
        const protocol::Book &book = out.books[0];
        QVERIFY(book.snapshot);
        QCOMPARE(book.ts, std::int64_t(42)); // the example carries no timestamp
        QCOMPARE(book.bids.size(), 10);
        QCOMPARE(book.bids[0].price.toString(), u"45283.5"_s);
        QCOMPARE(book.bids[0].qty.toString(), u"0.10000000"_s); // trailing zeros kept
        QCOMPARE(book.asks[0].qty.toString(), u"0.00100000"_s);
        QCOMPARE(sync.bids().at(3).price, u"45281.0"_s); // the wire text, for the next checksum
    }

    void updateAppliesAndPublishesChanges()
    {
        KrakenBookSync sync(btcUsd());
        auto out = sync.onSnapshot(snapshotOf(Bids, Asks), 0);
        QCOMPARE(sync.state(), State::Synced);
        QCOMPARE(text(out.books.at(0).bids), Bids);
        // Change one bid, remove one, add an ask.
        out = sync.onUpdate(
            message({u"64000.0:1.00000000"_s, u"63999.5:0"_s}, {u"64002.0:0.50000000"_s},
                    {u"64000.0:1.00000000"_s, u"63990.0:3.00000000"_s},
                    {u"64000.5:0.10000000"_s, u"64001.0:2.00000000"_s, u"64002.0:0.50000000"_s}),
            0);
        QVERIFY2(out.problem.isEmpty(), qPrintable(out.problem));
        QVERIFY(!out.resubscribe);
        QCOMPARE(out.books.size(), 1);
        const protocol::Book &diff = out.books[0];
        QVERIFY(!diff.snapshot);
        QCOMPARE(diff.ts, std::int64_t(1'700'000'000'000));
        QCOMPARE(text(diff.bids), (QStringList{u"64000.0:1.00000000"_s, u"63999.5:0.00000000"_s}));
        QCOMPARE(text(diff.asks), (QStringList{u"64002.0:0.50000000"_s}));
        QCOMPARE(text(sync.bids()),
                 (QStringList{u"64000.0:1.00000000"_s, u"63990.0:3.00000000"_s}));
    }

    // Kraken sends no removal for a level pushed out of the subscribed depth: an insert that
    // makes depth + 1 levels drops the worst, and the engine hears of it as qty 0.
    void levelBeyondDepthTruncated_data()
    {
        QTest::addColumn<int>("depth");
        QTest::newRow("10 (Kraken's example)") << 10;
        QTest::newRow("25 (subscribed)") << 25;
    }
    void levelBeyondDepthTruncated()
    {
        QFETCH(int, depth);
        KrakenBookSync sync(btcUsd(), depth);
        const QStringList bids = ladder(depth, true);
        const QStringList asks = ladder(3, false);
        auto out = sync.onSnapshot(snapshotOf(bids, asks), 0);
        QCOMPARE(sync.state(), State::Synced);
        QStringList expected = bids;
        expected.prepend(u"100.0:0.50000000"_s); // a new best bid
        const QString worst = expected.takeLast();
        out = sync.onUpdate(message({u"100.0:0.50000000"_s}, {}, expected, asks), 0);
        QVERIFY2(out.problem.isEmpty(), qPrintable(out.problem));
        QCOMPARE(sync.bids().size(), depth);
        QCOMPARE(text(sync.bids()), expected);
        QCOMPARE(text(out.books.at(0).bids),
                 (QStringList{u"100.0:0.50000000"_s,
                              worst.first(worst.indexOf(u':')) + u":0.00000000"_s}));
        // A snapshot deeper than the depth is cut too.
        out = sync.onSnapshot(message(ladder(depth + 2, true), asks, bids, asks), 0);
        QCOMPARE(sync.state(), State::Synced);
        QCOMPARE(out.books.at(0).bids.size(), depth);
    }

    void checksumMismatchResubscribesOnceThenRecovers()
    {
        KrakenBookSync sync(btcUsd());
        (void)sync.onSnapshot(snapshotOf(Bids, Asks), 0);
        BookData bad = message({u"64000.0:1.00000000"_s}, {}, Bids, Asks); // not what it gives
        auto out = sync.onUpdate(bad, 0);
        QVERIFY(out.resubscribe);
        QVERIFY(out.books.isEmpty()); // a wrong book is never published
        QVERIFY2(out.problem.contains(u"checksum mismatch"_s), qPrintable(out.problem));
        QCOMPARE(sync.state(), State::AwaitingSnapshot);
        QCOMPARE(sync.failures(), 1);
        // Until the new snapshot: updates (the old subscription's) are ignored, no second ask.
        for (int i = 0; i < 3; ++i) {
            out = sync.onUpdate(message({u"63000.0:1.00000000"_s}, {}, {}, {}), 0);
            QVERIFY(!out.resubscribe);
            QVERIFY(out.books.isEmpty());
        }
        out = sync.onSnapshot(snapshotOf(Bids, Asks), 0);
        QCOMPARE(sync.state(), State::Synced);
        QCOMPARE(sync.failures(), 0);
        QVERIFY(!out.resubscribe);
        QCOMPARE(out.books.size(), 1);
        QVERIFY(out.books[0].snapshot);
        out = sync.onUpdate(message({u"63999.5:0"_s}, {}, {Bids[0], Bids[2]}, Asks), 0);
        QVERIFY(out.problem.isEmpty());
        QCOMPARE(text(out.books.at(0).bids), (QStringList{u"63999.5:0.00000000"_s}));
    }

    void fiveFailuresPublishUnverified()
    {
        KrakenBookSync sync(btcUsd());
        (void)sync.onSnapshot(snapshotOf(Bids, Asks), 0);
        int resubscribes = 0;
        auto out = sync.onUpdate(message({u"64000.0:1.00000000"_s}, {}, Bids, Asks), 0);
        resubscribes += out.resubscribe ? 1 : 0;
        BookData badSnapshot = snapshotOf(Bids, Asks);
        badSnapshot.checksum += 1;
        for (int failure = 2; failure <= KrakenBookSync::MaxFailures; ++failure) {
            out = sync.onSnapshot(badSnapshot, 0);
            QCOMPARE(sync.failures(), failure);
            resubscribes += out.resubscribe ? 1 : 0;
        }
        QCOMPARE(resubscribes, KrakenBookSync::MaxFailures - 1);
        QVERIFY(!out.resubscribe); // it stops asking
        QCOMPARE(sync.state(), State::Unverified);
        QVERIFY2(out.problem.contains(u"unverified"_s), qPrintable(out.problem));
        QCOMPARE(out.books.size(), 1); // not dropped: published as it is
        QVERIFY(out.books[0].snapshot);
        QCOMPARE(text(out.books[0].bids),
                 (QStringList{u"64000.0:1.50000000"_s, u"63999.5:0.25000000"_s,
                              u"63990.0:3.00000000"_s}));
        // Unverified: updates still apply and publish, whatever their checksum.
        out = sync.onUpdate(message({u"63999.5:0"_s}, {}, Bids, Asks), 0);
        QVERIFY(!out.resubscribe);
        QCOMPARE(sync.state(), State::Unverified);
        QCOMPARE(text(out.books.at(0).bids), (QStringList{u"63999.5:0.00000000"_s}));
        // A matching checksum verifies the book again.
        out = sync.onUpdate(
            message({u"63990.0:2.00000000"_s}, {}, {Bids[0], u"63990.0:2.00000000"_s}, Asks), 0);
        QCOMPARE(sync.state(), State::Synced);
        QCOMPARE(sync.failures(), 0);
        QCOMPARE(out.books.size(), 1);
    }

    void valueThatIsNotExactResyncs_data()
    {
        QTest::addColumn<QString>("level");
        QTest::newRow("between ticks") << u"64000.05:1.00000000"_s;
        QTest::newRow("exponent") << u"64000.0:1e-05"_s;
        QTest::newRow("too many digits") << u"64000.0:1.0000000000000000000001"_s;
        QTest::newRow("below the lot") << u"64000.0:0.000000001"_s;
    }
    void valueThatIsNotExactResyncs()
    {
        QFETCH(QString, level);
        KrakenBookSync sync(btcUsd());
        (void)sync.onSnapshot(snapshotOf(Bids, Asks), 0);
        auto out = sync.onUpdate(message({level}, {}, Bids, Asks), 0);
        QVERIFY(out.resubscribe);
        QVERIFY(out.books.isEmpty());
        QVERIFY2(out.problem.contains(u"not an exact decimal"_s), qPrintable(out.problem));
        QCOMPARE(sync.state(), State::AwaitingSnapshot);
        // In a snapshot too.
        out = sync.onSnapshot(message({level}, Asks, {level}, Asks), 0);
        QVERIFY(out.resubscribe);
        QVERIFY(out.books.isEmpty());
        QCOMPARE(sync.failures(), 2);
    }

    void resetAndResync()
    {
        KrakenBookSync sync(btcUsd());
        (void)sync.onSnapshot(snapshotOf(Bids, Asks), 0);
        (void)sync.onUpdate(message({u"64000.0:1.00000000"_s}, {}, Bids, Asks), 0); // failure
        QCOMPARE(sync.failures(), 1);
        sync.reset(); // a new connection
        QCOMPARE(sync.state(), State::AwaitingSnapshot);
        QCOMPARE(sync.failures(), 0);
        QVERIFY(sync.onUpdate(snapshotOf(Bids, Asks), 0).books.isEmpty());
        (void)sync.onSnapshot(snapshotOf(Bids, Asks), 0);
        const auto out = sync.resync(u"crossed"_s); // the engine asks
        QVERIFY(out.resubscribe);
        QCOMPARE(sync.state(), State::AwaitingSnapshot);
        QVERIFY(sync.bids().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestKrakenBook)
#include "tst_krakenbook.moc"
