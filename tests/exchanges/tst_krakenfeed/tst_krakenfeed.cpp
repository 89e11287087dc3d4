// End to end: tickwire-feed --source kraken against a scripted Kraken on loopback (directly, and
// through a FaultProxy that cuts and stalls the upstream), read by a tickwire/1 client that
// verifies every book checksum.
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

// The replay server (and the proxy, when there is one) on their own thread: FeedProcess::start()
// blocks this one while the feed discovers the instruments from them.
class Upstream
{
public:
    explicit Upstream(const QString &script, bool withProxy)
    {
        m_replay = new testing::ExchangeReplayServer;
        m_ok = m_replay->load(QStringLiteral(TICKWIRE_TEST_DATA_DIR "/exchanges/kraken/") + script,
                              &m_error);
        m_replay->moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::finished, m_replay, &QObject::deleteLater);
        m_thread.start();
        run([&] {
            m_ok = m_ok && m_replay->listen();
            if (m_ok && withProxy) {
                m_proxy = new testing::FaultProxy(m_replay->port(), m_replay);
                m_ok = m_proxy->listen();
                // After a stall, the adapter's next connection goes through.
                QObject::connect(
                    m_proxy, &testing::FaultProxy::connectionAccepted, m_proxy,
                    [proxy = m_proxy] { proxy->setMode(testing::FaultProxy::Mode::Forward); });
            }
        });
    }
    ~Upstream()
    {
        m_thread.quit();
        m_thread.wait();
    }
    Upstream(const Upstream &) = delete;
    Upstream &operator=(const Upstream &) = delete;

    [[nodiscard]] bool ok() const { return m_ok; }
    [[nodiscard]] QString error() const { return m_error; }
    [[nodiscard]] QUrl url()
    {
        QUrl url;
        run([&] { url = m_proxy ? m_proxy->url() : m_replay->webSocketUrl(); });
        return url;
    }
    [[nodiscard]] int connections()
    {
        int n = 0;
        run([&] { n = m_replay->connectionCount(); });
        return n;
    }
    [[nodiscard]] QStringList received(int connection)
    {
        QStringList out;
        run([&] { out = m_replay->receivedMessages(connection); });
        return out;
    }
    void release()
    {
        run([&] { m_replay->release(); });
    }
    void cut()
    {
        run([&] { m_proxy->cutAll(); });
    }
    void stall()
    {
        run([&] { m_proxy->setMode(testing::FaultProxy::Mode::Stall); });
    }

private:
    template<typename F> void run(F f)
    {
        QMetaObject::invokeMethod(m_replay, f, Qt::BlockingQueuedConnection);
    }

    QThread m_thread;
    testing::ExchangeReplayServer *m_replay = nullptr;
    testing::FaultProxy *m_proxy = nullptr;
    bool m_ok = false;
    QString m_error;
};

// A tickwire/1 client that keeps one symbol's book and checks every checksum.
struct Client : QObject
{
    QWebSocket socket;
    protocol::OrderBook book;
    int snapshots = 0, books = 0, mismatches = 0, trades = 0, tickers = 0, candles = 0;
    QList<protocol::InstrumentInfo> symbols;
    QStringList states; // source_status, in order

    Client()
    {
        connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            const protocol::DecodeResult r =
                protocol::decode(text.toUtf8(), protocol::Encoding::Json);
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
            } else if (const auto *st = std::get_if<protocol::SourceStatus>(&*r.message)) {
                states.append(QString(protocol::toString(st->state)));
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
        });
    }
    void open(const QUrl &url)
    {
        QWebSocketHandshakeOptions handshake;
        handshake.setSubprotocols({QString(protocol::JsonSubprotocol)});
        socket.open(QNetworkRequest(url), handshake);
    }
    void send(const protocol::Message &m)
    {
        socket.sendTextMessage(QString::fromUtf8(protocol::encode(m, protocol::Encoding::Json)));
    }
    void subscribe(protocol::Channel channel, std::int64_t id)
    {
        protocol::Subscribe sub;
        sub.id = id;
        sub.channel = channel;
        sub.symbols = {u"BTC-USD"_s};
        if (channel == protocol::Channel::Book)
            sub.depth = 10;
        if (channel == protocol::Channel::Candles)
            sub.interval = protocol::CandleInterval::M1;
        send(sub);
    }
};

QStringList feedArguments(const QUrl &upstream)
{
    return {u"--source"_s,        u"kraken"_s,        u"--symbols"_s,
            u"BTC-USD,ETH-USD"_s, u"--upstream-ws"_s, upstream.toString(),
            u"--ephemeral"_s,     u"--demo-token"_s,  u"t0ken"_s};
}

} // namespace

class TestKrakenFeed : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void liveBookThroughTheFeed()
    {
        Upstream upstream(u"session-book.ndjson"_s, false);
        QVERIFY2(upstream.ok(), qPrintable(upstream.error()));
        testing::FeedProcess feed(
            QStringLiteral(TICKWIRE_BINARY_DIR "/app/tickwire-feed/tickwire-feed"));
        QVERIFY2(feed.start(feedArguments(upstream.url())), qPrintable(feed.banner()));

        Client client;
        client.open(feed.url(u"t0ken"_s));
        QTRY_VERIFY(client.socket.state() == QAbstractSocket::ConnectedState);
        client.send(protocol::ListSymbols{1});
        QTRY_COMPARE(client.symbols.size(), 2);
        QCOMPARE(client.symbols[0].symbol, u"BTC-USD"_s); // BTC/USD from the instrument channel
        QCOMPARE(client.symbols[0].tickSize.toString(), u"0.1"_s);
        QCOMPARE(client.symbols[0].lotSize.toString(), u"0.00000001"_s); // Kraken sent 1e-08
        client.subscribe(protocol::Channel::Book, 2);
        client.subscribe(protocol::Channel::Trades, 3);
        client.subscribe(protocol::Channel::Ticker, 4);
        client.subscribe(protocol::Channel::Candles, 5);
        QTRY_COMPARE(testing::bookLevels(client.book),
                     (QStringList{u"b 64000.0:1.50000000"_s, u"a 64000.5:0.10000000"_s,
                                  u"a 64001.0:2.00000000"_s, u"a 64002.0:0.50000000"_s}));
        QTRY_VERIFY(client.trades >= 1 && client.tickers >= 1 && client.candles >= 1);

        const int snapshotsBefore = client.snapshots;
        upstream.release(); // a checksum mismatch upstream: resubscribed, a new snapshot
        QTRY_VERIFY(client.snapshots > snapshotsBefore);
        QTRY_COMPARE(testing::bookLevels(client.book),
                     (QStringList{u"b 64001.0:2.00000000"_s, u"b 64000.5:0.30000000"_s,
                                  u"a 64003.0:5.00000000"_s}));
        QCOMPARE(upstream.connections(), 2); // discovery, then the stream
        int unsubscribes = 0;
        for (const QString &m : upstream.received(2))
            unsubscribes += m.contains(u"\"unsubscribe\""_s) ? 1 : 0;
        QCOMPARE(unsubscribes, 1);
        QVERIFY(client.books > client.snapshots); // changes, not only snapshots
        QCOMPARE(client.mismatches, 0);
    }

    // Kraken's checksum keeps failing: after five resubscriptions the book is published anyway
    // and every client hears `unverified`; a matching checksum makes the source live again.
    // The tickwire checksum of what is published stays right throughout.
    void unverifiedBookReachesClients()
    {
        Upstream upstream(u"session-unverified-feed.ndjson"_s, false);
        QVERIFY2(upstream.ok(), qPrintable(upstream.error()));
        testing::FeedProcess feed(
            QStringLiteral(TICKWIRE_BINARY_DIR "/app/tickwire-feed/tickwire-feed"));
        QStringList arguments = feedArguments(upstream.url());
        arguments[arguments.indexOf(u"--symbols"_s) + 1] = u"BTC-USD"_s; // the script's only book
        QVERIFY2(feed.start(arguments), qPrintable(feed.banner()));
        Client client;
        client.open(feed.url(u"t0ken"_s));
        QTRY_VERIFY(client.socket.state() == QAbstractSocket::ConnectedState);
        client.subscribe(protocol::Channel::Book, 1);
        QTRY_VERIFY_WITH_TIMEOUT(client.states.contains(u"unverified"_s), 20'000);
        QTRY_VERIFY(!testing::bookLevels(client.book).isEmpty()); // shown, not dropped
        // Never live before: the book was never verified (the first state a session hears is
        // the source's current one, down, resyncing or already unverified).
        QVERIFY(!client.states.mid(0, client.states.indexOf(u"unverified"_s)).contains(u"live"_s));
        upstream.release(); // an update whose checksum matches
        QTRY_COMPARE(client.states.last(), u"live"_s);
        QCOMPARE(client.mismatches, 0);
    }

    // The upstream connection is cut, then stalled (no bytes either way, nothing closed): the
    // adapter reconnects each time and the client gets a fresh snapshot:true book.
    void recoversThroughFaults()
    {
        Upstream upstream(u"session-faults.ndjson"_s, true);
        QVERIFY2(upstream.ok(), qPrintable(upstream.error()));
        testing::FeedProcess feed(
            QStringLiteral(TICKWIRE_BINARY_DIR "/app/tickwire-feed/tickwire-feed"));
        QVERIFY2(feed.start(feedArguments(upstream.url())), qPrintable(feed.banner()));

        Client client;
        client.open(feed.url(u"t0ken"_s));
        // And a command-line client, which verifies the checksums and follows source_status.
        testing::TapProcess tap(feed.url(), u"BTC-USD"_s);
        QTRY_VERIFY(client.socket.state() == QAbstractSocket::ConnectedState);
        client.subscribe(protocol::Channel::Book, 1);
        QTRY_COMPARE(testing::bookLevels(client.book),
                     (QStringList{u"b 64000.0:1.50000000"_s, u"b 63999.5:0.25000000"_s,
                                  u"a 64000.5:0.10000000"_s, u"a 64001.0:2.00000000"_s}));

        int snapshots = client.snapshots;
        upstream.cut();
        QTRY_VERIFY_WITH_TIMEOUT(client.snapshots > snapshots, 20'000);
        QTRY_COMPARE(testing::bookLevels(client.book),
                     (QStringList{u"b 64001.0:2.00000000"_s, u"a 64003.0:5.00000000"_s}));
        QCOMPARE(upstream.connections(), 3);

        snapshots = client.snapshots;
        upstream.stall(); // silence: a ping after 5 s, a new connection after 10 s
        QTRY_VERIFY_WITH_TIMEOUT(client.snapshots > snapshots, 40'000);
        QTRY_COMPARE(testing::bookLevels(client.book),
                     (QStringList{u"b 64002.5:0.75000000"_s, u"a 64004.0:1.25000000"_s}));
        QCOMPARE(upstream.connections(), 4);
        QCOMPARE(client.mismatches, 0);
        QTRY_COMPARE(tap.lastBook(), u"b 64002.5:0.75000000 | a 64004.0:1.25000000"_s);
        QTRY_VERIFY(tap.stateHistory().endsWith(u"live"_s));
        QVERIFY2(tap.stateHistory().count(u"down"_s) >= 2, qPrintable(tap.stateHistory()));
        const QByteArray stats = tap.stop();
        QVERIFY2(stats.contains("checksum_failures=0 crossed=0"), stats.constData());
    }
};

QTEST_GUILESS_MAIN(TestKrakenFeed)
#include "tst_krakenfeed.moc"
