#include "server/exchange/position.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using tickwire::Decimal;
using tickwire::exchange::Position;

namespace {

Decimal d(const char *text)
{
    const auto v = Decimal::parse(QByteArrayView(text));
    if (!v)
        qFatal("bad decimal literal in test: %s", text);
    return *v;
}

struct Fill
{
    bool buy;
    const char *qty;
    const char *price;
};

} // namespace

Q_DECLARE_METATYPE(QList<Fill>)

class tst_Position : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrips_data();
    void roundTrips();
    void averagePriceRounds();
    void rejectsNonPositiveQuantity();
};

void tst_Position::roundTrips_data()
{
    QTest::addColumn<QList<Fill>>("fills");
    QTest::addColumn<QString>("qty");
    QTest::addColumn<QString>("realized");
    QTest::addColumn<QString>("avg");

    QTest::newRow("long round trip") << QList<Fill>{{true, "1", "100.00"}, {false, "1", "110.50"}}
                                     << u"0"_s << u"10.5"_s << u"0"_s;
    QTest::newRow("short round trip")
        << QList<Fill>{{false, "2", "50.00"}, {true, "2", "45.25"}} << u"0"_s << u"9.5"_s << u"0"_s;
    QTest::newRow("averaging in then out exactly")
        << QList<Fill>{{true, "1", "100"}, {true, "2", "101"}, {false, "3", "102"}} << u"0"_s
        << u"4"_s << u"0"_s;
    QTest::newRow("partial close keeps average")
        << QList<Fill>{{true, "2", "100"}, {false, "1", "90"}} << u"1"_s << u"-10"_s << u"100"_s;
    QTest::newRow("flip long to short")
        << QList<Fill>{{true, "1", "100"}, {false, "3", "105"}} << u"-2"_s << u"5"_s << u"105"_s;
    QTest::newRow("thirds close in pieces, totals exact") << QList<Fill>{{true, "3", "10"},
                                                                         {true, "0", "0"},
                                                                         {false, "1", "11"},
                                                                         {false, "1", "11"},
                                                                         {false, "1", "11"}}
                                                          << u"0"_s << u"3"_s << u"0"_s;
    QTest::newRow("crypto sizes") << QList<Fill>{{true, "0.0150", "64012.50"},
                                                 {false, "0.0150", "64100.00"}}
                                  << u"0"_s << u"1.3125"_s << u"0"_s;
    QTest::newRow("0.1 + 0.2 lots")
        << QList<Fill>{{true, "0.1", "3"}, {true, "0.2", "3"}, {false, "0.3", "4"}} << u"0"_s
        << u"0.3"_s << u"0"_s;
}

void tst_Position::roundTrips()
{
    QFETCH(QList<Fill>, fills);
    QFETCH(QString, qty);
    QFETCH(QString, realized);
    QFETCH(QString, avg);

    Position p;
    for (const Fill &f : fills) {
        if (QByteArrayView(f.qty) == "0")
            continue;
        QVERIFY(p.apply(f.buy, d(f.qty), d(f.price)));
    }
    QCOMPARE(p.qty().normalized().toString(), qty);
    QCOMPARE(p.realizedPnl().normalized().toString(), realized);
    QCOMPARE(p.averagePrice(4).normalized().toString(), avg);
}

void tst_Position::averagePriceRounds()
{
    Position p;
    QVERIFY(p.apply(true, d("1"), d("100")));
    QVERIFY(p.apply(true, d("2"), d("101")));
    QCOMPARE(p.averagePrice(4).toString(), u"100.6667"_s);
    QCOMPARE(p.cost().normalized().toString(), u"302"_s);
}

void tst_Position::rejectsNonPositiveQuantity()
{
    Position p;
    QVERIFY(!p.apply(true, d("0"), d("1")));
    QVERIFY(!p.apply(true, d("-1"), d("1")));
    QVERIFY(p.qty().isZero());
}

QTEST_APPLESS_MAIN(tst_Position)
#include "tst_position.moc"
