#pragma once

#include "protocol/decimal.h"

#include <optional>

namespace tickwire::exchange {

// A position in one instrument, kept with its exact cost basis so round trips give exact
// realized P&L. Quantities are signed (negative is short); money is in the quote currency.
class Position
{
public:
    Position() = default;
    Position(Decimal qty, Decimal cost, Decimal realized)
        : m_qty(qty)
        , m_cost(cost)
        , m_realized(realized)
    {
    }

    // Applies a fill of `qty` (> 0) at `price` on `buy` or sell side. Returns false (and
    // changes nothing) on arithmetic overflow.
    [[nodiscard]] bool apply(bool buy, const Decimal &qty, const Decimal &price);

    [[nodiscard]] const Decimal &qty() const { return m_qty; }
    // Signed cost of the open quantity: sum of qty x price of what is still open (negative
    // for a short), proportionally reduced on partial closes.
    [[nodiscard]] const Decimal &cost() const { return m_cost; }
    [[nodiscard]] const Decimal &realizedPnl() const { return m_realized; }
    // Average entry price of the open quantity, rounded half away from zero to `scale`
    // decimals; zero when flat.
    [[nodiscard]] Decimal averagePrice(int scale) const;

private:
    Decimal m_qty;
    Decimal m_cost;
    Decimal m_realized;
};

} // namespace tickwire::exchange
