// SubscriptionRegistry: subscriptions listed under their stream (market by id, account by
// name), taken off again, and the StreamInterest counts that tell the engine what to encode.
#include "server/streaminterest.h"
#include "server/subscriptionregistry.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::server;
using protocol::Channel;
using protocol::Encoding;

namespace {

QList<protocol::InstrumentInfo> symbols()
{
    protocol::InstrumentInfo a;
    a.symbol = u"AAA"_s;
    protocol::InstrumentInfo b;
    b.symbol = u"BBB"_s;
    return {a, b};
}

Subscription make(const StreamRef &ref, Encoding encoding)
{
    Subscription s;
    s.key = streamKey(ref.channel, ref.symbol, ref.tier, ref.interval);
    s.ref = ref;
    s.encoding = encoding;
    return s;
}

} // namespace

class tst_SubscriptionRegistry : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void streamIdsFollowTheInstrumentOrder();
    void marketStreamsAreListedAndCounted();
    void accountStreamsAreListedByName();
    void removingWhatIsNotListedChangesNothing();
};

void tst_SubscriptionRegistry::streamIdsFollowTheInstrumentOrder()
{
    const SubscriptionRegistry registry(symbols(), std::make_shared<StreamInterest>(2));
    QCOMPARE(registry.marketStreams(), 2 * StreamsPerSymbol);
    QVERIFY(registry.knows(u"BBB"_s));
    QVERIFY(!registry.knows(u"ZZZ"_s));
    QCOMPARE(registry.streamId({Channel::Ticker, u"AAA"_s}), 0);
    QCOMPARE(registry.streamId({Channel::Trades, u"BBB"_s}),
             StreamsPerSymbol + streamSlot(Channel::Trades));
    QCOMPARE(registry.streamId({Channel::Book, u"BBB"_s, 2}),
             StreamsPerSymbol + streamSlot(Channel::Book, 2));
    QCOMPARE(registry.streamId({Channel::Ticker, u"ZZZ"_s}), NoStreamId);
    QCOMPARE(registry.streamId({Channel::Orders, u"acct"_s}), NoStreamId);
}

void tst_SubscriptionRegistry::marketStreamsAreListedAndCounted()
{
    const auto interest = std::make_shared<StreamInterest>(2);
    SubscriptionRegistry registry(symbols(), interest);
    Subscription json = make({Channel::Ticker, u"BBB"_s}, Encoding::Json);
    Subscription cbor = make({Channel::Ticker, u"BBB"_s}, Encoding::Cbor);
    Subscription other = make({Channel::Trades, u"AAA"_s}, Encoding::Json);
    registry.add(&json);
    registry.add(&cbor);
    registry.add(&other);
    const int id = StreamsPerSymbol; // BBB's ticker
    QCOMPARE(json.id, id);
    QCOMPARE(registry.market(id), (QList<Subscription *>{&json, &cbor}));
    QCOMPARE(registry.subscribers(id, json.key), &registry.market(id));
    QVERIFY(interest->wanted(id).json && interest->wanted(id).cbor);

    registry.remove(&json);
    QCOMPARE(registry.market(id), QList<Subscription *>{&cbor});
    QVERIFY(!interest->wanted(id).json);
    QVERIFY(interest->wanted(id).cbor);
    registry.remove(&cbor);
    QVERIFY(registry.market(id).isEmpty());
    QVERIFY(!interest->wanted(id).cbor);
    QCOMPARE(registry.market(other.id), QList<Subscription *>{&other});
}

void tst_SubscriptionRegistry::accountStreamsAreListedByName()
{
    SubscriptionRegistry registry(symbols(), std::make_shared<StreamInterest>(2));
    Subscription a = make({Channel::Orders, u"alice"_s}, Encoding::Json);
    Subscription b = make({Channel::Orders, u"alice"_s}, Encoding::Cbor);
    QCOMPARE(registry.subscribers(NoStreamId, a.key), nullptr);
    registry.add(&a);
    registry.add(&b);
    QCOMPARE(a.id, NoStreamId);
    const QList<Subscription *> *list = registry.subscribers(NoStreamId, a.key);
    QVERIFY(list);
    QCOMPARE(*list, (QList<Subscription *>{&a, &b}));
    QCOMPARE(registry.subscribers(NoStreamId, streamKey(Channel::Orders, u"bob"_s)), nullptr);
    registry.remove(&a);
    registry.remove(&b);
    QCOMPARE(registry.subscribers(NoStreamId, a.key), nullptr); // nobody left: forgotten
}

void tst_SubscriptionRegistry::removingWhatIsNotListedChangesNothing()
{
    const auto interest = std::make_shared<StreamInterest>(2);
    SubscriptionRegistry registry(symbols(), interest);
    Subscription listed = make({Channel::Ticker, u"AAA"_s}, Encoding::Json);
    Subscription stranger = make({Channel::Ticker, u"AAA"_s}, Encoding::Json);
    registry.add(&listed);
    stranger.id = listed.id;
    registry.remove(&stranger); // not listed: the count stays
    QVERIFY(interest->wanted(listed.id).json);
    QCOMPARE(registry.market(listed.id), QList<Subscription *>{&listed});
    Subscription account = make({Channel::Orders, u"nobody"_s}, Encoding::Json);
    registry.remove(&account);
}

QTEST_APPLESS_MAIN(tst_SubscriptionRegistry)
#include "tst_subscriptionregistry.moc"
