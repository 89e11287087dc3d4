// FeedClient with several servers: two real tickwire-feed processes on 127.0.0.1 (port 0). The
// client moves to the next server when its server dies or cannot be reached, resubscribes and
// resumes its order stream there, and backs off when every server is down.
#include "client/feedclient.h"
#include "client/reconnectpolicy.h"
#include "batchevents.h"
#include "feedprocess.h"
#include "protocol/decimal.h"

#include <QtNetwork/QTcpServer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using client::FeedClient;
using client::FeedOptions;
using protocol::EventBatch;
using State = FeedClient::State;
using testing::eventsOf;

namespace {
constexpr int LiveTimeoutMs = 15'000;

// The real server. --ephemeral: each process has its own exchange and so its own epoch.
class FeedProcess : public testing::FeedProcess
{
public:
    FeedProcess()
        : testing::FeedProcess(QStringLiteral(TICKWIRE_FEED_EXE))
    {
    }
    [[nodiscard]] bool start()
    {
        return testing::FeedProcess::start(
            {u"--seed"_s, u"42"_s, u"--demo-token"_s, u"T"_s, u"--ephemeral"_s});
    }
};

FeedOptions options(const QList<QUrl> &servers)
{
    FeedOptions o;
    o.setServers(servers);
    o.token = u"T"_s;
    o.seed = 3;
    o.reconnect.baseMs = 50;
    o.reconnect.capMs = 400;
    o.reconnect.connectTimeoutMs = 3'000;
    return o;
}

// A loopback port nothing listens on: connections to it are refused.
QUrl closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return {};
    const quint16 port = server.serverPort();
    server.close();
    return QUrl(u"ws://127.0.0.1:%1/"_s.arg(port));
}

int countBooks(const QSignalSpy &spy)
{
    int n = 0;
    for (const auto &args : spy)
        n += int(args.at(0).value<EventBatch>().books.size());
    return n;
}

// The URLs of the transitions into `state`, in order.
QList<QUrl> urlsOf(const QSignalSpy &transitions, State state)
{
    QList<QUrl> out;
    for (const auto &args : transitions) {
        if (args.at(0).value<State>() == state)
            out.append(args.at(4).toUrl());
    }
    return out;
}

Decimal dec(const char *text)
{
    return *Decimal::parse(QByteArrayView(text));
}
} // namespace

class tst_Failover : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void movesToTheNextServerWhenItsServerDies();
    void skipsADeadFirstServer();
    void backsOffWhenEveryServerIsDown();
};

void tst_Failover::movesToTheNextServerWhenItsServerDies()
{
    FeedProcess first;
    FeedProcess second;
    QVERIFY2(first.start(), qPrintable(first.banner()));
    QVERIFY2(second.start(), qPrintable(second.banner()));

    FeedClient client;
    QSignalSpy batches(&client, &FeedClient::batchReady);
    QSignalSpy transitions(&client, &FeedClient::transitioned);
    QSignalSpy acknowledged(&client, &FeedClient::orderAcknowledged);
    client.setOptions(options({first.url(), second.url()}));
    QCOMPARE(client.url(), first.url());
    client.subscribe(u"ticker:BTC-USD"_s);
    client.subscribe(u"book:BTC-USD"_s);
    client.subscribe(u"orders"_s);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Live, LiveTimeoutMs);
    QCOMPARE(client.url(), first.url());
    QTRY_VERIFY_WITH_TIMEOUT(!eventsOf<protocol::OrdersSnapshot>(batches).isEmpty(), 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(countBooks(batches) >= 1, 10'000);
    const std::int64_t firstEpoch = eventsOf<protocol::OrdersSnapshot>(batches).constFirst().epoch;
    // An order on the first server: the order stream has a position to resume from.
    const auto before = client.placeOrder(u"BTC-USD"_s, protocol::Side::Buy,
                                          protocol::OrderType::Limit, dec("0.01"), dec("1.00"));
    QVERIFY2(before.ok(), qPrintable(before.error));
    QTRY_COMPARE_WITH_TIMEOUT(acknowledged.size(), 1, 10'000);

    QSignalSpy urlChanges(&client, &FeedClient::urlChanged);
    // What arrives from here on comes from the second server: the connection flushes what the
    // first one delivered before it leaves Live. The client can be Live again within one poll
    // of a QTRY, so the way there is read from the transitions, never from a polled state.
    QObject::connect(&client, &FeedClient::transitioned, &client, [&batches](State state) {
        if (state == State::Reconnecting)
            batches.clear();
    });
    first.kill();
    QTRY_COMPARE_WITH_TIMEOUT(urlsOf(transitions, State::Live).size(), 2, LiveTimeoutMs);
    QCOMPARE(client.state(), State::Live);
    QCOMPARE(client.url(), second.url());
    QVERIFY(!urlChanges.isEmpty());
    QCOMPARE(urlsOf(transitions, State::Live), (QList<QUrl>{first.url(), second.url()}));
    QCOMPARE(urlsOf(transitions, State::Reconnecting).constFirst(), first.url());

    // Every subscription is active again on the second server: a fresh book, tickers flowing.
    QTRY_VERIFY_WITH_TIMEOUT(countBooks(batches) >= 1, 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(eventsOf<protocol::Ticker>(batches).size() >= 2, 10'000);
    // The order stream was resumed from the first server's {epoch, seq}; the second server has
    // another epoch, so it answered recovered:false with a snapshot (recovered:true sends none).
    QTRY_VERIFY_WITH_TIMEOUT(!eventsOf<protocol::OrdersSnapshot>(batches).isEmpty(), 10'000);
    const auto snapshot = eventsOf<protocol::OrdersSnapshot>(batches).constFirst();
    QVERIFY(snapshot.epoch != firstEpoch);
    QVERIFY(snapshot.orders.isEmpty()); // the first server's order is not on the second

    const auto after = client.placeOrder(u"BTC-USD"_s, protocol::Side::Buy,
                                         protocol::OrderType::Limit, dec("0.01"), dec("1.00"));
    QVERIFY2(after.ok(), qPrintable(after.error));
    QTRY_COMPARE_WITH_TIMEOUT(acknowledged.size(), 2, 10'000);
    QCOMPARE(acknowledged.last().at(0).toString(), after.clientOrderId);
    QTRY_VERIFY_WITH_TIMEOUT(!eventsOf<protocol::Order>(batches).isEmpty(), 10'000);
    QCOMPARE(eventsOf<protocol::Order>(batches).constLast().clientOrderId, after.clientOrderId);
}

void tst_Failover::skipsADeadFirstServer()
{
    const QUrl dead = closedPort();
    QVERIFY(!dead.isEmpty());
    FeedProcess feed;
    QVERIFY2(feed.start(), qPrintable(feed.banner()));

    FeedClient client;
    QSignalSpy transitions(&client, &FeedClient::transitioned);
    QSignalSpy batches(&client, &FeedClient::batchReady);
    client.setOptions(options({dead, feed.url()}));
    client.subscribe(u"ticker:BTC-USD"_s);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Live, LiveTimeoutMs);
    QCOMPARE(client.url(), feed.url());
    QCOMPARE(urlsOf(transitions, State::Connecting).constFirst(), dead);
    QCOMPARE(urlsOf(transitions, State::Reconnecting).constFirst(), dead);
    QCOMPARE(urlsOf(transitions, State::Live), QList<QUrl>{feed.url()});
    QTRY_VERIFY_WITH_TIMEOUT(!eventsOf<protocol::Ticker>(batches).isEmpty(), 10'000);
}

void tst_Failover::backsOffWhenEveryServerIsDown()
{
    const QUrl a = closedPort();
    const QUrl b = closedPort();
    QVERIFY(!a.isEmpty() && !b.isEmpty() && a != b);
    const FeedOptions o = options({a, b});

    FeedClient client;
    QSignalSpy transitions(&client, &FeedClient::transitioned);
    QList<QDateTime> retryTimes;
    connect(&client, &FeedClient::nextRetryAtChanged, this, [&] {
        if (client.nextRetryAt().isValid())
            retryTimes.append(client.nextRetryAt());
    });
    client.setOptions(o);
    client.open();
    constexpr int Attempts = 7; // two full cycles of the list and more: the ceiling reaches cap
    QTRY_VERIFY_WITH_TIMEOUT(client.attempt() >= Attempts, 20'000);
    client.close();

    // Each wait is the policy's: the same seed gives the same delays, attempt after attempt,
    // across both servers (the counter is not reset by a move to the next server).
    client::ReconnectPolicy reference(o.reconnect, o.seed, [] { return std::int64_t(0); });
    int waits = 0;
    int connects = 0;
    for (const auto &args : std::as_const(transitions)) {
        const auto state = args.at(0).value<State>();
        if (state == State::Connecting) {
            ++connects;
            QCOMPARE(args.at(4).toUrl(), connects % 2 == 1 ? a : b); // round robin
        }
        if (state != State::Reconnecting)
            continue;
        ++waits;
        const client::ReconnectPolicy::Decision expected = reference.next();
        QCOMPARE(args.at(1).toInt(), waits); // the attempt count grows
        QCOMPARE(args.at(1).toInt(), expected.attempt);
        QCOMPARE(args.at(2).toInt(), expected.delayMs);
        QVERIFY(expected.delayMs <= reference.ceilingMs(waits - 1));
    }
    QVERIFY(waits >= Attempts);
    QVERIFY(connects <= waits + 1); // one attempt per wait: nothing in between
    QCOMPARE(reference.ceilingMs(Attempts - 1), o.reconnect.capMs);
    // nextRetryAt moves forward with every wait.
    QVERIFY(retryTimes.size() >= Attempts);
    for (qsizetype i = 1; i < retryTimes.size(); ++i)
        QVERIFY(retryTimes[i] >= retryTimes[i - 1]);
}

QTEST_GUILESS_MAIN(tst_Failover)
#include "tst_failover.moc"
