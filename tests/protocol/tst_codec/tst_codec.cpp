#include "protocol/codec.h"

#include <QtCore/QCborMap>
#include <QtCore/QCborValue>
#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::protocol;

Q_DECLARE_METATYPE(tickwire::protocol::Message)
Q_DECLARE_METATYPE(tickwire::protocol::Encoding)

namespace {

Decimal dec(const char *text)
{
    const auto v = Decimal::parse(QByteArrayView(text));
    if (!v)
        qFatal("bad decimal literal in test: %s", text);
    return *v;
}

Trade sampleTrade(std::int64_t seq)
{
    return Trade{u"BTC-USD"_s,
                 seq,
                 1700000000000 + seq,
                 9000 + seq,
                 dec("64012.50"),
                 dec("0.0150"),
                 seq % 2 ? Side::Sell : Side::Buy};
}

Candle sampleCandle(std::int64_t t, bool closed)
{
    return Candle{u"ETH-USD"_s,
                  CandleInterval::M1,
                  7,
                  t,
                  dec("3000.10"),
                  dec("3010.00"),
                  dec("2999.95"),
                  dec("3005.55"),
                  dec("12.3456"),
                  closed};
}

Order sampleOrder(OrderStatus status)
{
    Order o;
    o.epoch = 1700000000123;
    o.seq = 42;
    o.orderId = u"o-17"_s;
    o.clientOrderId = u"c-1 \"quoted\" \u00e9"_s;
    o.symbol = u"BTC-USD"_s;
    o.side = Side::Sell;
    o.orderType = OrderType::Limit;
    o.price = dec("64000.00");
    o.qty = dec("0.5000");
    o.filledQty = dec("0.2000");
    o.avgFillPrice = dec("64000.00");
    o.lastFillQty = dec("0.2000");
    o.lastFillPrice = dec("64000.00");
    o.status = status;
    o.ts = 1700000000999;
    return o;
}

QList<Message> everyMessage()
{
    QList<Message> all;
    all << Subscribe{1, Channel::Ticker, {u"BTC-USD"_s, u"ETH-USD"_s}, {}, {}, {}};
    all << Subscribe{2, Channel::Book, {u"BTC-USD"_s}, 50, {}, {}};
    all << Subscribe{3, Channel::Candles, {u"AAPL"_s}, {}, CandleInterval::M15, {}};
    all << Subscribe{4, Channel::Orders, {}, {}, {}, ResumePoint{1700000000123, 99}};
    all << Unsubscribe{5, Channel::Trades, {u"EUR-USD"_s}, {}};
    all << Unsubscribe{6, Channel::Candles, {u"AAPL"_s}, CandleInterval::H1};
    all << ListSymbols{7};
    all << PlaceOrder{8,          u"c-1"_s,       u"BTC-USD"_s, Side::Buy, OrderType::Limit,
                      dec("0.5"), dec("64000.00")};
    all << PlaceOrder{9, u"c-2"_s, u"ETH-USD"_s, Side::Sell, OrderType::Market, dec("1"), {}};
    all << CancelOrder{10, u"o-17"_s};
    all << CancelAll{11, {}};
    all << CancelAll{12, u"BTC-USD"_s};
    all << Ping{13, -5};
    all << Welcome{QString(ProtocolName), u"s-1"_s, 1700000000000, 5000, u"demo"_s, {}, {}};
    all << Welcome{QString(ProtocolName), u"s-2"_s, 1700000000000, 2500, {}, {}, {}};
    all << Welcome{QString(ProtocolName), u"s-3"_s, 1700000000000, 5000, u"demo"_s,
                   u"binance"_s, u"paper"_s};
    all << SourceStatus{u"binance"_s, SourceState::Live, 0, 1700000000000, 1700000000005};
    all << SourceStatus{u"kraken"_s, SourceState::Unverified, 3, 1700000000000, 1700000000005};
    all << SourceStatus{u"coinbase"_s, SourceState::Resyncing, 1, 0, 1700000000005};
    all << SourceStatus{u"binance"_s, SourceState::Down, 12, 1699999999000, 1700000000005};
    all << Ack{14, {}, {}, {}, {}, {}, {}};
    all << Ack{15, Channel::Orders, {}, true, {}, {}, {}};
    all << Ack{16, Channel::Ticker, QStringList{u"BTC-USD"_s}, {}, {}, {}, {}};
    all << Ack{17, {}, {}, {}, u"o-3"_s, OrderStatus::New, {}};
    all << Ack{18, {}, {}, {}, {}, {}, 4};
    all << Error{19, QString(ErrorCode::UnknownSymbol), u"no such symbol"_s, u"NOPE"_s};
    all << Error{{}, QString(ErrorCode::BadRequest), u"malformed JSON\n\t\"x\" \\ \u0001"_s, {}};
    all << Symbols{
        20,
        {InstrumentInfo{u"BTC-USD"_s, u"Bitcoin"_s, u"BTC"_s, u"USD"_s, dec("0.01"), dec("0.0001")},
         InstrumentInfo{u"AAPL"_s, u"Apple Inc."_s, u"AAPL"_s, u"USD"_s, dec("0.01"), dec("1")}}};
    all << Ticker{u"BTC-USD"_s,    1,
                  1700000000000,   dec("64012.50"),
                  dec("64012.49"), dec("1.25"),
                  dec("64012.51"), dec("0.75"),
                  dec("63000.00"), dec("64500.00"),
                  dec("62900.00"), dec("1234.5678")};
    all << sampleTrade(3);
    all << TradesSnapshot{u"BTC-USD"_s, {sampleTrade(1), sampleTrade(2)}};
    all << TradesSnapshot{u"BTC-USD"_s, {}};
    Book book{u"BTC-USD"_s,
              10,
              1700000000000,
              true,
              {BookLevel{dec("64000.00"), dec("1.2")}, BookLevel{dec("63999.50"), dec("3")}},
              {BookLevel{dec("64000.50"), dec("0.4")}},
              0};
    book.checksum = 0xFFFFFFFFu;
    all << book;
    all << Book{u"BTC-USD"_s, 11,   1700000000001, false, {BookLevel{dec("63999.50"), dec("0")}},
                {},           12345};
    all << sampleCandle(1700000040000, false);
    all << CandlesSnapshot{u"ETH-USD"_s,
                           CandleInterval::M1,
                           {sampleCandle(1699999980000, true), sampleCandle(1700000040000, false)}};
    all << sampleOrder(OrderStatus::PartiallyFilled);
    Order market = sampleOrder(OrderStatus::Rejected);
    market.orderType = OrderType::Market;
    market.price.reset();
    market.avgFillPrice.reset();
    market.lastFillQty.reset();
    market.lastFillPrice.reset();
    market.filledQty = dec("0");
    market.reason = u"insufficient liquidity"_s;
    all << market;
    all << Position{1700000000123,   43,           u"BTC-USD"_s, dec("-0.3000"),
                    dec("64000.00"), dec("-12.34")};
    all << OrdersSnapshot{
        1700000000123,
        43,
        {sampleOrder(OrderStatus::New)},
        {Position{1700000000123, 40, u"ETH-USD"_s, dec("2"), dec("3000"), dec("0")}}};
    all << Heartbeat{1700000000000};
    all << Pong{21, 123, 1700000000000};
    return all;
}

QByteArray json(const char *text)
{
    return QByteArray(text);
}

QByteArray cborOf(const QCborMap &map)
{
    return map.toCborValue().toCbor();
}

} // namespace

class tst_Codec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyTypeIsCovered();
    void roundTrip_data();
    void roundTrip();
    void jsonIsPlainAndReadable();
    void cborIsTheSameMap();
    void requestIdIsEchoed();
    void documentedExamplesDecode();
    void badInput_data();
    void badInput();
    void oversizeIsRefusedBeforeParsing();
    void tooManyItems();
    void unknownFieldsAreIgnored();
    void integersAsJsonDoubles();
};

void tst_Codec::everyTypeIsCovered()
{
    QSet<qsizetype> seen;
    for (const Message &m : everyMessage())
        seen.insert(qsizetype(m.index()));
    QCOMPARE(seen.size(), qsizetype(std::variant_size_v<Message>));
}

void tst_Codec::roundTrip_data()
{
    QTest::addColumn<Message>("message");
    QTest::addColumn<Encoding>("encoding");
    int i = 0;
    for (const Message &m : everyMessage()) {
        const QByteArray name = QByteArray(typeName(m).data()) + '#' + QByteArray::number(i++);
        QTest::newRow(QByteArray(name + " json").constData()) << m << Encoding::Json;
        QTest::newRow(QByteArray(name + " cbor").constData()) << m << Encoding::Cbor;
    }
}

void tst_Codec::roundTrip()
{
    QFETCH(Message, message);
    QFETCH(Encoding, encoding);

    const QByteArray bytes = encode(message, encoding);
    const DecodeResult result = decode(bytes, encoding);
    QVERIFY2(result.ok(),
             qPrintable(result.error.message + u" in "_s + QString::fromUtf8(bytes.toHex())));
    QVERIFY(*result.message == message);
    // Decimals keep their written scale through the wire.
    QCOMPARE(encode(*result.message, encoding), bytes);
}

void tst_Codec::jsonIsPlainAndReadable()
{
    const Message m = Ticker{u"BTC-USD"_s,    5,           1700000000000,   dec("64012.50"),
                             dec("64012.49"), dec("1.25"), dec("64012.51"), dec("0.75"),
                             dec("1"),        dec("2"),    dec("0.5"),      dec("10.000")};
    const QByteArray bytes = encode(m, Encoding::Json);
    QCOMPARE(bytes,
             QByteArray(R"({"type":"ticker","symbol":"BTC-USD","seq":5,"ts":1700000000000,)"
                        R"("last":"64012.50","bid":"64012.49","bid_size":"1.25","ask":"64012.51",)"
                        R"("ask_size":"0.75","open_24h":"1","high_24h":"2","low_24h":"0.5",)"
                        R"("volume_24h":"10.000"})"));
    // And any JSON parser reads it.
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(doc.object().value("last"_L1).toString(), u"64012.50"_s);
}

void tst_Codec::cborIsTheSameMap()
{
    for (const Message &m : everyMessage()) {
        const QJsonDocument doc = QJsonDocument::fromJson(encode(m, Encoding::Json));
        const QCborValue cbor = QCborValue::fromCbor(encode(m, Encoding::Cbor));
        QVERIFY(cbor.isMap());
        QCOMPARE(cbor.toMap().toJsonObject(), doc.object());
    }
}

void tst_Codec::requestIdIsEchoed()
{
    const DecodeResult r =
        decode(json(R"({"type":"subscribe","id":77,"channel":"bogus"})"), Encoding::Json);
    QVERIFY(!r.ok());
    QCOMPARE(r.error.code, u"unknown_channel"_s);
    QCOMPARE(r.error.id, std::optional<std::int64_t>(77));
    QVERIFY(r.error.message.contains(u"bogus"_s));
}

void tst_Codec::documentedExamplesDecode()
{
    // Every example in docs/protocol.md is also in this file, one per line: they must decode,
    // and re-encode to the same JSON object.
    QFile file(QStringLiteral(TICKWIRE_TEST_DATA_DIR "/protocol/examples.ndjson"));
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.errorString()));
    int count = 0;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (line.isEmpty())
            continue;
        ++count;
        const DecodeResult r = decode(line, Encoding::Json);
        QVERIFY2(r.ok(), qPrintable(r.error.message + u": "_s + QString::fromUtf8(line)));
        const QJsonObject original = QJsonDocument::fromJson(line).object();
        const QJsonObject again =
            QJsonDocument::fromJson(encode(*r.message, Encoding::Json)).object();
        QCOMPARE(again, original);
    }
    QVERIFY(count >= int(std::variant_size_v<Message>));
}

void tst_Codec::badInput_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<Encoding>("encoding");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("mentions");

    const auto J = Encoding::Json;
    const auto C = Encoding::Cbor;
    const QString bad = u"bad_request"_s;

    // Not an object
    QTest::newRow("json array") << json("[1,2]") << J << bad << u"object"_s;
    QTest::newRow("json string") << json(R"("ticker")") << J << bad << u"object"_s;
    QTest::newRow("json number") << json("42") << J << bad << u"object"_s;
    QTest::newRow("cbor array") << QCborValue(QCborArray{1, 2}).toCbor() << C << bad << u"map"_s;
    QTest::newRow("cbor integer") << QCborValue(7).toCbor() << C << bad << u"map"_s;
    QTest::newRow("empty") << QByteArray() << J << bad << u"empty"_s;
    // Malformed
    QTest::newRow("json truncated") << json(R"({"type":"ping","id":1)") << J << bad << u"JSON"_s;
    QTest::newRow("json garbage") << json("\x01\x02garbage") << J << bad << u"JSON"_s;
    QTest::newRow("cbor truncated") << QByteArray::fromHex("a26474797065") << C << bad << u"CBOR"_s;
    QTest::newRow("cbor trailing bytes")
        << (QCborValue(QCborMap{{u"type"_s, u"heartbeat"_s}, {u"ts"_s, 1}}).toCbor() + "\x01") << C
        << bad << u"after the message"_s;
    QTest::newRow("cbor garbage") << QByteArray::fromHex("ffffffff") << C << bad << u"CBOR"_s;
    // Invalid UTF-8 inside a string
    QTest::newRow("json invalid utf8")
        << QByteArray("{\"type\":\"ping\",\"id\":1,\"t\":1,\"x\":\"\xc3\x28\"}") << J << bad
        << u"JSON"_s;
    QTest::newRow("cbor invalid utf8")
        << QByteArray::fromHex("a164747970656270c328") << C << bad << u"CBOR"_s;
    // Type problems
    QTest::newRow("no type") << json(R"({"id":1})") << J << bad << u"'type' is missing"_s;
    QTest::newRow("type not string") << json(R"({"type":5})") << J << bad << u"'type'"_s;
    QTest::newRow("unknown type") << json(R"({"type":"teleport","id":1})") << J << u"unknown_type"_s
                                  << u"teleport"_s;
    QTest::newRow("unknown channel")
        << json(R"({"type":"subscribe","id":1,"channel":"weather","symbols":["X"]})") << J
        << u"unknown_channel"_s << u"weather"_s;
    // Wrong types and missing fields
    QTest::newRow("id as string") << json(R"({"type":"ping","id":"1","t":0})") << J << bad
                                  << u"'id'"_s;
    QTest::newRow("missing id") << json(R"({"type":"list_symbols"})") << J << bad << u"'id'"_s;
    QTest::newRow("negative id") << json(R"({"type":"list_symbols","id":-1})") << J << bad
                                 << u"'id'"_s;
    QTest::newRow("fractional id")
        << json(R"({"type":"list_symbols","id":1.5})") << J << bad << u"'id'"_s;
    QTest::newRow("symbols not array")
        << json(R"({"type":"subscribe","id":1,"channel":"ticker","symbols":"BTC-USD"})") << J << bad
        << u"'symbols'"_s;
    QTest::newRow("symbols empty")
        << json(R"({"type":"subscribe","id":1,"channel":"ticker","symbols":[]})") << J << bad
        << u"'symbols'"_s;
    QTest::newRow("symbol with space")
        << json(R"({"type":"subscribe","id":1,"channel":"ticker","symbols":["BTC USD"]})") << J
        << bad << u"'symbols'"_s;
    QTest::newRow("candles without interval")
        << json(R"({"type":"subscribe","id":1,"channel":"candles","symbols":["A"]})") << J << bad
        << u"'interval'"_s;
    QTest::newRow("bad interval") << json(
        R"({"type":"subscribe","id":1,"channel":"candles","symbols":["A"],"interval":"2m"})")
                                  << J << bad << u"'interval'"_s;
    QTest::newRow("unknown source state")
        << json(R"({"type":"source_status","source":"binance","state":"asleep","reconnects":0,)"
                R"("last_message_ts":0,"ts":1})")
        << J << bad << u"'state'"_s;
    QTest::newRow("source status without source")
        << json(R"({"type":"source_status","state":"live","reconnects":0,"last_message_ts":0,)"
                R"("ts":1})")
        << J << bad << u"'source'"_s;
    QTest::newRow("depth too big")
        << json(R"({"type":"subscribe","id":1,"channel":"book","symbols":["A"],"depth":101})") << J
        << bad << u"'depth'"_s;
    QTest::newRow("resume not object")
        << json(R"({"type":"subscribe","id":1,"channel":"orders","resume":5})") << J << bad
        << u"'resume'"_s;
    QTest::newRow("resume missing seq")
        << json(R"({"type":"subscribe","id":1,"channel":"orders","resume":{"epoch":1}})") << J
        << bad << u"'resume.seq'"_s;
    QTest::newRow("side unknown") << json(
        R"({"type":"place_order","id":1,"client_order_id":"c","symbol":"A","side":"hold","order_type":"limit","qty":"1","price":"1"})")
                                  << J << bad << u"'side'"_s;
    QTest::newRow("missing qty") << json(
        R"({"type":"place_order","id":1,"client_order_id":"c","symbol":"A","side":"buy","order_type":"market"})")
                                 << J << bad << u"'qty'"_s;
    QTest::newRow("book level not pair") << json(
        R"({"type":"book","symbol":"A","seq":1,"ts":1,"snapshot":true,"bids":[["1"]],"asks":[],"checksum":0})")
                                         << J << bad << u"'bids'"_s;
    QTest::newRow("checksum too big") << json(
        R"({"type":"book","symbol":"A","seq":1,"ts":1,"snapshot":true,"bids":[],"asks":[],"checksum":4294967296})")
                                      << J << bad << u"'checksum'"_s;
    QTest::newRow("nested error path") << json(
        R"({"type":"trades_snapshot","symbol":"A","trades":[{"symbol":"A","seq":1,"ts":1,"trade_id":1,"price":"x","qty":"1","side":"buy"}]})")
                                       << J << bad << u"trades[0].price"_s;
    // Decimals
    QTest::newRow("decimal as number") << json(
        R"({"type":"place_order","id":1,"client_order_id":"c","symbol":"A","side":"buy","order_type":"limit","qty":0.5,"price":"1"})")
                                       << J << bad << u"'qty'"_s;
    QTest::newRow("decimal exponent") << json(
        R"({"type":"place_order","id":1,"client_order_id":"c","symbol":"A","side":"buy","order_type":"limit","qty":"1e3","price":"1"})")
                                      << J << bad << u"'qty'"_s;
    QTest::newRow("decimal too long") << json(
        R"({"type":"place_order","id":1,"client_order_id":"c","symbol":"A","side":"buy","order_type":"limit","qty":"1234567890123456789","price":"1"})")
                                      << J << bad << u"'qty'"_s;
    // Huge numbers
    QTest::newRow("huge integer") << json(
        R"({"type":"ping","id":1,"t":123456789012345678901234567890})")
                                  << J << bad << u"'t'"_s;
    QTest::newRow("huge exponent")
        << json(R"({"type":"heartbeat","ts":1e400})") << J << bad << QString();
    QTest::newRow("cbor bignum id")
        << cborOf(QCborMap{{u"type"_s, u"list_symbols"_s},
                           {u"id"_s, QCborValue(QCborKnownTags::PositiveBignum,
                                                QByteArray::fromHex("010000000000000000"))}})
        << C << bad << u"'id'"_s;
    QTest::newRow("cbor double nan")
        << cborOf(QCborMap{{u"type"_s, u"heartbeat"_s}, {u"ts"_s, qQNaN()}}) << C << bad
        << u"'ts'"_s;
    QTest::newRow("cbor bytes as string") << cborOf(
        QCborMap{{u"type"_s, u"cancel_order"_s}, {u"id"_s, 1}, {u"order_id"_s, QByteArray("o-1")}})
                                          << C << bad << u"'order_id'"_s;
    QTest::newRow("overlong string") << QByteArray(R"({"type":"cancel_order","id":1,"order_id":")"
                                                   + QByteArray(500, 'x') + R"("})")
                                     << J << bad << u"'order_id'"_s;
}

void tst_Codec::badInput()
{
    QFETCH(QByteArray, payload);
    QFETCH(Encoding, encoding);
    QFETCH(QString, code);
    QFETCH(QString, mentions);

    const DecodeResult r = decode(payload, encoding);
    QVERIFY(!r.ok());
    QCOMPARE(r.error.code, code);
    QVERIFY(!r.error.message.isEmpty());
    if (!mentions.isEmpty())
        QVERIFY2(r.error.message.contains(mentions), qPrintable(r.error.message));
}

void tst_Codec::oversizeIsRefusedBeforeParsing()
{
    DecodeLimits limits;
    limits.maxBytes = 64;
    const QByteArray big = R"({"type":"ping","id":1,"t":1,"pad":")" + QByteArray(100, 'x') + "\"}";
    const DecodeResult r = decode(big, Encoding::Json, limits);
    QVERIFY(!r.ok());
    QCOMPARE(r.error.code, u"too_large"_s);
    QVERIFY(decode(big, Encoding::Json).ok());
}

void tst_Codec::tooManyItems()
{
    DecodeLimits limits;
    limits.maxItems = 3;
    const QByteArray msg =
        R"({"type":"subscribe","id":9,"channel":"ticker","symbols":["A","B","C","D"]})";
    const DecodeResult r = decode(msg, Encoding::Json, limits);
    QVERIFY(!r.ok());
    QCOMPARE(r.error.code, u"bad_request"_s);
    QCOMPARE(r.error.id, std::optional<std::int64_t>(9));
    QVERIFY(decode(msg, Encoding::Json).ok());
}

void tst_Codec::unknownFieldsAreIgnored()
{
    const DecodeResult r =
        decode(json(R"({"type":"ping","id":3,"t":4,"future_field":{"x":[1,2]}})"), Encoding::Json);
    QVERIFY(r.ok());
    QVERIFY(*r.message == Message(Ping{3, 4}));
}

void tst_Codec::integersAsJsonDoubles()
{
    // Some JSON writers emit 5.0 for integers; an integral value is accepted.
    const DecodeResult r = decode(json(R"({"type":"ping","id":3.0,"t":4})"), Encoding::Json);
    QVERIFY2(r.ok(), qPrintable(r.error.message));
    QVERIFY(*r.message == Message(Ping{3, 4}));
}

QTEST_APPLESS_MAIN(tst_Codec)
#include "tst_codec.moc"
