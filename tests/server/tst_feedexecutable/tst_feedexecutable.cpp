#include "protocol/codec.h"

#include <QtCore/QProcess>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace tickwire::protocol;

namespace {

const QString Binary = QStringLiteral(TICKWIRE_BINARY_DIR "/app/tickwire-feed/tickwire-feed");
const QString DataDir = QStringLiteral(TICKWIRE_TEST_DATA_DIR "/server/");

} // namespace

// The executable's contract with other tools: stdout lines, replay, clean signal shutdown.
class tst_FeedExecutable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listeningLineThenTokenThenCleanSigterm();
    void replayReportsBadLinesAndStreamsTheGoodOnes();
    void badArguments_data();
    void badArguments();
};

void tst_FeedExecutable::listeningLineThenTokenThenCleanSigterm()
{
    QProcess feed;
    feed.start(Binary, {u"--listen"_s, u"127.0.0.1:0"_s, u"--seed"_s, u"9"_s, u"--demo-token"_s,
                        u"cli-demo-token-42"_s});
    QVERIFY(feed.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(feed.canReadLine(), 10000);
    const QString first = QString::fromUtf8(feed.readLine()).trimmed();
    static const QRegularExpression re(
        u"^tickwire-feed listening on ws://127\\.0\\.0\\.1:(\\d+)/$"_s);
    const auto match = re.match(first);
    QVERIFY2(match.hasMatch(), qPrintable(first));
    QTRY_VERIFY_WITH_TIMEOUT(feed.canReadLine(), 10000);
    QCOMPARE(QString::fromUtf8(feed.readLine()).trimmed(),
             u"demo token: cli-demo-token-42 (account demo)"_s);

    QWebSocket client;
    QList<Message> received;
    connect(&client, &QWebSocket::textMessageReceived, this, [&](const QString &text) {
        if (auto r = decode(text.toUtf8(), Encoding::Json); r.ok())
            received.append(*r.message);
    });
    QUrl url(u"ws://127.0.0.1:%1/?token=cli-demo-token-42"_s.arg(match.captured(1)));
    client.open(url);
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 1, 10000);
    QCOMPARE(std::get<Welcome>(received.first()).account.value_or(QString()), u"demo"_s);

    QSignalSpy closed(&client, &QWebSocket::disconnected);
    ::kill(pid_t(feed.processId()), SIGTERM);
    QVERIFY(feed.waitForFinished(10000));
    QCOMPARE(feed.exitStatus(), QProcess::NormalExit);
    QCOMPARE(feed.exitCode(), 0);
    QTRY_COMPARE(closed.size(), 1);
    QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
    const QString log = QString::fromUtf8(feed.readAllStandardError());
    QVERIFY2(log.contains(u"event=connect"_s), qPrintable(log));
    QVERIFY2(!log.contains(u"cli-demo-token-42"_s), qPrintable(log)); // tokens never logged
}

void tst_FeedExecutable::replayReportsBadLinesAndStreamsTheGoodOnes()
{
    QProcess feed;
    feed.start(Binary, {u"--listen"_s, u"127.0.0.1:0"_s, u"--replay"_s,
                        DataDir + u"replay-bad.csv"_s, u"--speed"_s, u"20"_s, u"--loop"_s,
                        u"--instruments"_s, DataDir + u"instruments-small.json"_s});
    QVERIFY(feed.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(feed.canReadLine(), 10000);
    const QString first = QString::fromUtf8(feed.readLine()).trimmed();
    QVERIFY2(first.startsWith(u"tickwire-feed listening on ws://"_s), qPrintable(first));
    const QUrl url(first.mid(first.indexOf(u"ws://"_s)));

    QWebSocket client;
    QList<Trade> trades;
    connect(&client, &QWebSocket::textMessageReceived, this, [&](const QString &text) {
        if (auto r = decode(text.toUtf8(), Encoding::Json); r.ok()) {
            if (const auto *t = std::get_if<Trade>(&*r.message))
                trades.append(*t);
        }
    });
    connect(&client, &QWebSocket::connected, this, [&] {
        client.sendTextMessage(
            u"{\"type\":\"subscribe\",\"id\":1,\"channel\":\"trades\",\"symbols\":[\"BTC-USD\"]}"_s);
    });
    client.open(url);
    QTRY_VERIFY_WITH_TIMEOUT(trades.size() >= 4, 20000);
    // Only the good BTC-USD lines of the tape (2 and 12) are ever traded, looping.
    for (const Trade &t : trades) {
        QVERIFY2(t.price.toString() == u"64012.50"_s || t.price.toString() == u"64013.00"_s,
                 qPrintable(t.price.toString()));
    }
    for (qsizetype i = 1; i < trades.size(); ++i)
        QCOMPARE(trades[i].seq, trades[i - 1].seq + 1);
    ::kill(pid_t(feed.processId()), SIGINT);
    QVERIFY(feed.waitForFinished(10000));
    QCOMPARE(feed.exitCode(), 0);
    const QString log = QString::fromUtf8(feed.readAllStandardError());
    for (int line : {3, 4, 5, 6, 9, 11})
        QVERIFY2(log.contains(u"event=replay_bad_line"_s) && log.contains(u"line=%1 "_s.arg(line)),
                 qPrintable(log));
    // ETH-USD is not an instrument of this server: skipped with its line number.
    QVERIFY2(log.contains(u"event=replay_skip line=10"_s), qPrintable(log));
}

void tst_FeedExecutable::badArguments_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("listen") << QStringList{u"--listen"_s, u"localhost"_s} << u"--listen expects"_s;
    QTest::newRow("rate") << QStringList{u"--rate"_s, u"fast"_s} << u"--rate expects"_s;
    QTest::newRow("instruments") << QStringList{u"--instruments"_s,
                                                DataDir + u"instruments-duplicate.json"_s}
                                 << u"duplicate symbol"_s;
    QTest::newRow("replay") << QStringList{u"--replay"_s, DataDir + u"nope.csv"_s}
                            << u"cannot open"_s;
    QTest::newRow("role") << QStringList{u"--role"_s, u"boss"_s} << u"--role expects"_s;
    QTest::newRow("gateway without NATS")
        << QStringList{u"--role"_s, u"gateway"_s} << u"--role gateway needs --nats"_s;
    QTest::newRow("NATS without a role")
        << QStringList{u"--nats"_s, u"nats://127.0.0.1:4222"_s}
        << u"--nats and --nats-replicas need --role engine or gateway"_s;
    QTest::newRow("market option on a gateway")
        << QStringList{u"--role"_s,   u"gateway"_s, u"--nats"_s, u"nats://127.0.0.1:4222"_s,
                       u"--source"_s, u"binance"_s}
        << u"--source belongs to the engine"_s;
    QTest::newRow("replicas") << QStringList{u"--role"_s,          u"engine"_s,
                                             u"--nats"_s,          u"nats://127.0.0.1:4222"_s,
                                             u"--nats-replicas"_s, u"2"_s}
                              << u"--nats-replicas expects 1 or 3"_s;
    QTest::newRow("pending on an engine")
        << QStringList{u"--role"_s,         u"engine"_s, u"--nats"_s, u"nats://127.0.0.1:4222"_s,
                       u"--nats-pending"_s, u"10"_s}
        << u"--nats-pending belongs to a gateway"_s;
    QTest::newRow("pending") << QStringList{u"--role"_s,         u"gateway"_s,
                                            u"--nats"_s,         u"nats://127.0.0.1:4222"_s,
                                            u"--nats-pending"_s, u"0"_s}
                             << u"--nats-pending expects a positive number"_s;
}

void tst_FeedExecutable::badArguments()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    QProcess feed;
    feed.start(Binary, QStringList{u"--listen"_s, u"127.0.0.1:0"_s} + arguments);
    QVERIFY(feed.waitForFinished(10000));
    QCOMPARE(feed.exitCode(), 2);
    const QString err = QString::fromUtf8(feed.readAllStandardError());
    QVERIFY2(err.contains(message), qPrintable(err));
    QVERIFY(feed.readAllStandardOutput().isEmpty()); // never claims to listen
}

QTEST_GUILESS_MAIN(tst_FeedExecutable)
#include "tst_feedexecutable.moc"
