#pragma once

#include "protocol/decimal.h"

#include <QtCore/QObject>
#include <QtCore/QSet>
#include <QtCore/QString>
#include <QtQml/qqmlregistration.h>

#include <optional>

namespace tickwire::client {
class FeedClient;
}
namespace tickwire::market {
class MarketStore;
}

namespace tickwire::ui {

// The order ticket: what the trader is about to send (symbol, side, type, and quantity and
// price as typed), checked against the instrument's lot and tick, with the touch and the
// notional; submit() sends it through the feed client. The composition root sets the symbol
// from the selection. Refusals, the ticket's own and the server's answer to its orders, go out
// as message() with the key "ticket", so a toast layer keeps one toast for the ticket instead
// of stacking identical ones. Instruments and quotes are read from the store after each of its
// flushes. GUI thread only.
class OrderTicket : public QObject
{
    Q_OBJECT
    // QML's `OrderTicket` is the ticket's view (OrderTicket.qml); this is what it binds to.
    QML_NAMED_ELEMENT(OrderTicketController)
    QML_UNCREATABLE("provided by the Dashboard singleton as Dashboard.ticket")
    Q_DISABLE_COPY_MOVE(OrderTicket)

    Q_PROPERTY(QString symbol READ symbol WRITE setSymbol NOTIFY symbolChanged FINAL)
    Q_PROPERTY(Side side READ side WRITE setSide NOTIFY sideChanged FINAL)
    Q_PROPERTY(OrderType orderType READ orderType WRITE setOrderType NOTIFY orderTypeChanged FINAL)
    // The user's text, as typed; checked, never rewritten except by stepping.
    Q_PROPERTY(QString quantity READ quantity WRITE setQuantity NOTIFY quantityChanged FINAL)
    Q_PROPERTY(QString price READ price WRITE setPrice NOTIFY priceChanged FINAL)
    // Of the symbol's instrument; empty while the instrument is unknown.
    Q_PROPERTY(QString tickSize READ tickSize NOTIFY tickSizeChanged FINAL)
    Q_PROPERTY(QString lotSize READ lotSize NOTIFY lotSizeChanged FINAL)
    // The price a marketable order of this side meets now: best ask for a buy, best bid for a
    // sell, at the instrument's price scale; empty while there is no quote.
    Q_PROPERTY(QString touchPrice READ touchPrice NOTIFY touchPriceChanged FINAL)
    // quantity x price (x the touch for a market order) at the price scale; empty when unknown.
    Q_PROPERTY(QString notional READ notional NOTIFY notionalChanged FINAL)
    // Why the quantity / price cannot be sent, empty when fine; the price of a market order is
    // not checked (it is not sent).
    Q_PROPERTY(QString quantityError READ quantityError NOTIFY quantityErrorChanged FINAL)
    Q_PROPERTY(QString priceError READ priceError NOTIFY priceErrorChanged FINAL)
    // Why no order can be sent now whatever the input (not connected, read-only); empty if none.
    Q_PROPERTY(QString tradingError READ tradingError NOTIFY tradingErrorChanged FINAL)
    // Why the last submit did not go through (refused here or by the server); cleared by an
    // edit and by the next order sent.
    Q_PROPERTY(QString refusal READ refusal NOTIFY refusalChanged FINAL)
    Q_PROPERTY(bool canSubmit READ canSubmit NOTIFY canSubmitChanged FINAL)

public:
    enum class Side { Buy, Sell };
    Q_ENUM(Side)
    enum class OrderType { Limit, Market };
    Q_ENUM(OrderType)

    // Neither is owned; both must outlive the ticket.
    OrderTicket(market::MarketStore *store, client::FeedClient *feed, QObject *parent = nullptr);

    [[nodiscard]] QString symbol() const { return m_symbol; }
    void setSymbol(const QString &symbol);
    [[nodiscard]] Side side() const { return m_side; }
    void setSide(Side side);
    [[nodiscard]] OrderType orderType() const { return m_orderType; }
    void setOrderType(OrderType type);
    [[nodiscard]] QString quantity() const { return m_quantity; }
    void setQuantity(const QString &quantity);
    [[nodiscard]] QString price() const { return m_price; }
    void setPrice(const QString &price);

    [[nodiscard]] QString tickSize() const { return m_tickSize; }
    [[nodiscard]] QString lotSize() const { return m_lotSize; }
    [[nodiscard]] QString touchPrice() const { return m_touchPrice; }
    [[nodiscard]] QString notional() const { return m_notional; }
    [[nodiscard]] QString quantityError() const { return m_quantityError; }
    [[nodiscard]] QString priceError() const { return m_priceError; }
    [[nodiscard]] QString tradingError() const { return m_tradingError; }
    [[nodiscard]] QString refusal() const { return m_refusal; }
    [[nodiscard]] bool canSubmit() const { return m_canSubmit; }

    // Snaps the price to the tick grid (half away from zero) and moves it `steps` ticks; an
    // empty price takes the touch first. Never goes below one tick; a non-number is left as is.
    Q_INVOKABLE void stepPrice(int steps);
    // The same for the quantity on the lot grid; an empty quantity starts at zero.
    Q_INVOKABLE void stepQuantity(int steps);
    // Sends the order; false (and message()) when it was refused here or not sent.
    Q_INVOKABLE bool submit();
    // Cancel requests; false (and message(), key "cancel") when not sent.
    Q_INVOKABLE bool cancel(const QString &orderId);
    Q_INVOKABLE bool cancelAll();

    // `value` snapped to a multiple of `step` (> 0), moved `steps` steps, at least one step, at
    // the step's scale; nullopt on overflow or a bad step.
    [[nodiscard]] static std::optional<Decimal> snapped(const Decimal &value, const Decimal &step,
                                                        int steps);

Q_SIGNALS:
    void symbolChanged();
    void sideChanged();
    void orderTypeChanged();
    void quantityChanged();
    void priceChanged();
    void tickSizeChanged();
    void lotSizeChanged();
    void touchPriceChanged();
    void notionalChanged();
    void quantityErrorChanged();
    void priceErrorChanged();
    void tradingErrorChanged();
    void refusalChanged();
    void canSubmitChanged();
    // For the toast layer. kind: "error" or "info"; a toast with the same key replaces the
    // visible one ("ticket": refusals of the ticket's orders, "cancel": of cancel requests).
    void message(const QString &kind, const QString &text, const QString &key);

private:
    // Re-reads the instrument, the touch and the feed, and recomputes every derived property,
    // emitting only what changed.
    void refresh();
    void setRefusal(const QString &refusal);
    // Sets one of the trader's inputs: notifies, forgets the last refusal, re-derives the rest.
    template<typename T> void editInput(T &field, const T &value, void (OrderTicket::*changed)());
    void refuse(const QString &text);
    // True when a cancel request went out; otherwise tells the user why not (`error`).
    bool cancelSent(const QString &error);
    void onRequestFailed(const QString &key, const QString &message);

    market::MarketStore *m_store;
    client::FeedClient *m_feed;

    QString m_symbol;
    Side m_side = Side::Buy;
    OrderType m_orderType = OrderType::Limit;
    QString m_quantity;
    QString m_price;

    std::optional<Decimal> m_tick;
    std::optional<Decimal> m_lot;
    std::optional<Decimal> m_touch;
    QString m_tickSize;
    QString m_lotSize;
    QString m_touchPrice;
    QString m_notional;
    QString m_quantityError;
    QString m_priceError;
    QString m_tradingError;
    QString m_refusal;
    bool m_canSubmit = false;
    QSet<QString> m_pending; // client order ids sent by this ticket, not yet answered
};

} // namespace tickwire::ui
