#pragma once

#include "market/instruments.h"
#include "market/newestfirstlistmodel.h"

#include <optional>

namespace tickwire::market {

// The account's fills, newest first, at most capacity() rows: one row per order event that
// carries last_fill_qty. New fills enter at row 0, the oldest leave at the end (never a reset,
// except for clear()). applyOrder() only records; flush() publishes. GUI thread only.
struct FillRow
{
    QString orderId, symbol;
    protocol::Side side = protocol::Side::Buy;
    Decimal price, qty;
    std::int64_t ts = 0;
};

class FillsModel : public NewestFirstListModel<FillRow>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FillsModel)

public:
    enum Role {
        OrderIdRole = Qt::UserRole,
        SymbolRole,
        SideRole, // "buy" / "sell"
        PriceRole,
        PriceValueRole,
        QtyRole,
        QtyValueRole,
        TimeRole, // qint64 ms
        TimeTextRole, // "HH:mm:ss.zzz" in local time, for display
    };
    Q_ENUM(Role)

    static constexpr int DefaultCapacity = 500;

    explicit FillsModel(const InstrumentTable *instruments, int capacity = DefaultCapacity,
                        QObject *parent = nullptr);

    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    // Records the fill an order event reports, if any. Returns the reason when refused: a fill
    // without a price, a non-positive fill quantity.
    [[nodiscard]] std::optional<QString> applyOrder(const protocol::Order &order);
    void clear(); // a reset

private:
    const InstrumentTable *m_instruments;
};

} // namespace tickwire::market
