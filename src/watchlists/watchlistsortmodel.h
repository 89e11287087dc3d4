#pragma once

#include "watchlists/watchlist.h"

#include "protocol/decimal.h"

#include <QtCore/QPointer>
#include <QtCore/QSortFilterProxyModel>

#include <functional>
#include <optional>

namespace tickwire::watchlists {

class WatchlistStore;

// A sorted view over a WatchlistModel (or any model with a symbol role). The user's order in the
// source is never touched: restoring it is just "no sort" (sort column -1).
//
// The values come from elsewhere (the quotes store) through a key provider, so this class
// knows nothing about market data and tests can feed it plain numbers. Keys are exact Decimals;
// a symbol without a value (no quote yet, unavailable) sorts after every value in both orders.
// When quotes change, call invalidateKeys(): sorting is not live per tick on purpose, rows
// jumping under the mouse are worse than a slightly stale order.
class WatchlistSortModel : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WatchlistSortModel)
    Q_PROPERTY(QString sortColumnName READ sortColumnName NOTIFY sortStateChanged FINAL)
    Q_PROPERTY(bool descending READ descending NOTIFY sortStateChanged FINAL)
    Q_PROPERTY(bool sorted READ sorted NOTIFY sortStateChanged FINAL)

public:
    using KeyProvider = std::function<std::optional<Decimal>(const QString &symbol, Column column)>;

    explicit WatchlistSortModel(QObject *parent = nullptr);

    // Role of the source model that holds the symbol (WatchlistModel::SymbolRole by default).
    void setSymbolRole(int role);
    void setKeyProvider(KeyProvider provider);
    // Optional: keep the sort in the store, per list. The view then shows the current list's
    // saved sort (also after switching lists) and every sort change is saved to that list.
    // The store is not owned; nullptr unbinds.
    void bindToStore(WatchlistStore *store);

    [[nodiscard]] std::optional<SortState> sortState() const { return m_sort; }
    // nullopt restores the user's order. Unsortable columns are refused (returns false).
    bool setSortState(std::optional<SortState> state);

    [[nodiscard]] QString sortColumnName() const;
    [[nodiscard]] bool descending() const { return m_sort && m_sort->descending; }
    [[nodiscard]] bool sorted() const { return m_sort.has_value(); }

    // A header click: another column sorts ascending by it; the sorted column restores the
    // user's order. Returns an error text for unknown or unsortable columns.
    [[nodiscard]] Q_INVOKABLE QString toggleSort(const QString &column);
    [[nodiscard]] Q_INVOKABLE QString setSort(const QString &column, bool descending);
    Q_INVOKABLE void restoreUserOrder();
    // The provider's values changed: sort again (no-op when unsorted).
    Q_INVOKABLE void invalidateKeys();
    // Row in the source (the user's order) of a row of this view; -1 if none.
    [[nodiscard]] Q_INVOKABLE int sourceRow(int row) const;

Q_SIGNALS:
    void sortStateChanged();

protected:
    [[nodiscard]] bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    [[nodiscard]] std::optional<Decimal> key(const QModelIndex &index) const;
    void applyStoredSort();

    KeyProvider m_provider;
    std::optional<SortState> m_sort;
    int m_symbolRole = Qt::UserRole + 1;
    QPointer<WatchlistStore> m_store;
    QMetaObject::Connection m_currentConnection;
    QMetaObject::Connection m_sortConnection;
};

} // namespace tickwire::watchlists
