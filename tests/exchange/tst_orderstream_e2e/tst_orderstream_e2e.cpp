// The account order stream end to end, from outside: the real tickwire-feed process on
// loopback, a plain QWebSocket speaking tickwire/1 as any client would (docs/protocol.md), and
// the server killed with SIGKILL and restarted on the same state file.
#include "protocol/codec.h"
#include "feedprocess.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>

#include <functional>
#include <memory>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::protocol;

namespace {

constexpr int TimeoutMs = 15'000;

// The real server at a modest trade rate. kill() is SIGKILL: no clean shutdown.
class FeedProcess : public testing::FeedProcess
{
public:
    FeedProcess() : testing::FeedProcess(QStringLiteral(TICKWIRE_FEED_EXE)) { }
    bool start(const QStringList &arguments)
    {
        return testing::FeedProcess::start(
            QStringList{u"--seed"_s, u"5"_s, u"--rate"_s, u"20"_s} + arguments);
    }
};


// A minimal tickwire/1 client: every decoded message in arrival order.
class WireClient
{
public:
    bool open(const QUrl &url)
    {
        QObject::connect(&m_socket, &QWebSocket::textMessageReceived, &m_socket,
                         [this](const QString &text) {
                             const DecodeResult r = decode(text.toUtf8(), Encoding::Json);
                             if (r.ok())
                                 m_received.append(*r.message);
                             else
                                 qWarning("undecodable: %s", qPrintable(r.error.message));
                         });
        m_socket.open(url);
        return waitFor([](const Message &m) { return std::holds_alternative<Welcome>(m); });
    }
    void send(const Message &message)
    {
        m_socket.sendTextMessage(QString::fromUtf8(encode(message, Encoding::Json)));
    }
    // Waits for a message (received after `from`) that matches; returns its index or -1.
    qsizetype find(const std::function<bool(const Message &)> &match, qsizetype from = 0) const
    {
        for (qsizetype i = from; i < m_received.size(); ++i) {
            if (match(m_received.at(i)))
                return i;
        }
        return -1;
    }
    bool waitFor(const std::function<bool(const Message &)> &match, qsizetype from = 0)
    {
        QElapsedTimer timer;
        timer.start();
        while (find(match, from) < 0) {
            if (timer.elapsed() > TimeoutMs)
                return false;
            QTest::qWait(10);
        }
        return true;
    }
    std::optional<Ack> request(const Message &message)
    {
        const std::int64_t id = *requestId(message);
        const qsizetype from = m_received.size();
        send(message);
        auto replied = [id](const Message &m) { return requestId(m) == id
                                                && (std::holds_alternative<Ack>(m)
                                                    || std::holds_alternative<Error>(m)); };
        if (!waitFor(replied, from))
            return std::nullopt;
        const Message &reply = m_received.at(find(replied, from));
        if (const auto *error = std::get_if<Error>(&reply)) {
            qWarning("request %lld refused: %s %s", qint64(id), qPrintable(error->code),
                     qPrintable(error->message));
            m_lastError = *error;
            return std::nullopt;
        }
        return std::get<Ack>(reply);
    }
    // Account stream events (order / position) in arrival order, and snapshots.
    QList<std::pair<std::int64_t, std::int64_t>> streamEvents() const
    {
        QList<std::pair<std::int64_t, std::int64_t>> out; // (epoch, seq)
        for (const Message &m : m_received) {
            if (const auto *o = std::get_if<Order>(&m))
                out.append({o->epoch, o->seq});
            else if (const auto *p = std::get_if<Position>(&m))
                out.append({p->epoch, p->seq});
        }
        return out;
    }
    const QList<Message> &received() const { return m_received; }
    const Error &lastError() const { return m_lastError; }
    void close()
    {
        m_socket.close();
        QTest::qWait(50);
    }

private:
    QWebSocket m_socket;
    QList<Message> m_received;
    Error m_lastError;
};

std::int64_t g_id = 1;

Subscribe ordersSubscription(std::optional<ResumePoint> resume = {})
{
    Subscribe s;
    s.id = g_id++;
    s.channel = Channel::Orders;
    s.resume = resume;
    return s;
}

PlaceOrder restingBuy(const QString &clientOrderId)
{
    // Far below any BTC price: the order rests and produces exactly one `new` event.
    return PlaceOrder{g_id++, clientOrderId, u"BTC-USD"_s, Side::Buy, OrderType::Limit,
                      *Decimal::parse(QByteArrayView("0.0010")),
                      *Decimal::parse(QByteArrayView("1000.00"))};
}

PlaceOrder marketBuy(const QString &clientOrderId)
{
    return PlaceOrder{g_id++, clientOrderId, u"ETH-USD"_s, Side::Buy, OrderType::Market,
                      *Decimal::parse(QByteArrayView("0.010")), {}};
}

} // namespace

class tst_OrderStreamE2E : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void ordersNeedAToken();
    void resumeAfterClientReconnect();
    void killAndRestartLosesNothing_data();
    void killAndRestartLosesNothing();
    void ephemeralRestartGivesSnapshot();
    void accountsAreIsolated();

private:
    QTemporaryDir m_dir;
};

void tst_OrderStreamE2E::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void tst_OrderStreamE2E::ordersNeedAToken()
{
    FeedProcess feed;
    QVERIFY(feed.start({u"--ephemeral"_s, u"--demo-token"_s, u"good"_s}));
    WireClient anonymous;
    QVERIFY(anonymous.open(feed.url(u"bad"_s)));
    QVERIFY(!anonymous.request(restingBuy(u"x-1"_s)));
    QCOMPARE(anonymous.lastError().code, u"unauthorized"_s);
    QVERIFY(!anonymous.request(ordersSubscription()));
    QCOMPARE(anonymous.lastError().code, u"unauthorized"_s);
}

void tst_OrderStreamE2E::resumeAfterClientReconnect()
{
    FeedProcess feed;
    QVERIFY(feed.start({u"--ephemeral"_s, u"--demo-token"_s, u"T"_s}));
    WireClient first;
    QVERIFY(first.open(feed.url(u"T"_s)));
    const auto ack = first.request(ordersSubscription());
    QVERIFY(ack);
    QCOMPARE(ack->recovered, std::optional<bool>(false));
    const qsizetype snapshotAt = first.find([](const Message &m) {
        return std::holds_alternative<OrdersSnapshot>(m);
    });
    QVERIFY(snapshotAt >= 0);
    const auto snapshot = std::get<OrdersSnapshot>(first.received().at(snapshotAt));
    QVERIFY(first.request(restingBuy(u"a-1"_s)));
    QVERIFY(first.request(marketBuy(u"a-2"_s)));
    QVERIFY(first.waitFor([](const Message &m) {
        return std::holds_alternative<Position>(m);
    }));
    QTest::qWait(100);
    const auto seen = first.streamEvents();
    QVERIFY(!seen.isEmpty());
    first.close();

    // While the first client is away, another session of the account trades.
    WireClient other;
    QVERIFY(other.open(feed.url(u"T"_s)));
    QVERIFY(other.request(restingBuy(u"b-1"_s)));
    QVERIFY(other.request(restingBuy(u"b-2"_s)));
    QVERIFY(other.request(marketBuy(u"b-3"_s)));

    WireClient again;
    QVERIFY(again.open(feed.url(u"T"_s)));
    const auto resumed = again.request(ordersSubscription(ResumePoint{snapshot.epoch, seen.last().second}));
    QVERIFY(resumed);
    QCOMPARE(resumed->recovered, std::optional<bool>(true));
    const auto replayed = again.streamEvents();
    QVERIFY(replayed.size() >= 3);
    for (qsizetype i = 0; i < replayed.size(); ++i)
        QCOMPARE(replayed[i].second, seen.last().second + 1 + i); // once each, in order
    QVERIFY(std::none_of(again.received().cbegin(), again.received().cend(), [](const Message &m) {
        return std::holds_alternative<OrdersSnapshot>(m);
    }));
}

void tst_OrderStreamE2E::killAndRestartLosesNothing_data()
{
    QTest::addColumn<int>("round");
    // TICKWIRE_KILL_ROUNDS=20 runs the acceptance loop; CI runs three.
    const int rounds = qEnvironmentVariableIntValue("TICKWIRE_KILL_ROUNDS") > 0
        ? qEnvironmentVariableIntValue("TICKWIRE_KILL_ROUNDS")
        : 3;
    for (int i = 0; i < rounds; ++i)
        QTest::addRow("round %d", i) << i;
}

void tst_OrderStreamE2E::killAndRestartLosesNothing()
{
    QFETCH(int, round);
    const QString state = m_dir.filePath(u"kill-%1.sqlite"_s.arg(round));
    const QStringList args{u"--state"_s, state, u"--demo-token"_s, u"T"_s};

    FeedProcess feed;
    QVERIFY(feed.start(args));
    WireClient client;
    QVERIFY(client.open(feed.url(u"T"_s)));
    QVERIFY(client.request(ordersSubscription()));
    // The snapshot comes before the ack (docs/protocol.md), so it is here already.
    const qsizetype snapshotAt = client.find(
        [](const Message &m) { return std::holds_alternative<OrdersSnapshot>(m); });
    QVERIFY(snapshotAt >= 0);
    const auto snapshot = std::get<OrdersSnapshot>(client.received().at(snapshotAt));
    QVERIFY(client.request(restingBuy(u"k-1"_s)));
    QVERIFY(client.request(marketBuy(u"k-2"_s)));
    QVERIFY(client.waitFor([](const Message &m) { return std::holds_alternative<Position>(m); }));
    QTest::qWait(50);
    const auto seenBefore = client.streamEvents();
    QVERIFY(!seenBefore.isEmpty());
    client.close();

    // Acknowledged while the client is away, then the server dies without warning.
    WireClient writer;
    QVERIFY(writer.open(feed.url(u"T"_s)));
    QList<QString> ackedIds;
    for (int i = 0; i < 5; ++i) {
        const auto ack = writer.request(restingBuy(u"k-away-%1"_s.arg(i)));
        QVERIFY(ack);
        QVERIFY(ack->orderId);
        ackedIds.append(*ack->orderId);
    }
    feed.kill();

    FeedProcess restarted;
    QVERIFY(restarted.start(args));
    WireClient resumed;
    QVERIFY(resumed.open(restarted.url(u"T"_s)));
    const auto ack = resumed.request(
        ordersSubscription(ResumePoint{snapshot.epoch, seenBefore.last().second}));
    QVERIFY(ack);
    QCOMPARE(ack->recovered, std::optional<bool>(true));
    const auto replayed = resumed.streamEvents();
    QCOMPARE(replayed.size(), qsizetype(ackedIds.size())); // five `new` events, no more
    for (qsizetype i = 0; i < replayed.size(); ++i) {
        QCOMPARE(replayed[i].first, snapshot.epoch);
        QCOMPARE(replayed[i].second, seenBefore.last().second + 1 + i);
    }
    QList<QString> replayedIds;
    for (const Message &m : resumed.received()) {
        if (const auto *o = std::get_if<Order>(&m))
            replayedIds.append(o->orderId);
    }
    QCOMPARE(replayedIds, ackedIds);

    // Placing an acknowledged order again after the crash is idempotent.
    PlaceOrder again = restingBuy(u"k-away-0"_s);
    const auto idempotent = resumed.request(again);
    QVERIFY(idempotent);
    QCOMPARE(idempotent->orderId, std::optional(ackedIds.first()));
}

void tst_OrderStreamE2E::ephemeralRestartGivesSnapshot()
{
    std::int64_t epoch = 0;
    std::int64_t lastSeq = 0;
    {
        FeedProcess feed;
        QVERIFY(feed.start({u"--ephemeral"_s, u"--demo-token"_s, u"T"_s}));
        WireClient client;
        QVERIFY(client.open(feed.url(u"T"_s)));
        QVERIFY(client.request(ordersSubscription()));
        QVERIFY(client.request(restingBuy(u"e-1"_s)));
        QVERIFY(client.waitFor([](const Message &m) { return std::holds_alternative<Order>(m); }));
        epoch = client.streamEvents().last().first;
        lastSeq = client.streamEvents().last().second;
        feed.kill();
    }
    QTest::qWait(5); // epochs are milliseconds
    FeedProcess feed;
    QVERIFY(feed.start({u"--ephemeral"_s, u"--demo-token"_s, u"T"_s}));
    WireClient client;
    QVERIFY(client.open(feed.url(u"T"_s)));
    const auto ack = client.request(ordersSubscription(ResumePoint{epoch, lastSeq}));
    QVERIFY(ack);
    QCOMPARE(ack->recovered, std::optional<bool>(false));
    const qsizetype at = client.find([](const Message &m) {
        return std::holds_alternative<OrdersSnapshot>(m);
    });
    QVERIFY(at >= 0);
    const auto snapshot = std::get<OrdersSnapshot>(client.received().at(at));
    QVERIFY(snapshot.epoch != epoch);
    QVERIFY(snapshot.orders.isEmpty()); // memory only: nothing survived
}

void tst_OrderStreamE2E::accountsAreIsolated()
{
    const QString tokens = m_dir.filePath(u"tokens.txt"_s);
    QFile file(tokens);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("# two accounts\nalice-token alice\nbob-token bob\n");
    file.close();
    FeedProcess feed;
    QVERIFY(feed.start({u"--ephemeral"_s, u"--tokens"_s, tokens}));
    WireClient alice;
    WireClient bob;
    QVERIFY(alice.open(feed.url(u"alice-token"_s)));
    QVERIFY(bob.open(feed.url(u"bob-token"_s)));
    QVERIFY(alice.request(ordersSubscription()));
    QVERIFY(bob.request(ordersSubscription()));
    const auto placed = alice.request(restingBuy(u"same-id"_s));
    QVERIFY(placed);
    QVERIFY(alice.waitFor([](const Message &m) { return std::holds_alternative<Order>(m); }));
    QTest::qWait(300);
    QVERIFY(bob.streamEvents().isEmpty());
    // Bob cannot cancel Alice's order, and his own client_order_id space is separate.
    QVERIFY(placed->orderId);
    QVERIFY(!bob.request(CancelOrder{g_id++, *placed->orderId}));
    QCOMPARE(bob.lastError().code, u"unknown_order"_s);
    const auto bobs = bob.request(restingBuy(u"same-id"_s));
    QVERIFY(bobs);
    QVERIFY(bobs->orderId != placed->orderId);
}

QTEST_GUILESS_MAIN(tst_OrderStreamE2E)
#include "tst_orderstream_e2e.moc"
