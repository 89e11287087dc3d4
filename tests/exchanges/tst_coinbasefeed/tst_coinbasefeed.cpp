// End to end: tickwire-feed --source coinbase against a scripted exchange on loopback, read by a
// tickwire/1 client that verifies every book checksum; then the same through a FaultProxy that
// cuts and stalls the upstream.
#include "booklevels.h"
#include "exchangereplayserver.h"
#include "faultproxy.h"
#include "feedprocess.h"
#include "protocol/codec.h"
#include "protocol/orderbook.h"
#include "tapprocess.h"

#include <QtCore/QScopeGuard>
#include <QtCore/QThread>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketHandshakeOptions>

using namespace Qt::StringLiterals;
using namespace tickwire;

namespace {

// The replay server on its own thread: FeedProcess::start() blocks this one while the feed
// fetches the products from it.
class ReplayThread
{
public:
    ReplayThread() { m_thread.start(); }
    ~ReplayThread()
    {
        QMetaObject::invokeMethod(
            m_server, [s = m_server] { delete s; }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    ReplayThread(const ReplayThread &) = delete;
    ReplayThread &operator=(const ReplayThread &) = delete;

    bool start(const QString &script, QString *error)
    {
        bool ok = false;
        QMetaObject::invokeMethod(
            m_server, [&] { ok = m_server->load(script, error) && m_server->listen(); },
            Qt::BlockingQueuedConnection);
        return ok;
    }
    int connectionCount()
    {
        int n = 0;
        QMetaObject::invokeMethod(
            m_server, [&] { n = m_server->connectionCount(); }, Qt::BlockingQueuedConnection);
        return n;
    }
    void release()
    {
        QMetaObject::invokeMethod(
            m_server, [s = m_server] { s->release(); }, Qt::QueuedConnection);
    }
    testing::ExchangeReplayServer &server() { return *m_server; } // port and URLs only

private:
    QThread m_thread;
    testing::ExchangeReplayServer *m_server = [this] {
        auto *s = new testing::ExchangeReplayServer;
        s->moveToThread(&m_thread);
        return s;
    }();
};

// A tickwire/1 client that keeps the book of the symbol it subscribed to and checks every
// checksum.
struct Client
{
    QWebSocket socket;
    protocol::OrderBook book;
    int snapshots = 0, books = 0, mismatches = 0, trades = 0, tickers = 0, candles = 0;
    QList<protocol::InstrumentInfo> symbols;

    void connectTo(const QUrl &url)
    {
        QObject::connect(&socket, &QWebSocket::textMessageReceived, &socket,
                         [this](const QString &text) { onText(text); });
        QWebSocketHandshakeOptions handshake;
        handshake.setSubprotocols({QString(protocol::JsonSubprotocol)});
        socket.open(QNetworkRequest(url), handshake);
    }
    void send(const protocol::Message &m)
    {
        socket.sendTextMessage(QString::fromUtf8(protocol::encode(m, protocol::Encoding::Json)));
    }
    void subscribe(protocol::Channel channel, int id,
                   std::optional<protocol::CandleInterval> interval = std::nullopt)
    {
        protocol::Subscribe sub;
        sub.id = id;
        sub.channel = channel;
        sub.symbols = {u"BTC-USD"_s};
        sub.depth = 10;
        sub.interval = interval;
        send(sub);
    }
    void onText(const QString &text)
    {
        const protocol::DecodeResult r = protocol::decode(text.toUtf8(), protocol::Encoding::Json);
        if (!r.ok())
            return;
        if (const auto *b = std::get_if<protocol::Book>(&*r.message)) {
            ++books;
            if (b->snapshot) {
                ++snapshots;
                book.clear();
            }
            if (!book.apply(*b) || book.checksum() != b->checksum)
                ++mismatches;
        } else if (const auto *s = std::get_if<protocol::Symbols>(&*r.message)) {
            symbols = s->symbols;
        } else if (std::holds_alternative<protocol::TradesSnapshot>(*r.message)
                   || std::holds_alternative<protocol::Trade>(*r.message)) {
            ++trades;
        } else if (std::holds_alternative<protocol::Ticker>(*r.message)) {
            ++tickers;
        } else if (const auto *c = std::get_if<protocol::CandlesSnapshot>(&*r.message)) {
            candles += int(c->candles.size());
        } else if (std::holds_alternative<protocol::Candle>(*r.message)) {
            ++candles;
        }
    }
};

QString script(const char *name)
{
    return QStringLiteral(TICKWIRE_TEST_DATA_DIR "/exchanges/coinbase/") + QLatin1StringView(name);
}

QString feedProgram()
{
    return QStringLiteral(TICKWIRE_BINARY_DIR "/app/tickwire-feed/tickwire-feed");
}

} // namespace

class TestCoinbaseFeed : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void liveBookThroughTheFeed()
    {
        ReplayThread replay;
        QString error;
        QVERIFY2(replay.start(script("session-source.ndjson"), &error), qPrintable(error));
        testing::FeedProcess feed(feedProgram());
        QVERIFY2(feed.start({u"--source"_s, u"coinbase"_s, u"--symbols"_s, u"BTC-USD,ETH-USD"_s,
                             u"--upstream-ws"_s, replay.server().webSocketUrl().toString(),
                             u"--upstream-rest"_s, replay.server().restUrl().toString(),
                             u"--ephemeral"_s, u"--demo-token"_s, u"t0ken"_s}),
                 qPrintable(feed.banner()));

        Client client;
        client.connectTo(feed.url(u"t0ken"_s));
        QTRY_VERIFY(client.socket.state() == QAbstractSocket::ConnectedState);
        client.send(protocol::ListSymbols{1});
        QTRY_COMPARE(client.symbols.size(), 2);
        QCOMPARE(client.symbols[0].symbol, u"BTC-USD"_s); // Coinbase's product id as it is
        QCOMPARE(client.symbols[0].tickSize.toString(), u"0.01"_s);
        QCOMPARE(client.symbols[0].lotSize.toString(), u"0.00000001"_s);

        client.subscribe(protocol::Channel::Book, 2);
        client.subscribe(protocol::Channel::Trades, 3);
        client.subscribe(protocol::Channel::Ticker, 4);
        client.subscribe(protocol::Channel::Candles, 5, protocol::CandleInterval::M1);
        client.subscribe(protocol::Channel::Candles, 6, protocol::CandleInterval::M5);
        // The book after the early update's resubscribe, its snapshot and one update.
        QTRY_COMPARE(testing::bookLevels(client.book),
                     (QStringList{u"b 64000.00:1.00000000"_s, u"a 64000.50:0.25000000"_s,
                                  u"a 64001.00:3.00000000"_s}));
        // Trades, the ticker, a 1-minute candle built from trades and Coinbase's 5-minute one.
        QTRY_VERIFY(client.trades >= 1 && client.tickers >= 1 && client.candles >= 2);

        const int snapshotsBefore = client.snapshots;
        replay.release(); // the sequence_num gap: new upstream snapshots, snapshot:true here
        QTRY_VERIFY(client.snapshots > snapshotsBefore);
        QTRY_COMPARE(testing::bookLevels(client.book),
                     (QStringList{u"b 64001.00:2.00000000"_s, u"a 64003.00:5.00000000"_s}));
        QCOMPARE(replay.connectionCount(), 1);
        QVERIFY(client.books > client.snapshots); // diffs, not only snapshots
        QCOMPARE(client.mismatches, 0); // every checksum verified against the client's own book
    }

    // The upstream cut (a new connection, a new snapshot) and then stalled: no heartbeat gets
    // through, so after the heartbeat timeout the feed reconnects and resyncs again.
    void recoversFromCutAndStalledUpstream()
    {
        ReplayThread replay;
        QString error;
        QVERIFY2(replay.start(script("session-faults.ndjson"), &error), qPrintable(error));
        testing::FaultProxy proxy(replay.server().port());
        QVERIFY(proxy.listen());
        testing::FeedProcess feed(feedProgram());
        QVERIFY2(feed.start({u"--source"_s, u"coinbase"_s, u"--symbols"_s, u"BTC-USD"_s,
                             u"--upstream-ws"_s, proxy.url().toString(), u"--upstream-rest"_s,
                             replay.server().restUrl().toString(), u"--ephemeral"_s,
                             u"--demo-token"_s, u"t0ken"_s}),
                 qPrintable(feed.banner()));
        Client client;
        client.connectTo(feed.url(u"t0ken"_s));
        // And a command-line client, which verifies the checksums and follows source_status.
        testing::TapProcess tap(feed.url(), u"BTC-USD"_s);
        QTRY_VERIFY(client.socket.state() == QAbstractSocket::ConnectedState);
        client.subscribe(protocol::Channel::Book, 1);
        QTRY_COMPARE(testing::bookLevels(client.book),
                     (QStringList{u"b 64000.00:1.00000000"_s, u"a 64000.50:2.00000000"_s}));
        QTRY_COMPARE(tap.lastBook(), u"b 64000.00:1.00000000 | a 64000.50:2.00000000"_s);
        const int firstSnapshots = client.snapshots;

        proxy.cutAll();
        QTRY_COMPARE(replay.connectionCount(), 2);
        QTRY_COMPARE(testing::bookLevels(client.book),
                     (QStringList{u"b 64100.00:1.00000000"_s, u"a 64100.50:2.00000000"_s}));
        QVERIFY(client.snapshots > firstSnapshots); // a fresh snapshot:true book
        const int secondSnapshots = client.snapshots;

        // Stalled: nothing passes until the feed gives up on the link (heartbeat timeout,
        // 10 s) and opens a new connection, which gets through.
        connect(&proxy, &testing::FaultProxy::connectionAccepted, &proxy,
                [&proxy] { proxy.setMode(testing::FaultProxy::Mode::Forward); });
        proxy.setMode(testing::FaultProxy::Mode::Stall);
        QTRY_COMPARE_WITH_TIMEOUT(replay.connectionCount(), 3, 40'000);
        QTRY_COMPARE(testing::bookLevels(client.book),
                     (QStringList{u"b 64200.00:1.00000000"_s, u"a 64200.50:2.00000000"_s}));
        QVERIFY(client.snapshots > secondSnapshots);
        QCOMPARE(client.mismatches, 0);
        QTRY_COMPARE(tap.lastBook(), u"b 64200.00:1.00000000 | a 64200.50:2.00000000"_s);
        QTRY_VERIFY(tap.stateHistory().endsWith(u"live"_s));
        QVERIFY2(tap.stateHistory().count(u"down"_s) >= 2, qPrintable(tap.stateHistory()));
        const QByteArray stats = tap.stop();
        QVERIFY2(stats.contains("checksum_failures=0 crossed=0"), stats.constData());
    }
};

QTEST_GUILESS_MAIN(TestCoinbaseFeed)
#include "tst_coinbasefeed.moc"
