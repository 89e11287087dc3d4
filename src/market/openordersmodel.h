#pragma once

#include "market/instruments.h"
#include "market/rowchanges.h"

#include <QtCore/QAbstractListModel>
#include <QtCore/QHash>

#include <vector>

namespace tickwire::market {

// The account's open orders (new / partially filled), in the order they were first seen.
// An order event updates its row in place (dataChanged with the changed roles); a new open
// order appends a row and a terminal one (filled, cancelled, rejected) removes it, both at
// flush(). An orders snapshot replaces everything (a reset). GUI thread only.
class OpenOrdersModel : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OpenOrdersModel)

public:
    enum Role {
        OrderIdRole = Qt::UserRole,
        ClientOrderIdRole,
        SymbolRole,
        SideRole, // "buy" / "sell"
        OrderTypeRole, // "limit" / "market"
        PriceRole, // string, empty for market orders
        PriceValueRole, // double, 0 for market orders
        QtyRole, // strings at the lot scale
        FilledQtyRole,
        RemainingQtyRole, // qty - filled
        RemainingQtyValueRole,
        AvgFillPriceRole, // empty until something filled
        StatusRole, // "new" / "partially_filled"
        TimeRole, // qint64 ms of the last event
        TimeTextRole, // "HH:mm:ss.zzz" in local time, for display
    };
    Q_ENUM(Role)

    explicit OpenOrdersModel(const InstrumentTable *instruments, QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    // Returns the reason when refused: filled more than the quantity, negative quantities.
    [[nodiscard]] std::optional<QString> applyOrder(const protocol::Order &order);
    // The open orders of a snapshot (terminal ones are skipped): a reset.
    void applySnapshot(const QList<protocol::Order> &orders);
    // The instruments changed: every display string is re-announced at the next flush().
    void refreshFormatting() { m_formatStale = true; }
    void flush();

    // Remaining quantity of the open limit orders of symbol/side, summed per price. Reflects
    // every applied event, flushed or not.
    [[nodiscard]] QHash<Decimal, Decimal> remainingByPrice(const QString &symbol,
                                                           protocol::Side side) const;
    [[nodiscard]] qsizetype openCount() const { return m_live.size(); }

private:
    [[nodiscard]] static std::uint64_t changedRoles(const protocol::Order &a,
                                                    const protocol::Order &b);

    const InstrumentTable *m_instruments;
    QList<protocol::Order> m_rows; // published
    QHash<QString, int> m_rowOf; // order id -> published row
    QList<protocol::Order> m_pending; // new open orders not yet published
    std::vector<int> m_removed; // published rows to remove at flush
    QHash<QString, protocol::Order> m_live; // all open orders, flushed or not
    RowChanges m_changes;
    bool m_formatStale = false;
};

} // namespace tickwire::market
