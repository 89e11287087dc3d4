// CoinbaseBookSync and CoinbaseBookSet: Coinbase's level2 book and the connection's
// sequence_num, message by message (synthetic fixtures in tests/data/exchanges/coinbase).
#include "booklevels.h"
#include "exchanges/coinbasebook.h"

#include <QtCore/QFile>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::exchanges::coinbase;
using State = CoinbaseBookSync::State;

namespace {

ProductInfo product(const char *id)
{
    ProductInfo p;
    p.productId = QString::fromLatin1(id);
    p.info.symbol = p.productId;
    p.info.tickSize = *Decimal::parse(QByteArrayView("0.01"));
    p.info.lotSize = *Decimal::parse(QByteArrayView("0.00000001"));
    return p;
}

QList<ProductInfo> products()
{
    return {product("BTC-USD"), product("ETH-USD")};
}

// The fixture's messages, decoded (comment lines skipped).
QList<MessageResult> session(const QString &name)
{
    QFile file(QStringLiteral(TICKWIRE_TEST_DATA_DIR "/exchanges/coinbase/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open fixture %s", qPrintable(name));
    QList<MessageResult> out;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.trimmed().isEmpty() || line.startsWith("{\"_comment\""))
            continue;
        out.append(parseMessage(line));
        if (!out.last().ok())
            qFatal("%s: %s", qPrintable(name), qPrintable(out.last().error));
    }
    return out;
}

// Applies `books` of `symbol` to `book` as the engine would.
void apply(protocol::OrderBook &book, const QList<protocol::Book> &books, const QString &symbol)
{
    for (const protocol::Book &b : books) {
        if (b.symbol != symbol)
            continue;
        if (b.snapshot)
            book.clear();
        QVERIFY(book.apply(b));
        QVERIFY(!book.isCrossed());
    }
}

BookEvent btcEvent(bool snapshot, const char *price, const char *qty)
{
    BookEvent e;
    e.snapshot = snapshot;
    e.productId = u"BTC-USD"_s;
    e.updates = {{BookSide::Bid, QString::fromLatin1(price), QString::fromLatin1(qty)}};
    return e;
}

} // namespace

class TestCoinbaseBook : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void updateBeforeSnapshotResubscribes()
    {
        const QList<MessageResult> m = session(u"book-update-before-snapshot.ndjson"_s);
        CoinbaseBookSet set(products());
        set.onConnected();
        QVERIFY(set.onMessage(m[0]).books.isEmpty()); // subscriptions acknowledgement
        auto out = set.onMessage(m[1]);
        QCOMPARE(out.resubscribe, QStringList{u"BTC-USD"_s});
        QVERIFY(out.books.isEmpty());
        QCOMPARE(out.resyncs.size(), 1);
        QCOMPARE(out.resyncs[0].symbol, u"BTC-USD"_s);
        QCOMPARE(out.resyncs[0].reason, u"update before the snapshot"_s);
        QVERIFY(set.book(0).isResubscribing());
        // The old subscription's next update: dropped, no second resubscribe.
        out = set.onMessage(m[2]);
        QVERIFY(out.resubscribe.isEmpty() && out.books.isEmpty());
        QCOMPARE(set.book(0).droppedUpdates(), 1);
        out = set.onMessage(m[3]);
        QCOMPARE(out.books.size(), 1);
        QCOMPARE(out.books[0].symbol, u"ETH-USD"_s);
        QVERIFY(!set.allSynced());
        out = set.onMessage(m[4]);
        QCOMPARE(out.books.size(), 1);
        QVERIFY(out.books[0].snapshot);
        QCOMPARE(out.books[0].ts, 1714564802000); // the message's timestamp
        QVERIFY(set.allSynced());
        QVERIFY(!set.book(0).isResubscribing());
        protocol::OrderBook btc;
        apply(btc, out.books, u"BTC-USD"_s);
        apply(btc, set.onMessage(m[5]).books, u"BTC-USD"_s);
        QCOMPARE(testing::bookLevels(btc),
                 (QStringList{u"b 64000.00:1.00000000"_s, u"a 64000.50:0.25000000"_s}));
    }

    void sequenceJumpResubscribesEveryBook()
    {
        const QList<MessageResult> m = session(u"book-sequence-jump.ndjson"_s);
        CoinbaseBookSet set(products());
        set.onConnected();
        protocol::OrderBook btc;
        for (int i = 0; i < 3; ++i) {
            const auto out = set.onMessage(m[i]);
            QVERIFY(out.resubscribe.isEmpty());
            apply(btc, out.books, u"BTC-USD"_s);
        }
        QVERIFY(set.allSynced());
        QCOMPARE(testing::bookLevels(btc).size(), 3);
        auto out = set.onMessage(m[3]); // a heartbeat numbered 5 after 2
        QCOMPARE(out.resubscribe, (QStringList{u"BTC-USD"_s, u"ETH-USD"_s}));
        QCOMPARE(out.resyncs.size(), 2);
        QCOMPARE(out.resyncs[0].reason, u"sequence_num 5 after 2"_s);
        QVERIFY(!set.allSynced());
        out = set.onMessage(m[4]); // the old subscription's update: dropped
        QVERIFY(out.books.isEmpty() && out.resubscribe.isEmpty());
        out = set.onMessage(m[5]);
        QCOMPARE(out.books.size(), 1);
        QVERIFY(out.books[0].snapshot); // the engine gets a fresh snapshot:true book
        apply(btc, out.books, u"BTC-USD"_s);
        QCOMPARE(testing::bookLevels(btc),
                 (QStringList{u"b 64002.00:1.00000000"_s, u"a 64003.00:5.00000000"_s}));
        out = set.onMessage(m[6]);
        QVERIFY(set.allSynced());
        out = set.onMessage(m[7]); // 8 again: a message out of order is a gap too
        QCOMPARE(out.resubscribe, (QStringList{u"BTC-USD"_s, u"ETH-USD"_s}));
    }

    void severalEventsInOneMessageApplyInOrder()
    {
        const QList<MessageResult> m = session(u"book-several-events.ndjson"_s);
        CoinbaseBookSet set(products());
        set.onConnected();
        const auto out = set.onMessage(m[0]);
        QVERIFY(out.resubscribe.isEmpty());
        QCOMPARE(out.books.size(), 4);
        QCOMPARE(out.books[0].symbol, u"BTC-USD"_s);
        QVERIFY(out.books[0].snapshot);
        QCOMPARE(out.books[1].symbol, u"ETH-USD"_s);
        QVERIFY(out.books[1].snapshot);
        QVERIFY(!out.books[2].snapshot && !out.books[3].snapshot);
        protocol::OrderBook btc;
        apply(btc, out.books, u"BTC-USD"_s);
        // The second update's 1.25 at 64001.00 wins over the first's 3.
        QCOMPARE(testing::bookLevels(btc),
                 (QStringList{u"b 64000.00:1.00000000"_s, u"a 64000.50:0.75000000"_s,
                              u"a 64001.00:1.25000000"_s}));
        QVERIFY(set.allSynced());
    }

    void offerSideAndItsAlias()
    {
        const QList<MessageResult> m = session(u"book-offer-side.ndjson"_s);
        CoinbaseBookSet set(products());
        set.onConnected();
        protocol::OrderBook btc;
        apply(btc, set.onMessage(m[0]).books, u"BTC-USD"_s);
        QCOMPARE(testing::bookLevels(btc),
                 (QStringList{u"b 64000.00:1.00000000"_s, u"a 64000.50:0.50000000"_s,
                              u"a 64001.00:3.00000000"_s}));
        apply(btc, set.onMessage(m[1]).books, u"BTC-USD"_s);
        QCOMPARE(testing::bookLevels(btc),
                 (QStringList{u"b 64000.00:1.00000000"_s, u"a 64001.00:3.00000000"_s,
                              u"a 64002.00:0.10000000"_s}));
    }

    void unreadableLevel2MessageIsAGap()
    {
        CoinbaseBookSet set(products());
        set.onConnected();
        const MessageResult bad = parseMessage(
            R"({"channel":"l2_data","timestamp":"2024-05-01T12:00:00Z","sequence_num":0,"events":[{"type":"update","product_id":"BTC-USD"}]})");
        QVERIFY(!bad.ok());
        QCOMPARE(set.onMessage(bad).resubscribe, (QStringList{u"BTC-USD"_s, u"ETH-USD"_s}));
    }

    void offGridLevelResubscribes()
    {
        CoinbaseBookSync sync(product("BTC-USD"));
        sync.onSubscribed();
        QVERIFY(sync.onEvent(btcEvent(true, "64000.00", "1"), 0).book);
        const auto out = sync.onEvent(btcEvent(false, "64000.005", "1"), 0);
        QVERIFY(!out.book); // never rounded into the book
        QVERIFY(out.resubscribe);
        QVERIFY(out.resyncReason.contains(u"grid"_s));
        QCOMPARE(sync.state(), State::AwaitingSnapshot);
    }

    void engineResyncResubscribes()
    {
        CoinbaseBookSet set(products());
        set.onConnected();
        QCOMPARE(set.resync(u"ETH-USD"_s, u"crossed"_s).resubscribe, QStringList{u"ETH-USD"_s});
        QVERIFY(set.resync(u"XYZ-USD"_s, u"crossed"_s).resubscribe.isEmpty());
    }

    void unsubscribedBookIgnoresEverything()
    {
        CoinbaseBookSync sync(product("BTC-USD"));
        QVERIFY(!sync.onEvent(btcEvent(true, "64000.00", "1"), 0).book);
        QVERIFY(!sync.onGap(u"gap"_s).resubscribe); // nothing to resubscribe on no connection
        sync.onSubscribed();
        QVERIFY(sync.onEvent(btcEvent(true, "64000.00", "1"), 0).book);
        sync.reset();
        QCOMPARE(sync.state(), State::Unsubscribed);
    }

    void emptyUpdatePublishesNothing()
    {
        CoinbaseBookSync sync(product("BTC-USD"));
        sync.onSubscribed();
        (void)sync.onEvent(btcEvent(true, "64000.00", "1"), 0);
        BookEvent empty;
        empty.productId = u"BTC-USD"_s;
        const auto out = sync.onEvent(empty, 0);
        QVERIFY(!out.book && !out.resubscribe);
    }
};

QTEST_GUILESS_MAIN(TestCoinbaseBook)
#include "tst_coinbasebook.moc"
