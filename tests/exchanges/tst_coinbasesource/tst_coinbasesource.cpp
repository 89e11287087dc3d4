// CoinbaseSource against a scripted exchange on loopback (tests/tools ExchangeReplayServer).
#include "booklevels.h"
#include "exchangereplayserver.h"
#include "exchanges/coinbasesource.h"
#include "exchanges/livesource.h"
#include "protocol/orderbook.h"

#include <QtNetwork/QNetworkAccessManager>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::exchanges;

namespace {

QString session(const QString &name)
{
    return QStringLiteral(TICKWIRE_TEST_DATA_DIR "/exchanges/coinbase/") + name;
}

} // namespace

class TestCoinbaseSource : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void productsFromTheRestApi()
    {
        testing::ExchangeReplayServer replay;
        QString error;
        QVERIFY2(replay.load(session(u"session-source.ndjson"_s), &error), qPrintable(error));
        QVERIFY(replay.listen());
        QNetworkAccessManager network;
        QList<coinbase::ProductInfo> found;
        bool done = false;
        fetchCoinbaseProducts(&network, replay.restUrl(), {u"ETH-USD"_s, u"BTC-USD"_s},
                              [&](QList<coinbase::ProductInfo> products, const QString &e) {
                                  found = products;
                                  error = e;
                                  done = true;
                              });
        QTRY_VERIFY(done);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(replay.restRequests().value(0),
                 u"/api/v3/brokerage/market/products?product_ids=ETH-USD&product_ids=BTC-USD"_s);
        QCOMPARE(found.size(), 2);
        QCOMPARE(found[0].productId, u"ETH-USD"_s); // in the order asked for
        QCOMPARE(found[1].info.tickSize.toString(), u"0.01"_s);
        QCOMPARE(found[1].info.lotSize.toString(), u"0.00000001"_s);

        done = false;
        fetchCoinbaseProducts(&network, replay.restUrl(), {u"OLD-USD"_s},
                              [&](QList<coinbase::ProductInfo>, const QString &e) {
                                  error = e;
                                  done = true;
                              });
        QTRY_VERIFY(done);
        QVERIFY2(error.contains(u"OLD-USD"_s), qPrintable(error)); // delisted
    }

    void registeredAsALiveExchange()
    {
        QVERIFY(liveExchanges().contains(u"coinbase"_s));
        QCOMPARE(defaultSymbols(u"coinbase").value(0), u"BTC-USD"_s);
        QCOMPARE(defaultWebSocketBase(u"coinbase"),
                 QUrl(u"wss://advanced-trade-ws.coinbase.com"_s));
        QCOMPARE(defaultRestBase(u"coinbase"), QUrl(u"https://api.coinbase.com"_s));
    }

    // The whole session over the network: subscribes, an update before the snapshot
    // (resubscribe), trades put in order and candles built from them, a sequence_num gap
    // (every book resubscribed), heartbeats that stop (a new connection that resyncs).
    void sessionOverTheNetwork()
    {
        testing::ExchangeReplayServer replay;
        QString error;
        QVERIFY2(replay.load(session(u"session-source.ndjson"_s), &error), qPrintable(error));
        QVERIFY(replay.listen());
        QNetworkAccessManager network;
        QList<coinbase::ProductInfo> products;
        fetchCoinbaseProducts(
            &network, replay.restUrl(), {u"BTC-USD"_s, u"ETH-USD"_s},
            [&](QList<coinbase::ProductInfo> p, const QString &) { products = p; });
        QTRY_COMPARE(products.size(), 2);

        CoinbaseOptions options;
        options.webSocketBase = replay.webSocketUrl();
        options.restBase = replay.restUrl();
        options.products = products;
        options.heartbeatTimeoutMs = 2000;
        CoinbaseSource source(options);
        QVERIFY(source.configurationError().isEmpty());
        protocol::OrderBook btc;
        int btcSnapshots = 0;
        connect(&source, &MarketSource::bookReceived, this, [&](const protocol::Book &book) {
            if (book.symbol != u"BTC-USD"_s)
                return;
            if (book.snapshot) {
                ++btcSnapshots;
                btc.clear();
            }
            QVERIFY(book.seq == 0 && book.checksum == 0); // the engine's to stamp
            QVERIFY(btc.apply(book));
            QVERIFY(!btc.isCrossed());
        });
        QSignalSpy trades(&source, &MarketSource::tradeReceived);
        QSignalSpy tickers(&source, &MarketSource::tickerReceived);
        QSignalSpy candles(&source, &MarketSource::candleReceived);
        QStringList states; // as text: QTest cannot print a SourceState
        connect(&source, &MarketSource::statusChanged, this,
                [&](const SourceStatus &s) { states.append(toString(s.state)); });
        source.start();

        QTRY_COMPARE(replay.connectionCount(), 1);
        QTRY_VERIFY(source.status().state == SourceState::Live);
        const QStringList sent = replay.receivedMessages(1);
        QCOMPARE(
            sent.mid(0, 5),
            (QStringList{
                uR"({"type":"subscribe","channel":"heartbeats"})"_s,
                uR"({"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channel":"level2"})"_s,
                uR"({"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channel":"market_trades"})"_s,
                uR"({"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channel":"ticker"})"_s,
                uR"({"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channel":"candles"})"_s}));
        // The update before the snapshot: BTC-USD alone resubscribed.
        QCOMPARE(sent.mid(5),
                 (QStringList{
                     uR"({"type":"unsubscribe","product_ids":["BTC-USD"],"channel":"level2"})"_s,
                     uR"({"type":"subscribe","product_ids":["BTC-USD"],"channel":"level2"})"_s}));
        QCOMPARE(states, (QStringList{u"resyncing"_s, u"live"_s}));
        QTRY_COMPARE(testing::bookLevels(btc),
                     (QStringList{u"b 64000.00:1.00000000"_s, u"a 64000.50:0.25000000"_s,
                                  u"a 64001.00:3.00000000"_s}));
        QCOMPARE(btcSnapshots, 1);
        QTRY_COMPARE(trades.size(), 2);
        const auto first = trades[0][0].value<protocol::Trade>();
        QCOMPARE(first.tradeId, 101); // oldest first although Coinbase listed it second
        QVERIFY(first.side == protocol::Side::Sell); // the maker bought
        QCOMPARE(trades[1][0].value<protocol::Trade>().price.toString(), u"64000.50"_s);
        QTRY_COMPARE(tickers.size(), 1);
        const auto ticker = tickers[0][0].value<protocol::Ticker>();
        QCOMPARE(ticker.last.toString(), u"64000.50"_s);
        QCOMPARE(ticker.open24h.toString(), u"63682.09"_s); // 64000.50 / 1.005
        // 4 trade-built intervals x 2 trades, then the 5-minute candle from the channel.
        QTRY_COMPARE(candles.size(), 9);
        QList<protocol::CandleInterval> intervals;
        for (const auto &c : candles)
            intervals.append(c[0].value<protocol::Candle>().interval);
        QCOMPARE(intervals.count(protocol::CandleInterval::M5), 1);
        QCOMPARE(intervals.count(protocol::CandleInterval::S1), 2);
        const auto minute = candles[5][0].value<protocol::Candle>(); // second trade, 1 minute
        QVERIFY(minute.interval == protocol::CandleInterval::M1);
        QCOMPARE(minute.t, 1714564800000);
        QCOMPARE(minute.o.toString(), u"64000.00"_s);
        QCOMPARE(minute.c.toString(), u"64000.50"_s);
        QCOMPARE(minute.v.toString(), u"0.03000000"_s);
        const auto fiveMinutes = candles[8][0].value<protocol::Candle>();
        QVERIFY(fiveMinutes.interval == protocol::CandleInterval::M5);
        QCOMPARE(fiveMinutes.v.toString(), u"3.50000000"_s);

        replay.release();
        // sequence_num 13 after 10: both books resubscribed in one pair of messages, the old
        // subscription's update dropped, new snapshots.
        QTRY_COMPARE(btcSnapshots, 2);
        QTRY_COMPARE(testing::bookLevels(btc),
                     (QStringList{u"b 64001.00:2.00000000"_s, u"a 64003.00:5.00000000"_s}));
        QCOMPARE(
            replay.receivedMessages(1).mid(7),
            (QStringList{
                uR"({"type":"unsubscribe","product_ids":["BTC-USD","ETH-USD"],"channel":"level2"})"_s,
                uR"({"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channel":"level2"})"_s}));
        QTRY_VERIFY(source.status().state == SourceState::Live);
        QCOMPARE(replay.connectionCount(), 1);

        states.clear();
        replay.release(); // no more heartbeats: after 2 s the connection is dead
        QTRY_COMPARE_WITH_TIMEOUT(replay.connectionCount(), 2, 10'000);
        QTRY_COMPARE(testing::bookLevels(btc),
                     (QStringList{u"b 64001.50:0.10000000"_s, u"b 64001.00:2.00000000"_s,
                                  u"a 64003.00:5.00000000"_s}));
        QCOMPARE(btcSnapshots, 3); // the first sync, the gap, the reconnect
        QTRY_VERIFY(source.status().state == SourceState::Live);
        QCOMPARE(states.value(0), u"down"_s);
        QCOMPARE(source.status().reconnects, 1);
        QCOMPARE(replay.receivedMessages(2).size(), 5); // subscribed afresh
    }

    void noProductsIsAConfigurationError()
    {
        CoinbaseSource source(CoinbaseOptions{});
        QVERIFY(!source.configurationError().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCoinbaseSource)
#include "tst_coinbasesource.moc"
