#include "watchlists/watchlistmodel.h"
#include "watchlists/watchliststore.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire::watchlists;

namespace {

QStringList rows(const QAbstractItemModel &model)
{
    QStringList symbols;
    for (int row = 0; row < model.rowCount(); ++row)
        symbols << model.index(row, 0).data(WatchlistModel::SymbolRole).toString();
    return symbols;
}

} // namespace

class tst_WatchlistModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void showsCurrentList();
    void insertAndRemoveAreRowSignals();
    void moveUsesBeginMoveRows_data();
    void moveUsesBeginMoveRows();
    void editsOfOtherListsAreIgnored();
    void switchingListsResets();
    void symbolErrorIsRoleScopedDataChange();
    void importInsertsOneRange();
    void errorsComeBackAsText();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<WatchlistStore> m_store;
    std::unique_ptr<WatchlistModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void tst_WatchlistModel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_store = std::make_unique<WatchlistStore>(m_dir->filePath(u"w.json"_s));
    QCOMPARE(m_store->createList(u"Second"_s), QString());
    m_model = std::make_unique<WatchlistModel>(m_store.get());
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void tst_WatchlistModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
    m_store.reset();
}

void tst_WatchlistModel::showsCurrentList()
{
    QCOMPARE(rows(*m_model), defaultWatchlist().symbols);
    QCOMPARE(m_model->count(), defaultWatchlist().symbols.size());
    const QModelIndex first = m_model->index(0, 0);
    QCOMPARE(first.data(Qt::DisplayRole).toString(), u"BTC-USD"_s);
    QCOMPARE(first.data(WatchlistModel::AvailableRole).toBool(), true);
    QCOMPARE(first.data(WatchlistModel::ErrorTextRole).toString(), QString());
    QCOMPARE(m_model->roleNames().value(WatchlistModel::SymbolRole), QByteArray("symbol"));
    QCOMPARE(m_model->symbolAt(1), u"ETH-USD"_s);
    QCOMPARE(m_model->symbolAt(99), QString());
}

void tst_WatchlistModel::insertAndRemoveAreRowSignals()
{
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    QSignalSpy count(m_model.get(), &WatchlistModel::countChanged);
    const int size = m_model->rowCount();

    QCOMPARE(m_model->addSymbol(u"tsla"_s), QString());
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), size);
    QCOMPARE(inserted.first().at(2).toInt(), size);
    QCOMPARE(m_model->symbolAt(size), u"TSLA"_s);

    QCOMPARE(m_model->removeAt(0), QString());
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.first().at(1).toInt(), 0);
    QCOMPARE(rows(*m_model), m_store->symbols(0));
    QCOMPARE(count.count(), 2);
    QCOMPARE(reset.count(), 0);
}

void tst_WatchlistModel::moveUsesBeginMoveRows_data()
{
    QTest::addColumn<int>("from");
    QTest::addColumn<int>("to");
    QTest::addColumn<int>("destinationRow"); // as reported by rowsMoved
    QTest::newRow("down") << 0 << 3 << 4;
    QTest::newRow("up") << 5 << 1 << 1;
    QTest::newRow("to end") << 0 << 9 << 10;
    QTest::newRow("one down") << 2 << 3 << 4;
}

void tst_WatchlistModel::moveUsesBeginMoveRows()
{
    QFETCH(int, from);
    QFETCH(int, to);
    QFETCH(int, destinationRow);
    QSignalSpy moved(m_model.get(), &QAbstractItemModel::rowsMoved);
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    QStringList expected = rows(*m_model);
    expected.move(from, to);

    QCOMPARE(m_model->moveSymbol(from, to), QString());
    QCOMPARE(moved.count(), 1);
    QCOMPARE(moved.first().at(1).toInt(), from);
    QCOMPARE(moved.first().at(4).toInt(), destinationRow);
    QCOMPARE(rows(*m_model), expected);
    QCOMPARE(m_store->symbols(0), expected);
    QCOMPARE(reset.count(), 0);
}

void tst_WatchlistModel::editsOfOtherListsAreIgnored()
{
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    const QStringList before = rows(*m_model);
    QCOMPARE(m_store->addSymbol(1, u"XOM"_s), QString());
    QCOMPARE(m_store->addSymbol(1, u"CVX"_s), QString());
    QCOMPARE(m_store->moveSymbol(1, 0, 1), QString());
    QCOMPARE(m_store->removeSymbol(1, 0), QString());
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(rows(*m_model), before);
}

void tst_WatchlistModel::switchingListsResets()
{
    QCOMPARE(m_store->addSymbol(1, u"XOM"_s), QString());
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    m_store->setCurrentIndex(1);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(rows(*m_model), QStringList{u"XOM"_s});
    QCOMPARE(m_model->addSymbol(u"CVX"_s), QString());
    QCOMPARE(m_store->symbols(1), (QStringList{u"XOM"_s, u"CVX"_s}));

    // Deleting the visible list shows another one.
    QCOMPARE(m_store->deleteList(1), QString());
    QCOMPARE(reset.count(), 2);
    QCOMPARE(rows(*m_model), m_store->symbols(0));
    QCOMPARE(m_store->undoDelete(), QString()); // restored, but not on screen
    QCOMPARE(reset.count(), 2);
}

void tst_WatchlistModel::symbolErrorIsRoleScopedDataChange()
{
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    m_store->setSymbolError(u"SOL-USD"_s, u"unknown symbol \"SOL-USD\""_s);
    m_store->setSymbolError(u"NOT-LISTED"_s, u"x"_s);
    QCOMPARE(changed.count(), 1);
    const QModelIndex index = changed.first().at(0).toModelIndex();
    QCOMPARE(index.row(), 2);
    QCOMPARE(changed.first().at(1).toModelIndex(), index);
    const auto roles = changed.first().at(2).value<QList<int>>();
    QCOMPARE(roles, (QList<int>{WatchlistModel::AvailableRole, WatchlistModel::ErrorTextRole}));
    QCOMPARE(index.data(WatchlistModel::AvailableRole).toBool(), false);
    QCOMPARE(index.data(WatchlistModel::ErrorTextRole).toString(), u"unknown symbol \"SOL-USD\""_s);
    QCOMPARE(m_model->rowCount(), defaultWatchlist().symbols.size()); // still listed
}

void tst_WatchlistModel::importInsertsOneRange()
{
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    const int size = m_model->rowCount();
    QCOMPARE(m_store->importText(0, u"IBM\nORCL\nAAPL\nSAP"_s).added, 3);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), size);
    QCOMPARE(inserted.first().at(2).toInt(), size + 2);
    QCOMPARE(rows(*m_model).mid(size), (QStringList{u"IBM"_s, u"ORCL"_s, u"SAP"_s}));
}

void tst_WatchlistModel::errorsComeBackAsText()
{
    QVERIFY(m_model->addSymbol(u"BTC-USD"_s).contains(u"already"_s));
    QVERIFY(!m_model->removeAt(-1).isEmpty());
    QVERIFY(!m_model->moveSymbol(0, 99).isEmpty());
    QCOMPARE(rows(*m_model), defaultWatchlist().symbols);
}

QTEST_GUILESS_MAIN(tst_WatchlistModel)
#include "tst_watchlistmodel.moc"
