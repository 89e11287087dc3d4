#pragma once

#include <QtCore/QAbstractListModel>
#include <QtCore/QPointer>
#include <QtCore/QStringList>

namespace tickwire::watchlists {

class WatchlistStore;

// The symbols of the store's current list, one row each, in the user's order. Mirrors the store
// through its precise signals (insert, remove, move, per-symbol error), so views keep their
// selection; only switching to another list resets the model.
//
// Thread: GUI thread. The store is not owned and must outlive the model (or be destroyed
// first: the model then shows nothing).
class WatchlistModel : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WatchlistModel)
    Q_PROPERTY(int count READ count NOTIFY countChanged FINAL)

public:
    enum Role {
        SymbolRole = Qt::UserRole + 1,
        AvailableRole, // false when the server reported an error for the symbol
        ErrorTextRole, // the server's error text, empty when available
    };
    Q_ENUM(Role)

    explicit WatchlistModel(WatchlistStore *store, QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] int count() const { return int(m_symbols.size()); }
    [[nodiscard]] Q_INVOKABLE QString symbolAt(int row) const;

    // Edits of the current list, forwarded to the store; the returned text is the user-facing
    // error, empty on success.
    [[nodiscard]] Q_INVOKABLE QString addSymbol(const QString &symbol);
    [[nodiscard]] Q_INVOKABLE QString removeAt(int row);
    [[nodiscard]] Q_INVOKABLE QString moveSymbol(int from, int to);

Q_SIGNALS:
    void countChanged();

private:
    void reload();

    QPointer<WatchlistStore> m_store;
    QStringList m_symbols; // a copy, so that begin/end notifications see the old state
};

} // namespace tickwire::watchlists
