#include "market/orderbookmodel.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace tickwire::market {

namespace {

constexpr std::uint64_t bit(OrderBookModel::Role role)
{
    return RowChanges::bitOf(role);
}

} // namespace

OrderBookModel::OrderBookModel(const InstrumentTable *instruments, int depth, QObject *parent)
    : QAbstractListModel(parent)
    , m_instruments(instruments)
    , m_depth(std::clamp(depth, 1, protocol::MaxBookDepth))
    , m_rows(std::size_t(2 * m_depth))
{
}

int OrderBookModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QHash<int, QByteArray> OrderBookModel::roleNames() const
{
    return {
        {PriceRole, "price"},
        {PriceValueRole, "priceValue"},
        {SizeRole, "size"},
        {SizeValueRole, "sizeValue"},
        {CumulativeSizeRole, "cumulativeSize"},
        {CumulativeValueRole, "cumulativeValue"},
        {DepthFractionRole, "depthFraction"},
        {OwnQtyRole, "ownQty"},
        {OwnQtyValueRole, "ownQtyValue"},
        {SideRole, "side"},
        {IsBestRole, "isBest"},
        {HasLevelRole, "hasLevel"},
        {CellsRole, "cells"},
    };
}

QVariant OrderBookModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[std::size_t(index.row())];
    const auto qty = [&](const Decimal &value) {
        return r.hasLevel ? m_instruments->formatQty(m_symbol, value) : QString();
    };
    switch (Role(role)) {
    case PriceRole:
        return r.hasLevel ? m_instruments->formatPrice(m_symbol, r.price) : QString();
    case PriceValueRole:
        return r.price.toDouble();
    case SizeRole:
        return qty(r.size);
    case SizeValueRole:
        return r.size.toDouble();
    case CumulativeSizeRole:
        return qty(r.cumulative);
    case CumulativeValueRole:
        return r.cumulative.toDouble();
    case DepthFractionRole:
        return r.fraction;
    case OwnQtyRole:
        return r.hasLevel && !r.own.isZero() ? m_instruments->formatQty(m_symbol, r.own)
                                             : QString();
    case OwnQtyValueRole:
        return r.own.toDouble();
    case SideRole:
        return isAskRow(index.row()) ? u"sell"_s : u"buy"_s;
    case IsBestRole:
        return r.hasLevel && (index.row() == m_depth - 1 || index.row() == m_depth);
    case HasLevelRole:
        return r.hasLevel;
    case CellsRole:
        return QStringList{data(index, OwnQtyRole).toString(), data(index, SizeRole).toString(),
                           data(index, PriceRole).toString(),
                           data(index, CumulativeSizeRole).toString()};
    }
    return {};
}

void OrderBookModel::setDepth(int depth)
{
    depth = std::clamp(depth, 1, protocol::MaxBookDepth);
    if (depth == m_depth)
        return;
    beginResetModel();
    m_depth = depth;
    m_rows.assign(2 * std::size_t(m_depth), Row{});
    m_changes.clear();
    m_stale = true;
    endResetModel();
}

void OrderBookModel::setSymbol(const QString &symbol)
{
    if (symbol == m_symbol)
        return;
    beginResetModel();
    m_symbol = symbol;
    m_bids.clear();
    m_asks.clear();
    m_ownBids.clear();
    m_ownAsks.clear();
    m_rows.assign(2 * std::size_t(m_depth), Row{});
    m_changes.clear();
    m_stale = false;
    endResetModel();
}

void OrderBookModel::setLevels(const QList<protocol::BookLevel> &bids,
                               const QList<protocol::BookLevel> &asks)
{
    m_bids = bids; // implicitly shared: no copy of the levels
    m_asks = asks;
    m_stale = true;
}

bool OrderBookModel::setGrouping(int ticks)
{
    if (!grouping::isStep(ticks))
        return false;
    if (ticks != m_groupTicks) {
        m_groupTicks = ticks;
        m_stale = true;
    }
    return true;
}

void OrderBookModel::setOwnLevels(const OwnLevels &bids, const OwnLevels &asks)
{
    m_ownBids = bids;
    m_ownAsks = asks;
    m_stale = true;
}

Decimal OrderBookModel::rebuildSide(std::vector<Row> &next,
                                    const QList<protocol::BookLevel> &levels, const OwnLevels &own,
                                    bool asks) const
{
    Decimal cumulative;
    const int count = std::min<int>(m_depth, int(levels.size()));
    for (int k = 0; k < count; ++k) {
        const protocol::BookLevel &level = levels.at(k);
        // A sum beyond 18 digits cannot come from a real book; keep the last exact sum.
        cumulative = cumulative.plus(level.qty).value_or(cumulative);
        Row &r = next[std::size_t(asks ? m_depth - 1 - k : m_depth + k)];
        r.hasLevel = true;
        r.price = level.price;
        r.size = level.qty;
        r.cumulative = cumulative;
        r.own = own.value(level.price);
    }
    return cumulative;
}

void OrderBookModel::flush()
{
    if (m_formatStale) {
        m_formatStale = false;
        if (rowCount() > 0)
            Q_EMIT dataChanged(index(0), index(rowCount() - 1),
                               {PriceRole, SizeRole, CumulativeSizeRole, OwnQtyRole, CellsRole});
    }
    if (m_stale) {
        m_stale = false;
        m_next.assign(m_rows.size(), Row{});
        double askTotal = 0;
        double bidTotal = 0;
        const protocol::InstrumentInfo *instrument = m_instruments->find(m_symbol);
        const std::optional<Decimal> step =
            m_groupTicks > 1 && instrument
                ? instrument->tickSize.times(Decimal::fromInt(m_groupTicks))
                : std::nullopt;
        if (step && step->isPositive()) {
            using protocol::Side;
            askTotal = rebuildSide(m_next, grouping::groupLevels(m_asks, *step, Side::Sell),
                                   grouping::groupOwn(m_ownAsks, *step, Side::Sell), true)
                           .toDouble();
            bidTotal = rebuildSide(m_next, grouping::groupLevels(m_bids, *step, Side::Buy),
                                   grouping::groupOwn(m_ownBids, *step, Side::Buy), false)
                           .toDouble();
        } else {
            askTotal = rebuildSide(m_next, m_asks, m_ownAsks, true).toDouble();
            bidTotal = rebuildSide(m_next, m_bids, m_ownBids, false).toDouble();
        }
        const double total = std::max(askTotal, bidTotal);
        for (std::size_t row = 0; row < m_next.size(); ++row) {
            Row &n = m_next[row];
            n.fraction = total > 0 ? n.cumulative.toDouble() / total : 0.0;
            const Row &o = m_rows[row];
            std::uint64_t changed = 0;
            if (n.hasLevel != o.hasLevel)
                changed |= bit(HasLevelRole) | bit(IsBestRole);
            // Strings change with the written form too ("1.5" -> "1.50").
            if (!n.price.isIdenticalTo(o.price) || n.hasLevel != o.hasLevel)
                changed |= bit(PriceRole) | bit(PriceValueRole) | bit(CellsRole);
            if (!n.size.isIdenticalTo(o.size) || n.hasLevel != o.hasLevel)
                changed |= bit(SizeRole) | bit(SizeValueRole) | bit(CellsRole);
            if (!n.cumulative.isIdenticalTo(o.cumulative) || n.hasLevel != o.hasLevel)
                changed |= bit(CumulativeSizeRole) | bit(CumulativeValueRole) | bit(CellsRole);
            if (n.fraction != o.fraction)
                changed |= bit(DepthFractionRole);
            if (!n.own.isIdenticalTo(o.own) || n.hasLevel != o.hasLevel)
                changed |= bit(OwnQtyRole) | bit(OwnQtyValueRole) | bit(CellsRole);
            m_changes.markMask(int(row), changed);
        }
        m_rows.swap(m_next);
    }
    m_changes.take([this](int first, int last, const QList<int> &roles) {
        Q_EMIT dataChanged(index(first), index(last), roles);
    });
}

} // namespace tickwire::market
