#include "faultproxy.h"

#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using tickwire::testing::FaultProxy;

namespace {
// Upstream on 127.0.0.1:0 that echoes everything back and remembers its sockets.
class EchoServer : public QTcpServer
{
public:
    EchoServer()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                sockets.append(socket);
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    const QByteArray data = socket->readAll();
                    received += data;
                    if (echo)
                        socket->write(data);
                });
            }
        });
    }
    QList<QTcpSocket *> sockets;
    QByteArray received;
    bool echo = true;
};

QByteArray frame(int opcode, const QByteArray &payload)
{
    QByteArray out;
    out.append(char(0x80 | opcode));
    if (payload.size() < 126) {
        out.append(char(payload.size()));
    } else {
        out.append(char(126));
        out.append(char(payload.size() >> 8));
        out.append(char(payload.size() & 0xFF));
    }
    return out + payload;
}
} // namespace

class tst_FaultProxy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void forwardsBothWays_data();
    void forwardsBothWays();
    void stallKeepsSocketsOpenAndMovesNothing();
    void cutResetsTheClient();
    void halfCloseSendsFinToTheClient();
    void frameHookDropsAndRewritesServerFrames();

private:
    bool connectClient();
    EchoServer *m_upstream = nullptr;
    FaultProxy *m_proxy = nullptr;
    QTcpSocket *m_client = nullptr;
};

void tst_FaultProxy::init()
{
    m_upstream = new EchoServer;
    QVERIFY(m_upstream->listen(QHostAddress::LocalHost, 0));
    m_proxy = new FaultProxy(m_upstream->serverPort());
    QVERIFY(m_proxy->listen());
    QVERIFY(m_proxy->port() != 0);
    QCOMPARE(m_proxy->url().host(), u"127.0.0.1"_s);
    m_client = new QTcpSocket;
}

void tst_FaultProxy::cleanup()
{
    delete m_client;
    delete m_proxy;
    delete m_upstream;
}

bool tst_FaultProxy::connectClient()
{
    m_client->connectToHost(QHostAddress::LocalHost, m_proxy->port());
    if (!m_client->waitForConnected(5'000))
        return false;
    return QTest::qWaitFor([this] { return m_upstream->sockets.size() == 1; }, 5'000);
}

void tst_FaultProxy::forwardsBothWays_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<int>("size");
    QTest::newRow("forward small") << int(FaultProxy::Mode::Forward) << 5;
    QTest::newRow("forward 200k") << int(FaultProxy::Mode::Forward) << 200'000;
    QTest::newRow("delay keeps order") << int(FaultProxy::Mode::Delay) << 20'000;
    QTest::newRow("throttle keeps bytes") << int(FaultProxy::Mode::Throttle) << 3'000;
}

void tst_FaultProxy::forwardsBothWays()
{
    QFETCH(int, mode);
    QFETCH(int, size);
    m_proxy->setMode(FaultProxy::Mode(mode));
    m_proxy->setDelay(20, 30);
    m_proxy->setThrottle(20'000);
    QVERIFY(connectClient());
    QByteArray sent;
    for (int i = 0; i < size; ++i)
        sent.append(char('a' + i % 26));
    // Several writes, so delay jitter would reorder them if order were not kept.
    for (qsizetype at = 0; at < sent.size(); at += 1000)
        m_client->write(sent.mid(at, 1000));
    QByteArray echoed;
    QTRY_VERIFY_WITH_TIMEOUT((echoed += m_client->readAll()).size() >= size, 20'000);
    QCOMPARE(echoed, sent);
    QCOMPARE(m_upstream->received, sent);
}

void tst_FaultProxy::stallKeepsSocketsOpenAndMovesNothing()
{
    QVERIFY(connectClient());
    m_proxy->setMode(FaultProxy::Mode::Stall);
    m_client->write("lost");
    QTest::qWait(300);
    QCOMPARE(m_upstream->received, QByteArray());
    QCOMPARE(m_client->state(), QAbstractSocket::ConnectedState);
    QCOMPARE(m_upstream->sockets.first()->state(), QAbstractSocket::ConnectedState);
    m_proxy->setMode(FaultProxy::Mode::Forward);
    m_client->write("back");
    QTRY_COMPARE_WITH_TIMEOUT(m_upstream->received, QByteArray("back"), 5'000);
}

void tst_FaultProxy::cutResetsTheClient()
{
    QVERIFY(connectClient());
    QSignalSpy errors(m_client, &QTcpSocket::errorOccurred);
    m_proxy->cutAll();
    QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), QAbstractSocket::UnconnectedState, 5'000);
    QVERIFY(!errors.isEmpty());
    QCOMPARE(errors.first().at(0).value<QAbstractSocket::SocketError>(),
             QAbstractSocket::RemoteHostClosedError);
    QCOMPARE(m_proxy->openConnections(), 0);
}

void tst_FaultProxy::halfCloseSendsFinToTheClient()
{
    QVERIFY(connectClient());
    QSignalSpy finished(m_client, &QTcpSocket::readChannelFinished);
    m_proxy->halfCloseAll();
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 5'000);
    // FIN, not RST: the client reads end-of-stream without an error.
    QVERIFY(m_client->error() != QAbstractSocket::NetworkError);
}

void tst_FaultProxy::frameHookDropsAndRewritesServerFrames()
{
    m_upstream->echo = false;
    int seen = 0;
    m_proxy->setServerFrameHook(
        [&](int opcode, const QByteArray &payload) -> std::optional<QByteArray> {
            ++seen;
            if (opcode == 1 && payload == "drop me")
                return std::nullopt;
            if (payload == "rewrite me")
                return QByteArray(300, 'x'); // crosses the 126-byte length form
            return payload;
        });
    QVERIFY(connectClient());
    QTcpSocket *server = m_upstream->sockets.first();
    const QByteArray handshake = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n";
    QByteArray stream = handshake + frame(1, "keep") + frame(1, "drop me") + frame(2, "rewrite me")
                        + frame(9, "ping");
    // Split mid-frame: the proxy must reassemble.
    server->write(stream.left(handshake.size() + 3));
    server->flush();
    QTest::qWait(50);
    server->write(stream.mid(handshake.size() + 3));
    const QByteArray expected =
        handshake + frame(1, "keep") + frame(2, QByteArray(300, 'x')) + frame(9, "ping");
    QByteArray got;
    QTRY_VERIFY_WITH_TIMEOUT((got += m_client->readAll()).size() >= expected.size(), 5'000);
    QCOMPARE(got, expected);
    QCOMPARE(seen, 3); // control frames are not offered to the hook
    QCOMPARE(m_proxy->framesSeen(), 4);
}

QTEST_GUILESS_MAIN(tst_FaultProxy)
#include "tst_faultproxy.moc"
