#include "../marketfixtures.h"
#include "market/quotemodel.h"

#include <QtTest/QAbstractItemModelTester>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::market;
using namespace tickwire::market::test;
using Q = QuoteModel;

class tst_QuoteModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void rowsFollowSymbolsAndStartEmpty();
    void noSignalBeforeFlush();
    void conflatesIntoContiguousRanges();
    void onlyChangedRolesAreReported_data();
    void onlyChangedRolesAreReported();
    void tickDirectionIsPerFlush();
    void formatsAtInstrumentScale();
    void typedValues();
    void compactNumber_data();
    void compactNumber();
    void rejectedSymbolIsUnavailable();
    void sparklineFollowsTickerTime();
    void sparklineIsBounded();
    void resetOnlyWhenSymbolsChange();
    void watchlistEditsMoveRows_data();
    void watchlistEditsMoveRows();

private:
    InstrumentTable m_instruments;
    std::unique_ptr<QuoteModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void tst_QuoteModel::init()
{
    m_instruments.setInstruments(
        {instrument(u"BTC-USD"_s, "0.01", "0.0001"), instrument(u"ETH-USD"_s, "0.01", "0.001")});
    m_model = std::make_unique<QuoteModel>(&m_instruments);
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void tst_QuoteModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
}

void tst_QuoteModel::rowsFollowSymbolsAndStartEmpty()
{
    m_model->setSymbols({u"A"_s, u"B"_s, u"A"_s, u"C"_s});
    QCOMPARE(m_model->rowCount(), 3);
    QCOMPARE(m_model->symbols(), (QStringList{u"A"_s, u"B"_s, u"C"_s}));
    const QModelIndex b = m_model->index(1);
    QCOMPARE(b.data(Q::SymbolRole).toString(), u"B"_s);
    QCOMPARE(b.data(Q::LastRole).toString(), QString());
    QCOMPARE(b.data(Q::BidRole).toString(), QString());
    QCOMPARE(b.data(Q::HasDataRole).toBool(), false);
    QCOMPARE(b.data(Q::AvailableRole).toBool(), true);
    QCOMPARE(m_model->rowCount(m_model->index(0)), 0);
}

void tst_QuoteModel::noSignalBeforeFlush()
{
    m_model->setSymbols({u"A"_s});
    m_model->applyTicker(ticker(u"A"_s, "99"));
    m_model->flush();
    QSignalSpy spy(m_model.get(), &QAbstractItemModel::dataChanged);
    for (int i = 0; i < 50; ++i)
        m_model->applyTicker(ticker(u"A"_s, QByteArray::number(100 + i).constData()));
    QCOMPARE(spy.size(), 0);
    m_model->flush();
    QCOMPARE(spy.size(), 1);
    QCOMPARE(m_model->index(0).data(Q::TickDirectionRole).toInt(), 1);
    m_model->flush(); // nothing new: nothing emitted except the direction going back to 0
    QCOMPARE(spy.size(), 2);
    QCOMPARE(changes(spy).last(), (Change{0, 0, {Q::TickDirectionRole}}));
    m_model->flush();
    QCOMPARE(spy.size(), 2);
}

void tst_QuoteModel::conflatesIntoContiguousRanges()
{
    m_model->setSymbols({u"A"_s, u"B"_s, u"C"_s, u"D"_s, u"E"_s});
    // First data everywhere, then flush and a second flush to settle directions.
    for (const QString &s : m_model->symbols())
        m_model->applyTicker(ticker(s, "100", "99", "101"));
    m_model->flush();
    m_model->flush();

    QSignalSpy spy(m_model.get(), &QAbstractItemModel::dataChanged);
    // Many batches touching A, B, D (and X, not shown): bid changes only.
    for (int i = 0; i < 20; ++i) {
        const QByteArray bid = QByteArray::number(90 + i % 5);
        for (const QString &s : {u"D"_s, u"A"_s, u"B"_s, u"X"_s})
            m_model->applyTicker(ticker(s, "100", bid.constData(), "101"));
    }
    QCOMPARE(spy.size(), 0);
    m_model->flush();
    const QList<int> roles = sorted({Q::BidRole, Q::SpreadRole, Q::CellsRole});
    QCOMPARE(changes(spy), (QList<Change>{{0, 1, roles}, {3, 3, roles}}));
    QCOMPARE(m_model->index(3).data(Q::BidRole).toString(), u"94"_s);
}

void tst_QuoteModel::onlyChangedRolesAreReported_data()
{
    QTest::addColumn<protocol::Ticker>("next");
    QTest::addColumn<QList<int>>("roles");
    const protocol::Ticker base = ticker(u"A"_s, "100", "99", "101", "90");
    const QList<int> always; // what every change of the row reports
    auto with = [&](auto change) {
        protocol::Ticker t = base;
        change(t);
        return t;
    };
    QTest::newRow("same values") << base << QList<int>(); // no change at all
    QTest::newRow("ask") << with([](protocol::Ticker &t) { t.ask = d("102"); })
                         << sorted(always + QList<int>{Q::AskRole, Q::SpreadRole, Q::CellsRole});
    QTest::newRow("volume") << with([](protocol::Ticker &t) { t.volume24h = d("5"); })
                            << sorted(always + QList<int>{Q::VolumeRole, Q::CellsRole});
    QTest::newRow("high") << with([](protocol::Ticker &t) { t.high24h = d("120"); })
                          << sorted(always + QList<int>{Q::HighRole, Q::CellsRole});
    QTest::newRow("open") << with([](protocol::Ticker &t) { t.open24h = d("95"); })
                          << sorted(always
                                    + QList<int>{Q::ChangeRole, Q::ChangePercentRole,
                                                 Q::ChangeValueRole, Q::CellsRole});
    QTest::newRow("last") << with([](protocol::Ticker &t) { t.last = d("100.5"); })
                          << sorted(always
                                    + QList<int>{Q::LastRole, Q::LastValueRole, Q::ChangeRole,
                                                 Q::ChangePercentRole, Q::ChangeValueRole,
                                                 Q::SparklineRole, Q::TickDirectionRole,
                                                 Q::CellsRole});
}

void tst_QuoteModel::onlyChangedRolesAreReported()
{
    QFETCH(protocol::Ticker, next);
    QFETCH(QList<int>, roles);
    m_model->setSymbols({u"A"_s});
    m_model->applyTicker(ticker(u"A"_s, "100", "99", "101", "90"));
    m_model->flush();
    QSignalSpy spy(m_model.get(), &QAbstractItemModel::dataChanged);
    m_model->applyTicker(next);
    m_model->flush();
    if (roles.isEmpty())
        QCOMPARE(spy.size(), 0);
    else
        QCOMPARE(changes(spy), (QList<Change>{{0, 0, roles}}));
}

void tst_QuoteModel::tickDirectionIsPerFlush()
{
    m_model->setSymbols({u"A"_s});
    const QModelIndex a = m_model->index(0);
    m_model->applyTicker(ticker(u"A"_s, "100"));
    m_model->flush();
    QCOMPARE(a.data(Q::TickDirectionRole).toInt(), 0); // first price: nothing to compare with
    m_model->applyTicker(ticker(u"A"_s, "103"));
    m_model->applyTicker(ticker(u"A"_s, "101")); // net +1 over the frame
    m_model->flush();
    QCOMPARE(a.data(Q::TickDirectionRole).toInt(), 1);
    m_model->applyTicker(ticker(u"A"_s, "99"));
    m_model->flush();
    QCOMPARE(a.data(Q::TickDirectionRole).toInt(), -1);
    m_model->flush();
    QCOMPARE(a.data(Q::TickDirectionRole).toInt(), 0);
    m_model->applyTicker(ticker(u"A"_s, "98"));
    m_model->applyTicker(ticker(u"A"_s, "99")); // back where it was at the last flush
    m_model->flush();
    QCOMPARE(a.data(Q::TickDirectionRole).toInt(), 0);
}

void tst_QuoteModel::formatsAtInstrumentScale()
{
    m_model->setSymbols({u"BTC-USD"_s, u"UNKNOWN"_s});
    protocol::Ticker t = ticker(u"BTC-USD"_s, "64012.5", "64012.49", "64012.51", "63110");
    t.volume24h = d("18234.55");
    t.high24h = d("64500");
    m_model->applyTicker(t);
    m_model->applyTicker(ticker(u"UNKNOWN"_s, "1.5"));
    m_model->flush();
    const QModelIndex btc = m_model->index(0);
    QCOMPARE(btc.data(Q::NameRole).toString(), u"BTC-USD name"_s);
    QCOMPARE(btc.data(Q::LastRole).toString(), u"64012.50"_s);
    QCOMPARE(btc.data(Q::LastValueRole).toDouble(), 64012.5);
    QCOMPARE(btc.data(Q::ChangeRole).toString(), u"902.50"_s);
    QCOMPARE(btc.data(Q::ChangePercentRole).toString(), u"1.43"_s); // 902.5 / 63110 = 1.4300..%
    QCOMPARE(btc.data(Q::SpreadRole).toString(), u"0.02"_s);
    QCOMPARE(btc.data(Q::VolumeRole).toString(), u"18234.5500"_s);
    QCOMPARE(btc.data(Q::HighRole).toString(), u"64500.00"_s);
    // The watchlist's cells: the same texts, the percent signed when up, the volume compact.
    QCOMPARE(btc.data(Q::CellsRole).toStringList(),
             (QStringList{u"64012.50"_s, u"902.50"_s, u"+1.43"_s, u"64012.49"_s, u"64012.51"_s,
                          u"0.02"_s, u"18.2K"_s, u"64500.00"_s, btc.data(Q::LowRole).toString()}));
    m_model->applyTicker(ticker(u"BTC-USD"_s, "62000", "61999", "62001", "63110"));
    m_model->flush();
    QCOMPARE(btc.data(Q::CellsRole).toStringList().at(Q::ChangePercentCell), u"-1.76"_s);
    // Without instrument data, the value is shown as written.
    QCOMPARE(m_model->index(1).data(Q::LastRole).toString(), u"1.5"_s);
}

// Sorting and the ticket read the typed values, for shown symbols and others alike.
void tst_QuoteModel::typedValues()
{
    m_model->setSymbols({u"BTC-USD"_s});
    QVERIFY(!m_model->value(u"BTC-USD"_s, Q::LastRole)); // no ticker yet
    protocol::Ticker t = ticker(u"ETH-USD"_s, "3198.18", "3198.17", "3198.19", "3100");
    t.volume24h = d("1234.5");
    m_model->applyTicker(t);
    QCOMPARE(m_model->value(u"ETH-USD"_s, Q::LastRole), d("3198.18"));
    QCOMPARE(m_model->value(u"ETH-USD"_s, Q::BidRole), d("3198.17"));
    QCOMPARE(m_model->value(u"ETH-USD"_s, Q::AskRole), d("3198.19"));
    QCOMPARE(m_model->value(u"ETH-USD"_s, Q::SpreadRole), d("0.02"));
    QCOMPARE(m_model->value(u"ETH-USD"_s, Q::ChangeRole), d("98.18"));
    QCOMPARE(m_model->value(u"ETH-USD"_s, Q::ChangePercentRole), d("3.17"));
    QCOMPARE(m_model->value(u"ETH-USD"_s, Q::VolumeRole), d("1234.5"));
    QVERIFY(!m_model->value(u"ETH-USD"_s, Q::SparklineRole));
    QVERIFY(!m_model->value(u"SOL-USD"_s, Q::LastRole));
}

// Volumes are read at a glance in the watchlist, not to the lot.
void tst_QuoteModel::compactNumber_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("not a number") << u"n/a"_s << u"n/a"_s;
    QTest::newRow("small") << u"12.3456"_s << u"12.35"_s;
    QTest::newRow("hundreds") << u"4372.1"_s << u"4372"_s;
    QTest::newRow("thousands") << u"88123.4"_s << u"88.1K"_s;
    QTest::newRow("millions") << u"1909361.5"_s << u"1.91M"_s;
    QTest::newRow("billions") << u"2450000000"_s << u"2.45B"_s;
    QTest::newRow("negative") << u"-1909361.5"_s << u"-1.91M"_s;
}

void tst_QuoteModel::compactNumber()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(Q::compactNumber(text), expected);
}

void tst_QuoteModel::rejectedSymbolIsUnavailable()
{
    m_model->setSymbols({u"A"_s, u"DOGE-EUR"_s});
    QSignalSpy spy(m_model.get(), &QAbstractItemModel::dataChanged);
    m_model->setSymbolError(u"DOGE-EUR"_s, u"unknown symbol"_s);
    QCOMPARE(spy.size(), 0);
    m_model->flush();
    QCOMPARE(changes(spy), (QList<Change>{{1, 1, sorted({Q::AvailableRole, Q::ErrorRole})}}));
    const QModelIndex doge = m_model->index(1);
    QCOMPARE(doge.data(Q::AvailableRole).toBool(), false);
    QCOMPARE(doge.data(Q::ErrorRole).toString(), u"unknown symbol"_s);
    m_model->setSymbolError(u"DOGE-EUR"_s, QString());
    m_model->flush();
    QCOMPARE(doge.data(Q::AvailableRole).toBool(), true);
}

// A point per SparklineStepMs of ticker time: tickers within a step move its point, a ticker
// of a later step adds one, steps without a ticker repeat the price before them.
void tst_QuoteModel::sparklineFollowsTickerTime()
{
    m_model->setSymbols({u"A"_s});
    const QModelIndex a = m_model->index(0);
    auto tick = [&](std::int64_t ts, const char *last) {
        protocol::Ticker t = ticker(u"A"_s, last);
        t.ts = ts;
        m_model->applyTicker(t);
        m_model->flush();
    };
    auto line = [&] { return a.data(Q::SparklineRole).value<QList<qreal>>(); };
    auto sparklineChanged = [](const QSignalSpy &spy) {
        const QList<Change> all = changes(spy);
        return std::any_of(all.cbegin(), all.cend(),
                           [](const Change &c) { return c.roles.contains(Q::SparklineRole); });
    };
    QSignalSpy spy(m_model.get(), &QAbstractItemModel::dataChanged);
    const std::int64_t t0 = 1'700'000'000'000 - 1'700'000'000'000 % Q::SparklineStepMs;

    tick(t0 + 10, "100");
    QCOMPARE(line(), (QList<qreal>{100}));
    tick(t0 + 2000, "101"); // the same step: its point moves
    QCOMPARE(line(), (QList<qreal>{101}));
    spy.clear();
    tick(t0 + 3000, "101"); // and an unchanged price changes nothing
    QVERIFY(!sparklineChanged(spy));
    tick(t0 + Q::SparklineStepMs, "102"); // the next step
    QCOMPARE(line(), (QList<qreal>{101, 102}));
    tick(t0 + 4 * Q::SparklineStepMs + 1, "99"); // two steps without a ticker
    QCOMPARE(line(), (QList<qreal>{101, 102, 102, 102, 99}));
    tick(t0 + 2 * Q::SparklineStepMs, "98"); // stamped before the newest step: moves the newest
    QCOMPARE(line(), (QList<qreal>{101, 102, 102, 102, 98}));
    spy.clear();
    tick(t0 + 5 * Q::SparklineStepMs, "97");
    QVERIFY(sparklineChanged(spy));
    QCOMPARE(line(), (QList<qreal>{101, 102, 102, 102, 98, 97}));

    // A long silence leaves one full line of the price before it, then the new price.
    tick(t0 + 1000 * Q::SparklineStepMs, "50");
    const QList<qreal> after = line();
    QCOMPARE(after.size(), Q::SparklineLength);
    QCOMPARE(after.count(97.0), Q::SparklineLength - 1);
    QCOMPARE(after.last(), 50.0);

    // Steps are floored, also before the epoch: -1 ms and 0 ms are two steps, not one.
    m_model->setSymbols({u"B"_s});
    const QModelIndex b = m_model->index(0);
    for (const std::int64_t ts : {-Q::SparklineStepMs, std::int64_t(-1), std::int64_t(0)}) {
        protocol::Ticker t = ticker(u"B"_s, QByteArray::number(ts + 10).constData());
        t.ts = ts;
        m_model->applyTicker(t);
    }
    m_model->flush();
    QCOMPARE(b.data(Q::SparklineRole).value<QList<qreal>>(), (QList<qreal>{9, 10}));
}

void tst_QuoteModel::sparklineIsBounded()
{
    m_model->setSymbols({u"A"_s});
    for (int i = 0; i < Q::SparklineLength + 25; ++i) {
        protocol::Ticker t = ticker(u"A"_s, QByteArray::number(i).constData());
        t.ts = i * Q::SparklineStepMs;
        m_model->applyTicker(t);
    }
    m_model->flush();
    const QList<qreal> line = m_model->index(0).data(Q::SparklineRole).value<QList<qreal>>();
    QCOMPARE(line.size(), Q::SparklineLength);
    QCOMPARE(line.first(), 25.0);
    QCOMPARE(line.last(), qreal(Q::SparklineLength + 24));
}

void tst_QuoteModel::resetOnlyWhenSymbolsChange()
{
    QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
    m_model->setSymbols({u"A"_s}); // rows inserted, not a reset
    QCOMPARE(m_model->rowCount(), 1);
    for (int i = 0; i < 10; ++i) {
        m_model->applyTicker(ticker(u"A"_s, QByteArray::number(i + 1).constData()));
        m_model->flush();
    }
    // Data seen before a symbol is shown appears as soon as it is.
    m_model->applyTicker(ticker(u"B"_s, "7"));
    m_model->setSymbols({u"A"_s, u"B"_s});
    QCOMPARE(m_model->index(1).data(Q::LastRole).toString(), u"7"_s);
    QCOMPARE(resets.size(), 0);
    QSignalSpy moves(m_model.get(), &QAbstractItemModel::rowsMoved);
    m_model->setSymbols({u"B"_s, u"A"_s}); // a reorder moves
    QCOMPARE(resets.size(), 0);
    QCOMPARE(moves.size(), 1);
    QCOMPARE(m_model->index(0).data(Q::LastRole).toString(), u"7"_s);
    m_model->setSymbols({u"C"_s, u"D"_s}); // another list
    QCOMPARE(resets.size(), 1);
    QCOMPARE(m_model->symbols(), (QStringList{u"C"_s, u"D"_s}));
}

void tst_QuoteModel::watchlistEditsMoveRows_data()
{
    QTest::addColumn<QStringList>("next");
    QTest::addColumn<int>("removes"); // rowsRemoved signals
    QTest::addColumn<int>("moves"); // rowsMoved signals
    QTest::addColumn<int>("inserts"); // rowsInserted signals
    const QStringList abcde{u"A"_s, u"B"_s, u"C"_s, u"D"_s, u"E"_s};
    const auto list = [](const char *letters) {
        QStringList out;
        for (const char *c = letters; *c; ++c)
            out.append(QString(QLatin1Char(*c)));
        return out;
    };
    QTest::newRow("same") << abcde << 0 << 0 << 0;
    QTest::newRow("append") << list("ABCDEFG") << 0 << 0 << 1;
    QTest::newRow("remove two runs") << list("AD") << 2 << 0 << 0;
    QTest::newRow("remove and append") << list("ACDEX") << 1 << 0 << 1;
    QTest::newRow("insert in the middle") << list("ABXYCDE") << 0 << 0 << 1;
    QTest::newRow("swap neighbours") << list("BACDE") << 0 << 1 << 0;
    QTest::newRow("drag first to last") << list("BCDEA") << 0 << 1 << 0;
    QTest::newRow("drag last to first") << list("EABCD") << 0 << 1 << 0;
    QTest::newRow("reverse") << list("EDCBA") << 0 << 4 << 0;
    QTest::newRow("sort with two out of place") << list("ACBED") << 0 << 2 << 0;
    QTest::newRow("remove, move and insert") << list("DXAE") << 1 << 1 << 1;
}

// Edits, drags and re-sorts keep the views' rows: no reset, as few moves as the order needs,
// and pending changes land on the rows' new numbers.
void tst_QuoteModel::watchlistEditsMoveRows()
{
    QFETCH(QStringList, next);
    QFETCH(int, removes);
    QFETCH(int, moves);
    QFETCH(int, inserts);
    m_model->setSymbols({u"A"_s, u"B"_s, u"C"_s, u"D"_s, u"E"_s});
    for (const QString &s : m_model->symbols())
        m_model->applyTicker(ticker(s, "100"));
    m_model->flush();
    m_model->flush();
    m_model->applyTicker(ticker(u"D"_s, "101"));
    m_model->applyTicker(ticker(u"B"_s, "101"));

    // Every row keeps showing its own symbol through the signals (persistent indexes follow).
    QList<QPersistentModelIndex> before;
    for (int row = 0; row < m_model->rowCount(); ++row)
        before.append(QPersistentModelIndex(m_model->index(row)));
    QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
    QSignalSpy moved(m_model.get(), &QAbstractItemModel::rowsMoved);
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    m_model->setSymbols(next);
    QCOMPARE(removed.size(), removes);
    QCOMPARE(moved.size(), moves);
    QCOMPARE(inserted.size(), inserts);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(m_model->symbols(), next);
    const QStringList abcde{u"A"_s, u"B"_s, u"C"_s, u"D"_s, u"E"_s};
    for (int i = 0; i < before.size(); ++i) {
        if (next.contains(abcde.at(i)))
            QCOMPARE(before.at(i).data(Q::SymbolRole).toString(), abcde.at(i));
        else
            QVERIFY(!before.at(i).isValid());
    }

    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    m_model->flush();
    const int d = int(next.indexOf(u"D"_s));
    if (d < 0)
        return;
    QCOMPARE(m_model->index(d).data(Q::LastRole).toString(), u"101"_s);
    QCOMPARE(m_model->index(d).data(Q::TickDirectionRole).toInt(), 1);
    bool dReported = false;
    for (const Change &c : changes(changed))
        dReported = dReported || (c.first <= d && d <= c.last);
    QVERIFY(dReported);
}

QTEST_GUILESS_MAIN(tst_QuoteModel)
#include "tst_quotemodel.moc"
