#include "../marketfixtures.h"
#include "market/fillsmodel.h"

#include <QtTest/QAbstractItemModelTester>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::market;
using namespace tickwire::market::test;
using F = FillsModel;
using protocol::OrderStatus;
using protocol::Side;

namespace {

protocol::Order fill(const QString &id, const char *filled, const char *lastQty,
                     const char *lastPrice, std::int64_t ts)
{
    protocol::Order o =
        order(id, u"BTC-USD"_s, Side::Buy, "100", "10", filled, OrderStatus::PartiallyFilled);
    o.lastFillQty = d(lastQty);
    o.lastFillPrice = d(lastPrice);
    o.ts = ts;
    return o;
}

} // namespace

class tst_FillsModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void onlyFillEventsBecomeRows();
    void boundedNewestFirst();
    void badFillsAreRefused_data();
    void badFillsAreRefused();

private:
    InstrumentTable m_instruments;
    std::unique_ptr<FillsModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void tst_FillsModel::init()
{
    m_instruments.setInstruments({instrument(u"BTC-USD"_s, "0.01", "0.0001")});
    m_model = std::make_unique<FillsModel>(&m_instruments, 3);
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void tst_FillsModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
}

void tst_FillsModel::onlyFillEventsBecomeRows()
{
    QVERIFY(!m_model->applyOrder(
        order(u"o-1"_s, u"BTC-USD"_s, Side::Buy, "100", "1", "0", OrderStatus::New)));
    QVERIFY(!m_model->applyOrder(fill(u"o-1"_s, "0.4", "0.4", "99.5", 10)));
    QVERIFY(!m_model->applyOrder(
        order(u"o-1"_s, u"BTC-USD"_s, Side::Buy, "100", "1", "0.4", OrderStatus::Cancelled)));
    QCOMPARE(m_model->rowCount(), 0);
    m_model->flush();
    QCOMPARE(m_model->rowCount(), 1);
    const QModelIndex row = m_model->index(0);
    QCOMPARE(row.data(F::OrderIdRole).toString(), u"o-1"_s);
    QCOMPARE(row.data(F::PriceRole).toString(), u"99.50"_s);
    QCOMPARE(row.data(F::QtyRole).toString(), u"0.4000"_s);
    QCOMPARE(row.data(F::SideRole).toString(), u"buy"_s);
    QCOMPARE(row.data(F::TimeRole).toLongLong(), 10);
    QVERIFY(row.data(F::TimeTextRole).toString().endsWith(u":00.010"_s));
}

void tst_FillsModel::boundedNewestFirst()
{
    QVERIFY(!m_model->applyOrder(fill(u"o-1"_s, "1", "1", "100", 1)));
    QVERIFY(!m_model->applyOrder(fill(u"o-1"_s, "2", "1", "100", 2)));
    m_model->flush();
    QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
    QVERIFY(!m_model->applyOrder(fill(u"o-1"_s, "3", "1", "100", 3)));
    QVERIFY(!m_model->applyOrder(fill(u"o-1"_s, "4", "1", "100", 4)));
    m_model->flush();
    QCOMPARE(resets.size(), 0);
    QCOMPARE(m_model->rowCount(), 3);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.first().at(1).toInt(), 1);
    QCOMPARE(removed.first().at(2).toInt(), 1);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 0);
    QCOMPARE(inserted.first().at(2).toInt(), 1);
    QCOMPARE(m_model->index(0).data(F::TimeRole).toLongLong(), 4);
    QCOMPARE(m_model->index(2).data(F::TimeRole).toLongLong(), 2);
}

void tst_FillsModel::badFillsAreRefused_data()
{
    QTest::addColumn<protocol::Order>("bad");
    protocol::Order noPrice = fill(u"o-9"_s, "1", "1", "100", 5);
    noPrice.lastFillPrice.reset();
    QTest::newRow("no price") << noPrice;
    QTest::newRow("zero qty") << fill(u"o-9"_s, "1", "0", "100", 5);
    QTest::newRow("negative qty") << fill(u"o-9"_s, "1", "-1", "100", 5);
}

void tst_FillsModel::badFillsAreRefused()
{
    QFETCH(protocol::Order, bad);
    const std::optional<QString> reason = m_model->applyOrder(bad);
    QVERIFY(reason.has_value());
    QVERIFY2(reason->contains(u"o-9"_s), qPrintable(*reason));
    QVERIFY(!m_model->applyOrder(fill(u"o-1"_s, "1", "1", "100", 6)));
    m_model->flush();
    QCOMPARE(m_model->rowCount(), 1);
    QCOMPARE(m_model->index(0).data(F::OrderIdRole).toString(), u"o-1"_s);
}

QTEST_GUILESS_MAIN(tst_FillsModel)
#include "tst_fillsmodel.moc"
