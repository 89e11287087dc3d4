// FeedClient against the real tickwire-feed on 127.0.0.1 (port 0), directly or through the
// fault proxy: restarts, silent links, cut connections, injected gaps and bad checksums.
#include "client/feedclient.h"
#include "faultproxy.h"
#include "feedprocess.h"
#include "protocol/checksum.h"
#include "statecount.h"

#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtTest/QSignalSpy>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace tickwire;
using protocol::BookView;
using protocol::EventBatch;
using client::FeedClient;
using client::FeedOptions;
using testing::FaultProxy;

// The real server, with the options every test here starts it with.
class FeedProcess : public testing::FeedProcess
{
public:
    FeedProcess() : testing::FeedProcess(QStringLiteral(TICKWIRE_FEED_EXE)) { }
    bool start(quint16 port, const QStringList &extra = {})
    {
        return testing::FeedProcess::start(
            QStringList{u"--seed"_s, u"42"_s, u"--demo-token"_s, u"T"_s} + extra, port);
    }
};
using State = FeedClient::State;

namespace {
constexpr int StartTimeoutMs = 15'000;


FeedOptions options(const QUrl &url)
{
    FeedOptions o;
    o.url = url;
    o.seed = 3;
    o.reconnect.baseMs = 100;
    o.reconnect.capMs = 1'000;
    o.reconnect.connectTimeoutMs = 3'000;
    return o;
}

QHash<qint64, BookView> booksBySeq(const QSignalSpy &spy)
{
    QHash<qint64, BookView> out;
    for (const auto &args : spy) {
        const auto batch = args.at(0).value<EventBatch>();
        for (const BookView &book : batch.books)
            out.insert(book.seq, book);
    }
    return out;
}

int countBooks(const QSignalSpy &spy, bool resyncedOnly = false)
{
    int n = 0;
    for (const auto &args : spy) {
        const auto batch = args.at(0).value<EventBatch>();
        for (const BookView &book : batch.books)
            n += !resyncedOnly || book.resynced;
    }
    return n;
}

bool isBookDelta(const QByteArray &payload)
{
    return payload.contains("\"type\":\"book\"") && payload.contains("\"snapshot\":false");
}
} // namespace

class tst_FeedIntegration : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void serverKilledAndRestarted();
    void silentLinkIsDetectedAsStale();
    void cutConnectionReconnects();
    void injectedBookFaultsResnapshot_data();
    void injectedBookFaultsResnapshot();
    void badTokenStopsRetrying();
    void cborEncoding();
    void secureWebSocket_data();
    void secureWebSocket();
};

void tst_FeedIntegration::serverKilledAndRestarted()
{
    FeedProcess feed;
    QVERIFY(feed.start(0));
    const quint16 port = feed.port();
    FeedClient client;
    QSignalSpy states(&client, &FeedClient::stateChanged);
    QSignalSpy batches(&client, &FeedClient::batchReady);
    client.setOptions(options(feed.url()));
    client.subscribe(u"ticker:BTC-USD"_s);
    client.subscribe(u"ticker:ETH-USD"_s);
    client.subscribe(u"book:BTC-USD"_s);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Live, 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(countBooks(batches) >= 2, 10'000);

    feed.kill();
    QTRY_VERIFY_WITH_TIMEOUT(
        client.state() == State::Reconnecting || client.state() == State::Connecting, 10'000);
    QTest::qWait(300); // a few failed attempts against nothing
    batches.clear();
    QVERIFY(feed.start(port)); // same port
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Live, 15'000);
    // Everything came back: a fresh book snapshot and both tickers.
    QTRY_VERIFY_WITH_TIMEOUT(countBooks(batches, true) >= 1, 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            QSet<QString> seen;
            for (const auto &args : batches) {
                for (const auto &event : args.at(0).value<EventBatch>().events) {
                    if (const auto *t = std::get_if<protocol::Ticker>(&event))
                        seen.insert(t->symbol);
                }
            }
            return seen.size() == 2;
        }(),
        10'000);
    int lives = 0;
    for (const auto &args : states)
        lives += args.at(0).value<State>() == State::Live;
    QCOMPARE(lives, 2);
    QVERIFY(client.reconnectCount() >= 1);
}

void tst_FeedIntegration::silentLinkIsDetectedAsStale()
{
    FeedProcess feed;
    QVERIFY(feed.start(0, {u"--heartbeat-ms"_s, u"300"_s}));
    FaultProxy proxy(feed.port());
    QVERIFY(proxy.listen());
    FeedClient client;
    QSignalSpy states(&client, &FeedClient::stateChanged);
    QSignalSpy transitions(&client, &FeedClient::transitioned);
    client.setOptions(options(proxy.url()));
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Live, 10'000);

    proxy.setMode(FaultProxy::Mode::Stall); // both sockets stay open, nothing moves
    QTRY_VERIFY_WITH_TIMEOUT(states.contains(QVariantList{QVariant::fromValue(State::Stale)}),
                             5'000);
    QString staleError;
    for (const auto &args : transitions) {
        if (args.at(0).value<State>() == State::Stale)
            staleError = args.at(3).toString();
    }
    QVERIFY2(staleError.contains(u"no data"_s), qPrintable(staleError));
    proxy.setMode(FaultProxy::Mode::Forward);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Live, 10'000);
    QVERIFY(proxy.connectionCount() >= 2);
}

void tst_FeedIntegration::cutConnectionReconnects()
{
    FeedProcess feed;
    QVERIFY(feed.start(0));
    FaultProxy proxy(feed.port());
    QVERIFY(proxy.listen());
    FeedClient client;
    QSignalSpy batches(&client, &FeedClient::batchReady);
    QSignalSpy states(&client, &FeedClient::stateChanged);
    client.setOptions(options(proxy.url()));
    client.subscribe(u"book:ETH-USD"_s);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Live, 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(countBooks(batches, true) >= 1, 10'000);
    batches.clear(); // from here on only what comes after the cut
    proxy.cutAll();
    // Counted from the state changes: the client can be Live again within one poll of a QTRY.
    QTRY_COMPARE_WITH_TIMEOUT(tickwire::testing::entriesInto(states, State::Live), 2, 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(countBooks(batches, true) >= 1, 10'000);
    QCOMPARE(proxy.connectionCount(), 2);
}

void tst_FeedIntegration::injectedBookFaultsResnapshot_data()
{
    QTest::addColumn<QString>("fault");
    QTest::newRow("dropped delta (gap)") << u"gap"_s;
    QTest::newRow("corrupted checksum") << u"checksum"_s;
}

void tst_FeedIntegration::injectedBookFaultsResnapshot()
{
    QFETCH(QString, fault);
    FeedProcess feed;
    QVERIFY(feed.start(0));
    FaultProxy proxy(feed.port());
    QVERIFY(proxy.listen());
    int deltas = 0;
    bool injected = false;
    proxy.setServerFrameHook([&](int, const QByteArray &payload) -> std::optional<QByteArray> {
        if (injected || !isBookDelta(payload) || ++deltas < 5)
            return payload;
        injected = true;
        if (fault == u"gap"_s)
            return std::nullopt;
        static const QRegularExpression checksum(u"\"checksum\":(\\d+)"_s);
        QString text = QString::fromUtf8(payload);
        const auto match = checksum.match(text);
        const quint64 wrong = match.captured(1).toULongLong() ^ 1;
        text.replace(match.capturedStart(1), match.capturedLength(1), QString::number(wrong));
        return text.toUtf8();
    });

    // The reference client sees the same server without faults.
    FeedClient reference;
    QSignalSpy referenceBatches(&reference, &FeedClient::batchReady);
    reference.setOptions(options(feed.url()));
    reference.subscribe(u"book:BTC-USD"_s);
    reference.open();

    FeedClient client;
    QSignalSpy batches(&client, &FeedClient::batchReady);
    client.setOptions(options(proxy.url()));
    client.subscribe(u"book:BTC-USD"_s);
    client.open();
    QTRY_VERIFY_WITH_TIMEOUT(injected, 15'000);
    QTRY_VERIFY_WITH_TIMEOUT(client.stats().resnapshots >= 1, 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(countBooks(batches, true) >= 2, 10'000); // first + resnapshot
    QCOMPARE(proxy.connectionCount(), 1); // no reconnect, just that symbol again
    if (fault == u"gap"_s)
        QVERIFY(client.stats().gaps >= 1);
    else
        QVERIFY(client.stats().checksumFailures >= 1);

    // Let both run on, then compare every book both published at the same sequence.
    QTest::qWait(1'500);
    const auto mine = booksBySeq(batches);
    const auto theirs = booksBySeq(referenceBatches);
    int compared = 0;
    for (auto it = mine.cbegin(); it != mine.cend(); ++it) {
        const auto other = theirs.constFind(it.key());
        if (other == theirs.cend())
            continue;
        ++compared;
        QCOMPARE(it->bids, other->bids);
        QCOMPARE(it->asks, other->asks);
        QVERIFY(it->bids.isEmpty() || it->asks.isEmpty()
                || it->bids.first().price < it->asks.first().price);
    }
    QVERIFY2(compared >= 3, qPrintable(QString::number(compared)));
}

void tst_FeedIntegration::badTokenStopsRetrying()
{
    FeedProcess feed;
    QVERIFY(feed.start(0));
    FaultProxy proxy(feed.port()); // only to count connection attempts
    QVERIFY(proxy.listen());
    FeedClient client;
    FeedOptions o = options(proxy.url());
    o.token = u"not-a-token"_s;
    client.setOptions(o);
    client.open();
    QSignalSpy accounts(&client, &FeedClient::accountChanged);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::AuthFailed, 10'000);
    QCOMPARE(client.account(), QString());
    const int attempts = proxy.connectionCount();
    QTest::qWait(1'500); // longer than the 1 s backoff cap
    QCOMPARE(proxy.connectionCount(), attempts);
    QCOMPARE(client.state(), State::AuthFailed);
    client.setToken(u"T"_s);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Live, 10'000);
    // The welcome names the account the token belongs to (tickwire-feed's demo account).
    QCOMPARE(client.account(), u"demo"_s);
    QCOMPARE(accounts.size(), 1);
}

void tst_FeedIntegration::cborEncoding()
{
    FeedProcess feed;
    QVERIFY(feed.start(0));
    FaultProxy proxy(feed.port());
    int binaryFrames = 0;
    proxy.setServerFrameHook([&](int opcode, const QByteArray &payload) {
        binaryFrames += opcode == 2;
        return std::optional<QByteArray>(payload);
    });
    QVERIFY(proxy.listen());
    FeedClient client;
    QSignalSpy batches(&client, &FeedClient::batchReady);
    FeedOptions o = options(proxy.url());
    o.encoding = protocol::Encoding::Cbor;
    client.setOptions(o);
    client.subscribe(u"book:BTC-USD"_s);
    client.subscribe(u"ticker:BTC-USD"_s);
    client.open();
    QTRY_VERIFY_WITH_TIMEOUT(countBooks(batches) >= 3, 10'000);
    QVERIFY(binaryFrames >= 3);
    QCOMPARE(client.stats().checksumFailures, 0);
    QCOMPARE(client.stats().badFrames, 0);
}

void tst_FeedIntegration::secureWebSocket_data()
{
    QTest::addColumn<QString>("trust");
    QTest::addColumn<bool>("live");
    QTest::newRow("custom CA") << u"ca"_s << true;
    QTest::newRow("ignore self-signed") << u"ignore"_s << true;
    QTest::newRow("untrusted") << u"none"_s << false;
}

void tst_FeedIntegration::secureWebSocket()
{
#if !QT_CONFIG(ssl)
    QSKIP("Qt built without TLS");
#endif
    QFETCH(QString, trust);
    QFETCH(bool, live);
    // A throwaway self-signed certificate made now: no private key is ever committed.
    QTemporaryDir tls;
    QVERIFY(tls.isValid());
    const QString dir = tls.path() + u'/';
    QProcess openssl;
    openssl.start(u"openssl"_s,
                  {u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-keyout"_s,
                   dir + u"tls-key.pem"_s, u"-out"_s, dir + u"tls-cert.pem"_s, u"-days"_s, u"2"_s,
                   u"-subj"_s, u"/CN=127.0.0.1"_s, u"-addext"_s,
                   u"subjectAltName=IP:127.0.0.1,DNS:localhost"_s});
    QVERIFY2(openssl.waitForFinished(30'000), "openssl did not finish");
    QVERIFY2(openssl.exitCode() == 0, openssl.readAllStandardError().constData());
    FeedProcess feed;
    QVERIFY(feed.start(
        0, {u"--tls-cert"_s, dir + u"tls-cert.pem"_s, u"--tls-key"_s, dir + u"tls-key.pem"_s}));
    FeedClient client;
    FeedOptions o = options(QUrl(u"wss://127.0.0.1:%1/"_s.arg(feed.port())));
    if (trust == u"ca"_s)
        o.caCertificateFile = dir + u"tls-cert.pem"_s;
    o.ignoreSslErrors = trust == u"ignore"_s;
    client.setOptions(o);
    client.subscribe(u"ticker:BTC-USD"_s);
    client.open();
    if (live) {
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Live, 10'000);
    } else {
        QTRY_VERIFY_WITH_TIMEOUT(client.attempt() >= 1, 10'000);
        QVERIFY(client.state() != State::Live);
        QVERIFY(!client.lastError().isEmpty());
    }
}

QTEST_GUILESS_MAIN(tst_FeedIntegration)
#include "tst_feedintegration.moc"
