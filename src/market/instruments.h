#pragma once

#include "protocol/messages.h"
#include "protocol/symbolkey.h"

#include <QtCore/QHash>

namespace tickwire::market {

// The instruments the server lists (symbol, name, tick and lot size): tells every model how
// many decimals to show for a symbol's prices and quantities.
class InstrumentTable
{
public:
    void setInstruments(const QList<protocol::InstrumentInfo> &instruments);
    [[nodiscard]] const protocol::InstrumentInfo *find(const QString &symbol) const;
    // Every listed symbol, sorted.
    [[nodiscard]] QStringList symbols() const;
    [[nodiscard]] QString name(const QString &symbol) const;
    // Decimals of the tick / lot size, or -1 when the symbol is unknown.
    [[nodiscard]] int priceScale(const QString &symbol) const;
    [[nodiscard]] int qtyScale(const QString &symbol) const;
    [[nodiscard]] QString formatPrice(const QString &symbol, const Decimal &price) const
    {
        return format(price, priceScale(symbol));
    }
    [[nodiscard]] QString formatQty(const QString &symbol, const Decimal &qty) const
    {
        return format(qty, qtyScale(symbol));
    }

    // `value` written with `scale` decimals. Never rounds: a value with more significant
    // decimals than `scale` (or scale < 0) is written exactly as it is.
    [[nodiscard]] static QString format(const Decimal &value, int scale);

private:
    // Looked up for every price and quantity a model formats (SymbolKey: see symbolkey.h).
    QHash<SymbolKey, protocol::InstrumentInfo> m_bySymbol;
};

// Sign of a - b: +1, -1 or 0.
[[nodiscard]] inline int compareSign(const Decimal &a, const Decimal &b)
{
    const auto order = a <=> b;
    return std::is_gt(order) ? 1 : (std::is_lt(order) ? -1 : 0);
}

} // namespace tickwire::market
