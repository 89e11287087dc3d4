#include "ui/orderticket.h"

#include "client/feedclient.h"
#include "market/marketstore.h"

namespace tickwire::ui {

using namespace Qt::StringLiterals;
using client::FeedClient;

namespace {

const QString TicketKey = u"ticket"_s;
const QString CancelKey = u"cancel"_s;
const QString ErrorKind = u"error"_s;

std::optional<Decimal> parsed(const QString &text)
{
    return Decimal::parse(QStringView(text).trimmed());
}

QString stepText(const std::optional<Decimal> &step)
{
    return step ? step->normalized().toString() : QString();
}

template<typename T>
void assign(T &member, const T &value, OrderTicket *ticket, void (OrderTicket::*changed)())
{
    if (member == value)
        return;
    member = value;
    Q_EMIT(ticket->*changed)();
}

} // namespace

OrderTicket::OrderTicket(market::MarketStore *store, FeedClient *feed, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_feed(feed)
{
    connect(m_store, &market::MarketStore::flushed, this, &OrderTicket::refresh);
    connect(m_feed, &FeedClient::stateChanged, this, &OrderTicket::refresh);
    connect(m_feed, &FeedClient::accountChanged, this, &OrderTicket::refresh);
    connect(m_feed, &FeedClient::orderAcknowledged, this,
            [this](const QString &clientOrderId) { m_pending.remove(clientOrderId); });
    connect(m_feed, &FeedClient::orderReconciled, this,
            [this](const QString &clientOrderId) { m_pending.remove(clientOrderId); });
    connect(m_feed, &FeedClient::orderRequestFailed, this,
            [this](const QString &key, const QString &, const QString &text) {
                onRequestFailed(key, text);
            });
    refresh();
}

template<typename T>
void OrderTicket::editInput(T &field, const T &value, void (OrderTicket::*changed)())
{
    if (value == field)
        return;
    field = value;
    Q_EMIT(this->*changed)();
    setRefusal({}); // the refusal was about what the trader had entered before
    refresh();
}

void OrderTicket::setSymbol(const QString &symbol)
{
    if (symbol == m_symbol)
        return;
    m_symbol = symbol;
    Q_EMIT symbolChanged();
    // A price of another instrument means nothing here; the quantity is kept.
    if (!m_price.isEmpty()) {
        m_price.clear();
        Q_EMIT priceChanged();
    }
    setRefusal({});
    refresh();
}

void OrderTicket::setSide(Side side)
{
    editInput(m_side, side, &OrderTicket::sideChanged);
}

void OrderTicket::setOrderType(OrderType type)
{
    editInput(m_orderType, type, &OrderTicket::orderTypeChanged);
}

void OrderTicket::setQuantity(const QString &quantity)
{
    editInput(m_quantity, quantity, &OrderTicket::quantityChanged);
}

void OrderTicket::setPrice(const QString &price)
{
    editInput(m_price, price, &OrderTicket::priceChanged);
}

std::optional<Decimal> OrderTicket::snapped(const Decimal &value, const Decimal &step, int steps)
{
    if (!step.isPositive())
        return std::nullopt;
    const Decimal unit = step.normalized();
    auto units = value.dividedBy(unit, 0); // the nearest grid point, half away from zero
    const auto nearest = units ? units->times(unit) : std::nullopt;
    if (!nearest)
        return std::nullopt;
    // Off the grid, the first step up is the grid point just above, down the one just below.
    const int side = market::compareSign(*nearest, value);
    if (steps > 0 && side < 0)
        units = units->plus(Decimal::fromInt(1));
    else if (steps < 0 && side > 0)
        units = units->minus(Decimal::fromInt(1));
    if (units && side != 0 && steps != 0)
        steps -= steps > 0 ? 1 : -1;
    const auto moved = units ? units->plus(Decimal::fromInt(steps)) : std::nullopt;
    if (!moved)
        return std::nullopt;
    const Decimal atLeastOne = moved->isPositive() ? *moved : Decimal::fromInt(1);
    const auto result = atLeastOne.times(unit);
    return result ? result->withScale(unit.scale()) : std::nullopt;
}

void OrderTicket::stepPrice(int steps)
{
    refresh();
    if (!m_tick)
        return;
    std::optional<Decimal> base;
    if (m_price.trimmed().isEmpty()) {
        if (!m_touch)
            return;
        base = m_touch;
        steps = 0; // the first step lands on the touch
    } else {
        base = parsed(m_price);
    }
    if (!base)
        return;
    if (const auto next = snapped(*base, *m_tick, steps))
        setPrice(next->toString());
}

void OrderTicket::stepQuantity(int steps)
{
    refresh();
    if (!m_lot)
        return;
    const auto base = m_quantity.trimmed().isEmpty() ? Decimal::fromInt(0) : parsed(m_quantity);
    if (!base)
        return;
    if (const auto next = snapped(*base, *m_lot, steps))
        setQuantity(next->toString());
}

bool OrderTicket::submit()
{
    refresh();
    if (m_symbol.isEmpty()) {
        refuse(tr("Choose a symbol first"));
        return false;
    }
    if (!m_quantityError.isEmpty()) {
        refuse(m_quantityError);
        return false;
    }
    const bool limit = m_orderType == OrderType::Limit;
    if (limit && !m_priceError.isEmpty()) {
        refuse(m_priceError);
        return false;
    }
    if (m_feed->state() == FeedClient::State::Live && m_feed->account().isEmpty()) {
        refuse(m_tradingError);
        return false;
    }
    const auto qty = parsed(m_quantity);
    const auto price = limit ? parsed(m_price) : std::nullopt;
    const FeedClient::OrderResult result = m_feed->placeOrder(
        m_symbol, m_side == Side::Buy ? protocol::Side::Buy : protocol::Side::Sell,
        limit ? protocol::OrderType::Limit : protocol::OrderType::Market, *qty, price);
    if (!result.ok()) {
        // The client sends nothing unless live and queues nothing.
        refuse(m_feed->state() != FeedClient::State::Live
                   ? tr("Not connected: the order was not sent (orders are never queued)")
                   : tr("Order not sent: %1").arg(result.error));
        return false;
    }
    m_pending.insert(result.clientOrderId);
    setRefusal({});
    return true;
}

bool OrderTicket::cancel(const QString &orderId)
{
    return cancelSent(m_feed->cancelOrder(orderId));
}

bool OrderTicket::cancelAll()
{
    return cancelSent(m_feed->cancelAll());
}

bool OrderTicket::cancelSent(const QString &error)
{
    if (error.isEmpty())
        return true;
    Q_EMIT message(ErrorKind,
                   m_feed->state() != FeedClient::State::Live
                       ? tr("Not connected: the cancel was not sent")
                       : tr("Cancel not sent: %1").arg(error),
                   CancelKey);
    return false;
}

void OrderTicket::onRequestFailed(const QString &key, const QString &text)
{
    if (m_pending.remove(key)) {
        refuse(tr("Order refused: %1").arg(text));
        return;
    }
    // The ticket places every order the app sends: anything else answers a cancel.
    Q_EMIT message(ErrorKind, tr("Cancel refused: %1").arg(text), CancelKey);
}

void OrderTicket::refuse(const QString &text)
{
    setRefusal(text);
    Q_EMIT message(ErrorKind, text, TicketKey);
}

void OrderTicket::setRefusal(const QString &refusal)
{
    assign(m_refusal, refusal, this, &OrderTicket::refusalChanged);
}

void OrderTicket::refresh()
{
    const protocol::InstrumentInfo *instrument = m_store->instruments().find(m_symbol);
    m_tick = instrument ? std::optional(instrument->tickSize) : std::nullopt;
    m_lot = instrument ? std::optional(instrument->lotSize) : std::nullopt;
    using market::QuoteModel;
    std::optional<Decimal> touch =
        m_symbol.isEmpty()
            ? std::nullopt
            : m_store->quotes()->value(m_symbol, m_side == Side::Buy ? QuoteModel::AskRole
                                                                     : QuoteModel::BidRole);
    if (touch && !touch->isPositive())
        touch.reset(); // no ask (or bid) on that side of the book
    m_touch = touch;

    const bool limit = m_orderType == OrderType::Limit;
    const auto qty = parsed(m_quantity);
    QString qtyError;
    if (m_quantity.trimmed().isEmpty())
        qtyError = tr("Enter a quantity");
    else if (!qty)
        qtyError = tr("Quantity is not a number");
    else if (!qty->isPositive())
        qtyError = tr("Quantity must be greater than zero");
    else if (m_lot && !qty->isMultipleOf(*m_lot))
        qtyError = tr("Quantity must be a multiple of %1").arg(stepText(m_lot));

    const auto price = limit ? parsed(m_price) : m_touch;
    QString priceError;
    if (!limit)
        priceError.clear();
    else if (m_price.trimmed().isEmpty())
        priceError = tr("Enter a limit price");
    else if (!price)
        priceError = tr("Price is not a number");
    else if (!price->isPositive())
        priceError = tr("Price must be greater than zero");
    else if (m_tick && !price->isMultipleOf(*m_tick))
        priceError = tr("Price must be a multiple of %1").arg(stepText(m_tick));

    QString notional;
    if (qty && price) {
        if (const auto n = qty->times(*price)) {
            const auto atScale = m_tick ? n->rounded(m_tick->normalized().scale()) : n;
            notional = atScale.value_or(*n).toString();
        }
    }

    QString tradingError;
    if (m_feed->state() != FeedClient::State::Live)
        tradingError = tr("Not connected: orders are never queued");
    else if (m_feed->account().isEmpty())
        tradingError = tr("Read-only: set a token in Settings to trade");

    assign(m_tickSize, stepText(m_tick), this, &OrderTicket::tickSizeChanged);
    assign(m_lotSize, stepText(m_lot), this, &OrderTicket::lotSizeChanged);
    assign(m_touchPrice,
           m_touch ? m_store->instruments().formatPrice(m_symbol, *m_touch) : QString(), this,
           &OrderTicket::touchPriceChanged);
    assign(m_notional, notional, this, &OrderTicket::notionalChanged);
    assign(m_quantityError, qtyError, this, &OrderTicket::quantityErrorChanged);
    assign(m_priceError, priceError, this, &OrderTicket::priceErrorChanged);
    assign(m_tradingError, tradingError, this, &OrderTicket::tradingErrorChanged);
    const bool can =
        !m_symbol.isEmpty() && qtyError.isEmpty() && priceError.isEmpty() && tradingError.isEmpty();
    assign(m_canSubmit, can, this, &OrderTicket::canSubmitChanged);
}

} // namespace tickwire::ui
