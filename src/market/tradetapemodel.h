#pragma once

#include "market/instruments.h"
#include "market/newestfirstlistmodel.h"

#include <optional>

namespace tickwire::market {

// The trade tape of one symbol: newest first, at most capacity() rows. New trades enter at
// row 0 (beginInsertRows), the oldest leave at the end (beginRemoveRows); a reset happens only
// for another symbol or a trades snapshot. appendTrade() only records; flush() publishes.
// GUI thread only.
struct TapeRow
{
    Decimal price, qty;
    protocol::Side side = protocol::Side::Buy;
    std::int64_t ts = 0;
    std::int64_t tradeId = 0;
};

class TradeTapeModel : public NewestFirstListModel<TapeRow>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TradeTapeModel)

public:
    enum Role {
        PriceRole = Qt::UserRole,
        PriceValueRole,
        QtyRole,
        QtyValueRole,
        SideRole, // "buy" / "sell": the aggressor
        TimeRole, // qint64 ms since the epoch
        TradeIdRole, // qint64
        TimeTextRole, // "HH:mm:ss.zzz" in local time, for display
        CellsRole, // QStringList: time text, price, qty (the tape's cells in one value)
        DirectionRole, // int: +1 for a buy aggressor, -1 for a sell (the price's up/down colour)
    };
    Q_ENUM(Role)

    static constexpr int DefaultCapacity = 200;

    explicit TradeTapeModel(const InstrumentTable *instruments, int capacity = DefaultCapacity,
                            QObject *parent = nullptr);

    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] QString symbol() const { return m_symbol; }
    void setSymbol(const QString &symbol); // reset to empty

    // Replaces the tape with the snapshot (a reset). Ignored for another symbol.
    void applySnapshot(const protocol::TradesSnapshot &snapshot);
    // Records a trade of this symbol for the next flush. Returns the reason when refused:
    // another symbol, a non-positive price or quantity, a trade id already shown (replay).
    [[nodiscard]] std::optional<QString> appendTrade(const protocol::Trade &trade);

private:
    static TapeRow rowOf(const protocol::Trade &trade);

    const InstrumentTable *m_instruments;
    QString m_symbol;
    std::int64_t m_lastTradeId = 0;
};

} // namespace tickwire::market
