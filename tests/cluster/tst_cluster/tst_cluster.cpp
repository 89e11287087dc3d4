// The scaled-out service, for real: a 3-node nats-server cluster, one `tickwire-feed --role
// engine` and two `--role gateway` processes, all on free loopback ports, and clients on the
// gateways. Kills with SIGKILL: a gateway while its client trades, the account stream's NATS
// leader, the engine (restarted on the same state).
#include "backplane/natsclient.h"
#include "batchevents.h"
#include "client/feedclient.h"
#include "feedprocess.h"
#include "natscluster.h"
#include "protocol/decimal.h"
#include "statecount.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QMap>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace tickwire;
using client::FeedClient;
using client::FeedOptions;
using protocol::EventBatch;
using State = FeedClient::State;
using testing::eventsOf;

namespace {

constexpr int LiveTimeoutMs = 20'000;

Decimal dec(const char *text)
{
    return *Decimal::parse(QByteArrayView(text));
}

// The service: NATS (3 nodes), an engine on a state file, two gateways.
class Service
{
public:
    Service()
        : m_engine(QStringLiteral(TICKWIRE_FEED_EXE))
        , m_gateways{std::make_unique<testing::FeedProcess>(QStringLiteral(TICKWIRE_FEED_EXE)),
                     std::make_unique<testing::FeedProcess>(QStringLiteral(TICKWIRE_FEED_EXE))}
    {
    }

    // `gatewayArguments`: more options for both gateways.
    [[nodiscard]] bool start(QString *error, const QStringList &gatewayArguments = {})
    {
        if (!m_nats.start()) {
            *error = m_nats.errorString();
            return false;
        }
        if (!startEngine()) {
            *error = u"engine: "_s + m_engine.banner();
            return false;
        }
        for (auto &gateway : m_gateways) {
            if (!gateway->start(QStringList{u"--role"_s, u"gateway"_s, u"--nats"_s, natsUrls(),
                                            u"--demo-token"_s, u"T"_s}
                                + gatewayArguments)) {
                *error = u"gateway: "_s + gateway->banner();
                return false;
            }
        }
        return true;
    }
    [[nodiscard]] bool startEngine()
    {
        return m_engine.start({u"--role"_s, u"engine"_s, u"--nats"_s, natsUrls(), u"--state"_s,
                               m_dir.filePath(u"exchange.sqlite"_s), u"--demo-token"_s, u"T"_s,
                               u"--seed"_s, u"7"_s});
    }
    [[nodiscard]] QString natsUrls() const { return m_nats.clientUrls().join(u','); }
    testing::NatsCluster &nats() { return m_nats; }
    testing::FeedProcess &engine() { return m_engine; }
    testing::FeedProcess &gateway(int i) { return *m_gateways[std::size_t(i)]; }

private:
    QTemporaryDir m_dir;
    testing::NatsCluster m_nats{3};
    testing::FeedProcess m_engine;
    std::array<std::unique_ptr<testing::FeedProcess>, 2> m_gateways;
};

FeedOptions options(const QList<QUrl> &servers)
{
    FeedOptions o;
    o.setServers(servers);
    o.token = u"T"_s;
    o.seed = 11;
    o.reconnect.baseMs = 50;
    o.reconnect.capMs = 400;
    o.reconnect.connectTimeoutMs = 5'000;
    return o;
}

// The account stream's seqs as the client received them (orders and positions), in order.
QList<std::int64_t> accountSeqs(const QSignalSpy &batches)
{
    QList<std::int64_t> seqs;
    for (const auto &args : batches) {
        const auto batch = args.at(0).value<EventBatch>();
        for (const protocol::Message &m : batch.events) {
            if (const auto *o = std::get_if<protocol::Order>(&m))
                seqs.append(o->seq);
            else if (const auto *p = std::get_if<protocol::Position>(&m))
                seqs.append(p->seq);
        }
    }
    return seqs;
}

// Empty when `seqs` rise by exactly one each (nothing lost, nothing twice), else what is wrong.
QString contiguity(const QList<std::int64_t> &seqs)
{
    for (qsizetype i = 1; i < seqs.size(); ++i) {
        if (seqs[i] != seqs[i - 1] + 1)
            return u"seq %1 follows %2"_s.arg(seqs[i]).arg(seqs[i - 1]);
    }
    return {};
}

// A limit buy far below the market: it rests, and its `new` event is one account event.
client::FeedClient::OrderResult placeResting(FeedClient &client)
{
    return client.placeOrder(u"BTC-USD"_s, protocol::Side::Buy, protocol::OrderType::Limit,
                             dec("0.01"), dec("1.00"));
}

int newEventsOf(const QSignalSpy &batches, const QString &clientOrderId)
{
    int n = 0;
    const auto orders = eventsOf<protocol::Order>(batches);
    for (const protocol::Order &o : orders)
        n += o.clientOrderId == clientOrderId && o.status == protocol::OrderStatus::New ? 1 : 0;
    return n;
}

// A client of the demo account on `servers`, with what it received.
struct Trader
{
    explicit Trader(const QList<QUrl> &servers, const QStringList &topics = {u"orders"_s})
    {
        client.setOptions(options(servers));
        for (const QString &topic : topics)
            client.subscribe(topic);
        client.open();
    }
    FeedClient client;
    QSignalSpy batches{&client, &FeedClient::batchReady};
    QSignalSpy states{&client, &FeedClient::stateChanged};
    QSignalSpy acknowledged{&client, &FeedClient::orderAcknowledged};
    QSignalSpy failed{&client, &FeedClient::orderRequestFailed};
    QSignalSpy subscriptionFailures{&client, &FeedClient::subscriptionFailed};
};

// A raw WebSocket client that keeps the text of every ticker and book frame by seq.
class RawFeed : public QObject
{
public:
    explicit RawFeed(const QUrl &url)
    {
        connect(&m_socket, &QWebSocket::connected, this, [this] {
            m_socket.sendTextMessage(
                uR"({"type":"subscribe","id":1,"channel":"ticker","symbols":["BTC-USD"]})"_s);
            m_socket.sendTextMessage(
                uR"({"type":"subscribe","id":2,"channel":"book","symbols":["BTC-USD"]})"_s);
        });
        connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
            const QString type = o.value(u"type"_s).toString();
            const auto seq = qint64(o.value(u"seq"_s).toDouble());
            if (type == "ticker"_L1)
                tickers.insert(seq, text);
            else if (type == "book"_L1)
                books.insert(seq, text);
        });
        m_socket.open(url);
    }
    QMap<qint64, QString> tickers;
    QMap<qint64, QString> books;

private:
    QWebSocket m_socket;
};

// How many seqs two maps share, and the first shared seq whose frames differ (empty: none).
struct Comparison
{
    int shared = 0;
    QString mismatch;
};
Comparison compare(const QMap<qint64, QString> &a, const QMap<qint64, QString> &b)
{
    Comparison c;
    for (auto it = a.cbegin(); it != a.cend(); ++it) {
        const auto other = b.constFind(it.key());
        if (other == b.cend())
            continue;
        ++c.shared;
        if (*other != *it && c.mismatch.isEmpty())
            c.mismatch = u"seq %1:\n%2\n%3"_s.arg(it.key()).arg(*it, *other);
    }
    return c;
}

} // namespace

class tst_Cluster : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void gatewaysForwardTheSameFrames();
    void clientMovesToTheOtherGatewayWhenItsGatewayDies();
    void ordersSurviveTheAccountStreamLeadersDeath();
    void engineRestartKeepsClientsAndTheOrderStream();
    void slowGatewayResnapshotsInsteadOfServingAGap();
    void orderStreamStaysWholeWhileTheAccountStreamHasNoQuorum();
    void nonsenseOnTheBackplaneIsRefusedOrIgnored();
};

void tst_Cluster::initTestCase()
{
    if (testing::NatsCluster::serverProgram().isEmpty())
        QFAIL("nats-server is not installed (scripts/dev installs it)");
}

void tst_Cluster::gatewaysForwardTheSameFrames()
{
    Service service;
    QString error;
    QVERIFY2(service.start(&error), qPrintable(error));
    RawFeed a(service.gateway(0).url());
    RawFeed b(service.gateway(1).url());
    // Both gateways carry the engine's frames unchanged: the same seq has the same bytes (and so
    // the same book checksum) on either.
    QTRY_VERIFY_WITH_TIMEOUT(compare(a.tickers, b.tickers).shared >= 20, 30'000);
    QTRY_VERIFY_WITH_TIMEOUT(compare(a.books, b.books).shared >= 20, 30'000);
    const Comparison tickers = compare(a.tickers, b.tickers);
    QVERIFY2(tickers.mismatch.isEmpty(), qPrintable(tickers.mismatch));
    const Comparison books = compare(a.books, b.books);
    QVERIFY2(books.mismatch.isEmpty(), qPrintable(books.mismatch));
    QVERIFY(a.books.last().contains(u"\"checksum\""_s));
}

void tst_Cluster::clientMovesToTheOtherGatewayWhenItsGatewayDies()
{
    Service service;
    QString error;
    QVERIFY2(service.start(&error), qPrintable(error));
    Trader trader({service.gateway(0).url(), service.gateway(1).url()});
    FeedClient &client = trader.client;
    const QSignalSpy &batches = trader.batches;
    const QSignalSpy &states = trader.states;
    const QSignalSpy &acknowledged = trader.acknowledged;
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Live, LiveTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(eventsOf<protocol::OrdersSnapshot>(batches).size(), 1, 10'000);

    QStringList placed;
    for (int i = 0; i < 3; ++i) {
        const auto order = placeResting(client);
        QVERIFY2(order.ok(), qPrintable(order.error));
        placed.append(order.clientOrderId);
        QTRY_COMPARE_WITH_TIMEOUT(acknowledged.size(), i + 1, 10'000);
    }
    // One more, and the gateway dies before (or just after) it answers.
    const auto inFlight = placeResting(client);
    QVERIFY2(inFlight.ok(), qPrintable(inFlight.error));
    service.gateway(0).kill();
    QTRY_COMPARE_WITH_TIMEOUT(testing::entriesInto(states, State::Live), 2, LiveTimeoutMs);
    QCOMPARE(client.url(), service.gateway(1).url());
    for (int i = 0; i < 3; ++i) {
        const auto order = placeResting(client);
        QVERIFY2(order.ok(), qPrintable(order.error));
        placed.append(order.clientOrderId);
    }
    for (const QString &id : std::as_const(placed))
        QTRY_COMPARE_WITH_TIMEOUT(newEventsOf(batches, id), 1, 15'000);
    // Resumed with recovered:true: the other gateway replayed what was missing from JetStream
    // and sent no second snapshot.
    QCOMPARE(eventsOf<protocol::OrdersSnapshot>(batches).size(), 1);
    const QList<std::int64_t> seqs = accountSeqs(batches);
    QVERIFY2(contiguity(seqs).isEmpty(), qPrintable(contiguity(seqs)));
    QVERIFY(newEventsOf(batches, inFlight.clientOrderId) <= 1);
}

void tst_Cluster::ordersSurviveTheAccountStreamLeadersDeath()
{
    Service service;
    QString error;
    QVERIFY2(service.start(&error), qPrintable(error));
    Trader trader({service.gateway(0).url()});
    FeedClient &client = trader.client;
    const QSignalSpy &batches = trader.batches;
    const QSignalSpy &acknowledged = trader.acknowledged;
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Live, LiveTimeoutMs);
    QStringList placed;
    for (int i = 0; i < 2; ++i) {
        const auto order = placeResting(client);
        QVERIFY2(order.ok(), qPrintable(order.error));
        placed.append(order.clientOrderId);
        QTRY_COMPARE_WITH_TIMEOUT(acknowledged.size(), i + 1, 10'000);
    }
    QString leader;
    QTRY_VERIFY_WITH_TIMEOUT(!(leader = service.nats().streamLeader(u"TW_ACCOUNTS"_s)).isEmpty(),
                             10'000);
    service.nats().kill(service.nats().nodeOf(leader));
    // Orders keep working once a new leader is elected; nothing is lost or doubled.
    for (int i = 0; i < 3; ++i) {
        const auto order = placeResting(client);
        QVERIFY2(order.ok(), qPrintable(order.error));
        placed.append(order.clientOrderId);
    }
    for (const QString &id : std::as_const(placed))
        QTRY_COMPARE_WITH_TIMEOUT(newEventsOf(batches, id), 1, 30'000);
    QCOMPARE(acknowledged.size(), 5);
    const QList<std::int64_t> seqs = accountSeqs(batches);
    QVERIFY2(contiguity(seqs).isEmpty(), qPrintable(contiguity(seqs)));
    // A client arriving now resumes from the stream on the other gateway, leaderless no more.
    Trader late({service.gateway(1).url()});
    QTRY_COMPARE_WITH_TIMEOUT(eventsOf<protocol::OrdersSnapshot>(late.batches).size(), 1,
                              LiveTimeoutMs);
    QCOMPARE(eventsOf<protocol::OrdersSnapshot>(late.batches).constFirst().orders.size(), 5);
}

void tst_Cluster::engineRestartKeepsClientsAndTheOrderStream()
{
    Service service;
    QString error;
    QVERIFY2(service.start(&error), qPrintable(error));
    Trader trader({service.gateway(1).url()},
                  {u"orders"_s, u"ticker:BTC-USD"_s, u"book:BTC-USD"_s});
    FeedClient &client = trader.client;
    QSignalSpy &batches = trader.batches;
    const QSignalSpy &states = trader.states;
    const QSignalSpy &acknowledged = trader.acknowledged;
    const QSignalSpy &failed = trader.failed;
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Live, LiveTimeoutMs);
    // Another client of the account, on the other gateway: it will have to move while the
    // engine is away, so only the account stream in JetStream can resume it.
    Trader moving({service.gateway(0).url(), service.gateway(1).url()});
    FeedClient &mover = moving.client;
    const QSignalSpy &moverBatches = moving.batches;
    const QSignalSpy &moverStates = moving.states;
    const QSignalSpy &moverFailures = moving.subscriptionFailures;
    QTRY_COMPARE_WITH_TIMEOUT(eventsOf<protocol::OrdersSnapshot>(moverBatches).size(), 1,
                              LiveTimeoutMs);
    const auto before = placeResting(client);
    QVERIFY2(before.ok(), qPrintable(before.error));
    QTRY_COMPARE_WITH_TIMEOUT(acknowledged.size(), 1, 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(!eventsOf<protocol::Ticker>(batches).isEmpty(), 10'000);
    const std::int64_t epoch = eventsOf<protocol::OrdersSnapshot>(batches).constFirst().epoch;
    // The order's event is in the account stream (both clients got it through it).
    QTRY_COMPARE_WITH_TIMEOUT(newEventsOf(moverBatches, before.clientOrderId), 1, 20'000);
    QTRY_COMPARE_WITH_TIMEOUT(newEventsOf(batches, before.clientOrderId), 1, 10'000);

    service.engine().kill();
    // The gateway says so, keeps the client, and refuses orders with a clear error.
    QTRY_VERIFY_WITH_TIMEOUT(client.sourceStatus()
                                 && client.sourceStatus()->state == protocol::SourceState::Down,
                             10'000);
    const auto refused = placeResting(client);
    QVERIFY2(refused.ok(), qPrintable(refused.error)); // sent; the gateway answers
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10'000);
    QCOMPARE(failed.first().at(1).toString(), u"unavailable"_s);
    const std::int64_t lastTicker = eventsOf<protocol::Ticker>(batches).constLast().seq;
    batches.clear();

    // With the engine away, a client whose gateway dies resumes on the other one from the
    // stream: recovered, no snapshot, no refusal, and the order placed before is there.
    service.gateway(0).kill();
    QTRY_COMPARE_WITH_TIMEOUT(testing::entriesInto(moverStates, State::Live), 2, LiveTimeoutMs);
    QCOMPARE(mover.url(), service.gateway(1).url());
    QTest::qWait(1'000); // what a refusal or a second snapshot would take to arrive
    QCOMPARE(eventsOf<protocol::OrdersSnapshot>(moverBatches).size(), 1);
    QVERIFY(moverFailures.isEmpty());
    // A new client's order stream needs the engine's snapshot: it waits for the engine.
    Trader newcomer({service.gateway(1).url()});
    QTRY_COMPARE_WITH_TIMEOUT(newcomer.client.state(), State::Live, LiveTimeoutMs);
    QTest::qWait(7'000); // longer than an order request waits for the engine (6 s)
    QVERIFY(newcomer.subscriptionFailures.isEmpty());

    QVERIFY2(service.startEngine(), qPrintable(service.engine().banner()));
    QTRY_VERIFY_WITH_TIMEOUT(client.sourceStatus()
                                 && client.sourceStatus()->state == protocol::SourceState::Live,
                             20'000);
    // Market data comes back from fresh snapshots, above the old engine's seqs.
    QTRY_VERIFY_WITH_TIMEOUT(!eventsOf<protocol::Ticker>(batches).isEmpty()
                                 && eventsOf<protocol::Ticker>(batches).constLast().seq
                                        > lastTicker,
                             20'000);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const auto &args : std::as_const(batches)) {
                for (const protocol::BookView &book : args.at(0).value<EventBatch>().books) {
                    if (book.resynced)
                        return true;
                }
            }
            return false;
        }(),
        20'000);
    // The order stream goes on in the same epoch.
    const auto after = placeResting(client);
    QVERIFY2(after.ok(), qPrintable(after.error));
    QTRY_COMPARE_WITH_TIMEOUT(newEventsOf(batches, after.clientOrderId), 1, 20'000);
    const auto orders = eventsOf<protocol::Order>(batches);
    QCOMPARE(orders.constLast().epoch, epoch);
    QCOMPARE(testing::entriesInto(states, State::Live), 1); // never reconnected
    QTRY_COMPARE_WITH_TIMEOUT(newEventsOf(moverBatches, after.clientOrderId), 1, 10'000);
    QTRY_COMPARE_WITH_TIMEOUT(eventsOf<protocol::OrdersSnapshot>(newcomer.batches).size(), 1,
                              10'000);
    QVERIFY(newcomer.subscriptionFailures.isEmpty());
    const auto snapshot = eventsOf<protocol::OrdersSnapshot>(newcomer.batches).constFirst();
    QCOMPARE(snapshot.epoch, epoch);
    QVERIFY(std::any_of(
        snapshot.orders.cbegin(), snapshot.orders.cend(),
        [&](const protocol::Order &o) { return o.clientOrderId == before.clientOrderId; }));
    const QList<std::int64_t> seqs = accountSeqs(moverBatches);
    QVERIFY2(contiguity(seqs).isEmpty(), qPrintable(contiguity(seqs)));
}

namespace {
// Books (re)built from a snapshot: the first of each, then one per resync.
int resyncedBooks(const QSignalSpy &batches)
{
    int n = 0;
    for (const auto &args : batches) {
        for (const protocol::BookView &book : args.at(0).value<EventBatch>().books)
            n += book.resynced ? 1 : 0;
    }
    return n;
}
} // namespace

void tst_Cluster::slowGatewayResnapshotsInsteadOfServingAGap()
{
    // The gateway holds at most 4 messages of a NATS subscription while its thread is busy.
    // Stopped for a moment (SIGSTOP), it gets the backlog at once when it runs again: more than
    // it holds, so messages are dropped, and the streams must resync from snapshots rather than
    // reach the client with a gap.
    Service service;
    QString error;
    QVERIFY2(service.start(&error, {u"--nats-pending"_s, u"4"_s}), qPrintable(error));
    Trader trader({service.gateway(0).url()},
                  {u"orders"_s, u"book:BTC-USD"_s, u"book:ETH-USD"_s, u"trades:BTC-USD"_s});
    FeedClient &client = trader.client;
    const QSignalSpy &batches = trader.batches;
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Live, LiveTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!eventsOf<protocol::Trade>(batches).isEmpty(), 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(resyncedBooks(batches) >= 2, 10'000); // the first snapshots
    // (A gateway this tight may drop messages on its own on a busy machine: fine, the same
    // checks hold for those.)
    const int before = resyncedBooks(batches);
    const auto pid = pid_t(service.gateway(0).processId());
    for (int stall = 0; stall < 5 && resyncedBooks(batches) == before; ++stall) {
        QCOMPARE(::kill(pid, SIGSTOP), 0);
        QTest::qWait(800); // well within the client's heartbeat bound and the engine's silence
        QCOMPARE(::kill(pid, SIGCONT), 0);
        QTest::qWait(2'000);
    }
    QVERIFY2(resyncedBooks(batches) > before, "the stalled gateway never dropped a message");
    // The client never saw a gap, a bad book or a reconnect.
    const client::FeedStats stats = client.stats();
    QCOMPARE(stats.gaps, 0);
    QCOMPARE(stats.checksumFailures, 0);
    QCOMPARE(stats.crossedBooks, 0);
    QCOMPARE(testing::entriesInto(trader.states, State::Live), 1);
    // Trades and orders go on.
    const auto order = placeResting(client);
    QVERIFY2(order.ok(), qPrintable(order.error));
    QTRY_COMPARE_WITH_TIMEOUT(newEventsOf(batches, order.clientOrderId), 1, 10'000);
    const qsizetype trades = eventsOf<protocol::Trade>(batches).size();
    QTRY_VERIFY_WITH_TIMEOUT(eventsOf<protocol::Trade>(batches).size() > trades + 5, 10'000);
    QCOMPARE(client.stats().gaps, 0);
}

void tst_Cluster::orderStreamStaysWholeWhileTheAccountStreamHasNoQuorum()
{
    // Two of the three NATS nodes die: core NATS goes on (orders are placed and acknowledged)
    // but the account stream has no quorum. The engine's outbox retries the first event
    // unstored (core subscribers get each try) and holds the next. A second client of the
    // account subscribes on the same gateway meanwhile: the engine answers it with a snapshot
    // that already holds both. When the nodes are back the held event comes through the
    // stream, and the first client, which the gateway has given less, must still get it.
    Service service;
    QString error;
    QVERIFY2(service.start(&error), qPrintable(error));
    Trader first({service.gateway(0).url()});
    QTRY_COMPARE_WITH_TIMEOUT(eventsOf<protocol::OrdersSnapshot>(first.batches).size(), 1,
                              LiveTimeoutMs);
    QStringList placed;
    const auto before = placeResting(first.client);
    QVERIFY2(before.ok(), qPrintable(before.error));
    placed.append(before.clientOrderId);
    QTRY_COMPARE_WITH_TIMEOUT(newEventsOf(first.batches, before.clientOrderId), 1, 10'000);

    service.nats().kill(1);
    service.nats().kill(2);
    for (int i = 0; i < 2; ++i) {
        const auto order = placeResting(first.client);
        QVERIFY2(order.ok(), qPrintable(order.error));
        placed.append(order.clientOrderId);
        QTRY_COMPARE_WITH_TIMEOUT(first.acknowledged.size(), i + 2, 15'000);
    }
    Trader second({service.gateway(0).url()});
    QTRY_COMPARE_WITH_TIMEOUT(eventsOf<protocol::OrdersSnapshot>(second.batches).size(), 1,
                              LiveTimeoutMs);
    QCOMPARE(eventsOf<protocol::OrdersSnapshot>(second.batches).constFirst().orders.size(), 3);
    QCOMPARE(newEventsOf(first.batches, placed.at(2)), 0); // held by the engine's outbox

    QVERIFY2(service.nats().restart(1), qPrintable(service.nats().errorString()));
    QVERIFY2(service.nats().restart(2), qPrintable(service.nats().errorString()));
    for (const QString &id : std::as_const(placed))
        QTRY_COMPARE_WITH_TIMEOUT(newEventsOf(first.batches, id), 1, 30'000);
    const auto after = placeResting(first.client);
    QVERIFY2(after.ok(), qPrintable(after.error));
    QTRY_COMPARE_WITH_TIMEOUT(newEventsOf(first.batches, after.clientOrderId), 1, 10'000);
    QTRY_COMPARE_WITH_TIMEOUT(newEventsOf(second.batches, after.clientOrderId), 1, 10'000);
    // Neither client saw a gap or fell back to a second snapshot.
    for (const Trader *trader : {&first, &second}) {
        QCOMPARE(eventsOf<protocol::OrdersSnapshot>(trader->batches).size(), 1);
        QCOMPARE(trader->client.stats().gaps, 0);
        const QList<std::int64_t> seqs = accountSeqs(trader->batches);
        QVERIFY2(contiguity(seqs).isEmpty(), qPrintable(contiguity(seqs)));
    }
    QCOMPARE(newEventsOf(second.batches, placed.at(2)), 0); // in its snapshot, not repeated
}

void tst_Cluster::nonsenseOnTheBackplaneIsRefusedOrIgnored()
{
    Service service;
    QString error;
    QVERIFY2(service.start(&error), qPrintable(error));
    Trader trader({service.gateway(0).url()}, {u"ticker:BTC-USD"_s});
    QTRY_VERIFY_WITH_TIMEOUT(eventsOf<protocol::Ticker>(trader.batches).size() >= 2, LiveTimeoutMs);
    QSignalSpy statuses(&trader.client, &FeedClient::sourceStatusReceived);

    backplane::NatsClient nats;
    backplane::NatsOptions natsOptions;
    natsOptions.urls = service.nats().clientUrls();
    QVERIFY(!nats.open(natsOptions).isError());
    // The engine's answer: its refusal (Tw-Error), or what went wrong on the way.
    auto refusal = [&nats](const QString &subject, const QByteArray &payload,
                           const backplane::NatsHeaders &headers = {}) -> QString {
        std::unique_ptr<backplane::NatsReply> reply(nats.request(subject, payload, 5'000, headers));
        QSignalSpy finished(reply.get(), &backplane::NatsReply::finished);
        if (!finished.wait(6'000) || reply->error().isError())
            return u"no answer: "_s + reply->error().text;
        return u"refused: "_s + QString::fromUtf8(reply->message().header("Tw-Error"));
    };
    // The engine answers requests it cannot serve with a reason, and does nothing else.
    QCOMPARE(refusal(u"tw.engine.snapshot"_s, "not json"_ba),
             u"refused: a snapshot request is one subscribe to one stream"_s);
    QCOMPARE(refusal(u"tw.engine.snapshot"_s,
                     R"({"type":"subscribe","id":1,"channel":"ticker","symbols":["NOPE-USD"]})"_ba),
             u"refused: unknown stream"_s);
    const QString unreadable =
        u"refused: an order request needs an account and a readable request"_s;
    QCOMPARE(refusal(u"tw.engine.orders"_s, R"({"type":"cancel_all","id":1})"_ba), unreadable);
    QCOMPARE(refusal(u"tw.engine.orders"_s, "{"_ba, {{"Tw-Account", "demo"}}), unreadable);

    // A gateway ignores what it cannot read: a heartbeat that is not one, a market event
    // without its seq. Its client goes on, in order, and never hears the market is down.
    QVERIFY(!nats.publish(u"tw.engine.heartbeat"_s, "garbage"_ba).isError());
    QVERIFY(!nats.publish(u"tw.md.ticker.BTC-USD"_s, R"({"type":"ticker"})"_ba).isError());
    const qsizetype before = eventsOf<protocol::Ticker>(trader.batches).size();
    QTRY_VERIFY_WITH_TIMEOUT(eventsOf<protocol::Ticker>(trader.batches).size() >= before + 10,
                             10'000);
    const auto tickers = eventsOf<protocol::Ticker>(trader.batches);
    for (qsizetype i = 1; i < tickers.size(); ++i)
        QCOMPARE(tickers[i].seq, tickers[i - 1].seq + 1);
    for (const auto &args : std::as_const(statuses))
        QVERIFY(args.at(0).value<protocol::SourceStatus>().state != protocol::SourceState::Down);
    QCOMPARE(trader.client.state(), State::Live);
}

QTEST_GUILESS_MAIN(tst_Cluster)
#include "tst_cluster.moc"
