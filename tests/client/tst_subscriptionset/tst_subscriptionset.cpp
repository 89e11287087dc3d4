#include "client/subscriptionset.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using client::SubscriptionSet;
using client::Topic;

namespace {
Topic topic(const QString &text)
{
    const auto parsed = Topic::parse(text);
    if (!parsed)
        qFatal("bad topic");
    return *parsed;
}

QStringList describe(const QList<protocol::Message> &requests)
{
    QStringList out;
    for (const auto &request : requests) {
        if (const auto *s = std::get_if<protocol::Subscribe>(&request)) {
            QString text =
                u"sub %1 %2"_s.arg(protocol::toString(s->channel), s->symbols.join(u','));
            if (s->resume)
                text += u" resume %1/%2"_s.arg(s->resume->epoch).arg(s->resume->seq);
            out.append(text);
        } else if (const auto *u = std::get_if<protocol::Unsubscribe>(&request)) {
            out.append(u"unsub %1 %2"_s.arg(protocol::toString(u->channel), u->symbols.join(u',')));
        }
    }
    return out;
}

protocol::Ack ackOf(std::int64_t id)
{
    protocol::Ack ack;
    ack.id = id;
    return ack;
}

std::int64_t idOf(const protocol::Message &message)
{
    return protocol::requestId(message).value_or(-1);
}
} // namespace

class tst_SubscriptionSet : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseTopics_data();
    void parseTopics();
    void resubscribesEverythingAfterReconnect();
    void sendsOnlyDifferencesWhileLive();
    void unknownSymbolKeepsTheRest();
    void timeoutRetries();
    void ordersCarryResumePoint();
    void resubscribeOneTopic();
};

void tst_SubscriptionSet::parseTopics_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("canonical");
    QTest::newRow("ticker") << u"ticker:BTC-USD"_s << true << u"ticker:BTC-USD"_s;
    QTest::newRow("book") << u"book:ETH-USD"_s << true << u"book:ETH-USD"_s;
    QTest::newRow("trades") << u"trades:ETH-USD"_s << true << u"trades:ETH-USD"_s;
    QTest::newRow("candles") << u"candles:1m:BTC-USD"_s << true << u"candles:1m:BTC-USD"_s;
    QTest::newRow("orders") << u"orders"_s << true << u"orders"_s;
    QTest::newRow("unknown channel") << u"quotes:BTC-USD"_s << false << QString();
    QTest::newRow("no symbol") << u"ticker"_s << false << QString();
    QTest::newRow("empty symbol") << u"ticker:"_s << false << QString();
    QTest::newRow("bad interval") << u"candles:7m:BTC-USD"_s << false << QString();
    QTest::newRow("candles no interval") << u"candles:BTC-USD"_s << false << QString();
    QTest::newRow("orders with symbol") << u"orders:BTC-USD"_s << false << QString();
}

void tst_SubscriptionSet::parseTopics()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QString, canonical);
    QString error;
    const auto parsed = Topic::parse(text, &error);
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(parsed->toString(), canonical);
    else
        QVERIFY(!error.isEmpty());
}

void tst_SubscriptionSet::resubscribesEverythingAfterReconnect()
{
    SubscriptionSet set;
    set.add(topic(u"ticker:BTC-USD"_s));
    set.add(topic(u"ticker:ETH-USD"_s));
    set.add(topic(u"book:BTC-USD"_s));
    std::int64_t nextId = 1;
    auto first = set.takeRequests(nextId, 0);
    QCOMPARE(describe(first),
             (QStringList{u"sub ticker BTC-USD,ETH-USD"_s, u"sub book BTC-USD"_s}));
    for (const auto &r : first)
        QVERIFY(set.handleAck(ackOf(idOf(r))));
    QVERIFY(set.isActive(topic(u"book:BTC-USD"_s)));
    QVERIFY(set.takeRequests(nextId, 0).isEmpty());

    set.connectionLost();
    QVERIFY(!set.isActive(topic(u"book:BTC-USD"_s)));
    const auto again = set.takeRequests(nextId, 0);
    QCOMPARE(describe(again), describe(first));
    QVERIFY(idOf(again.first()) > idOf(first.last()));
}

void tst_SubscriptionSet::sendsOnlyDifferencesWhileLive()
{
    SubscriptionSet set;
    set.add(topic(u"ticker:BTC-USD"_s));
    set.add(topic(u"ticker:ETH-USD"_s));
    std::int64_t nextId = 1;
    for (const auto &r : set.takeRequests(nextId, 0))
        set.handleAck(ackOf(idOf(r)));

    QVERIFY(!set.add(topic(u"ticker:BTC-USD"_s))); // no change, nothing to send
    set.add(topic(u"ticker:SOL-USD"_s));
    set.remove(topic(u"ticker:ETH-USD"_s));
    const auto diff = set.takeRequests(nextId, 0);
    QCOMPARE(describe(diff), (QStringList{u"unsub ticker ETH-USD"_s, u"sub ticker SOL-USD"_s}));
    for (const auto &r : diff)
        set.handleAck(ackOf(idOf(r)));
    QVERIFY(!set.isActive(topic(u"ticker:ETH-USD"_s)));
    QVERIFY(set.isActive(topic(u"ticker:SOL-USD"_s)));
    QVERIFY(set.takeRequests(nextId, 0).isEmpty());
}

void tst_SubscriptionSet::unknownSymbolKeepsTheRest()
{
    SubscriptionSet set;
    set.add(topic(u"ticker:BTC-USD"_s));
    set.add(topic(u"ticker:DOGE-EUR"_s));
    std::int64_t nextId = 1;
    const auto requests = set.takeRequests(nextId, 0);
    QCOMPARE(requests.size(), 1);
    protocol::Error error{idOf(requests.first()), QString(protocol::ErrorCode::UnknownSymbol),
                          u"unknown symbol \"DOGE-EUR\""_s, u"DOGE-EUR"_s};
    const auto failure = set.handleError(error);
    QVERIFY(failure);
    QCOMPARE(failure->topics.size(), 1);
    QCOMPARE(failure->topics.first().symbol, u"DOGE-EUR"_s);
    QCOMPARE(set.errorFor(topic(u"ticker:DOGE-EUR"_s)), u"unknown symbol \"DOGE-EUR\""_s);
    QVERIFY(set.errorFor(topic(u"ticker:BTC-USD"_s)).isEmpty());
    // The good symbol is asked for again on its own; the bad one is not retried.
    const auto retry = set.takeRequests(nextId, 0);
    QCOMPARE(describe(retry), QStringList{u"sub ticker BTC-USD"_s});
    QVERIFY(set.contains(topic(u"ticker:DOGE-EUR"_s)));
    // Re-adding after removal clears the error and tries again.
    set.remove(topic(u"ticker:DOGE-EUR"_s));
    set.add(topic(u"ticker:DOGE-EUR"_s));
    QVERIFY(set.errorFor(topic(u"ticker:DOGE-EUR"_s)).isEmpty());
    QCOMPARE(describe(set.takeRequests(nextId, 0)), QStringList{u"sub ticker DOGE-EUR"_s});
    // Replies to ids we never sent are not ours.
    QVERIFY(!set.handleAck(ackOf(9999)));
    QVERIFY(!set.handleError(protocol::Error{9999, u"bad_request"_s, u"x"_s, {}}));
}

void tst_SubscriptionSet::timeoutRetries()
{
    SubscriptionSet set(20, 1000);
    set.add(topic(u"book:BTC-USD"_s));
    std::int64_t nextId = 1;
    const auto requests = set.takeRequests(nextId, 5000);
    QCOMPARE(requests.size(), 1);
    QVERIFY(set.expire(5999).isEmpty());
    const auto failures = set.expire(6000);
    QCOMPARE(failures.size(), 1);
    QCOMPARE(failures.first().code, u"timeout"_s);
    QVERIFY(!set.hasPending());
    QCOMPARE(describe(set.takeRequests(nextId, 6000)), QStringList{u"sub book BTC-USD"_s});
    // A late ack for the expired request changes nothing.
    QVERIFY(!set.handleAck(ackOf(idOf(requests.first()))));
}

void tst_SubscriptionSet::ordersCarryResumePoint()
{
    SubscriptionSet set;
    set.add(topic(u"orders"_s));
    std::int64_t nextId = 1;
    const auto requests = set.takeRequests(nextId, 0, protocol::ResumePoint{17, 42});
    QCOMPARE(describe(requests), QStringList{u"sub orders  resume 17/42"_s});
    QVERIFY(std::get<protocol::Subscribe>(requests.first()).symbols.isEmpty());
}

void tst_SubscriptionSet::resubscribeOneTopic()
{
    SubscriptionSet set(50);
    set.add(topic(u"book:BTC-USD"_s));
    set.add(topic(u"book:ETH-USD"_s));
    std::int64_t nextId = 1;
    for (const auto &r : set.takeRequests(nextId, 0))
        set.handleAck(ackOf(idOf(r)));
    const auto requests = set.resubscribe(topic(u"book:ETH-USD"_s), nextId, 0);
    QCOMPARE(describe(requests), (QStringList{u"unsub book ETH-USD"_s, u"sub book ETH-USD"_s}));
    QCOMPARE(std::get<protocol::Subscribe>(requests.last()).depth, 50);
    QVERIFY(set.isActive(topic(u"book:BTC-USD"_s)));
    QVERIFY(!set.isActive(topic(u"book:ETH-USD"_s)));
    for (const auto &r : requests)
        set.handleAck(ackOf(idOf(r)));
    QVERIFY(set.isActive(topic(u"book:ETH-USD"_s)));
    QVERIFY(set.resubscribe(topic(u"book:SOL-USD"_s), nextId, 0).isEmpty()); // not desired
}

QTEST_GUILESS_MAIN(tst_SubscriptionSet)
#include "tst_subscriptionset.moc"
