#include "market/fillsmodel.h"

#include <QtCore/QDateTime>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace tickwire::market {

FillsModel::FillsModel(const InstrumentTable *instruments, int capacity, QObject *parent)
    : NewestFirstListModel(capacity, {PriceRole, QtyRole}, parent)
    , m_instruments(instruments)
{
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
    const FillRow &r = rowAt(index.row());
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
    queue(FillRow{order.orderId, order.symbol, order.side, *order.lastFillPrice,
                  *order.lastFillQty, order.ts});
    return std::nullopt;
}

void FillsModel::clear()
{
    beginResetModel();
    clearRows();
    endResetModel();
}

} // namespace tickwire::market
