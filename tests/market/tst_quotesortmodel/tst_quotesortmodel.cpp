#include "../marketfixtures.h"
#include "market/quotesortmodel.h"

#include <QtTest/QAbstractItemModelTester>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::market;
using namespace tickwire::market::test;
using Q = QuoteModel;

// The watchlist's sorted view: typed keys, moves only (a view keeps its rows), and the
// source's edits followed in both the user's order and a sorted one.
class tst_QuoteSortModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void unsortedIsTheUsersOrder();
    void sortsByTypedValue();
    void resortMovesRowsWithoutReset();
    void restoringTheUsersOrderMoves();
    void dataChangesFollowTheirRows();
    void sourceEditsWhileSorted();
    void dragInTheUsersOrder();
    void refusesRolesWithoutValue();
    void anotherListResets();

private:
    [[nodiscard]] QStringList shown() const;
    void setLast(const QString &symbol, const char *last);

    InstrumentTable m_instruments;
    std::unique_ptr<QuoteModel> m_quotes;
    std::unique_ptr<QuoteSortModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    std::unique_ptr<QSignalSpy> m_resets;
    std::unique_ptr<QSignalSpy> m_layouts;
};

void tst_QuoteSortModel::init()
{
    m_quotes = std::make_unique<QuoteModel>(&m_instruments);
    m_model = std::make_unique<QuoteSortModel>(m_quotes.get());
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_quotes->setSymbols({u"A"_s, u"B"_s, u"C"_s, u"D"_s});
    // A 10, B 30, C 20; D has no ticker.
    setLast(u"A"_s, "10");
    setLast(u"B"_s, "30");
    setLast(u"C"_s, "20");
    m_resets = std::make_unique<QSignalSpy>(m_model.get(), &QAbstractItemModel::modelReset);
    m_layouts = std::make_unique<QSignalSpy>(m_model.get(), &QAbstractItemModel::layoutChanged);
}

void tst_QuoteSortModel::cleanup()
{
    // A re-sort, a drag or an edit never resets the view or changes its layout wholesale.
    if (!QTest::currentTestFailed()
        && QTest::currentTestFunction() != QByteArray("anotherListResets")) {
        QCOMPARE(m_resets->size(), 0);
        QCOMPARE(m_layouts->size(), 0);
    }
    m_tester.reset();
    m_model.reset();
    m_quotes.reset();
}

QStringList tst_QuoteSortModel::shown() const
{
    QStringList out;
    for (int row = 0; row < m_model->rowCount(); ++row)
        out.append(m_model->index(row, 0).data(Q::SymbolRole).toString());
    return out;
}

void tst_QuoteSortModel::setLast(const QString &symbol, const char *last)
{
    m_quotes->applyTicker(ticker(symbol, last, last, last));
    m_quotes->flush();
}

void tst_QuoteSortModel::unsortedIsTheUsersOrder()
{
    QVERIFY(!m_model->isSorted());
    QCOMPARE(shown(), (QStringList{u"A"_s, u"B"_s, u"C"_s, u"D"_s}));
    QCOMPARE(m_model->index(1, 0).data(Q::LastRole).toString(), u"30"_s);
}

void tst_QuoteSortModel::sortsByTypedValue()
{
    // Text order would put "100" before "20": the keys are numbers.
    setLast(u"A"_s, "100");
    QSignalSpy sortChanged(m_model.get(), &QuoteSortModel::sortChanged);
    QVERIFY(m_model->setSort(Q::LastRole, false));
    QCOMPARE(sortChanged.size(), 1);
    QCOMPARE(shown(), (QStringList{u"C"_s, u"B"_s, u"A"_s, u"D"_s})); // D has no value: last
    QVERIFY(m_model->setSort(Q::LastRole, true));
    QCOMPARE(shown(), (QStringList{u"A"_s, u"B"_s, u"C"_s, u"D"_s})); // still last
    QVERIFY(m_model->setSort(Q::LastRole, true));
    QCOMPARE(sortChanged.size(), 2); // same sort: no signal
    // Ties keep the user's order.
    setLast(u"C"_s, "30");
    m_model->resort();
    QCOMPARE(shown(), (QStringList{u"A"_s, u"B"_s, u"C"_s, u"D"_s}));
}

void tst_QuoteSortModel::resortMovesRowsWithoutReset()
{
    QVERIFY(m_model->setSort(Q::LastRole, false));
    QCOMPARE(shown(), (QStringList{u"A"_s, u"C"_s, u"B"_s, u"D"_s}));
    const QPersistentModelIndex b(m_model->index(2, 0));
    QSignalSpy moves(m_model.get(), &QAbstractItemModel::rowsMoved);
    setLast(u"B"_s, "5"); // B jumps to the top
    QCOMPARE(moves.size(), 0); // not live per tick
    m_model->resort();
    QCOMPARE(shown(), (QStringList{u"B"_s, u"A"_s, u"C"_s, u"D"_s}));
    QCOMPARE(moves.size(), 1);
    QCOMPARE(b.row(), 0);
    QCOMPARE(b.data(Q::SymbolRole).toString(), u"B"_s);
    m_model->resort();
    QCOMPARE(moves.size(), 1); // nothing changed place
}

void tst_QuoteSortModel::restoringTheUsersOrderMoves()
{
    QVERIFY(m_model->setSort(Q::LastRole, true)); // B C A D
    QCOMPARE(shown(), (QStringList{u"B"_s, u"C"_s, u"A"_s, u"D"_s}));
    QSignalSpy moves(m_model.get(), &QAbstractItemModel::rowsMoved);
    QVERIFY(m_model->setSort(std::nullopt, false));
    QVERIFY(!m_model->isSorted());
    QCOMPARE(shown(), (QStringList{u"A"_s, u"B"_s, u"C"_s, u"D"_s}));
    QCOMPARE(moves.size(), 1);
}

void tst_QuoteSortModel::dataChangesFollowTheirRows()
{
    QVERIFY(m_model->setSort(Q::LastRole, true)); // B C A D
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    m_quotes->applyTicker(ticker(u"A"_s, "11", "11", "11"));
    m_quotes->applyTicker(ticker(u"B"_s, "31", "31", "31"));
    m_quotes->flush(); // source rows 0..1 changed: our rows 2 and 0, reported apart
    QList<int> rows;
    for (const Change &c : changes(changed)) {
        QCOMPARE(c.first, c.last);
        rows.append(c.first);
    }
    std::sort(rows.begin(), rows.end());
    QCOMPARE(rows, (QList<int>{0, 2}));
    QCOMPARE(m_model->index(2, 0).data(Q::LastRole).toString(), u"11"_s);
}

void tst_QuoteSortModel::sourceEditsWhileSorted()
{
    QVERIFY(m_model->setSort(Q::LastRole, false)); // A C B D
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
    m_quotes->applyTicker(ticker(u"E"_s, "15", "15", "15"));
    m_quotes->setSymbols({u"E"_s, u"A"_s, u"B"_s, u"C"_s, u"D"_s}); // E added at the top
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(shown(), (QStringList{u"A"_s, u"C"_s, u"B"_s, u"D"_s, u"E"_s})); // at the end
    m_model->resort();
    QCOMPARE(shown(), (QStringList{u"A"_s, u"E"_s, u"C"_s, u"B"_s, u"D"_s}));
    m_quotes->setSymbols({u"E"_s, u"B"_s, u"D"_s}); // A and C removed
    QCOMPARE(removed.size(), 2); // not next to each other in the sorted view
    QCOMPARE(shown(), (QStringList{u"E"_s, u"B"_s, u"D"_s}));
    // A drag in the source does not move a sorted view; its rows still map right.
    m_quotes->setSymbols({u"D"_s, u"E"_s, u"B"_s});
    QCOMPARE(shown(), (QStringList{u"E"_s, u"B"_s, u"D"_s}));
    QCOMPARE(m_model->mapToSource(m_model->index(2, 0)).row(), 0);
    QVERIFY(m_model->setSort(std::nullopt, false));
    QCOMPARE(shown(), (QStringList{u"D"_s, u"E"_s, u"B"_s}));
}

void tst_QuoteSortModel::dragInTheUsersOrder()
{
    QSignalSpy moves(m_model.get(), &QAbstractItemModel::rowsMoved);
    const QPersistentModelIndex a(m_model->index(0, 0));
    m_quotes->setSymbols({u"B"_s, u"C"_s, u"A"_s, u"D"_s}); // A dragged below C
    QCOMPARE(moves.size(), 1);
    QCOMPARE(shown(), (QStringList{u"B"_s, u"C"_s, u"A"_s, u"D"_s}));
    QCOMPARE(a.row(), 2);
    m_quotes->setSymbols({u"D"_s, u"B"_s, u"C"_s, u"A"_s}); // D dragged to the top
    QCOMPARE(moves.size(), 2);
    QCOMPARE(shown(), (QStringList{u"D"_s, u"B"_s, u"C"_s, u"A"_s}));
    QCOMPARE(a.row(), 3);
}

void tst_QuoteSortModel::refusesRolesWithoutValue()
{
    QVERIFY(!m_model->setSort(Q::SparklineRole, false));
    QVERIFY(!m_model->setSort(Q::SymbolRole, false));
    QVERIFY(!m_model->isSorted());
    QCOMPARE(shown(), (QStringList{u"A"_s, u"B"_s, u"C"_s, u"D"_s}));
}

void tst_QuoteSortModel::anotherListResets()
{
    QVERIFY(m_model->setSort(Q::LastRole, false));
    m_quotes->setSymbols({u"X"_s, u"Y"_s}); // another watchlist: a true reset
    QCOMPARE(m_resets->size(), 1);
    QCOMPARE(shown(), (QStringList{u"X"_s, u"Y"_s}));
}

QTEST_GUILESS_MAIN(tst_QuoteSortModel)
#include "tst_quotesortmodel.moc"
