#include "../marketfixtures.h"
#include "market/positionsmodel.h"

#include <QtTest/QAbstractItemModelTester>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::market;
using namespace tickwire::market::test;
using P = PositionsModel;

class tst_PositionsModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void unrealizedIsExact_data();
    void unrealizedIsExact();
    void positionLifecycle_data();
    void positionLifecycle();
    void markUpdatesOnlyMarkAndPnlRoles();
    void noMarkNoPnl();
    void overflowIsEmptyNotWrong();
    void snapshotResets();

private:
    QString str(int row, int role) const { return m_model->index(row).data(role).toString(); }

    InstrumentTable m_instruments;
    std::unique_ptr<PositionsModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void tst_PositionsModel::init()
{
    m_instruments.setInstruments({instrument(u"BTC-USD"_s, "0.01", "0.0001")});
    m_model = std::make_unique<PositionsModel>(&m_instruments);
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void tst_PositionsModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
}

void tst_PositionsModel::unrealizedIsExact_data()
{
    QTest::addColumn<QString>("qty");
    QTest::addColumn<QString>("avg");
    QTest::addColumn<QString>("mark");
    QTest::addColumn<QString>("expected");
    QTest::newRow("long gains") << u"2"_s << u"100"_s << u"110.5"_s << u"21"_s;
    QTest::newRow("long loses") << u"0.5"_s << u"100"_s << u"90"_s << u"-5"_s;
    QTest::newRow("short gains") << u"-2"_s << u"100"_s << u"90"_s << u"20"_s;
    QTest::newRow("short loses") << u"-0.0150"_s << u"64000.00"_s << u"64012.51"_s << u"-0.18765"_s;
    // 0.1 + 0.2 style values stay exact (binary floats would not).
    QTest::newRow("no float error") << u"3"_s << u"0.1"_s << u"0.3"_s << u"0.6"_s;
    QTest::newRow("flat") << u"0"_s << u"100"_s << u"120"_s << u"0"_s;
}

void tst_PositionsModel::unrealizedIsExact()
{
    QFETCH(QString, qty);
    QFETCH(QString, avg);
    QFETCH(QString, mark);
    QFETCH(QString, expected);
    const std::optional<Decimal> pnl =
        P::unrealizedPnl(*Decimal::parse(qty), *Decimal::parse(avg), *Decimal::parse(mark));
    QVERIFY(pnl.has_value());
    QCOMPARE(*pnl, *Decimal::parse(expected));
}

void tst_PositionsModel::positionLifecycle_data()
{
    // Each step: a position event from the server (qty, avg, realized) and the mark; the
    // model shows the server's values and computes the unrealized P&L at the price scale.
    QTest::addColumn<QStringList>("step"); // qty, avg, realized, mark, unrealized, direction
    QTest::newRow("open long") << QStringList{u"2"_s,   u"100.00"_s, u"0"_s,
                                              u"105"_s, u"10.00"_s,  u"long"_s};
    QTest::newRow("partial close")
        << QStringList{u"0.5"_s, u"100.00"_s, u"7.50"_s, u"105"_s, u"2.50"_s, u"long"_s};
    QTest::newRow("flip to short")
        << QStringList{u"-1"_s, u"104.00"_s, u"10.00"_s, u"105"_s, u"-1.00"_s, u"short"_s};
    QTest::newRow("close") << QStringList{u"0"_s,   u"0"_s,    u"9.00"_s,
                                          u"105"_s, u"0.00"_s, u"flat"_s};
}

void tst_PositionsModel::positionLifecycle()
{
    QFETCH(QStringList, step);
    m_model->setMark(u"BTC-USD"_s, d("101"));
    m_model->applyPosition(position(u"BTC-USD"_s, "1", "100"));
    m_model->flush();
    QCOMPARE(m_model->rowCount(), 1);
    QCOMPARE(str(0, P::UnrealizedPnlRole), u"1.00"_s);

    protocol::Position p;
    p.symbol = u"BTC-USD"_s;
    p.qty = *Decimal::parse(step.at(0));
    p.avgPrice = *Decimal::parse(step.at(1));
    p.realizedPnl = *Decimal::parse(step.at(2));
    m_model->applyPosition(p);
    m_model->setMark(u"BTC-USD"_s, *Decimal::parse(step.at(3)));
    m_model->flush();
    QCOMPARE(m_model->rowCount(), 1);
    QCOMPARE(str(0, P::UnrealizedPnlRole), step.at(4));
    QCOMPARE(str(0, P::DirectionRole), step.at(5));
    QCOMPARE(*Decimal::parse(str(0, P::RealizedPnlRole)), *Decimal::parse(step.at(2)));
    QCOMPARE(m_model->index(0).data(P::UnrealizedPnlValueRole).toDouble(),
             Decimal::parse(step.at(4))->toDouble());
}

void tst_PositionsModel::markUpdatesOnlyMarkAndPnlRoles()
{
    m_model->applyPosition(position(u"ETH-USD"_s, "1", "10"));
    m_model->applyPosition(position(u"BTC-USD"_s, "1", "100"));
    m_model->setMark(u"BTC-USD"_s, d("100"));
    m_model->flush();
    QSignalSpy spy(m_model.get(), &QAbstractItemModel::dataChanged);
    for (int i = 0; i < 10; ++i)
        m_model->setMark(u"BTC-USD"_s, d(QByteArray::number(100 + i).constData()));
    m_model->setMark(u"DOGE-USD"_s, d("1")); // no position: no row touched
    QCOMPARE(spy.size(), 0);
    m_model->flush();
    QCOMPARE(changes(spy),
             (QList<Change>{{1, 1,
                             sorted({P::MarkRole, P::MarkValueRole, P::UnrealizedPnlRole,
                                     P::UnrealizedPnlValueRole})}}));
    QCOMPARE(str(1, P::UnrealizedPnlRole), u"9.00"_s);
    // Same mark again: nothing to say.
    spy.clear();
    m_model->setMark(u"BTC-USD"_s, d("109"));
    m_model->flush();
    QCOMPARE(spy.size(), 0);
    // A position event that changes only the realized P&L reports only that role.
    m_model->applyPosition(position(u"BTC-USD"_s, "1", "100", "3"));
    m_model->flush();
    QCOMPARE(changes(spy), (QList<Change>{{1, 1, {P::RealizedPnlRole}}}));
}

void tst_PositionsModel::noMarkNoPnl()
{
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    m_model->applyPosition(position(u"BTC-USD"_s, "1", "100"));
    QCOMPARE(m_model->rowCount(), 0);
    m_model->flush();
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(str(0, P::MarkRole), QString());
    QCOMPARE(str(0, P::UnrealizedPnlRole), QString());
    QVERIFY(!m_model->index(0).data(P::UnrealizedPnlValueRole).isValid());
}

void tst_PositionsModel::overflowIsEmptyNotWrong()
{
    // 18-digit quantity × a 2-digit move does not fit in 18 significant digits.
    m_model->applyPosition(position(u"X"_s, "999999999999999999", "1"));
    m_model->setMark(u"X"_s, d("50"));
    m_model->flush();
    QCOMPARE(str(0, P::UnrealizedPnlRole), QString());
    QVERIFY(!P::unrealizedPnl(d("999999999999999999"), d("1"), d("50")).has_value());
    // The row itself is intact.
    QCOMPARE(str(0, P::QtyRole), u"999999999999999999"_s);
}

void tst_PositionsModel::snapshotResets()
{
    m_model->applyPosition(position(u"ETH-USD"_s, "1", "10"));
    m_model->flush();
    m_model->setMark(u"BTC-USD"_s, d("110"));
    QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
    m_model->applySnapshot({position(u"BTC-USD"_s, "-1", "100")});
    QCOMPARE(resets.size(), 1);
    QCOMPARE(m_model->rowCount(), 1);
    QCOMPARE(str(0, P::SymbolRole), u"BTC-USD"_s);
    QCOMPARE(str(0, P::UnrealizedPnlRole), u"-10.00"_s);
}

QTEST_GUILESS_MAIN(tst_PositionsModel)
#include "tst_positionsmodel.moc"
