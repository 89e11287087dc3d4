// End to end: tickwire-feed --source binance against a scripted exchange on loopback, read by a
// tickwire/1 client that verifies every book checksum.
#include "booklevels.h"
#include "faultproxy.h"
#include "feedprocess.h"
#include "protocol/codec.h"
#include "protocol/orderbook.h"
#include "replaythread.h"
#include "tapprocess.h"

#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketHandshakeOptions>

using namespace Qt::StringLiterals;
using namespace tickwire;

namespace {

const QString FeedExe = QStringLiteral(TICKWIRE_BINARY_DIR "/app/tickwire-feed/tickwire-feed");
const QString FaultScript =
    QStringLiteral(TICKWIRE_TEST_DATA_DIR "/exchanges/binance/session-faults.ndjson");

QStringList liveArguments(const QUrl &webSocket, const QUrl &rest)
{
    return {u"--source"_s,        u"binance"_s,       u"--symbols"_s,
            u"BTC-USDT"_s,        u"--upstream-ws"_s, webSocket.toString(),
            u"--upstream-rest"_s, rest.toString(),    u"--ephemeral"_s};
}

} // namespace

class TestBinanceFeed : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void liveBookThroughTheFeed()
    {
        // The replay server runs on its own thread: FeedProcess::start() blocks this one while
        // the feed fetches exchangeInfo from it.
        testing::ReplayThread replay;
        QString error;
        QVERIFY2(replay.start(QStringLiteral(TICKWIRE_TEST_DATA_DIR
                                             "/exchanges/binance/session-book.ndjson"),
                              &error),
                 qPrintable(error));
        const auto connectionCount = [&] { return replay.connectionCount(); };
        const auto release = [&] { replay.release(); };
        testing::FeedProcess feed(
            QStringLiteral(TICKWIRE_BINARY_DIR "/app/tickwire-feed/tickwire-feed"));
        QVERIFY2(feed.start({u"--source"_s, u"binance"_s, u"--symbols"_s, u"BTC-USDT,ETH-USDT"_s,
                             u"--upstream-ws"_s, replay.webSocketUrl().toString(),
                             u"--upstream-rest"_s, replay.restUrl().toString(), u"--ephemeral"_s,
                             u"--demo-token"_s, u"t0ken"_s}),
                 qPrintable(feed.banner()));

        QWebSocket client;
        protocol::OrderBook book;
        int snapshots = 0, books = 0, mismatches = 0, trades = 0, tickers = 0;
        QStringList tickerSymbols;
        QList<std::int64_t> acks;
        QList<protocol::InstrumentInfo> symbols;
        QStringList errors;
        std::optional<protocol::Welcome> welcome;
        QList<protocol::SourceStatus> statuses;
        QList<protocol::Order> orders;
        connect(&client, &QWebSocket::textMessageReceived, this, [&](const QString &text) {
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
            } else if (const auto *w = std::get_if<protocol::Welcome>(&*r.message)) {
                welcome = *w;
            } else if (const auto *st = std::get_if<protocol::SourceStatus>(&*r.message)) {
                statuses.append(*st);
            } else if (const auto *o = std::get_if<protocol::Order>(&*r.message)) {
                orders.append(*o);
            } else if (const auto *e = std::get_if<protocol::Error>(&*r.message)) {
                errors.append(e->message);
            } else if (std::holds_alternative<protocol::TradesSnapshot>(*r.message)
                       || std::holds_alternative<protocol::Trade>(*r.message)) {
                ++trades;
            } else if (const auto *t = std::get_if<protocol::Ticker>(&*r.message)) {
                ++tickers;
                tickerSymbols.append(t->symbol);
            } else if (const auto *a = std::get_if<protocol::Ack>(&*r.message)) {
                acks.append(a->id);
            }
        });
        QWebSocketHandshakeOptions handshake;
        handshake.setSubprotocols({QString(protocol::JsonSubprotocol)});
        client.open(QNetworkRequest(feed.url(u"t0ken"_s)), handshake);
        QTRY_VERIFY(client.state() == QAbstractSocket::ConnectedState);
        auto send = [&client](const protocol::Message &m) {
            client.sendTextMessage(
                QString::fromUtf8(protocol::encode(m, protocol::Encoding::Json)));
        };
        QTRY_VERIFY(welcome.has_value());
        QCOMPARE(welcome->source, std::optional(u"binance"_s));
        QCOMPARE(welcome->trading, std::optional(u"paper"_s));
        // The source's state follows the welcome; live once every book is in sync.
        QTRY_VERIFY(!statuses.isEmpty());
        QCOMPARE(statuses.first().source, u"binance"_s);
        send(protocol::ListSymbols{1});
        QTRY_COMPARE(symbols.size(), 2);
        QCOMPARE(symbols[0].symbol, u"BTC-USDT"_s); // BTCUSDT normalised from exchangeInfo
        QCOMPARE(symbols[0].tickSize.toString(), u"0.01"_s);
        QCOMPARE(symbols[0].lotSize.toString(), u"0.00001"_s);

        protocol::Subscribe sub;
        sub.id = 2;
        sub.channel = protocol::Channel::Book;
        sub.symbols = {u"BTC-USDT"_s};
        sub.depth = 10;
        send(sub);
        sub.id = 3;
        sub.channel = protocol::Channel::Trades;
        send(sub);
        sub.id = 4;
        sub.channel = protocol::Channel::Ticker;
        sub.symbols = {u"BTC-USDT"_s, u"ETH-USDT"_s};
        send(sub);
        // The book synced from the stale-then-good snapshot and the buffered events.
        QTRY_COMPARE(testing::bookLevels(book),
                     (QStringList{u"b 64000.00:1.00000"_s, u"a 64000.50:0.25000"_s,
                                  u"a 64001.00:3.00000"_s}));
        QTRY_VERIFY(trades >= 1 && tickers >= 1);
        // ETH-USDT has had no ticker from the exchange: subscribed, but nothing to show yet (a
        // ticker of zeros would read as prices).
        QVERIFY(acks.contains(4));
        QVERIFY2(!tickerSymbols.contains(u"ETH-USDT"_s), qPrintable(tickerSymbols.join(u',')));
        QTRY_COMPARE(protocol::toString(statuses.last().state), "live"_L1);
        QVERIFY(statuses.last().lastMessageTs > 0);

        protocol::PlaceOrder order;
        order.id = 5;
        order.clientOrderId = u"c-1"_s;
        order.symbol = u"BTC-USDT"_s;
        order.side = protocol::Side::Buy;
        order.orderType = protocol::OrderType::Market;
        order.qty = *Decimal::parse(QByteArrayView("0.01000"));
        protocol::Subscribe ordersSub;
        ordersSub.id = 6;
        ordersSub.channel = protocol::Channel::Orders;
        send(ordersSub);
        send(order);
        // Paper trading: a market buy fills at the real touch (0.25 @ 64000.50 is visible)...
        QTRY_VERIFY(!orders.isEmpty() && orders.last().status == protocol::OrderStatus::Filled);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
        QCOMPARE(orders.last().avgFillPrice->toString(), u"64000.50"_s);
        QCOMPARE(orders.last().filledQty.toString(), u"0.01000"_s);
        // ...and the real book the clients see is left as it was.
        QCOMPARE(testing::bookLevels(book),
                 (QStringList{u"b 64000.00:1.00000"_s, u"a 64000.50:0.25000"_s,
                              u"a 64001.00:3.00000"_s}));
        // A resting sell at 64001.00 fills when the replayed book's bid moves up to it.
        order.id = 7;
        order.clientOrderId = u"c-2"_s;
        order.side = protocol::Side::Sell;
        order.orderType = protocol::OrderType::Limit;
        order.price = *Decimal::parse(QByteArrayView("64001.00"));
        send(order);
        QTRY_VERIFY(orders.last().clientOrderId == u"c-2"_s);
        QCOMPARE(protocol::toString(orders.last().status), "new"_L1);

        const int snapshotsBefore = snapshots;
        release(); // the gap: a new upstream snapshot, a snapshot:true to the client
        QTRY_VERIFY(snapshots > snapshotsBefore);
        QTRY_COMPARE(testing::bookLevels(book),
                     (QStringList{u"b 64001.00:2.00000"_s, u"a 64003.00:5.00000"_s}));
        // The bid reached the resting sell's price: it filled there, from the visible 2.
        QTRY_COMPARE(protocol::toString(orders.last().status), "filled"_L1);
        QCOMPARE(orders.last().clientOrderId, u"c-2"_s);
        QCOMPARE(orders.last().avgFillPrice->toString(), u"64001.00"_s);
        release(); // ping, serverShutdown, the second connection resyncs
        QTRY_COMPARE(connectionCount(), 2);
        QTRY_COMPARE(testing::bookLevels(book),
                     (QStringList{u"b 64001.50:0.10000"_s, u"b 64001.00:2.00000"_s,
                                  u"a 64003.00:5.00000"_s}));
        QVERIFY(books > snapshots); // diffs, not only snapshots
        QCOMPARE(mismatches, 0); // every checksum verified against the client's own book
    }

    // The upstream link is cut: the source goes down, reconnects, and every client gets a new
    // book from a new REST snapshot (the second one of the script), with checksums intact.
    void upstreamCutRecoversWithFreshSnapshot()
    {
        testing::ReplayThread replay;
        QString error;
        QVERIFY2(replay.start(FaultScript, &error), qPrintable(error));
        testing::FaultProxy proxy(replay.port());
        QVERIFY(proxy.listen());
        testing::FeedProcess feed(FeedExe);
        QVERIFY2(feed.start(liveArguments(proxy.url(), replay.restUrl())),
                 qPrintable(feed.banner()));
        testing::TapProcess tap(feed.url(), u"BTC-USDT"_s);
        QTRY_COMPARE_WITH_TIMEOUT(tap.lastBook(),
                                  u"b 64000.00:1.00000 | a 64400.00:0.20000 a 64500.00:2.00000"_s,
                                  20'000);
        QTRY_VERIFY(tap.stateHistory().endsWith(u"live"_s));
        proxy.cutAll();
        QTRY_COMPARE_WITH_TIMEOUT(tap.lastBook(),
                                  u"b 64100.00:1.00000 | a 64400.00:0.30000 a 64500.00:2.00000"_s,
                                  20'000);
        QTRY_VERIFY(tap.stateHistory().endsWith(u"live down resyncing live"_s)
                    || tap.stateHistory().endsWith(u"live down live"_s));
        QCOMPARE(replay.connectionCount(), 2);
        const QByteArray stats = tap.stop();
        QVERIFY2(stats.contains("checksum_failures=0 crossed=0"), stats.constData());
        QVERIFY2(stats.contains("gaps=0"), stats.constData());
    }

    // The upstream link stalls (open, silent): past --upstream-timeout-ms the source says
    // down, and once the path works again a new connection brings a fresh snapshot.
    void upstreamStallIsDetectedAndRecovers()
    {
        testing::ReplayThread replay;
        QString error;
        QVERIFY2(replay.start(FaultScript, &error), qPrintable(error));
        testing::FaultProxy proxy(replay.port());
        QVERIFY(proxy.listen());
        testing::FeedProcess feed(FeedExe);
        QVERIFY2(feed.start(liveArguments(proxy.url(), replay.restUrl())
                            << u"--upstream-timeout-ms"_s << u"1500"_s),
                 qPrintable(feed.banner()));
        testing::TapProcess tap(feed.url(), u"BTC-USDT"_s);
        QTRY_COMPARE_WITH_TIMEOUT(tap.lastBook(),
                                  u"b 64000.00:1.00000 | a 64400.00:0.20000 a 64500.00:2.00000"_s,
                                  20'000);
        proxy.setMode(testing::FaultProxy::Mode::Stall);
        QTRY_VERIFY_WITH_TIMEOUT(tap.stateHistory().endsWith(u"down"_s), 20'000);
        const int booksWhileDown = int(tap.books.size());
        proxy.setMode(testing::FaultProxy::Mode::Forward);
        QTRY_COMPARE_WITH_TIMEOUT(tap.lastBook(),
                                  u"b 64100.00:1.00000 | a 64400.00:0.30000 a 64500.00:2.00000"_s,
                                  30'000);
        QVERIFY(tap.books.size() > booksWhileDown);
        QTRY_VERIFY(tap.stateHistory().endsWith(u"live"_s));
        const QByteArray stats = tap.stop();
        QVERIFY2(stats.contains("checksum_failures=0 crossed=0"), stats.constData());
    }

    // --record writes what the exchange sent in the replay server's own script format: a
    // recorded session, replayed, gives a second feed the same market.
    void recordingReplaysAsTheSameMarket()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString recording = dir.filePath(u"session.ndjson"_s);
        QString first;
        {
            testing::ReplayThread replay;
            QString error;
            QVERIFY2(replay.start(FaultScript, &error), qPrintable(error));
            testing::FeedProcess feed(FeedExe);
            QVERIFY2(feed.start(liveArguments(replay.webSocketUrl(), replay.restUrl())
                                << u"--record"_s << recording),
                     qPrintable(feed.banner()));
            testing::TapProcess tap(feed.url(), u"BTC-USDT"_s);
            QTRY_COMPARE_WITH_TIMEOUT(
                tap.lastBook(), u"b 64000.00:1.00000 | a 64400.00:0.20000 a 64500.00:2.00000"_s,
                20'000);
            first = tap.lastBook();
        }
        QFile file(recording);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray recorded = file.readAll();
        QVERIFY2(recorded.contains(R"("rest":"/api/v3/exchangeInfo")"),
                 recorded.left(300).constData());
        QVERIFY(recorded.contains(R"("rest":"/api/v3/depth","symbol":"BTCUSDT")"));
        // Frames byte for byte, with a receive time.
        QVERIFY(recorded.contains(
            R"({"ws":1,"send":{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1700000000106,)"));
        QVERIFY(recorded.contains(R"(,"t":)"));

        testing::ReplayThread again;
        QString error;
        QVERIFY2(again.start(recording, &error), qPrintable(error));
        testing::FeedProcess feed(FeedExe);
        QVERIFY2(feed.start(liveArguments(again.webSocketUrl(), again.restUrl())),
                 qPrintable(feed.banner()));
        testing::TapProcess tap(feed.url(), u"BTC-USDT"_s);
        QTRY_COMPARE_WITH_TIMEOUT(tap.lastBook(), first, 20'000);
    }

    // Unusable settings are refused before anything starts, with a clear message.
    void liveOptionsAreChecked_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown source") << QStringList{u"--source"_s, u"nasdaq"_s} << u"--source"_s;
        QTest::newRow("symbols without a live source")
            << QStringList{u"--symbols"_s, u"BTC-USDT"_s} << u"need a live --source"_s;
        QTest::newRow("record without a live source")
            << QStringList{u"--record"_s, u"/tmp/x"_s} << u"need a live --source"_s;
        QTest::newRow("bad timeout")
            << QStringList{u"--source"_s, u"binance"_s, u"--upstream-timeout-ms"_s, u"5"_s}
            << u"--upstream-timeout-ms"_s;
        QTest::newRow("http websocket")
            << QStringList{u"--source"_s, u"binance"_s, u"--upstream-ws"_s, u"http://127.0.0.1:1"_s}
            << u"--upstream-ws"_s;
        QTest::newRow("unwritable recording")
            << QStringList{u"--source"_s, u"binance"_s, u"--record"_s, u"/nonexistent/dir/x"_s}
            << u"cannot write"_s;
    }
    void liveOptionsAreChecked()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        QProcess feed;
        feed.start(FeedExe, arguments << u"--listen"_s << u"127.0.0.1:0"_s);
        QVERIFY(feed.waitForFinished(10'000));
        QCOMPARE(feed.exitCode(), 2);
        const QString err = QString::fromUtf8(feed.readAllStandardError());
        QVERIFY2(err.contains(message), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestBinanceFeed)
#include "tst_binancefeed.moc"
