// OrderTicket against a real MarketStore and a FeedClient that is never opened (no server):
// snapping and stepping, the checks and their messages, notional, the touch following quotes,
// market orders, and refusals with their toast key. Then once against the real tickwire-feed on
// 127.0.0.1: an order reaches the server, and its identical refusals share one toast key.
#include "../../market/marketfixtures.h"
#include "client/feedclient.h"
#include "feedprocess.h"
#include "market/marketstore.h"
#include "ui/orderticket.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::market::test;
using client::FeedClient;
using ui::OrderTicket;
using Side = OrderTicket::Side;
using Type = OrderTicket::OrderType;

namespace {

// ETH-USD: tick 0.01, lot 0.001. DOGE-USD: tick 0.00001, lot 1.
QList<protocol::InstrumentInfo> instruments()
{
    return {instrument(u"ETH-USD"_s, "0.01", "0.001"), instrument(u"DOGE-USD"_s, "0.00001", "1")};
}

void applyTicker(market::MarketStore &store, const protocol::Ticker &ticker)
{
    protocol::EventBatch batch;
    batch.events.append(ticker);
    QVERIFY(store.apply(batch).ok());
    store.flush();
}

} // namespace

class tst_OrderTicket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void instrumentFollowsTheSymbol();
    void sameValueWritesDoNotNotify();
    void stepPrice_data();
    void stepPrice();
    void stepQuantity_data();
    void stepQuantity();
    void snappedKeepsTheStepScale();
    void emptyPriceStepsFromTheTouch();
    void checks_data();
    void checks();
    void notionalAtThePriceScale();
    void touchFollowsTheQuotes();
    void marketOrderUsesTheTouch();
    void symbolChangeClearsThePrice();
    void submitRefusalsShareTheTicketKey();
    void notConnectedSubmitSaysSo();
    void cancelsWhileNotConnected();
    void realServerAcceptsAndRefuses();

private:
    std::unique_ptr<market::MarketStore> m_store;
    std::unique_ptr<FeedClient> m_feed;
    std::unique_ptr<OrderTicket> m_ticket;
};

void tst_OrderTicket::init()
{
    m_store = std::make_unique<market::MarketStore>();
    m_feed = std::make_unique<FeedClient>();
    m_store->setInstruments(instruments());
    m_ticket = std::make_unique<OrderTicket>(m_store.get(), m_feed.get());
    m_ticket->setSymbol(u"ETH-USD"_s);
}

void tst_OrderTicket::cleanup()
{
    m_ticket.reset();
    m_feed.reset();
    m_store.reset();
}

void tst_OrderTicket::instrumentFollowsTheSymbol()
{
    QCOMPARE(m_ticket->tickSize(), u"0.01"_s);
    QCOMPARE(m_ticket->lotSize(), u"0.001"_s);
    QSignalSpy tick(m_ticket.get(), &OrderTicket::tickSizeChanged);
    QSignalSpy lot(m_ticket.get(), &OrderTicket::lotSizeChanged);
    m_ticket->setSymbol(u"DOGE-USD"_s);
    QCOMPARE(m_ticket->tickSize(), u"0.00001"_s);
    QCOMPARE(m_ticket->lotSize(), u"1"_s);
    QCOMPARE(tick.count(), 1);
    QCOMPARE(lot.count(), 1);
    m_ticket->setSymbol(u"NOPE-USD"_s); // unknown: no grid to check against
    QCOMPARE(m_ticket->tickSize(), QString());
    QCOMPARE(m_ticket->lotSize(), QString());
}

void tst_OrderTicket::sameValueWritesDoNotNotify()
{
    QSignalSpy symbol(m_ticket.get(), &OrderTicket::symbolChanged);
    QSignalSpy side(m_ticket.get(), &OrderTicket::sideChanged);
    QSignalSpy type(m_ticket.get(), &OrderTicket::orderTypeChanged);
    QSignalSpy qty(m_ticket.get(), &OrderTicket::quantityChanged);
    QSignalSpy price(m_ticket.get(), &OrderTicket::priceChanged);
    m_ticket->setSymbol(u"ETH-USD"_s);
    m_ticket->setSide(Side::Buy);
    m_ticket->setOrderType(Type::Limit);
    m_ticket->setQuantity(QString());
    m_ticket->setPrice(QString());
    QCOMPARE(symbol.count() + side.count() + type.count() + qty.count() + price.count(), 0);

    m_ticket->setSide(Side::Sell);
    m_ticket->setSide(Side::Sell);
    m_ticket->setOrderType(Type::Market);
    m_ticket->setOrderType(Type::Market);
    m_ticket->setQuantity(u"1"_s);
    m_ticket->setQuantity(u"1"_s);
    m_ticket->setPrice(u"2"_s);
    m_ticket->setPrice(u"2"_s);
    QCOMPARE(side.count(), 1);
    QCOMPARE(type.count(), 1);
    QCOMPARE(qty.count(), 1);
    QCOMPARE(price.count(), 1);

    // A flush that changes nothing the ticket shows notifies nothing.
    QSignalSpy error(m_ticket.get(), &OrderTicket::quantityErrorChanged);
    QSignalSpy can(m_ticket.get(), &OrderTicket::canSubmitChanged);
    QSignalSpy touch(m_ticket.get(), &OrderTicket::touchPriceChanged);
    m_store->flush();
    QCOMPARE(error.count() + can.count() + touch.count(), 0);
}

void tst_OrderTicket::stepPrice_data()
{
    QTest::addColumn<QString>("price");
    QTest::addColumn<int>("steps");
    QTest::addColumn<QString>("expected");
    QTest::newRow("snap only, down") << u"3198.183150"_s << 0 << u"3198.18"_s;
    QTest::newRow("snap only, half up") << u"3198.185"_s << 0 << u"3198.19"_s;
    QTest::newRow("on grid, up") << u"3198.18"_s << 1 << u"3198.19"_s;
    QTest::newRow("on grid, down") << u"3198.18"_s << -1 << u"3198.17"_s;
    QTest::newRow("page up") << u"3198.18"_s << 10 << u"3198.28"_s;
    QTest::newRow("short scale is written at tick scale") << u"3198.1"_s << 1 << u"3198.11"_s;
    QTest::newRow("off grid, up: next tick above") << u"3198.186"_s << 1 << u"3198.19"_s;
    QTest::newRow("off grid, up: next tick above (2)") << u"3198.184"_s << 1 << u"3198.19"_s;
    QTest::newRow("off grid, down: next tick below") << u"3198.184"_s << -1 << u"3198.18"_s;
    QTest::newRow("off grid, down: next tick below (2)") << u"3198.186"_s << -1 << u"3198.18"_s;
    QTest::newRow("off grid, two up") << u"3198.184"_s << 2 << u"3198.20"_s;
    QTest::newRow("never below one tick") << u"0.01"_s << -1 << u"0.01"_s;
    QTest::newRow("zero steps up to one tick") << u"0"_s << 1 << u"0.01"_s;
    QTest::newRow("negative snaps to one tick") << u"-5"_s << 0 << u"0.01"_s;
    QTest::newRow("negative stepped up") << u"-5"_s << 3 << u"0.01"_s;
    QTest::newRow("not a number is left alone") << u"31x0"_s << 1 << u"31x0"_s;
    QTest::newRow("spaces are trimmed") << u" 100 "_s << 1 << u"100.01"_s;
}

void tst_OrderTicket::stepPrice()
{
    QFETCH(QString, price);
    QFETCH(int, steps);
    QFETCH(QString, expected);
    m_ticket->setPrice(price);
    m_ticket->stepPrice(steps);
    QCOMPARE(m_ticket->price(), expected);
}

void tst_OrderTicket::stepQuantity_data()
{
    QTest::addColumn<QString>("symbol");
    QTest::addColumn<QString>("quantity");
    QTest::addColumn<int>("steps");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty up: one lot") << u"ETH-USD"_s << QString() << 1 << u"0.001"_s;
    QTest::newRow("empty down: one lot") << u"ETH-USD"_s << QString() << -1 << u"0.001"_s;
    QTest::newRow("up a lot") << u"ETH-USD"_s << u"0.5"_s << 1 << u"0.501"_s;
    QTest::newRow("down a lot") << u"ETH-USD"_s << u"0.5"_s << -1 << u"0.499"_s;
    QTest::newRow("page down") << u"ETH-USD"_s << u"0.5"_s << -10 << u"0.490"_s;
    QTest::newRow("off lot snaps") << u"ETH-USD"_s << u"0.00049"_s << 0 << u"0.001"_s;
    QTest::newRow("off lot up") << u"ETH-USD"_s << u"0.0014"_s << 1 << u"0.002"_s;
    QTest::newRow("whole lots") << u"DOGE-USD"_s << u"10"_s << 1 << u"11"_s;
    QTest::newRow("whole lots, fraction rounds") << u"DOGE-USD"_s << u"10.5"_s << 0 << u"11"_s;
    QTest::newRow("whole lots, never zero") << u"DOGE-USD"_s << u"1"_s << -5 << u"1"_s;
    QTest::newRow("negative") << u"DOGE-USD"_s << u"-3"_s << 1 << u"1"_s;
}

void tst_OrderTicket::stepQuantity()
{
    QFETCH(QString, symbol);
    QFETCH(QString, quantity);
    QFETCH(int, steps);
    QFETCH(QString, expected);
    m_ticket->setSymbol(symbol);
    m_ticket->setQuantity(quantity);
    QSignalSpy changed(m_ticket.get(), &OrderTicket::quantityChanged);
    m_ticket->stepQuantity(steps);
    QCOMPARE(m_ticket->quantity(), expected);
    QCOMPARE(changed.count(), expected == quantity ? 0 : 1);
}

void tst_OrderTicket::snappedKeepsTheStepScale()
{
    // A tick written "0.010" on the wire is still a 0.01 grid.
    QCOMPARE(OrderTicket::snapped(d("5.004"), d("0.010"), 0)->toString(), u"5.00"_s);
    QVERIFY(!OrderTicket::snapped(d("5"), d("0"), 1));
    QVERIFY(!OrderTicket::snapped(d("5"), d("-0.01"), 1));
}

void tst_OrderTicket::emptyPriceStepsFromTheTouch()
{
    m_ticket->stepPrice(1); // no quote yet: nothing to start from
    QCOMPARE(m_ticket->price(), QString());
    applyTicker(*m_store, ticker(u"ETH-USD"_s, "3198.10", "3198.05", "3198.18"));
    m_ticket->stepPrice(1); // the first step takes the touch (the ask, for a buy)
    QCOMPARE(m_ticket->price(), u"3198.18"_s);
    m_ticket->stepPrice(1);
    QCOMPARE(m_ticket->price(), u"3198.19"_s);
    m_ticket->setPrice(QString());
    m_ticket->setSide(Side::Sell);
    m_ticket->stepPrice(-1); // the bid, for a sell
    QCOMPARE(m_ticket->price(), u"3198.05"_s);
}

void tst_OrderTicket::checks_data()
{
    QTest::addColumn<QString>("quantity");
    QTest::addColumn<QString>("price");
    QTest::addColumn<QString>("quantityError");
    QTest::addColumn<QString>("priceError");
    QTest::newRow("fine") << u"0.5"_s << u"3000.10"_s << QString() << QString();
    QTest::newRow("trailing zeros are fine")
        << u"0.500"_s << u"3000.100"_s << QString() << QString();
    QTest::newRow("empty") << QString() << QString() << u"Enter a quantity"_s
                           << u"Enter a limit price"_s;
    QTest::newRow("blank") << u"  "_s << u" "_s << u"Enter a quantity"_s
                           << u"Enter a limit price"_s;
    QTest::newRow("not numbers") << u"1e3"_s << u"31,50"_s << u"Quantity is not a number"_s
                                 << u"Price is not a number"_s;
    QTest::newRow("zero") << u"0"_s << u"0.00"_s << u"Quantity must be greater than zero"_s
                          << u"Price must be greater than zero"_s;
    QTest::newRow("negative") << u"-1"_s << u"-3000"_s << u"Quantity must be greater than zero"_s
                              << u"Price must be greater than zero"_s;
    QTest::newRow("off lot, off tick")
        << u"0.0005"_s << u"3198.183150"_s << u"Quantity must be a multiple of 0.001"_s
        << u"Price must be a multiple of 0.01"_s;
}

void tst_OrderTicket::checks()
{
    QFETCH(QString, quantity);
    QFETCH(QString, price);
    QFETCH(QString, quantityError);
    QFETCH(QString, priceError);
    QSignalSpy can(m_ticket.get(), &OrderTicket::canSubmitChanged);
    m_ticket->setQuantity(quantity);
    m_ticket->setPrice(price);
    QCOMPARE(m_ticket->quantityError(), quantityError);
    QCOMPARE(m_ticket->priceError(), priceError);
    // Not connected: never submittable, so canSubmit never changes here.
    QVERIFY(!m_ticket->canSubmit());
    QCOMPARE(can.count(), 0);
    QCOMPARE(m_ticket->tradingError(), u"Not connected: orders are never queued"_s);
}

void tst_OrderTicket::notionalAtThePriceScale()
{
    QSignalSpy notional(m_ticket.get(), &OrderTicket::notionalChanged);
    m_ticket->setQuantity(u"0.5"_s);
    QCOMPARE(m_ticket->notional(), QString()); // no price yet
    m_ticket->setPrice(u"3000.10"_s);
    QCOMPARE(m_ticket->notional(), u"1500.05"_s);
    m_ticket->setQuantity(u"0.333"_s);
    QCOMPARE(m_ticket->notional(), u"999.03"_s); // 999.0333, at the tick's two decimals
    m_ticket->setQuantity(u"abc"_s);
    QCOMPARE(m_ticket->notional(), QString());
    QCOMPARE(notional.count(), 3);
}

void tst_OrderTicket::touchFollowsTheQuotes()
{
    QSignalSpy touch(m_ticket.get(), &OrderTicket::touchPriceChanged);
    QCOMPARE(m_ticket->touchPrice(), QString());
    protocol::EventBatch batch;
    batch.events.append(ticker(u"ETH-USD"_s, "3198.1", "3198.05", "3198.2"));
    QVERIFY(m_store->apply(batch).ok());
    QCOMPARE(touch.count(), 0); // read after the store's flush, not per event
    m_store->flush();
    QCOMPARE(touch.count(), 1);
    QCOMPARE(m_ticket->touchPrice(), u"3198.20"_s); // the ask, at the price scale
    m_ticket->setSide(Side::Sell);
    QCOMPARE(m_ticket->touchPrice(), u"3198.05"_s);
    QCOMPARE(touch.count(), 2);
    applyTicker(*m_store, ticker(u"ETH-USD"_s, "3199", "3198.99", "3199.01"));
    QCOMPARE(m_ticket->touchPrice(), u"3198.99"_s);
    QCOMPARE(touch.count(), 3);
    applyTicker(*m_store, ticker(u"DOGE-USD"_s, "0.1", "0.09", "0.11")); // another symbol
    QCOMPARE(touch.count(), 3);
    applyTicker(*m_store, ticker(u"ETH-USD"_s, "3199", "0", "3199.01")); // no bid
    QCOMPARE(m_ticket->touchPrice(), QString());
    QCOMPARE(touch.count(), 4);
}

void tst_OrderTicket::marketOrderUsesTheTouch()
{
    m_ticket->setQuantity(u"2"_s);
    m_ticket->setPrice(u"12.345"_s); // off tick, but a market order sends no price
    QVERIFY(!m_ticket->priceError().isEmpty());
    QSignalSpy priceError(m_ticket.get(), &OrderTicket::priceErrorChanged);
    m_ticket->setOrderType(Type::Market);
    QCOMPARE(m_ticket->priceError(), QString());
    QCOMPARE(priceError.count(), 1);
    QCOMPARE(m_ticket->notional(), QString()); // no touch yet
    applyTicker(*m_store, ticker(u"ETH-USD"_s, "3198.1", "3198.05", "3198.2"));
    QCOMPARE(m_ticket->notional(), u"6396.40"_s);
    m_ticket->setSide(Side::Sell);
    QCOMPARE(m_ticket->notional(), u"6396.10"_s);
    m_ticket->setOrderType(Type::Limit);
    QCOMPARE(m_ticket->priceError(), u"Price must be a multiple of 0.01"_s);
}

void tst_OrderTicket::symbolChangeClearsThePrice()
{
    m_ticket->setQuantity(u"1"_s);
    m_ticket->setPrice(u"3000.00"_s);
    QSignalSpy price(m_ticket.get(), &OrderTicket::priceChanged);
    m_ticket->setSymbol(u"DOGE-USD"_s);
    QCOMPARE(m_ticket->price(), QString());
    QCOMPARE(price.count(), 1);
    QCOMPARE(m_ticket->quantity(), u"1"_s);
}

void tst_OrderTicket::submitRefusalsShareTheTicketKey()
{
    QSignalSpy messages(m_ticket.get(), &OrderTicket::message);
    m_ticket->setQuantity(u"0.5"_s);
    m_ticket->setPrice(u"3198.183150"_s);
    QVERIFY(!m_ticket->submit());
    QVERIFY(!m_ticket->submit());
    QCOMPARE(messages.count(), 2);
    for (const auto &args : std::as_const(messages)) {
        QCOMPARE(args.at(0).toString(), u"error"_s);
        QCOMPARE(args.at(1).toString(), u"Price must be a multiple of 0.01"_s);
        QCOMPARE(args.at(2).toString(), u"ticket"_s);
    }
    QCOMPARE(m_ticket->refusal(), u"Price must be a multiple of 0.01"_s);
    QSignalSpy refusal(m_ticket.get(), &OrderTicket::refusalChanged);
    m_ticket->setPrice(u"3198.18"_s); // an edit clears the refusal
    QCOMPARE(m_ticket->refusal(), QString());
    QCOMPARE(refusal.count(), 1);

    messages.clear();
    m_ticket->setPrice(QString());
    QVERIFY(!m_ticket->submit());
    QCOMPARE(messages.count(), 1);
    QCOMPARE(messages.at(0).at(1).toString(), u"Enter a limit price"_s);
    m_ticket->setQuantity(u"0"_s);
    QVERIFY(!m_ticket->submit()); // the quantity is named first
    QCOMPARE(messages.at(1).at(1).toString(), u"Quantity must be greater than zero"_s);
    QCOMPARE(messages.at(1).at(2).toString(), u"ticket"_s);
    m_ticket->setSymbol(QString());
    QVERIFY(!m_ticket->submit());
    QCOMPARE(messages.at(2).at(1).toString(), u"Choose a symbol first"_s);
}

void tst_OrderTicket::notConnectedSubmitSaysSo()
{
    // Valid input, but the client was never opened: it refuses at once and queues nothing.
    QSignalSpy messages(m_ticket.get(), &OrderTicket::message);
    QSignalSpy failed(m_feed.get(), &FeedClient::orderRequestFailed);
    m_ticket->setQuantity(u"0.5"_s);
    m_ticket->setPrice(u"3198.18"_s);
    QCOMPARE(m_ticket->quantityError(), QString());
    QCOMPARE(m_ticket->priceError(), QString());
    QVERIFY(!m_ticket->submit());
    QCOMPARE(messages.count(), 1);
    QCOMPARE(messages.at(0).at(1).toString(),
             u"Not connected: the order was not sent (orders are never queued)"_s);
    QCOMPARE(messages.at(0).at(2).toString(), u"ticket"_s);
    QCOMPARE(m_ticket->refusal(), messages.at(0).at(1).toString());
    // The market path goes the same way (and sends no price).
    m_ticket->setOrderType(Type::Market);
    QVERIFY(!m_ticket->submit());
    QCOMPARE(messages.count(), 2);
    QCOMPARE(messages.at(1).at(1).toString(), messages.at(0).at(1).toString());
    QTest::qWait(50);
    QCOMPARE(failed.count(), 0); // nothing reached the connection
}

void tst_OrderTicket::cancelsWhileNotConnected()
{
    QSignalSpy messages(m_ticket.get(), &OrderTicket::message);
    QVERIFY(!m_ticket->cancel(u"o-1"_s));
    QVERIFY(!m_ticket->cancelAll());
    QCOMPARE(messages.count(), 2);
    for (const auto &args : std::as_const(messages)) {
        QCOMPARE(args.at(1).toString(), u"Not connected: the cancel was not sent"_s);
        QCOMPARE(args.at(2).toString(), u"cancel"_s);
    }
}

void tst_OrderTicket::realServerAcceptsAndRefuses()
{
    testing::FeedProcess server(QStringLiteral(TICKWIRE_FEED_EXE));
    QVERIFY2(server.start({u"--seed"_s, u"7"_s, u"--demo-token"_s, u"T"_s}),
             "tickwire-feed did not start");
    client::FeedOptions options;
    options.url = server.url();
    options.token = u"T"_s;
    m_feed->setOptions(options);
    connect(m_feed.get(), &FeedClient::instrumentsReceived, m_store.get(),
            &market::MarketStore::setInstruments);
    connect(m_feed.get(), &FeedClient::batchReady, m_store.get(), [this](const auto &batch) {
        m_store->apply(batch);
        m_store->flush();
    });
    m_feed->subscribe(u"ticker:ETH-USD"_s);
    m_feed->open();
    QTRY_VERIFY_WITH_TIMEOUT(m_ticket->tradingError().isEmpty(), 15'000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_ticket->touchPrice().isEmpty(), 10'000);
    QVERIFY(!m_ticket->lotSize().isEmpty());

    // Far below the market: it rests, and the server acknowledges it.
    QSignalSpy acked(m_feed.get(), &FeedClient::orderAcknowledged);
    m_ticket->setQuantity(m_ticket->lotSize());
    m_ticket->setPrice(m_ticket->tickSize());
    QVERIFY(m_ticket->canSubmit());
    QVERIFY2(m_ticket->submit(), qPrintable(m_ticket->refusal()));
    QVERIFY(acked.wait(10'000));

    // Over the account's notional limit: the server refuses, twice the same way, one key.
    QSignalSpy messages(m_ticket.get(), &OrderTicket::message);
    m_ticket->setQuantity(u"1000000"_s);
    m_ticket->setPrice(u"999999.00"_s);
    QVERIFY(m_ticket->submit());
    QTRY_COMPARE_WITH_TIMEOUT(messages.count(), 1, 10'000);
    QVERIFY(m_ticket->submit());
    QTRY_COMPARE_WITH_TIMEOUT(messages.count(), 2, 10'000);
    QCOMPARE(messages.at(0).at(2).toString(), u"ticket"_s);
    QCOMPARE(messages.at(1), messages.at(0));
    QVERIFY2(messages.at(0).at(1).toString().startsWith(u"Order refused: "_s),
             qPrintable(messages.at(0).at(1).toString()));
    QVERIFY2(m_ticket->refusal().contains(u"notional"_s), qPrintable(m_ticket->refusal()));

    QVERIFY(m_ticket->cancelAll());
    m_feed->close();
}

QTEST_GUILESS_MAIN(tst_OrderTicket)
#include "tst_orderticket.moc"
