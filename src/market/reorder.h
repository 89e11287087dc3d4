#pragma once

#include <QtCore/QtGlobal>

#include <algorithm>
#include <vector>

namespace tickwire::market {

// The single-row moves that sort a permutation: `targetOf[i]` is where the item now at row i
// belongs. Items on a longest run already in order stay put, so a model announces as few
// moves as the change needs (one drag is one move, a re-sort moves only what changed place).
// move(from, to) has QList::move semantics (afterwards the item is at `to`) and is called
// once per move, in order, before the next is computed; it does the model's begin/endMoveRows.
template<typename Move> void reorderByMoves(std::vector<int> targetOf, Move &&move)
{
    const int n = int(targetOf.size());
    // Longest increasing subsequence of targetOf (patience sorting), marked in `keep`.
    std::vector<int> tails; // row of the smallest tail of a run of each length
    std::vector<int> previous(std::size_t(n), -1);
    for (int row = 0; row < n; ++row) {
        const auto it = std::lower_bound(
            tails.begin(), tails.end(), targetOf[std::size_t(row)],
            [&](int tailRow, int value) { return targetOf[std::size_t(tailRow)] < value; });
        if (it != tails.begin())
            previous[std::size_t(row)] = *(it - 1);
        if (it == tails.end())
            tails.push_back(row);
        else
            *it = row;
    }
    std::vector<bool> keep(std::size_t(n), false); // by target position
    for (int row = tails.empty() ? -1 : tails.back(); row >= 0; row = previous[std::size_t(row)])
        keep[std::size_t(targetOf[std::size_t(row)])] = true;

    // Each moved item goes right after its predecessor in the target order; the predecessors
    // are in order already, and ahead of every kept item still to come.
    std::vector<int> rows = std::move(targetOf); // rows[i]: target position of the item at row i
    const auto rowOf = [&](int target) {
        return int(std::find(rows.begin(), rows.end(), target) - rows.begin());
    };
    for (int target = 0; target < n; ++target) {
        if (keep[std::size_t(target)])
            continue;
        const int from = rowOf(target);
        const int after = target == 0 ? -1 : rowOf(target - 1);
        const int to = from > after ? after + 1 : after;
        if (to == from)
            continue;
        move(from, to);
        const int item = rows[std::size_t(from)];
        rows.erase(rows.begin() + from);
        rows.insert(rows.begin() + to, item);
    }
    Q_ASSERT(std::is_sorted(rows.begin(), rows.end()));
}

} // namespace tickwire::market
