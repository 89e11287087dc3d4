#include "server/exchangeservice.h"

#include "server/marketengine.h"

namespace tickwire::server {

using namespace protocol;

ExchangeService::ExchangeService(MarketEngine &engine, exchange::ExchangeOptions options)
    : m_engine(engine)
    , m_exchange(std::make_unique<exchange::Exchange>(static_cast<exchange::MarketAccess &>(*this),
                                                     std::move(options)))
{
    QObject::connect(
        m_exchange.get(), &exchange::Exchange::accountEvents, m_exchange.get(),
        [this](const QString &account, const QList<Message> &events) { publish(account, events); });
    QObject::connect(&m_engine, &MarketEngine::tradeExecuted, m_exchange.get(),
                     [this](const Trade &trade) { m_exchange->onTrade(trade); });
    QObject::connect(&m_engine, &MarketEngine::bookChanged, m_exchange.get(),
                     [this](const QString &symbol) { m_exchange->onBookChanged(symbol); });
}

ExchangeService::~ExchangeService() = default;

bool ExchangeService::open(QString *error)
{
    return m_exchange->open(error);
}

void ExchangeService::publish(const QString &account, const QList<Message> &events)
{
    if (m_deferring) {
        m_deferred.append({account, events});
        return;
    }
    for (const Message &event : events)
        m_engine.publishAccountEvent(account, event);
}

void ExchangeService::handle(const QString &account, const Message &request, const Reply &reply)
{
    m_deferring = true;
    QList<Message> messages;
    std::optional<std::int64_t> ordersSeq;
    if (const auto *place = std::get_if<PlaceOrder>(&request)) {
        messages.append(m_exchange->placeOrder(account, *place));
    } else if (const auto *cancel = std::get_if<CancelOrder>(&request)) {
        messages.append(m_exchange->cancelOrder(account, *cancel));
    } else if (const auto *all = std::get_if<CancelAll>(&request)) {
        messages.append(m_exchange->cancelAll(account, *all));
    } else if (const auto *subscribe = std::get_if<Subscribe>(&request)) {
        exchange::Exchange::StreamStart start = m_exchange->openStream(account, subscribe->resume);
        std::int64_t seq = subscribe->resume ? subscribe->resume->seq : 0;
        for (const Message &m : std::as_const(start.messages)) {
            if (const auto *snapshot = std::get_if<OrdersSnapshot>(&m))
                seq = snapshot->seq;
            else if (const auto *order = std::get_if<Order>(&m))
                seq = order->seq;
            else if (const auto *position = std::get_if<Position>(&m))
                seq = position->seq;
        }
        messages = std::move(start.messages);
        Ack ack;
        ack.id = subscribe->id;
        ack.channel = Channel::Orders;
        ack.recovered = start.recovered;
        messages.append(ack);
        ordersSeq = seq;
    } else if (const auto *unsubscribe = std::get_if<Unsubscribe>(&request)) {
        Ack ack;
        ack.id = unsubscribe->id;
        ack.channel = Channel::Orders;
        messages.append(ack);
    } else {
        messages.append(Error{requestId(request),
                              QString(ErrorCode::UnknownType),
                              QStringLiteral("not an order request"),
                              {}});
    }
    m_deferring = false;
    reply(messages, ordersSeq);
    const auto deferred = std::exchange(m_deferred, {});
    for (const auto &[acct, events] : deferred)
        publish(acct, events);
}

QList<OrderService::AccountHead> ExchangeService::accountHeads() const
{
    QList<AccountHead> out;
    const auto heads = m_exchange->accountHeads();
    for (const auto &[account, seq] : heads)
        out.append(AccountHead{account, seq});
    return out;
}

std::optional<QList<Message>> ExchangeService::eventsAfter(const QString &account,
                                                           std::int64_t seq) const
{
    return m_exchange->eventsAfter(account, seq);
}

std::optional<InstrumentInfo> ExchangeService::instrument(const QString &symbol) const
{
    return m_engine.instrument(symbol);
}

const OrderBook *ExchangeService::book(const QString &symbol) const
{
    return m_engine.book(symbol);
}

QList<exchange::Execution> ExchangeService::execute(const QString &symbol, Side side, Decimal qty,
                                                    std::optional<Decimal> limitPrice)
{
    QList<exchange::Execution> out;
    for (const Execution &e : m_engine.execute(symbol, side, qty, limitPrice))
        out.append(exchange::Execution{e.price, e.qty});
    return out;
}

} // namespace tickwire::server
