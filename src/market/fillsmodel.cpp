#include "fillsmodel.h"

#include <QtCore/QDateTime>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace tickwire::market {

FillsModel::FillsModel(const InstrumentTable *instruments, int capacity, QObject *parent)
    : QAbstractListModel(parent)
    , m_instruments(instruments)
    , m_capacity(std::max(1, capacity))
{
}

int FillsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QHash<int, QByteArray> FillsModel::roleNames() const
{
    return {
        {OrderIdRole, "orderId"},
        {SymbolRole, "symbol"},
        {SideRole, "side"},
        {PriceRole, "price"},
        {PriceValueRole, "priceValue"},
        {QtyRole, "qty"},
        {QtyValueRole, "qtyValue"},
        {TimeRole, "time"},
        {TimeTextRole, "timeText"},
    };
}

QVariant FillsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[std::size_t(index.row())];
    switch (Role(role)) {
    case OrderIdRole:
        return r.orderId;
    case SymbolRole:
        return r.symbol;
    case SideRole:
        return QString(protocol::toString(r.side));
    case PriceRole:
        return m_instruments->formatPrice(r.symbol, r.price);
    case PriceValueRole:
        return r.price.toDouble();
    case QtyRole:
        return m_instruments->formatQty(r.symbol, r.qty);
    case QtyValueRole:
        return r.qty.toDouble();
    case TimeRole:
        return qint64(r.ts);
    case TimeTextRole:
        return QDateTime::fromMSecsSinceEpoch(r.ts).toString(u"HH:mm:ss.zzz");
    }
    return {};
}

std::optional<QString> FillsModel::applyOrder(const protocol::Order &order)
{
    if (!order.lastFillQty)
        return std::nullopt;
    if (!order.lastFillQty->isPositive())
        return u"order %1 reports a fill of %2"_s.arg(order.orderId, order.lastFillQty->toString());
    if (!order.lastFillPrice)
        return u"order %1 reports a fill without a price"_s.arg(order.orderId);
    if (int(m_pending.size()) >= m_capacity)
        m_pending.pop_front();
    m_pending.push_back(Row{order.orderId, order.symbol, order.side, *order.lastFillPrice,
                            *order.lastFillQty, order.ts});
    return std::nullopt;
}

void FillsModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_pending.clear();
    endResetModel();
}

void FillsModel::flush()
{
    if (m_formatStale) {
        m_formatStale = false;
        if (rowCount() > 0)
            Q_EMIT dataChanged(index(0), index(rowCount() - 1), {PriceRole, QtyRole});
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

} // namespace tickwire::market
