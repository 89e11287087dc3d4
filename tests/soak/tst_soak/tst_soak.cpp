// Soak: several FeedClients through the fault proxy to a real tickwire-feed process (its
// exchange state in a temporary file), a driver placing and cancelling orders, and random
// faults: SIGKILL + restart of the server on the same port and state, stalled links, cut
// connections, delayed links.
// In cluster mode (TICKWIRE_SOAK_CLUSTER=1, `scripts/dev soak --cluster`) the service is a
// 3-node NATS cluster, an engine and two gateways (each behind its own fault proxy; every
// client knows both), and the faults are also SIGKILL + restart of a gateway, of a NATS node
// and of the engine. Invariants are checked as events arrive and at the end:
//  - the account stream: every client sees every event exactly once, in seq order, with the
//    same content as every other client, and never has to fall back to a new snapshot;
//    every order the driver got acknowledged reaches every client;
//  - books: every published book is sorted and uncrossed; no checksum failure, no crossed book,
//    no undecodable frame;
//  - liveness: a stalled link is detected within staleHeartbeats x heartbeat (+ slack), no client
//    stays Stale longer than that, and every client is Live again soon after each fault;
//  - memory: client and server RSS stay bounded.
// TICKWIRE_SOAK_SECONDS sets the length (default 60; `scripts/dev soak --minutes N`),
// TICKWIRE_SOAK_SEED the random choices (printed at the start).
// In cluster mode the account stream never falls back to a snapshot either: a client whose
// gateway died resumes on the other one from JetStream, and the engine's restart keeps its
// epoch. While the engine is away the gateways say so (source_status down) and refuse orders;
// every client hears it is back before the next fault.
#include "client/feedclient.h"
#include "faultproxy.h"
#include "feedprocess.h"
#include "natscluster.h"
#include "processmemory.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QRandomGenerator>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <memory>
#include <random>

using namespace Qt::StringLiterals;
using namespace tickwire;
using protocol::BookView;
using protocol::EventBatch;
using client::FeedClient;
using client::FeedOptions;
using testing::FaultProxy;
using State = FeedClient::State;

namespace {

constexpr int HeartbeatMs = 500;
constexpr int StaleHeartbeats = 2;
constexpr qint64 DetectionBoundMs = StaleHeartbeats * HeartbeatMs;
constexpr qint64 DetectionSlackMs = 2'000; // timers on a loaded two-core machine
constexpr qint64 RecoveryBoundMs = 15'000; // connect timeout 3 s + backoff cap 1 s, generously
// A restarted engine: the gateways hear it within their engine silence bound (2 s) and resync
// every stream; a restarted NATS node waits for its cluster first.
constexpr qint64 ClusterRecoveryBoundMs = 30'000;
constexpr int Gateways = 2;
constexpr int Clients = 4;
#if defined(__SANITIZE_ADDRESS__)
// AddressSanitizer keeps up to 256 MiB of freed memory in quarantine, and the server of an ASan
// build is an ASan build too: count that in.
constexpr qint64 ClientRssGrowthBoundKiB = 512 * 1024;
constexpr qint64 ServerRssBoundKiB = 1024 * 1024;
#else
constexpr qint64 ClientRssGrowthBoundKiB = 128 * 1024;
constexpr qint64 ServerRssBoundKiB = 512 * 1024;
#endif
const QString Token = u"soak-token"_s;

bool clusterMode()
{
    return qEnvironmentVariableIntValue("TICKWIRE_SOAK_CLUSTER") != 0;
}

int soakSeconds()
{
    bool ok = false;
    const int seconds = qEnvironmentVariableIntValue("TICKWIRE_SOAK_SECONDS", &ok);
    return ok && seconds > 0 ? seconds : 60;
}

Decimal dec(const char *text)
{
    return *Decimal::parse(QByteArrayView(text));
}

// One checked FeedClient and what it has seen of the account stream and the books.
struct Observer
{
    QString name;
    std::unique_ptr<FeedClient> client;
    std::int64_t epoch = 0;
    std::int64_t lastSeq = -1; // -1: no snapshot yet
    int snapshots = 0;
    qint64 events = 0;
    qint64 books = 0;
    qint64 resyncedBooks = 0;
    QSet<QString> orderIds;
    State state = State::Disconnected;
    qint64 stateSince = 0;
    qint64 lastStaleAt = -1;
};

// The last source_status the client heard says the market is down.
bool hearsDown(const Observer &o)
{
    const auto status = o.client->sourceStatus();
    return status && status->state == protocol::SourceState::Down;
}

} // namespace

class tst_Soak : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void soak();
    void cleanup();

private:
    void violation(const QString &what);
    Observer *addObserver(const QString &name, const FeedOptions &options);
    void onBatch(Observer *o, const EventBatch &batch);
    void checkAccountEvent(Observer *o, std::int64_t epoch, std::int64_t seq,
                           const QString &fingerprint);
    void drive();
    [[nodiscard]] bool allLive() const;
    // In cluster mode: no client hears the market is down.
    [[nodiscard]] bool sourcesUp() const;
    [[nodiscard]] bool startService(QString *error);
    // Starts a killed feed process again on its port (retried while the bind races).
    [[nodiscard]] static bool restart(testing::FeedProcess &feed, const QStringList &arguments,
                                      quint16 port);
    // SIGKILL of one process of the service, and its restart a moment later; false when it
    // does not come back (the soak cannot go on).
    [[nodiscard]] bool killAndRestart(const QString &fault);
    [[nodiscard]] qint64 serverResidentKiB() const;

    QElapsedTimer m_clock;
    QTemporaryDir m_stateDir;
    std::mt19937 m_rng;
    bool m_cluster = false;
    std::unique_ptr<testing::NatsCluster> m_nats;
    std::unique_ptr<testing::FeedProcess> m_feed; // the server; in cluster mode the engine
    QStringList m_feedArguments;
    quint16 m_port = 0;
    std::vector<std::unique_ptr<testing::FeedProcess>> m_gateways;
    QStringList m_gatewayArguments;
    std::vector<quint16> m_gatewayPorts;
    std::vector<std::unique_ptr<FaultProxy>> m_proxies; // one per server or gateway
    std::vector<std::unique_ptr<Observer>> m_observers;
    Observer *m_driver = nullptr;
    QHash<std::int64_t, QString> m_streamContent; // seq -> what the first client saw
    QSet<QString> m_acknowledged; // order ids the driver got an ack or a reconciliation for
    QSet<QString> m_driverOpen; // the driver's open orders, from its own stream
    qint64 m_placed = 0;
    qint64 m_cancels = 0;
    qint64 m_checkedEvents = 0;
    int m_violations = 0;
    QStringList m_violationLog;
};

void tst_Soak::violation(const QString &what)
{
    ++m_violations;
    const QString line = u"[%1 ms] %2"_s.arg(m_clock.elapsed()).arg(what);
    if (m_violationLog.size() < 50)
        m_violationLog.append(line);
    qWarning("violation: %s", qPrintable(line));
}

Observer *tst_Soak::addObserver(const QString &name, const FeedOptions &options)
{
    auto o = std::make_unique<Observer>();
    Observer *raw = o.get();
    raw->name = name;
    raw->client = std::make_unique<FeedClient>();
    FeedClient *c = raw->client.get();
    c->setOptions(options);
    connect(c, &FeedClient::batchReady, this,
            [this, raw](const EventBatch &batch) { onBatch(raw, batch); });
    connect(c, &FeedClient::stateChanged, this, [this, raw](State state) {
        const qint64 now = m_clock.elapsed();
        if (raw->state == State::Stale && now - raw->stateSince > DetectionBoundMs)
            violation(u"%1 stayed Stale for %2 ms"_s.arg(raw->name).arg(now - raw->stateSince));
        if (state == State::Stale)
            raw->lastStaleAt = now;
        if (state == State::AuthFailed || state == State::Closed)
            violation(u"%1 went %2"_s.arg(raw->name, FeedClient::toString(state)));
        raw->state = state;
        raw->stateSince = now;
    });
    c->subscribe(u"orders"_s);
    c->subscribe(u"book:BTC-USD"_s);
    c->subscribe(u"book:ETH-USD"_s);
    c->subscribe(u"ticker:BTC-USD"_s);
    c->subscribe(u"trades:ETH-USD"_s);
    m_observers.push_back(std::move(o));
    return raw;
}

void tst_Soak::checkAccountEvent(Observer *o, std::int64_t epoch, std::int64_t seq,
                                 const QString &fingerprint)
{
    ++o->events;
    ++m_checkedEvents;
    if (o->lastSeq < 0) {
        violation(u"%1: account event seq %2 before any snapshot"_s.arg(o->name).arg(seq));
    } else if (epoch != o->epoch) {
        violation(u"%1: epoch changed %2 -> %3"_s.arg(o->name).arg(o->epoch).arg(epoch));
    } else if (seq != o->lastSeq + 1) {
        violation(u"%1: account seq %2 after %3 (lost, repeated or reordered)"_s.arg(o->name)
                      .arg(seq)
                      .arg(o->lastSeq));
    }
    o->epoch = epoch;
    o->lastSeq = std::max(o->lastSeq, seq);
    const auto known = m_streamContent.constFind(seq);
    if (known == m_streamContent.cend())
        m_streamContent.insert(seq, fingerprint);
    else if (*known != fingerprint)
        violation(u"%1: seq %2 is \"%3\" here, \"%4\" elsewhere"_s.arg(o->name).arg(seq).arg(
            fingerprint, *known));
}

void tst_Soak::onBatch(Observer *o, const EventBatch &batch)
{
    for (const protocol::Message &m : batch.events) {
        if (const auto *snap = std::get_if<protocol::OrdersSnapshot>(&m)) {
            if (++o->snapshots > 1)
                violation(
                    u"%1: account stream fell back to a snapshot (seq %2 -> %3)"_s.arg(o->name)
                        .arg(o->lastSeq)
                        .arg(snap->seq));
            o->epoch = snap->epoch;
            o->lastSeq = snap->seq;
            for (const protocol::Order &order : snap->orders)
                o->orderIds.insert(order.orderId);
        } else if (const auto *order = std::get_if<protocol::Order>(&m)) {
            o->orderIds.insert(order->orderId);
            checkAccountEvent(o, order->epoch, order->seq,
                              order->orderId + u'|' + protocol::toString(order->status) + u'|'
                                  + order->filledQty.toString());
            if (o == m_driver) {
                if (protocol::isTerminal(order->status))
                    m_driverOpen.remove(order->orderId);
                else if (order->orderType == protocol::OrderType::Limit)
                    m_driverOpen.insert(order->orderId);
            }
        } else if (const auto *position = std::get_if<protocol::Position>(&m)) {
            checkAccountEvent(o, position->epoch, position->seq,
                              u"position|"_s + position->symbol + u'|' + position->qty.toString());
        }
    }
    for (const BookView &book : batch.books) {
        ++o->books;
        o->resyncedBooks += book.resynced;
        bool sorted = true;
        for (qsizetype i = 1; i < book.bids.size(); ++i)
            sorted = sorted && book.bids[i].price < book.bids[i - 1].price;
        for (qsizetype i = 1; i < book.asks.size(); ++i)
            sorted = sorted && book.asks[i].price > book.asks[i - 1].price;
        const bool crossed = !book.bids.isEmpty() && !book.asks.isEmpty()
                             && book.bids.first().price >= book.asks.first().price;
        if (!sorted || crossed)
            violation(u"%1: published book %2 seq %3 is %4"_s.arg(o->name, book.symbol)
                          .arg(book.seq)
                          .arg(crossed ? u"crossed"_s : u"unsorted"_s));
    }
}

bool tst_Soak::allLive() const
{
    return std::all_of(m_observers.cbegin(), m_observers.cend(),
                       [](const auto &o) { return o->state == State::Live && o->lastSeq >= 0; });
}

// The driver trades on BTC-USD: resting limit orders far from the market (then cancelled)
// and small market orders both ways (fills and position events).
void tst_Soak::drive()
{
    FeedClient &c = *m_driver->client;
    if (c.state() != State::Live || m_driver->lastSeq < 0)
        return;
    const int dice = int(m_rng() % 10);
    if (dice < 5 && m_driverOpen.size() < 100) {
        const bool buy = m_rng() % 2;
        if (c.placeOrder(u"BTC-USD"_s, buy ? protocol::Side::Buy : protocol::Side::Sell,
                         protocol::OrderType::Limit, dec("0.0010"),
                         dec(buy ? "1000.00" : "900000.00"))
                .ok())
            ++m_placed;
    } else if (dice < 8 && !m_driverOpen.isEmpty()) {
        const QList<QString> open = m_driverOpen.values();
        if (c.cancelOrder(open.at(qsizetype(m_rng() % open.size()))).isEmpty())
            ++m_cancels;
    } else if (dice < 10) {
        if (c.placeOrder(u"BTC-USD"_s, dice == 8 ? protocol::Side::Buy : protocol::Side::Sell,
                         protocol::OrderType::Market, dec("0.0010"))
                .ok())
            ++m_placed;
    }
}

bool tst_Soak::sourcesUp() const
{
    return std::none_of(m_observers.cbegin(), m_observers.cend(),
                        [](const auto &o) { return hearsDown(*o); });
}

bool tst_Soak::restart(testing::FeedProcess &feed, const QStringList &arguments, quint16 port)
{
    // The port was just freed by a SIGKILL: retry a few times if the bind races.
    for (int attempt = 0; attempt < 20; ++attempt) {
        if (feed.start(arguments, port))
            return true;
        QTest::qWait(250);
    }
    return false;
}

bool tst_Soak::startService(QString *error)
{
    const QString state = m_stateDir.filePath(u"exchange.sqlite"_s);
    const QStringList market = {u"--seed"_s, u"11"_s, u"--rate"_s, u"10"_s, u"--state"_s, state};
    const QStringList clientFacing = {u"--demo-token"_s, Token, u"--heartbeat-ms"_s,
                                      QString::number(HeartbeatMs)};
    m_feed = std::make_unique<testing::FeedProcess>(QStringLiteral(TICKWIRE_FEED_EXE));
    if (!m_cluster) {
        m_feedArguments = market + clientFacing;
        if (!m_feed->start(m_feedArguments, 0)) {
            *error = u"server: "_s + m_feed->banner();
            return false;
        }
        m_port = m_feed->port();
        m_proxies.push_back(std::make_unique<FaultProxy>(m_port));
        return m_proxies.back()->listen();
    }
    if (testing::NatsCluster::serverProgram().isEmpty()) {
        *error = u"nats-server is not installed (scripts/dev installs it)"_s;
        return false;
    }
    m_nats = std::make_unique<testing::NatsCluster>(3);
    if (!m_nats->start()) {
        *error = m_nats->errorString();
        return false;
    }
    const QStringList nats = {u"--nats"_s, m_nats->clientUrls().join(u',')};
    m_feedArguments = QStringList{u"--role"_s, u"engine"_s} + nats + market + clientFacing;
    if (!m_feed->start(m_feedArguments, 0)) {
        *error = u"engine: "_s + m_feed->banner();
        return false;
    }
    m_port = m_feed->port();
    m_gatewayArguments = QStringList{u"--role"_s, u"gateway"_s} + nats + clientFacing;
    for (int i = 0; i < Gateways; ++i) {
        auto gateway = std::make_unique<testing::FeedProcess>(QStringLiteral(TICKWIRE_FEED_EXE));
        if (!gateway->start(m_gatewayArguments, 0)) {
            *error = u"gateway: "_s + gateway->banner();
            return false;
        }
        m_gatewayPorts.push_back(gateway->port());
        m_proxies.push_back(std::make_unique<FaultProxy>(gateway->port()));
        if (!m_proxies.back()->listen()) {
            *error = u"fault proxy"_s;
            return false;
        }
        m_gateways.push_back(std::move(gateway));
    }
    return true;
}

bool tst_Soak::killAndRestart(const QString &fault)
{
    const auto pause = [this] { QTest::qWait(int(200 + m_rng() % 1'300)); };
    if (fault == "kill-nats"_L1) {
        const int node = int(m_rng() % quint32(m_nats->size()));
        m_nats->kill(node);
        pause();
        if (m_nats->restart(node))
            return true;
        violation(u"NATS node %1 did not restart: %2"_s.arg(node).arg(m_nats->errorString()));
        return false;
    }
    testing::FeedProcess *feed = m_feed.get();
    QStringList arguments = m_feedArguments;
    quint16 port = m_port;
    if (fault == "kill-gateway"_L1) {
        const auto i = std::size_t(m_rng() % m_gateways.size());
        feed = m_gateways[i].get();
        arguments = m_gatewayArguments;
        port = m_gatewayPorts[i];
    }
    feed->kill();
    pause();
    if (restart(*feed, arguments, port))
        return true;
    violation(u"%1: no restart on port %2: %3"_s.arg(fault).arg(port).arg(feed->banner()));
    return false;
}

qint64 tst_Soak::serverResidentKiB() const
{
    qint64 kib = testing::residentKiB(m_feed->processId());
    for (const auto &gateway : m_gateways)
        kib = std::max(kib, testing::residentKiB(gateway->processId()));
    return kib;
}

void tst_Soak::soak()
{
    const int seconds = soakSeconds();
    const quint32 seed = qEnvironmentVariableIsSet("TICKWIRE_SOAK_SEED")
                             ? quint32(qEnvironmentVariableIntValue("TICKWIRE_SOAK_SEED"))
                             : QRandomGenerator::global()->generate();
    m_rng.seed(seed);
    qInfo("soak: %d s, seed %u (TICKWIRE_SOAK_SEED=%u repeats the random choices)", seconds, seed,
          seed);
    m_clock.start();
    QVERIFY(m_stateDir.isValid());
    m_cluster = clusterMode();
    if (m_cluster)
        qInfo("soak: cluster mode (3 NATS nodes, an engine, %d gateways)", Gateways);
    QString error;
    QVERIFY2(startService(&error), qPrintable(error));

    auto options = [this](int clientSeed) {
        FeedOptions o;
        QList<QUrl> servers;
        for (const auto &proxy : m_proxies)
            servers.append(proxy->url());
        o.setServers(servers);
        o.token = Token;
        o.seed = std::uint64_t(clientSeed);
        o.reconnect.baseMs = 100;
        o.reconnect.capMs = 1'000;
        o.reconnect.connectTimeoutMs = 3'000;
        o.pingIntervalMs = 1'000;
        o.staleHeartbeats = StaleHeartbeats;
        return o;
    };
    for (int i = 0; i < Clients; ++i) {
        FeedOptions o = options(i + 1);
        if (i == Clients - 1)
            o.encoding = protocol::Encoding::Cbor;
        addObserver(u"client-%1"_s.arg(i + 1), o);
    }
    // The driver talks to the server (or the gateways) directly: orders keep flowing while
    // the proxies are stalled.
    FeedOptions direct = options(99);
    if (m_cluster) {
        QList<QUrl> servers;
        for (const auto &gateway : m_gateways)
            servers.append(gateway->url());
        direct.setServers(servers);
    } else {
        direct.setServers({m_feed->url()});
    }
    m_driver = addObserver(u"driver"_s, direct);
    connect(m_driver->client.get(), &FeedClient::orderAcknowledged, this,
            [this](const QString &, const QString &orderId) { m_acknowledged.insert(orderId); });
    connect(m_driver->client.get(), &FeedClient::orderReconciled, this,
            [this](const QString &, const QString &orderId) { m_acknowledged.insert(orderId); });
    for (auto &o : m_observers)
        o->client->open();
    QTRY_VERIFY_WITH_TIMEOUT(allLive(), 20'000);

    QTimer driver;
    connect(&driver, &QTimer::timeout, this, &tst_Soak::drive);
    driver.start(100);

    const qint64 rssWarm = testing::residentKiB(0);
    qint64 rssClientMax = rssWarm;
    qint64 rssServerMax = 0;
    auto sampleMemory = [&] {
        rssClientMax = std::max(rssClientMax, testing::residentKiB(0));
        rssServerMax = std::max(rssServerMax, serverResidentKiB());
    };
    // The single process's four as ever (a seed repeats its soak); the cluster's own after.
    const QStringList kinds = m_cluster
                                  ? QStringList{u"kill-gateway"_s, u"stall"_s,     u"cut"_s,
                                                u"delay"_s,        u"kill-nats"_s, u"kill-engine"_s}
                                  : QStringList{u"kill"_s, u"stall"_s, u"cut"_s, u"delay"_s};
    QHash<QString, int> faults;
    qint64 maxRecoveryMs = 0;
    qint64 maxDetectionMs = 0;
    const qint64 endAt = m_clock.elapsed() + qint64(seconds) * 1000;
    while (m_clock.elapsed() < endAt) {
        QTest::qWait(int(1'000 + m_rng() % 3'000)); // calm: orders flow, books tick
        sampleMemory();
        const QString fault = kinds.at(qsizetype(m_rng() % quint32(kinds.size())));
        qInfo("[%lld ms] fault: %s", m_clock.elapsed(), qPrintable(fault));
        if (fault.startsWith(u"kill")) {
            if (!killAndRestart(fault))
                QFAIL("cannot go on without the service");
        } else if (fault == "stall"_L1) {
            const qint64 at = m_clock.elapsed();
            QList<Observer *> live;
            for (auto &o : m_observers) {
                if (o.get() != m_driver && o->state == State::Live)
                    live.append(o.get());
            }
            for (auto &proxy : m_proxies)
                proxy->setMode(FaultProxy::Mode::Stall);
            QTest::qWait(int(DetectionBoundMs + DetectionSlackMs + m_rng() % 1'500));
            for (Observer *o : std::as_const(live)) {
                const qint64 detected = o->lastStaleAt - at;
                if (o->lastStaleAt < at || detected > DetectionBoundMs + DetectionSlackMs)
                    violation(u"%1: stalled link not detected within %2 ms"_s.arg(o->name).arg(
                        DetectionBoundMs + DetectionSlackMs));
                else
                    maxDetectionMs = std::max(maxDetectionMs, detected);
            }
            for (auto &proxy : m_proxies)
                proxy->setMode(FaultProxy::Mode::Forward);
        } else if (fault == "cut"_L1) {
            for (auto &proxy : m_proxies)
                proxy->cutAll();
        } else {
            const int delay = int(20 + m_rng() % 80);
            const int jitter = int(m_rng() % 100);
            for (auto &proxy : m_proxies) {
                proxy->setDelay(delay, jitter);
                proxy->setMode(FaultProxy::Mode::Delay);
            }
            QTest::qWait(int(1'000 + m_rng() % 2'000));
            for (auto &proxy : m_proxies)
                proxy->setMode(FaultProxy::Mode::Forward);
        }
        ++faults[fault];
        const qint64 cleared = m_clock.elapsed();
        const qint64 bound = m_cluster ? ClusterRecoveryBoundMs : RecoveryBoundMs;
        if (!QTest::qWaitFor([this] { return allLive() && sourcesUp(); }, int(bound))) {
            for (auto &o : m_observers) {
                if (o->state != State::Live)
                    violation(u"%1 not Live %2 ms after a %3 ended (state %4)"_s.arg(o->name)
                                  .arg(bound)
                                  .arg(fault, FeedClient::toString(o->state)));
                else if (hearsDown(*o))
                    violation(
                        u"%1 still hears the market is down %2 ms after a %3 ended"_s.arg(o->name)
                            .arg(bound)
                            .arg(fault));
            }
        }
        maxRecoveryMs = std::max(maxRecoveryMs, m_clock.elapsed() - cleared);
    }

    // Quiet end: the driver stops, every client must converge on the same last event.
    driver.stop();
    for (auto &proxy : m_proxies)
        proxy->setMode(FaultProxy::Mode::Forward);
    QTest::qWait(1'000);
    const auto lastSeqs = [this] {
        std::int64_t high = -1;
        for (const auto &o : m_observers)
            high = std::max(high, o->lastSeq);
        return high;
    };
    // Every acknowledged order reaches every client, in time: an engine may still be retrying
    // appends to an account stream that is electing its leader after the last fault.
    const auto sawEveryOrder = [this](const auto &o) {
        return std::all_of(m_acknowledged.cbegin(), m_acknowledged.cend(),
                           [&](const QString &id) { return o->orderIds.contains(id); });
    };
    const bool converged = QTest::qWaitFor(
        [&] {
            return allLive()
                   && std::all_of(m_observers.cbegin(), m_observers.cend(), [&](const auto &o) {
                          return o->lastSeq == lastSeqs() && sawEveryOrder(o);
                      });
        },
        int(m_cluster ? ClusterRecoveryBoundMs : 20'000));
    if (!converged) {
        for (const auto &o : m_observers)
            violation(u"%1 ended at seq %2 of %3, state %4"_s.arg(o->name)
                          .arg(o->lastSeq)
                          .arg(lastSeqs())
                          .arg(FeedClient::toString(o->state)));
    }
    int reconnects = 0;
    qint64 books = 0;
    qint64 resynced = 0;
    for (const auto &o : m_observers) {
        const client::FeedStats stats = o->client->stats();
        reconnects += stats.reconnects;
        books += o->books;
        resynced += o->resyncedBooks;
        if (stats.checksumFailures || stats.crossedBooks || stats.badFrames)
            violation(u"%1: %2 checksum failures, %3 crossed books, %4 bad frames"_s.arg(o->name)
                          .arg(stats.checksumFailures)
                          .arg(stats.crossedBooks)
                          .arg(stats.badFrames));
        if (o->books == 0)
            violation(u"%1 never got a book"_s.arg(o->name));
        int missing = 0;
        for (const QString &id : std::as_const(m_acknowledged))
            missing += !o->orderIds.contains(id);
        if (missing)
            violation(u"%1 never saw %2 acknowledged orders"_s.arg(o->name).arg(missing));
    }
    sampleMemory();
    const qint64 rssEnd = testing::residentKiB(0);
    if (rssClientMax - rssWarm > ClientRssGrowthBoundKiB)
        violation(u"client RSS grew from %1 to %2 KiB"_s.arg(rssWarm).arg(rssClientMax));
    if (rssServerMax > ServerRssBoundKiB)
        violation(u"server RSS reached %1 KiB"_s.arg(rssServerMax));

    int faultCount = 0;
    QStringList faultList;
    for (const QString &kind : kinds) {
        faultCount += faults.value(kind);
        faultList.append(u"%1 %2"_s.arg(kind).arg(faults.value(kind)));
    }
    qInfo("soak summary: %d s%s, %d clients + driver, faults %d (%s), reconnects %d, orders "
          "placed %lld (acknowledged %lld), cancels %lld, account events checked %lld (last seq "
          "%lld), books %lld (resynced %lld), max stale detection %lld ms, max recovery %lld ms, "
          "client RSS %lld -> max %lld (end %lld) KiB, server RSS max %lld KiB, violations %d",
          seconds, m_cluster ? " (cluster)" : "", Clients, faultCount,
          qPrintable(faultList.join(u", "_s)), reconnects, m_placed, qint64(m_acknowledged.size()),
          m_cancels, m_checkedEvents, qint64(lastSeqs()), books, resynced, maxDetectionMs,
          maxRecoveryMs, rssWarm, rssClientMax, rssEnd, rssServerMax, m_violations);
    QVERIFY2(m_violations == 0, qPrintable(m_violationLog.join(u'\n')));
    QVERIFY(faultCount >= 3);
    QVERIFY(m_checkedEvents > 0);
}

void tst_Soak::cleanup()
{
    m_observers.clear();
    m_proxies.clear();
    m_gateways.clear();
    m_feed.reset();
    m_nats.reset();
}

int main(int argc, char *argv[])
{
    // Qt Test aborts a test function after 5 minutes unless told otherwise; a long soak is
    // one function.
    if (!qEnvironmentVariableIsSet("QTEST_FUNCTION_TIMEOUT"))
        qputenv("QTEST_FUNCTION_TIMEOUT", QByteArray::number((soakSeconds() + 300) * 1000));
    QCoreApplication app(argc, argv);
    tst_Soak test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_soak.moc"
