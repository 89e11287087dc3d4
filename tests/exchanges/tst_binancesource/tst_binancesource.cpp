// BinanceSource against a scripted exchange on loopback (tests/tools ExchangeReplayServer).
#include "booklevels.h"
#include "exchangereplayserver.h"
#include "exchanges/binancesource.h"
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
    return QStringLiteral(TICKWIRE_TEST_DATA_DIR "/exchanges/binance/") + name;
}

} // namespace

class TestBinanceSource : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void symbolsFromExchangeInfo()
    {
        testing::ExchangeReplayServer replay;
        QString error;
        QVERIFY2(replay.load(session(u"session-book.ndjson"_s), &error), qPrintable(error));
        QVERIFY(replay.listen());
        QNetworkAccessManager network;
        QList<binance::SymbolInfo> found;
        bool done = false;
        fetchBinanceSymbols(&network, replay.restUrl(), {u"ETH-USDT"_s, u"BTC-USDT"_s},
                            [&](QList<binance::SymbolInfo> symbols, const QString &e) {
                                found = symbols;
                                error = e;
                                done = true;
                            });
        QTRY_VERIFY(done);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(found.size(), 2);
        QCOMPARE(found[0].exchangeSymbol, u"ETHUSDT"_s); // in the order asked for
        QCOMPARE(found[1].info.lotSize.toString(), u"0.00001"_s);

        done = false;
        fetchBinanceSymbols(&network, replay.restUrl(), {u"OLD-USDT"_s},
                            [&](QList<binance::SymbolInfo>, const QString &e) {
                                error = e;
                                done = true;
                            });
        QTRY_VERIFY(done);
        QVERIFY2(error.contains(u"OLD-USDT"_s), qPrintable(error)); // not TRADING
    }

    // The whole documented procedure over the network: stale snapshot fetched again, the
    // buffered events up to lastUpdateId dropped, a gap resynced with a new snapshot, a ping
    // answered with its payload, serverShutdown followed by a new connection that resyncs.
    void bookProcedureOverTheNetwork()
    {
        testing::ExchangeReplayServer replay;
        QString error;
        QVERIFY2(replay.load(session(u"session-book.ndjson"_s), &error), qPrintable(error));
        QVERIFY(replay.listen());
        QNetworkAccessManager network;
        QList<binance::SymbolInfo> symbols;
        fetchBinanceSymbols(&network, replay.restUrl(), {u"BTC-USDT"_s, u"ETH-USDT"_s},
                            [&](QList<binance::SymbolInfo> s, const QString &) { symbols = s; });
        QTRY_COMPARE(symbols.size(), 2);

        BinanceOptions options;
        options.webSocketBase = replay.webSocketUrl();
        options.restBase = replay.restUrl();
        options.symbols = symbols;
        BinanceSource source(options);
        QVERIFY(source.configurationError().isEmpty());
        protocol::OrderBook btc;
        int btcSnapshots = 0;
        connect(&source, &MarketSource::bookReceived, this, [&](const protocol::Book &book) {
            if (book.symbol != u"BTC-USDT"_s)
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
        QSignalSpy pongs(&replay, &testing::ExchangeReplayServer::pongReceived);
        source.start();

        QTRY_COMPARE(replay.connectionCount(), 1);
        QVERIFY(replay.webSocketRequests()[0].startsWith(
            u"/stream?streams=btcusdt@ticker/btcusdt@trade/btcusdt@depth@100ms/"_s));
        // Stale first snapshot (95 < U 101) -> a second request -> synced at 104, 101..103
        // dropped, 104..106 straddles, 107..108 removes 63999.50.
        QTRY_VERIFY(source.status().state == SourceState::Live);
        QCOMPARE(replay.restRequests().count(u"/api/v3/depth?symbol=BTCUSDT&limit=1000"_s), 2);
        QCOMPARE(testing::bookLevels(btc), (QStringList{u"b 64000.00:1.00000"_s, u"a 64000.50:0.25000"_s,
                                             u"a 64001.00:3.00000"_s}));
        QCOMPARE(btcSnapshots, 1);
        QTRY_COMPARE(trades.size(), 1);
        QCOMPARE(trades[0][0].value<protocol::Trade>().price.toString(), u"64000.50"_s);
        QTRY_COMPARE(tickers.size(), 1);
        QTRY_COMPARE(candles.size(), 1);

        replay.release();
        // 107..108 again: ignored; 115 after 108: gap -> snapshot 116 -> 115..118 applies.
        QTRY_COMPARE(btcSnapshots, 2);
        QTRY_COMPARE(testing::bookLevels(btc),
                     (QStringList{u"b 64001.00:2.00000"_s, u"a 64003.00:5.00000"_s}));
        QCOMPARE(replay.restRequests().count(u"/api/v3/depth?symbol=BTCUSDT&limit=1000"_s), 3);
        replay.release();
        QTRY_VERIFY(pongs.size() == 1);
        QCOMPARE(pongs[0][0].toByteArray(), QByteArray("tickwire-ping")); // payload echoed
        // serverShutdown -> a new connection at once, whose events resync every book.
        QTRY_COMPARE(replay.connectionCount(), 2);
        QTRY_COMPARE(testing::bookLevels(btc), (QStringList{u"b 64001.50:0.10000"_s, u"b 64001.00:2.00000"_s,
                                                 u"a 64003.00:5.00000"_s}));
        QCOMPARE(btcSnapshots, 3); // the first sync, the gap, the reconnect
        QCOMPARE(replay.restRequests().count(u"/api/v3/depth?symbol=BTCUSDT&limit=1000"_s), 4);
        QTRY_VERIFY(source.status().state == SourceState::Live);
        QCOMPARE(source.status().reconnects, 1);
    }

    void tooManyStreamsForOneConnection()
    {
        BinanceOptions options;
        for (int i = 0; i < 129; ++i) { // 129 symbols x 8 streams > 1024
            binance::SymbolInfo s;
            s.exchangeSymbol = u"S%1USDT"_s.arg(i);
            s.info.symbol = u"S%1-USDT"_s.arg(i);
            options.symbols.append(s);
        }
        BinanceSource source(options);
        QVERIFY(source.configurationError().contains(u"1024"_s));
    }
};

QTEST_GUILESS_MAIN(TestBinanceSource)
#include "tst_binancesource.moc"
