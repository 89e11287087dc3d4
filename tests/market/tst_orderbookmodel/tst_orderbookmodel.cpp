#include "../marketfixtures.h"
#include "market/orderbookmodel.h"

#include <QtTest/QAbstractItemModelTester>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::market;
using namespace tickwire::market::test;
using B = OrderBookModel;

class tst_OrderBookModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void ladderLayout();
    void cumulativeAndFractions();
    void ownQuantitiesAtLevels();
    void noSignalBeforeFlushAndConflation();
    void onlyChangedRolesAndRows();
    void depthIsFixedAndExtraLevelsHidden();
    void resetOnlyForSymbolOrDepth();
    void groupedLevelsAndOwnOrders();
    void groupingOfOneTickIsUngrouped();
    void groupingChangesAreDataChangedNotResets();

private:
    QString str(int row, int role) const { return m_model->index(row).data(role).toString(); }
    double num(int row, int role) const { return m_model->index(row).data(role).toDouble(); }

    InstrumentTable m_instruments;
    std::unique_ptr<OrderBookModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void tst_OrderBookModel::init()
{
    m_instruments.setInstruments({instrument(u"BTC-USD"_s, "0.01", "0.0001")});
    m_model = std::make_unique<OrderBookModel>(&m_instruments, 3);
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_model->setSymbol(u"BTC-USD"_s);
}

void tst_OrderBookModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
}

void tst_OrderBookModel::ladderLayout()
{
    QCOMPARE(m_model->rowCount(), 6);
    m_model->setLevels({level("99", "1"), level("98", "2")},
                       {level("101", "3"), level("102", "4")});
    m_model->flush();
    // Asks above bids, best prices meet in the middle; the far ask row is empty.
    const QStringList prices{str(0, B::PriceRole), str(1, B::PriceRole), str(2, B::PriceRole),
                             str(3, B::PriceRole), str(4, B::PriceRole), str(5, B::PriceRole)};
    QCOMPARE(prices,
             (QStringList{QString(), u"102.00"_s, u"101.00"_s, u"99.00"_s, u"98.00"_s, QString()}));
    for (int row = 0; row < 3; ++row)
        QCOMPARE(str(row, B::SideRole), u"sell"_s);
    for (int row = 3; row < 6; ++row)
        QCOMPARE(str(row, B::SideRole), u"buy"_s);
    QCOMPARE(m_model->index(0).data(B::HasLevelRole).toBool(), false);
    QCOMPARE(m_model->index(2).data(B::IsBestRole).toBool(), true);
    QCOMPARE(m_model->index(3).data(B::IsBestRole).toBool(), true);
    QCOMPARE(m_model->index(1).data(B::IsBestRole).toBool(), false);
    QCOMPARE(str(2, B::SizeRole), u"3.0000"_s);
    QCOMPARE(num(2, B::PriceValueRole), 101.0);
}

void tst_OrderBookModel::cumulativeAndFractions()
{
    m_model->setLevels({level("99", "1.5"), level("98", "2.25"), level("97", "0.25")},
                       {level("101", "1"), level("102", "1")});
    m_model->flush();
    // Bids: 1.5, 3.75, 4; asks: 1, 2. The deepest cumulative (4) is the full bar.
    QCOMPARE(str(3, B::CumulativeSizeRole), u"1.5000"_s);
    QCOMPARE(str(4, B::CumulativeSizeRole), u"3.7500"_s);
    QCOMPARE(str(5, B::CumulativeSizeRole), u"4.0000"_s);
    QCOMPARE(str(2, B::CumulativeSizeRole), u"1.0000"_s);
    QCOMPARE(str(1, B::CumulativeSizeRole), u"2.0000"_s);
    QCOMPARE(num(5, B::DepthFractionRole), 1.0);
    QCOMPARE(num(4, B::DepthFractionRole), 3.75 / 4);
    QCOMPARE(num(3, B::DepthFractionRole), 1.5 / 4);
    QCOMPARE(num(1, B::DepthFractionRole), 0.5);
    QCOMPARE(num(2, B::DepthFractionRole), 0.25);
    QCOMPARE(num(0, B::DepthFractionRole), 0.0);
}

void tst_OrderBookModel::ownQuantitiesAtLevels()
{
    m_model->setLevels({level("99", "5"), level("98", "5")}, {level("101", "5")});
    // Prices compare by value: "99.00" is the level "99".
    m_model->setOwnLevels({{d("99.00"), d("0.7")}, {d("97"), d("1")}}, {{d("101"), d("2.5")}});
    m_model->flush();
    QCOMPARE(str(3, B::OwnQtyRole), u"0.7000"_s);
    QCOMPARE(num(3, B::OwnQtyValueRole), 0.7);
    QCOMPARE(str(4, B::OwnQtyRole), QString()); // nothing of ours at 98
    QCOMPARE(str(2, B::OwnQtyRole), u"2.5000"_s);
    // Own orders at a price outside the shown book do not invent a level.
    QCOMPARE(str(5, B::PriceRole), QString());

    QSignalSpy spy(m_model.get(), &QAbstractItemModel::dataChanged);
    m_model->setOwnLevels({{d("99"), d("0.2")}}, {{d("101"), d("2.5")}});
    m_model->flush();
    QCOMPARE(changes(spy),
             (QList<Change>{{3, 3, sorted({B::OwnQtyRole, B::OwnQtyValueRole, B::CellsRole})}}));
}

void tst_OrderBookModel::noSignalBeforeFlushAndConflation()
{
    QSignalSpy spy(m_model.get(), &QAbstractItemModel::dataChanged);
    for (int i = 1; i <= 30; ++i)
        m_model->setLevels({level("99", QByteArray::number(i).constData())}, {level("101", "1")});
    QCOMPARE(spy.size(), 0);
    m_model->flush();
    QCOMPARE(spy.size(), 1); // rows 2 and 3 in one range
    QCOMPARE(changes(spy).first().first, 2);
    QCOMPARE(changes(spy).first().last, 3);
    QCOMPARE(str(3, B::SizeRole), u"30.0000"_s);
    m_model->flush();
    QCOMPARE(spy.size(), 1);
}

void tst_OrderBookModel::onlyChangedRolesAndRows()
{
    m_model->setLevels({level("99", "1"), level("98", "1")},
                       {level("101", "1"), level("102", "1")});
    m_model->flush();
    QSignalSpy spy(m_model.get(), &QAbstractItemModel::dataChanged);
    // Size of the second bid changes: its size and cumulative change (its fraction stays 1,
    // the deepest bar), and the total doubles so the other rows' fractions change. Adjacent
    // rows merge into one range with the union of their roles; the empty rows stay quiet.
    m_model->setLevels({level("99", "1"), level("98", "3")},
                       {level("101", "1"), level("102", "1")});
    m_model->flush();
    QCOMPARE(
        changes(spy),
        (QList<Change>{{1, 4,
                        sorted({B::SizeRole, B::SizeValueRole, B::CumulativeSizeRole,
                                B::CumulativeValueRole, B::DepthFractionRole, B::CellsRole})}}));
    // Only the shallower side's far level: one row, no fraction change elsewhere.
    spy.clear();
    m_model->setLevels({level("99", "1"), level("98", "3")},
                       {level("101", "1"), level("102", "2")});
    m_model->flush();
    QCOMPARE(
        changes(spy),
        (QList<Change>{{1, 1,
                        sorted({B::SizeRole, B::SizeValueRole, B::CumulativeSizeRole,
                                B::CumulativeValueRole, B::DepthFractionRole, B::CellsRole})}}));
    // A level disappears: the row empties.
    spy.clear();
    m_model->setLevels({level("99", "1"), level("98", "3")}, {level("101", "1")});
    m_model->flush();
    QCOMPARE(m_model->index(1).data(B::HasLevelRole).toBool(), false);
    QVERIFY(changes(spy).first().roles.contains(B::HasLevelRole));
}

void tst_OrderBookModel::depthIsFixedAndExtraLevelsHidden()
{
    QList<protocol::BookLevel> bids;
    for (int i = 0; i < 10; ++i)
        bids.append(level(QByteArray::number(99 - i).constData(), "1"));
    m_model->setLevels(bids, {});
    m_model->flush();
    QCOMPARE(m_model->rowCount(), 6);
    QCOMPARE(str(5, B::PriceRole), u"97.00"_s);
    QCOMPARE(str(5, B::CumulativeSizeRole), u"3.0000"_s);
    // The ladder's cells: own qty (none here), size, price, cumulative size.
    QCOMPARE(m_model->index(5).data(B::CellsRole).toStringList(),
             (QStringList{QString(), str(5, B::SizeRole), u"97.00"_s, u"3.0000"_s}));
    QCOMPARE(m_model->index(0).data(B::CellsRole).toStringList(),
             (QStringList{QString(), QString(), QString(), QString()})); // an empty ask row
}

void tst_OrderBookModel::resetOnlyForSymbolOrDepth()
{
    QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
    for (int i = 0; i < 5; ++i) {
        m_model->setLevels({level("99", QByteArray::number(i + 1).constData())}, {});
        m_model->flush();
    }
    QCOMPARE(resets.size(), 0);
    m_model->setSymbol(u"ETH-USD"_s);
    QCOMPARE(resets.size(), 1);
    QCOMPARE(str(3, B::PriceRole), QString()); // the other symbol's book is gone
    m_model->setDepth(5);
    QCOMPARE(resets.size(), 2);
    QCOMPARE(m_model->rowCount(), 10);
    m_model->setDepth(5);
    m_model->setSymbol(u"ETH-USD"_s);
    QCOMPARE(resets.size(), 2);
}

void tst_OrderBookModel::groupedLevelsAndOwnOrders()
{
    m_model->setLevels(
        {level("99.99", "1"), level("99.91", "2"), level("99.89", "0.5"), level("99.80", "4")},
        {level("100.01", "1"), level("100.10", "2"), level("100.11", "0.25")});
    m_model->setOwnLevels({{d("99.99"), d("0.3")}, {d("99.91"), d("0.2")}, {d("99.80"), d("1")}},
                          {{d("100.11"), d("0.1")}});
    QVERIFY(m_model->setGrouping(10)); // 0.10 buckets
    QCOMPARE(m_model->grouping(), 10);
    m_model->flush();
    // Asks ceiled: 100.01 and 100.10 -> 100.10, 100.11 -> 100.20. Bids floored: 99.99 and
    // 99.91 -> 99.90, 99.89 and 99.80 -> 99.80.
    QCOMPARE(str(2, B::PriceRole), u"100.10"_s);
    QCOMPARE(str(2, B::SizeRole), u"3.0000"_s);
    QCOMPARE(str(1, B::PriceRole), u"100.20"_s);
    QCOMPARE(str(1, B::SizeRole), u"0.2500"_s);
    QCOMPARE(str(1, B::CumulativeSizeRole), u"3.2500"_s);
    QCOMPARE(str(0, B::PriceRole), QString());
    QCOMPARE(str(3, B::PriceRole), u"99.90"_s);
    QCOMPARE(str(3, B::SizeRole), u"3.0000"_s);
    QCOMPARE(str(4, B::PriceRole), u"99.80"_s);
    QCOMPARE(str(4, B::SizeRole), u"4.5000"_s);
    QCOMPARE(str(4, B::CumulativeSizeRole), u"7.5000"_s);
    QCOMPARE(str(5, B::HasLevelRole), u"false"_s);
    QVERIFY(m_model->index(3).data(B::IsBestRole).toBool());
    // Own orders summed per bucket.
    QCOMPARE(str(3, B::OwnQtyRole), u"0.5000"_s);
    QCOMPARE(str(4, B::OwnQtyRole), u"1.0000"_s);
    QCOMPARE(str(1, B::OwnQtyRole), u"0.1000"_s);
    QCOMPARE(str(2, B::OwnQtyRole), QString());
    // Depth bars: the buckets' cumulatives over the deeper side's total.
    QCOMPARE(num(4, B::DepthFractionRole), 1.0);
    QCOMPARE(num(3, B::DepthFractionRole), 3.0 / 7.5);
    QCOMPARE(num(1, B::DepthFractionRole), 3.25 / 7.5);
    // Coarser still: one bucket per side (100 ticks, 1.00).
    QVERIFY(m_model->setGrouping(100));
    m_model->flush();
    QCOMPARE(str(2, B::PriceRole), u"101.00"_s);
    QCOMPARE(str(2, B::SizeRole), u"3.2500"_s);
    QCOMPARE(str(1, B::PriceRole), QString());
    QCOMPARE(str(3, B::PriceRole), u"99.00"_s);
    QCOMPARE(str(3, B::SizeRole), u"7.5000"_s);
    QCOMPARE(str(3, B::OwnQtyRole), u"1.5000"_s);
    // Not a bucket size: refused, the grouping stays.
    QVERIFY(!m_model->setGrouping(5));
    QVERIFY(!m_model->setGrouping(0));
    QVERIFY(!m_model->setGrouping(-10));
    QCOMPARE(m_model->grouping(), 100);
}

void tst_OrderBookModel::groupingOfOneTickIsUngrouped()
{
    const QList<protocol::BookLevel> bids{level("99.99", "1"), level("99.91", "2"),
                                          level("99.80", "4")};
    const QList<protocol::BookLevel> asks{level("100.01", "1"), level("100.10", "2")};
    const OrderBookModel::OwnLevels ownBids{{d("99.91"), d("0.5")}};
    m_model->setLevels(bids, asks);
    m_model->setOwnLevels(ownBids, {});
    m_model->flush();
    const auto snapshot = [this] {
        QList<QVariantList> rows;
        for (int row = 0; row < m_model->rowCount(); ++row) {
            QVariantList values;
            for (int role = B::PriceRole; role <= B::CellsRole; ++role)
                values.append(m_model->index(row).data(role));
            rows.append(values);
        }
        return rows;
    };
    const QList<QVariantList> ungrouped = snapshot();
    QVERIFY(m_model->setGrouping(10));
    m_model->flush();
    QVERIFY(snapshot() != ungrouped);
    QVERIFY(m_model->setGrouping(1));
    m_model->flush();
    QCOMPARE(snapshot(), ungrouped);
    // Grouping an unknown instrument (no tick yet) shows the levels as they are.
    m_model->setSymbol(u"XYZ-USD"_s);
    m_model->setLevels(bids, asks);
    QVERIFY(m_model->setGrouping(1000));
    m_model->flush();
    QCOMPARE(str(3, B::PriceRole), u"99.99"_s);
}

void tst_OrderBookModel::groupingChangesAreDataChangedNotResets()
{
    m_model->setLevels({level("99.99", "1"), level("99.91", "2")}, {level("100.01", "1")});
    m_model->flush();
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    QSignalSpy data(m_model.get(), &QAbstractItemModel::dataChanged);
    QVERIFY(m_model->setGrouping(10));
    QCOMPARE(data.count(), 0); // at the next flush
    m_model->flush();
    QVERIFY(data.count() > 0);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(m_model->rowCount(), 6);
    // The same grouping again: nothing to publish.
    data.clear();
    QVERIFY(m_model->setGrouping(10));
    m_model->flush();
    QCOMPARE(data.count(), 0);
}

QTEST_GUILESS_MAIN(tst_OrderBookModel)
#include "tst_orderbookmodel.moc"
