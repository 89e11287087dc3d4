#include "../marketfixtures.h"
#include "market/openordersmodel.h"

#include <QtTest/QAbstractItemModelTester>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::market;
using namespace tickwire::market::test;
using O = OpenOrdersModel;
using protocol::OrderStatus;
using protocol::Side;

class tst_OpenOrdersModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void newOrdersAppendAtFlush();
    void fillUpdatesOnlyChangedRoles();
    void terminalOrdersLeave_data();
    void terminalOrdersLeave();
    void openedAndClosedWithinAFrameNeverShows();
    void remainingByPriceSumsOpenLimitOrders();
    void badOrdersAreRefused_data();
    void badOrdersAreRefused();
    void snapshotResets();

private:
    QStringList ids() const
    {
        QStringList out;
        for (int row = 0; row < m_model->rowCount(); ++row)
            out.append(m_model->index(row).data(O::OrderIdRole).toString());
        return out;
    }

    InstrumentTable m_instruments;
    std::unique_ptr<OpenOrdersModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void tst_OpenOrdersModel::init()
{
    m_instruments.setInstruments({instrument(u"BTC-USD"_s, "0.01", "0.0001")});
    m_model = std::make_unique<OpenOrdersModel>(&m_instruments);
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void tst_OpenOrdersModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
}

void tst_OpenOrdersModel::newOrdersAppendAtFlush()
{
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    QVERIFY(!m_model->applyOrder(
        order(u"o-1"_s, u"BTC-USD"_s, Side::Buy, "100", "1", "0", OrderStatus::New)));
    QVERIFY(!m_model->applyOrder(
        order(u"o-2"_s, u"BTC-USD"_s, Side::Sell, "110", "2", "0", OrderStatus::New)));
    QCOMPARE(m_model->rowCount(), 0);
    QCOMPARE(m_model->openCount(), 2);
    m_model->flush();
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(ids(), (QStringList{u"o-1"_s, u"o-2"_s}));
    const QModelIndex o2 = m_model->index(1);
    QCOMPARE(o2.data(O::PriceRole).toString(), u"110.00"_s);
    QCOMPARE(o2.data(O::QtyRole).toString(), u"2.0000"_s);
    QCOMPARE(o2.data(O::RemainingQtyRole).toString(), u"2.0000"_s);
    QCOMPARE(o2.data(O::SideRole).toString(), u"sell"_s);
    QCOMPARE(o2.data(O::StatusRole).toString(), u"new"_s);
    QCOMPARE(o2.data(O::AvgFillPriceRole).toString(), QString());
}

void tst_OpenOrdersModel::fillUpdatesOnlyChangedRoles()
{
    for (const char *id : {"o-1", "o-2", "o-3"})
        QVERIFY(!m_model->applyOrder(order(QString::fromLatin1(id), u"BTC-USD"_s, Side::Buy, "100",
                                           "1", "0", OrderStatus::New)));
    m_model->flush();
    QSignalSpy spy(m_model.get(), &QAbstractItemModel::dataChanged);
    protocol::Order fill =
        order(u"o-2"_s, u"BTC-USD"_s, Side::Buy, "100", "1", "0.4", OrderStatus::PartiallyFilled);
    fill.avgFillPrice = d("100");
    QVERIFY(!m_model->applyOrder(fill));
    QCOMPARE(spy.size(), 0);
    m_model->flush();
    QCOMPARE(
        changes(spy),
        (QList<Change>{{1, 1,
                        sorted({O::FilledQtyRole, O::RemainingQtyRole, O::RemainingQtyValueRole,
                                O::AvgFillPriceRole, O::StatusRole})}}));
    QCOMPARE(m_model->index(1).data(O::RemainingQtyRole).toString(), u"0.6000"_s);
}

void tst_OpenOrdersModel::terminalOrdersLeave_data()
{
    QTest::addColumn<QStringList>("closing");
    QTest::addColumn<QStringList>("left");
    QTest::newRow("middle") << QStringList{u"o-3"_s}
                            << QStringList{u"o-1"_s, u"o-2"_s, u"o-4"_s, u"o-5"_s};
    QTest::newRow("two runs") << QStringList{u"o-5"_s, u"o-1"_s, u"o-2"_s}
                              << QStringList{u"o-3"_s, u"o-4"_s};
    QTest::newRow("all") << QStringList{u"o-1"_s, u"o-2"_s, u"o-3"_s, u"o-4"_s, u"o-5"_s}
                         << QStringList{};
}

void tst_OpenOrdersModel::terminalOrdersLeave()
{
    QFETCH(QStringList, closing);
    QFETCH(QStringList, left);
    for (int i = 1; i <= 5; ++i)
        QVERIFY(!m_model->applyOrder(
            order(u"o-%1"_s.arg(i), u"BTC-USD"_s, Side::Buy, "100", "1", "0", OrderStatus::New)));
    m_model->flush();
    QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    const OrderStatus ends[] = {OrderStatus::Filled, OrderStatus::Cancelled, OrderStatus::Rejected};
    int n = 0;
    for (const QString &id : closing) {
        const OrderStatus status = ends[n++ % 3];
        QVERIFY(!m_model->applyOrder(order(id, u"BTC-USD"_s, Side::Buy, "100", "1",
                                           status == OrderStatus::Filled ? "1" : "0", status)));
    }
    m_model->flush();
    QCOMPARE(ids(), left);
    QCOMPARE(changed.size(), 0); // leaving rows are removed, not updated
    QVERIFY(removed.size() >= 1);
    QCOMPARE(m_model->openCount(), left.size());
    // A second flush has nothing left to do.
    m_model->flush();
    QCOMPARE(ids(), left);
}

void tst_OpenOrdersModel::openedAndClosedWithinAFrameNeverShows()
{
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    QVERIFY(!m_model->applyOrder(
        order(u"o-1"_s, u"BTC-USD"_s, Side::Buy, "100", "1", "0", OrderStatus::New)));
    QVERIFY(!m_model->applyOrder(
        order(u"o-1"_s, u"BTC-USD"_s, Side::Buy, "100", "1", "1", OrderStatus::Filled)));
    m_model->flush();
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(m_model->rowCount(), 0);
}

void tst_OpenOrdersModel::remainingByPriceSumsOpenLimitOrders()
{
    QVERIFY(!m_model->applyOrder(order(u"o-1"_s, u"BTC-USD"_s, Side::Buy, "100", "1", "0.25",
                                       OrderStatus::PartiallyFilled)));
    QVERIFY(!m_model->applyOrder(
        order(u"o-2"_s, u"BTC-USD"_s, Side::Buy, "100.00", "2", "0", OrderStatus::New)));
    QVERIFY(!m_model->applyOrder(
        order(u"o-3"_s, u"BTC-USD"_s, Side::Buy, "99", "1", "0", OrderStatus::New)));
    QVERIFY(!m_model->applyOrder(
        order(u"o-4"_s, u"BTC-USD"_s, Side::Sell, "100", "5", "0", OrderStatus::New)));
    QVERIFY(!m_model->applyOrder(
        order(u"o-5"_s, u"ETH-USD"_s, Side::Buy, "100", "7", "0", OrderStatus::New)));
    QVERIFY(!m_model->applyOrder(
        order(u"o-6"_s, u"BTC-USD"_s, Side::Buy, "98", "1", "0", OrderStatus::New)));
    QVERIFY(!m_model->applyOrder(
        order(u"o-6"_s, u"BTC-USD"_s, Side::Buy, "98", "1", "0", OrderStatus::Cancelled)));
    protocol::Order market =
        order(u"o-7"_s, u"BTC-USD"_s, Side::Buy, "1", "3", "0", OrderStatus::New);
    market.orderType = protocol::OrderType::Market;
    market.price.reset();
    QVERIFY(!m_model->applyOrder(market));
    // Unflushed events count: the ladder must agree with the latest state.
    const QHash<Decimal, Decimal> bids = m_model->remainingByPrice(u"BTC-USD"_s, Side::Buy);
    QCOMPARE(bids.size(), 2);
    QCOMPARE(bids.value(d("100")), d("2.75"));
    QCOMPARE(bids.value(d("99")), d("1"));
    QCOMPARE(m_model->remainingByPrice(u"BTC-USD"_s, Side::Sell).value(d("100")), d("5"));
}

void tst_OpenOrdersModel::badOrdersAreRefused_data()
{
    QTest::addColumn<protocol::Order>("bad");
    QTest::newRow("overfilled") << order(u"o-9"_s, u"BTC-USD"_s, Side::Buy, "100", "1", "2",
                                         OrderStatus::PartiallyFilled);
    QTest::newRow("negative qty") << order(u"o-9"_s, u"BTC-USD"_s, Side::Buy, "100", "-1", "0",
                                           OrderStatus::New);
    QTest::newRow("negative filled")
        << order(u"o-9"_s, u"BTC-USD"_s, Side::Buy, "100", "1", "-0.1", OrderStatus::New);
}

void tst_OpenOrdersModel::badOrdersAreRefused()
{
    QFETCH(protocol::Order, bad);
    const std::optional<QString> reason = m_model->applyOrder(bad);
    QVERIFY(reason.has_value());
    QVERIFY2(reason->contains(u"o-9"_s), qPrintable(*reason));
    QVERIFY(!m_model->applyOrder(
        order(u"o-1"_s, u"BTC-USD"_s, Side::Buy, "100", "1", "0", OrderStatus::New)));
    m_model->flush();
    QCOMPARE(ids(), QStringList{u"o-1"_s});
}

void tst_OpenOrdersModel::snapshotResets()
{
    QVERIFY(!m_model->applyOrder(
        order(u"o-1"_s, u"BTC-USD"_s, Side::Buy, "100", "1", "0", OrderStatus::New)));
    m_model->flush();
    QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
    m_model->applySnapshot(
        {order(u"o-7"_s, u"BTC-USD"_s, Side::Sell, "101", "1", "0", OrderStatus::New),
         order(u"o-8"_s, u"BTC-USD"_s, Side::Sell, "101", "1", "1", OrderStatus::Filled)});
    QCOMPARE(resets.size(), 1);
    QCOMPARE(ids(), QStringList{u"o-7"_s});
    QVERIFY(m_model->remainingByPrice(u"BTC-USD"_s, Side::Buy).isEmpty());
}

QTEST_GUILESS_MAIN(tst_OpenOrdersModel)
#include "tst_openordersmodel.moc"
