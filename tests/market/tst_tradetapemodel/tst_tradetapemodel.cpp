#include "../marketfixtures.h"
#include "market/tradetapemodel.h"

#include <QtCore/QDateTime>
#include <QtTest/QAbstractItemModelTester>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::market;
using namespace tickwire::market::test;
using T = TradeTapeModel;

class tst_TradeTapeModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void newestFirstAfterFlush();
    void boundedWithRemoveAtEndInsertAtTop_data();
    void boundedWithRemoveAtEndInsertAtTop();
    void snapshotResets();
    void badTradesAreRefused_data();
    void badTradesAreRefused();
    void otherSymbolResets();

private:
    InstrumentTable m_instruments;
    std::unique_ptr<TradeTapeModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void tst_TradeTapeModel::init()
{
    m_instruments.setInstruments({instrument(u"BTC-USD"_s, "0.01", "0.0001")});
    m_model = std::make_unique<TradeTapeModel>(&m_instruments, 5);
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_model->setSymbol(u"BTC-USD"_s);
}

void tst_TradeTapeModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
}

void tst_TradeTapeModel::newestFirstAfterFlush()
{
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    QVERIFY(!m_model->appendTrade(trade(u"BTC-USD"_s, 1, "100.5", "0.01")));
    QVERIFY(!m_model->appendTrade(trade(u"BTC-USD"_s, 2, "101", "0.02", protocol::Side::Sell)));
    QCOMPARE(m_model->rowCount(), 0);
    QCOMPARE(inserted.size(), 0);
    m_model->flush();
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 0);
    QCOMPARE(inserted.first().at(2).toInt(), 1);
    QCOMPARE(m_model->index(0).data(T::TradeIdRole).toLongLong(), 2);
    QCOMPARE(m_model->index(0).data(T::PriceRole).toString(), u"101.00"_s);
    QCOMPARE(m_model->index(0).data(T::QtyRole).toString(), u"0.0200"_s);
    QCOMPARE(m_model->index(0).data(T::SideRole).toString(), u"sell"_s);
    QCOMPARE(m_model->index(0).data(T::DirectionRole).toInt(), -1);
    QCOMPARE(m_model->index(1).data(T::DirectionRole).toInt(), 1); // the buy
    QCOMPARE(m_model->index(1).data(T::TradeIdRole).toLongLong(), 1);
    QCOMPARE(m_model->index(0).data(T::TimeRole).toLongLong(), 1002);
    const QString text = m_model->index(0).data(T::TimeTextRole).toString();
    QCOMPARE(text, QDateTime::fromMSecsSinceEpoch(1002).toString(u"HH:mm:ss.zzz"));
    QVERIFY2(text.endsWith(u":01.002"_s), qPrintable(text));
    // The tape's cells: time, price, qty.
    QCOMPARE(m_model->index(0).data(T::CellsRole).toStringList(),
             (QStringList{text, u"101.00"_s, u"0.0200"_s}));
}

void tst_TradeTapeModel::boundedWithRemoveAtEndInsertAtTop_data()
{
    QTest::addColumn<int>("before");
    QTest::addColumn<int>("added");
    QTest::addColumn<int>("removedFirst"); // -1: nothing removed
    QTest::addColumn<int>("insertedCount");
    QTest::newRow("fits") << 2 << 3 << -1 << 3;
    QTest::newRow("overflow by two") << 4 << 3 << 2 << 3;
    QTest::newRow("replaces all") << 5 << 5 << 0 << 5;
    QTest::newRow("more than capacity in one frame") << 3 << 12 << 0 << 5;
}

void tst_TradeTapeModel::boundedWithRemoveAtEndInsertAtTop()
{
    QFETCH(int, before);
    QFETCH(int, added);
    QFETCH(int, removedFirst);
    QFETCH(int, insertedCount);
    int id = 0;
    for (int i = 0; i < before; ++i)
        QVERIFY(!m_model->appendTrade(trade(u"BTC-USD"_s, ++id, "100", "1")));
    m_model->flush();
    QCOMPARE(m_model->rowCount(), before);

    QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
    for (int i = 0; i < added; ++i)
        QVERIFY(!m_model->appendTrade(trade(u"BTC-USD"_s, ++id, "100", "1")));
    m_model->flush();
    QCOMPARE(resets.size(), 0);
    QCOMPARE(m_model->rowCount(), std::min(before + added, m_model->capacity()));
    if (removedFirst < 0) {
        QCOMPARE(removed.size(), 0);
    } else {
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.first().at(1).toInt(), removedFirst);
        QCOMPARE(removed.first().at(2).toInt(), before - 1); // always up to the old end
    }
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 0);
    QCOMPARE(inserted.first().at(2).toInt(), insertedCount - 1);
    // Newest first, consecutive ids.
    for (int row = 0; row < m_model->rowCount(); ++row)
        QCOMPARE(m_model->index(row).data(T::TradeIdRole).toLongLong(), qint64(id - row));
}

void tst_TradeTapeModel::snapshotResets()
{
    QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
    protocol::TradesSnapshot snapshot{u"BTC-USD"_s, {}};
    for (int i = 1; i <= 8; ++i)
        snapshot.trades.append(trade(u"BTC-USD"_s, i, "100", "1"));
    m_model->applySnapshot(snapshot);
    QCOMPARE(resets.size(), 1);
    QCOMPARE(m_model->rowCount(), 5); // bounded: the newest five
    QCOMPARE(m_model->index(0).data(T::TradeIdRole).toLongLong(), 8);
    QCOMPARE(m_model->index(4).data(T::TradeIdRole).toLongLong(), 4);
    // A snapshot of another symbol is not ours.
    m_model->applySnapshot(protocol::TradesSnapshot{u"ETH-USD"_s, {}});
    QCOMPARE(resets.size(), 1);
    QCOMPARE(m_model->rowCount(), 5);
    // Trades already in the snapshot are refused as replays.
    QVERIFY(m_model->appendTrade(trade(u"BTC-USD"_s, 8, "100", "1")).has_value());
    QVERIFY(!m_model->appendTrade(trade(u"BTC-USD"_s, 9, "100", "1")));
}

void tst_TradeTapeModel::badTradesAreRefused_data()
{
    QTest::addColumn<protocol::Trade>("bad");
    QTest::addColumn<QString>("reasonContains");
    QTest::newRow("other symbol") << trade(u"ETH-USD"_s, 10, "1", "1") << u"ETH-USD"_s;
    QTest::newRow("zero price") << trade(u"BTC-USD"_s, 10, "0", "1") << u"non-positive"_s;
    QTest::newRow("negative qty") << trade(u"BTC-USD"_s, 10, "1", "-1") << u"non-positive"_s;
    QTest::newRow("replayed id") << trade(u"BTC-USD"_s, 3, "1", "1") << u"not newer"_s;
}

void tst_TradeTapeModel::badTradesAreRefused()
{
    QFETCH(protocol::Trade, bad);
    QFETCH(QString, reasonContains);
    QVERIFY(!m_model->appendTrade(trade(u"BTC-USD"_s, 3, "100", "1")));
    const std::optional<QString> reason = m_model->appendTrade(bad);
    QVERIFY(reason.has_value());
    QVERIFY2(reason->contains(reasonContains), qPrintable(*reason));
    // The refused trade loses nothing else: the good one is still published.
    QVERIFY(!m_model->appendTrade(trade(u"BTC-USD"_s, 11, "100", "1")));
    m_model->flush();
    QCOMPARE(m_model->rowCount(), 2);
}

void tst_TradeTapeModel::otherSymbolResets()
{
    QVERIFY(!m_model->appendTrade(trade(u"BTC-USD"_s, 1, "100", "1")));
    m_model->flush();
    QVERIFY(!m_model->appendTrade(trade(u"BTC-USD"_s, 2, "100", "1"))); // pending, dropped
    QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
    m_model->setSymbol(u"ETH-USD"_s);
    QCOMPARE(resets.size(), 1);
    QCOMPARE(m_model->rowCount(), 0);
    m_model->flush();
    QCOMPARE(m_model->rowCount(), 0);
}

QTEST_GUILESS_MAIN(tst_TradeTapeModel)
#include "tst_tradetapemodel.moc"
