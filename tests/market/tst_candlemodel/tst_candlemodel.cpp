#include "../marketfixtures.h"
#include "market/candlemodel.h"

#include <QtTest/QAbstractItemModelTester>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::market;
using namespace tickwire::market::test;
using C = CandleModel;

namespace {

constexpr std::int64_t Minute = 60'000;

protocol::Candle candle(std::int64_t minute, const char *o, const char *h, const char *l,
                        const char *c, const char *v = "1", bool closed = false)
{
    protocol::Candle k;
    k.symbol = u"BTC-USD"_s;
    k.interval = protocol::CandleInterval::M1;
    k.t = minute * Minute;
    k.o = d(o);
    k.h = d(h);
    k.l = d(l);
    k.c = d(c);
    k.v = d(v);
    k.closed = closed;
    return k;
}

} // namespace

class tst_CandleModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void snapshotThenLiveUpdates();
    void sameTimeUpdatesLastRowWithChangedRoles();
    void boundedRemovesOldest_data();
    void boundedRemovesOldest();
    void badCandlesAreRefused_data();
    void badCandlesAreRefused();
    void otherSeriesIgnoredAndSeriesChangeResets();
    void priceRange();

private:
    InstrumentTable m_instruments;
    std::unique_ptr<CandleModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void tst_CandleModel::init()
{
    m_instruments.setInstruments({instrument(u"BTC-USD"_s, "0.01", "0.0001")});
    m_model = std::make_unique<CandleModel>(&m_instruments, 4);
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_model->setSeries(u"BTC-USD"_s, protocol::CandleInterval::M1);
}

void tst_CandleModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
}

void tst_CandleModel::snapshotThenLiveUpdates()
{
    QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    m_model->applySnapshot(protocol::CandlesSnapshot{
        u"BTC-USD"_s,
        protocol::CandleInterval::M1,
        {candle(1, "10", "12", "9", "11", "1", true), candle(2, "11", "13", "10", "12")}});
    QCOMPARE(resets.size(), 1);
    QCOMPARE(m_model->rowCount(), 2);
    QCOMPARE(m_model->index(0).data(C::OpenRole).toString(), u"10.00"_s);
    QCOMPARE(m_model->index(0).data(C::ClosedRole).toBool(), true);
    QVERIFY(!m_model->applyCandle(candle(2, "11", "14", "10", "13")));
    QVERIFY(!m_model->applyCandle(candle(3, "13", "13", "13", "13")));
    QCOMPARE(m_model->rowCount(), 2); // nothing published before flush
    m_model->flush();
    QCOMPARE(resets.size(), 1);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 2);
    QCOMPARE(inserted.first().at(2).toInt(), 2);
    QCOMPARE(m_model->rowCount(), 3);
    QCOMPARE(m_model->index(1).data(C::CloseRole).toString(), u"13.00"_s);
    QCOMPARE(m_model->index(2).data(C::TimeRole).toLongLong(), 3 * Minute);
}

void tst_CandleModel::sameTimeUpdatesLastRowWithChangedRoles()
{
    m_model->applySnapshot(protocol::CandlesSnapshot{
        u"BTC-USD"_s, protocol::CandleInterval::M1, {candle(1, "10", "12", "9", "11")}});
    QSignalSpy spy(m_model.get(), &QAbstractItemModel::dataChanged);
    for (int i = 0; i < 10; ++i)
        QVERIFY(!m_model->applyCandle(candle(1, "10", "12", "9", "11.5", "2")));
    QCOMPARE(spy.size(), 0);
    m_model->flush();
    QCOMPARE(
        changes(spy),
        (QList<Change>{
            {0, 0, sorted({C::CloseRole, C::CloseValueRole, C::VolumeRole, C::VolumeValueRole})}}));
    // A new candle appended and then updated within one frame is one insert, no dataChanged.
    spy.clear();
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    QVERIFY(!m_model->applyCandle(candle(2, "11", "11", "11", "11")));
    QVERIFY(!m_model->applyCandle(candle(2, "11", "15", "11", "14")));
    m_model->flush();
    QCOMPARE(spy.size(), 0);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(m_model->index(1).data(C::HighRole).toString(), u"15.00"_s);
}

void tst_CandleModel::boundedRemovesOldest_data()
{
    QTest::addColumn<int>("before");
    QTest::addColumn<int>("added");
    QTest::addColumn<int>("removedLast"); // rows [0, removedLast] removed; -1 none
    QTest::newRow("fits") << 1 << 3 << -1;
    QTest::newRow("one over") << 4 << 1 << 0;
    QTest::newRow("three over") << 3 << 4 << 2;
    QTest::newRow("more than capacity") << 4 << 9 << 3;
}

void tst_CandleModel::boundedRemovesOldest()
{
    QFETCH(int, before);
    QFETCH(int, added);
    QFETCH(int, removedLast);
    int minute = 0;
    for (int i = 0; i < before; ++i)
        QVERIFY(!m_model->applyCandle(candle(++minute, "1", "1", "1", "1")));
    m_model->flush();
    QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < added; ++i)
        QVERIFY(!m_model->applyCandle(candle(++minute, "1", "1", "1", "1")));
    m_model->flush();
    QCOMPARE(m_model->rowCount(), std::min(before + added, m_model->capacity()));
    if (removedLast < 0) {
        QCOMPARE(removed.size(), 0);
    } else {
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.first().at(1).toInt(), 0);
        QCOMPARE(removed.first().at(2).toInt(), removedLast);
    }
    QCOMPARE(inserted.size(), 1);
    // Oldest first and ending with the newest minute.
    QCOMPARE(m_model->index(m_model->rowCount() - 1).data(C::TimeRole).toLongLong(),
             minute * Minute);
    for (int row = 1; row < m_model->rowCount(); ++row)
        QCOMPARE(m_model->index(row).data(C::TimeRole).toLongLong()
                     - m_model->index(row - 1).data(C::TimeRole).toLongLong(),
                 Minute);
}

void tst_CandleModel::badCandlesAreRefused_data()
{
    QTest::addColumn<protocol::Candle>("bad");
    QTest::addColumn<QString>("reasonContains");
    QTest::newRow("older than last") << candle(4, "1", "1", "1", "1") << u"older"_s;
    QTest::newRow("negative volume") << candle(6, "1", "1", "1", "1", "-2") << u"negative"_s;
    QTest::newRow("negative low") << candle(6, "1", "1", "-1", "1") << u"negative"_s;
}

void tst_CandleModel::badCandlesAreRefused()
{
    QFETCH(protocol::Candle, bad);
    QFETCH(QString, reasonContains);
    QVERIFY(!m_model->applyCandle(candle(5, "1", "2", "1", "2")));
    const std::optional<QString> reason = m_model->applyCandle(bad);
    QVERIFY(reason.has_value());
    QVERIFY2(reason->contains(reasonContains), qPrintable(*reason));
    QVERIFY(!m_model->applyCandle(candle(7, "1", "2", "1", "2")));
    m_model->flush();
    QCOMPARE(m_model->rowCount(), 2);
    QCOMPARE(m_model->index(0).data(C::LowRole).toString(), u"1.00"_s);
}

void tst_CandleModel::otherSeriesIgnoredAndSeriesChangeResets()
{
    protocol::Candle other = candle(1, "1", "1", "1", "1");
    other.interval = protocol::CandleInterval::M5;
    QVERIFY(!m_model->applyCandle(other));
    other = candle(1, "1", "1", "1", "1");
    other.symbol = u"ETH-USD"_s;
    QVERIFY(!m_model->applyCandle(other));
    m_model->flush();
    QCOMPARE(m_model->rowCount(), 0);

    QVERIFY(!m_model->applyCandle(candle(1, "1", "1", "1", "1")));
    m_model->flush();
    QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
    m_model->setSeries(u"BTC-USD"_s, protocol::CandleInterval::M1);
    QCOMPARE(resets.size(), 0);
    m_model->setSeries(u"BTC-USD"_s, protocol::CandleInterval::M5);
    QCOMPARE(resets.size(), 1);
    QCOMPARE(m_model->rowCount(), 0);
}

void tst_CandleModel::priceRange()
{
    QSignalSpy range(m_model.get(), &CandleModel::priceRangeChanged);
    QVERIFY(!m_model->applyCandle(candle(1, "10", "12", "9", "11")));
    QVERIFY(!m_model->applyCandle(candle(2, "11", "15", "10.5", "12")));
    QCOMPARE(range.size(), 0);
    m_model->flush();
    QCOMPARE(range.size(), 1);
    QCOMPARE(m_model->minPrice(), 9.0);
    QCOMPARE(m_model->maxPrice(), 15.0);
    // Scrolling the lowest candle out of the bound raises the minimum.
    for (int minute = 3; minute <= 5; ++minute)
        QVERIFY(!m_model->applyCandle(candle(minute, "11", "11", "10", "11")));
    m_model->flush();
    QCOMPARE(m_model->minPrice(), 10.0);
    QCOMPARE(m_model->maxPrice(), 15.0);
    // No change, no signal.
    const qsizetype signals = range.size();
    QVERIFY(!m_model->applyCandle(candle(5, "11", "11", "10", "10.5")));
    m_model->flush();
    QCOMPARE(range.size(), signals);
}

QTEST_GUILESS_MAIN(tst_CandleModel)
#include "tst_candlemodel.moc"
