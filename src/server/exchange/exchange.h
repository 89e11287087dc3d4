#pragma once

#include "server/exchange/eventstore.h"
#include "server/exchange/marketaccess.h"

#include <QtCore/QObject>

#include <memory>

namespace tickwire::exchange {

struct ExchangeOptions
{
    QString statePath; // SQLite file; empty = in memory (a new epoch at every start)
    int keepEvents = 10'000; // events kept per account for resume
    int maxOpenOrders = 200; // per account
    Decimal maxOrderNotional = *Decimal::fromUnits(10'000'000, 0); // per order, quote currency
    Decimal maxOpenNotional = *Decimal::fromUnits(50'000'000, 0); // per account, resting orders
    // Paper trading: the market is real and the exchange owns none of its liquidity. Orders
    // take the visible depth without removing it; a resting order fills only when a public
    // trade goes through its price (a trade at the price may have been someone ahead in the
    // queue), or when the opposite touch moves to or through it (onBookChanged()).
    bool paper = false;
};

// The demo exchange: accounts, order validation, matching against the market's book and
// trades, positions, and the durable, resumable account event stream. Lives on the market
// engine thread; every method is called there. Each request is written to the EventStore
// before it is acknowledged and before its events are published.
class Exchange : public QObject
{
    Q_OBJECT

public:
    // What a subscriber to an account's `orders` channel receives first: either the replayed
    // events after its resume point (recovered) or one orders_snapshot.
    struct StreamStart
    {
        QList<protocol::Message> messages;
        bool recovered = false;
    };

    Exchange(MarketAccess &market, ExchangeOptions options, QObject *parent = nullptr);
    ~Exchange() override;
    Q_DISABLE_COPY_MOVE(Exchange)

    // Opens the state store and loads accounts; false with a message when the state file is
    // unusable (the file is left untouched).
    [[nodiscard]] bool open(QString *error);
    [[nodiscard]] std::int64_t epoch() const;

    // Each returns the reply to send: an Ack, or an Error with the request's id.
    protocol::Message placeOrder(const QString &account, const protocol::PlaceOrder &request);
    protocol::Message cancelOrder(const QString &account, const protocol::CancelOrder &request);
    protocol::Message cancelAll(const QString &account, const protocol::CancelAll &request);
    // Every account with its stream's last seq.
    [[nodiscard]] QList<std::pair<QString, std::int64_t>> accountHeads() const;
    // The account's events with seq > `seq`, in order; nullopt when some are no longer kept.
    [[nodiscard]] std::optional<QList<protocol::Message>> eventsAfter(const QString &account,
                                                                      std::int64_t seq);
    [[nodiscard]] StreamStart openStream(const QString &account,
                                         const std::optional<protocol::ResumePoint> &resume);

    // A public trade happened in the market: resting orders whose price it reaches (paper:
    // goes through) fill, up to the trade's quantity.
    void onTrade(const protocol::Trade &trade);
    // Paper trading: the symbol's book changed; resting orders the opposite touch now reaches
    // fill at their own price, up to the quantity visible at or through it.
    void onBookChanged(const QString &symbol);

Q_SIGNALS:
    // New events of one account's stream, in seq order, already durable.
    void accountEvents(const QString &account, const QList<protocol::Message> &events);
    // The store could not be written: the exchange refuses further requests.
    void storeFailed(const QString &message);

private:
    struct Account;
    struct OpenOrder;
    class Transaction;

    Account &account(const QString &name);
    protocol::Error invalid(const protocol::PlaceOrder &request, const QString &reason) const;
    void fill(Transaction &tx, Account &acct, protocol::Order &order, const Decimal &qty,
              const Decimal &price, std::int64_t ts);
    bool finish(Transaction &tx, QString *error);
    void removeResting(const QString &orderId);
    // Fills `crossing` (best price first, then oldest) from `available`, at each order's price.
    void fillResting(QList<OpenOrder> crossing, Decimal available, std::int64_t ts);

    MarketAccess &m_market;
    ExchangeOptions m_options;
    EventStore m_store;
    std::int64_t m_nextOrderNumber = 1;
    std::int64_t m_nextPriority = 1;
    QHash<QString, std::shared_ptr<Account>> m_accounts;
    // Resting limit orders per symbol, for matching against public trades.
    QHash<QString, QList<OpenOrder>> m_resting;
    bool m_executing = false; // our own executions also print trades: don't match them
    bool m_failed = false;
    QString m_failure;
};

} // namespace tickwire::exchange
