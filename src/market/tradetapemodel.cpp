#include "market/tradetapemodel.h"

#include <QtCore/QDateTime>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace tickwire::market {

TradeTapeModel::TradeTapeModel(const InstrumentTable *instruments, int capacity, QObject *parent)
    : NewestFirstListModel(capacity, {PriceRole, QtyRole, CellsRole}, parent)
    , m_instruments(instruments)
{
}

QHash<int, QByteArray> TradeTapeModel::roleNames() const
{
    return {
        {PriceRole, "price"},       {PriceValueRole, "priceValue"},
        {QtyRole, "qty"},           {QtyValueRole, "qtyValue"},
        {SideRole, "side"},         {TimeRole, "time"},
        {TimeTextRole, "timeText"}, {TradeIdRole, "tradeId"},
        {CellsRole, "cells"},       {DirectionRole, "direction"},
    };
}

QVariant TradeTapeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TapeRow &r = rowAt(index.row());
    switch (Role(role)) {
    case PriceRole:
        return m_instruments->formatPrice(m_symbol, r.price);
    case PriceValueRole:
        return r.price.toDouble();
    case QtyRole:
        return m_instruments->formatQty(m_symbol, r.qty);
    case QtyValueRole:
        return r.qty.toDouble();
    case SideRole:
        return QString(protocol::toString(r.side));
    case TimeRole:
        return qint64(r.ts);
    case TimeTextRole:
        return QDateTime::fromMSecsSinceEpoch(r.ts).toString(u"HH:mm:ss.zzz");
    case TradeIdRole:
        return qint64(r.tradeId);
    case DirectionRole:
        return r.side == protocol::Side::Buy ? 1 : -1;
    case CellsRole:
        return QStringList{data(index, TimeTextRole).toString(), data(index, PriceRole).toString(),
                           data(index, QtyRole).toString()};
    }
    return {};
}

TapeRow TradeTapeModel::rowOf(const protocol::Trade &trade)
{
    return TapeRow{trade.price, trade.qty, trade.side, trade.ts, trade.tradeId};
}

void TradeTapeModel::setSymbol(const QString &symbol)
{
    if (symbol == m_symbol)
        return;
    beginResetModel();
    m_symbol = symbol;
    clearRows();
    m_lastTradeId = 0;
    endResetModel();
}

void TradeTapeModel::applySnapshot(const protocol::TradesSnapshot &snapshot)
{
    if (snapshot.symbol != m_symbol)
        return;
    beginResetModel();
    clearRows();
    m_lastTradeId = 0;
    const qsizetype first = std::max<qsizetype>(0, snapshot.trades.size() - capacity());
    for (qsizetype i = first; i < snapshot.trades.size(); ++i) {
        m_rows.push_front(rowOf(snapshot.trades.at(i)));
        m_lastTradeId = std::max(m_lastTradeId, snapshot.trades.at(i).tradeId);
    }
    endResetModel();
}

std::optional<QString> TradeTapeModel::appendTrade(const protocol::Trade &trade)
{
    if (trade.symbol != m_symbol)
        return u"trade of %1 given to the tape of %2"_s.arg(trade.symbol, m_symbol);
    if (!trade.price.isPositive() || !trade.qty.isPositive())
        return u"trade %1 of %2 has a non-positive price or quantity"_s.arg(trade.tradeId)
            .arg(trade.symbol);
    if (trade.tradeId <= m_lastTradeId)
        return u"trade %1 of %2 is not newer than trade %3 already shown"_s.arg(trade.tradeId)
            .arg(trade.symbol)
            .arg(m_lastTradeId);
    m_lastTradeId = trade.tradeId;
    queue(rowOf(trade));
    return std::nullopt;
}

} // namespace tickwire::market
