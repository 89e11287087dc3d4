#pragma once

#include <QtCore/QAbstractListModel>

#include <algorithm>
#include <deque>

namespace tickwire::market {

// A list model whose rows are newest first, at most capacity() of them. queue() only records;
// flush() publishes what was queued as one insert at row 0 and, past the capacity, one removal
// at the end: never a reset. The trade tape and the fills share it. GUI thread only.
template<typename Row>
class NewestFirstListModel : public QAbstractListModel
{
public:
    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }
    [[nodiscard]] int capacity() const { return m_capacity; }
    // The instruments changed: every display string is re-announced at the next flush().
    void refreshFormatting() { m_formatStale = true; }

    void flush()
    {
        if (m_formatStale) {
            m_formatStale = false;
            if (rowCount() > 0)
                Q_EMIT dataChanged(index(0), index(rowCount() - 1), m_formattedRoles);
        }
        const int added = int(m_pending.size());
        if (added == 0)
            return;
        const int overflow = int(m_rows.size()) + added - m_capacity;
        if (overflow > 0) {
            const int keep = int(m_rows.size()) - overflow;
            beginRemoveRows({}, keep, int(m_rows.size()) - 1);
            m_rows.resize(std::size_t(keep));
            endRemoveRows();
        }
        beginInsertRows({}, 0, added - 1);
        for (Row &row : m_pending)
            m_rows.push_front(std::move(row));
        m_pending.clear();
        endInsertRows();
    }

protected:
    // formattedRoles: the roles whose text depends on the instruments (tick and lot scale).
    NewestFirstListModel(int capacity, QList<int> formattedRoles, QObject *parent)
        : QAbstractListModel(parent)
        , m_capacity(std::max(1, capacity))
        , m_formattedRoles(std::move(formattedRoles))
    {
    }

    void queue(Row row)
    {
        if (int(m_pending.size()) >= m_capacity)
            m_pending.pop_front(); // would be pushed out in this very flush anyway
        m_pending.push_back(std::move(row));
    }
    // Only between beginResetModel() and endResetModel().
    void clearRows()
    {
        m_rows.clear();
        m_pending.clear();
    }
    [[nodiscard]] const Row &rowAt(int row) const { return m_rows[std::size_t(row)]; }

    std::deque<Row> m_rows; // newest first, published

private:
    std::deque<Row> m_pending; // oldest first, at most capacity
    int m_capacity;
    bool m_formatStale = false;
    QList<int> m_formattedRoles;
};

} // namespace tickwire::market
