// Binance decoders against Binance's own documented examples (tests/data/exchanges/binance).
#include "exchanges/binancemessages.h"

#include <QtCore/QFile>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::exchanges::binance;

namespace {

QByteArray fixture(const QString &name)
{
    QFile file(QStringLiteral(TICKWIRE_TEST_DATA_DIR "/exchanges/binance/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open fixture %s", qPrintable(name));
    return file.readAll();
}

QList<QByteArray> documentedStreams()
{
    QList<QByteArray> lines = fixture(u"documented-streams.ndjson"_s).split('\n');
    lines.removeAll(QByteArray());
    return lines;
}

Decimal dec(const char *text)
{
    return *Decimal::parse(QByteArrayView(text));
}

protocol::InstrumentInfo bnbBtc()
{
    protocol::InstrumentInfo info;
    info.symbol = u"BNB-BTC"_s;
    info.tickSize = dec("0.0001");
    info.lotSize = dec("1");
    return info;
}

} // namespace

class TestBinanceMessages : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void documentedTrade()
    {
        const StreamResult r = parseStreamMessage(documentedStreams().at(0));
        QVERIFY2(r.ok(), qPrintable(r.error));
        const auto &e = std::get<TradeEvent>(*r.event);
        QCOMPARE(e.symbol, u"BNBBTC"_s);
        QCOMPARE(e.tradeId, 12345);
        QCOMPARE(e.tradeTime, 1672515782136);
        QCOMPARE(e.price, u"0.001"_s);
        QCOMPARE(e.qty, u"100"_s);
        QVERIFY(e.buyerIsMaker);
        const auto trade = toTrade(e, bnbBtc());
        QVERIFY(trade);
        QCOMPARE(trade->symbol, u"BNB-BTC"_s);
        QCOMPARE(trade->price.toString(), u"0.0010"_s); // at the tick's scale
        QCOMPARE(trade->qty.toString(), u"100"_s);
        QVERIFY(trade->side == protocol::Side::Sell); // the buyer made: the seller took
        QCOMPARE(trade->seq, 0); // the engine sequences
    }

    void documentedKline()
    {
        const StreamResult r = parseStreamMessage(documentedStreams().at(1));
        QVERIFY2(r.ok(), qPrintable(r.error));
        const auto &e = std::get<KlineEvent>(*r.event);
        QCOMPARE(e.interval, u"1m"_s);
        QCOMPARE(e.start, 1672515780000);
        QVERIFY(!e.closed);
        const auto candle = toCandle(e, bnbBtc());
        QVERIFY(candle);
        QVERIFY(candle->interval == protocol::CandleInterval::M1);
        QCOMPARE(candle->o.toString(), u"0.0010"_s);
        QCOMPARE(candle->h.toString(), u"0.0025"_s);
        QCOMPARE(candle->l.toString(), u"0.0015"_s);
        QCOMPARE(candle->c.toString(), u"0.0020"_s);
        QCOMPARE(candle->v.toString(), u"1000"_s);
    }

    void documentedTicker()
    {
        const StreamResult r = parseStreamMessage(documentedStreams().at(2));
        QVERIFY2(r.ok(), qPrintable(r.error));
        const auto ticker = toTicker(std::get<TickerEvent>(*r.event), bnbBtc());
        QVERIFY(ticker);
        QCOMPARE(ticker->ts, 1672515782136);
        QCOMPARE(ticker->last.toString(), u"0.0025"_s);
        QCOMPARE(ticker->bid.toString(), u"0.0024"_s);
        QCOMPARE(ticker->bidSize.toString(), u"10"_s);
        QCOMPARE(ticker->ask.toString(), u"0.0026"_s);
        QCOMPARE(ticker->askSize.toString(), u"100"_s);
        QCOMPARE(ticker->open24h.toString(), u"0.0010"_s);
        QCOMPARE(ticker->high24h.toString(), u"0.0025"_s);
        QCOMPARE(ticker->low24h.toString(), u"0.0010"_s);
        QCOMPARE(ticker->volume24h.toString(), u"10000"_s);
    }

    void documentedDepthUpdate()
    {
        const StreamResult r = parseStreamMessage(documentedStreams().at(3));
        QVERIFY2(r.ok(), qPrintable(r.error));
        const auto &e = std::get<DepthUpdate>(*r.event);
        QCOMPARE(e.firstUpdateId, 157);
        QCOMPARE(e.finalUpdateId, 160);
        QCOMPARE(e.bids, (QList<RawLevel>{{u"0.0024"_s, u"10"_s}}));
        QCOMPARE(e.asks, (QList<RawLevel>{{u"0.0026"_s, u"100"_s}}));
    }

    void documentedServerShutdown()
    {
        const StreamResult r = parseStreamMessage(documentedStreams().at(4));
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(std::get<ServerShutdown>(*r.event).eventTime, 1770123456789);
    }

    void unusedStreamIsUnhandled()
    {
        const StreamResult r = parseStreamMessage(documentedStreams().at(5));
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(std::get<Unhandled>(*r.event).stream, u"bnbbtc@aggTrade"_s);
    }

    void documentedDepthSnapshot()
    {
        const DepthSnapshotResult r = parseDepthSnapshot(fixture(u"documented-depth.json"_s));
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.snapshot.lastUpdateId, 1027024);
        QCOMPARE(r.snapshot.bids, (QList<RawLevel>{{u"4.00000000"_s, u"431.00000000"_s}}));
        QCOMPARE(r.snapshot.asks, (QList<RawLevel>{{u"4.00000200"_s, u"12.00000000"_s}}));
        protocol::InstrumentInfo info;
        info.tickSize = dec("0.000001");
        info.lotSize = dec("0.001");
        const auto asks = toLevels(r.snapshot.asks, info);
        QVERIFY(asks);
        QCOMPARE(asks->at(0).price.toString(), u"4.000002"_s);
        QCOMPARE(asks->at(0).qty.toString(), u"12.000"_s);
        info.tickSize = dec("0.00001"); // 4.000002 is not on this grid: refused, never rounded
        QVERIFY(!toLevels(r.snapshot.asks, info));
    }

    void documentedExchangeInfo()
    {
        const ExchangeInfoResult r = parseExchangeInfo(fixture(u"documented-exchangeinfo.json"_s));
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.symbols.size(), 1);
        QCOMPARE(r.symbols[0].exchangeSymbol, u"ETHBTC"_s);
        QCOMPARE(r.symbols[0].info.symbol, u"ETH-BTC"_s);
        QCOMPARE(r.symbols[0].info.base, u"ETH"_s);
        QCOMPARE(r.symbols[0].info.quote, u"BTC"_s);
        QCOMPARE(r.symbols[0].info.tickSize.toString(), u"0.000001"_s);
        QCOMPARE(r.symbols[0].info.lotSize.toString(), u"0.001"_s);
    }

    void largeIdsStayExact()
    {
        // Above 2^53 a double would change the value.
        const StreamResult r = parseStreamMessage(
            R"({"stream":"x@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"X","U":9007199254740993,"u":9007199254740995,"b":[],"a":[]}})");
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(std::get<DepthUpdate>(*r.event).firstUpdateId, 9007199254740993LL);
        QCOMPARE(std::get<DepthUpdate>(*r.event).finalUpdateId, 9007199254740995LL);
    }

    void badInput_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");
        QTest::newRow("not json") << QByteArray("{") << u"malformed JSON"_s;
        QTest::newRow("no envelope") << QByteArray(R"({"e":"trade"})") << u"\"stream\""_s;
        QTest::newRow("price as number") << QByteArray(
            R"({"stream":"s","data":{"e":"trade","E":1,"s":"X","t":1,"p":0.001,"q":"1","T":1,"m":true}})")
                                         << u"\"p\" is not a string"_s;
        QTest::newRow("U after u") << QByteArray(
            R"({"stream":"s","data":{"e":"depthUpdate","E":1,"s":"X","U":5,"u":4,"b":[],"a":[]}})")
                                   << u"U > u"_s;
        QTest::newRow("level not strings") << QByteArray(
            R"({"stream":"s","data":{"e":"depthUpdate","E":1,"s":"X","U":1,"u":1,"b":[[1,2]],"a":[]}})")
                                           << u"[price, qty]"_s;
    }

    void badInput()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        const StreamResult r = parseStreamMessage(json);
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(error), qPrintable(r.error));
    }

    void offGridRefused()
    {
        TradeEvent e;
        e.price = u"0.00015"_s; // finer than the tick
        e.qty = u"1"_s;
        QVERIFY(!toTrade(e, bnbBtc()));
        e.price = u"0.0001"_s;
        e.qty = u"1.5"_s; // finer than the lot
        QVERIFY(!toTrade(e, bnbBtc()));
        e.qty = u"1e3"_s; // exponent: not a decimal string
        QVERIFY(!toTrade(e, bnbBtc()));
    }

    void streamNamesPerSymbol()
    {
        QCOMPARE(streamNames(u"BTCUSDT"_s),
                 (QStringList{u"btcusdt@ticker"_s, u"btcusdt@trade"_s, u"btcusdt@depth@100ms"_s,
                              u"btcusdt@kline_1s"_s, u"btcusdt@kline_1m"_s, u"btcusdt@kline_5m"_s,
                              u"btcusdt@kline_15m"_s, u"btcusdt@kline_1h"_s}));
    }
};

QTEST_GUILESS_MAIN(TestBinanceMessages)
#include "tst_binancemessages.moc"
