// End to end: tickwire-feed --source binance against a scripted exchange on loopback, read by a
// tickwire/1 client that verifies every book checksum.
#include "booklevels.h"
#include "exchangereplayserver.h"
#include "feedprocess.h"
#include "protocol/codec.h"
#include "protocol/orderbook.h"

#include <QtCore/QScopeGuard>
#include <QtCore/QThread>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketHandshakeOptions>

using namespace Qt::StringLiterals;
using namespace tickwire;

class TestBinanceFeed : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void liveBookThroughTheFeed()
    {
        // The replay server runs on its own thread: FeedProcess::start() blocks this one while
        // the feed fetches exchangeInfo from it.
        auto *replayPtr = new testing::ExchangeReplayServer;
        testing::ExchangeReplayServer &replay = *replayPtr;
        QString error;
        QVERIFY2(replay.load(QStringLiteral(TICKWIRE_TEST_DATA_DIR
                                            "/exchanges/binance/session-book.ndjson"),
                             &error),
                 qPrintable(error));
        QThread thread;
        replay.moveToThread(&thread);
        connect(&thread, &QThread::finished, replayPtr, &QObject::deleteLater);
        thread.start();
        const auto stopThread = qScopeGuard([&thread] {
            thread.quit();
            thread.wait();
        });
        bool listening = false;
        QMetaObject::invokeMethod(
            replayPtr, [&] { listening = replay.listen(); }, Qt::BlockingQueuedConnection);
        QVERIFY(listening);
        const auto connectionCount = [&] {
            int n = 0;
            QMetaObject::invokeMethod(
                replayPtr, [&] { n = replay.connectionCount(); }, Qt::BlockingQueuedConnection);
            return n;
        };
        const auto release = [&] {
            QMetaObject::invokeMethod(
                replayPtr, [&] { replay.release(); }, Qt::QueuedConnection);
        };
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
            } else if (std::holds_alternative<protocol::Ticker>(*r.message)) {
                ++tickers;
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
        send(sub);
        // The book synced from the stale-then-good snapshot and the buffered events.
        QTRY_COMPARE(testing::bookLevels(book), (QStringList{u"b 64000.00:1.00000"_s, u"a 64000.50:0.25000"_s,
                                                  u"a 64001.00:3.00000"_s}));
        QTRY_VERIFY(trades >= 1 && tickers >= 1);
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
        QCOMPARE(testing::bookLevels(book), (QStringList{u"b 64000.00:1.00000"_s, u"a 64000.50:0.25000"_s,
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
        QTRY_COMPARE(testing::bookLevels(book), (QStringList{u"b 64001.50:0.10000"_s, u"b 64001.00:2.00000"_s,
                                                  u"a 64003.00:5.00000"_s}));
        QVERIFY(books > snapshots); // diffs, not only snapshots
        QCOMPARE(mismatches, 0); // every checksum verified against the client's own book
    }
};

QTEST_GUILESS_MAIN(TestBinanceFeed)
#include "tst_binancefeed.moc"
