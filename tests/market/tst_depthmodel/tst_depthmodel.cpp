#include "../marketfixtures.h"
#include "market/depthmodel.h"

#include <QtTest/QAbstractItemModelTester>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::market;
using namespace tickwire::market::test;
using M = DepthModel;

class tst_DepthModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void cumulativeSumsAreExact();
    void midPrice_data();
    void midPrice();
    void emptyAndOneSidedBooks();
    void rowsFollowLevelCounts();
    void onlyChangedRolesAndOneSignalPerFlush();
    void resnapshotAndSymbolChange();
    void rowAtPriceForTheHover();

private:
    QString str(int row, int role) const { return m_model->index(row).data(role).toString(); }

    InstrumentTable m_instruments;
    std::unique_ptr<DepthModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void tst_DepthModel::init()
{
    m_instruments.setInstruments(
        {instrument(u"BTC-USD"_s, "0.01", "0.0001"), instrument(u"ETH-USD"_s, "0.01", "0.001")});
    m_model = std::make_unique<DepthModel>(&m_instruments);
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_model->setSymbol(u"BTC-USD"_s);
}

void tst_DepthModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
}

void tst_DepthModel::cumulativeSumsAreExact()
{
    // 0.1 + 0.2 is 0.3 here, not 0.30000000000000004.
    m_model->setLevels({level("100.00", "0.1"), level("99.99", "0.2"), level("99.90", "0.7")},
                       {level("100.02", "0.3"), level("100.05", "1.2345")});
    m_model->flush();
    QCOMPARE(m_model->rowCount(), 5);
    QCOMPARE(m_model->bidCount(), 3);
    QCOMPARE(m_model->askCount(), 2);
    // Bids from the best down, then asks from the best up.
    QCOMPARE(str(0, M::SideRole), u"buy"_s);
    QCOMPARE(str(3, M::SideRole), u"sell"_s);
    QCOMPARE(str(0, M::PriceRole), u"100.00"_s);
    QCOMPARE(str(2, M::PriceRole), u"99.90"_s);
    QCOMPARE(str(4, M::PriceRole), u"100.05"_s);
    QCOMPARE(m_model->bids()[1].cumulative, d("0.3"));
    QCOMPARE(m_model->bids()[2].cumulative, d("1.0"));
    QCOMPARE(str(1, M::CumulativeRole), u"0.3000"_s);
    QCOMPARE(str(2, M::CumulativeRole), u"1.0000"_s);
    QCOMPARE(m_model->asks()[1].cumulative, d("1.5345"));
    QCOMPARE(str(4, M::CumulativeRole), u"1.5345"_s);
    QCOMPARE(str(4, M::SizeRole), u"1.2345"_s);
    // Notional: Σ price × size, exact; shown at the price's decimals.
    // 100 × 0.1 + 99.99 × 0.2 + 99.90 × 0.7 = 10 + 19.998 + 69.93 = 99.928
    QCOMPARE(m_model->bids()[2].notional, d("99.928"));
    QCOMPARE(str(2, M::NotionalRole), u"99.93"_s);
    // 100.02 × 0.3 + 100.05 × 1.2345 = 30.006 + 123.511725 = 153.517725
    QCOMPARE(m_model->asks()[1].notional, d("153.517725"));
    QCOMPARE(str(4, M::NotionalRole), u"153.52"_s);
    QCOMPARE(m_model->index(4).data(M::CumulativeValueRole).toDouble(), 1.5345);
    // Against a naive sum over many levels.
    QList<protocol::BookLevel> bids;
    std::int64_t units = 0;
    for (int k = 0; k < 100; ++k) {
        const std::int64_t qty = 1 + (k * 7919) % 1000; // in 0.0001
        units += qty;
        bids.append({*Decimal::fromUnits(1'000'000 - k, 2), *Decimal::fromUnits(qty, 4)});
    }
    m_model->setLevels(bids, {});
    m_model->flush();
    QCOMPARE(m_model->bids().back().cumulative, *Decimal::fromUnits(units, 4));
}

void tst_DepthModel::midPrice_data()
{
    QTest::addColumn<QString>("bid");
    QTest::addColumn<QString>("ask");
    QTest::addColumn<QString>("mid");
    QTest::newRow("half a tick") << u"100.01"_s << u"100.02"_s << u"100.015"_s;
    QTest::newRow("on a tick") << u"100.01"_s << u"100.03"_s << u"100.020"_s;
    QTest::newRow("whole") << u"99"_s << u"101"_s << u"100.000"_s;
    QTest::newRow("crossed") << u"100.02"_s << u"100.01"_s << u"100.015"_s;
}

void tst_DepthModel::midPrice()
{
    QFETCH(QString, bid);
    QFETCH(QString, ask);
    QFETCH(QString, mid);
    m_model->setLevels({{*Decimal::parse(QStringView(bid)), d("1")}},
                       {{*Decimal::parse(QStringView(ask)), d("1")}});
    m_model->flush();
    QVERIFY(m_model->hasMid());
    // At one decimal more than the instrument's prices.
    QCOMPARE(m_model->midText(), mid);
    QCOMPARE(*m_model->mid(), *Decimal::parse(QStringView(mid)));
}

void tst_DepthModel::emptyAndOneSidedBooks()
{
    QSignalSpy changed(m_model.get(), &DepthModel::depthChanged);
    m_model->flush();
    QCOMPARE(m_model->rowCount(), 0);
    QVERIFY(!m_model->hasMid());
    QCOMPARE(m_model->midText(), QString());
    QCOMPARE(m_model->rowAtPrice(100), -1);
    QCOMPARE(changed.count(), 0);

    m_model->setLevels({level("99", "1"), level("98", "2")}, {});
    m_model->flush();
    QCOMPARE(changed.count(), 1);
    QCOMPARE(m_model->rowCount(), 2);
    QVERIFY(!m_model->hasMid());
    QCOMPARE(m_model->rowAtPrice(98.5), 0);
    QCOMPARE(m_model->rowAtPrice(200), -1);

    m_model->setLevels({}, {level("101", "3")});
    m_model->flush();
    QCOMPARE(m_model->bidCount(), 0);
    QCOMPARE(m_model->askCount(), 1);
    QVERIFY(!m_model->hasMid());
    QCOMPARE(str(0, M::SideRole), u"sell"_s);
    QCOMPARE(m_model->rowAtPrice(101.5), 0);
    QCOMPARE(m_model->rowAtPrice(100), -1);

    m_model->setLevels({}, {});
    m_model->flush();
    QCOMPARE(m_model->rowCount(), 0);
}

void tst_DepthModel::rowsFollowLevelCounts()
{
    m_model->setLevels({level("99", "1")}, {level("101", "1")});
    m_model->flush();
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    // Two more bids: inserted after the first bid, before the asks.
    m_model->setLevels({level("99", "1"), level("98", "1"), level("97", "1")}, {level("101", "1")});
    m_model->flush();
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 1);
    QCOMPARE(inserted.at(0).at(2).toInt(), 2);
    QCOMPARE(str(3, M::PriceRole), u"101.00"_s);
    // One ask fewer and one bid fewer: removed at the end of each side.
    m_model->setLevels({level("99", "1"), level("98", "1")}, {});
    m_model->flush();
    QCOMPARE(removed.count(), 2);
    QCOMPARE(removed.at(0).at(1).toInt(), 2); // the third bid
    QCOMPARE(removed.at(1).at(1).toInt(), 2); // the ask, now after two bids
    QCOMPARE(m_model->rowCount(), 2);
    QCOMPARE(reset.count(), 0);
}

void tst_DepthModel::onlyChangedRolesAndOneSignalPerFlush()
{
    m_model->setLevels({level("99", "1"), level("98", "2"), level("97", "3")},
                       {level("101", "1"), level("102", "1")});
    m_model->flush();
    QSignalSpy data(m_model.get(), &QAbstractItemModel::dataChanged);
    QSignalSpy changed(m_model.get(), &DepthModel::depthChanged);
    // Nothing changed: no signal at all.
    m_model->setLevels({level("99", "1"), level("98", "2"), level("97", "3")},
                       {level("101", "1"), level("102", "1")});
    m_model->flush();
    QCOMPARE(data.count(), 0);
    QCOMPARE(changed.count(), 0);
    // The second bid's size changes: its size and the cumulatives from it outwards.
    m_model->setLevels({level("99", "1"), level("98", "5"), level("97", "3")},
                       {level("101", "1"), level("102", "1")});
    m_model->setLevels({level("99", "1"), level("98", "4"), level("97", "3")},
                       {level("101", "1"), level("102", "1")}); // conflated: the last counts
    m_model->flush();
    QCOMPARE(changed.count(), 1);
    QCOMPARE(data.count(), 1);
    QCOMPARE(data.at(0).at(0).toModelIndex().row(), 1);
    QCOMPARE(data.at(0).at(1).toModelIndex().row(), 2);
    const auto roles = data.at(0).at(2).value<QList<int>>();
    QVERIFY(roles.contains(M::CumulativeRole));
    QVERIFY(roles.contains(M::NotionalRole));
    QVERIFY(!roles.contains(M::PriceRole));
    QCOMPARE(m_model->bids()[2].cumulative, d("8"));
}

void tst_DepthModel::resnapshotAndSymbolChange()
{
    m_model->setLevels({level("99", "1"), level("98", "2")}, {level("101", "1")});
    m_model->flush();
    // A resnapshot: a whole new book, the same symbol. Rows are updated, not reset.
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    m_model->setLevels({level("95", "7")}, {level("96", "1"), level("97", "2")});
    m_model->flush();
    QCOMPARE(reset.count(), 0);
    QCOMPARE(m_model->bidCount(), 1);
    QCOMPARE(m_model->askCount(), 2);
    QCOMPARE(m_model->bids()[0].cumulative, d("7"));
    QCOMPARE(m_model->asks()[1].cumulative, d("3"));
    QCOMPARE(m_model->midText(), u"95.500"_s);
    // Another symbol: a reset to an empty chart.
    QSignalSpy changed(m_model.get(), &DepthModel::depthChanged);
    m_model->setSymbol(u"ETH-USD"_s);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(m_model->rowCount(), 0);
    QVERIFY(!m_model->hasMid());
    m_model->flush();
    QCOMPARE(m_model->rowCount(), 0);
    m_model->setLevels({level("3000", "1.5")}, {});
    m_model->flush();
    QCOMPARE(str(0, M::CumulativeRole), u"1.500"_s); // ETH's lot scale
}

void tst_DepthModel::rowAtPriceForTheHover()
{
    m_model->setLevels({level("99", "1"), level("98", "2"), level("96", "3")},
                       {level("101", "1"), level("103", "2")});
    m_model->flush();
    // Mid is 100. Left of it, the deepest bid at or above the price.
    QCOMPARE(m_model->rowAtPrice(99.5), -1); // between the best bid and the mid
    QCOMPARE(m_model->rowAtPrice(99), 0);
    QCOMPARE(m_model->rowAtPrice(98.5), 0);
    QCOMPARE(m_model->rowAtPrice(97), 1);
    QCOMPARE(m_model->rowAtPrice(90), 2); // beyond the deepest: the whole side
    // Right of it, the deepest ask at or below.
    QCOMPARE(m_model->rowAtPrice(100.5), -1);
    QCOMPARE(m_model->rowAtPrice(102), 3);
    QCOMPARE(m_model->rowAtPrice(110), 4);
    const QVariantMap readout = m_model->readout(1);
    QCOMPARE(readout.value(u"side"_s).toString(), u"buy"_s);
    QCOMPARE(readout.value(u"price"_s).toString(), u"98.00"_s);
    QCOMPARE(readout.value(u"cumulative"_s).toString(), u"3.0000"_s);
    QCOMPARE(readout.value(u"notional"_s).toString(), u"295.00"_s);
    QVERIFY(m_model->readout(5).isEmpty());
    QVERIFY(m_model->readout(-1).isEmpty());
}

QTEST_GUILESS_MAIN(tst_DepthModel)
#include "tst_depthmodel.moc"
