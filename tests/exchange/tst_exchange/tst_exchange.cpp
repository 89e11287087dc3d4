#include "server/exchange/exchange.h"

#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::protocol;
using tickwire::exchange::Exchange;
using tickwire::exchange::ExchangeOptions;
using tickwire::exchange::Execution;

namespace {

// QCOMPARE cannot print protocol enums (their toString() returns a view), so compare names.
QString st(OrderStatus status)
{
    return QString(toString(status));
}

Decimal d(const char *text)
{
    const auto v = Decimal::parse(QByteArrayView(text));
    if (!v)
        qFatal("bad decimal literal in test: %s", text);
    return *v;
}

// A small real market for the exchange to trade in: instruments and books the test sets up,
// with the same walk-the-book semantics as the server's engine.
class TestMarket : public exchange::MarketAccess
{
public:
    TestMarket()
    {
        m_instruments.insert(u"BTC-USD"_s, InstrumentInfo{u"BTC-USD"_s, u"Bitcoin"_s, u"BTC"_s,
                                                          u"USD"_s, d("0.01"), d("0.0001")});
        m_instruments.insert(u"AAPL"_s, InstrumentInfo{u"AAPL"_s, u"Apple"_s, u"AAPL"_s, u"USD"_s,
                                                       d("0.01"), d("1")});
    }
    std::optional<InstrumentInfo> instrument(const QString &symbol) const override
    {
        const auto it = m_instruments.constFind(symbol);
        return it == m_instruments.cend() ? std::nullopt : std::optional(*it);
    }
    const OrderBook *book(const QString &symbol) const override
    {
        const auto it = m_books.constFind(symbol);
        return it == m_books.cend() ? nullptr : &*it;
    }
    QList<Execution> execute(const QString &symbol, Side side, Decimal qty,
                             std::optional<Decimal> limit) override
    {
        QList<Execution> out;
        OrderBook &book = m_books[symbol];
        if (m_paper) {
            // A real market's book: walked, never changed (as the engine does for live sources).
            const auto &levels = side == Side::Buy ? book.asks() : book.bids();
            for (const auto &[price, size] : levels) {
                if (!qty.isPositive()
                    || (limit && (side == Side::Buy ? price > *limit : price < *limit)))
                    break;
                const Decimal take = size < qty ? size : qty;
                out.append(Execution{price, take});
                qty = *qty.minus(take);
            }
            return out;
        }
        while (qty.isPositive()) {
            const auto best = side == Side::Buy ? book.bestAsk() : book.bestBid();
            if (!best)
                break;
            if (limit && (side == Side::Buy ? best->price > *limit : best->price < *limit))
                break;
            const Decimal take = best->qty < qty ? best->qty : qty;
            out.append(Execution{best->price, take});
            const BookLevel rest{best->price, *best->qty.minus(take)};
            if (side == Side::Buy)
                book.applyLevels({}, {rest});
            else
                book.applyLevels({rest}, {});
            qty = *qty.minus(take);
        }
        return out;
    }
    void setPaper(bool paper) { m_paper = paper; }
    void setBook(const QString &symbol, QList<BookLevel> bids, QList<BookLevel> asks)
    {
        m_books[symbol].clear();
        m_books[symbol].applyLevels(bids, asks);
    }

private:
    QHash<QString, InstrumentInfo> m_instruments;
    QHash<QString, OrderBook> m_books;
    bool m_paper = false;
};

PlaceOrder limit(std::int64_t id, const char *coid, Side side, const char *qty, const char *price,
                 const QString &symbol = u"BTC-USD"_s)
{
    return PlaceOrder{id,      QString::fromLatin1(coid), symbol, side, OrderType::Limit, d(qty),
                      d(price)};
}

PlaceOrder market(std::int64_t id, const char *coid, Side side, const char *qty,
                  const QString &symbol = u"BTC-USD"_s)
{
    return PlaceOrder{id, QString::fromLatin1(coid), symbol, side, OrderType::Market, d(qty), {}};
}

Trade trade(const char *price, const char *qty, const QString &symbol = u"BTC-USD"_s)
{
    return Trade{symbol, 1, 1, 1, d(price), d(qty), Side::Sell};
}

// Every event the exchange published, per account, in order.
struct Stream
{
    explicit Stream(Exchange &exchange)
    {
        QObject::connect(&exchange, &Exchange::accountEvents, &exchange,
                         [this](const QString &account, const QList<Message> &events) {
                             byAccount[account] += events;
                         });
    }
    QList<Order> orders(const QString &account = u"alice"_s) const
    {
        QList<Order> out;
        for (const Message &m : byAccount.value(account)) {
            if (const auto *o = std::get_if<Order>(&m))
                out.append(*o);
        }
        return out;
    }
    std::optional<Position> lastPosition(const QString &account = u"alice"_s) const
    {
        std::optional<Position> out;
        for (const Message &m : byAccount.value(account)) {
            if (const auto *p = std::get_if<Position>(&m))
                out = *p;
        }
        return out;
    }
    QHash<QString, QList<Message>> byAccount;
};

const Ack &asAck(const Message &m)
{
    static const Ack none;
    const auto *ack = std::get_if<Ack>(&m);
    if (!ack) {
        const auto *e = std::get_if<Error>(&m);
        qWarning() << "expected an ack, got" << (e ? e->message : typeName(m));
        return none;
    }
    return *ack;
}

} // namespace

class tst_Exchange : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void validation_data();
    void validation();
    void limitRestsThenFillsOnTrades();
    void marketableLimitFillsThenRests();
    void marketWalksTheBook();
    void marketOnThinBookCancelsTheRest();
    void marketOnEmptyBookIsRejected();
    void priceTimePriority();
    void cancelAndCancelAll();
    void roundTripPnlIsExact();
    void idempotentReplace();
    void resumeReplaysExactlyTheMissedEvents();
    void resumeFallsBackToSnapshot();
    void stateSurvivesReopen();
    void ephemeralGetsNewEpoch();
    void corruptStateFileIsRefusedUntouched();
    void accountsAreIsolated();
    void paperMarketTakesDepthWithoutRemovingIt();
    void paperRestingFillsOnlyOnTradesThrough();
    void paperTouchCrossingFillsOnce();
    void paperSweptOrderWaitsForTrades();

private:
    std::unique_ptr<TestMarket> m_market;
    std::unique_ptr<Exchange> m_exchange;
    QTemporaryDir m_dir;
};

void tst_Exchange::init()
{
    m_market = std::make_unique<TestMarket>();
    m_market->setBook(u"BTC-USD"_s,
                      {BookLevel{d("99.00"), d("1.0000")}, BookLevel{d("98.00"), d("2.0000")}},
                      {BookLevel{d("101.00"), d("1.0000")}, BookLevel{d("102.00"), d("2.0000")}});
    m_exchange = std::make_unique<Exchange>(*m_market, ExchangeOptions{});
    QString error;
    QVERIFY2(m_exchange->open(&error), qPrintable(error));
}

void tst_Exchange::validation_data()
{
    QTest::addColumn<PlaceOrder>("request");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("mentions");

    QTest::newRow("unknown symbol") << limit(1, "c1", Side::Buy, "1", "1", u"NOPE"_s)
                                    << u"invalid_order"_s << u"unknown symbol"_s;
    QTest::newRow("zero qty") << limit(1, "c1", Side::Buy, "0", "100") << u"invalid_order"_s
                              << u"greater than zero"_s;
    QTest::newRow("negative qty") << limit(1, "c1", Side::Buy, "-1", "100") << u"invalid_order"_s
                                  << u"greater than zero"_s;
    QTest::newRow("qty off lot") << limit(1, "c1", Side::Buy, "0.00001", "100")
                                 << u"invalid_order"_s << u"lot size"_s;
    QTest::newRow("qty off lot (shares)") << limit(1, "c1", Side::Buy, "1.5", "100", u"AAPL"_s)
                                          << u"invalid_order"_s << u"lot size"_s;
    QTest::newRow("price off tick")
        << limit(1, "c1", Side::Buy, "1", "100.001") << u"invalid_order"_s << u"tick size"_s;
    QTest::newRow("zero price") << limit(1, "c1", Side::Buy, "1", "0") << u"invalid_order"_s
                                << u"price must be greater"_s;
    PlaceOrder noPrice = limit(1, "c1", Side::Buy, "1", "100");
    noPrice.price.reset();
    QTest::newRow("limit without price") << noPrice << u"invalid_order"_s << u"needs a price"_s;
    PlaceOrder marketWithPrice = market(1, "c1", Side::Buy, "1");
    marketWithPrice.price = d("100");
    QTest::newRow("market with price")
        << marketWithPrice << u"invalid_order"_s << u"must not have a price"_s;
    QTest::newRow("notional limit")
        << limit(1, "c1", Side::Buy, "1000", "99999.00") << u"invalid_order"_s << u"notional"_s;
}

void tst_Exchange::validation()
{
    QFETCH(PlaceOrder, request);
    QFETCH(QString, code);
    QFETCH(QString, mentions);

    Stream stream(*m_exchange);
    const Message reply = m_exchange->placeOrder(u"alice"_s, request);
    const auto *error = std::get_if<Error>(&reply);
    QVERIFY(error);
    QCOMPARE(error->id, std::optional<std::int64_t>(request.id));
    QCOMPARE(error->code, code);
    QVERIFY2(error->message.contains(mentions), qPrintable(error->message));
    QVERIFY(stream.byAccount.isEmpty()); // a refused order leaves no trace on the stream
}

void tst_Exchange::limitRestsThenFillsOnTrades()
{
    Stream stream(*m_exchange);
    const Ack ack =
        asAck(m_exchange->placeOrder(u"alice"_s, limit(1, "c1", Side::Buy, "0.5", "100.00")));
    QCOMPARE(ack.status, std::optional(OrderStatus::New));
    QCOMPARE(stream.orders().size(), 1);

    m_exchange->onTrade(trade("100.50", "1")); // above the limit: no fill
    QCOMPARE(stream.orders().size(), 1);
    m_exchange->onTrade(trade("100.00", "0.2"));
    m_exchange->onTrade(trade("99.50", "5"));
    const QList<Order> orders = stream.orders();
    QCOMPARE(orders.size(), 3);
    QCOMPARE(st(orders[1].status), st(OrderStatus::PartiallyFilled));
    QCOMPARE(orders[1].lastFillQty->toString(), u"0.2000"_s); // at the lot scale
    QCOMPARE(orders[1].lastFillPrice->toString(), u"100.00"_s); // fills at the limit price
    QCOMPARE(st(orders[2].status), st(OrderStatus::Filled));
    QCOMPARE(orders[2].filledQty.toString(), u"0.5000"_s);
    QCOMPARE(orders[2].avgFillPrice->toString(), u"100.00"_s);
    // Contiguous seq: new, fill, position, fill, position
    const QList<Message> &all = stream.byAccount.value(u"alice"_s);
    for (qsizetype i = 0; i < all.size(); ++i)
        QCOMPARE(std::visit(
                     [](const auto &m) -> std::int64_t {
                         if constexpr (requires { m.epoch; })
                             return m.seq;
                         else
                             return -1;
                     },
                     all[i]),
                 std::int64_t(i + 1));
    QCOMPARE(stream.lastPosition()->qty.toString(), u"0.5"_s);
    // Filled orders no longer rest.
    m_exchange->onTrade(trade("90.00", "5"));
    QCOMPARE(stream.orders().size(), 3);
}

void tst_Exchange::marketableLimitFillsThenRests()
{
    Stream stream(*m_exchange);
    // Asks: 1 @ 101, 2 @ 102. A buy 1.5 @ 101 takes 1 and rests 0.5.
    const Ack ack =
        asAck(m_exchange->placeOrder(u"alice"_s, limit(1, "c1", Side::Buy, "1.5", "101.00")));
    QCOMPARE(ack.status, std::optional(OrderStatus::PartiallyFilled));
    QCOMPARE(stream.orders().last().filledQty.toString(), u"1.0000"_s);
    const auto &asks = m_market->book(u"BTC-USD"_s)->asks();
    QVERIFY(std::none_of(asks.cbegin(), asks.cend(),
                         [](const auto &level) { return level.first == d("101"); }));
    m_exchange->onTrade(trade("101.00", "0.5"));
    QCOMPARE(st(stream.orders().last().status), st(OrderStatus::Filled));
}

void tst_Exchange::marketWalksTheBook()
{
    Stream stream(*m_exchange);
    const Ack ack = asAck(m_exchange->placeOrder(u"alice"_s, market(1, "c1", Side::Buy, "2")));
    QCOMPARE(ack.status, std::optional(OrderStatus::Filled));
    const QList<Order> orders = stream.orders();
    QCOMPARE(orders.size(), 3); // new, fill @101, fill @102
    QCOMPARE(orders[1].lastFillPrice->toString(), u"101.00"_s);
    QCOMPARE(orders[2].lastFillPrice->toString(), u"102.00"_s);
    QCOMPARE(orders[2].avgFillPrice->toString(), u"101.50"_s);
    QCOMPARE(orders[2].price, std::optional<Decimal>());
    QCOMPARE(stream.lastPosition()->avgPrice.toString(), u"101.50"_s);
    QCOMPARE(m_market->book(u"BTC-USD"_s)->bestAsk()->qty.toString(), u"1.0000"_s);
}

void tst_Exchange::marketOnThinBookCancelsTheRest()
{
    Stream stream(*m_exchange);
    const Ack ack = asAck(m_exchange->placeOrder(u"alice"_s, market(1, "c1", Side::Sell, "5")));
    QCOMPARE(ack.status, std::optional(OrderStatus::Cancelled));
    const Order last = stream.orders().last();
    QCOMPARE(last.filledQty.toString(), u"3.0000"_s);
    QVERIFY(last.reason->contains(u"liquidity"_s));
    QCOMPARE(stream.lastPosition()->qty.toString(), u"-3"_s);
}

void tst_Exchange::marketOnEmptyBookIsRejected()
{
    Stream stream(*m_exchange);
    const Ack ack =
        asAck(m_exchange->placeOrder(u"alice"_s, market(1, "c1", Side::Buy, "1", u"AAPL"_s)));
    QCOMPARE(ack.status, std::optional(OrderStatus::Rejected));
    QCOMPARE(stream.orders().last().reason, std::optional(u"no liquidity"_s));
    QVERIFY(!stream.lastPosition());
}

void tst_Exchange::priceTimePriority()
{
    Stream stream(*m_exchange);
    asAck(m_exchange->placeOrder(u"alice"_s, limit(1, "first", Side::Buy, "1", "95.00")));
    asAck(m_exchange->placeOrder(u"alice"_s, limit(2, "better", Side::Buy, "1", "96.00")));
    asAck(m_exchange->placeOrder(u"alice"_s, limit(3, "second", Side::Buy, "1", "95.00")));
    m_exchange->onTrade(trade("95.00", "1.5"));
    QList<Order> fills;
    for (const Order &o : stream.orders()) {
        if (o.lastFillQty)
            fills.append(o);
    }
    QCOMPARE(fills.size(), 2);
    QCOMPARE(fills[0].clientOrderId, u"better"_s);
    QCOMPARE(st(fills[0].status), st(OrderStatus::Filled));
    QCOMPARE(fills[1].clientOrderId, u"first"_s);
    QCOMPARE(fills[1].lastFillQty->toString(), u"0.5000"_s);
}

void tst_Exchange::cancelAndCancelAll()
{
    Stream stream(*m_exchange);
    const Ack a = asAck(m_exchange->placeOrder(u"alice"_s, limit(1, "a", Side::Buy, "1", "90.00")));
    asAck(m_exchange->placeOrder(u"alice"_s, limit(2, "b", Side::Sell, "1", "110.00")));
    asAck(m_exchange->placeOrder(u"alice"_s, limit(3, "c", Side::Buy, "1", "90.00", u"AAPL"_s)));

    const Ack cancelled = asAck(m_exchange->cancelOrder(u"alice"_s, CancelOrder{4, *a.orderId}));
    QCOMPARE(cancelled.status, std::optional(OrderStatus::Cancelled));
    const Message again = m_exchange->cancelOrder(u"alice"_s, CancelOrder{5, *a.orderId});
    QCOMPARE(std::get<Error>(again).code, u"unknown_order"_s);
    const Message unknown = m_exchange->cancelOrder(u"alice"_s, CancelOrder{6, u"o-999"_s});
    QCOMPARE(std::get<Error>(unknown).code, u"unknown_order"_s);
    QCOMPARE(std::get<Error>(unknown).id, std::optional<std::int64_t>(6));

    QCOMPARE(asAck(m_exchange->cancelAll(u"alice"_s, CancelAll{7, u"BTC-USD"_s})).cancelled,
             std::optional(1));
    QCOMPARE(asAck(m_exchange->cancelAll(u"alice"_s, CancelAll{8, {}})).cancelled,
             std::optional(1));
    QCOMPARE(asAck(m_exchange->cancelAll(u"alice"_s, CancelAll{9, {}})).cancelled,
             std::optional(0));
    // A cancelled order no longer fills.
    const qsizetype before = stream.orders().size();
    m_exchange->onTrade(trade("80.00", "10"));
    QCOMPARE(stream.orders().size(), before);
}

void tst_Exchange::roundTripPnlIsExact()
{
    Stream stream(*m_exchange);
    asAck(m_exchange->placeOrder(u"alice"_s, limit(1, "b1", Side::Buy, "0.3000", "100.10")));
    m_exchange->onTrade(trade("100.00", "0.1"));
    m_exchange->onTrade(trade("100.00", "0.2"));
    QCOMPARE(stream.lastPosition()->qty.toString(), u"0.3"_s);
    QCOMPARE(stream.lastPosition()->avgPrice.toString(), u"100.10"_s);
    // Sell 0.3 into the bids: 0.3 @ 99.00 -> realized = 0.3 x (99.00 - 100.10) = -0.33
    asAck(m_exchange->placeOrder(u"alice"_s, market(2, "s1", Side::Sell, "0.3")));
    QCOMPARE(stream.lastPosition()->qty.toString(), u"0"_s);
    QCOMPARE(stream.lastPosition()->realizedPnl.toString(), u"-0.33"_s);
}

void tst_Exchange::idempotentReplace()
{
    Stream stream(*m_exchange);
    const PlaceOrder request = limit(1, "same", Side::Buy, "1", "90.00");
    const Ack first = asAck(m_exchange->placeOrder(u"alice"_s, request));
    PlaceOrder retry = request;
    retry.id = 2;
    const Ack second = asAck(m_exchange->placeOrder(u"alice"_s, retry));
    QCOMPARE(second.id, 2);
    QCOMPARE(second.orderId, first.orderId);
    QCOMPARE(second.status, std::optional(OrderStatus::New));
    QCOMPARE(stream.orders().size(), 1);

    PlaceOrder different = request;
    different.qty = d("2");
    const Message refused = m_exchange->placeOrder(u"alice"_s, different);
    QCOMPARE(std::get<Error>(refused).code, u"invalid_order"_s);
    QVERIFY(std::get<Error>(refused).message.contains(u"already used"_s));
}

void tst_Exchange::resumeReplaysExactlyTheMissedEvents()
{
    Stream stream(*m_exchange);
    asAck(m_exchange->placeOrder(u"alice"_s, limit(1, "a", Side::Buy, "1", "90.00")));
    const Exchange::StreamStart start = m_exchange->openStream(u"alice"_s, {});
    QVERIFY(!start.recovered);
    const auto &snapshot = std::get<OrdersSnapshot>(start.messages.first());
    QCOMPARE(snapshot.seq, 1);
    QCOMPARE(snapshot.orders.size(), 1);

    asAck(m_exchange->placeOrder(u"alice"_s, limit(2, "b", Side::Buy, "1", "91.00")));
    m_exchange->onTrade(trade("90.50", "1"));
    const QList<Message> live = stream.byAccount.value(u"alice"_s).mid(1);
    const Exchange::StreamStart resumed =
        m_exchange->openStream(u"alice"_s, ResumePoint{m_exchange->epoch(), 1});
    QVERIFY(resumed.recovered);
    QCOMPARE(resumed.messages, live);
    // Resuming at the end: nothing to replay, still recovered.
    const Exchange::StreamStart atEnd = m_exchange->openStream(
        u"alice"_s, ResumePoint{m_exchange->epoch(), std::int64_t(1 + live.size())});
    QVERIFY(atEnd.recovered);
    QVERIFY(atEnd.messages.isEmpty());
}

void tst_Exchange::resumeFallsBackToSnapshot()
{
    ExchangeOptions options;
    options.keepEvents = 3;
    Exchange small(*m_market, options);
    QString error;
    QVERIFY(small.open(&error));
    for (int i = 0; i < 5; ++i)
        asAck(small.placeOrder(u"alice"_s,
                               limit(i, QByteArray("c" + QByteArray::number(i)).constData(),
                                     Side::Buy, "1", "90.00")));
    // Events 1 and 2 are pruned: resuming from 1 needs 2.
    Exchange::StreamStart start = small.openStream(u"alice"_s, ResumePoint{small.epoch(), 1});
    QVERIFY(!start.recovered);
    QVERIFY(std::holds_alternative<OrdersSnapshot>(start.messages.first()));
    QCOMPARE(std::get<OrdersSnapshot>(start.messages.first()).orders.size(), 5);
    // Resuming from 2 needs 3, 4, 5: all kept.
    start = small.openStream(u"alice"_s, ResumePoint{small.epoch(), 2});
    QVERIFY(start.recovered);
    QCOMPARE(start.messages.size(), 3);
    // Another epoch: snapshot.
    start = small.openStream(u"alice"_s, ResumePoint{small.epoch() + 1, 4});
    QVERIFY(!start.recovered);
    // A seq from the future: snapshot.
    start = small.openStream(u"alice"_s, ResumePoint{small.epoch(), 99});
    QVERIFY(!start.recovered);
}

void tst_Exchange::stateSurvivesReopen()
{
    const QString path = m_dir.filePath(u"reopen.sqlite"_s);
    ExchangeOptions options;
    options.statePath = path;
    std::int64_t epoch = 0;
    QList<Message> before;
    {
        Exchange first(*m_market, options);
        QString error;
        QVERIFY2(first.open(&error), qPrintable(error));
        epoch = first.epoch();
        asAck(first.placeOrder(u"alice"_s, limit(1, "a", Side::Buy, "1", "90.00")));
        asAck(first.placeOrder(u"alice"_s, market(2, "b", Side::Buy, "0.5")));
        before = first.openStream(u"alice"_s, ResumePoint{epoch, 0}).messages;
    }
    Exchange second(*m_market, options);
    QString error;
    QVERIFY2(second.open(&error), qPrintable(error));
    QCOMPARE(second.epoch(), epoch);
    const Exchange::StreamStart start = second.openStream(u"alice"_s, ResumePoint{epoch, 0});
    QVERIFY(start.recovered);
    QCOMPARE(start.messages, before);
    // The resting order still fills, and numbering continues.
    Stream stream(second);
    second.onTrade(trade("89.00", "1"));
    QCOMPARE(stream.orders().size(), 1);
    QCOMPARE(st(stream.orders().first().status), st(OrderStatus::Filled));
    QCOMPARE(stream.orders().first().seq, std::int64_t(before.size() + 1));
    const Ack next = asAck(second.placeOrder(u"alice"_s, limit(3, "c", Side::Buy, "1", "80.00")));
    QCOMPARE(next.orderId, std::optional(u"o-3"_s));
    // Idempotency survives the restart too.
    const Ack retry = asAck(second.placeOrder(u"alice"_s, limit(4, "a", Side::Buy, "1", "90.00")));
    QCOMPARE(retry.orderId, std::optional(u"o-1"_s));
}

void tst_Exchange::ephemeralGetsNewEpoch()
{
    Exchange a(*m_market, ExchangeOptions{});
    QString error;
    QVERIFY(a.open(&error));
    QTest::qWait(2);
    Exchange b(*m_market, ExchangeOptions{});
    QVERIFY(b.open(&error));
    QVERIFY(a.epoch() != b.epoch());
}

void tst_Exchange::corruptStateFileIsRefusedUntouched()
{
    const QString path = m_dir.filePath(u"corrupt.sqlite"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    const QByteArray garbage = QByteArray("not a database at all ").repeated(100);
    file.write(garbage);
    file.close();

    ExchangeOptions options;
    options.statePath = path;
    Exchange exchange(*m_market, options);
    QString error;
    QVERIFY(!exchange.open(&error));
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), garbage);
}

void tst_Exchange::accountsAreIsolated()
{
    Stream stream(*m_exchange);
    const Ack a = asAck(m_exchange->placeOrder(u"alice"_s, limit(1, "x", Side::Buy, "1", "90.00")));
    asAck(m_exchange->placeOrder(u"bob"_s, limit(1, "x", Side::Buy, "2", "90.00")));
    m_exchange->onTrade(trade("90.00", "3"));
    QCOMPARE(stream.orders(u"alice"_s).size(), 2);
    QCOMPARE(stream.orders(u"bob"_s).size(), 2);
    for (const Order &o : stream.orders(u"bob"_s))
        QVERIFY(o.orderId != *a.orderId);
    // Bob cannot cancel Alice's order.
    const Message refused = m_exchange->cancelOrder(u"bob"_s, CancelOrder{2, *a.orderId});
    QCOMPARE(std::get<Error>(refused).code, u"unknown_order"_s);
    const auto snapshot =
        std::get<OrdersSnapshot>(m_exchange->openStream(u"bob"_s, {}).messages.first());
    QCOMPARE(snapshot.positions.size(), 1);
    QCOMPARE(snapshot.positions.first().qty.toString(), u"2"_s);
}

namespace {

std::unique_ptr<Exchange> paperExchange(TestMarket &market)
{
    market.setPaper(true);
    ExchangeOptions options;
    options.paper = true;
    auto exchange = std::make_unique<Exchange>(market, options);
    QString error;
    if (!exchange->open(&error))
        qWarning() << error;
    return exchange;
}

} // namespace

void tst_Exchange::paperMarketTakesDepthWithoutRemovingIt()
{
    auto exchange = paperExchange(*m_market);
    Stream stream(*exchange);
    // Asks: 1 @ 101, 2 @ 102. A market buy of 2 walks both levels...
    QCOMPARE(asAck(exchange->placeOrder(u"alice"_s, market(1, "c1", Side::Buy, "2"))).status,
             std::optional(OrderStatus::Filled));
    QList<Order> orders = stream.orders();
    QCOMPARE(orders.size(), 3);
    QCOMPARE(orders[1].lastFillPrice->toString(), u"101.00"_s);
    QCOMPARE(orders[1].lastFillQty->toString(), u"1.0000"_s);
    QCOMPARE(orders[2].lastFillPrice->toString(), u"102.00"_s);
    QCOMPARE(orders[2].avgFillPrice->toString(), u"101.50"_s); // exact: 203 / 2
    // ...and leaves the real book as it was: the next order meets the same touch.
    QCOMPARE(m_market->book(u"BTC-USD"_s)->bestAsk()->qty.toString(), u"1.0000"_s);
    QCOMPARE(asAck(exchange->placeOrder(u"bob"_s, market(2, "c2", Side::Buy, "1"))).status,
             std::optional(OrderStatus::Filled));
    QCOMPARE(stream.orders(u"bob"_s).last().lastFillPrice->toString(), u"101.00"_s);
    // More than the visible depth: the rest is cancelled, as on any thin book.
    QCOMPARE(asAck(exchange->placeOrder(u"carol"_s, market(3, "c3", Side::Sell, "5"))).status,
             std::optional(OrderStatus::Cancelled));
    QCOMPARE(stream.orders(u"carol"_s).last().filledQty.toString(), u"3.0000"_s);
}

void tst_Exchange::paperRestingFillsOnlyOnTradesThrough()
{
    auto exchange = paperExchange(*m_market);
    Stream stream(*exchange);
    QCOMPARE(asAck(exchange->placeOrder(u"alice"_s, limit(1, "c1", Side::Buy, "0.5", "100.00")))
                 .status,
             std::optional(OrderStatus::New));
    exchange->onTrade(trade("100.00", "3")); // at the price: others were ahead in the queue
    QCOMPARE(stream.orders().size(), 1);
    exchange->onTrade(trade("99.99", "0.2")); // through it: fills, up to the trade's size
    QCOMPARE(stream.orders().size(), 2);
    QCOMPARE(stream.orders().last().lastFillQty->toString(), u"0.2000"_s);
    QCOMPARE(stream.orders().last().lastFillPrice->toString(), u"100.00"_s); // its own price
    exchange->onTrade(trade("99.00", "5"));
    QCOMPARE(st(stream.orders().last().status), st(OrderStatus::Filled));
    QCOMPARE(stream.lastPosition()->qty.toString(), u"0.5"_s);
}

void tst_Exchange::paperTouchCrossingFillsOnce()
{
    auto exchange = paperExchange(*m_market);
    Stream stream(*exchange);
    QCOMPARE(asAck(exchange->placeOrder(u"alice"_s, limit(1, "c1", Side::Buy, "1", "100.00")))
                 .status,
             std::optional(OrderStatus::New));
    exchange->onBookChanged(u"BTC-USD"_s); // the ask is still at 101: nothing
    QCOMPARE(stream.orders().size(), 1);
    // The asks come down through the bid: 0.3 @ 99.50 and 0.4 @ 100.00 reach it.
    m_market->setBook(u"BTC-USD"_s, {BookLevel{d("99.00"), d("1.0000")}},
                      {BookLevel{d("99.50"), d("0.3000")}, BookLevel{d("100.00"), d("0.4000")},
                       BookLevel{d("100.50"), d("5.0000")}});
    exchange->onBookChanged(u"BTC-USD"_s);
    QCOMPARE(stream.orders().size(), 2);
    QCOMPARE(st(stream.orders().last().status), st(OrderStatus::PartiallyFilled));
    QCOMPARE(stream.orders().last().lastFillQty->toString(), u"0.7000"_s);
    QCOMPARE(stream.orders().last().lastFillPrice->toString(), u"100.00"_s);
    // The same sellers are still shown (paper fills do not remove them): no second fill.
    exchange->onBookChanged(u"BTC-USD"_s);
    QCOMPARE(stream.orders().size(), 2);
    // A trade through the price fills the rest.
    exchange->onTrade(trade("99.90", "1"));
    QCOMPARE(st(stream.orders().last().status), st(OrderStatus::Filled));
    QCOMPARE(stream.orders().last().avgFillPrice->toString(), u"100.00"_s);
}

void tst_Exchange::paperSweptOrderWaitsForTrades()
{
    auto exchange = paperExchange(*m_market);
    Stream stream(*exchange);
    // Buy 1.5 @ 101: takes the 1 visible at 101 and rests 0.5 with that ask still shown.
    QCOMPARE(asAck(exchange->placeOrder(u"alice"_s, limit(1, "c1", Side::Buy, "1.5", "101.00")))
                 .status,
             std::optional(OrderStatus::PartiallyFilled));
    exchange->onBookChanged(u"BTC-USD"_s);
    QCOMPARE(stream.orders().size(), 2); // the same ask is no new liquidity
    exchange->onTrade(trade("100.99", "2"));
    QCOMPARE(st(stream.orders().last().status), st(OrderStatus::Filled));
}

QTEST_GUILESS_MAIN(tst_Exchange)
#include "tst_exchange.moc"
