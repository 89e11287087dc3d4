#include "ui/ordernotices.h"

#include <QtCore/QCoreApplication>

using namespace Qt::StringLiterals;

namespace tickwire::ui {

std::optional<OrderNotice> orderNotice(const protocol::Order &order)
{
    const auto tr = [](const char *text) {
        return QCoreApplication::translate("OrderNotice", text);
    };
    if (order.lastFillQty && order.lastFillPrice) {
        const bool done = order.status == protocol::OrderStatus::Filled;
        const QString text =
            (order.side == protocol::Side::Buy ? tr("Bought %1 of %2 %3 @ %4 · %5")
                                               : tr("Sold %1 of %2 %3 @ %4 · %5"))
                .arg(order.filledQty.toString(), order.qty.toString(), order.symbol,
                     order.avgFillPrice.value_or(*order.lastFillPrice).toString(),
                     done ? tr("filled") : tr("partial"));
        return OrderNotice{u"fill"_s, text, u"fill:"_s + order.orderId};
    }
    if (order.status == protocol::OrderStatus::Rejected) {
        const QString reason = order.reason.value_or(tr("no reason given"));
        return OrderNotice{u"error"_s, tr("Order %1 rejected: %2").arg(order.clientOrderId, reason),
                           u"rejected:"_s + order.clientOrderId};
    }
    return std::nullopt;
}

} // namespace tickwire::ui
