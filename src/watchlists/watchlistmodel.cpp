#include "watchlists/watchlistmodel.h"

#include "watchlists/watchliststore.h"

using namespace Qt::StringLiterals;

namespace tickwire::watchlists {

WatchlistModel::WatchlistModel(WatchlistStore *store, QObject *parent)
    : QAbstractListModel(parent)
    , m_store(store)
{
    Q_ASSERT(store);
    m_symbols = store->symbols(store->currentIndex());

    connect(store, &WatchlistStore::currentListChanged, this, &WatchlistModel::reload);
    connect(store, &WatchlistStore::symbolsInserted, this,
            [this](int list, int first, const QStringList &symbols) {
                if (list != m_store->currentIndex() || symbols.isEmpty())
                    return;
                beginInsertRows({}, first, first + int(symbols.size()) - 1);
                for (qsizetype i = 0; i < symbols.size(); ++i)
                    m_symbols.insert(first + i, symbols.at(i));
                endInsertRows();
                Q_EMIT countChanged();
            });
    connect(store, &WatchlistStore::symbolRemoved, this, [this](int list, int row) {
        if (list != m_store->currentIndex())
            return;
        beginRemoveRows({}, row, row);
        m_symbols.removeAt(row);
        endRemoveRows();
        Q_EMIT countChanged();
    });
    connect(store, &WatchlistStore::symbolMoved, this, [this](int list, int from, int to) {
        if (list != m_store->currentIndex())
            return;
        // beginMoveRows takes the row *before which* to insert, counted in the old order.
        const bool ok = beginMoveRows({}, from, from, {}, to > from ? to + 1 : to);
        Q_ASSERT(ok);
        m_symbols.move(from, to);
        if (ok)
            endMoveRows();
    });
    connect(store, &WatchlistStore::symbolErrorChanged, this, [this](const QString &symbol) {
        const int row = int(m_symbols.indexOf(symbol));
        if (row < 0)
            return;
        const QModelIndex changed = index(row);
        Q_EMIT dataChanged(changed, changed, {AvailableRole, ErrorTextRole});
    });
    connect(store, &QObject::destroyed, this, [this] {
        beginResetModel();
        m_symbols.clear();
        endResetModel();
        Q_EMIT countChanged();
    });
}

int WatchlistModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_symbols.size());
}

QVariant WatchlistModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QString &symbol = m_symbols.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case SymbolRole:
        return symbol;
    case AvailableRole:
        return !m_store || m_store->symbolError(symbol).isEmpty();
    case ErrorTextRole:
        return m_store ? m_store->symbolError(symbol) : QString();
    default:
        return {};
    }
}

QHash<int, QByteArray> WatchlistModel::roleNames() const
{
    return {
        {SymbolRole, "symbol"},
        {AvailableRole, "available"},
        {ErrorTextRole, "errorText"},
    };
}

QString WatchlistModel::symbolAt(int row) const
{
    return row >= 0 && row < m_symbols.size() ? m_symbols.at(row) : QString();
}

QString WatchlistModel::addSymbol(const QString &symbol)
{
    return m_store ? m_store->addSymbol(m_store->currentIndex(), symbol) : u"No watchlists."_s;
}

QString WatchlistModel::removeAt(int row)
{
    return m_store ? m_store->removeSymbol(m_store->currentIndex(), row) : u"No watchlists."_s;
}

QString WatchlistModel::moveSymbol(int from, int to)
{
    return m_store ? m_store->moveSymbol(m_store->currentIndex(), from, to) : u"No watchlists."_s;
}

// Another list is on screen: a true reset.
void WatchlistModel::reload()
{
    beginResetModel();
    m_symbols = m_store->symbols(m_store->currentIndex());
    endResetModel();
    Q_EMIT countChanged();
}

} // namespace tickwire::watchlists
