#include "market/openordersmodel.h"

#include <QtCore/QDateTime>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace tickwire::market {

namespace {

constexpr std::uint64_t bit(OpenOrdersModel::Role role)
{
    return RowChanges::bitOf(role);
}

bool same(const std::optional<Decimal> &a, const std::optional<Decimal> &b)
{
    return a.has_value() == b.has_value() && (!a || a->isIdenticalTo(*b));
}

Decimal remaining(const protocol::Order &order)
{
    return order.qty.minus(order.filledQty).value_or(Decimal());
}

} // namespace

OpenOrdersModel::OpenOrdersModel(const InstrumentTable *instruments, QObject *parent)
    : QAbstractListModel(parent)
    , m_instruments(instruments)
{
}

int OpenOrdersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QHash<int, QByteArray> OpenOrdersModel::roleNames() const
{
    return {
        {OrderIdRole, "orderId"},
        {ClientOrderIdRole, "clientOrderId"},
        {SymbolRole, "symbol"},
        {SideRole, "side"},
        {OrderTypeRole, "orderType"},
        {PriceRole, "price"},
        {PriceValueRole, "priceValue"},
        {QtyRole, "qty"},
        {FilledQtyRole, "filledQty"},
        {RemainingQtyRole, "remainingQty"},
        {RemainingQtyValueRole, "remainingQtyValue"},
        {AvgFillPriceRole, "avgFillPrice"},
        {StatusRole, "status"},
        {TimeRole, "time"},
        {TimeTextRole, "timeText"},
    };
}

QVariant OpenOrdersModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const protocol::Order &o = m_rows.at(index.row());
    switch (Role(role)) {
    case OrderIdRole:
        return o.orderId;
    case ClientOrderIdRole:
        return o.clientOrderId;
    case SymbolRole:
        return o.symbol;
    case SideRole:
        return QString(protocol::toString(o.side));
    case OrderTypeRole:
        return QString(protocol::toString(o.orderType));
    case PriceRole:
        return o.price ? m_instruments->formatPrice(o.symbol, *o.price) : QString();
    case PriceValueRole:
        return o.price ? o.price->toDouble() : 0.0;
    case QtyRole:
        return m_instruments->formatQty(o.symbol, o.qty);
    case FilledQtyRole:
        return m_instruments->formatQty(o.symbol, o.filledQty);
    case RemainingQtyRole:
        return m_instruments->formatQty(o.symbol, remaining(o));
    case RemainingQtyValueRole:
        return remaining(o).toDouble();
    case AvgFillPriceRole:
        return o.avgFillPrice ? m_instruments->formatPrice(o.symbol, *o.avgFillPrice) : QString();
    case StatusRole:
        return QString(protocol::toString(o.status));
    case TimeRole:
        return qint64(o.ts);
    case TimeTextRole:
        return QDateTime::fromMSecsSinceEpoch(o.ts).toString(u"HH:mm:ss.zzz");
    }
    return {};
}

std::uint64_t OpenOrdersModel::changedRoles(const protocol::Order &a, const protocol::Order &b)
{
    std::uint64_t changed = 0;
    if (!same(a.price, b.price))
        changed |= bit(PriceRole) | bit(PriceValueRole);
    if (!a.qty.isIdenticalTo(b.qty))
        changed |= bit(QtyRole) | bit(RemainingQtyRole) | bit(RemainingQtyValueRole);
    if (!a.filledQty.isIdenticalTo(b.filledQty))
        changed |= bit(FilledQtyRole) | bit(RemainingQtyRole) | bit(RemainingQtyValueRole);
    if (!same(a.avgFillPrice, b.avgFillPrice))
        changed |= bit(AvgFillPriceRole);
    if (a.status != b.status)
        changed |= bit(StatusRole);
    if (a.ts != b.ts)
        changed |= bit(TimeRole) | bit(TimeTextRole);
    if (a.clientOrderId != b.clientOrderId)
        changed |= bit(ClientOrderIdRole);
    return changed;
}

std::optional<QString> OpenOrdersModel::applyOrder(const protocol::Order &order)
{
    if (order.qty.isNegative() || order.filledQty.isNegative() || order.filledQty > order.qty)
        return u"order %1 has filled %2 of %3"_s.arg(order.orderId, order.filledQty.toString(),
                                                     order.qty.toString());
    const bool open = !protocol::isTerminal(order.status);
    if (open)
        m_live.insert(order.orderId, order);
    else
        m_live.remove(order.orderId);

    const auto row = m_rowOf.constFind(order.orderId);
    if (row != m_rowOf.cend()) {
        protocol::Order &shown = m_rows[row.value()];
        m_changes.markMask(row.value(), changedRoles(shown, order));
        shown = order;
        if (!open && std::find(m_removed.begin(), m_removed.end(), row.value()) == m_removed.end())
            m_removed.push_back(row.value());
        return std::nullopt;
    }
    const auto pending =
        std::find_if(m_pending.begin(), m_pending.end(),
                     [&](const protocol::Order &o) { return o.orderId == order.orderId; });
    if (pending != m_pending.end()) {
        if (open)
            *pending = order;
        else
            m_pending.erase(pending); // opened and closed within one frame: never shown
    } else if (open) {
        m_pending.append(order);
    }
    return std::nullopt;
}

void OpenOrdersModel::applySnapshot(const QList<protocol::Order> &orders)
{
    beginResetModel();
    m_rows.clear();
    m_rowOf.clear();
    m_pending.clear();
    m_removed.clear();
    m_live.clear();
    m_changes.clear();
    for (const protocol::Order &order : orders) {
        if (protocol::isTerminal(order.status) || m_live.contains(order.orderId))
            continue;
        m_live.insert(order.orderId, order);
        m_rowOf.insert(order.orderId, int(m_rows.size()));
        m_rows.append(order);
    }
    endResetModel();
}

void OpenOrdersModel::flush()
{
    if (m_formatStale) {
        m_formatStale = false;
        if (rowCount() > 0)
            Q_EMIT dataChanged(
                index(0), index(rowCount() - 1),
                {PriceRole, QtyRole, FilledQtyRole, RemainingQtyRole, AvgFillPriceRole});
    }
    // Rows about to leave need no dataChanged.
    for (int row : m_removed)
        m_changes.unmark(row);
    m_changes.take([this](int first, int last, const QList<int> &roles) {
        Q_EMIT dataChanged(index(first), index(last), roles);
    });
    if (!m_removed.empty()) {
        // Highest rows first so lower row numbers stay valid; contiguous runs in one signal.
        std::sort(m_removed.begin(), m_removed.end(), std::greater<>());
        std::size_t i = 0;
        while (i < m_removed.size()) {
            const int last = m_removed[i];
            int first = last;
            while (i + 1 < m_removed.size() && m_removed[i + 1] == first - 1)
                first = m_removed[++i];
            ++i;
            beginRemoveRows({}, first, last);
            m_rows.remove(first, last - first + 1);
            endRemoveRows();
        }
        m_removed.clear();
        m_rowOf.clear();
        for (int row = 0; row < m_rows.size(); ++row)
            m_rowOf.insert(m_rows.at(row).orderId, row);
    }
    if (!m_pending.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(m_pending.size()) - 1);
        for (const protocol::Order &order : std::as_const(m_pending)) {
            m_rowOf.insert(order.orderId, int(m_rows.size()));
            m_rows.append(order);
        }
        m_pending.clear();
        endInsertRows();
    }
}

QHash<Decimal, Decimal> OpenOrdersModel::remainingByPrice(const QString &symbol,
                                                          protocol::Side side) const
{
    QHash<Decimal, Decimal> levels;
    for (const protocol::Order &order : m_live) {
        if (order.symbol != symbol || order.side != side || !order.price)
            continue;
        Decimal &sum = levels[*order.price];
        sum = sum.plus(remaining(order)).value_or(sum);
    }
    return levels;
}

} // namespace tickwire::market
