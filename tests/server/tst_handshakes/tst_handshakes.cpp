// Handshakes alone: descriptors adopted from a real listener on 127.0.0.1, real clients.
#include "server/handshakes.h"

#include "protocol/messages.h"

#include <QtCore/QDeadlineTimer>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>

using namespace Qt::StringLiterals;
using namespace tickwire;
using server::Handshakes;

namespace {

// Hands every accepted descriptor to the Handshakes under test, as a worker does.
class Acceptor : public QTcpServer
{
public:
    explicit Acceptor(Handshakes *handshakes)
        : m_handshakes(handshakes)
    {
    }
    std::int64_t now = 1'000;

protected:
    void incomingConnection(qintptr descriptor) override { m_handshakes->adopt(descriptor, now); }

private:
    Handshakes *m_handshakes;
};

QUrl urlOf(const QTcpServer &server)
{
    return QUrl(u"ws://127.0.0.1:%1/"_s.arg(server.serverPort()));
}

QNetworkRequest request(const QUrl &url)
{
    QNetworkRequest r(url);
    r.setRawHeader("Sec-WebSocket-Protocol", QByteArray(protocol::JsonSubprotocol.data()));
    return r;
}

} // namespace

class tst_Handshakes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void upgradesAWebSocketClient();
    void refusesAnOriginNotAllowed();
    void dropsWhatDoesNotUpgradeInTime();
    void closesWhatArrivesAfterStop();
    void forgetsAPeerThatLeaves();

private:
    server::FeedServerOptions m_options;
    std::shared_ptr<server::SharedCounters> m_counters;
};

void tst_Handshakes::init()
{
    m_options = {};
    m_options.handshakeTimeoutMs = 500;
    m_counters = std::make_shared<server::SharedCounters>();
}

void tst_Handshakes::upgradesAWebSocketClient()
{
    Handshakes handshakes(m_options, std::nullopt, m_counters);
    QSignalSpy upgraded(&handshakes, &Handshakes::upgraded);
    QWebSocket *socket = nullptr;
    QTcpSocket *tcp = nullptr;
    connect(&handshakes, &Handshakes::upgraded, this, [&](QWebSocket *s, QTcpSocket *t) {
        socket = s;
        tcp = t;
    });
    Acceptor acceptor(&handshakes);
    QVERIFY(acceptor.listen(QHostAddress::LocalHost, 0));
    QWebSocket client;
    QSignalSpy connected(&client, &QWebSocket::connected);
    client.open(request(urlOf(acceptor)));
    QTRY_COMPARE_WITH_TIMEOUT(upgraded.size(), 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, 5000);
    QVERIFY(socket);
    QVERIFY(tcp); // the socket under it comes along, now owned by the QWebSocket
    QCOMPARE(tcp->parent(), socket);
    QCOMPARE(socket->parent(), &handshakes);
    QCOMPARE(client.subprotocol(), QString(protocol::JsonSubprotocol));
    // Past the deadline nothing is dropped any more: the connection is no longer pending.
    handshakes.expire(acceptor.now + 10 * m_options.handshakeTimeoutMs);
    QTest::qWait(50);
    QCOMPARE(client.state(), QAbstractSocket::ConnectedState);
    QCOMPARE(m_counters->rejectedConnections.load(), 0);
}

void tst_Handshakes::refusesAnOriginNotAllowed()
{
    m_options.allowedOrigins = {u"https://desk.example"_s};
    Handshakes handshakes(m_options, std::nullopt, m_counters);
    QSignalSpy upgraded(&handshakes, &Handshakes::upgraded);
    Acceptor acceptor(&handshakes);
    QVERIFY(acceptor.listen(QHostAddress::LocalHost, 0));

    QWebSocket stranger(u"https://elsewhere.example"_s);
    QSignalSpy strangerGone(&stranger, &QWebSocket::disconnected);
    stranger.open(request(urlOf(acceptor)));
    QTRY_COMPARE_WITH_TIMEOUT(strangerGone.size(), 1, 5000);
    QCOMPARE(upgraded.size(), 0);
    QCOMPARE(m_counters->rejectedConnections.load(), 1);

    QWebSocket desk(u"https://desk.example"_s);
    desk.open(request(urlOf(acceptor)));
    QTRY_COMPARE_WITH_TIMEOUT(upgraded.size(), 1, 5000);
    QCOMPARE(m_counters->rejectedConnections.load(), 1);
}

void tst_Handshakes::dropsWhatDoesNotUpgradeInTime()
{
    Handshakes handshakes(m_options, std::nullopt, m_counters);
    QSignalSpy upgraded(&handshakes, &Handshakes::upgraded);
    Acceptor acceptor(&handshakes);
    QVERIFY(acceptor.listen(QHostAddress::LocalHost, 0));
    QTcpSocket silent; // connects, never says a word
    QSignalSpy gone(&silent, &QTcpSocket::disconnected);
    silent.connectToHost(QHostAddress::LocalHost, acceptor.serverPort());
    QVERIFY(silent.waitForConnected(5000));
    QTest::qWait(100); // adopted
    handshakes.expire(acceptor.now + m_options.handshakeTimeoutMs - 1); // not yet
    QTest::qWait(100);
    QCOMPARE(gone.size(), 0);
    handshakes.expire(acceptor.now + m_options.handshakeTimeoutMs); // its deadline
    QTRY_COMPARE_WITH_TIMEOUT(gone.size(), 1, 5000);
    QCOMPARE(upgraded.size(), 0);
}

void tst_Handshakes::closesWhatArrivesAfterStop()
{
    Handshakes handshakes(m_options, std::nullopt, m_counters);
    QSignalSpy upgraded(&handshakes, &Handshakes::upgraded);
    Acceptor acceptor(&handshakes);
    QVERIFY(acceptor.listen(QHostAddress::LocalHost, 0));
    handshakes.stop();
    QWebSocket late;
    QSignalSpy gone(&late, &QWebSocket::disconnected);
    late.open(request(urlOf(acceptor)));
    QTRY_COMPARE_WITH_TIMEOUT(gone.size(), 1, 5000);
    QCOMPARE(upgraded.size(), 0);
}

void tst_Handshakes::forgetsAPeerThatLeaves()
{
    Handshakes handshakes(m_options, std::nullopt, m_counters);
    QSignalSpy upgraded(&handshakes, &Handshakes::upgraded);
    Acceptor acceptor(&handshakes);
    QVERIFY(acceptor.listen(QHostAddress::LocalHost, 0));
    {
        QTcpSocket leaving;
        leaving.connectToHost(QHostAddress::LocalHost, acceptor.serverPort());
        QVERIFY(leaving.waitForConnected(5000));
        QTest::qWait(100);
        leaving.disconnectFromHost();
    }
    // Its pending socket goes with it: the Handshakes owns nothing more than before.
    QTRY_COMPARE_WITH_TIMEOUT(handshakes.findChildren<QTcpSocket *>().size(), 0, 5000);
    handshakes.expire(acceptor.now + m_options.handshakeTimeoutMs); // nothing left to drop
    // And the next client is upgraded as usual.
    QWebSocket next;
    next.open(request(urlOf(acceptor)));
    QTRY_COMPARE_WITH_TIMEOUT(upgraded.size(), 1, 5000);
}

QTEST_GUILESS_MAIN(tst_Handshakes)
#include "tst_handshakes.moc"
