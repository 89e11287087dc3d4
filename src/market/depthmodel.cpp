#include "market/depthmodel.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace tickwire::market {

namespace {

constexpr std::uint64_t bit(DepthModel::Role role)
{
    return RowChanges::bitOf(role);
}

} // namespace

DepthModel::DepthModel(const InstrumentTable *instruments, QObject *parent)
    : QAbstractListModel(parent)
    , m_instruments(instruments)
{
}

int DepthModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : bidCount() + askCount();
}

QHash<int, QByteArray> DepthModel::roleNames() const
{
    return {
        {SideRole, "side"},
        {PriceRole, "price"},
        {PriceValueRole, "priceValue"},
        {SizeRole, "size"},
        {CumulativeRole, "cumulative"},
        {CumulativeValueRole, "cumulativeValue"},
        {NotionalRole, "notional"},
        {NotionalValueRole, "notionalValue"},
    };
}

const DepthModel::Point *DepthModel::pointAt(int row) const
{
    if (row < 0)
        return nullptr;
    if (row < bidCount())
        return &m_bidPoints[std::size_t(row)];
    row -= bidCount();
    return row < askCount() ? &m_askPoints[std::size_t(row)] : nullptr;
}

QVariant DepthModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Point &p = *pointAt(index.row());
    switch (Role(role)) {
    case SideRole:
        return index.row() < bidCount() ? u"buy"_s : u"sell"_s;
    case PriceRole:
        return m_instruments->formatPrice(m_symbol, p.price);
    case PriceValueRole:
        return p.price.toDouble();
    case SizeRole:
        return m_instruments->formatQty(m_symbol, p.size);
    case CumulativeRole:
        return m_instruments->formatQty(m_symbol, p.cumulative);
    case CumulativeValueRole:
        return p.cumulative.toDouble();
    case NotionalRole: {
        // Exact, then shown at the price's decimals (a product has those of price and size).
        const int scale = m_instruments->priceScale(m_symbol);
        return m_instruments->formatPrice(
            m_symbol, scale < 0 ? p.notional : p.notional.rounded(scale).value_or(p.notional));
    }
    case NotionalValueRole:
        return p.notional.toDouble();
    }
    return {};
}

QString DepthModel::midText() const
{
    if (!m_mid)
        return {};
    const int scale = m_instruments->priceScale(m_symbol);
    return InstrumentTable::format(*m_mid, scale < 0 ? -1 : scale + 1);
}

void DepthModel::setSymbol(const QString &symbol)
{
    if (symbol == m_symbol)
        return;
    beginResetModel();
    m_symbol = symbol;
    m_bids.clear();
    m_asks.clear();
    m_bidPoints.clear();
    m_askPoints.clear();
    m_mid.reset();
    m_changes.clear();
    m_stale = false;
    endResetModel();
    Q_EMIT depthChanged();
}

void DepthModel::setLevels(const QList<protocol::BookLevel> &bids,
                           const QList<protocol::BookLevel> &asks)
{
    m_bids = bids; // implicitly shared: no copy of the levels
    m_asks = asks;
    m_stale = true;
}

std::vector<DepthModel::Point> DepthModel::accumulate(const QList<protocol::BookLevel> &levels)
{
    std::vector<Point> points;
    points.reserve(std::size_t(levels.size()));
    Decimal cumulative;
    Decimal notional;
    for (const protocol::BookLevel &level : levels) {
        // Sums beyond 18 digits cannot come from a real book: the chart stops at the last
        // exact one rather than draw a wrong value.
        const std::optional<Decimal> size = cumulative.plus(level.qty);
        const std::optional<Decimal> value = level.price.times(level.qty);
        const std::optional<Decimal> money = value ? notional.plus(*value) : std::nullopt;
        if (!size || !money)
            break;
        cumulative = *size;
        notional = *money;
        points.push_back({level.price, level.qty, cumulative, notional});
    }
    return points;
}

std::optional<Decimal> DepthModel::midOf(const QList<protocol::BookLevel> &bids,
                                         const QList<protocol::BookLevel> &asks)
{
    if (bids.isEmpty() || asks.isEmpty())
        return std::nullopt;
    const Decimal &bid = bids.constFirst().price;
    const Decimal &ask = asks.constFirst().price;
    const std::optional<Decimal> sum = bid.plus(ask);
    if (!sum)
        return std::nullopt;
    // Half of a sum at scale s is exact at scale s + 1; trailing zeros dropped ("100.50" +
    // "100.60" -> "100.55", "100" + "101" -> "100.5").
    const int scale = std::min(Decimal::MaxScale, sum->scale() + 1);
    const std::optional<Decimal> half = sum->dividedBy(Decimal::fromInt(2), scale);
    if (!half)
        return std::nullopt;
    return half->normalized();
}

void DepthModel::updateSide(std::vector<Point> &rows, std::vector<Point> &next, int firstRow)
{
    const int oldCount = int(rows.size());
    const int newCount = int(next.size());
    if (newCount > oldCount) {
        beginInsertRows({}, firstRow + oldCount, firstRow + newCount - 1);
        rows.resize(next.size());
        for (int k = oldCount; k < newCount; ++k)
            rows[std::size_t(k)] = next[std::size_t(k)];
        endInsertRows();
    } else if (newCount < oldCount) {
        beginRemoveRows({}, firstRow + newCount, firstRow + oldCount - 1);
        rows.resize(next.size());
        endRemoveRows();
    }
    for (int k = 0; k < std::min(oldCount, newCount); ++k) {
        const Point &n = next[std::size_t(k)];
        const Point &o = rows[std::size_t(k)];
        std::uint64_t changed = 0;
        if (!n.price.isIdenticalTo(o.price))
            changed |= bit(PriceRole) | bit(PriceValueRole);
        if (!n.size.isIdenticalTo(o.size))
            changed |= bit(SizeRole);
        if (!n.cumulative.isIdenticalTo(o.cumulative))
            changed |= bit(CumulativeRole) | bit(CumulativeValueRole);
        if (!n.notional.isIdenticalTo(o.notional))
            changed |= bit(NotionalRole) | bit(NotionalValueRole);
        m_changes.markMask(firstRow + k, changed);
        rows[std::size_t(k)] = n;
    }
}

void DepthModel::flush()
{
    bool changed = false;
    if (m_formatStale) {
        m_formatStale = false;
        if (rowCount() > 0) {
            Q_EMIT dataChanged(index(0), index(rowCount() - 1),
                               {PriceRole, SizeRole, CumulativeRole, NotionalRole});
            changed = true;
        }
    }
    if (m_stale) {
        m_stale = false;
        std::vector<Point> bids = accumulate(m_bids);
        std::vector<Point> asks = accumulate(m_asks);
        const std::optional<Decimal> mid = midOf(m_bids, m_asks);
        const auto same = [](const std::vector<Point> &a, const std::vector<Point> &b) {
            return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                              [](const Point &x, const Point &y) { return x.isIdenticalTo(y); });
        };
        const bool midSame =
            mid.has_value() == m_mid.has_value() && (!mid || mid->isIdenticalTo(*m_mid));
        if (!same(bids, m_bidPoints) || !same(asks, m_askPoints) || !midSame) {
            changed = true;
            m_mid = mid;
            // Bids first: their rows come before the asks', whose first row follows them.
            updateSide(m_bidPoints, bids, 0);
            updateSide(m_askPoints, asks, bidCount());
        }
    }
    m_changes.take([this](int first, int last, const QList<int> &roles) {
        Q_EMIT dataChanged(index(first), index(last), roles);
    });
    if (changed)
        Q_EMIT depthChanged();
}

int DepthModel::rowAtPrice(double price) const
{
    const bool bidSide = m_askPoints.empty()
                         || (!m_bidPoints.empty()
                             && (m_mid ? price <= m_mid->toDouble()
                                       : price <= m_bidPoints.front().price.toDouble()));
    if (bidSide) {
        // The deepest bid at or above price: the cumulative a sell down to price would take.
        int row = -1;
        for (int k = 0; k < bidCount() && m_bidPoints[std::size_t(k)].price.toDouble() >= price;
             ++k)
            row = k;
        return row;
    }
    int row = -1;
    for (int k = 0; k < askCount() && m_askPoints[std::size_t(k)].price.toDouble() <= price; ++k)
        row = bidCount() + k;
    return row;
}

QVariantMap DepthModel::readout(int row) const
{
    if (!pointAt(row))
        return {};
    const QModelIndex i = index(row);
    return {
        {u"side"_s, data(i, SideRole)},
        {u"price"_s, data(i, PriceRole)},
        {u"cumulative"_s, data(i, CumulativeRole)},
        {u"notional"_s, data(i, NotionalRole)},
    };
}

} // namespace tickwire::market
