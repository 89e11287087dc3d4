// decode() against the DOM-based reference decoder (tests/protocol/reference): every frame the
// market simulator produces, the fuzz seeds, hand-written edge cases of both grammars, and
// mutations of all of them (every truncation, byte flips, deletions) must be accepted or
// refused alike, with the same values or the same error.
#include "server/instruments.h"
#include "server/marketsimulator.h"
#include "referencedecoder.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QCborValue>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QRandomGenerator>
#include <QtTest/QTest>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::protocol;

Q_DECLARE_METATYPE(tickwire::protocol::Encoding)

namespace {

// What a dashboard receives from the simulator over `steps` steps of 100 ms: every instrument's
// tickers, and the trades, 20-level book and 1m candles of the first one.
QList<QByteArray> simulatorFrames(Encoding encoding, int steps)
{
    QList<QByteArray> frames;
    std::int64_t now = 1'763'891'234'567;
    std::vector<std::unique_ptr<server::MarketSimulator>> simulators;
    for (const server::Instrument &i : server::defaultInstruments().instruments)
        simulators.push_back(std::make_unique<server::MarketSimulator>(i, 7, now));
    frames.append(encode(simulators.front()->bookSnapshot(20), encoding));
    for (int step = 0; step < steps; ++step) {
        now += 100;
        for (std::size_t s = 0; s < simulators.size(); ++s) {
            const server::MarketUpdate u = simulators[s]->step(now, 0.1, 50);
            if (s == 0) {
                for (const Trade &t : u.trades)
                    frames.append(encode(t, encoding));
                for (const server::TierUpdate &tier : u.books)
                    frames.append(encode(tier.book, encoding));
                for (const Candle &c : u.candles)
                    frames.append(encode(c, encoding));
            }
            if (u.ticker)
                frames.append(encode(*u.ticker, encoding));
        }
    }
    return frames;
}

QList<QByteArray> corpus(const QString &target)
{
    QList<QByteArray> inputs;
    for (const QString &kind : {u"corpus"_s, u"regressions"_s}) {
        const QDir dir(QStringLiteral(TICKWIRE_FUZZ_DIR) + u'/' + kind + u'/' + target);
        for (const QString &name : dir.entryList(QDir::Files, QDir::Name)) {
            QFile file(dir.filePath(name));
            if (file.open(QIODevice::ReadOnly))
                inputs.append(file.readAll());
        }
    }
    return inputs;
}

QByteArray nested(int depth, const QByteArray &open, const QByteArray &close)
{
    return R"({"type":"heartbeat","ts":1,"x":)" + open.repeated(depth) + close.repeated(depth)
           + "}";
}

QByteArray cbor(const QCborMap &map)
{
    return map.toCborValue().toCbor();
}

QList<QByteArray> jsonEdgeCases()
{
    QList<QByteArray> cases = {
        // white space, byte order mark, trailing bytes
        " \t\r\n{ \"type\" : \"heartbeat\" ,\n\"ts\" : 5 } \n",
        "\xEF\xBB\xBF{\"type\":\"heartbeat\",\"ts\":5}",
        "\v{\"type\":\"heartbeat\",\"ts\":5}",
        "{\"type\":\"heartbeat\",\"ts\":5}\f",
        "{\"type\":\"heartbeat\",\"ts\":5}x",
        "{\"type\":\"heartbeat\",\"ts\":5}{}",
        "[{\"type\":\"heartbeat\",\"ts\":5}]",
        "[1,",
        "{",
        "{}",
        "[]",
        "null",
        "true",
        "\"x\"",
        "-",
        " ",
        // escapes, surrogate pairs, lone surrogates, unknown escapes
        R"({"type":"error","code":"a\"b\\c\/d\b\f\n\r\t","message":"\u00e9\u20AC\ud83d\ude00"})",
        R"({"type":"error","code":"x","message":"\ud83d"})",
        R"({"type":"error","code":"x","message":"\ude00\ud83d"})",
        R"({"type":"error","code":"x","message":"\q\%"})",
        R"({"type":"error","code":"x","message":"\u12"})",
        R"({"type":"error","code":"x","message":"\u12G4"})",
        R"({"type":"error","code":"x","message":"\)",
        "{\"type\":\"error\",\"code\":\"x\",\"message\":\"\\\xC3\xA9\"}",
        "{\"type\":\"error\",\"code\":\"x\",\"message\":\"\\\xC3"
        "a\"}",
        R"({"t\u0079pe":"heartbeat","\u0074s":7})",
        R"({"type":"h\u0065artbeat","ts":7})",
        R"({"type":"ticker\u0000","ts":7})",
        R"({"type":"cancel_order","id":1,"order_id":"o\u002d1"})",
        R"({"type":"cancel_order","id":1,"order_id":"o\u00e9"})",
        R"({"type":"cancel_order","id":1,"order_id":"o\ud800"})",
        R"({"type":"subscribe","id":1,"channel":"ticker","symbols":["A\ud800"]})",
        R"({"type":"subscribe","id":1,"channel":"tick\u0065r","symbols":["B\u0054C"]})",
        R"({"type":"place_order","id":1,"client_order_id":"c","symbol":"A","side":"b\u0075y","order_type":"limit","qty":"1\u002e5"})",
        // raw control characters and UTF-8: valid, overlong, surrogate, beyond U+10FFFF,
        // noncharacters, truncated
        "{\"type\":\"error\",\"code\":\"x\",\"message\":\"a\x01\x1f\tb\"}",
        "{\"type\":\"error\",\"code\":\"x\",\"message\":\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"}",
        "{\"type\":\"error\",\"code\":\"x\",\"message\":\"\xC0\xAF\"}",
        "{\"type\":\"error\",\"code\":\"x\",\"message\":\"\xE0\x80\xAF\"}",
        "{\"type\":\"error\",\"code\":\"x\",\"message\":\"\xED\xA0\x80\"}",
        "{\"type\":\"error\",\"code\":\"x\",\"message\":\"\xF4\x90\x80\x80\"}",
        "{\"type\":\"error\",\"code\":\"x\",\"message\":\"\xEF\xBF\xBE\xEF\xBF\xBF\"}",
        // U+FEFF (a byte order mark) inside strings is a character like any other
        "{\"type\":\"error\",\"code\":\"x\",\"message\":\"\xEF\xBB\xBFhi\"}",
        "{\"type\":\"error\",\"code\":\"x\",\"message\":\"h\xEF\xBB\xBFi\"}",
        "{\"type\":\"error\",\"code\":\"x\",\"message\":\"\xEF\xBB\xBFhi\\n\"}",
        "{\"type\":\"error\",\"code\":\"x\",\"message\":\"\\n\xEF\xBB\xBFhi\"}",
        "{\"type\":\"ack\",\"id\":1,\"channel\":\"\xEF\xBB\xBFticker\\ud800\"}",
        "{\"type\":\"ack\",\"id\":1,\"channel\":\"\xEF\xBB\xBFticker\"}",
        "{\"type\":\"\xEF\xBB\xBFticker\"}",
        "{\"type\":\"error\",\"code\":\"x\",\"message\":"
        "\"\\t\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"}",
        "{\"type\":\"error\",\"code\":\"x\",\"message\":\"\xE2\x82\"}",
        "{\"type\":\"error\",\"code\":\"x\",\"message\":\"\xFF\"}",
        "{\"type\":\"error\",\"code\":\"x\",\"message\":\"\x80\"}",
        "{\"type\":\"error\",\"code\":\"x\xC3\xA9\",\"message\":\"m\",\"\xC3\xA9\":1}",
        // numbers
        R"({"type":"heartbeat","ts":1e17})",
        R"({"type":"heartbeat","ts":1.0})",
        R"({"type":"heartbeat","ts":1.000e2})",
        R"({"type":"heartbeat","ts":-0})",
        R"({"type":"heartbeat","ts":-0.0})",
        R"({"type":"heartbeat","ts":1.5})",
        R"({"type":"heartbeat","ts":1e400})",
        R"({"type":"heartbeat","ts":-1e400})",
        R"({"type":"heartbeat","ts":1e-400})",
        R"({"type":"heartbeat","ts":0e-400})",
        R"({"type":"heartbeat","ts":4.9e-324})",
        R"({"type":"heartbeat","ts":9223372036854775807})",
        R"({"type":"heartbeat","ts":9223372036854775808})",
        R"({"type":"ping","id":1,"t":-9223372036854775808})",
        R"({"type":"ping","id":1,"t":-9223372036854775809})",
        R"({"type":"heartbeat","ts":9007199254740993.0})",
        R"({"type":"heartbeat","ts":1.})",
        R"({"type":"heartbeat","ts":.5})",
        R"({"type":"heartbeat","ts":-.5})",
        R"({"type":"heartbeat","ts":-})",
        R"({"type":"heartbeat","ts":1e})",
        R"({"type":"heartbeat","ts":1e+})",
        R"({"type":"heartbeat","ts":1E+2})",
        R"({"type":"heartbeat","ts":e5})",
        R"({"type":"heartbeat","ts":+1})",
        R"({"type":"heartbeat","ts":01})",
        R"({"type":"heartbeat","ts":0x1})",
        R"({"type":"heartbeat","ts":1.2.3})",
        R"({"type":"list_symbols","id":1e3})",
        R"({"type":"list_symbols","id":1e19})",
        R"({"type":"list_symbols","id":-0.0})",
        R"({"type":"heartbeat","ts":12345678901234567890123})",
        // literals
        R"({"type":"ack","id":1,"recovered":true})",
        R"({"type":"ack","id":1,"recovered":tru})",
        R"({"type":"ack","id":1,"recovered":nul})",
        R"({"type":"ack","id":1,"recovered":null})",
        R"({"type":"ack","id":1,"recovered":falsey})",
        R"({"type":"ack","id":1,"recovered":"true"})",
        // duplicate and unknown fields, structure
        R"({"type":"heartbeat","ts":1,"ts":2})",
        R"({"type":"heartbeat","ts":"x","ts":2})",
        R"({"type":"heartbeat","ts":2,"ts":"x"})",
        R"({"type":"ticker","type":"heartbeat","ts":2})",
        R"({"id":1,"type":"list_symbols","id":"x"})",
        R"({"type":"heartbeat","ts":1,"future":{"a":[1,{"b":null}],"c":"\u00e9"}})",
        R"({"type":"heartbeat","ts":1,})",
        R"({"type":"heartbeat","ts":1,,"x":1})",
        R"({"type":"heartbeat" "ts":1})",
        R"({"type":"heartbeat","ts"1})",
        R"({"type":"heartbeat","ts":})",
        R"({"type":"heartbeat","ts":,})",
        R"({"type":"heartbeat","ts":1,"x":[1,]})",
        R"({"type":"heartbeat","ts":1,"x":[,1]})",
        R"({"type":"heartbeat","ts":1,"x":[1 2]})",
        R"({type:"heartbeat","ts":1})",
        R"({"type":"heartbeat","ts":null})",
        R"({"type":null})",
        R"({"type":["ticker"]})",
        R"({"type":"subscribe","id":1,"channel":null})",
        R"({"type":"subscribe","id":1,"channel":"orders","symbols":5})",
        R"({"type":"cancel_all","id":1,"symbol":null})",
        R"({"type":"book","symbol":"A","seq":1,"ts":1,"snapshot":true,"bids":[["1","2","3"]],"asks":[],"checksum":0})",
        R"({"type":"book","symbol":"A","seq":1,"ts":1,"snapshot":true,"bids":[[1,"2"]],"asks":[],"checksum":0})",
        R"({"type":"book","symbol":"A","seq":1,"ts":1,"snapshot":null,"bids":[],"asks":[],"checksum":0})",
        R"({"type":"book","symbol":"A","seq":1,"ts":1,"snapshot":true,"bids":null,"asks":[],"checksum":0})",
        R"({"type":"trades_snapshot","symbol":"A","trades":[5]})",
        R"({"type":"candles_snapshot","symbol":"A","interval":"1m","candles":[{"symbol":"A","interval":"1m","seq":1,"t":0,"o":"1","h":"1","l":"1","c":"1","v":"1","closed":true},{"symbol":"A"}]})",
        R"({"type":"orders_snapshot","epoch":1,"seq":1,"orders":[],"positions":[{"epoch":1,"seq":1,"symbol":"A","qty":"1","avg_price":"1","realized_pnl":"x"}]})",
        R"({"type":"symbols","id":1,"symbols":[{"symbol":"A","name":"n","base":"b","quote":"q","tick_size":"0.01","lot_size":"-1.5"}]})",
        R"({"type":"subscribe","id":4,"channel":"orders","resume":{"epoch":1,"seq":1,"seq":-1}})",
        R"({"type":"subscribe","id":4,"channel":"orders","resume":null})",
        R"({"type":"welcome","protocol":"tickwire/1","session":"s","ts":1,"heartbeat_ms":0,"account":null})",
        R"({"type":"ack","id":1,"channel":"book","symbols":["A",5],"status":"filled","cancelled":2147483648})",
        R"({"type":"ack","id":1,"symbols":[]})",
        R"({"type":"error","code":"x","message":"m","symbol":"")"
        R"(1234567890123456789012345678901234567890123456789012345678901234567890"})",
        R"({"type":"cancel_order","id":1,"order_id":"")"
        R"(12345678901234567890123456789012345678901234567890123456789012345"})",
        R"({"type":"cancel_order","id":1,"order_id":""})",
        R"({"type":"cancel_order","id":1,"order_id":"a b"})",
        R"({"type":"place_order","id":1,"client_order_id":"c","symbol":"A","side":"buy","order_type":"limit","qty":"007"})",
        R"({"type":"place_order","id":1,"client_order_id":"c","symbol":"A","side":"buy","order_type":"limit","qty":"-0.50"})",
        R"({"type":"place_order","id":1,"client_order_id":"c","symbol":"A","side":"buy","order_type":"limit","qty":".5"})",
        R"({"type":"place_order","id":1,"client_order_id":"c","symbol":"A","side":"buy","order_type":"limit","qty":"1.5","price":null})",
        R"({"type":"place_order","id":1,"client_order_id":"c","symbol":"A","side":"BUY","order_type":"limit","qty":"1"})",
        R"({"type":"place_order","id":1,"client_order_id":"c","symbol":"A","side":"a-very-long-enumeration-value-of-forty-or-more-characters","order_type":"limit","qty":"1"})",
    };
    // nesting at and around the limit of 1024 levels (the message itself is one)
    for (const int depth : {1, 100, 1022, 1023, 1024, 1025, 3000}) {
        cases << nested(depth, "[", "]") << nested(depth, "{\"a\":", "}");
    }
    return cases;
}

QList<QByteArray> cborEdgeCases()
{
    const auto hex = [](const char *h) -> QByteArray { return QByteArray::fromHex(h); };
    const QByteArray heartbeat = hex("a2647479706569686561727462656174"); // {"type":"heartbeat",
    const auto withTs = [&](const char *value) -> QByteArray {
        return hex("a2647479706569686561727462656174627473") + hex(value);
    };
    QList<QByteArray> cases = {
        withTs("01"),
        withTs("1b7fffffffffffffff"),
        withTs("1bffffffffffffffff"),
        withTs("3b7fffffffffffffff"),
        withTs("3b8000000000000000"),
        withTs("3bb001089a1c470000"),
        withTs("3bfffffffffffffffe"),
        withTs("3bffffffffffffffff"),
        withTs("f93c00"),
        withTs("fa3f800000"),
        withTs("fb3ff0000000000000"),
        withTs("fb3ff8000000000000"),
        withTs("f97c00"),
        withTs("f97e00"),
        withTs("f7"),
        withTs("f6"),
        withTs("f4"),
        withTs("f0"),
        withTs("f810"),
        withTs("f820"),
        withTs("fc"),
        withTs("ff"),
        withTs("c11a5e0b3c8e"),
        withTs("c249010000000000000000"),
        withTs("c0"),
        withTs("1c"),
        withTs("5f41014102ff"),
        withTs("9f01ff"),
        withTs("1f"),
        withTs("d9d9f701"),
        heartbeat,
        heartbeat + hex("ff"),
        hex("bf647479706569686561727462656174627473 01 ff").replace(' ', ""),
        hex("bf64747970656968656172746265617462747301ff"),
        hex("bf647479706569686561727462656174627473ff"),
        hex("bf6474797065ff"),
        // duplicate keys: QCborMap::value finds the first
        hex("a3647479706569686561727462656174627473016274730a"),
        hex("a3647479706569686561727462656174627473617862747301"),
        // keys that are not text strings
        hex("a3647479706569686561727462656174627473 01 01 02").replace(' ', ""),
        hex("a36474797065696865617274626561746274730144747970650a"),
        hex("a3647479706569686561727462656174627473018101f6"),
        hex("a3647479706569686561727462656174627473017f627479627065ff0a"),
        // chunked text: keys and values, a code point split across chunks, invalid UTF-8
        hex("a27f627479627065ff7f6568656172746462656174ff627473 01").replace(' ', ""),
        hex("a4647479706565657272 6f72 64636f64656178 676d657373616765 7f62c3 61a9ff")
            .replace(' ', ""),
        hex("a4647479706565657272 6f72 64636f64656178 676d657373616765 7f62c3a9 61ff")
            .replace(' ', ""),
        hex("a4647479706565657272 6f72 64636f64656178 676d657373616765 7f62c3a9 41ff")
            .replace(' ', ""),
        hex("a4647479706565657272 6f72 64636f64656178 676d657373616765 62eda080").replace(' ', ""),
        hex("a4647479706565657272 6f72 64636f64656178 676d657373616765 63efbfbe").replace(' ', ""),
        hex("a4647479706565657272 6f72 64636f64656178 676d657373616765 6261").replace(' ', ""),
        hex("a4647479706565657272 6f72 64636f64656178 676d657373616765 65efbbbf6869")
            .replace(' ', ""),
        hex("a4647479706565657272 6f72 64636f64656178 676d657373616765 7f63efbbbf626869ff")
            .replace(' ', ""),
        hex("a4647479706565657272 6f72 64636f64656178 676d657373616765 7f6168 63efbbbf 6169ff")
            .replace(' ', ""),
        // lengths beyond the data, reserved and illegal encodings
        hex("a2647479706569686561727462656174627473"),
        hex("bb00000000000000016474797065"),
        hex("9bffffffffffffffff"),
        hex("7bffffffffffffffff"),
        hex("a1647479706569686561727462656174"),
        hex("ff"),
        hex("1f"),
        hex("5f"),
        hex("df"),
        hex("c6a2647479706569686561727462656174627473 01").replace(' ', ""),
        cbor(QCborMap{{u"type"_s, u"ticker"_s}, {u"symbol"_s, QByteArray("A")}}),
        cbor(QCborMap{{u"type"_s, u"heartbeat"_s},
                      {u"ts"_s, QCborValue(QDateTime::currentDateTimeUtc())}}),
        cbor(QCborMap{{u"type"_s, u"subscribe"_s},
                      {u"id"_s, 1},
                      {u"channel"_s, u"ticker"_s},
                      {u"symbols"_s, QCborArray{u"A"_s, QCborValue(QCborSimpleType(99))}}}),
    };
    for (const int depth : {1, 1022, 1023, 1024, 1025, 2000}) {
        cases << withTs(QByteArray(QByteArray(depth, char(0x81)) + "\x01").toHex().constData());
        cases << withTs(QByteArray(QByteArray(depth, char(0xc1)) + "\x01").toHex().constData());
        cases << withTs(QByteArray(QByteArray(depth, char(0x9f)) + QByteArray(depth, char(0xff)))
                            .toHex()
                            .constData());
        cases << withTs(
            QByteArray(QByteArray(depth, char(0xa1)).replace("\xa1", "\xa1\x61\x61") + "\x01")
                .toHex()
                .constData());
    }
    return cases;
}

// Deterministic damage to a valid frame: every truncation, and at a spread of positions a
// deleted byte, a doubled byte and a byte replaced by one that matters to the grammar.
QList<QByteArray> mutations(const QByteArray &frame, quint32 seed)
{
    static const char Interesting[] = {
        '"',        '\\',       '{',        '}',        '[',        ']',        ',',
        ':',        '0',        '-',        'e',        '.',        ' ',        'x',
        '\0',       char(0x80), char(0xC3), char(0xFF), char(0x7F), char(0x60), char(0x9F),
        char(0xBF), char(0xF6), char(0xF7), char(0x1B), char(0x18)};
    QList<QByteArray> out;
    for (qsizetype n = 0; n < frame.size(); ++n)
        out.append(frame.left(n));
    QRandomGenerator random(seed);
    const int positions = int(qMin<qsizetype>(frame.size(), 48));
    for (int k = 0; k < positions; ++k) {
        const qsizetype at = random.bounded(int(frame.size()));
        out.append(QByteArray(frame).remove(at, 1));
        out.append(QByteArray(frame).insert(at, frame[at]));
        QByteArray replaced = frame;
        replaced[at] = Interesting[random.bounded(int(sizeof Interesting))];
        out.append(replaced);
        QByteArray flipped = frame;
        flipped[at] = char(flipped[at] ^ (1 << random.bounded(8)));
        out.append(flipped);
    }
    return out;
}

} // namespace

class tst_DecodeDifferential : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void agrees_data();
    void agrees();
    void agreesOnMutations_data();
    void agreesOnMutations();
    void truncationIsAnErrorEverywhere_data();
    void truncationIsAnErrorEverywhere();
    void limitsAgree();
};

void tst_DecodeDifferential::agrees_data()
{
    QTest::addColumn<Encoding>("encoding");
    QTest::addColumn<QList<QByteArray>>("inputs");
    QTest::newRow("json simulator") << Encoding::Json << simulatorFrames(Encoding::Json, 200);
    QTest::newRow("cbor simulator") << Encoding::Cbor << simulatorFrames(Encoding::Cbor, 200);
    QTest::newRow("json corpus") << Encoding::Json << corpus(u"json_decode"_s);
    QTest::newRow("cbor corpus") << Encoding::Cbor << corpus(u"cbor_decode"_s);
    QTest::newRow("json edge cases") << Encoding::Json << jsonEdgeCases();
    QTest::newRow("cbor edge cases") << Encoding::Cbor << cborEdgeCases();
    // Each encoding's bytes read as the other: all refused, alike.
    QTest::newRow("cbor as json") << Encoding::Json << corpus(u"cbor_decode"_s);
    QTest::newRow("json as cbor") << Encoding::Cbor << corpus(u"json_decode"_s);
}

void tst_DecodeDifferential::agrees()
{
    QFETCH(Encoding, encoding);
    QFETCH(QList<QByteArray>, inputs);
    QVERIFY(!inputs.isEmpty());
    for (const QByteArray &input : inputs) {
        const QString difference = reference::differenceFromReference(input, encoding);
        QVERIFY2(difference.isEmpty(),
                 qPrintable(difference + u"\ninput: "_s + QString::fromLatin1(input.toHex())));
    }
}

void tst_DecodeDifferential::agreesOnMutations_data()
{
    QTest::addColumn<Encoding>("encoding");
    QTest::addColumn<QList<QByteArray>>("inputs");
    for (const Encoding encoding : {Encoding::Json, Encoding::Cbor}) {
        const QString name = encoding == Encoding::Json ? u"json"_s : u"cbor"_s;
        // One frame of each kind the simulator sends, and the fuzz seeds.
        QList<QByteArray> frames;
        QSet<QString> kinds;
        for (const QByteArray &frame : simulatorFrames(encoding, 30)) {
            const DecodeResult r = decode(frame, encoding);
            const QString kind = r.ok() ? QString(typeName(*r.message)) : QString();
            if (!kinds.contains(kind))
                kinds.insert(kind), frames.append(frame);
        }
        frames += corpus(name + u"_decode"_s);
        QList<QByteArray> inputs;
        quint32 seed = 1;
        for (const QByteArray &frame : frames)
            inputs += mutations(frame, seed++);
        QTest::newRow(qPrintable(name)) << encoding << inputs;
    }
}

void tst_DecodeDifferential::agreesOnMutations()
{
    agrees();
}

void tst_DecodeDifferential::truncationIsAnErrorEverywhere_data()
{
    QTest::addColumn<Encoding>("encoding");
    QTest::newRow("json") << Encoding::Json;
    QTest::newRow("cbor") << Encoding::Cbor;
}

void tst_DecodeDifferential::truncationIsAnErrorEverywhere()
{
    // Cut anywhere, a valid message is malformed: an error with a message, never a crash.
    QFETCH(Encoding, encoding);
    for (const QByteArray &frame : simulatorFrames(encoding, 3)) {
        QVERIFY(decode(frame, encoding).ok());
        for (qsizetype n = 1; n < frame.size(); ++n) {
            const DecodeResult r = decode(QByteArrayView(frame).first(n), encoding);
            QVERIFY2(!r.ok(), frame.left(n).toHex().constData());
            QCOMPARE(r.error.code, u"bad_request"_s);
            QVERIFY(!r.error.message.isEmpty());
        }
    }
}

void tst_DecodeDifferential::limitsAgree()
{
    DecodeLimits limits;
    limits.maxItems = 3;
    limits.maxBytes = 200;
    for (const Encoding encoding : {Encoding::Json, Encoding::Cbor}) {
        for (const QByteArray &frame : simulatorFrames(encoding, 10)) {
            const QString difference = reference::differenceFromReference(frame, encoding, limits);
            QVERIFY2(difference.isEmpty(), qPrintable(difference));
        }
    }
}

QTEST_GUILESS_MAIN(tst_DecodeDifferential)
#include "tst_decodedifferential.moc"
