#include "protocol/checksum.h"
#include "protocol/codec.h"
#include "protocol/orderbook.h"

#include <QtCore/QFile>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::protocol;

namespace {

BookLevel level(const char *price, const char *qty)
{
    return BookLevel{*Decimal::parse(QByteArrayView(price)), *Decimal::parse(QByteArrayView(qty))};
}

} // namespace

class tst_OrderBook : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void snapshotReplacesUpdatesChange();
    void zeroRemovesLevel();
    void negativeQuantityIsRejected();
    void crossedIsDetected();
    void checksumMatchesDocumentedExamples();
    void topIsBestFirst();
    void updateKeepsNewestWrittenForm();
};

void tst_OrderBook::snapshotReplacesUpdatesChange()
{
    OrderBook book;
    QVERIFY(book.apply(Book{u"X"_s, 1, 0, true, {level("10", "1")}, {level("11", "2")}, 0}));
    QVERIFY(book.apply(Book{u"X"_s, 2, 0, false, {level("9", "3")}, {}, 0}));
    QCOMPARE(book.bids().size(), size_t(2));
    QVERIFY(book.apply(Book{u"X"_s, 3, 0, true, {level("8", "1")}, {}, 0}));
    QCOMPARE(book.bids().size(), size_t(1));
    QVERIFY(book.asks().empty());
    QCOMPARE(book.bestBid()->price, level("8", "1").price);
}

void tst_OrderBook::zeroRemovesLevel()
{
    OrderBook book;
    book.applyLevels({level("10", "1"), level("9", "1")}, {});
    book.applyLevels({level("10.00", "0")}, {});
    QCOMPARE(book.bids().size(), size_t(1));
    QCOMPARE(book.bestBid()->price.toString(), u"9"_s);
    // Removing a level that is not there is harmless.
    QVERIFY(book.applyLevels({}, {level("50", "0")}));
}

void tst_OrderBook::negativeQuantityIsRejected()
{
    OrderBook book;
    QVERIFY(!book.applyLevels({level("10", "-1")}, {}));
    QVERIFY(book.isEmpty());
    QVERIFY(!book.applyLevels({level("0", "1")}, {}));
    QVERIFY(book.isEmpty());
}

void tst_OrderBook::crossedIsDetected()
{
    OrderBook book;
    book.applyLevels({level("10", "1")}, {level("11", "1")});
    QVERIFY(!book.isCrossed());
    book.applyLevels({level("11", "1")}, {});
    QVERIFY(book.isCrossed());
}

void tst_OrderBook::checksumMatchesDocumentedExamples()
{
    // The book examples of docs/protocol.md, applied in order, carry the right checksums.
    QFile file(QStringLiteral(TICKWIRE_TEST_DATA_DIR "/protocol/examples.ndjson"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    OrderBook book;
    int books = 0;
    while (!file.atEnd()) {
        const DecodeResult r = decode(file.readLine().trimmed(), Encoding::Json);
        if (!r.ok() || !std::holds_alternative<Book>(*r.message))
            continue;
        const Book &message = std::get<Book>(*r.message);
        QVERIFY(book.apply(message));
        QCOMPARE(book.checksum(), message.checksum);
        ++books;
    }
    QCOMPARE(books, 2);
}

void tst_OrderBook::topIsBestFirst()
{
    OrderBook book;
    book.applyLevels({level("9", "1"), level("10", "1"), level("8", "1")},
                     {level("13", "1"), level("11", "1"), level("12", "1")});
    const QList<BookLevel> bids = book.topBids(2);
    const QList<BookLevel> asks = book.topAsks(5);
    QCOMPARE(bids.size(), 2);
    QCOMPARE(bids[0].price.toString(), u"10"_s);
    QCOMPARE(bids[1].price.toString(), u"9"_s);
    QCOMPARE(asks.size(), 3);
    QCOMPARE(asks[0].price.toString(), u"11"_s);
    QCOMPARE(book.checksum(), bookChecksum(book.topBids(10), book.topAsks(10)));
}

void tst_OrderBook::updateKeepsNewestWrittenForm()
{
    // The checksum is over the strings as last written: an update of the same price in another
    // form ("10.50" after "10.5") takes that form, and a plain quantity update keeps it.
    OrderBook book;
    QVERIFY(book.apply(Book{u"X"_s, 1, 0, true, {level("10.5", "1")}, {level("11", "2")}, 0}));
    QVERIFY(book.apply(Book{u"X"_s, 2, 0, false, {level("10.50", "3")}, {}, 0}));
    QCOMPARE(book.bids().size(), size_t(1));
    QCOMPARE(book.bestBid()->price.toUtf8(), QByteArray("10.50"));
    QCOMPARE(book.bestBid()->qty.toUtf8(), QByteArray("3"));
    QVERIFY(book.apply(Book{u"X"_s, 3, 0, false, {level("10.50", "4.0")}, {}, 0}));
    QCOMPARE(book.bestBid()->qty.toUtf8(), QByteArray("4.0"));
    QCOMPARE(book.checksum(), crc32("11:2,10.50:4.0,"));
    QVERIFY(book.apply(Book{u"X"_s, 4, 0, false, {level("10.500", "0")}, {}, 0}));
    QVERIFY(book.bids().empty());
}

QTEST_APPLESS_MAIN(tst_OrderBook)
#include "tst_orderbook.moc"
