#pragma once

#include "server/exchange/exchange.h"
#include "server/orderservice.h"

#include <memory>

namespace tickwire::server {

class MarketEngine;

// Plugs the demo exchange into the feed server: the OrderService the sessions talk to, and
// the MarketAccess the exchange trades through. Lives on the engine thread with the engine it
// wraps; open() must run there too (the SQLite connection belongs to the opening thread).
class ExchangeService final : public OrderService, private exchange::MarketAccess
{
public:
    ExchangeService(MarketEngine &engine, exchange::ExchangeOptions options);
    ~ExchangeService() override;
    Q_DISABLE_COPY_MOVE(ExchangeService)

    [[nodiscard]] bool open(QString *error);
    [[nodiscard]] std::int64_t epoch() const override { return m_exchange->epoch(); }
    [[nodiscard]] QList<AccountHead> accountHeads() const override;
    [[nodiscard]] std::optional<QList<protocol::Message>>
    eventsAfter(const QString &account, std::int64_t seq) const override;

    void handle(const QString &account, const protocol::Message &request,
                const Reply &reply) override;

private:
    std::optional<protocol::InstrumentInfo> instrument(const QString &symbol) const override;
    const protocol::OrderBook *book(const QString &symbol) const override;
    QList<exchange::Execution> execute(const QString &symbol, protocol::Side side, Decimal qty,
                                       std::optional<Decimal> limitPrice) override;
    void publish(const QString &account, const QList<protocol::Message> &events);

    MarketEngine &m_engine;
    std::unique_ptr<exchange::Exchange> m_exchange;
    // While a request is handled its events wait, so the requester gets its ack first.
    bool m_deferring = false;
    QList<std::pair<QString, QList<protocol::Message>>> m_deferred;
};

} // namespace tickwire::server
