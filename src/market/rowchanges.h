#pragma once

#include <QtCore/QList>
#include <QtCore/QtGlobal>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <vector>

namespace tickwire::market {

// Collects which roles of which rows changed between two frames, then reports them as
// contiguous row ranges with the union of their changed roles (KDToolBox-style merging).
// Roles are numbered from Qt::UserRole; at most 64 roles per model. Not thread-safe.
class RowChanges
{
public:
    void mark(int row, int role) { markMask(row, bitOf(role)); }
    void markMask(int row, std::uint64_t roles)
    {
        if (roles == 0 || row < 0)
            return;
        if (std::size_t(row) >= m_masks.size())
            m_masks.resize(std::size_t(row) + 1, 0);
        if (m_masks[std::size_t(row)] == 0)
            m_dirty.push_back(row);
        m_masks[std::size_t(row)] |= roles;
    }
    // Forgets a row's changes (e.g. it is about to be removed). O(changed rows).
    void unmark(int row)
    {
        if (rolesOf(row) == 0)
            return;
        m_masks[std::size_t(row)] = 0;
        m_dirty.erase(std::find(m_dirty.begin(), m_dirty.end(), row));
    }
    // Rows moved (rows were removed or inserted before flushing): newRow(oldRow) gives the
    // new number of a row, or -1 for a removed row, whose changes are dropped. O(changed rows).
    template<typename NewRow> void remap(NewRow &&newRow)
    {
        std::vector<std::pair<int, std::uint64_t>> kept;
        kept.reserve(m_dirty.size());
        for (int row : m_dirty) {
            const int moved = newRow(row);
            if (moved >= 0)
                kept.emplace_back(moved, m_masks[std::size_t(row)]);
        }
        clear();
        for (const auto &[row, roles] : kept)
            markMask(row, roles);
    }
    [[nodiscard]] bool isEmpty() const { return m_dirty.empty(); }
    [[nodiscard]] std::uint64_t rolesOf(int row) const
    {
        return std::size_t(row) < m_masks.size() ? m_masks[std::size_t(row)] : 0;
    }
    void clear()
    {
        for (int row : m_dirty)
            m_masks[std::size_t(row)] = 0;
        m_dirty.clear();
    }

    // Calls emitRange(first, last, roles) once per contiguous range of changed rows, in
    // ascending order, then forgets everything. Cost: O(k log k) for k changed rows.
    template<typename EmitRange> void take(EmitRange &&emitRange)
    {
        std::sort(m_dirty.begin(), m_dirty.end());
        std::size_t i = 0;
        while (i < m_dirty.size()) {
            const int first = m_dirty[i];
            int last = first;
            std::uint64_t roles = m_masks[std::size_t(first)];
            while (i + 1 < m_dirty.size() && m_dirty[i + 1] == last + 1) {
                ++i;
                last = m_dirty[i];
                roles |= m_masks[std::size_t(last)];
            }
            ++i;
            emitRange(first, last, rolesFromMask(roles));
        }
        clear();
    }

    [[nodiscard]] static constexpr std::uint64_t bitOf(int role)
    {
        const int bit = role - Qt::UserRole;
        return bit >= 0 && bit < 64 ? std::uint64_t(1) << bit : 0;
    }
    [[nodiscard]] static QList<int> rolesFromMask(std::uint64_t mask)
    {
        QList<int> roles;
        roles.reserve(std::popcount(mask));
        for (int bit = 0; mask != 0; ++bit, mask >>= 1) {
            if (mask & 1)
                roles.append(Qt::UserRole + bit);
        }
        return roles;
    }

private:
    std::vector<std::uint64_t> m_masks; // indexed by row; 0 = unchanged
    std::vector<int> m_dirty; // rows with a non-zero mask, unordered
};

} // namespace tickwire::market
