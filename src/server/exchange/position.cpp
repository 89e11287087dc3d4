#include "server/exchange/position.h"

namespace tickwire::exchange {

namespace {

// Scale at which a proportional cost is rounded when part of a position closes.
constexpr int CostScale = 10;

} // namespace

bool Position::apply(bool buy, const Decimal &qty, const Decimal &price)
{
    if (!qty.isPositive())
        return false;
    const Decimal signedQty = buy ? qty : qty.negated();
    const auto notional = signedQty.times(price);
    if (!notional)
        return false;

    const bool opening = m_qty.isZero() || (m_qty.isPositive() == buy);
    if (opening) {
        const auto q = m_qty.plus(signedQty);
        const auto c = m_cost.plus(*notional);
        if (!q || !c)
            return false;
        m_qty = *q;
        m_cost = *c;
        return true;
    }

    // Reducing, closing or flipping.
    const Decimal open = m_qty.abs();
    const Decimal closing = qty < open ? qty : open;
    // Cost of the part being closed: all of it on a full close (exact), else proportional.
    std::optional<Decimal> closedCost;
    if (closing == open) {
        closedCost = m_cost;
    } else {
        const auto scaled = m_cost.times(closing);
        if (!scaled)
            return false;
        closedCost = scaled->dividedBy(open, std::max(CostScale, m_cost.scale()));
    }
    // Proceeds of closing at `price`, signed like the position: a long closes by selling.
    const auto proceeds = (m_qty.isPositive() ? closing : closing.negated()).times(price);
    if (!closedCost || !proceeds)
        return false;
    const auto pnl = proceeds->minus(*closedCost);
    const auto realized = pnl ? m_realized.plus(*pnl) : std::nullopt;
    const auto remainingCost = m_cost.minus(*closedCost);
    const auto remainingQty = m_qty.plus(buy ? closing : closing.negated());
    if (!realized || !remainingCost || !remainingQty)
        return false;

    Decimal newQty = *remainingQty;
    Decimal newCost = *remainingCost;
    if (qty > open) { // flip: the rest opens a position on the other side
        const Decimal rest = *qty.minus(open);
        const auto restSigned = buy ? rest : rest.negated();
        const auto restCost = restSigned.times(price);
        const auto q = newQty.plus(restSigned);
        if (!restCost || !q)
            return false;
        newQty = *q;
        newCost = *restCost;
    }
    if (newQty.isZero())
        newCost = Decimal();
    m_qty = newQty;
    m_cost = newCost;
    m_realized = *realized;
    return true;
}

Decimal Position::averagePrice(int scale) const
{
    if (m_qty.isZero())
        return Decimal::fromUnits(0, scale).value_or(Decimal());
    return m_cost.dividedBy(m_qty, scale).value_or(Decimal());
}

} // namespace tickwire::exchange
