#include "market/quotemodel.h"

#include "market/reorder.h"

#include <QtCore/QSet>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace tickwire::market {

namespace {

constexpr std::uint64_t bit(QuoteModel::Role role)
{
    return RowChanges::bitOf(role);
}

// Roles that depend on each input field.
constexpr std::uint64_t CellsBit = bit(QuoteModel::CellsRole);
constexpr std::uint64_t LastBits = bit(QuoteModel::LastRole) | bit(QuoteModel::LastValueRole)
                                   | bit(QuoteModel::ChangeRole) | bit(QuoteModel::ChangePercentRole)
                                   | bit(QuoteModel::ChangeValueRole) | CellsBit;
constexpr std::uint64_t OpenBits = bit(QuoteModel::ChangeRole) | bit(QuoteModel::ChangePercentRole)
                                   | bit(QuoteModel::ChangeValueRole) | CellsBit;
constexpr std::uint64_t BidBits = bit(QuoteModel::BidRole) | bit(QuoteModel::SpreadRole) | CellsBit;
constexpr std::uint64_t AskBits = bit(QuoteModel::AskRole) | bit(QuoteModel::SpreadRole) | CellsBit;
constexpr std::uint64_t AllBits = ~std::uint64_t(0)
                                  >> (64 - (int(QuoteModel::CellsRole) - int(Qt::UserRole) + 1));

void assign(Decimal &field, const Decimal &value, std::uint64_t bits, std::uint64_t &changed)
{
    if (field.isIdenticalTo(value))
        return;
    field = value;
    changed |= bits;
}

} // namespace

QuoteModel::QuoteModel(const InstrumentTable *instruments, QObject *parent)
    : QAbstractListModel(parent)
    , m_instruments(instruments)
{
}

int QuoteModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_symbols.size());
}

QHash<int, QByteArray> QuoteModel::roleNames() const
{
    return {
        {SymbolRole, "symbol"},
        {NameRole, "name"},
        {LastRole, "last"},
        {LastValueRole, "lastValue"},
        {ChangeRole, "change"},
        {ChangePercentRole, "changePercent"},
        {ChangeValueRole, "changeValue"},
        {BidRole, "bid"},
        {AskRole, "ask"},
        {SpreadRole, "spread"},
        {VolumeRole, "volume"},
        {HighRole, "high"},
        {LowRole, "low"},
        {SparklineRole, "sparkline"},
        {TickDirectionRole, "tickDirection"},
        {HasDataRole, "hasData"},
        {AvailableRole, "available"},
        {ErrorRole, "error"},
        {CellsRole, "cells"},
    };
}

QStringList QuoteModel::cellNames()
{
    return {u"last"_s, u"change"_s, u"changePercent"_s, u"bid"_s, u"ask"_s,
            u"spread"_s, u"volume"_s, u"high"_s, u"low"_s};
}

std::optional<Decimal> QuoteModel::value(const QString &symbol, Role role) const
{
    const auto it = m_quotes.constFind(symbol);
    if (it == m_quotes.cend() || !it->hasData)
        return std::nullopt;
    const Quote &q = it.value();
    switch (role) {
    case LastRole:
        return q.last;
    case ChangeRole:
        return q.last.minus(q.open);
    case ChangePercentRole: {
        if (q.open.isZero())
            return std::nullopt;
        const std::optional<Decimal> change = q.last.minus(q.open);
        const std::optional<Decimal> hundred =
            change ? change->times(Decimal::fromInt(100)) : std::nullopt;
        return hundred ? hundred->dividedBy(q.open, 2) : std::nullopt;
    }
    case BidRole:
        return q.bid;
    case AskRole:
        return q.ask;
    case SpreadRole:
        return q.ask.minus(q.bid);
    case VolumeRole:
        return q.volume;
    case HighRole:
        return q.high;
    case LowRole:
        return q.low;
    default:
        return std::nullopt;
    }
}

QVariant QuoteModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QString &symbol = m_symbols.at(index.row());
    const auto it = m_quotes.constFind(symbol);
    static const Quote empty;
    const Quote &q = it == m_quotes.cend() ? empty : it.value();
    const auto price = [&](const Decimal &value) {
        return q.hasData ? m_instruments->formatPrice(symbol, value) : QString();
    };
    switch (Role(role)) {
    case SymbolRole:
        return symbol;
    case NameRole:
        return m_instruments->name(symbol);
    case LastRole:
        return price(q.last);
    case LastValueRole:
        return q.hasData ? QVariant(q.last.toDouble()) : QVariant();
    case ChangeRole:
        return q.hasData ? price(q.last.minus(q.open).value_or(Decimal())) : QString();
    case ChangePercentRole: {
        const std::optional<Decimal> percent = value(symbol, ChangePercentRole);
        return percent ? percent->toString() : QString();
    }
    case ChangeValueRole:
        return q.hasData ? QVariant(q.last.minus(q.open).value_or(Decimal()).toDouble())
                         : QVariant();
    case BidRole:
        return price(q.bid);
    case AskRole:
        return price(q.ask);
    case SpreadRole:
        return q.hasData ? price(q.ask.minus(q.bid).value_or(Decimal())) : QString();
    case VolumeRole:
        return q.hasData ? m_instruments->formatQty(symbol, q.volume) : QString();
    case HighRole:
        return price(q.high);
    case LowRole:
        return price(q.low);
    case SparklineRole:
        return QVariant::fromValue(q.sparkline);
    case TickDirectionRole:
        return q.direction;
    case HasDataRole:
        return q.hasData;
    case AvailableRole:
        return q.error.isEmpty();
    case ErrorRole:
        return q.error;
    case CellsRole: {
        const auto text = [&](Role r) { return data(index, r).toString(); };
        QStringList cells(CellCount);
        cells[LastCell] = text(LastRole);
        cells[ChangeCell] = text(ChangeRole);
        cells[ChangePercentCell] = text(ChangePercentRole);
        if (!cells[ChangePercentCell].isEmpty() && data(index, ChangeValueRole).toDouble() > 0)
            cells[ChangePercentCell].prepend(u'+');
        cells[BidCell] = text(BidRole);
        cells[AskCell] = text(AskRole);
        cells[SpreadCell] = text(SpreadRole);
        cells[VolumeCell] = compactNumber(text(VolumeRole));
        cells[HighCell] = text(HighRole);
        cells[LowCell] = text(LowRole);
        return cells;
    }
    }
    return {};
}

QString QuoteModel::compactNumber(const QString &text)
{
    bool ok = false;
    const double v = text.toDouble(&ok);
    if (!ok)
        return text;
    const double a = std::abs(v);
    if (a >= 1e9)
        return QString::number(v / 1e9, 'f', 2) + u'B';
    if (a >= 1e6)
        return QString::number(v / 1e6, 'f', 2) + u'M';
    if (a >= 1e4)
        return QString::number(v / 1e3, 'f', 1) + u'K';
    return QString::number(v, 'f', a >= 100 ? 0 : 2);
}

QuoteModel::Quote &QuoteModel::quoteFor(const QString &symbol)
{
    auto it = m_quotes.find(symbol);
    if (it == m_quotes.end())
        it = m_quotes.insert(symbol, Quote{});
    return it.value();
}

void QuoteModel::markRow(const QString &symbol, std::uint64_t roles)
{
    const auto it = m_rowOf.constFind(symbol);
    if (it != m_rowOf.cend())
        m_changes.markMask(it.value(), roles);
}

void QuoteModel::setSymbols(const QStringList &symbols)
{
    QStringList next;
    QHash<SymbolKey, int> rowOf;
    for (const QString &symbol : symbols) {
        if (rowOf.contains(symbol))
            continue;
        rowOf.insert(symbol, int(next.size()));
        next.append(symbol);
    }
    if (next == m_symbols)
        return;
    // Editing, reordering or sorting a watchlist removes, moves and inserts rows, keeping the
    // views' state (current row, scroll position, delegates); only another list, sharing no
    // symbol with the shown one, is a reset.
    const bool shared = std::any_of(m_symbols.cbegin(), m_symbols.cend(),
                                    [&](const QString &symbol) { return rowOf.contains(symbol); });
    if (shared || m_symbols.isEmpty() || next.isEmpty())
        editSymbols(next, rowOf);
    else
        resetSymbols(next, rowOf);
}

void QuoteModel::editSymbols(const QStringList &next, const QHash<SymbolKey, int> &rowOf)
{
    // Changes recorded since the last flush follow their rows to where they end up.
    const auto newRow = [&](int oldRow) { return rowOf.value(m_symbols.at(oldRow), -1); };
    m_changes.remap(newRow);
    for (std::vector<int> *rows : {&m_movedRows, &m_flashRows}) {
        std::vector<int> moved;
        for (int row : *rows) {
            if (const int to = newRow(row); to >= 0)
                moved.push_back(to);
        }
        rows->swap(moved);
    }
    for (const QString &symbol : std::as_const(m_symbols)) {
        if (!rowOf.contains(symbol)) {
            Quote &q = quoteFor(symbol); // no flash pending for rows that are going away
            q.direction = 0;
            q.lastMoved = false;
        }
    }
    // Removals from the bottom up, one signal per contiguous run.
    for (int last = int(m_symbols.size()) - 1; last >= 0;) {
        if (rowOf.contains(m_symbols.at(last))) {
            --last;
            continue;
        }
        int first = last;
        while (first > 0 && !rowOf.contains(m_symbols.at(first - 1)))
            --first;
        beginRemoveRows({}, first, last);
        m_symbols.remove(first, last - first + 1);
        endRemoveRows();
        last = first - 1;
    }
    // The symbols that stay, into their new order: as few single-row moves as that takes.
    std::vector<int> keptRows(std::size_t(m_symbols.size()));
    for (std::size_t i = 0; i < keptRows.size(); ++i)
        keptRows[i] = rowOf.value(m_symbols.at(qsizetype(i)));
    std::vector<int> targetOf(keptRows.size());
    {
        std::vector<int> byTarget = keptRows;
        std::sort(byTarget.begin(), byTarget.end());
        for (std::size_t i = 0; i < keptRows.size(); ++i)
            targetOf[i] = int(std::lower_bound(byTarget.begin(), byTarget.end(), keptRows[i])
                              - byTarget.begin());
    }
    reorderByMoves(std::move(targetOf), [this](int from, int to) {
        beginMoveRows({}, from, from, {}, to > from ? to + 1 : to);
        m_symbols.move(from, to);
        endMoveRows();
    });
    // New symbols at their places, one signal per contiguous run; the rows above a run
    // already match `next`.
    QSet<SymbolKey> kept;
    for (const QString &symbol : std::as_const(m_symbols))
        kept.insert(symbol);
    for (int first = 0; first < next.size();) {
        if (kept.contains(next.at(first))) {
            ++first;
            continue;
        }
        int last = first;
        while (last + 1 < next.size() && !kept.contains(next.at(last + 1)))
            ++last;
        beginInsertRows({}, first, last);
        for (int row = first; row <= last; ++row)
            m_symbols.insert(row, next.at(row));
        endInsertRows();
        first = last + 1;
    }
    Q_ASSERT(m_symbols == next);
    m_rowOf = rowOf;
}

void QuoteModel::resetSymbols(const QStringList &next, const QHash<SymbolKey, int> &rowOf)
{
    beginResetModel();
    m_symbols = next;
    m_rowOf = rowOf;
    m_changes.clear();
    m_movedRows.clear();
    m_flashRows.clear();
    // Directions restart from the current prices: nothing flashes right after a reset.
    for (Quote &q : m_quotes) {
        q.direction = 0;
        q.lastMoved = false;
        q.lastAtFlush = q.last;
        q.hasLastAtFlush = q.hasData;
    }
    endResetModel();
}

void QuoteModel::applyTicker(const protocol::Ticker &ticker)
{
    Quote &q = quoteFor(ticker.symbol);
    std::uint64_t changed = 0;
    if (!q.hasData) {
        q.hasData = true;
        changed |= AllBits
                   & ~(bit(SymbolRole) | bit(NameRole) | bit(AvailableRole) | bit(ErrorRole)
                       | bit(TickDirectionRole));
    }
    const bool lastChanged = !q.last.isIdenticalTo(ticker.last);
    assign(q.last, ticker.last, LastBits, changed);
    assign(q.open, ticker.open24h, OpenBits, changed);
    assign(q.bid, ticker.bid, BidBits, changed);
    assign(q.ask, ticker.ask, AskBits, changed);
    assign(q.high, ticker.high24h, bit(HighRole) | CellsBit, changed);
    assign(q.low, ticker.low24h, bit(LowRole) | CellsBit, changed);
    assign(q.volume, ticker.volume24h, bit(VolumeRole) | CellsBit, changed);
    if (extendSparkline(q, ticker))
        changed |= bit(SparklineRole);
    const auto row = m_rowOf.constFind(ticker.symbol);
    if (row == m_rowOf.cend())
        return;
    m_changes.markMask(row.value(), changed);
    if (lastChanged && !q.lastMoved) {
        q.lastMoved = true;
        m_movedRows.push_back(row.value());
    }
}

bool QuoteModel::extendSparkline(Quote &q, const protocol::Ticker &ticker)
{
    const qreal last = ticker.last.toDouble();
    // Floor division: a step is [k * SparklineStepMs, (k + 1) * SparklineStepMs) of ts.
    const std::int64_t step = ticker.ts / SparklineStepMs - (ticker.ts % SparklineStepMs < 0);
    if (!q.sparkline.isEmpty() && step <= q.sparklineStep) {
        // The open step (or a ticker stamped before it, from a server whose clock went back:
        // the newest price is still the one to show).
        if (q.sparkline.last() == last)
            return false;
        q.sparkline.last() = last;
        return true;
    }
    if (!q.sparkline.isEmpty()) {
        // Steps without a ticker keep the price they began with.
        const qreal before = q.sparkline.last();
        const std::int64_t gap =
            std::min<std::int64_t>(step - q.sparklineStep - 1, SparklineLength);
        for (std::int64_t i = 0; i < gap; ++i)
            q.sparkline.append(before);
    }
    q.sparkline.append(last);
    if (q.sparkline.size() > SparklineLength)
        q.sparkline.remove(0, q.sparkline.size() - SparklineLength);
    q.sparklineStep = step;
    return true;
}

void QuoteModel::setSymbolError(const QString &symbol, const QString &reason)
{
    Quote &q = quoteFor(symbol);
    if (q.error == reason)
        return;
    const bool wasAvailable = q.error.isEmpty();
    q.error = reason;
    markRow(symbol, bit(ErrorRole) | (wasAvailable != reason.isEmpty() ? bit(AvailableRole) : 0));
}

void QuoteModel::refreshAll()
{
    for (int row = 0; row < m_symbols.size(); ++row)
        m_changes.markMask(row, AllBits & ~(bit(SymbolRole) | bit(TickDirectionRole)));
}

void QuoteModel::updateDirection(int row, std::vector<int> &stillMoving)
{
    Quote &q = m_quotes[m_symbols.at(row)];
    int direction = 0;
    if (q.lastMoved) {
        direction = q.hasLastAtFlush ? compareSign(q.last, q.lastAtFlush) : 0;
        q.lastMoved = false;
    }
    q.lastAtFlush = q.last;
    q.hasLastAtFlush = q.hasData;
    if (direction != q.direction) {
        q.direction = direction;
        m_changes.mark(row, TickDirectionRole);
    }
    if (direction != 0)
        stillMoving.push_back(row);
}

void QuoteModel::flush()
{
    std::vector<int> flashing;
    flashing.reserve(m_movedRows.size() + m_flashRows.size());
    // Rows that flashed last frame and did not move since go back to 0 (moved rows are
    // handled just below).
    for (int row : m_flashRows) {
        if (!m_quotes[m_symbols.at(row)].lastMoved)
            updateDirection(row, flashing);
    }
    for (int row : m_movedRows)
        updateDirection(row, flashing);
    m_movedRows.clear();
    m_flashRows.swap(flashing);
    m_changes.take([this](int first, int last, const QList<int> &roles) {
        Q_EMIT dataChanged(index(first), index(last), roles);
    });
}

} // namespace tickwire::market
