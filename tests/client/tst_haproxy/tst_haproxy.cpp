// installer/haproxy/tickwire-gateways.cfg, the shipped HAProxy example: it passes `haproxy -c`,
// and run (in the foreground, on free loopback ports, from a copy in a temporary folder) in
// front of two real tickwire-feed gateways it carries a FeedClient over to the other gateway
// when the one it landed on dies. Skipped only without the haproxy binary (scripts/dev
// installs it).
#include "client/feedclient.h"
#include "feedprocess.h"
#include "statecount.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using client::FeedClient;
using State = FeedClient::State;

namespace {
QString haproxyExecutable()
{
    const QString found = QStandardPaths::findExecutable(u"haproxy"_s);
    return !found.isEmpty()
               ? found
               : QStandardPaths::findExecutable(u"haproxy"_s, {u"/usr/sbin"_s, u"/sbin"_s});
}

quint16 freePort()
{
    QTcpServer server;
    return server.listen(QHostAddress::LocalHost, 0) ? server.serverPort() : 0;
}

// The shipped configuration with its frontend on `frontend` and its `server` lines, in order,
// on `gateways`; empty when the file does not have exactly that many.
QString configured(quint16 frontend, const QList<quint16> &gateways)
{
    QFile file(QStringLiteral(TICKWIRE_HAPROXY_CONFIG));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QString text = QString::fromUtf8(file.readAll());
    static const QRegularExpression bind(u"^(\\s*bind\\s+)127\\.0\\.0\\.1:\\d+"_s,
                                         QRegularExpression::MultilineOption);
    static const QRegularExpression server(u"^(\\s*server\\s+\\S+\\s+)127\\.0\\.0\\.1:\\d+"_s,
                                           QRegularExpression::MultilineOption);
    if (text.count(bind) != 1 || text.count(server) != gateways.size())
        return {};
    text.replace(bind, u"\\1127.0.0.1:%1"_s.arg(frontend));
    for (const quint16 port : gateways) {
        const QRegularExpressionMatch match = server.match(text);
        // Rewritten lines no longer match (the port is a placeholder first).
        text.replace(match.capturedStart(), match.capturedLength(),
                     match.captured(1) + u"127.0.0.1:@%1"_s.arg(port));
    }
    return text.replace(u"127.0.0.1:@"_s, u"127.0.0.1:"_s);
}

bool write(const QString &path, const QString &text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(text.toUtf8()) == text.toUtf8().size();
}

// `haproxy -c -f path`: the exit code, with what it said.
int check(const QString &haproxy, const QString &path, QString *output)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(haproxy, {u"-c"_s, u"-f"_s, path});
    if (!process.waitForFinished(15'000))
        return -1;
    *output = QString::fromUtf8(process.readAll());
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

bool accepts(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    return socket.waitForConnected(500);
}
} // namespace

class tst_HAProxy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void shippedConfigIsValid();
    void clientMovesToTheOtherGateway();

private:
    QString m_haproxy;
};

void tst_HAProxy::initTestCase()
{
    m_haproxy = haproxyExecutable();
    if (m_haproxy.isEmpty())
        QSKIP("no haproxy binary (Debian package haproxy; scripts/dev installs it)");
}

void tst_HAProxy::shippedConfigIsValid()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString text = configured(freePort(), {freePort(), freePort()});
    QVERIFY2(!text.isEmpty(), "the shipped config has not one bind and two server lines");
    QVERIFY(write(dir.filePath(u"gateways.cfg"_s), text));
    QString output;
    QCOMPARE(check(m_haproxy, dir.filePath(u"gateways.cfg"_s), &output), 0);
    QVERIFY2(output.contains(u"Configuration file is valid"_s), qPrintable(output));
    QVERIFY2(!output.contains(u"WARNING"_s), qPrintable(output));

    // The check can fail: the same file with its backend's name misspelt is refused.
    QVERIFY(write(dir.filePath(u"broken.cfg"_s),
                  QString(text).replace(u"default_backend tickwire_gateways"_s,
                                        u"default_backend tickwire_gatewayz"_s)));
    QVERIFY(check(m_haproxy, dir.filePath(u"broken.cfg"_s), &output) != 0);
}

void tst_HAProxy::clientMovesToTheOtherGateway()
{
    // Two gateways told apart by their market source: the simulation and a replayed tape.
    testing::FeedProcess sim(QStringLiteral(TICKWIRE_FEED_EXE));
    testing::FeedProcess replay(QStringLiteral(TICKWIRE_FEED_EXE));
    QVERIFY2(sim.start({u"--seed"_s, u"42"_s, u"--ephemeral"_s}), qPrintable(sim.banner()));
    QVERIFY2(replay.start({u"--replay"_s, QStringLiteral(TICKWIRE_SAMPLE_TAPE), u"--loop"_s,
                           u"--ephemeral"_s}),
             qPrintable(replay.banner()));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const quint16 frontend = freePort();
    const QString text = configured(frontend, {sim.port(), replay.port()});
    QVERIFY(!text.isEmpty());
    QVERIFY(write(dir.filePath(u"gateways.cfg"_s), text));
    QProcess haproxy; // its own configuration, in the foreground: never the system service
    haproxy.setProcessChannelMode(QProcess::ForwardedChannels);
    haproxy.start(m_haproxy, {u"-db"_s, u"-f"_s, dir.filePath(u"gateways.cfg"_s)});
    QVERIFY(haproxy.waitForStarted(10'000));
    const auto stop = qScopeGuard([&haproxy] {
        haproxy.kill();
        haproxy.waitForFinished(5'000);
    });
    QTRY_VERIFY_WITH_TIMEOUT(accepts(frontend), 10'000);

    FeedClient client;
    client::FeedOptions options;
    options.url = QUrl(u"ws://127.0.0.1:%1/"_s.arg(frontend));
    options.seed = 5;
    options.reconnect.baseMs = 100;
    options.reconnect.capMs = 1'000;
    options.reconnect.connectTimeoutMs = 3'000;
    client.setOptions(options);
    QSignalSpy lives(&client, &FeedClient::stateChanged);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Live, 15'000);
    const QString landed = client.marketSource();
    QVERIFY2(landed == u"sim"_s || landed == u"replay"_s, qPrintable(landed));

    (landed == u"sim"_s ? sim : replay).kill();
    // Counted from the state changes: the client can be Live again within one poll of a QTRY.
    QTRY_COMPARE_WITH_TIMEOUT(tickwire::testing::entriesInto(lives, State::Live), 2, 20'000);
    QCOMPARE(client.state(), State::Live);
    QCOMPARE(client.url(), options.url); // the one address: HAProxy chose the gateway
    QCOMPARE(client.marketSource(), landed == u"sim"_s ? u"replay"_s : u"sim"_s);
    QTRY_VERIFY_WITH_TIMEOUT(client.reconnectCount() >= 1, 5'000); // statistics come each second
    QCOMPARE(haproxy.state(), QProcess::Running);
}

QTEST_GUILESS_MAIN(tst_HAProxy)
#include "tst_haproxy.moc"
