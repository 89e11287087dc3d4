#include "watchlists/watchlistsortmodel.h"

#include "watchlists/watchlistmodel.h"
#include "watchlists/watchliststore.h"

using namespace Qt::StringLiterals;

namespace tickwire::watchlists {

WatchlistSortModel::WatchlistSortModel(QObject *parent)
    : QSortFilterProxyModel(parent)
    , m_symbolRole(WatchlistModel::SymbolRole)
{
    // Re-sorting on every source dataChanged would reorder rows on error-text updates; the
    // order only changes on setSortState and invalidateKeys.
    setDynamicSortFilter(false);
}

void WatchlistSortModel::setSymbolRole(int role)
{
    m_symbolRole = role;
    invalidateKeys();
}

void WatchlistSortModel::setKeyProvider(KeyProvider provider)
{
    m_provider = std::move(provider);
    invalidateKeys();
}

void WatchlistSortModel::bindToStore(WatchlistStore *store)
{
    disconnect(m_currentConnection);
    disconnect(m_sortConnection);
    m_store = store;
    if (!store)
        return;
    m_currentConnection = connect(store, &WatchlistStore::currentListChanged, this,
                                  &WatchlistSortModel::applyStoredSort);
    m_sortConnection = connect(store, &WatchlistStore::sortChanged, this, [this](int index) {
        if (m_store && index == m_store->currentIndex())
            applyStoredSort();
    });
    applyStoredSort();
}

void WatchlistSortModel::applyStoredSort()
{
    if (!m_store)
        return;
    const int current = m_store->currentIndex();
    const QString column = m_store->sortColumn(current);
    std::optional<SortState> sort;
    if (const auto parsed = columnFromName(column))
        sort = SortState{*parsed, m_store->sortDescending(current)};
    setSortState(sort);
}

bool WatchlistSortModel::setSortState(std::optional<SortState> state)
{
    if (state && !isSortable(state->column))
        return false;
    if (state == m_sort)
        return true;
    const std::optional<SortState> previous = m_sort;
    m_sort = state; // first: the store's sortChanged comes back here and must be a no-op
    if (m_store) {
        // Through the store, so that the list keeps its sort in the file.
        const QString error =
            m_store->setSort(m_store->currentIndex(), state ? columnName(state->column) : QString(),
                             state && state->descending);
        if (!error.isEmpty()) {
            m_sort = previous;
            return false;
        }
    }
    if (m_sort)
        sort(0, m_sort->descending ? Qt::DescendingOrder : Qt::AscendingOrder);
    else
        sort(-1); // back to the source order: the user's order
    Q_EMIT sortStateChanged();
    return true;
}

QString WatchlistSortModel::sortColumnName() const
{
    return m_sort ? columnName(m_sort->column) : QString();
}

QString WatchlistSortModel::toggleSort(const QString &column)
{
    const auto parsed = columnFromName(column);
    if (!parsed)
        return u"There is no column \"%1\"."_s.arg(column);
    if (!isSortable(*parsed))
        return u"The column \"%1\" cannot be sorted."_s.arg(column);
    if (m_sort && m_sort->column == *parsed)
        setSortState(std::nullopt);
    else
        setSortState(SortState{*parsed, false});
    return {};
}

QString WatchlistSortModel::setSort(const QString &column, bool descending)
{
    if (column.isEmpty()) {
        restoreUserOrder();
        return {};
    }
    const auto parsed = columnFromName(column);
    if (!parsed)
        return u"There is no column \"%1\"."_s.arg(column);
    if (!setSortState(SortState{*parsed, descending}))
        return u"The column \"%1\" cannot be sorted."_s.arg(column);
    return {};
}

void WatchlistSortModel::restoreUserOrder()
{
    setSortState(std::nullopt);
}

void WatchlistSortModel::invalidateKeys()
{
    if (!m_sort)
        return;
    // sort() with an unchanged column and order is a no-op in QSortFilterProxyModel; invalidate
    // re-runs the comparison with the new keys.
    invalidate();
}

int WatchlistSortModel::sourceRow(int row) const
{
    const QModelIndex mapped = mapToSource(index(row, 0));
    return mapped.isValid() ? mapped.row() : -1;
}

std::optional<Decimal> WatchlistSortModel::key(const QModelIndex &index) const
{
    if (!m_provider || !m_sort)
        return std::nullopt;
    return m_provider(index.data(m_symbolRole).toString(), m_sort->column);
}

bool WatchlistSortModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const auto a = key(left);
    const auto b = key(right);
    // Missing values last in both orders. The proxy sorts descending by asking
    // lessThan(right, left), so a missing value must be "greater" ascending, "smaller" descending.
    const bool descendingOrder = sortOrder() == Qt::DescendingOrder;
    if (!a && !b)
        return false;
    if (!a)
        return descendingOrder;
    if (!b)
        return !descendingOrder;
    return *a < *b;
}

} // namespace tickwire::watchlists
