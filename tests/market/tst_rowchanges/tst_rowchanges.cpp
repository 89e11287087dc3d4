#include "market/rowchanges.h"

#include <QtTest/QTest>

using namespace tickwire::market;

namespace {

struct Range
{
    int first, last;
    QList<int> roles;
    friend bool operator==(const Range &, const Range &) = default;
};

using Marks = QList<QPair<int, int>>; // (row, role offset from Qt::UserRole)

} // namespace

Q_DECLARE_METATYPE(Range)

class tst_RowChanges : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void mergesAdjacentRows_data();
    void mergesAdjacentRows();
    void forgetsAfterTake();
    void unmarkDropsRow();
    void rolesOutsideTheMaskAreIgnored();
};

void tst_RowChanges::mergesAdjacentRows_data()
{
    QTest::addColumn<Marks>("marks");
    QTest::addColumn<QList<Range>>("expected");
    const int u = Qt::UserRole;
    QTest::newRow("single") << Marks{{3, 1}} << QList<Range>{{3, 3, {u + 1}}};
    QTest::newRow("adjacent union of roles")
        << Marks{{5, 2}, {4, 0}, {6, 2}} << QList<Range>{{4, 6, {u, u + 2}}};
    QTest::newRow("gap splits") << Marks{{0, 0}, {1, 0}, {3, 1}, {9, 3}, {8, 3}}
                                << QList<Range>{{0, 1, {u}}, {3, 3, {u + 1}}, {8, 9, {u + 3}}};
    QTest::newRow("same row twice")
        << Marks{{2, 0}, {2, 0}, {2, 5}} << QList<Range>{{2, 2, {u, u + 5}}};
}

void tst_RowChanges::mergesAdjacentRows()
{
    QFETCH(Marks, marks);
    QFETCH(QList<Range>, expected);
    RowChanges changes;
    for (const auto &[row, role] : marks)
        changes.mark(row, Qt::UserRole + role);
    QList<Range> got;
    changes.take([&](int first, int last, const QList<int> &roles) {
        got.append(Range{first, last, roles});
    });
    QCOMPARE(got.size(), expected.size());
    for (qsizetype i = 0; i < got.size(); ++i) {
        QCOMPARE(got.at(i).first, expected.at(i).first);
        QCOMPARE(got.at(i).last, expected.at(i).last);
        QCOMPARE(got.at(i).roles, expected.at(i).roles);
    }
}

void tst_RowChanges::forgetsAfterTake()
{
    RowChanges changes;
    changes.mark(1, Qt::UserRole);
    int calls = 0;
    changes.take([&](int, int, const QList<int> &) { ++calls; });
    QCOMPARE(calls, 1);
    QVERIFY(changes.isEmpty());
    changes.take([&](int, int, const QList<int> &) { ++calls; });
    QCOMPARE(calls, 1);
}

void tst_RowChanges::unmarkDropsRow()
{
    RowChanges changes;
    changes.mark(1, Qt::UserRole);
    changes.mark(2, Qt::UserRole);
    changes.mark(3, Qt::UserRole);
    changes.unmark(2);
    changes.unmark(7); // never marked: harmless
    QList<QPair<int, int>> got;
    changes.take([&](int first, int last, const QList<int> &) { got.append({first, last}); });
    QCOMPARE(got, (QList<QPair<int, int>>{{1, 1}, {3, 3}}));
}

void tst_RowChanges::rolesOutsideTheMaskAreIgnored()
{
    RowChanges changes;
    changes.mark(0, Qt::DisplayRole); // below UserRole: not a model role of ours
    changes.mark(0, Qt::UserRole + 64);
    QVERIFY(changes.isEmpty());
}

QTEST_GUILESS_MAIN(tst_RowChanges)
#include "tst_rowchanges.moc"
