#include "ui/ordernotices.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using ui::OrderNotice;
using ui::orderNotice;

// What the dashboard tells the user about an order event.
class tst_OrderNotices : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void partialThenFilledShareOneKey();
    void rejectionSaysWhy();
    void quietEvents();
};

namespace {

Decimal d(const char *text)
{
    return *Decimal::parse(QByteArrayView(text));
}

protocol::Order order(protocol::OrderStatus status)
{
    protocol::Order o;
    o.orderId = u"o-7"_s;
    o.clientOrderId = u"c-7"_s;
    o.symbol = u"BTC-USD"_s;
    o.side = protocol::Side::Buy;
    o.qty = d("1.0000");
    o.status = status;
    return o;
}

} // namespace

void tst_OrderNotices::partialThenFilledShareOneKey()
{
    protocol::Order o = order(protocol::OrderStatus::PartiallyFilled);
    o.filledQty = d("0.4000");
    o.lastFillQty = d("0.4000");
    o.lastFillPrice = d("64000.00");
    o.avgFillPrice = d("64000.00");
    const auto partial = orderNotice(o);
    QVERIFY(partial);
    QCOMPARE(partial->kind, u"fill"_s);
    QCOMPARE(partial->text, u"Bought 0.4000 of 1.0000 BTC-USD @ 64000.00 · partial"_s);
    QCOMPARE(partial->key, u"fill:o-7"_s);

    o.status = protocol::OrderStatus::Filled;
    o.side = protocol::Side::Buy;
    o.filledQty = d("1.0000");
    o.lastFillQty = d("0.6000");
    o.lastFillPrice = d("64001.00");
    o.avgFillPrice = d("64000.60");
    const auto filled = orderNotice(o);
    QVERIFY(filled);
    QCOMPARE(filled->text, u"Bought 1.0000 of 1.0000 BTC-USD @ 64000.60 · filled"_s);
    QCOMPARE(filled->key, partial->key); // the same toast follows the order

    o.side = protocol::Side::Sell;
    QVERIFY(orderNotice(o)->text.startsWith(u"Sold "_s));
}

void tst_OrderNotices::rejectionSaysWhy()
{
    protocol::Order o = order(protocol::OrderStatus::Rejected);
    o.reason = u"price is not a multiple of the tick size 0.01"_s;
    const auto notice = orderNotice(o);
    QVERIFY(notice);
    QCOMPARE(notice->kind, u"error"_s);
    QCOMPARE(notice->text, u"Order c-7 rejected: price is not a multiple of the tick size 0.01"_s);
    o.reason.reset();
    QVERIFY(orderNotice(o)->text.endsWith(u"no reason given"_s));
}

void tst_OrderNotices::quietEvents()
{
    QVERIFY(!orderNotice(order(protocol::OrderStatus::New)));
    QVERIFY(!orderNotice(order(protocol::OrderStatus::Cancelled)));
    QVERIFY(!orderNotice(order(protocol::OrderStatus::Filled))); // no fill in this event
}

QTEST_GUILESS_MAIN(tst_OrderNotices)
#include "tst_ordernotices.moc"
