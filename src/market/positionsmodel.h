#pragma once

#include "market/instruments.h"
#include "market/rowchanges.h"
#include "protocol/symbolkey.h"

#include <QtCore/QAbstractListModel>
#include <QtCore/QHash>

#include <optional>

namespace tickwire::market {

// The account's positions, one row per symbol in the order first seen (flat positions stay,
// showing their realized P&L). Quantity, average price and realized P&L come from the server;
// the unrealized P&L is computed here, exactly: qty × (mark − avg_price), with mark the last
// trade or ticker price of the symbol. Updates and marks change rows in place (dataChanged at
// flush()); a new symbol appends a row at flush(); an orders snapshot is a reset.
// GUI thread only.
class PositionsModel : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PositionsModel)

public:
    enum Role {
        SymbolRole = Qt::UserRole,
        QtyRole, // signed, at the lot scale
        QtyValueRole,
        DirectionRole, // "long" / "short" / "flat"
        AvgPriceRole, // at the price scale
        RealizedPnlRole, // as sent by the server, at least at the price scale
        MarkRole, // empty until a price is known
        MarkValueRole,
        UnrealizedPnlRole, // exact, at least at the price scale; empty without a mark
        UnrealizedPnlValueRole,
    };
    Q_ENUM(Role)

    explicit PositionsModel(const InstrumentTable *instruments, QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    void applyPosition(const protocol::Position &position);
    void applySnapshot(const QList<protocol::Position> &positions); // a reset
    // The latest traded price of a symbol (positions or not: a later position uses it).
    void setMark(const QString &symbol, const Decimal &mark);
    // The instruments changed: every display string is re-announced at the next flush().
    void refreshFormatting() { m_formatStale = true; }
    void flush();

    // qty × (mark − avgPrice); nullopt on overflow (beyond 18 significant digits).
    [[nodiscard]] static std::optional<Decimal>
    unrealizedPnl(const Decimal &qty, const Decimal &avgPrice, const Decimal &mark);

private:
    struct Row
    {
        protocol::Position position;
        std::optional<Decimal> unrealized; // nullopt without a mark or on overflow
    };
    void recompute(int row, std::uint64_t changed);
    [[nodiscard]] QString money(const QString &symbol, const Decimal &value) const;

    const InstrumentTable *m_instruments;
    QList<Row> m_rows; // published
    QHash<SymbolKey, int> m_rowOf; // symbol -> published row
    QList<protocol::Position> m_pending; // new symbols, published at flush
    QHash<SymbolKey, Decimal> m_marks;
    RowChanges m_changes;
    bool m_formatStale = false;
};

} // namespace tickwire::market
