#include "server/exchange/exchange.h"

#include <QtCore/QDateTime>
#include <QtCore/QLoggingCategory>

#include <algorithm>

namespace tickwire::exchange {

Q_LOGGING_CATEGORY(lcExchange, "tickwire.exchange")

using namespace Qt::StringLiterals;
using protocol::Order;
using protocol::OrderStatus;
using protocol::OrderType;
using protocol::Side;

namespace {

constexpr int AveragePriceExtraDecimals = 4;

std::int64_t nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// Drops trailing zeros but keeps at least `minScale` decimals: exact, only the writing changes.
Decimal trimmed(const Decimal &value, int minScale)
{
    const Decimal n = value.normalized();
    if (n.scale() >= minScale)
        return n;
    return n.withScale(minScale).value_or(value);
}

int scaleOf(const Decimal &step)
{
    return step.normalized().scale();
}

bool isOpen(OrderStatus status)
{
    return status == OrderStatus::New || status == OrderStatus::PartiallyFilled;
}

} // namespace

struct Exchange::Account
{
    QString name;
    std::int64_t lastSeq = 0;
    QHash<QString, Order> orders; // every order, by order_id
    QHash<QString, QString> byClientId; // client_order_id -> order_id
    QHash<QString, Decimal> filledNotional; // order_id -> sum of fill qty x price
    QHash<QString, Position> positions; // by symbol
    QHash<QString, std::int64_t> positionSeq;

    [[nodiscard]] int openCount() const
    {
        return int(std::count_if(orders.cbegin(), orders.cend(),
                                 [](const Order &o) { return isOpen(o.status); }));
    }
};

struct Exchange::OpenOrder
{
    QString account;
    QString orderId;
    Side side = Side::Buy;
    Decimal price;
    std::int64_t priority = 0;
    // Paper trading: the order has had the depth its price reached (when it was placed, or
    // when the touch crossed it), and that depth is still in the real book; only trades
    // through its price fill it from then on.
    bool sweptTouch = false;
};

// Collects the events and state changes of one request (or one public trade), then commits
// them to the store in one transaction and publishes them.
class Exchange::Transaction
{
public:
    explicit Transaction(std::int64_t epoch)
        : m_epoch(epoch)
    {
    }

    void order(Account &acct, Order &order)
    {
        order.epoch = m_epoch;
        order.seq = ++acct.lastSeq;
        acct.orders.insert(order.orderId, order);
        m_commit.events.append({acct.name, order});
        m_commit.orders.append({acct.name, order});
        m_published[acct.name].append(order);
        touched(acct);
    }
    void position(Account &acct, const QString &symbol, const Position &position, int priceScale)
    {
        protocol::Position event;
        event.epoch = m_epoch;
        event.seq = ++acct.lastSeq;
        event.symbol = symbol;
        event.qty = position.qty().normalized();
        event.avgPrice =
            trimmed(position.averagePrice(priceScale + AveragePriceExtraDecimals), priceScale);
        event.realizedPnl = trimmed(position.realizedPnl(), priceScale);
        acct.positions.insert(symbol, position);
        acct.positionSeq.insert(symbol, event.seq);
        m_commit.events.append({acct.name, event});
        m_commit.positions.append({acct.name, symbol, position, event.seq});
        m_published[acct.name].append(event);
        touched(acct);
    }
    [[nodiscard]] bool isEmpty() const { return m_commit.events.isEmpty(); }
    EventStore::Commit &commit() { return m_commit; }
    const QList<QString> &accounts() const { return m_accounts; }
    const QList<protocol::Message> &published(const QString &account) const
    {
        return *m_published.constFind(account);
    }

private:
    void touched(const Account &acct)
    {
        if (!m_accounts.contains(acct.name))
            m_accounts.append(acct.name);
    }

    std::int64_t m_epoch;
    EventStore::Commit m_commit;
    QHash<QString, QList<protocol::Message>> m_published;
    QList<QString> m_accounts;
};

Exchange::Exchange(MarketAccess &market, ExchangeOptions options, QObject *parent)
    : QObject(parent)
    , m_market(market)
    , m_options(std::move(options))
{
    m_store.setKeepEvents(m_options.keepEvents);
}

Exchange::~Exchange() = default;

std::int64_t Exchange::epoch() const
{
    return m_store.epoch();
}

bool Exchange::open(QString *error)
{
    if (!m_store.open(m_options.statePath, error))
        return false;
    EventStore::State state;
    if (!m_store.load(&state, error))
        return false;
    m_nextOrderNumber = state.nextOrderNumber;
    for (auto it = state.lastSeq.cbegin(); it != state.lastSeq.cend(); ++it)
        account(it.key()).lastSeq = it.value();
    for (qsizetype i = 0; i < state.orders.size(); ++i) {
        const Order &o = state.orders.at(i);
        Account &acct = account(state.orderAccounts.at(i));
        acct.orders.insert(o.orderId, o);
        acct.byClientId.insert(o.clientOrderId, o.orderId);
        if (o.avgFillPrice)
            acct.filledNotional.insert(o.orderId,
                                       o.avgFillPrice->times(o.filledQty).value_or(Decimal()));
        if (isOpen(o.status) && o.orderType == OrderType::Limit && o.price)
            m_resting[o.symbol].append(
                OpenOrder{acct.name, o.orderId, o.side, *o.price, m_nextPriority++});
    }
    for (const EventStore::PositionRow &row : std::as_const(state.positions)) {
        Account &acct = account(row.account);
        acct.positions.insert(row.symbol, row.position);
        acct.positionSeq.insert(row.symbol, row.seq);
    }
    qCInfo(lcExchange).noquote() << u"event=exchange_open epoch=%1 accounts=%2 orders=%3 state=%4"_s
                                        .arg(epoch())
                                        .arg(m_accounts.size())
                                        .arg(state.orders.size())
                                        .arg(m_options.statePath.isEmpty() ? u"memory"_s
                                                                           : m_options.statePath);
    return true;
}

Exchange::Account &Exchange::account(const QString &name)
{
    auto it = m_accounts.find(name);
    if (it == m_accounts.end()) {
        auto acct = std::make_shared<Account>();
        acct->name = name;
        it = m_accounts.insert(name, acct);
    }
    return **it;
}

protocol::Error Exchange::invalid(const protocol::PlaceOrder &request, const QString &reason) const
{
    return protocol::Error{request.id, QString(protocol::ErrorCode::InvalidOrder), reason, {}};
}

protocol::Message Exchange::placeOrder(const QString &name, const protocol::PlaceOrder &request)
{
    if (m_failed)
        return protocol::Error{request.id,
                               QString(protocol::ErrorCode::InvalidOrder),
                               u"the exchange is unavailable: "_s + m_failure,
                               {}};
    Account &acct = account(name);

    // Idempotency: the same client_order_id with the same parameters is the same order.
    if (const auto known = acct.byClientId.constFind(request.clientOrderId);
        known != acct.byClientId.cend()) {
        const Order &existing = acct.orders.value(*known);
        const bool same = existing.symbol == request.symbol && existing.side == request.side
                          && existing.orderType == request.orderType && existing.qty == request.qty
                          && existing.price == request.price;
        if (!same)
            return invalid(request, u"client_order_id \"%1\" is already used by order %2"_s.arg(
                                        request.clientOrderId, existing.orderId));
        protocol::Ack ack;
        ack.id = request.id;
        ack.orderId = existing.orderId;
        ack.status = existing.status;
        return ack;
    }

    const auto instrument = m_market.instrument(request.symbol);
    if (!instrument) {
        protocol::Error error = invalid(request, u"unknown symbol \"%1\""_s.arg(request.symbol));
        error.symbol = request.symbol;
        return error;
    }
    const int priceScale = scaleOf(instrument->tickSize);
    const int qtyScale = scaleOf(instrument->lotSize);
    if (!request.qty.isPositive())
        return invalid(request, u"qty must be greater than zero"_s);
    if (!request.qty.isMultipleOf(instrument->lotSize))
        return invalid(request, u"qty %1 is not a multiple of the lot size %2"_s.arg(
                                    request.qty.toString(), instrument->lotSize.toString()));
    if (request.orderType == OrderType::Limit && !request.price)
        return invalid(request, u"a limit order needs a price"_s);
    if (request.orderType == OrderType::Market && request.price)
        return invalid(request, u"a market order must not have a price"_s);
    if (request.price && !request.price->isPositive())
        return invalid(request, u"price must be greater than zero"_s);
    if (request.price && !request.price->isMultipleOf(instrument->tickSize))
        return invalid(request, u"price %1 is not a multiple of the tick size %2"_s.arg(
                                    request.price->toString(), instrument->tickSize.toString()));
    if (acct.openCount() >= m_options.maxOpenOrders)
        return invalid(request,
                       u"the account has %1 open orders, the limit"_s.arg(m_options.maxOpenOrders));

    // Notional: at the limit price, or for a market order at the best opposite price.
    std::optional<Decimal> referencePrice = request.price;
    if (!referencePrice) {
        const protocol::OrderBook *book = m_market.book(request.symbol);
        const auto best = !book                       ? std::nullopt
                          : request.side == Side::Buy ? book->bestAsk()
                                                      : book->bestBid();
        if (best)
            referencePrice = best->price;
    }
    if (referencePrice) {
        const auto notional = request.qty.times(*referencePrice);
        if (!notional || *notional > m_options.maxOrderNotional)
            return invalid(request, u"order notional exceeds the limit of %1"_s.arg(
                                        m_options.maxOrderNotional.toString()));
        if (request.orderType == OrderType::Limit) {
            Decimal open = *notional;
            for (const Order &o : std::as_const(acct.orders)) {
                if (!isOpen(o.status) || !o.price)
                    continue;
                const auto remaining = o.qty.minus(o.filledQty);
                const auto n = remaining ? remaining->times(*o.price) : std::nullopt;
                const auto sum = n ? open.plus(*n) : std::nullopt;
                if (!sum)
                    return invalid(request, u"open notional overflows"_s);
                open = *sum;
            }
            if (open > m_options.maxOpenNotional)
                return invalid(request,
                               u"open orders would exceed the account's notional limit of %1"_s.arg(
                                   m_options.maxOpenNotional.toString()));
        }
    }

    Order order;
    order.orderId = u"o-%1"_s.arg(m_nextOrderNumber++);
    order.clientOrderId = request.clientOrderId;
    order.symbol = request.symbol;
    order.side = request.side;
    order.orderType = request.orderType;
    if (request.price)
        order.price = request.price->withScale(priceScale).value_or(*request.price);
    order.qty = request.qty.withScale(qtyScale).value_or(request.qty);
    order.filledQty = *Decimal::fromUnits(0, qtyScale);
    order.status = OrderStatus::New;
    order.ts = nowMs();
    acct.byClientId.insert(order.clientOrderId, order.orderId);

    Transaction tx(epoch());
    tx.order(acct, order);
    order.lastFillQty.reset();
    order.lastFillPrice.reset();

    m_executing = true;
    const QList<Execution> executions =
        m_market.execute(order.symbol, order.side, order.qty, order.price);
    m_executing = false;
    for (const Execution &e : executions)
        fill(tx, acct, order, e.qty, e.price, nowMs());

    if (isOpen(order.status)) {
        if (order.orderType == OrderType::Market) {
            order.status =
                order.filledQty.isZero() ? OrderStatus::Rejected : OrderStatus::Cancelled;
            order.reason = order.filledQty.isZero() ? u"no liquidity"_s
                                                    : u"insufficient liquidity: rest cancelled"_s;
            order.lastFillQty.reset();
            order.lastFillPrice.reset();
            order.ts = nowMs();
            tx.order(acct, order);
        } else {
            m_resting[order.symbol].append(OpenOrder{acct.name, order.orderId, order.side,
                                                     *order.price, m_nextPriority++,
                                                     !executions.isEmpty()});
        }
    }
    tx.commit().nextOrderNumber = m_nextOrderNumber;

    QString error;
    if (!finish(tx, &error))
        return protocol::Error{request.id,
                               QString(protocol::ErrorCode::InvalidOrder),
                               u"the order could not be stored: "_s + error,
                               {}};
    protocol::Ack ack;
    ack.id = request.id;
    ack.orderId = order.orderId;
    ack.status = order.status;
    return ack;
}

void Exchange::fill(Transaction &tx, Account &acct, Order &order, const Decimal &qty,
                    const Decimal &price, std::int64_t ts)
{
    const auto instrument = m_market.instrument(order.symbol);
    const int priceScale = instrument ? scaleOf(instrument->tickSize) : price.scale();
    const int qtyScale = instrument ? scaleOf(instrument->lotSize) : qty.scale();
    const Decimal fillQty = qty.withScale(qtyScale).value_or(qty);
    const auto filled = order.filledQty.plus(fillQty);
    const auto notional = price.times(fillQty);
    const auto total =
        notional ? acct.filledNotional.value(order.orderId).plus(*notional) : std::nullopt;
    if (!filled || !total) {
        qCWarning(lcExchange) << "fill overflow on" << order.orderId;
        return;
    }
    acct.filledNotional.insert(order.orderId, *total);
    order.filledQty = *filled;
    order.avgFillPrice =
        trimmed(total->dividedBy(*filled, priceScale + AveragePriceExtraDecimals).value_or(price),
                priceScale);
    order.lastFillQty = fillQty;
    order.lastFillPrice = price;
    order.status =
        order.filledQty >= order.qty ? OrderStatus::Filled : OrderStatus::PartiallyFilled;
    order.ts = ts;
    tx.order(acct, order);

    Position position = acct.positions.value(order.symbol);
    if (!position.apply(order.side == Side::Buy, fillQty, price)) {
        qCWarning(lcExchange) << "position overflow on" << order.symbol;
        return;
    }
    tx.position(acct, order.symbol, position, priceScale);
}

bool Exchange::finish(Transaction &tx, QString *error)
{
    if (tx.isEmpty())
        return true;
    if (!m_store.commit(tx.commit(), error)) {
        // Memory and disk now disagree: refuse everything rather than acknowledge orders
        // that a restart would not know.
        m_failed = true;
        m_failure = *error;
        qCCritical(lcExchange).noquote() << u"event=store_failed error=\"%1\""_s.arg(*error);
        Q_EMIT storeFailed(*error);
        return false;
    }
    for (const QString &name : tx.accounts())
        Q_EMIT accountEvents(name, tx.published(name));
    return true;
}

void Exchange::removeResting(const QString &orderId)
{
    for (auto &orders : m_resting) {
        if (orders.removeIf([&](const OpenOrder &o) { return o.orderId == orderId; }) > 0)
            return;
    }
}

protocol::Message Exchange::cancelOrder(const QString &name, const protocol::CancelOrder &request)
{
    Account &acct = account(name);
    const auto it = acct.orders.find(request.orderId);
    if (it == acct.orders.end() || !isOpen(it->status))
        return protocol::Error{request.id,
                               QString(protocol::ErrorCode::UnknownOrder),
                               u"no open order \"%1\""_s.arg(request.orderId),
                               {}};
    if (m_failed)
        return protocol::Error{request.id,
                               QString(protocol::ErrorCode::UnknownOrder),
                               u"the exchange is unavailable: "_s + m_failure,
                               {}};
    Order order = *it;
    order.status = OrderStatus::Cancelled;
    order.reason = u"cancelled by request"_s;
    order.lastFillQty.reset();
    order.lastFillPrice.reset();
    order.ts = nowMs();
    Transaction tx(epoch());
    tx.order(acct, order);
    QString error;
    if (!finish(tx, &error))
        return protocol::Error{request.id,
                               QString(protocol::ErrorCode::UnknownOrder),
                               u"the cancel could not be stored: "_s + error,
                               {}};
    removeResting(order.orderId);
    protocol::Ack ack;
    ack.id = request.id;
    ack.orderId = order.orderId;
    ack.status = order.status;
    return ack;
}

protocol::Message Exchange::cancelAll(const QString &name, const protocol::CancelAll &request)
{
    Account &acct = account(name);
    if (m_failed)
        return protocol::Error{request.id,
                               QString(protocol::ErrorCode::InvalidOrder),
                               u"the exchange is unavailable: "_s + m_failure,
                               {}};
    QList<Order> open;
    for (const Order &o : std::as_const(acct.orders)) {
        if (isOpen(o.status) && (!request.symbol || o.symbol == *request.symbol))
            open.append(o);
    }
    std::sort(open.begin(), open.end(), [](const Order &a, const Order &b) {
        return a.orderId.mid(2).toLongLong() < b.orderId.mid(2).toLongLong();
    });
    Transaction tx(epoch());
    for (Order &order : open) {
        order.status = OrderStatus::Cancelled;
        order.reason = u"cancelled by cancel_all"_s;
        order.lastFillQty.reset();
        order.lastFillPrice.reset();
        order.ts = nowMs();
        tx.order(acct, order);
    }
    QString error;
    if (!finish(tx, &error))
        return protocol::Error{request.id,
                               QString(protocol::ErrorCode::InvalidOrder),
                               u"the cancel could not be stored: "_s + error,
                               {}};
    for (const Order &order : std::as_const(open))
        removeResting(order.orderId);
    protocol::Ack ack;
    ack.id = request.id;
    ack.cancelled = int(open.size());
    return ack;
}

QList<std::pair<QString, std::int64_t>> Exchange::accountHeads() const
{
    QList<std::pair<QString, std::int64_t>> out;
    for (auto it = m_accounts.cbegin(); it != m_accounts.cend(); ++it)
        out.append({it.key(), (*it)->lastSeq});
    return out;
}

std::optional<QList<protocol::Message>> Exchange::eventsAfter(const QString &name, std::int64_t seq)
{
    const auto it = m_accounts.constFind(name);
    if (it == m_accounts.cend())
        return seq == 0 ? std::optional<QList<protocol::Message>>(QList<protocol::Message>{})
                        : std::nullopt;
    if (seq >= (*it)->lastSeq)
        return QList<protocol::Message>{};
    return m_store.eventsAfter(name, seq, (*it)->lastSeq);
}

Exchange::StreamStart Exchange::openStream(const QString &name,
                                           const std::optional<protocol::ResumePoint> &resume)
{
    Account &acct = account(name);
    StreamStart start;
    if (resume && resume->epoch == epoch() && resume->seq <= acct.lastSeq) {
        if (auto events = m_store.eventsAfter(name, resume->seq, acct.lastSeq)) {
            start.messages = std::move(*events);
            start.recovered = true;
            return start;
        }
    }
    protocol::OrdersSnapshot snapshot;
    snapshot.epoch = epoch();
    snapshot.seq = acct.lastSeq;
    for (const Order &o : std::as_const(acct.orders)) {
        if (isOpen(o.status))
            snapshot.orders.append(o);
    }
    std::sort(snapshot.orders.begin(), snapshot.orders.end(),
              [](const Order &a, const Order &b) { return a.seq < b.seq; });
    for (auto it = acct.positions.cbegin(); it != acct.positions.cend(); ++it) {
        const auto instrument = m_market.instrument(it.key());
        const int priceScale = instrument ? scaleOf(instrument->tickSize) : 2;
        protocol::Position p;
        p.epoch = epoch();
        p.seq = acct.positionSeq.value(it.key());
        p.symbol = it.key();
        p.qty = it->qty().normalized();
        p.avgPrice = trimmed(it->averagePrice(priceScale + AveragePriceExtraDecimals), priceScale);
        p.realizedPnl = trimmed(it->realizedPnl(), priceScale);
        snapshot.positions.append(p);
    }
    std::sort(snapshot.positions.begin(), snapshot.positions.end(),
              [](const protocol::Position &a, const protocol::Position &b) {
                  return a.symbol < b.symbol;
              });
    start.messages.append(snapshot);
    return start;
}

void Exchange::onTrade(const protocol::Trade &trade)
{
    if (m_executing || m_failed)
        return;
    const auto restingIt = m_resting.find(trade.symbol);
    if (restingIt == m_resting.end() || restingIt->isEmpty())
        return;

    QList<OpenOrder> crossing;
    for (const OpenOrder &o : std::as_const(*restingIt)) {
        const bool reaches = o.side == Side::Buy ? o.price >= trade.price : o.price <= trade.price;
        const bool through = o.price != trade.price;
        if (reaches && (!m_options.paper || through))
            crossing.append(o);
    }
    fillResting(std::move(crossing), trade.qty, trade.ts);
}

void Exchange::onBookChanged(const QString &symbol)
{
    if (!m_options.paper || m_failed)
        return;
    const auto restingIt = m_resting.find(symbol);
    if (restingIt == m_resting.end() || restingIt->isEmpty())
        return;
    const protocol::OrderBook *book = m_market.book(symbol);
    if (!book)
        return;
    // Buys and sells separately: each side has its own opposite liquidity.
    for (const Side side : {Side::Buy, Side::Sell}) {
        QList<OpenOrder> crossing;
        for (OpenOrder &o : *restingIt) {
            if (o.side != side || o.sweptTouch)
                continue;
            const std::optional<protocol::BookLevel> touch =
                side == Side::Buy ? book->bestAsk() : book->bestBid();
            if (!touch || (side == Side::Buy ? touch->price > o.price : touch->price < o.price))
                continue;
            // Once: the liquidity that crossed it stays in the real book (paper fills do not
            // remove it), so later updates showing it again are no new sellers or buyers.
            o.sweptTouch = true;
            crossing.append(o);
        }
        if (crossing.isEmpty())
            continue;
        // Visible quantity at or through the best crossed order's price; orders further from
        // the touch can only use what reaches them, which fillResting's order respects.
        Decimal available;
        const auto &levels = side == Side::Buy ? book->asks() : book->bids();
        const Decimal best = side == Side::Buy
                                 ? std::max_element(crossing.cbegin(), crossing.cend(),
                                                    [](const OpenOrder &a, const OpenOrder &b) {
                                                        return a.price < b.price;
                                                    })
                                       ->price
                                 : std::min_element(crossing.cbegin(), crossing.cend(),
                                                    [](const OpenOrder &a, const OpenOrder &b) {
                                                        return a.price < b.price;
                                                    })
                                       ->price;
        for (const auto &[price, qty] : levels) {
            if (side == Side::Buy ? price > best : price < best)
                break;
            available = available.plus(qty).value_or(available);
        }
        fillResting(std::move(crossing), available, nowMs());
    }
}

void Exchange::fillResting(QList<OpenOrder> crossing, Decimal available, std::int64_t ts)
{
    if (crossing.isEmpty())
        return;
    // Best price first, then oldest first.
    std::sort(crossing.begin(), crossing.end(), [](const OpenOrder &a, const OpenOrder &b) {
        if (a.price != b.price)
            return a.side == Side::Buy ? a.price > b.price : a.price < b.price;
        return a.priority < b.priority;
    });

    Transaction tx(epoch());
    QList<QString> done;
    for (const OpenOrder &o : std::as_const(crossing)) {
        if (!available.isPositive())
            break;
        Account &acct = account(o.account);
        Order order = acct.orders.value(o.orderId);
        const Decimal remaining = order.qty.minus(order.filledQty).value_or(Decimal());
        const Decimal qty = remaining < available ? remaining : available;
        if (!qty.isPositive())
            continue;
        fill(tx, acct, order, qty, o.price, ts);
        available = available.minus(qty).value_or(Decimal());
        if (!isOpen(order.status))
            done.append(order.orderId);
    }
    QString error;
    if (finish(tx, &error)) {
        for (const QString &id : std::as_const(done))
            removeResting(id);
    }
}

} // namespace tickwire::exchange
