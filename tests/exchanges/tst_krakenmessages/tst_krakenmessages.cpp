// Kraken WebSocket v2 decoders against the examples of Kraken's documentation (fixtures in
// tests/data/exchanges/kraken/documented, see its README), the raw JSON reader underneath them,
// and the checksum over the exact wire text.
#include "exchanges/krakenmessages.h"
#include "exchanges/rawjson.h"
#include "protocol/checksum.h"

#include <QtCore/QDateTime>
#include <QtCore/QFile>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::exchanges;
using namespace tickwire::exchanges::kraken;

namespace {

QByteArray documented(const char *name)
{
    QFile file(QStringLiteral(TICKWIRE_TEST_DATA_DIR "/exchanges/kraken/documented/")
               + QLatin1StringView(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open fixture %s", name);
    return file.readAll();
}

template<typename T> T decoded(const QByteArray &json)
{
    const MessageResult r = parseMessage(json);
    if (!r.ok())
        qFatal("decode failed: %s", qPrintable(r.error));
    if (!std::holds_alternative<T>(*r.message))
        qFatal("decoded to another message type");
    return std::get<T>(*r.message);
}

Decimal dec(const char *text)
{
    return *Decimal::parse(QByteArrayView(text));
}

protocol::InstrumentInfo instrument(const char *symbol, const char *tick, const char *lot)
{
    protocol::InstrumentInfo info;
    info.symbol = QLatin1StringView(symbol);
    info.tickSize = dec(tick);
    info.lotSize = dec(lot);
    return info;
}

std::int64_t ms(const char *iso)
{
    return QDateTime::fromString(QLatin1StringView(iso), Qt::ISODateWithMs).toMSecsSinceEpoch();
}

} // namespace

class TestKrakenMessages : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rawJsonKeepsNumberText()
    {
        QString error;
        const auto doc = RawJson::parse(
            "{\"a\":0.10000000,\"b\":12393906104898154338,\"c\":1e-08,\"d\":-0.5E+2,"
            "\"s\":\"x\\u00e9\\\"\\ud83d\\ude00\",\"n\":null,\"t\":[true,false,[]],\"o\":{}}",
            &error);
        QVERIFY2(doc, qPrintable(error));
        QCOMPARE(doc->member("a"_L1)->text(), u"0.10000000"_s);
        QCOMPARE(doc->member("b"_L1)->text(), u"12393906104898154338"_s);
        QCOMPARE(doc->member("c"_L1)->text(), u"1e-08"_s);
        QCOMPARE(doc->member("d"_L1)->text(), u"-0.5E+2"_s);
        QCOMPARE(doc->member("s"_L1)->text(), QString::fromUtf8("x\xc3\xa9\"\xf0\x9f\x98\x80"));
        QVERIFY(doc->member("n"_L1)->isNull());
        QCOMPARE(doc->member("t"_L1)->items().size(), std::size_t(3));
        QVERIFY(doc->member("t"_L1)->items()[0].boolean());
        QVERIFY(doc->member("o"_L1)->isObject());
        QVERIFY(!doc->member("missing"_L1));
        QCOMPARE(doc->keys().size(), std::size_t(8));
    }

    void rawJsonRefusesMalformed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("leading zero") << QByteArray("{\"a\":01}") << u"expected ',' or '}'"_s;
        QTest::newRow("bare point") << QByteArray("{\"a\":1.}") << u"digits after '.'"_s;
        QTest::newRow("exponent") << QByteArray("{\"a\":1e}") << u"exponent digits"_s;
        QTest::newRow("trailing comma") << QByteArray("[1,]") << u"unexpected character"_s;
        QTest::newRow("lone surrogate") << QByteArray("[\"\\ud800\"]") << u"lone surrogate"_s;
        QTest::newRow("unterminated") << QByteArray("[\"abc") << u"unterminated string"_s;
        QTest::newRow("garbage") << QByteArray("{} x") << u"garbage after the value"_s;
        QTest::newRow("no colon") << QByteArray("{\"a\" 1}") << u"expected ':'"_s;
        QTest::newRow("too deep") << QByteArray(100, '[') << u"nested deeper than 64"_s;
        QTest::newRow("empty") << QByteArray() << u"unexpected end"_s;
    }
    void rawJsonRefusesMalformed()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        QString error;
        QVERIFY(!RawJson::parse(json, &error));
        QVERIFY2(error.contains(expected) && error.contains(u"offset"_s), qPrintable(error));
    }

    // Kraken's published example ("Book checksum (WebSocket v2)"): its checksum 3310070434 is
    // the CRC-32 of the top 10 asks then bids with '.' and leading zeros removed.
    void documentedChecksumExample()
    {
        const BookMessage m = decoded<BookMessage>(documented("book-checksum-snapshot.json"));
        QVERIFY(m.snapshot);
        QCOMPARE(m.books.size(), 1);
        const BookData &book = m.books[0];
        QCOMPARE(book.symbol, u"BTC/USD"_s);
        QCOMPARE(book.bids.size(), 10);
        QCOMPARE(book.asks.size(), 10);
        QCOMPARE(book.checksum, 3310070434U);
        QCOMPARE(book.ts, std::int64_t(0)); // the example has no timestamp
        QCOMPARE(checksumField(u"45285.2"), QByteArray("452852")); // the guide's own steps
        QCOMPARE(checksumField(u"0.00100000"), QByteArray("100000"));
        QCOMPARE(checksumField(u"45281.0"), QByteArray("452810"));
        QByteArray asks;
        for (const RawLevel &level : book.asks)
            asks += checksumField(level.price) + checksumField(level.qty);
        QVERIFY(asks.startsWith("452852100000")); // "Append price + qty to the asks string"
        QCOMPARE(bookChecksum(book.asks, book.bids), 3310070434U);
    }

    // The wire text is the checksum's input: dropping the trailing zeros of 0.10000000 (what a
    // double would print) gives another CRC.
    void trailingZerosKept()
    {
        const BookMessage m = decoded<BookMessage>(documented("book-checksum-snapshot.json"));
        const BookData &book = m.books[0];
        QCOMPARE(book.bids[0].qty, u"0.10000000"_s);
        QCOMPARE(book.bids[3].price, u"45281.0"_s);
        QList<RawLevel> bids = book.bids;
        bids[0].qty = u"0.1"_s;
        QVERIFY(bookChecksum(book.asks, bids) != book.checksum);
        bids = book.bids;
        bids[3].price = u"45281"_s;
        QVERIFY(bookChecksum(book.asks, bids) != book.checksum);
    }

    void documentedBookUpdate()
    {
        const BookMessage m = decoded<BookMessage>(documented("book-update.json"));
        QVERIFY(!m.snapshot);
        const BookData &book = m.books.at(0);
        QCOMPARE(book.symbol, u"MATIC/USD"_s);
        QCOMPARE(book.bids, (QList<RawLevel>{{u"0.5657"_s, u"1098.3947558"_s}}));
        QVERIFY(book.asks.isEmpty());
        QCOMPARE(book.checksum, 2114181697U);
        QCOMPARE(book.ts, ms("2023-10-06T17:35:55.440Z"));
    }

    void documentedTicker()
    {
        const TickerMessage snap = decoded<TickerMessage>(documented("ticker-snapshot.json"));
        QVERIFY(snap.snapshot);
        const TickerEvent &e = snap.tickers.at(0);
        QCOMPARE(e.symbol, u"ALGO/USD"_s);
        QCOMPARE(e.bidQty, u"740.0"_s);
        QCOMPARE(e.change, u"-0.00017"_s);
        QCOMPARE(e.ts, ms("2023-09-25T09:04:31.742Z"));
        const auto ticker = toTicker(e, instrument("ALGO-USD", "0.00001", "0.00000001"), 1);
        QVERIFY(ticker);
        QCOMPARE(ticker->symbol, u"ALGO-USD"_s);
        QCOMPARE(ticker->last.toString(), u"0.10035"_s);
        QCOMPARE(ticker->open24h.toString(), u"0.10052"_s); // last - change
        QCOMPARE(ticker->bidSize.toString(), u"740.00000000"_s);
        QCOMPARE(ticker->volume24h.toString(), u"997038.98383185"_s);
        QCOMPARE(ticker->ts, e.ts);
        // A tick of 0.0001 cannot hold 0.10035: dropped, never rounded.
        QVERIFY(!toTicker(e, instrument("ALGO-USD", "0.0001", "0.00000001"), 1));

        const TickerMessage update = decoded<TickerMessage>(documented("ticker-update.json"));
        QVERIFY(!update.snapshot);
        QCOMPARE(update.tickers.at(0).ask, u"0.10035"_s);
    }

    void documentedTrades()
    {
        const TradeMessage snap = decoded<TradeMessage>(documented("trade-snapshot.json"));
        QVERIFY(snap.snapshot);
        QCOMPARE(snap.trades.size(), 2);
        QCOMPARE(snap.trades[1].tradeId, std::int64_t(4665847));
        QCOMPARE(snap.trades[1].qty, u"1136.19677815"_s);
        const TradeMessage update = decoded<TradeMessage>(documented("trade-update.json"));
        const TradeEvent &e = update.trades.at(0);
        QVERIFY(e.side == protocol::Side::Sell);
        QCOMPARE(e.ts, ms("2023-09-25T07:49:37.708Z"));
        const auto trade = toTrade(e, instrument("MATIC-USD", "0.0001", "0.00000001"));
        QVERIFY(trade);
        QCOMPARE(trade->tradeId, std::int64_t(4665906));
        QCOMPARE(trade->price.toString(), u"0.5117"_s);
        QCOMPARE(trade->qty.toString(), u"40.00000000"_s);
        QVERIFY(trade->side == protocol::Side::Sell);
        QVERIFY(!toTrade(e, instrument("MATIC-USD", "0.0001", "100")));
    }

    void documentedOhlc()
    {
        const OhlcMessage m = decoded<OhlcMessage>(documented("ohlc-update.json"));
        QVERIFY(!m.snapshot);
        const CandleEvent &e = m.candles.at(0);
        QCOMPARE(e.intervalMinutes, 5);
        QCOMPARE(e.intervalBegin, ms("2023-10-04T16:25:00.000Z"));
        const auto candle = toCandle(e, instrument("MATIC-USD", "0.0001", "0.00000001"));
        QVERIFY(candle);
        QVERIFY(candle->interval == protocol::CandleInterval::M5);
        QCOMPARE(candle->t, e.intervalBegin);
        QCOMPARE(candle->c.toString(), u"0.5627"_s);
        QCOMPARE(candle->v.toString(), u"30927.68066226"_s);
        QVERIFY(!candle->closed);
        CandleEvent thirty = e;
        thirty.intervalMinutes = 30; // not a tickwire interval
        QVERIFY(!toCandle(thirty, instrument("MATIC-USD", "0.0001", "0.00000001")));
    }

    void documentedInstruments()
    {
        const InstrumentMessage snap =
            decoded<InstrumentMessage>(documented("instrument-snapshot.json"));
        QVERIFY(snap.snapshot);
        QCOMPARE(snap.pairs.size(), 2);
        QCOMPARE(snap.pairs[0].qtyIncrement, u"1e-08"_s); // as Kraken writes it
        QString error;
        const auto btc = toSymbolInfo(snap.pairs[0], &error);
        QVERIFY2(btc, qPrintable(error));
        QCOMPARE(btc->exchangeSymbol, u"BTC/USD"_s);
        QCOMPARE(btc->info.symbol, u"BTC-USD"_s);
        QCOMPARE(btc->info.base, u"BTC"_s);
        QCOMPARE(btc->info.quote, u"USD"_s);
        QCOMPARE(btc->info.tickSize.toString(), u"0.1"_s);
        QCOMPARE(btc->info.lotSize.toString(), u"0.00000001"_s); // 1e-08, exactly
        const auto matic = toSymbolInfo(snap.pairs[1], &error);
        QVERIFY(matic);
        QCOMPARE(matic->info.symbol, u"MATIC-GBP"_s);
        QCOMPARE(matic->info.tickSize.toString(), u"0.0001"_s);

        const InstrumentMessage update =
            decoded<InstrumentMessage>(documented("instrument-update.json"));
        QVERIFY(!update.snapshot);
        QVERIFY(update.pairs.isEmpty());

        InstrumentPair bad = snap.pairs[0];
        bad.priceIncrement = u"0"_s;
        QVERIFY(!toSymbolInfo(bad, &error));
        QVERIFY2(error.contains(u"price_increment"_s), qPrintable(error));
    }

    void documentedControlMessages()
    {
        QCOMPARE(decoded<Pong>(documented("pong.json")).reqId, std::int64_t(101));
        const MethodReply ack = decoded<MethodReply>(documented("subscribe-ack.json"));
        QVERIFY(ack.success);
        QCOMPARE(ack.method, u"subscribe"_s);
        QCOMPARE(ack.channel, u"ticker"_s);
        QCOMPARE(ack.symbol, u"ALGO/USD"_s);
        (void)decoded<Heartbeat>(documented("heartbeat.json"));
        // Synthetic (shapes of Kraken's status and refusal messages):
        const StatusUpdate status = decoded<StatusUpdate>(
            "{\"channel\":\"status\",\"type\":\"update\",\"data\":[{\"api_version\":\"v2\","
            "\"connection_id\":12393906104898154338,\"system\":\"maintenance\",\"version\":\"2.0."
            "0\"}]}");
        QCOMPARE(status.system, u"maintenance"_s);
        const MethodReply refused = decoded<MethodReply>(
            "{\"error\":\"Currency pair not supported XYZ/USD\",\"method\":\"subscribe\","
            "\"success\":false,\"symbol\":\"XYZ/USD\",\"time_in\":\"2023-09-25T09:04:31.742599Z\","
            "\"time_out\":\"2023-09-25T09:04:31.742648Z\"}");
        QVERIFY(!refused.success);
        QCOMPARE(refused.symbol, u"XYZ/USD"_s);
        QVERIFY(refused.error.contains(u"not supported"_s));
        QCOMPARE(
            decoded<Unhandled>("{\"channel\":\"level3\",\"type\":\"update\",\"data\":[]}").name,
            u"level3"_s);
    }

    void badMessages_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << QByteArray("{") << u"malformed JSON"_s;
        QTest::newRow("array") << QByteArray("[]") << u"not a JSON object"_s;
        QTest::newRow("anonymous") << QByteArray("{\"x\":1}") << u"neither"_s;
        QTest::newRow("book type")
            << QByteArray("{\"channel\":\"book\",\"type\":\"delta\",\"data\":[]}")
            << u"neither snapshot nor update"_s;
        QTest::newRow("book price") << QByteArray(
            "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\","
            "\"bids\":[{\"price\":true,\"qty\":1}],\"asks\":[],\"checksum\":1}]}")
                                    << u"book: data[0]: \"bids\": \"price\" is not a number"_s;
        QTest::newRow("checksum range") << QByteArray(
            "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\","
            "\"bids\":[],\"asks\":[],\"checksum\":4294967296}]}")
                                        << u"\"checksum\" is not an integer from 0 to 4294967295"_s;
        QTest::newRow("trade side") << QByteArray(
            "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\","
            "\"side\":\"up\",\"price\":1,\"qty\":1,\"trade_id\":1,"
            "\"timestamp\":\"2023-09-25T07:49:37.708706Z\"}]}")
                                    << u"\"side\" is neither buy nor sell"_s;
        QTest::newRow("ticker field") << QByteArray(
            "{\"channel\":\"ticker\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\"}]}")
                                      << u"ticker: data[0]: no \"bid\""_s;
        QTest::newRow("ohlc time") << QByteArray(
            "{\"channel\":\"ohlc\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\","
            "\"open\":1,\"high\":1,\"low\":1,\"close\":1,\"volume\":1,\"interval\":1,"
            "\"interval_begin\":\"yesterday\"}]}")
                                   << u"\"interval_begin\" is not an RFC 3339 UTC time"_s;
        QTest::newRow("reply success")
            << QByteArray("{\"method\":\"subscribe\",\"success\":\"yes\"}")
            << u"\"success\" is not a boolean"_s;
    }
    void badMessages()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        const MessageResult r = parseMessage(json);
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(expected), qPrintable(r.error));
    }

    void symbols()
    {
        QCOMPARE(fromKrakenSymbol(u"BTC/USD"), u"BTC-USD"_s);
        QCOMPARE(fromKrakenSymbol(u"XBT/USD"), u"BTC-USD"_s);
        QCOMPARE(fromKrakenSymbol(u"ETH/XBT"), u"ETH-BTC"_s);
        QCOMPARE(toKrakenSymbol(u"BTC-USD"), u"BTC/USD"_s);
        QCOMPARE(toKrakenSymbol(u"XBT-EUR"), u"BTC/EUR"_s);
        QVERIFY(fromKrakenSymbol(u"BTCUSD").isEmpty());
        QVERIFY(fromKrakenSymbol(u"/USD").isEmpty());
        QVERIFY(toKrakenSymbol(u"BTC-USD-X").isEmpty());
    }

    void exactDecimals_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected"); // empty: refused
        QTest::newRow("plain") << u"0.10000000"_s << u"0.10000000"_s;
        QTest::newRow("1e-08") << u"1e-08"_s << u"0.00000001"_s;
        QTest::newRow("2.5e-1") << u"2.5e-1"_s << u"0.25"_s;
        QTest::newRow("1.5E+2") << u"1.5E+2"_s << u"150"_s;
        QTest::newRow("0.01e1") << u"0.01e1"_s << u"0.1"_s;
        QTest::newRow("negative") << u"-1e-2"_s << QString();
        QTest::newRow("too small") << u"1e-30"_s << QString();
        QTest::newRow("too many digits") << u"1234567890123456789012"_s << QString();
    }
    void exactDecimals()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const std::optional<Decimal> d = exactDecimal(text);
        if (expected.isEmpty()) {
            QVERIFY(!d);
        } else {
            QVERIFY(d);
            QCOMPARE(d->toString(), expected);
        }
    }

    void times_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("expected"); // -1: refused
        QTest::newRow("micro") << u"2023-10-06T17:35:55.440295Z"_s
                               << qint64(ms("2023-10-06T17:35:55.440Z"));
        QTest::newRow("nano") << u"2023-10-04T16:25:00.000000000Z"_s
                              << qint64(ms("2023-10-04T16:25:00.000Z"));
        QTest::newRow("whole") << u"2023-10-04T16:25:07Z"_s
                               << qint64(ms("2023-10-04T16:25:07.000Z"));
        QTest::newRow("one digit")
            << u"2023-10-04T16:25:07.5Z"_s << qint64(ms("2023-10-04T16:25:07.500Z"));
        QTest::newRow("offset") << u"2023-10-04T16:25:07+02:00"_s << qint64(-1);
        QTest::newRow("month 13") << u"2023-13-04T16:25:07Z"_s << qint64(-1);
        QTest::newRow("letters") << u"2023-10-04T16:2x:07Z"_s << qint64(-1);
    }
    void times()
    {
        QFETCH(QString, text);
        QFETCH(qint64, expected);
        const auto t = parseTime(text);
        if (expected < 0)
            QVERIFY(!t);
        else
            QCOMPARE(t.value_or(-1), expected);
    }

    void requests()
    {
        QCOMPARE(subscribeRequest("book"_L1, {u"BTC/USD"_s, u"ETH/USD"_s}, 25),
                 QString::fromLatin1(
                     "{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"depth\":25,"
                     "\"snapshot\":true,\"symbol\":[\"BTC/USD\",\"ETH/USD\"]}}"));
        QCOMPARE(
            subscribeRequest("ohlc"_L1, {u"BTC/USD"_s}, 60),
            QString::fromLatin1("{\"method\":\"subscribe\",\"params\":{\"channel\":\"ohlc\","
                                "\"interval\":60,\"snapshot\":true,\"symbol\":[\"BTC/USD\"]}}"));
        QCOMPARE(unsubscribeRequest("book"_L1, {u"BTC/USD"_s}, 25),
                 QString::fromLatin1("{\"method\":\"unsubscribe\",\"params\":{\"channel\":\"book\","
                                     "\"depth\":25,\"symbol\":[\"BTC/USD\"]}}"));
        QCOMPARE(instrumentRequest(),
                 QString::fromLatin1("{\"method\":\"subscribe\",\"params\":{\"channel\":"
                                     "\"instrument\",\"snapshot\":true}}"));
        QCOMPARE(pingRequest(7), QString::fromLatin1("{\"method\":\"ping\",\"req_id\":7}"));
    }
};

QTEST_GUILESS_MAIN(TestKrakenMessages)
#include "tst_krakenmessages.moc"
