#pragma once

#include "protocol/messages.h"

#include <QtCore/QList>
#include <QtCore/QString>

#include <functional>
#include <optional>

namespace tickwire::server {

// The seam to the demo exchange. Lives on the engine thread (owned by MarketEngine); sessions
// reach it only through MarketEngine, never directly.
class OrderService
{
public:
    // Messages for the requesting session, in order (acks, errors, orders_snapshot or replayed
    // order/position events). For a `subscribe` to orders, `ordersSeq` is the account stream
    // position the reply reflects: later account events are forwarded only when seq > it.
    // Callable once, from the engine thread; the session's worker receives the messages before
    // any account event published after the call.
    using Reply = std::function<void(const QList<protocol::Message> &messages,
                                     std::optional<std::int64_t> ordersSeq)>;

    virtual ~OrderService() = default;
    // `request` is a PlaceOrder, CancelOrder, CancelAll or a Subscribe/Unsubscribe to orders;
    // `account` is the authenticated account (never empty: sessions check the token first).
    virtual void handle(const QString &account, const protocol::Message &request,
                        const Reply &reply) = 0;

    // The account streams' log, for publishing it elsewhere (the backplane's outbox): the
    // epoch, every account with its last seq, and an account's events after a seq (nullopt
    // when some are no longer kept). Empty without a durable log.
    struct AccountHead
    {
        QString account;
        std::int64_t lastSeq = 0;
    };
    [[nodiscard]] virtual std::int64_t epoch() const { return 0; }
    [[nodiscard]] virtual QList<AccountHead> accountHeads() const { return {}; }
    [[nodiscard]] virtual std::optional<QList<protocol::Message>>
    eventsAfter(const QString &account, std::int64_t seq) const
    {
        Q_UNUSED(account)
        Q_UNUSED(seq)
        return std::nullopt;
    }
};

} // namespace tickwire::server
