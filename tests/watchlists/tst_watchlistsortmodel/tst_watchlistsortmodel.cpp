#include "watchlists/watchlistmodel.h"
#include "watchlists/watchlistsortmodel.h"
#include "watchlists/watchliststore.h"

#include <QtCore/QHash>
#include <QtCore/QTemporaryDir>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::watchlists;

namespace {

Decimal dec(const char *text)
{
    return *Decimal::parse(QByteArrayView(text));
}

QStringList rows(const QAbstractItemModel &model)
{
    QStringList symbols;
    for (int row = 0; row < model.rowCount(); ++row)
        symbols << model.index(row, 0).data(WatchlistModel::SymbolRole).toString();
    return symbols;
}

} // namespace

class tst_WatchlistSortModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void sortThenRestoreUserOrder_data();
    void sortThenRestoreUserOrder();
    void missingValuesSortLast_data();
    void missingValuesSortLast();
    void newValuesNeedInvalidate();
    void refusesUnsortableColumns();
    void editsWhileSortedKeepUserOrderInSource();
    void sortIsKeptPerListInStore();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<WatchlistStore> m_store;
    std::unique_ptr<WatchlistModel> m_model;
    std::unique_ptr<WatchlistSortModel> m_sorted;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    QHash<QString, Decimal> m_last; // the "quotes" the key provider reads
    QHash<QString, Decimal> m_volume;
};

void tst_WatchlistSortModel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_store = std::make_unique<WatchlistStore>(m_dir->filePath(u"w.json"_s));
    QCOMPARE(m_store->createList(u"Test"_s), QString());
    m_store->setCurrentIndex(1);
    for (const char *symbol : {"C", "A", "D", "B"})
        QCOMPARE(m_store->addSymbol(1, QString::fromLatin1(symbol)), QString());
    m_last = {
        {u"A"_s, dec("10.5")}, {u"B"_s, dec("2")}, {u"C"_s, dec("10.25")}, {u"D"_s, dec("-1")}};
    m_volume = {{u"A"_s, dec("5")}, {u"B"_s, dec("5")}, {u"C"_s, dec("1")}};

    m_model = std::make_unique<WatchlistModel>(m_store.get());
    m_sorted = std::make_unique<WatchlistSortModel>();
    m_sorted->setSourceModel(m_model.get());
    m_sorted->setKeyProvider(
        [this](const QString &symbol, Column column) -> std::optional<Decimal> {
            const auto &table = column == Column::Volume ? m_volume : m_last;
            const auto it = table.constFind(symbol);
            return it == table.cend() ? std::nullopt : std::optional<Decimal>(*it);
        });
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_sorted.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void tst_WatchlistSortModel::cleanup()
{
    m_tester.reset();
    m_sorted.reset();
    m_model.reset();
    m_store.reset();
}

void tst_WatchlistSortModel::sortThenRestoreUserOrder_data()
{
    QTest::addColumn<QString>("column");
    QTest::addColumn<bool>("descending");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("last ascending")
        << u"last"_s << false << QStringList{u"D"_s, u"B"_s, u"C"_s, u"A"_s};
    QTest::newRow("last descending")
        << u"last"_s << true << QStringList{u"A"_s, u"C"_s, u"B"_s, u"D"_s};
    // Ties keep the user's order (A before B in the list? no: C A D B, so A then B).
    QTest::newRow("volume ties stable")
        << u"volume"_s << false << QStringList{u"C"_s, u"A"_s, u"B"_s, u"D"_s};
}

void tst_WatchlistSortModel::sortThenRestoreUserOrder()
{
    QFETCH(QString, column);
    QFETCH(bool, descending);
    QFETCH(QStringList, expected);
    const QStringList userOrder{u"C"_s, u"A"_s, u"D"_s, u"B"_s};
    QCOMPARE(rows(*m_sorted), userOrder);
    QSignalSpy state(m_sorted.get(), &WatchlistSortModel::sortStateChanged);

    QCOMPARE(m_sorted->setSort(column, descending), QString());
    QVERIFY(m_sorted->sorted());
    QCOMPARE(m_sorted->sortColumnName(), column);
    QCOMPARE(m_sorted->descending(), descending);
    QCOMPARE(rows(*m_sorted), expected);
    QCOMPARE(rows(*m_model), userOrder); // the source is untouched
    QCOMPARE(m_store->symbols(1), userOrder);
    QCOMPARE(m_sorted->sourceRow(0), int(userOrder.indexOf(expected.first())));

    m_sorted->restoreUserOrder();
    QVERIFY(!m_sorted->sorted());
    QCOMPARE(rows(*m_sorted), userOrder);
    QCOMPARE(state.count(), 2);

    // The header-click cycle: sort ascending, click again, user order.
    QCOMPARE(m_sorted->toggleSort(column), QString());
    QCOMPARE(m_sorted->descending(), false);
    QVERIFY(m_sorted->sorted());
    QCOMPARE(m_sorted->toggleSort(column), QString());
    QVERIFY(!m_sorted->sorted());
    QCOMPARE(rows(*m_sorted), userOrder);
}

void tst_WatchlistSortModel::missingValuesSortLast_data()
{
    QTest::addColumn<bool>("descending");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("ascending") << false << QStringList{u"C"_s, u"A"_s, u"B"_s, u"D"_s};
    QTest::newRow("descending") << true << QStringList{u"A"_s, u"B"_s, u"C"_s, u"D"_s};
}

void tst_WatchlistSortModel::missingValuesSortLast()
{
    QFETCH(bool, descending);
    QFETCH(QStringList, expected);
    QCOMPARE(m_sorted->setSort(u"volume"_s, descending), QString()); // D has no volume
    QCOMPARE(rows(*m_sorted), expected);
}

void tst_WatchlistSortModel::newValuesNeedInvalidate()
{
    QCOMPARE(m_sorted->setSort(u"last"_s, false), QString());
    QCOMPARE(rows(*m_sorted), (QStringList{u"D"_s, u"B"_s, u"C"_s, u"A"_s}));
    m_last[u"A"_s] = dec("-5");
    QCOMPARE(rows(*m_sorted).first(), u"D"_s); // not live per tick
    m_sorted->invalidateKeys();
    QCOMPARE(rows(*m_sorted), (QStringList{u"A"_s, u"D"_s, u"B"_s, u"C"_s}));
}

void tst_WatchlistSortModel::refusesUnsortableColumns()
{
    QSignalSpy state(m_sorted.get(), &WatchlistSortModel::sortStateChanged);
    QVERIFY(m_sorted->toggleSort(u"sparkline"_s).contains(u"cannot be sorted"_s));
    QVERIFY(m_sorted->setSort(u"sparkline"_s, true).contains(u"cannot be sorted"_s));
    QVERIFY(m_sorted->toggleSort(u"pe"_s).contains(u"no column"_s));
    QVERIFY(!m_sorted->setSortState(SortState{Column::Sparkline, false}));
    QCOMPARE(state.count(), 0);
    QVERIFY(!m_sorted->sorted());
}

void tst_WatchlistSortModel::editsWhileSortedKeepUserOrderInSource()
{
    QCOMPARE(m_sorted->setSort(u"last"_s, true), QString());
    m_last[u"E"_s] = dec("100");
    QCOMPARE(m_store->addSymbol(1, u"E"_s), QString());
    QCOMPARE(m_store->removeSymbol(1, 0), QString()); // C
    QCOMPARE(m_store->moveSymbol(1, 0, 2), QString()); // A to the end
    QCOMPARE(m_store->symbols(1), (QStringList{u"D"_s, u"B"_s, u"A"_s, u"E"_s}));
    m_sorted->invalidateKeys();
    QCOMPARE(rows(*m_sorted), (QStringList{u"E"_s, u"A"_s, u"B"_s, u"D"_s}));
    m_sorted->restoreUserOrder();
    QCOMPARE(rows(*m_sorted), m_store->symbols(1));
}

void tst_WatchlistSortModel::sortIsKeptPerListInStore()
{
    const QStringList userOrder{u"C"_s, u"A"_s, u"D"_s, u"B"_s};
    QCOMPARE(m_store->setSort(1, u"last"_s, true), QString()); // saved earlier
    QSignalSpy state(m_sorted.get(), &WatchlistSortModel::sortStateChanged);
    m_sorted->bindToStore(m_store.get());
    QCOMPARE(state.count(), 1);
    QCOMPARE(rows(*m_sorted), (QStringList{u"A"_s, u"C"_s, u"B"_s, u"D"_s}));

    // A header click is saved with the list, and announced once.
    QCOMPARE(m_sorted->toggleSort(u"volume"_s), QString());
    QCOMPARE(state.count(), 2);
    QCOMPARE(m_store->sortColumn(1), u"volume"_s);
    QVERIFY(!m_store->sortDescending(1));

    // Another list shows with its own (absent) sort, in its user order.
    m_store->setCurrentIndex(0);
    QVERIFY(!m_sorted->sorted());
    QCOMPARE(rows(*m_sorted), m_store->symbols(0));
    QCOMPARE(m_store->sortColumn(1), u"volume"_s); // untouched

    // Back: sorted again, by the saved column.
    m_store->setCurrentIndex(1);
    QCOMPARE(m_sorted->sortColumnName(), u"volume"_s);
    QCOMPARE(rows(*m_sorted), (QStringList{u"C"_s, u"A"_s, u"B"_s, u"D"_s}));

    // A second click restores the user order, in the view and in the store.
    QCOMPARE(m_sorted->toggleSort(u"volume"_s), QString());
    QCOMPARE(m_store->sortColumn(1), QString());
    QCOMPARE(rows(*m_sorted), userOrder);

    // Changes made to the store directly show in the view.
    QCOMPARE(m_store->setSort(1, u"last"_s, false), QString());
    QCOMPARE(rows(*m_sorted), (QStringList{u"D"_s, u"B"_s, u"C"_s, u"A"_s}));
    m_sorted->bindToStore(nullptr);
    QCOMPARE(m_store->setSort(1, QString(), false), QString());
    QVERIFY(m_sorted->sorted()); // unbound: no longer follows
}

QTEST_GUILESS_MAIN(tst_WatchlistSortModel)
#include "tst_watchlistsortmodel.moc"
