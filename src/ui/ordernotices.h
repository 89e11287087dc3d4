#pragma once

#include "protocol/messages.h"

#include <QtCore/QString>

#include <optional>

namespace tickwire::ui {

// What the user is told about an order event: a fill ("Bought 0.5 of 1 BTC-USD @ 64000.00 ·
// partial") or a rejection. `key` makes the toasts of one order one toast that follows it.
struct OrderNotice
{
    QString kind; // "fill" or "error"
    QString text;
    QString key;

    friend bool operator==(const OrderNotice &, const OrderNotice &) = default;
};

// nullopt for order events the user is not told about (acks, cancels, snapshots).
[[nodiscard]] std::optional<OrderNotice> orderNotice(const protocol::Order &order);

} // namespace tickwire::ui
