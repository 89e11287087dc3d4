#include "market/positionsmodel.h"

using namespace Qt::StringLiterals;

namespace tickwire::market {

namespace {

constexpr std::uint64_t bit(PositionsModel::Role role)
{
    return RowChanges::bitOf(role);
}

constexpr std::uint64_t UnrealizedBits =
    bit(PositionsModel::UnrealizedPnlRole) | bit(PositionsModel::UnrealizedPnlValueRole);

bool same(const std::optional<Decimal> &a, const std::optional<Decimal> &b)
{
    return a.has_value() == b.has_value() && (!a || a->isIdenticalTo(*b));
}

} // namespace

PositionsModel::PositionsModel(const InstrumentTable *instruments, QObject *parent)
    : QAbstractListModel(parent)
    , m_instruments(instruments)
{
}

int PositionsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QHash<int, QByteArray> PositionsModel::roleNames() const
{
    return {
        {SymbolRole, "symbol"},
        {QtyRole, "qty"},
        {QtyValueRole, "qtyValue"},
        {DirectionRole, "direction"},
        {AvgPriceRole, "avgPrice"},
        {RealizedPnlRole, "realizedPnl"},
        {MarkRole, "mark"},
        {MarkValueRole, "markValue"},
        {UnrealizedPnlRole, "unrealizedPnl"},
        {UnrealizedPnlValueRole, "unrealizedPnlValue"},
    };
}

QString PositionsModel::money(const QString &symbol, const Decimal &value) const
{
    return InstrumentTable::format(value.normalized(), m_instruments->priceScale(symbol));
}

QVariant PositionsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    const protocol::Position &p = r.position;
    const auto mark = m_marks.constFind(p.symbol);
    switch (Role(role)) {
    case SymbolRole:
        return p.symbol;
    case QtyRole:
        return m_instruments->formatQty(p.symbol, p.qty);
    case QtyValueRole:
        return p.qty.toDouble();
    case DirectionRole:
        return p.qty.isPositive() ? u"long"_s : (p.qty.isNegative() ? u"short"_s : u"flat"_s);
    case AvgPriceRole:
        return m_instruments->formatPrice(p.symbol, p.avgPrice);
    case RealizedPnlRole:
        return money(p.symbol, p.realizedPnl);
    case MarkRole:
        return mark == m_marks.cend() ? QString() : m_instruments->formatPrice(p.symbol, *mark);
    case MarkValueRole:
        return mark == m_marks.cend() ? QVariant() : QVariant(mark->toDouble());
    case UnrealizedPnlRole:
        return r.unrealized ? money(p.symbol, *r.unrealized) : QString();
    case UnrealizedPnlValueRole:
        return r.unrealized ? QVariant(r.unrealized->toDouble()) : QVariant();
    }
    return {};
}

std::optional<Decimal> PositionsModel::unrealizedPnl(const Decimal &qty, const Decimal &avgPrice,
                                                     const Decimal &mark)
{
    const std::optional<Decimal> move = mark.minus(avgPrice);
    return move ? qty.times(*move) : std::nullopt;
}

void PositionsModel::recompute(int row, std::uint64_t changed)
{
    Row &r = m_rows[row];
    const auto mark = m_marks.constFind(r.position.symbol);
    std::optional<Decimal> next;
    if (mark != m_marks.cend())
        next = unrealizedPnl(r.position.qty, r.position.avgPrice, *mark);
    if (!same(next, r.unrealized))
        changed |= UnrealizedBits;
    r.unrealized = next;
    m_changes.markMask(row, changed);
}

void PositionsModel::applyPosition(const protocol::Position &position)
{
    const auto row = m_rowOf.constFind(position.symbol);
    if (row == m_rowOf.cend()) {
        for (protocol::Position &pending : m_pending) {
            if (pending.symbol == position.symbol) {
                pending = position;
                return;
            }
        }
        m_pending.append(position);
        return;
    }
    const protocol::Position &old = m_rows.at(row.value()).position;
    std::uint64_t changed = 0;
    if (!old.qty.isIdenticalTo(position.qty))
        changed |= bit(QtyRole) | bit(QtyValueRole) | bit(DirectionRole);
    if (!old.avgPrice.isIdenticalTo(position.avgPrice))
        changed |= bit(AvgPriceRole);
    if (!old.realizedPnl.isIdenticalTo(position.realizedPnl))
        changed |= bit(RealizedPnlRole);
    m_rows[row.value()].position = position;
    recompute(row.value(), changed);
}

void PositionsModel::applySnapshot(const QList<protocol::Position> &positions)
{
    beginResetModel();
    m_rows.clear();
    m_rowOf.clear();
    m_pending.clear();
    m_changes.clear();
    for (const protocol::Position &position : positions) {
        const auto row = m_rowOf.constFind(position.symbol);
        if (row != m_rowOf.cend()) {
            m_rows[row.value()].position = position; // the later entry wins
            continue;
        }
        m_rowOf.insert(position.symbol, int(m_rows.size()));
        m_rows.append(Row{position, std::nullopt});
    }
    for (int row = 0; row < m_rows.size(); ++row)
        recompute(row, 0);
    m_changes.clear(); // the reset already tells views everything changed
    endResetModel();
}

void PositionsModel::setMark(const QString &symbol, const Decimal &mark)
{
    auto it = m_marks.find(symbol);
    if (it != m_marks.end() && it->isIdenticalTo(mark))
        return;
    if (it == m_marks.end())
        m_marks.insert(symbol, mark);
    else
        *it = mark;
    const auto row = m_rowOf.constFind(symbol);
    if (row != m_rowOf.cend())
        recompute(row.value(), bit(MarkRole) | bit(MarkValueRole));
}

void PositionsModel::flush()
{
    if (m_formatStale) {
        m_formatStale = false;
        if (rowCount() > 0)
            Q_EMIT dataChanged(
                index(0), index(rowCount() - 1),
                {QtyRole, AvgPriceRole, RealizedPnlRole, MarkRole, UnrealizedPnlRole});
    }
    m_changes.take([this](int first, int last, const QList<int> &roles) {
        Q_EMIT dataChanged(index(first), index(last), roles);
    });
    if (m_pending.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(m_pending.size()) - 1);
    for (const protocol::Position &position : std::as_const(m_pending)) {
        m_rowOf.insert(position.symbol, int(m_rows.size()));
        m_rows.append(Row{position, std::nullopt});
        const auto mark = m_marks.constFind(position.symbol);
        if (mark != m_marks.cend())
            m_rows.last().unrealized = unrealizedPnl(position.qty, position.avgPrice, *mark);
    }
    m_pending.clear();
    endInsertRows();
}

} // namespace tickwire::market
