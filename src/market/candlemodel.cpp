#include "market/candlemodel.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace tickwire::market {

namespace {

constexpr std::uint64_t bit(CandleModel::Role role)
{
    return RowChanges::bitOf(role);
}

void compare(const Decimal &a, const Decimal &b, CandleModel::Role text, CandleModel::Role value,
             std::uint64_t &changed)
{
    if (!a.isIdenticalTo(b))
        changed |= bit(text) | bit(value);
}

} // namespace

CandleModel::CandleModel(const InstrumentTable *instruments, int capacity, QObject *parent)
    : QAbstractListModel(parent)
    , m_instruments(instruments)
    , m_capacity(std::max(1, capacity))
{
}

int CandleModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QHash<int, QByteArray> CandleModel::roleNames() const
{
    return {
        {TimeRole, "time"},
        {OpenRole, "open"},
        {HighRole, "high"},
        {LowRole, "low"},
        {CloseRole, "close"},
        {VolumeRole, "volume"},
        {OpenValueRole, "openValue"},
        {HighValueRole, "highValue"},
        {LowValueRole, "lowValue"},
        {CloseValueRole, "closeValue"},
        {VolumeValueRole, "volumeValue"},
        {ClosedRole, "closed"},
    };
}

QVariant CandleModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[std::size_t(index.row())];
    switch (Role(role)) {
    case TimeRole:
        return qint64(r.t);
    case OpenRole:
        return m_instruments->formatPrice(m_symbol, r.o);
    case HighRole:
        return m_instruments->formatPrice(m_symbol, r.h);
    case LowRole:
        return m_instruments->formatPrice(m_symbol, r.l);
    case CloseRole:
        return m_instruments->formatPrice(m_symbol, r.c);
    case VolumeRole:
        return m_instruments->formatQty(m_symbol, r.v);
    case OpenValueRole:
        return r.o.toDouble();
    case HighValueRole:
        return r.h.toDouble();
    case LowValueRole:
        return r.l.toDouble();
    case CloseValueRole:
        return r.c.toDouble();
    case VolumeValueRole:
        return r.v.toDouble();
    case ClosedRole:
        return r.closed;
    }
    return {};
}

CandleModel::Row CandleModel::rowOf(const protocol::Candle &candle)
{
    return Row{candle.t, candle.o, candle.h, candle.l, candle.c, candle.v, candle.closed};
}

std::int64_t CandleModel::lastT() const
{
    if (!m_pending.empty())
        return m_pending.back().t;
    return m_rows.empty() ? std::numeric_limits<std::int64_t>::min() : m_rows.back().t;
}

void CandleModel::setSeries(const QString &symbol, protocol::CandleInterval interval)
{
    if (symbol == m_symbol && interval == m_interval)
        return;
    beginResetModel();
    m_symbol = symbol;
    m_interval = interval;
    m_rows.clear();
    m_pending.clear();
    m_changes.clear();
    endResetModel();
    updateRange();
}

void CandleModel::applySnapshot(const protocol::CandlesSnapshot &snapshot)
{
    if (snapshot.symbol != m_symbol || snapshot.interval != m_interval)
        return;
    beginResetModel();
    m_rows.clear();
    m_pending.clear();
    m_changes.clear();
    const qsizetype first = std::max<qsizetype>(0, snapshot.candles.size() - m_capacity);
    for (qsizetype i = first; i < snapshot.candles.size(); ++i) {
        const protocol::Candle &candle = snapshot.candles.at(i);
        if (!m_rows.empty() && candle.t <= m_rows.back().t)
            continue; // a snapshot is oldest first; anything else would break the order
        m_rows.push_back(rowOf(candle));
    }
    endResetModel();
    updateRange();
}

std::optional<QString> CandleModel::applyCandle(const protocol::Candle &candle)
{
    if (candle.symbol != m_symbol || candle.interval != m_interval)
        return std::nullopt;
    if (candle.o.isNegative() || candle.h.isNegative() || candle.l.isNegative()
        || candle.c.isNegative() || candle.v.isNegative())
        return u"candle %1 of %2 has a negative value"_s.arg(candle.t).arg(candle.symbol);
    const std::int64_t last = lastT();
    if (candle.t < last)
        return u"candle %1 of %2 is older than the last candle %3"_s.arg(candle.t)
            .arg(candle.symbol)
            .arg(last);
    const Row next = rowOf(candle);
    if (candle.t == last && !m_pending.empty()) {
        m_pending.back() = next;
    } else if (candle.t == last) {
        Row &row = m_rows.back();
        std::uint64_t changed = 0;
        compare(row.o, next.o, OpenRole, OpenValueRole, changed);
        compare(row.h, next.h, HighRole, HighValueRole, changed);
        compare(row.l, next.l, LowRole, LowValueRole, changed);
        compare(row.c, next.c, CloseRole, CloseValueRole, changed);
        compare(row.v, next.v, VolumeRole, VolumeValueRole, changed);
        if (row.closed != next.closed)
            changed |= bit(ClosedRole);
        row = next;
        m_changes.markMask(int(m_rows.size()) - 1, changed);
    } else {
        if (int(m_pending.size()) >= m_capacity)
            m_pending.pop_front();
        m_pending.push_back(next);
    }
    m_rangeStale = true;
    return std::nullopt;
}

void CandleModel::flush()
{
    if (m_formatStale) {
        m_formatStale = false;
        if (rowCount() > 0)
            Q_EMIT dataChanged(index(0), index(rowCount() - 1),
                               {OpenRole, HighRole, LowRole, CloseRole, VolumeRole});
    }
    // Updates first, while the row numbers they were recorded with are still valid.
    m_changes.take([this](int first, int last, const QList<int> &roles) {
        Q_EMIT dataChanged(index(first), index(last), roles);
    });
    const int added = int(m_pending.size());
    if (added > 0) {
        const int overflow = int(m_rows.size()) + added - m_capacity;
        if (overflow > 0) {
            beginRemoveRows({}, 0, overflow - 1);
            m_rows.erase(m_rows.begin(), m_rows.begin() + overflow);
            endRemoveRows();
        }
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + added - 1);
        m_rows.insert(m_rows.end(), m_pending.begin(), m_pending.end());
        m_pending.clear();
        endInsertRows();
    }
    if (m_rangeStale) {
        m_rangeStale = false;
        updateRange();
    }
}

void CandleModel::updateRange()
{
    double low = 0;
    double high = 0;
    if (!m_rows.empty()) {
        low = m_rows.front().l.toDouble();
        high = m_rows.front().h.toDouble();
        for (const Row &row : m_rows) {
            low = std::min(low, row.l.toDouble());
            high = std::max(high, row.h.toDouble());
        }
    }
    if (low == m_minPrice && high == m_maxPrice)
        return;
    m_minPrice = low;
    m_maxPrice = high;
    Q_EMIT priceRangeChanged();
}

} // namespace tickwire::market
