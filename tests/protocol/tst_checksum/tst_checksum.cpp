#include "protocol/checksum.h"

#include <QtTest/QTest>

#include <map>

using namespace tickwire;
using namespace tickwire::protocol;

class tst_Checksum : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void crc32KnownVectors_data();
    void crc32KnownVectors();
    void crc32IsIncremental();
    void bookChecksumUsesTopTenAsksThenBids();
    void bookChecksumKeepsWrittenScale();
    void rangeFormMatchesListForm();
};

void tst_Checksum::crc32KnownVectors_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<quint32>("crc");
    // Values as zlib's crc32() computes them.
    QTest::newRow("empty") << QByteArray() << 0x00000000u;
    QTest::newRow("check string") << QByteArray("123456789") << 0xCBF43926u;
    QTest::newRow("fox") << QByteArray("The quick brown fox jumps over the lazy dog")
                         << 0x414FA339u;
}

void tst_Checksum::crc32KnownVectors()
{
    QFETCH(QByteArray, data);
    QFETCH(quint32, crc);
    QCOMPARE(crc32(data), crc);
}

void tst_Checksum::crc32IsIncremental()
{
    const QByteArray all("The quick brown fox jumps over the lazy dog");
    const std::uint32_t first = crc32(all.left(10));
    QCOMPARE(crc32(all.mid(10), first), crc32(all));
}

static BookLevel level(const char *price, const char *qty)
{
    return BookLevel{*Decimal::parse(QByteArrayView(price)), *Decimal::parse(QByteArrayView(qty))};
}

void tst_Checksum::bookChecksumUsesTopTenAsksThenBids()
{
    QList<BookLevel> bids;
    QList<BookLevel> asks;
    QByteArray expected;
    for (int i = 0; i < 12; ++i) {
        asks.append(level(QByteArray::number(101 + i).constData(), "1.5"));
        bids.append(level(QByteArray::number(100 - i).constData(), "2"));
    }
    for (int i = 0; i < 10; ++i)
        expected += QByteArray::number(101 + i) + ":1.5,";
    for (int i = 0; i < 10; ++i)
        expected += QByteArray::number(100 - i) + ":2,";
    QCOMPARE(bookChecksum(bids, asks), crc32(expected));

    // Levels beyond the tenth do not count.
    asks[11].qty = *Decimal::parse(QByteArrayView("9"));
    QCOMPARE(bookChecksum(bids, asks), crc32(expected));
    // A change within the top ten does.
    asks[0].qty = *Decimal::parse(QByteArrayView("9"));
    QVERIFY(bookChecksum(bids, asks) != crc32(expected));
}

void tst_Checksum::bookChecksumKeepsWrittenScale()
{
    // "64000.50" and "64000.5" are equal values but different strings on the wire.
    const QList<BookLevel> bidsA{level("64000.50", "1.0")};
    const QList<BookLevel> bidsB{level("64000.5", "1.0")};
    QVERIFY(bookChecksum(bidsA, {}) != bookChecksum(bidsB, {}));
    QCOMPARE(bookChecksum(bidsA, {}), crc32("64000.50:1.0,"));
    QCOMPARE(bookChecksum({}, {}), crc32(""));
}

void tst_Checksum::rangeFormMatchesListForm()
{
    std::map<Decimal, Decimal> askMap;
    std::map<Decimal, Decimal, std::greater<>> bidMap;
    QList<BookLevel> bids;
    QList<BookLevel> asks;
    for (int i = 0; i < 15; ++i) {
        const BookLevel a = level(QByteArray::number(200 + i).append(".25").constData(), "0.1");
        const BookLevel b = level(QByteArray::number(199 - i).append(".75").constData(), "0.2");
        askMap.emplace(a.price, a.qty);
        bidMap.emplace(b.price, b.qty);
        asks.append(a);
        bids.append(b);
    }
    QCOMPARE(bookChecksumOf(askMap, bidMap), bookChecksum(bids, asks));
}

QTEST_APPLESS_MAIN(tst_Checksum)
#include "tst_checksum.moc"
