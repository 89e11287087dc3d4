// FeedClient against local peers on 127.0.0.1 (port 0): a plain QTcpServer for transport
// failures, and a scripted tickwire/1 WebSocket peer that sends exact frames (gaps, bad
// checksums, crossed books, refusals) and records what the client asks for.
#include "protocol/codec.h"
#include "client/feedclient.h"
#include "protocol/orderbook.h"

#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketServer>

#include <memory>

using namespace Qt::StringLiterals;
using namespace tickwire;
using protocol::EventBatch;
using client::FeedClient;
using client::FeedOptions;
using State = FeedClient::State;

namespace {
Decimal dec(const char *text)
{
    return *Decimal::parse(QByteArrayView(text));
}

protocol::BookLevel level(const char *price, const char *qty)
{
    return {dec(price), dec(qty)};
}

// Fills in the checksum the book will have after applying `message` to `book`.
protocol::Book withChecksum(protocol::OrderBook &book, protocol::Book message)
{
    book.apply(message);
    message.checksum = book.checksum();
    return message;
}

FeedOptions fastOptions(const QUrl &url)
{
    FeedOptions options;
    options.url = url;
    options.seed = 7;
    options.reconnect.baseMs = 50;
    options.reconnect.capMs = 400;
    options.reconnect.connectTimeoutMs = 2000;
    options.flushIntervalMs = 5;
    return options;
}

// A scripted tickwire/1 peer: welcomes every connection, records every request, acks
// subscriptions unless told otherwise, and lets the test push frames.
class ScriptedPeer : public QObject
{
    Q_OBJECT
public:
    explicit ScriptedPeer(QObject *parent = nullptr)
        : QObject(parent)
        , m_server(u"scripted"_s, QWebSocketServer::NonSecureMode)
    {
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                m_current = socket;
                ++connections;
                connect(socket, &QWebSocket::textMessageReceived, this,
                        [this](const QString &text) { onRequest(text.toUtf8()); });
                if (sendWelcome) {
                    protocol::Welcome welcome;
                    welcome.session = u"s-test"_s;
                    welcome.heartbeatMs = heartbeatMs;
                    welcome.account = account;
                    push(welcome);
                }
            }
        });
    }
    bool listen(quint16 port = 0) { return m_server.listen(QHostAddress::LocalHost, port); }
    QUrl url() const { return QUrl(u"ws://127.0.0.1:%1/"_s.arg(m_server.serverPort())); }
    quint16 port() const { return m_server.serverPort(); }
    void push(const protocol::Message &message)
    {
        if (m_current)
            m_current->sendTextMessage(
                QString::fromUtf8(protocol::encode(message, protocol::Encoding::Json)));
    }
    void pushRaw(const QByteArray &payload)
    {
        if (!m_current)
            return;
        if (QString::fromUtf8(payload).toUtf8() == payload)
            m_current->sendTextMessage(QString::fromUtf8(payload));
        else
            m_current->sendBinaryMessage(payload);
    }
    void closeCurrent(QWebSocketProtocol::CloseCode code, const QString &reason)
    {
        if (m_current)
            m_current->close(code, reason);
    }
    QList<protocol::Subscribe> subscribes() const { return m_subscribes; }
    QList<protocol::Unsubscribe> unsubscribes() const { return m_unsubscribes; }
    QList<protocol::PlaceOrder> placed() const { return m_placed; }
    int countSubscribes(protocol::Channel channel, const QString &symbol) const
    {
        int n = 0;
        for (const auto &s : m_subscribes)
            n += s.channel == channel && s.symbols.contains(symbol);
        return n;
    }

    int connections = 0;
    int heartbeatMs = 60'000;
    bool sendWelcome = true;
    std::optional<QString> account = u"demo"_s;
    QStringList unknownSymbols;
    std::function<void(const protocol::Subscribe &)> onSubscribe;
    std::function<void(const protocol::PlaceOrder &)> onPlace;

private:
    void onRequest(const QByteArray &payload)
    {
        const auto result = protocol::decode(payload, protocol::Encoding::Json);
        if (!result.ok())
            return;
        if (const auto *s = std::get_if<protocol::Subscribe>(&*result.message)) {
            m_subscribes.append(*s);
            for (const QString &symbol : s->symbols) {
                if (unknownSymbols.contains(symbol)) {
                    push(protocol::Error{s->id, QString(protocol::ErrorCode::UnknownSymbol),
                                         u"unknown symbol \"%1\""_s.arg(symbol), symbol});
                    return;
                }
            }
            protocol::Ack ack;
            ack.id = s->id;
            ack.channel = s->channel;
            ack.symbols = s->symbols;
            push(ack);
            if (onSubscribe)
                onSubscribe(*s);
        } else if (const auto *p = std::get_if<protocol::PlaceOrder>(&*result.message)) {
            m_placed.append(*p);
            if (onPlace)
                onPlace(*p);
        } else if (const auto *u = std::get_if<protocol::Unsubscribe>(&*result.message)) {
            m_unsubscribes.append(*u);
            protocol::Ack ack;
            ack.id = u->id;
            push(ack);
        }
    }

    QWebSocketServer m_server;
    QPointer<QWebSocket> m_current;
    QList<protocol::Subscribe> m_subscribes;
    QList<protocol::Unsubscribe> m_unsubscribes;
    QList<protocol::PlaceOrder> m_placed;
};

protocol::Order orderEvent(std::int64_t seq, const QString &orderId, const QString &clientId,
                           protocol::OrderStatus status)
{
    protocol::Order o;
    o.epoch = 77;
    o.seq = seq;
    o.orderId = orderId;
    o.clientOrderId = clientId;
    o.symbol = u"BTC-USD"_s;
    o.qty = dec("1");
    o.price = dec("100.00");
    o.status = status;
    return o;
}

QList<std::int64_t> orderSeqs(const QSignalSpy &spy)
{
    QList<std::int64_t> seqs;
    for (const auto &args : spy) {
        for (const auto &event : args.at(0).value<EventBatch>().events) {
            if (const auto *o = std::get_if<protocol::Order>(&event))
                seqs.append(o->seq);
            else if (const auto *p = std::get_if<protocol::Position>(&event))
                seqs.append(p->seq);
            else if (const auto *s = std::get_if<protocol::OrdersSnapshot>(&event))
                seqs.append(-s->seq); // snapshots marked negative
        }
    }
    return seqs;
}

QList<protocol::BookView> booksOf(const QSignalSpy &spy, const QString &symbol)
{
    QList<protocol::BookView> out;
    for (const auto &args : spy) {
        const auto batch = args.at(0).value<EventBatch>();
        for (const auto &book : batch.books) {
            if (book.symbol == symbol)
                out.append(book);
        }
    }
    return out;
}

protocol::Book snapshot(std::int64_t seq)
{
    protocol::Book book;
    book.symbol = u"BTC-USD"_s;
    book.seq = seq;
    book.snapshot = true;
    book.bids = {level("100.00", "1.0"), level("99.50", "2.0")};
    book.asks = {level("100.50", "1.5"), level("101.00", "3.0")};
    return book;
}

protocol::Book delta(std::int64_t seq, QList<protocol::BookLevel> bids,
                     QList<protocol::BookLevel> asks)
{
    protocol::Book book;
    book.symbol = u"BTC-USD"_s;
    book.seq = seq;
    book.bids = std::move(bids);
    book.asks = std::move(asks);
    return book;
}
} // namespace

class tst_FeedClient : public QObject
{
    Q_OBJECT
    QString m_lostClientId;

private Q_SLOTS:
    void serverNotThereYet();
    void acceptThenCloseBacksOff();
    void handshakeThatNeverCompletesTimesOut();
    void silentConnectionGoesStale();
    void authFailureStopsRetrying_data();
    void authFailureStopsRetrying();
    void resubscribesEverythingAfterReconnect();
    void unknownSymbolIsReportedAndTheRestStays();
    void bookIntegrity_data();
    void bookIntegrity();
    void ordersFailImmediatelyWhenNotLive();
    void badFramesAreCountedAndNothingIsLost_data();
    void badFramesAreCountedAndNothingIsLost();
    void orderStreamResumesWithoutLossOrDuplicates();
    void orderStreamGapRequestsSnapshot();
    void closeByUser();
};

void tst_FeedClient::serverNotThereYet()
{
    // Reserve a free port, then release it: nothing listens there yet.
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    FeedClient client;
    QSignalSpy transitions(&client, &FeedClient::transitioned);
    client.setOptions(fastOptions(QUrl(u"ws://127.0.0.1:%1/"_s.arg(port))));
    client.open();
    QTRY_VERIFY_WITH_TIMEOUT(client.attempt() >= 2, 10'000);
    QCOMPARE(transitions.first().at(0).value<State>(), State::Connecting);
    // The socket's own reason, not the meaningless close code of a socket that never opened.
    QVERIFY2(client.lastError().contains(u"refused"_s, Qt::CaseInsensitive),
             qPrintable(client.lastError()));
    QVERIFY(client.nextRetryAt().isValid() || client.state() == State::Connecting);

    ScriptedPeer peer;
    QVERIFY(peer.listen(port));
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Live, 10'000);
    QCOMPARE(client.lastError(), QString());
}

void tst_FeedClient::acceptThenCloseBacksOff()
{
    QTcpServer server;
    int accepted = 0;
    connect(&server, &QTcpServer::newConnection, &server, [&] {
        while (QTcpSocket *socket = server.nextPendingConnection()) {
            ++accepted;
            socket->abort();
            socket->deleteLater();
        }
    });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    FeedClient client;
    QSignalSpy transitions(&client, &FeedClient::transitioned);
    FeedOptions options = fastOptions(QUrl(u"ws://127.0.0.1:%1/"_s.arg(server.serverPort())));
    options.reconnect.baseMs = 100;
    options.reconnect.capMs = 5'000;
    client.setOptions(options);
    client.open();
    QTest::qWait(2'500);
    client.close();

    QList<int> attempts;
    for (const auto &args : transitions) {
        if (args.at(0).value<State>() == State::Reconnecting) {
            attempts.append(args.at(1).toInt());
            const int delay = args.at(2).toInt();
            // full jitter within the ceiling of the attempt that failed
            const int ceiling = std::min(5'000, 100 << std::min(int(attempts.size()) - 1, 10));
            QVERIFY2(delay >= 0 && delay <= ceiling, qPrintable(QString::number(delay)));
        }
        QVERIFY(args.at(0).value<State>() != State::Live);
    }
    QVERIFY2(attempts.size() >= 3, qPrintable(QString::number(attempts.size())));
    for (qsizetype i = 0; i < attempts.size(); ++i)
        QCOMPARE(attempts[i], int(i + 1)); // never reset: the server never kept us Live
    // Without backoff a client would reconnect hundreds of times in 2.5 s.
    QVERIFY2(accepted <= 15, qPrintable(QString::number(accepted)));
}

void tst_FeedClient::handshakeThatNeverCompletesTimesOut()
{
    QTcpServer server; // accepts and never answers the HTTP upgrade
    QList<QTcpSocket *> held;
    connect(&server, &QTcpServer::newConnection, &server, [&] {
        while (QTcpSocket *socket = server.nextPendingConnection())
            held.append(socket);
    });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    FeedClient client;
    FeedOptions options = fastOptions(QUrl(u"ws://127.0.0.1:%1/"_s.arg(server.serverPort())));
    options.reconnect.connectTimeoutMs = 300;
    client.setOptions(options);
    QSignalSpy states(&client, &FeedClient::stateChanged);
    client.open();
    QTRY_VERIFY_WITH_TIMEOUT(client.state() == State::Reconnecting, 5'000);
    QVERIFY2(client.lastError().contains(u"not established"_s), qPrintable(client.lastError()));
    QCOMPARE(states.first().at(0).value<State>(), State::Connecting);
    QVERIFY(!held.isEmpty());
    client.close();
}

void tst_FeedClient::silentConnectionGoesStale()
{
    ScriptedPeer peer;
    peer.heartbeatMs = 150; // then says nothing at all
    QVERIFY(peer.listen());
    FeedClient client;
    QSignalSpy states(&client, &FeedClient::stateChanged);
    QSignalSpy transitions(&client, &FeedClient::transitioned);
    client.setOptions(fastOptions(peer.url()));
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Live, 5'000);
    QTRY_VERIFY_WITH_TIMEOUT(states.contains(QVariantList{QVariant::fromValue(State::Stale)}),
                             3'000);
    QString staleError;
    for (const auto &args : transitions) {
        if (args.at(0).value<State>() == State::Stale)
            staleError = args.at(3).toString();
    }
    QVERIFY2(staleError.contains(u"no data"_s), qPrintable(staleError));
    // ...and it comes back by itself.
    QTRY_VERIFY_WITH_TIMEOUT(peer.connections >= 2, 5'000);
}

void tst_FeedClient::authFailureStopsRetrying_data()
{
    QTest::addColumn<bool>("viaClose");
    QTest::newRow("welcome without account") << false;
    QTest::newRow("close 1008 unauthorized") << true;
}

void tst_FeedClient::authFailureStopsRetrying()
{
    QFETCH(bool, viaClose);
    ScriptedPeer peer;
    QVERIFY(peer.listen());
    if (viaClose) {
        peer.sendWelcome = false;
    } else {
        peer.account = std::nullopt;
    }
    FeedClient client;
    FeedOptions options = fastOptions(peer.url());
    options.token = u"wrong"_s;
    client.setOptions(options);
    client.open();
    if (viaClose) {
        QTRY_COMPARE_WITH_TIMEOUT(peer.connections, 1, 5'000);
        QTest::qWait(50);
        peer.closeCurrent(QWebSocketProtocol::CloseCodePolicyViolated,
                          u"unauthorized: bad token"_s);
    }
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::AuthFailed, 5'000);
    QTest::qWait(800); // many backoff periods: no new connection may come
    QCOMPARE(peer.connections, 1);
    QCOMPARE(client.state(), State::AuthFailed);

    // New credentials leave AuthFailed and connect again.
    peer.account = u"demo"_s;
    peer.sendWelcome = true;
    client.setToken(u"right"_s);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Live, 5'000);
    QCOMPARE(peer.connections, 2);
}

void tst_FeedClient::resubscribesEverythingAfterReconnect()
{
    ScriptedPeer peer;
    QVERIFY(peer.listen());
    FeedClient client;
    QSignalSpy states(&client, &FeedClient::stateChanged);
    client.setOptions(fastOptions(peer.url()));
    QCOMPARE(client.subscribe(u"ticker:BTC-USD"_s), QString());
    QCOMPARE(client.subscribe(u"ticker:ETH-USD"_s), QString());
    QCOMPARE(client.subscribe(u"book:BTC-USD"_s), QString());
    QCOMPARE(client.subscribe(u"candles:1m:BTC-USD"_s), QString());
    QVERIFY(!client.subscribe(u"nonsense:X"_s).isEmpty());
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(peer.subscribes().size(), 3, 5'000);
    QCOMPARE(peer.countSubscribes(protocol::Channel::Ticker, u"ETH-USD"_s), 1);

    // While live only the difference goes out.
    client.subscribe(u"trades:BTC-USD"_s);
    QTRY_COMPARE_WITH_TIMEOUT(peer.subscribes().size(), 4, 5'000);
    QVERIFY(peer.subscribes().last().channel == protocol::Channel::Trades);
    client.unsubscribe(u"ticker:ETH-USD"_s);
    QTRY_COMPARE_WITH_TIMEOUT(peer.unsubscribes().size(), 1, 5'000);

    peer.closeCurrent(QWebSocketProtocol::CloseCodeGoingAway, u"restart"_s);
    QTRY_COMPARE_WITH_TIMEOUT(peer.connections, 2, 5'000);
    QVERIFY(states.contains(QVariantList{QVariant::fromValue(State::Reconnecting)}));
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Live, 5'000);
    QTRY_COMPARE_WITH_TIMEOUT(peer.subscribes().size(), 8, 5'000);
    QCOMPARE(peer.countSubscribes(protocol::Channel::Ticker, u"BTC-USD"_s), 2);
    QCOMPARE(peer.countSubscribes(protocol::Channel::Ticker, u"ETH-USD"_s), 1); // removed
    QCOMPARE(peer.countSubscribes(protocol::Channel::Book, u"BTC-USD"_s), 2);
    QCOMPARE(peer.countSubscribes(protocol::Channel::Candles, u"BTC-USD"_s), 2);
    QCOMPARE(peer.countSubscribes(protocol::Channel::Trades, u"BTC-USD"_s), 2);
    QTRY_COMPARE_WITH_TIMEOUT(client.reconnectCount(), 1, 3'000);
}

void tst_FeedClient::unknownSymbolIsReportedAndTheRestStays()
{
    ScriptedPeer peer;
    peer.unknownSymbols = {u"DOGE-EUR"_s};
    QVERIFY(peer.listen());
    FeedClient client;
    QSignalSpy failures(&client, &FeedClient::subscriptionFailed);
    QSignalSpy batches(&client, &FeedClient::batchReady);
    client.setOptions(fastOptions(peer.url()));
    client.subscribe(u"ticker:BTC-USD"_s);
    client.subscribe(u"ticker:DOGE-EUR"_s);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(failures.size(), 1, 5'000);
    const client::Topic doge{protocol::Channel::Ticker, u"DOGE-EUR"_s, std::nullopt};
    QCOMPARE(failures.first().at(0).value<client::Topic>(), doge);
    QCOMPARE(failures.first().at(1).toString(), u"unknown_symbol"_s);
    QVERIFY(client.subscriptionError(doge).contains(u"DOGE-EUR"_s));
    QCOMPARE(client.subscriptionError({protocol::Channel::Ticker, u"BTC-USD"_s, std::nullopt}),
             QString());
    // BTC-USD was asked for again alone, and its data flows.
    QTRY_COMPARE_WITH_TIMEOUT(peer.subscribes().size(), 2, 5'000);
    QCOMPARE(peer.subscribes().last().symbols, QStringList{u"BTC-USD"_s});
    protocol::Ticker ticker;
    ticker.symbol = u"BTC-USD"_s;
    ticker.seq = 1;
    peer.push(ticker);
    QTRY_VERIFY_WITH_TIMEOUT(!batches.isEmpty(), 5'000);
    QCOMPARE(client.subscriptions().size(), 2);
}

void tst_FeedClient::bookIntegrity_data()
{
    QTest::addColumn<QString>("fault");
    QTest::newRow("sequence gap") << u"gap"_s;
    QTest::newRow("bad checksum") << u"checksum"_s;
    QTest::newRow("crossed book") << u"crossed"_s;
    QTest::newRow("duplicate is dropped") << u"duplicate"_s;
}

void tst_FeedClient::bookIntegrity()
{
    QFETCH(QString, fault);
    ScriptedPeer peer;
    protocol::OrderBook serverBook;
    int snapshots = 0;
    peer.onSubscribe = [&](const protocol::Subscribe &s) {
        if (s.channel != protocol::Channel::Book)
            return;
        serverBook.clear();
        ++snapshots;
        peer.push(withChecksum(serverBook, snapshot(100 * snapshots)));
    };
    QVERIFY(peer.listen());
    FeedClient client;
    QSignalSpy batches(&client, &FeedClient::batchReady);
    client.setOptions(fastOptions(peer.url()));
    client.subscribe(u"book:BTC-USD"_s);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(booksOf(batches, u"BTC-USD"_s).size(), 1, 5'000);
    QVERIFY(booksOf(batches, u"BTC-USD"_s).first().resynced);

    // A good delta first.
    peer.push(withChecksum(serverBook, delta(101, {level("100.00", "0.5")}, {})));
    QTRY_COMPARE_WITH_TIMEOUT(booksOf(batches, u"BTC-USD"_s).size(), 2, 5'000);
    QCOMPARE(booksOf(batches, u"BTC-USD"_s).last().bids.first().qty, dec("0.5"));

    if (fault == u"gap"_s) {
        protocol::OrderBook lost = serverBook;
        (void)withChecksum(lost, delta(102, {level("99.00", "1")}, {})); // never sent
        peer.push(withChecksum(lost, delta(103, {level("98.00", "1")}, {})));
    } else if (fault == u"checksum"_s) {
        auto bad = withChecksum(serverBook, delta(102, {level("99.00", "1")}, {}));
        bad.checksum ^= 1;
        peer.push(bad);
    } else if (fault == u"crossed"_s) {
        peer.push(withChecksum(serverBook, delta(102, {level("100.75", "1")}, {})));
    } else {
        peer.push(withChecksum(serverBook, delta(101, {level("100.00", "0.5")}, {})));
        peer.push(withChecksum(serverBook, delta(102, {level("99.00", "7")}, {})));
        QTRY_COMPARE_WITH_TIMEOUT(booksOf(batches, u"BTC-USD"_s).size(), 3, 5'000);
        QTest::qWait(100);
        QCOMPARE(booksOf(batches, u"BTC-USD"_s).size(), 3);
        QCOMPARE(peer.unsubscribes().size(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(client.stats().duplicates, 1, 3'000);
        return;
    }

    // Only that symbol is resnapshotted (unsubscribe + subscribe), no reconnect.
    QTRY_COMPARE_WITH_TIMEOUT(snapshots, 2, 5'000);
    QCOMPARE(peer.unsubscribes().size(), 1);
    QCOMPARE(peer.connections, 1);
    QTRY_COMPARE_WITH_TIMEOUT(booksOf(batches, u"BTC-USD"_s).size(), 3, 5'000);
    const auto books = booksOf(batches, u"BTC-USD"_s);
    const protocol::BookView last = books.last();
    QVERIFY(last.resynced);
    QCOMPARE(last.seq, 200);
    QCOMPARE(last.bids, snapshot(0).bids);
    QCOMPARE(last.asks, snapshot(0).asks);
    for (const auto &book : books) // nothing crossed or unverified was ever published
        QVERIFY(book.bids.isEmpty() || book.asks.isEmpty()
                || book.bids.first().price < book.asks.first().price);
    QTRY_VERIFY_WITH_TIMEOUT(client.stats().resnapshots == 1, 3'000);
    if (fault == u"checksum"_s)
        QCOMPARE(client.stats().checksumFailures, 1);
    if (fault == u"gap"_s)
        QCOMPARE(client.stats().gaps, 1);
    if (fault == u"crossed"_s)
        QCOMPARE(client.stats().crossedBooks, 1);
}

void tst_FeedClient::ordersFailImmediatelyWhenNotLive()
{
    FeedClient client;
    QSignalSpy failed(&client, &FeedClient::orderRequestFailed);
    const auto result = client.placeOrder(u"BTC-USD"_s, protocol::Side::Buy,
                                          protocol::OrderType::Limit, dec("1"), dec("100.00"));
    QVERIFY(!result.ok());
    QVERIFY(result.error.contains(u"not connected"_s));
    QVERIFY(!client.cancelOrder(u"o-1"_s).isEmpty());
    QTest::qWait(50);
    QCOMPARE(failed.size(), 0); // refused synchronously; nothing was queued

    ScriptedPeer peer;
    QVERIFY(peer.listen());
    client.setOptions(fastOptions(peer.url()));
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Live, 5'000);
    // Invalid arguments are errors values too.
    QVERIFY(!client
                 .placeOrder(u"BTC-USD"_s, protocol::Side::Buy, protocol::OrderType::Limit,
                             dec("0"), dec("100.00"))
                 .ok());
    QVERIFY(
        !client.placeOrder(u"BTC-USD"_s, protocol::Side::Buy, protocol::OrderType::Limit, dec("1"))
             .ok());
    QVERIFY(
        client.placeOrder(u"BTC-USD"_s, protocol::Side::Buy, protocol::OrderType::Market, dec("1"))
            .ok());
}

void tst_FeedClient::orderStreamResumesWithoutLossOrDuplicates()
{
    ScriptedPeer peer;
    QVERIFY(peer.listen());
    peer.onSubscribe = [&](const protocol::Subscribe &s) {
        if (s.channel != protocol::Channel::Orders)
            return;
        if (!s.resume) {
            peer.push(protocol::OrdersSnapshot{77, 10, {}, {}});
            peer.push(orderEvent(11, u"o-1"_s, u"c-a"_s, protocol::OrderStatus::New));
            return;
        }
        // Resume from the client's point: the server replays from an older position
        // (a replay window), including events the client already has and the order whose
        // ack was lost.
        peer.push(orderEvent(11, u"o-1"_s, u"c-a"_s, protocol::OrderStatus::New));
        peer.push(orderEvent(12, u"o-1"_s, u"c-a"_s, protocol::OrderStatus::Filled));
        peer.push(orderEvent(13, u"o-2"_s, m_lostClientId, protocol::OrderStatus::New));
        peer.push(orderEvent(14, u"o-2"_s, m_lostClientId, protocol::OrderStatus::Cancelled));
    };
    FeedClient client;
    QSignalSpy batches(&client, &FeedClient::batchReady);
    QSignalSpy reconciled(&client, &FeedClient::orderReconciled);
    QSignalSpy acked(&client, &FeedClient::orderAcknowledged);
    FeedOptions options = fastOptions(peer.url());
    options.token = u"T"_s;
    client.setOptions(options);
    client.subscribe(u"orders"_s);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(orderSeqs(batches), (QList<std::int64_t>{-10, 11}), 5'000);
    peer.push(orderEvent(12, u"o-1"_s, u"c-a"_s, protocol::OrderStatus::Filled));
    QTRY_COMPARE_WITH_TIMEOUT(orderSeqs(batches).size(), 3, 5'000);

    // An order goes out; the connection dies before its ack.
    const auto placed = client.placeOrder(u"BTC-USD"_s, protocol::Side::Buy,
                                          protocol::OrderType::Limit, dec("1"), dec("100.00"));
    QVERIFY(placed.ok());
    m_lostClientId = placed.clientOrderId;
    QTRY_COMPARE_WITH_TIMEOUT(peer.placed().size(), 1, 5'000);
    QCOMPARE(peer.placed().first().clientOrderId, placed.clientOrderId);
    peer.closeCurrent(QWebSocketProtocol::CloseCodeGoingAway, u"restart"_s);

    QTRY_COMPARE_WITH_TIMEOUT(peer.connections, 2, 5'000);
    QTRY_COMPARE_WITH_TIMEOUT(orderSeqs(batches), (QList<std::int64_t>{-10, 11, 12, 13, 14}),
                              5'000);
    const auto resumed = peer.subscribes().last();
    QVERIFY(resumed.channel == protocol::Channel::Orders);
    QVERIFY(resumed.resume);
    QCOMPARE(resumed.resume->epoch, 77);
    QCOMPARE(resumed.resume->seq, 12);
    QTRY_COMPARE_WITH_TIMEOUT(reconciled.size(), 1, 5'000);
    QCOMPARE(reconciled.first().at(0).toString(), placed.clientOrderId);
    QCOMPARE(reconciled.first().at(1).toString(), u"o-2"_s);
    QCOMPARE(acked.size(), 0);
    QTest::qWait(100);
    QCOMPARE(orderSeqs(batches).size(), 5); // nothing twice
}

void tst_FeedClient::orderStreamGapRequestsSnapshot()
{
    ScriptedPeer peer;
    QVERIFY(peer.listen());
    int snapshots = 0;
    peer.onSubscribe = [&](const protocol::Subscribe &s) {
        if (s.channel != protocol::Channel::Orders)
            return;
        ++snapshots;
        peer.push(protocol::OrdersSnapshot{77, snapshots == 1 ? 10 : 20, {}, {}});
    };
    FeedClient client;
    QSignalSpy batches(&client, &FeedClient::batchReady);
    client.setOptions(fastOptions(peer.url()));
    client.subscribe(u"orders"_s);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(snapshots, 1, 5'000);
    peer.push(orderEvent(11, u"o-1"_s, u"c-a"_s, protocol::OrderStatus::New));
    peer.push(orderEvent(13, u"o-1"_s, u"c-a"_s, protocol::OrderStatus::Filled)); // 12 lost
    peer.push(orderEvent(14, u"o-9"_s, u"c-z"_s, protocol::OrderStatus::New)); // before snapshot
    QTRY_COMPARE_WITH_TIMEOUT(snapshots, 2, 5'000);
    QVERIFY(!peer.subscribes().last().resume); // a fresh snapshot, not a resume
    QTRY_COMPARE_WITH_TIMEOUT(orderSeqs(batches), (QList<std::int64_t>{-10, 11, -20}), 5'000);
    peer.push(orderEvent(21, u"o-3"_s, u"c-c"_s, protocol::OrderStatus::New));
    QTRY_COMPARE_WITH_TIMEOUT(orderSeqs(batches), (QList<std::int64_t>{-10, 11, -20, 21}), 5'000);
    QCOMPARE(peer.connections, 1);
}

void tst_FeedClient::badFramesAreCountedAndNothingIsLost_data()
{
    QTest::addColumn<QByteArray>("garbage");
    QTest::newRow("malformed json") << QByteArray("{\"type\":\"ticker\",");
    QTest::newRow("unknown type") << QByteArray("{\"type\":\"weather\"}");
    QTest::newRow("wrong field type")
        << QByteArray("{\"type\":\"ticker\",\"symbol\":\"BTC-USD\",\"seq\":\"x\"}");
    QTest::newRow("binary junk") << QByteArray("\xff\x00\x13");
}

void tst_FeedClient::badFramesAreCountedAndNothingIsLost()
{
    QFETCH(QByteArray, garbage);
    ScriptedPeer peer;
    QVERIFY(peer.listen());
    FeedClient client;
    QSignalSpy batches(&client, &FeedClient::batchReady);
    client.setOptions(fastOptions(peer.url()));
    client.subscribe(u"ticker:BTC-USD"_s);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(peer.subscribes().size(), 1, 5'000);
    peer.pushRaw(garbage);
    protocol::Ticker ticker;
    ticker.symbol = u"BTC-USD"_s;
    ticker.seq = 1;
    peer.push(ticker);
    QTRY_COMPARE_WITH_TIMEOUT(batches.size(), 1, 5'000);
    QCOMPARE(batches.first().at(0).value<EventBatch>().events.size(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(client.stats().badFrames, 1, 3'000);
    QVERIFY2(client.lastError().contains(u"undecodable"_s), qPrintable(client.lastError()));
    QCOMPARE(client.state(), State::Live);
    QCOMPARE(peer.connections, 1);
}

void tst_FeedClient::closeByUser()
{
    ScriptedPeer peer;
    QVERIFY(peer.listen());
    FeedClient client;
    client.setOptions(fastOptions(peer.url()));
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Live, 5'000);
    client.close();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Closed, 5'000);
    QTest::qWait(500);
    QCOMPARE(peer.connections, 1);
    QCOMPARE(client.state(), State::Closed);
}

QTEST_GUILESS_MAIN(tst_FeedClient)
#include "tst_feedclient.moc"
