// KrakenSource and fetchKrakenSymbols against a scripted exchange on loopback (tests/tools
// ExchangeReplayServer; synthetic sessions in tests/data/exchanges/kraken).
#include "booklevels.h"
#include "exchangereplayserver.h"
#include "exchanges/krakensource.h"
#include "protocol/orderbook.h"

#include <QtNetwork/QTcpServer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::exchanges;

namespace {

QString session(const QString &name)
{
    return QStringLiteral(TICKWIRE_TEST_DATA_DIR "/exchanges/kraken/") + name;
}

struct Fetched
{
    bool done = false;
    QList<kraken::SymbolInfo> symbols;
    QString error;
};

// Runs fetchKrakenSymbols against a new replay server on `script` (its connection 1).
Fetched fetch(const QString &script, const QStringList &symbols, int timeoutMs = 20'000)
{
    testing::ExchangeReplayServer replay;
    QString error;
    if (!replay.load(session(script), &error) || !replay.listen())
        return {true, {}, u"replay server: "_s + error};
    QObject parent;
    Fetched out;
    fetchKrakenSymbols(
        &parent, replay.webSocketUrl(), symbols,
        [&out](QList<kraken::SymbolInfo> found, const QString &e) {
            out = {true, found, e};
        },
        nullptr, timeoutMs);
    if (!QTest::qWaitFor([&] { return out.done; }, 10'000))
        return {true, {}, u"fetchKrakenSymbols did not call back"_s};
    return out;
}

int countContaining(const QStringList &messages, const QString &needle)
{
    return int(std::count_if(messages.cbegin(), messages.cend(),
                             [&](const QString &m) { return m.contains(needle); }));
}

// Applies what the source emits for `symbol` to a book, as the engine would.
struct BookMirror
{
    protocol::OrderBook book;
    int snapshots = 0;
    int problems = 0;
    void connectTo(MarketSource *source, const QString &symbol)
    {
        QObject::connect(
            source, &MarketSource::bookReceived, source, [this, symbol](const protocol::Book &b) {
                if (b.symbol != symbol)
                    return;
                if (b.snapshot) {
                    ++snapshots;
                    book.clear();
                }
                if (b.seq != 0 || b.checksum != 0 || !book.apply(b) || book.isCrossed())
                    ++problems;
            });
    }
};

KrakenOptions fastOptions(const QUrl &url, QList<kraken::SymbolInfo> symbols)
{
    KrakenOptions options;
    options.webSocketBase = url;
    options.symbols = std::move(symbols);
    options.silenceTimeoutMs = 2'000;
    options.reconnect.baseMs = 50;
    options.reconnect.capMs = 200;
    return options;
}

} // namespace

class TestKrakenSource : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<SourceStatus>(); }

    void symbolsFromTheInstrumentChannel()
    {
        Fetched f = fetch(u"session-faults.ndjson"_s, {u"ETH-USD"_s, u"XBT-USD"_s});
        QVERIFY2(f.error.isEmpty(), qPrintable(f.error));
        QCOMPARE(f.symbols.size(), 2);
        QCOMPARE(f.symbols[0].exchangeSymbol, u"ETH/USD"_s); // in the order asked for
        QCOMPARE(f.symbols[1].exchangeSymbol, u"BTC/USD"_s); // XBT is BTC
        QCOMPARE(f.symbols[1].info.symbol, u"BTC-USD"_s);
        QCOMPARE(f.symbols[1].info.tickSize.toString(), u"0.1"_s);
        QCOMPARE(f.symbols[1].info.lotSize.toString(), u"0.00000001"_s); // sent as 1e-08
        QCOMPARE(f.symbols[0].info.tickSize.toString(), u"0.01"_s);

        f = fetch(u"session-faults.ndjson"_s, {});
        QCOMPARE(f.symbols.size(), 2); // every listed pair; OLD/USD is delisted

        f = fetch(u"session-faults.ndjson"_s, {u"OLD-USD"_s});
        QVERIFY2(f.error.contains(u"Kraken lists no trading pair OLD-USD"_s), qPrintable(f.error));
    }

    void discoveryFailuresAreErrors()
    {
        // Nobody listening.
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 port = closed.serverPort();
        closed.close();
        QObject parent;
        Fetched out;
        fetchKrakenSymbols(&parent, QUrl(u"ws://127.0.0.1:%1"_s.arg(port)), {u"BTC-USD"_s},
                           [&out](QList<kraken::SymbolInfo> found, const QString &e) {
                               out = {true, found, e};
                           });
        QTRY_VERIFY(out.done);
        QVERIFY2(out.error.contains(u"instrument discovery"_s) && out.error.contains(u"failed"_s),
                 qPrintable(out.error));

        // Connected, but no snapshot comes (that script waits for a book subscription).
        const Fetched f = fetch(u"session-unverified.ndjson"_s, {u"BTC-USD"_s}, 300);
        QVERIFY2(f.error.contains(u"no snapshot within 300 ms"_s), qPrintable(f.error));
    }

    // Subscriptions, the synced books, a checksum mismatch (exactly one resubscription, then
    // recovery), silence (a ping, then a reconnect that resubscribes everything).
    void bookOverTheNetwork()
    {
        testing::ExchangeReplayServer replay;
        QString error;
        QVERIFY2(replay.load(session(u"session-book.ndjson"_s), &error), qPrintable(error));
        QVERIFY(replay.listen());
        QList<kraken::SymbolInfo> symbols;
        QObject parent;
        fetchKrakenSymbols(&parent, replay.webSocketUrl(), {u"BTC-USD"_s, u"ETH-USD"_s},
                           [&](QList<kraken::SymbolInfo> s, const QString &e) {
                               symbols = s;
                               error = e;
                           });
        QTRY_COMPARE(symbols.size(), 2);

        KrakenSource source(fastOptions(replay.webSocketUrl(), symbols));
        QVERIFY(source.configurationError().isEmpty());
        BookMirror btc;
        btc.connectTo(&source, u"BTC-USD"_s);
        QSignalSpy trades(&source, &MarketSource::tradeReceived);
        QSignalSpy tickers(&source, &MarketSource::tickerReceived);
        QSignalSpy candles(&source, &MarketSource::candleReceived);
        QSignalSpy statuses(&source, &MarketSource::statusChanged);
        source.start();

        QTRY_VERIFY(source.status().state == SourceState::Live);
        const QStringList both{u"BTC/USD"_s, u"ETH/USD"_s};
        QTRY_VERIFY(replay.receivedMessages(2).size() >= 7);
        QCOMPARE(replay.receivedMessages(2).mid(0, 7),
                 (QStringList{kraken::subscribeRequest("book"_L1, both, 25),
                              kraken::subscribeRequest("trade"_L1, both),
                              kraken::subscribeRequest("ticker"_L1, both),
                              kraken::subscribeRequest("ohlc"_L1, both, 1),
                              kraken::subscribeRequest("ohlc"_L1, both, 5),
                              kraken::subscribeRequest("ohlc"_L1, both, 15),
                              kraken::subscribeRequest("ohlc"_L1, both, 60)}));
        QTRY_COMPARE(testing::bookLevels(btc.book),
                     (QStringList{u"b 64000.0:1.50000000"_s, u"a 64000.5:0.10000000"_s,
                                  u"a 64001.0:2.00000000"_s, u"a 64002.0:0.50000000"_s}));
        QCOMPARE(btc.snapshots, 1);
        QTRY_COMPARE(trades.size(), 1);
        const auto trade = trades[0][0].value<protocol::Trade>();
        QCOMPARE(trade.price.toString(), u"64000.5"_s);
        QCOMPARE(trade.qty.toString(), u"0.01000000"_s);
        QCOMPARE(trade.tradeId, std::int64_t(1001));
        QTRY_COMPARE(tickers.size(), 1);
        QCOMPARE(tickers[0][0].value<protocol::Ticker>().open24h.toString(), u"63500.0"_s);
        QTRY_COMPARE(candles.size(), 1);
        QVERIFY(candles[0][0].value<protocol::Candle>().interval == protocol::CandleInterval::M1);
        QCOMPARE(source.status().reconnects, 0);

        replay.release(); // a mismatching update, one ignored update, then the new snapshot
        QTRY_COMPARE(btc.snapshots, 2);
        QTRY_COMPARE(testing::bookLevels(btc.book),
                     (QStringList{u"b 64001.0:2.00000000"_s, u"b 64000.5:0.30000000"_s,
                                  u"a 64003.0:5.00000000"_s}));
        QTRY_VERIFY(source.status().state == SourceState::Live);
        QCOMPARE(countContaining(replay.receivedMessages(2), u"\"unsubscribe\""_s), 1);
        QCOMPARE(countContaining(replay.receivedMessages(2), u"\"channel\":\"book\""_s), 3);
        const bool sawResyncing =
            std::any_of(statuses.cbegin(), statuses.cend(), [](const auto &s) {
                return s[0].template value<SourceStatus>().state == SourceState::Resyncing;
            });
        QVERIFY(sawResyncing);

        replay.release(); // silence: a ping, then a new connection that resyncs every book
        QTRY_VERIFY_WITH_TIMEOUT(replay.connectionCount() == 3, 15'000);
        QVERIFY(countContaining(replay.receivedMessages(2), u"\"method\":\"ping\""_s) >= 1);
        QTRY_COMPARE(testing::bookLevels(btc.book),
                     (QStringList{u"b 64002.5:0.75000000"_s, u"a 64004.0:1.25000000"_s}));
        QTRY_VERIFY(source.status().state == SourceState::Live);
        QCOMPARE(source.status().reconnects, 1);
        QCOMPARE(btc.snapshots, 3);
        QCOMPARE(btc.problems, 0);
        QVERIFY(source.status().lastMessageTs > 0);
    }

    void unverifiedAfterFiveFailures()
    {
        testing::ExchangeReplayServer replay;
        QString error;
        QVERIFY2(replay.load(session(u"session-unverified.ndjson"_s), &error), qPrintable(error));
        QVERIFY(replay.listen());
        kraken::SymbolInfo btcUsd;
        btcUsd.exchangeSymbol = u"BTC/USD"_s;
        btcUsd.info.symbol = u"BTC-USD"_s;
        btcUsd.info.tickSize = *Decimal::parse(QByteArrayView("0.1"));
        btcUsd.info.lotSize = *Decimal::parse(QByteArrayView("0.00000001"));
        KrakenSource source(fastOptions(replay.webSocketUrl(), {btcUsd}));
        BookMirror btc;
        btc.connectTo(&source, u"BTC-USD"_s);
        QSignalSpy statuses(&source, &MarketSource::statusChanged);
        source.start();

        QTRY_VERIFY(source.status().state == SourceState::Unverified);
        QCOMPARE(toString(source.status().state), "unverified"_L1);
        QCOMPARE(countContaining(replay.receivedMessages(1), u"\"unsubscribe\""_s),
                 kraken::KrakenBookSync::MaxFailures - 1);
        QCOMPARE(btc.snapshots, 1); // the book is kept, as received
        QCOMPARE(testing::bookLevels(btc.book),
                 (QStringList{u"b 64000.0:1.50000000"_s, u"b 63999.5:0.25000000"_s,
                              u"a 64000.5:0.10000000"_s, u"a 64001.0:2.00000000"_s}));
        QVERIFY(source.book(u"BTC-USD"_s)->state() == kraken::KrakenBookSync::State::Unverified);

        replay.release(); // an update whose checksum matches: verified again
        QTRY_VERIFY(source.status().state == SourceState::Live);
        QCOMPARE(testing::bookLevels(btc.book),
                 (QStringList{u"b 64000.0:1.50000000"_s, u"a 64000.5:0.10000000"_s,
                              u"a 64001.0:2.00000000"_s, u"a 64002.0:0.50000000"_s}));
        QStringList seen;
        for (const auto &s : statuses)
            seen.append(toString(s[0].value<SourceStatus>().state));
        QCOMPARE(seen, (QStringList{u"resyncing"_s, u"unverified"_s, u"live"_s}));
        QCOMPARE(btc.problems, 0);
    }

    void configurationErrors()
    {
        KrakenOptions options;
        QVERIFY(KrakenSource(options).configurationError().contains(u"no symbols"_s));
        options.symbols.append(kraken::SymbolInfo{u"BTC/USD"_s, {}});
        options.depth = 30;
        QVERIFY(KrakenSource(options).configurationError().contains(u"depth 30"_s));
        options.depth = 25;
        QVERIFY(KrakenSource(options).configurationError().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestKrakenSource)
#include "tst_krakensource.moc"
