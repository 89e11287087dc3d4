#include "../marketfixtures.h"
#include "market/bookgrouping.h"

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::market;
using namespace tickwire::market::test;
using protocol::Side;

class tst_BookGrouping : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bucketEdges_data();
    void bucketEdges();
    void refusesBadSteps();
    void groupsBidsAndAsks();
    void oneTickIsUngrouped();
    void ownQuantitiesSummedPerBucket();
    void sensibleSteps();
};

void tst_BookGrouping::bucketEdges_data()
{
    QTest::addColumn<QString>("price");
    QTest::addColumn<QString>("step");
    QTest::addColumn<bool>("bid");
    QTest::addColumn<QString>("bucket");
    // On an edge a price is its own bucket on either side.
    QTest::newRow("bid on edge") << u"100.10"_s << u"0.10"_s << true << u"100.10"_s;
    QTest::newRow("ask on edge") << u"100.10"_s << u"0.10"_s << false << u"100.10"_s;
    // One tick past an edge: bids floor, asks ceil.
    QTest::newRow("bid above edge") << u"100.11"_s << u"0.10"_s << true << u"100.10"_s;
    QTest::newRow("ask above edge") << u"100.11"_s << u"0.10"_s << false << u"100.20"_s;
    QTest::newRow("bid below next edge") << u"100.19"_s << u"0.10"_s << true << u"100.10"_s;
    QTest::newRow("ask below next edge") << u"100.19"_s << u"0.10"_s << false << u"100.20"_s;
    QTest::newRow("bid coarse") << u"64012.57"_s << u"10"_s << true << u"64010"_s;
    QTest::newRow("ask coarse") << u"64012.57"_s << u"10"_s << false << u"64020"_s;
    // Below zero (spreads, some futures) the floor still goes down and the ceiling up.
    QTest::newRow("bid negative") << u"-1.05"_s << u"0.1"_s << true << u"-1.1"_s;
    QTest::newRow("ask negative") << u"-1.05"_s << u"0.1"_s << false << u"-1.0"_s;
    QTest::newRow("bid negative edge") << u"-1.10"_s << u"0.1"_s << true << u"-1.1"_s;
    QTest::newRow("ask zero") << u"-0.01"_s << u"0.1"_s << false << u"0"_s;
    QTest::newRow("bid zero") << u"0.05"_s << u"0.1"_s << true << u"0"_s;
}

void tst_BookGrouping::bucketEdges()
{
    QFETCH(QString, price);
    QFETCH(QString, step);
    QFETCH(bool, bid);
    QFETCH(QString, bucket);
    const std::optional<Decimal> got =
        grouping::bucketOf(*Decimal::parse(QStringView(price)), *Decimal::parse(QStringView(step)),
                           bid ? Side::Buy : Side::Sell);
    QVERIFY(got);
    QCOMPARE(*got, *Decimal::parse(QStringView(bucket)));
}

void tst_BookGrouping::refusesBadSteps()
{
    QVERIFY(!grouping::bucketOf(d("100"), d("0"), Side::Buy));
    QVERIFY(!grouping::bucketOf(d("100"), d("-0.1"), Side::Sell));
    // A ceiling beyond 18 digits does not fit a Decimal.
    QVERIFY(!grouping::bucketOf(d("999999999999999999"), d("1000"), Side::Sell));
    QVERIFY(grouping::groupLevels({level("100", "1")}, d("0"), Side::Buy).isEmpty());
    QVERIFY(grouping::isStep(1) && grouping::isStep(10) && grouping::isStep(100)
            && grouping::isStep(1000));
    QVERIFY(!grouping::isStep(0) && !grouping::isStep(5) && !grouping::isStep(-10)
            && !grouping::isStep(10000));
}

void tst_BookGrouping::groupsBidsAndAsks()
{
    const QList<protocol::BookLevel> bids{level("100.19", "1"), level("100.10", "2"),
                                          level("100.09", "0.5"), level("99.91", "0.25"),
                                          level("99.80", "4")};
    const QList<protocol::BookLevel> expectedBids{level("100.10", "3"), level("100.00", "0.5"),
                                                  level("99.90", "0.25"), level("99.80", "4")};
    QCOMPARE(grouping::groupLevels(bids, d("0.10"), Side::Buy), expectedBids);
    const QList<protocol::BookLevel> asks{level("100.21", "1"), level("100.30", "2"),
                                          level("100.31", "0.5"), level("100.40", "0.125")};
    const QList<protocol::BookLevel> expectedAsks{level("100.30", "3"), level("100.40", "0.625")};
    QCOMPARE(grouping::groupLevels(asks, d("0.10"), Side::Sell), expectedAsks);
    // Exact sums: no binary rounding (0.1 + 0.2 is 0.3).
    const QList<protocol::BookLevel> tenths{level("5.01", "0.1"), level("5.02", "0.2")};
    QCOMPARE(grouping::groupLevels(tenths, d("1"), Side::Sell),
             (QList<protocol::BookLevel>{level("6", "0.3")}));
    QVERIFY(grouping::groupLevels({}, d("1"), Side::Buy).isEmpty());
}

void tst_BookGrouping::oneTickIsUngrouped()
{
    const QList<protocol::BookLevel> bids{level("100.19", "1"), level("100.18", "2"),
                                          level("100.05", "0.5")};
    const QList<protocol::BookLevel> asks{level("100.21", "1"), level("100.30", "2")};
    QCOMPARE(grouping::groupLevels(bids, d("0.01"), Side::Buy), bids);
    QCOMPARE(grouping::groupLevels(asks, d("0.01"), Side::Sell), asks);
}

void tst_BookGrouping::ownQuantitiesSummedPerBucket()
{
    const grouping::OwnLevels bids{
        {d("100.19"), d("0.5")}, {d("100.11"), d("0.25")}, {d("100.09"), d("1")}};
    const grouping::OwnLevels groupedBids = grouping::groupOwn(bids, d("0.1"), Side::Buy);
    QCOMPARE(groupedBids.size(), 2);
    QCOMPARE(groupedBids.value(d("100.1")), d("0.75"));
    QCOMPARE(groupedBids.value(d("100.0")), d("1"));
    const grouping::OwnLevels asks{{d("100.21"), d("0.5")}, {d("100.30"), d("0.25")}};
    const grouping::OwnLevels groupedAsks = grouping::groupOwn(asks, d("0.1"), Side::Sell);
    QCOMPARE(groupedAsks.size(), 1);
    QCOMPARE(groupedAsks.value(d("100.3")), d("0.75"));
}

void tst_BookGrouping::sensibleSteps()
{
    // Each bucket at most 1% of the price: BTC at 64000 with a cent tick takes all of them.
    QCOMPARE(grouping::sensibleSteps(d("0.01"), d("64000")), (QList<int>{1, 10, 100, 1000}));
    // A tick of 0.00001 at 0.9: 0.0001 and 0.001 fit, 0.01 (1.1%) does not.
    QCOMPARE(grouping::sensibleSteps(d("0.00001"), d("0.9")), (QList<int>{1, 10, 100}));
    QCOMPARE(grouping::sensibleSteps(d("0.01"), d("1.50")), (QList<int>{1}));
    // Exactly 1%: offered.
    QCOMPARE(grouping::sensibleSteps(d("0.01"), d("100")), (QList<int>{1, 10, 100}));
    // No price yet: everything; a bad tick: ungrouped only.
    QCOMPARE(grouping::sensibleSteps(d("0.01"), Decimal()), (QList<int>{1, 10, 100, 1000}));
    QCOMPARE(grouping::sensibleSteps(d("0"), d("100")), (QList<int>{1}));
}

QTEST_GUILESS_MAIN(tst_BookGrouping)
#include "tst_bookgrouping.moc"
