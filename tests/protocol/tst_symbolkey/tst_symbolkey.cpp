// symbolHash and SymbolKey: equal texts hash alike whatever their storage; every byte of the
// text, its length and the seed count; a QHash keyed by SymbolKey is used with QStrings.
#include "protocol/symbolkey.h"

#include <QtCore/QHash>
#include <QtCore/QSet>
#include <QtTest/QTest>

using tickwire::symbolHash;
using tickwire::SymbolKey;

class tst_SymbolKey : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void equalTextsHashAlike();
    void everyCharacterCounts_data();
    void everyCharacterCounts();
    void lengthAndSeedCount();
    void symbolsSpreadOverBuckets();
    void hashKeyedBySymbol();
};

void tst_SymbolKey::equalTextsHashAlike()
{
    const QString allocated = QStringLiteral("BTC-") + QStringLiteral("USD");
    static const QChar raw[] = {u'B', u'T', u'C', u'-', u'U', u'S', u'D'};
    const QString borrowed = QString::fromRawData(raw, 7);
    QVERIFY(allocated.constData() != borrowed.constData());
    QCOMPARE(symbolHash(allocated), symbolHash(borrowed));
    QCOMPARE(symbolHash(allocated, 42), symbolHash(borrowed, 42));
    QCOMPARE(symbolHash(QStringView(u"BTC-USDT").first(7)), symbolHash(allocated)); // a view
    QCOMPARE(qHash(SymbolKey(allocated)), qHash(SymbolKey(borrowed)));
}

void tst_SymbolKey::everyCharacterCounts_data()
{
    QTest::addColumn<int>("length");
    // Below, at and above the 8-byte word (4 UTF-16 units) and its multiples.
    for (const int n : {1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 40})
        QTest::addRow("%d", n) << n;
}

void tst_SymbolKey::everyCharacterCounts()
{
    QFETCH(int, length);
    const QString base(length, u'A');
    const std::size_t h = symbolHash(base);
    for (int i = 0; i < length; ++i) {
        QString changed = base;
        changed[i] = u'B';
        QVERIFY2(symbolHash(changed) != h, qPrintable(changed));
        changed[i] = QChar(0x4100); // the high byte of a unit
        QVERIFY2(symbolHash(changed) != h, "high byte");
    }
}

void tst_SymbolKey::lengthAndSeedCount()
{
    QVERIFY(symbolHash(u"") != symbolHash(QString(1, QChar(0)))); // the zero tail padding
    QVERIFY(symbolHash(u"AB") != symbolHash(QStringView(u"AB\0", 3)));
    QVERIFY(symbolHash(u"ETH-USD", 1) != symbolHash(u"ETH-USD", 2));
}

void tst_SymbolKey::symbolsSpreadOverBuckets()
{
    // Shaped like real symbols: no two share a hash, and the low bits (QHash's buckets) differ.
    QSet<std::size_t> hashes, low;
    const QStringList bases{u"BTC"_qs, u"ETH"_qs, u"SOL"_qs, u"AAPL"_qs, u"MSFT"_qs, u"EUR"_qs};
    const QStringList quotes{u"USD"_qs, u"EUR"_qs, u"JPY"_qs, u"GBP"_qs, u"USDT"_qs};
    for (const QString &b : bases) {
        for (const QString &q : quotes) {
            const std::size_t h = symbolHash(QString(b + u'-' + q));
            hashes.insert(h);
            low.insert(h & 1023);
        }
    }
    QCOMPARE(hashes.size(), bases.size() * quotes.size());
    QVERIFY(low.size() >= hashes.size() - 2);
}

void tst_SymbolKey::hashKeyedBySymbol()
{
    QHash<SymbolKey, int> rowOf;
    rowOf.insert(u"BTC-USD"_qs, 0);
    rowOf.insert(u"ETH-USD"_qs, 1);
    const QString lookup = QStringLiteral("ETH-") + QStringLiteral("USD");
    QCOMPARE(rowOf.value(lookup, -1), 1);
    QVERIFY(!rowOf.contains(u"SOL-USD"_qs));
    rowOf[u"BTC-USD"_qs] = 7;
    QCOMPARE(rowOf.size(), 2);
    QCOMPARE(rowOf.value(u"BTC-USD"_qs), 7);
    QCOMPARE(rowOf.constFind(u"BTC-USD"_qs).key().text, u"BTC-USD"_qs);
}

QTEST_APPLESS_MAIN(tst_SymbolKey)
#include "tst_symbolkey.moc"
