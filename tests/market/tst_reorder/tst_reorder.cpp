#include "market/reorder.h"

#include <QtCore/QRandomGenerator>
#include <QtTest/QTest>

#include <algorithm>
#include <numeric>

using namespace tickwire::market;

class tst_Reorder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fewestMoves_data();
    void fewestMoves();
    void randomPermutationsEndSorted();
};

namespace {

// Applies the moves to a copy and returns it with the number of moves.
std::pair<std::vector<int>, int> run(const std::vector<int> &targetOf)
{
    std::vector<int> items = targetOf;
    int moves = 0;
    reorderByMoves(targetOf, [&](int from, int to) {
        QVERIFY(from != to);
        QVERIFY(from >= 0 && from < int(items.size()) && to >= 0 && to < int(items.size()));
        const int item = items[std::size_t(from)];
        items.erase(items.begin() + from);
        items.insert(items.begin() + to, item);
        ++moves;
    });
    return {items, moves};
}

int longestIncreasing(const std::vector<int> &v)
{
    std::vector<int> tails;
    for (int x : v) {
        const auto it = std::lower_bound(tails.begin(), tails.end(), x);
        if (it == tails.end())
            tails.push_back(x);
        else
            *it = x;
    }
    return int(tails.size());
}

} // namespace

void tst_Reorder::fewestMoves_data()
{
    QTest::addColumn<QList<int>>("targetOf");
    QTest::addColumn<int>("moves");
    QTest::newRow("empty") << QList<int>{} << 0;
    QTest::newRow("in order") << QList<int>{0, 1, 2, 3} << 0;
    QTest::newRow("last to first") << QList<int>{1, 2, 3, 0} << 1;
    QTest::newRow("first to last") << QList<int>{3, 0, 1, 2} << 1;
    QTest::newRow("swap") << QList<int>{1, 0} << 1;
    QTest::newRow("reverse") << QList<int>{4, 3, 2, 1, 0} << 4;
    QTest::newRow("two apart") << QList<int>{0, 3, 2, 1, 4} << 2;
}

void tst_Reorder::fewestMoves()
{
    QFETCH(QList<int>, targetOf);
    QFETCH(int, moves);
    const auto [items, count] = run(std::vector<int>(targetOf.cbegin(), targetOf.cend()));
    QVERIFY(std::is_sorted(items.begin(), items.end()));
    QCOMPARE(count, moves);
}

void tst_Reorder::randomPermutationsEndSorted()
{
    QRandomGenerator random(20261206);
    for (int round = 0; round < 500; ++round) {
        std::vector<int> targetOf(std::size_t(random.bounded(0, 40)));
        std::iota(targetOf.begin(), targetOf.end(), 0);
        // Mostly-sorted lists (a re-sort after a few prices moved) and shuffled ones.
        const int swaps = round % 2 ? int(targetOf.size()) : random.bounded(0, 3);
        for (int i = 0; i < swaps && targetOf.size() > 1; ++i)
            std::swap(targetOf[random.bounded(std::uint32_t(targetOf.size()))],
                      targetOf[random.bounded(std::uint32_t(targetOf.size()))]);
        const auto [items, count] = run(targetOf);
        QVERIFY(std::is_sorted(items.begin(), items.end()));
        QCOMPARE(count, int(targetOf.size()) - longestIncreasing(targetOf));
    }
}

QTEST_GUILESS_MAIN(tst_Reorder)
#include "tst_reorder.moc"
