#include "market/quotesortmodel.h"

#include "market/reorder.h"

#include <algorithm>
#include <numeric>

namespace tickwire::market {

namespace {

bool hasTypedValue(QuoteModel::Role role)
{
    switch (role) {
    case QuoteModel::LastRole:
    case QuoteModel::ChangeRole:
    case QuoteModel::ChangePercentRole:
    case QuoteModel::BidRole:
    case QuoteModel::AskRole:
    case QuoteModel::SpreadRole:
    case QuoteModel::VolumeRole:
    case QuoteModel::HighRole:
    case QuoteModel::LowRole:
        return true;
    default:
        return false;
    }
}

} // namespace

QuoteSortModel::QuoteSortModel(QuoteModel *source, QObject *parent)
    : QAbstractProxyModel(parent)
    , m_source(source)
{
    QAbstractProxyModel::setSourceModel(source);
    rebuildIndex();
    connect(source, &QAbstractItemModel::dataChanged, this, &QuoteSortModel::forwardDataChanged);
    connect(source, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { sourceRowsInserted(first, last); });
    connect(source, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this](const QModelIndex &, int first, int last) {
                sourceRowsAboutToBeRemoved(first, last);
            });
    connect(source, &QAbstractItemModel::rowsRemoved, this,
            [this](const QModelIndex &, int first, int last) { sourceRowsRemoved(first, last); });
    connect(source, &QAbstractItemModel::rowsAboutToBeMoved, this,
            [this](const QModelIndex &, int first, int last, const QModelIndex &, int to) {
                sourceRowsAboutToBeMoved(first, last, to);
            });
    connect(source, &QAbstractItemModel::rowsMoved, this,
            [this](const QModelIndex &, int first, int last, const QModelIndex &, int to) {
                sourceRowsMoved(first, last, to);
            });
    connect(source, &QAbstractItemModel::modelAboutToBeReset, this,
            &QuoteSortModel::beginResetModel);
    connect(source, &QAbstractItemModel::modelReset, this, [this] {
        m_toSource = targetOrder();
        rebuildIndex();
        endResetModel();
    });
}

QModelIndex QuoteSortModel::index(int row, int column, const QModelIndex &parent) const
{
    if (parent.isValid() || row < 0 || row >= int(m_toSource.size()) || column != 0)
        return {};
    return createIndex(row, column);
}

QModelIndex QuoteSortModel::parent(const QModelIndex &) const
{
    return {};
}

int QuoteSortModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_toSource.size());
}

int QuoteSortModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : 1;
}

QModelIndex QuoteSortModel::mapToSource(const QModelIndex &proxyIndex) const
{
    if (!proxyIndex.isValid() || proxyIndex.row() >= int(m_toSource.size()))
        return {};
    return m_source->index(m_toSource[std::size_t(proxyIndex.row())], proxyIndex.column());
}

QModelIndex QuoteSortModel::mapFromSource(const QModelIndex &sourceIndex) const
{
    if (!sourceIndex.isValid() || sourceIndex.row() >= int(m_fromSource.size()))
        return {};
    const int row = m_fromSource[std::size_t(sourceIndex.row())];
    return row < 0 ? QModelIndex() : createIndex(row, sourceIndex.column());
}

QHash<int, QByteArray> QuoteSortModel::roleNames() const
{
    return m_source->roleNames();
}

bool QuoteSortModel::setSort(std::optional<QuoteModel::Role> role, bool descending)
{
    if (role && !hasTypedValue(*role))
        return false;
    if (!role)
        descending = false;
    if (role == m_role && descending == m_descending)
        return true;
    m_role = role;
    m_descending = descending;
    resort();
    Q_EMIT sortChanged();
    return true;
}

std::vector<int> QuoteSortModel::targetOrder() const
{
    std::vector<int> order(std::size_t(m_source->rowCount()));
    std::iota(order.begin(), order.end(), 0);
    if (!m_role)
        return order;
    const QStringList symbols = m_source->symbols();
    std::vector<std::optional<Decimal>> keys(order.size());
    for (std::size_t row = 0; row < keys.size(); ++row)
        keys[row] = m_source->value(symbols.at(qsizetype(row)), *m_role);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        const auto &x = keys[std::size_t(a)];
        const auto &y = keys[std::size_t(b)];
        if (!x || !y)
            return x.has_value() && !y.has_value(); // no value: last, in either direction
        return m_descending ? *y < *x : *x < *y;
    });
    return order;
}

void QuoteSortModel::resort()
{
    const std::vector<int> target = targetOrder();
    std::vector<int> positionOf(target.size());
    for (std::size_t i = 0; i < target.size(); ++i)
        positionOf[std::size_t(target[i])] = int(i);
    std::vector<int> targetOf(m_toSource.size());
    for (std::size_t row = 0; row < m_toSource.size(); ++row)
        targetOf[row] = positionOf[std::size_t(m_toSource[row])];
    reorderByMoves(std::move(targetOf), [this](int from, int to) {
        beginMoveRows({}, from, from, {}, to > from ? to + 1 : to);
        const int sourceRow = m_toSource[std::size_t(from)];
        m_toSource.erase(m_toSource.begin() + from);
        m_toSource.insert(m_toSource.begin() + to, sourceRow);
        rebuildIndex();
        endMoveRows();
    });
}

void QuoteSortModel::rebuildIndex()
{
    m_fromSource.assign(std::size_t(m_source->rowCount()), -1);
    for (std::size_t row = 0; row < m_toSource.size(); ++row) {
        const int sourceRow = m_toSource[row];
        if (sourceRow >= 0 && std::size_t(sourceRow) < m_fromSource.size())
            m_fromSource[std::size_t(sourceRow)] = int(row);
    }
}

void QuoteSortModel::forwardDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                                        const QList<int> &roles)
{
    if (!m_role) { // the user's order: the same rows
        Q_EMIT dataChanged(index(topLeft.row(), 0), index(bottomRight.row(), 0), roles);
        return;
    }
    std::vector<int> rows;
    rows.reserve(std::size_t(bottomRight.row()) - std::size_t(topLeft.row()) + 1);
    for (int sourceRow = topLeft.row(); sourceRow <= bottomRight.row(); ++sourceRow) {
        if (const int row = m_fromSource[std::size_t(sourceRow)]; row >= 0)
            rows.push_back(row);
    }
    std::sort(rows.begin(), rows.end());
    for (std::size_t i = 0; i < rows.size();) {
        std::size_t j = i;
        while (j + 1 < rows.size() && rows[j + 1] == rows[j] + 1)
            ++j;
        Q_EMIT dataChanged(index(rows[i], 0), index(rows[j], 0), roles);
        i = j + 1;
    }
}

void QuoteSortModel::sourceRowsInserted(int first, int last)
{
    const int count = last - first + 1;
    for (int &sourceRow : m_toSource) {
        if (sourceRow >= first)
            sourceRow += count;
    }
    // Unsorted: at the same place; sorted: at the end until the next resort().
    const int at = m_role ? int(m_toSource.size()) : first;
    beginInsertRows({}, at, at + count - 1);
    for (int i = 0; i < count; ++i)
        m_toSource.insert(m_toSource.begin() + at + i, first + i);
    rebuildIndex();
    endInsertRows();
}

void QuoteSortModel::sourceRowsAboutToBeRemoved(int first, int last)
{
    std::vector<int> rows;
    for (int sourceRow = first; sourceRow <= last; ++sourceRow)
        rows.push_back(m_fromSource[std::size_t(sourceRow)]);
    std::sort(rows.begin(), rows.end());
    // From the bottom up, one signal per contiguous run of our rows.
    for (auto end = rows.size(); end > 0;) {
        auto begin = end - 1;
        while (begin > 0 && rows[begin - 1] == rows[begin] - 1)
            --begin;
        beginRemoveRows({}, rows[begin], rows[end - 1]);
        m_toSource.erase(m_toSource.begin() + rows[begin], m_toSource.begin() + rows[end - 1] + 1);
        rebuildIndex();
        endRemoveRows();
        end = begin;
    }
}

void QuoteSortModel::sourceRowsRemoved(int first, int last)
{
    const int count = last - first + 1;
    for (int &sourceRow : m_toSource) {
        if (sourceRow > last)
            sourceRow -= count;
    }
    rebuildIndex();
}

void QuoteSortModel::sourceRowsAboutToBeMoved(int first, int last, int destination)
{
    // The user's order is ours too; a sorted view does not move for a drag in the source.
    if (!m_role) {
        m_forwardingMove = beginMoveRows({}, first, last, {}, destination);
        Q_ASSERT(m_forwardingMove);
    }
}

void QuoteSortModel::sourceRowsMoved(int first, int last, int destination)
{
    const int count = last - first + 1;
    const auto moved = [&](int row) {
        if (row >= first && row <= last)
            return destination > last ? destination - count + (row - first)
                                      : destination + (row - first);
        if (destination > last && row > last && row < destination)
            return row - count;
        if (destination < first && row >= destination && row < first)
            return row + count;
        return row;
    };
    if (m_forwardingMove) { // our rows moved with the source's: the same order again
        std::iota(m_toSource.begin(), m_toSource.end(), 0);
        rebuildIndex();
        m_forwardingMove = false;
        endMoveRows();
        return;
    }
    for (int &sourceRow : m_toSource)
        sourceRow = moved(sourceRow);
    rebuildIndex();
}

} // namespace tickwire::market
