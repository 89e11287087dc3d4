// UpstreamSocket, the connection every exchange adapter keeps open, against a local
// QWebSocketServer: frames both ways (and recorded), reopening after the server closes, after
// silence and after drop(), the probe at half the silence bound, reconnectNow() without a
// delay, and stop() for good.
#include "exchanges/framerecorder.h"
#include "exchanges/upstreamsocket.h"

#include <QtCore/QFile>
#include <QtCore/QLoggingCategory>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketServer>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::exchanges;

Q_LOGGING_CATEGORY(lcTest, "tickwire.test.upstream")

namespace {

constexpr int Timeout = 10'000;

// Accepts connections and keeps them; the test drives what each one does.
class Server : public QObject
{
public:
    Server()
    {
        QVERIFY(m_server.listen(QHostAddress::LocalHost, 0));
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this); // the server's own sockets have no parent
                connect(socket, &QWebSocket::textMessageReceived, this,
                        [this](const QString &text) { received << text; });
                sockets.push_back(socket);
            }
        });
    }
    [[nodiscard]] QUrl url() const
    {
        return QUrl(u"ws://127.0.0.1:%1/"_s.arg(m_server.serverPort()));
    }
    [[nodiscard]] int accepted() const { return int(sockets.size()); }
    [[nodiscard]] QWebSocket *last() const { return sockets.back(); }

    std::vector<QWebSocket *> sockets; // children of this object
    QStringList received;

private:
    QWebSocketServer m_server{u"upstream-test"_s, QWebSocketServer::NonSecureMode};
};

client::ReconnectOptions quickReconnects()
{
    client::ReconnectOptions options;
    options.baseMs = 50;
    options.capMs = 100;
    options.connectTimeoutMs = 2'000;
    return options;
}

// An UpstreamSocket on `server`'s URL, with spies on its connection signals.
struct Link
{
    explicit Link(const Server &server, const client::ReconnectOptions &options = quickReconnects(),
                  int silenceMs = 10'000)
        : upstream(lcTest(), options, nullptr)
    {
        upstream.setUrl(server.url());
        upstream.setSilenceTimeout(silenceMs);
    }
    // Starts it and waits for the first connection.
    [[nodiscard]] bool open()
    {
        upstream.start();
        return QTest::qWaitFor([this] { return !connected.isEmpty(); }, Timeout);
    }
    UpstreamSocket upstream;
    QSignalSpy connected{&upstream, &UpstreamSocket::connected};
    QSignalSpy disconnected{&upstream, &UpstreamSocket::disconnected};
};

} // namespace

class tst_UpstreamSocket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void framesBothWaysAndRecorded();
    void reopensAfterTheServerCloses();
    void silenceEndsTheConnection();
    void probeAtHalfTheBound();
    void dropEndsTheConnection();
    void reconnectNowWithoutDelay();
    void stopIsForGood();
};

void tst_UpstreamSocket::framesBothWaysAndRecorded()
{
    Server server;
    QTemporaryDir dir;
    FrameRecorder recorder;
    QString error;
    QVERIFY2(recorder.open(dir.filePath(u"frames.ndjson"_s), &error), qPrintable(error));
    UpstreamSocket upstream(lcTest(), quickReconnects(), nullptr);
    upstream.setRecorder(&recorder);
    upstream.setUrl(server.url());
    QSignalSpy connected(&upstream, &UpstreamSocket::connected);
    QSignalSpy text(&upstream, &UpstreamSocket::textReceived);
    QVERIFY(!upstream.sendText(u"too early"_s));
    upstream.start();
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, Timeout);
    QVERIFY(upstream.isConnected());
    QCOMPARE(upstream.lastMessageTs(), 0);
    QVERIFY(upstream.sendText(u"{\"subscribe\":1}"_s));
    QTRY_COMPARE_WITH_TIMEOUT(server.received, QStringList{u"{\"subscribe\":1}"_s}, Timeout);
    server.last()->sendTextMessage(u"{\"tick\":1}"_s);
    QTRY_COMPARE_WITH_TIMEOUT(text.size(), 1, Timeout);
    QCOMPARE(text.at(0).at(0).toString(), u"{\"tick\":1}"_s);
    QVERIFY(upstream.lastMessageTs() > 0);
    QCOMPARE(upstream.reconnects(), 0);
    // Both frames in the recording, the sent one and the received one.
    QCOMPARE(recorder.linesWritten(), 2);
}

void tst_UpstreamSocket::reopensAfterTheServerCloses()
{
    Server server;
    Link link(server);
    QVERIFY(link.open());
    server.last()->close(QWebSocketProtocol::CloseCodeGoingAway, u"restart"_s);
    QTRY_COMPARE_WITH_TIMEOUT(link.disconnected.size(), 1, Timeout);
    QVERIFY(!link.upstream.isConnected());
    QTRY_COMPARE_WITH_TIMEOUT(link.connected.size(), 2, Timeout);
    QCOMPARE(server.accepted(), 2);
    QCOMPARE(link.upstream.reconnects(), 1);
}

void tst_UpstreamSocket::silenceEndsTheConnection()
{
    Server server;
    Link link(server, quickReconnects(), 300);
    QVERIFY(link.open());
    // The server says nothing: the connection is ended and opened again.
    QTRY_VERIFY_WITH_TIMEOUT(!link.disconnected.isEmpty(), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(link.connected.size() >= 2, Timeout);
    QVERIFY(link.upstream.reconnects() >= 1);
    QVERIFY(server.received.isEmpty()); // no probe was set: nothing was sent
}

void tst_UpstreamSocket::probeAtHalfTheBound()
{
    Server server;
    Link link(server, quickReconnects(), 1'600); // a ping's answer has 800 ms, even when loaded
    int probes = 0;
    link.upstream.setProbe([&] {
        ++probes;
        QVERIFY(link.upstream.sendText(u"ping"_s));
    });
    QVERIFY(link.open());
    // Each ping answered: the connection stays, whatever the time.
    bool answer = true;
    connect(server.last(), &QWebSocket::textMessageReceived, &server,
            [&server, &answer](const QString &text) {
                if (answer && text == u"ping"_s)
                    server.last()->sendTextMessage(u"pong"_s);
            });
    QTRY_VERIFY_WITH_TIMEOUT(probes >= 2, Timeout);
    QVERIFY(link.disconnected.isEmpty());
    // Unanswered: ended within the other half.
    answer = false;
    const int before = probes;
    QTRY_COMPARE_WITH_TIMEOUT(link.disconnected.size(), 1, Timeout);
    // At most one more ping (none when the last one was still unanswered at the switch).
    QVERIFY(probes <= before + 1);
}

void tst_UpstreamSocket::dropEndsTheConnection()
{
    Server server;
    Link link(server);
    QVERIFY(link.open());
    link.upstream.drop(u"no heartbeat"_s);
    QTRY_COMPARE_WITH_TIMEOUT(link.disconnected.size(), 1, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(link.connected.size(), 2, Timeout);
    QCOMPARE(link.upstream.reconnects(), 1);
}

void tst_UpstreamSocket::reconnectNowWithoutDelay()
{
    Server server;
    client::ReconnectOptions slow = quickReconnects();
    slow.baseMs = slow.capMs = 60'000; // a backed-off reopening would not come in time
    Link link(server, slow);
    QVERIFY(link.open());
    link.upstream.reconnectNow(u"age limit"_s);
    QTRY_COMPARE_WITH_TIMEOUT(link.connected.size(), 2, Timeout);
    QCOMPARE(server.accepted(), 2);
}

void tst_UpstreamSocket::stopIsForGood()
{
    Server server;
    Link link(server, quickReconnects(), 200);
    QVERIFY(link.open());
    link.upstream.stop();
    QVERIFY(!link.upstream.isConnected());
    QVERIFY(!link.upstream.sendText(u"after stop"_s));
    // Longer than the silence bound and several backoffs: nothing reopens.
    QTest::qWait(800);
    QCOMPARE(link.connected.size(), 1);
    QVERIFY(link.disconnected.isEmpty()); // stop() is not a loss of connection
    QCOMPARE(server.accepted(), 1);
    link.upstream.start();
    QTRY_COMPARE_WITH_TIMEOUT(link.connected.size(), 2, Timeout);
}

QTEST_GUILESS_MAIN(tst_UpstreamSocket)
#include "tst_upstreamsocket.moc"
