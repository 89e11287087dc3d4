// Coinbase Advanced Trade decoders against Coinbase's own documented examples
// (tests/data/exchanges/coinbase).
#include "exchanges/coinbasemessages.h"

#include <QtCore/QFile>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::exchanges::coinbase;

namespace {

QByteArray fixture(const QString &name)
{
    QFile file(QStringLiteral(TICKWIRE_TEST_DATA_DIR "/exchanges/coinbase/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open fixture %s", qPrintable(name));
    return file.readAll();
}

QList<QByteArray> documentedChannels()
{
    QList<QByteArray> lines = fixture(u"documented-channels.ndjson"_s).split('\n');
    lines.removeAll(QByteArray());
    return lines;
}

Decimal dec(const char *text)
{
    return *Decimal::parse(QByteArrayView(text));
}

protocol::InstrumentInfo instrument(const char *symbol, const char *tick, const char *lot)
{
    protocol::InstrumentInfo info;
    info.symbol = QString::fromLatin1(symbol);
    info.tickSize = dec(tick);
    info.lotSize = dec(lot);
    return info;
}

Message parsed(const QByteArray &json)
{
    const MessageResult r = parseMessage(json);
    if (!r.ok())
        qFatal("decode failed: %s", qPrintable(r.error));
    return *r.message;
}

} // namespace

class TestCoinbaseMessages : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void documentedHeartbeat()
    {
        const Message m = parsed(documentedChannels().at(0));
        QCOMPARE(m.channel, u"heartbeats"_s);
        QCOMPARE(m.sequenceNum, std::optional<std::int64_t>(0));
        QCOMPARE(std::get<HeartbeatMessage>(m.payload).counter, 3049); // a string in the docs
        // Coinbase's AsyncAPI notes the production feed sends it as an integer: both are read.
        const Message n = parsed(
            R"({"channel":"heartbeats","timestamp":"2023-06-23T20:31:26Z","sequence_num":7,"events":[{"current_time":"x","heartbeat_counter":3050}]})");
        QCOMPARE(std::get<HeartbeatMessage>(n.payload).counter, 3050);
    }

    void documentedCandles()
    {
        const Message m = parsed(documentedChannels().at(1));
        QCOMPARE(m.timestampMs, 1686341975396); // 2023-06-09T20:19:35.396Z
        const auto &candles = std::get<CandlesMessage>(m.payload).candles;
        QCOMPARE(candles.size(), 1);
        QCOMPARE(candles[0].productId, u"ETH-USD"_s);
        QCOMPARE(candles[0].startMs, 1688998200000);
        const auto candle = toCandle(candles[0], instrument("ETH-USD", "0.01", "0.00000001"));
        QVERIFY(candle);
        QVERIFY(candle->interval == protocol::CandleInterval::M5);
        QCOMPARE(candle->symbol, u"ETH-USD"_s);
        QCOMPARE(candle->t, 1688998200000);
        QCOMPARE(candle->o.toString(), u"1867.38"_s);
        QCOMPARE(candle->h.toString(), u"1867.72"_s);
        QCOMPARE(candle->l.toString(), u"1865.63"_s);
        QCOMPARE(candle->c.toString(), u"1866.81"_s);
        QCOMPARE(candle->v.toString(), u"0.20269406"_s);
        QVERIFY(!candle->closed); // a later start closes it
    }

    void documentedMarketTrades()
    {
        const Message m = parsed(documentedChannels().at(2));
        const auto &trades = std::get<TradesMessage>(m.payload).trades;
        QCOMPARE(trades.size(), 1);
        QCOMPARE(trades[0].tradeId, 0); // "000000000"
        QCOMPARE(trades[0].timeMs, 1565815347265); // 2019-08-14T20:42:27.265Z
        QVERIFY(trades[0].makerBuy);
        const auto trade = toTrade(trades[0], instrument("ETH-USD", "0.01", "0.00000001"));
        QVERIFY(trade);
        QCOMPARE(trade->price.toString(), u"1260.01"_s);
        QCOMPARE(trade->qty.toString(), u"0.30000000"_s); // at the lot's scale
        QVERIFY(trade->side == protocol::Side::Sell); // the maker bought: the seller took
        QCOMPARE(trade->seq, 0); // the engine sequences
    }

    void documentedStatusIsUnhandled()
    {
        const Message m = parsed(documentedChannels().at(3));
        QCOMPARE(std::get<Unhandled>(m.payload).channel, u"status"_s);
    }

    void documentedTicker()
    {
        const Message m = parsed(documentedChannels().at(4));
        const auto &tickers = std::get<TickerMessage>(m.payload).tickers;
        QCOMPARE(tickers.size(), 1);
        const auto ticker =
            toTicker(tickers[0], m.timestampMs, instrument("BTC-USD", "0.01", "0.00000001"));
        QVERIFY(ticker);
        QCOMPARE(ticker->ts, 1675974637167);
        QCOMPARE(ticker->last.toString(), u"21932.98"_s);
        QCOMPARE(ticker->bid.toString(), u"21931.98"_s);
        QCOMPARE(ticker->bidSize.toString(), u"8000.21000000"_s);
        QCOMPARE(ticker->ask.toString(), u"21933.98"_s);
        QCOMPARE(ticker->askSize.toString(), u"8038.07770938"_s);
        QCOMPARE(ticker->high24h.toString(), u"23011.18"_s);
        QCOMPARE(ticker->low24h.toString(), u"21835.29"_s);
        QCOMPARE(ticker->volume24h.toString(), u"16038.28770938"_s);
        // 21932.98 * 100 / (100 - 4.15775596) = 22884.4599995, to the tick
        QCOMPARE(ticker->open24h.toString(), u"22884.46"_s);
    }

    void tickerOpenOnACoarseTick()
    {
        TickerItem t;
        t.productId = u"X-USD"_s;
        t.price = u"105.0"_s;
        t.percentChange24h = u"5"_s;
        t.bestBid = t.bestAsk = t.high24h = t.low24h = u"105.0"_s;
        t.bestBidQty = t.bestAskQty = t.volume24h = u"1"_s;
        const auto ticker = toTicker(t, 0, instrument("X-USD", "0.5", "1"));
        QVERIFY(ticker);
        QCOMPARE(ticker->open24h.toString(), u"100.0"_s); // on the 0.5 grid
        t.percentChange24h = u""_s; // illiquid products can send no percent: no open, no ticker
        QVERIFY(!toTicker(t, 0, instrument("X-USD", "0.5", "1")));
        t.percentChange24h = u"-100"_s;
        QVERIFY(!toTicker(t, 0, instrument("X-USD", "0.5", "1")));
    }

    void documentedLevel2()
    {
        const Message m = parsed(documentedChannels().at(5));
        QCOMPARE(m.channel, u"l2_data"_s);
        const auto &events = std::get<BookMessage>(m.payload).events;
        QCOMPARE(events.size(), 1);
        QVERIFY(events[0].snapshot);
        QCOMPARE(events[0].productId, u"BTC-USD"_s);
        QCOMPARE(events[0].updates,
                 (QList<LevelUpdate>{{BookSide::Bid, u"21921.73"_s, u"0.06317902"_s},
                                     {BookSide::Bid, u"21921.3"_s, u"0.02"_s}}));
        const auto levels =
            toLevels(events[0].updates, instrument("BTC-USD", "0.01", "0.00000001"));
        QVERIFY(levels);
        QCOMPARE(levels->bids.size(), 2);
        QVERIFY(levels->asks.isEmpty());
        QCOMPARE(levels->bids[1].price.toString(), u"21921.30"_s); // at the tick's scale
        QCOMPARE(levels->bids[1].qty.toString(), u"0.02000000"_s);
        // 21921.73 is not on a 0.1 grid: refused, never rounded.
        QVERIFY(!toLevels(events[0].updates, instrument("BTC-USD", "0.1", "0.00000001")));
    }

    void offerAndAskSides()
    {
        const Message m = parsed(
            R"({"channel":"l2_data","timestamp":"2023-02-09T20:32:50Z","sequence_num":3,"events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"offer","event_time":"2023-02-09T20:32:50Z","price_level":"21922.00","new_quantity":"1.5"},{"side":"ask","event_time":"2023-02-09T20:32:50Z","price_level":"21923.00","new_quantity":"0"}]}]})");
        const auto &event = std::get<BookMessage>(m.payload).events.at(0);
        QVERIFY(!event.snapshot);
        const auto levels = toLevels(event.updates, instrument("BTC-USD", "0.01", "0.00000001"));
        QVERIFY(levels);
        QVERIFY(levels->bids.isEmpty());
        QCOMPARE(levels->asks.size(), 2);
        QCOMPARE(levels->asks[1].qty.toString(), u"0.00000000"_s); // removes the level
    }

    void documentedProducts()
    {
        const ProductsResult r = parseProducts(fixture(u"documented-products.json"_s));
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.products.size(), 2); // not the delisted one, not the future
        QCOMPARE(r.products[0].productId, u"BTC-USD"_s);
        QCOMPARE(r.products[0].info.symbol, u"BTC-USD"_s);
        QCOMPARE(r.products[0].info.base, u"BTC"_s);
        QCOMPARE(r.products[0].info.quote, u"USD"_s);
        QCOMPARE(r.products[0].info.tickSize.toString(), u"0.01"_s);
        QCOMPARE(r.products[0].info.lotSize.toString(), u"0.00000001"_s);
        QCOMPARE(r.products[1].info.symbol, u"SHIB-USD"_s);
        QCOMPARE(r.products[1].info.tickSize.toString(), u"0.00000001"_s);
        QCOMPARE(r.products[1].info.lotSize.toString(), u"1"_s);
    }

    void productWithoutIncrementsIsAnError()
    {
        const ProductsResult r = parseProducts(
            R"({"products":[{"product_id":"BTC-USD","status":"online","trading_disabled":false,"quote_increment":"0.01","base_increment":""}]})");
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(u"BTC-USD"_s) && r.error.contains(u"base_increment"_s),
                 qPrintable(r.error));
        QVERIFY(!parseProducts(R"({"data":[]})").ok());
    }

    void largeSequenceStaysExact()
    {
        const Message m = parsed(
            R"({"channel":"subscriptions","timestamp":"2023-02-09T20:32:50Z","sequence_num":9007199254740993,"events":[{"subscriptions":{"level2":["BTC-USD"]}}]})");
        QCOMPARE(*m.sequenceNum, 9007199254740993LL);
        QVERIFY(std::holds_alternative<SubscriptionsMessage>(m.payload));
    }

    void errorMessage()
    {
        const MessageResult r =
            parseMessage(R"({"type":"error","message":"failure to subscribe"})");
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(std::get<ErrorMessage>(r.message->payload).message, u"failure to subscribe"_s);
        QVERIFY(!r.message->sequenceNum);
    }

    void badInput_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");
        QTest::newRow("not json") << QByteArray("{") << u"malformed JSON"_s;
        QTest::newRow("no channel")
            << QByteArray(R"({"sequence_num":1,"events":[]})") << u"\"channel\""_s;
        QTest::newRow("no sequence")
            << QByteArray(R"({"channel":"l2_data","timestamp":"2023-02-09T20:32:50Z","events":[]})")
            << u"\"sequence_num\""_s;
        QTest::newRow("bad time") << QByteArray(
            R"({"channel":"l2_data","timestamp":"yesterday","sequence_num":1,"events":[]})")
                                  << u"RFC 3339"_s;
        QTest::newRow("price as number") << QByteArray(
            R"({"channel":"l2_data","timestamp":"2023-02-09T20:32:50Z","sequence_num":1,"events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"bid","price_level":21921.73,"new_quantity":"1"}]}]})")
                                         << u"\"price_level\" is not a string"_s;
        QTest::newRow("unknown side") << QByteArray(
            R"({"channel":"l2_data","timestamp":"2023-02-09T20:32:50Z","sequence_num":1,"events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"buy","price_level":"1","new_quantity":"1"}]}]})")
                                      << u"side \"buy\""_s;
        QTest::newRow("unknown event type") << QByteArray(
            R"({"channel":"l2_data","timestamp":"2023-02-09T20:32:50Z","sequence_num":1,"events":[{"type":"delta","product_id":"BTC-USD","updates":[]}]})")
                                            << u"unknown type \"delta\""_s;
        QTest::newRow("trade id not digits") << QByteArray(
            R"({"channel":"market_trades","timestamp":"2023-02-09T20:32:50Z","sequence_num":1,"events":[{"type":"update","trades":[{"trade_id":"ab-12","product_id":"BTC-USD","price":"1","size":"1","side":"BUY","time":"2019-08-14T20:42:27.265Z"}]}]})")
                                             << u"\"trade_id\" is not a non-negative integer"_s;
    }

    void badInput()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        const MessageResult r = parseMessage(json);
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(error), qPrintable(r.error));
    }

    void sequenceIsKnownEvenWhenEventsAreBad()
    {
        const MessageResult r = parseMessage(
            R"({"channel":"l2_data","timestamp":"2023-02-09T20:32:50Z","sequence_num":41,"events":[{"type":"update"}]})");
        QVERIFY(!r.ok());
        QCOMPARE(r.channel, u"l2_data"_s);
        QCOMPARE(r.sequenceNum, std::optional<std::int64_t>(41));
    }

    void times_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ms");
        QTest::newRow("nanoseconds") << u"2023-02-09T20:32:50.714964855Z"_s << 1675974770714LL;
        QTest::newRow("no fraction") << u"1970-01-01T00:00:00Z"_s << 0LL;
        QTest::newRow("one digit") << u"1970-01-01T00:00:01.5Z"_s << 1500LL;
        QTest::newRow("offset") << u"1970-01-01T01:00:00+01:00"_s << 0LL;
        QTest::newRow("leap day") << u"2024-02-29T00:00:00Z"_s << 1709164800000LL;
    }

    void times()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ms);
        QCOMPARE(parseTimeMs(text), std::optional<std::int64_t>(ms));
    }

    void badTimes()
    {
        QVERIFY(!parseTimeMs(u"2023-02-30T00:00:00Z"));
        QVERIFY(!parseTimeMs(u"2023-02-09 20:32:50"));
        QVERIFY(!parseTimeMs(u"2023-02-09T20:32:50.Z"));
        QVERIFY(!parseTimeMs(u"2023-02-09T20:32:50Zjunk"));
        QVERIFY(!parseTimeMs(u""));
    }

    void subscriptionMessages()
    {
        QCOMPARE(
            subscriptionMessage("subscribe"_L1, "level2"_L1, {u"ETH-USD"_s, u"BTC-USD"_s}),
            uR"({"type":"subscribe","product_ids":["ETH-USD","BTC-USD"],"channel":"level2"})"_s);
        QCOMPARE(subscriptionMessage("subscribe"_L1, "heartbeats"_L1, {}),
                 uR"({"type":"subscribe","channel":"heartbeats"})"_s);
    }

    void offGridRefused()
    {
        TradeItem t;
        t.price = u"1260.015"_s; // finer than the tick
        t.size = u"1"_s;
        const auto info = instrument("ETH-USD", "0.01", "0.0001");
        QVERIFY(!toTrade(t, info));
        t.price = u"1260.01"_s;
        t.size = u"0.00001"_s; // finer than the lot
        QVERIFY(!toTrade(t, info));
        t.size = u"1e3"_s; // exponent: not a decimal string
        QVERIFY(!toTrade(t, info));
    }
};

QTEST_GUILESS_MAIN(TestCoinbaseMessages)
#include "tst_coinbasemessages.moc"
