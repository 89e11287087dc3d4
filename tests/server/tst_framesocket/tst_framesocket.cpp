// FrameSocket: queued frames and QIODevice writes reach the peer whole and in order, straight
// from the kernel when it takes them and through QTcpSocket's buffer when it does not; a send
// error is reported by QTcpSocket as usual; a lingering close delivers the last bytes to a peer
// that is still sending. Loopback only.
#include "server/framesocket.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QPointer>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using tickwire::server::FrameSocket;

namespace {

// Adopts each accepted descriptor into a FrameSocket, as the feed server's workers do.
class FrameServer : public QTcpServer
{
public:
    QPointer<FrameSocket> accepted;

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new FrameSocket(this);
        QVERIFY(socket->setSocketDescriptor(descriptor));
        accepted = socket;
    }
};

QByteArray pattern(char tag, qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char(tag + i % 7);
    return bytes;
}

} // namespace

class tst_FrameSocket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void queuedFramesAndWritesKeepTheirOrder();
    void idleWritesNeedNoBuffer();
    void slowPeerGetsTheRestThroughTheBuffer();
    void sendErrorIsReportedByTheSocket();
    void lingeringCloseDeliversTheLastBytesToAPeerStillSending();
    void lingeringCloseDropsAPeerThatNeverCloses();
    void closeWithoutLingerIsImmediate();

private:
    // Reads from the client until `size` bytes arrived (or 10 s passed).
    QByteArray readAll(qsizetype size);

    std::unique_ptr<FrameServer> m_server;
    std::unique_ptr<QTcpSocket> m_client;
    FrameSocket *m_socket = nullptr;
};

void tst_FrameSocket::init()
{
    m_server = std::make_unique<FrameServer>();
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    m_client = std::make_unique<QTcpSocket>();
    m_client->connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    QVERIFY(m_client->waitForConnected(5000));
    QTRY_VERIFY_WITH_TIMEOUT(m_server->accepted, 5000);
    m_socket = m_server->accepted;
}

void tst_FrameSocket::cleanup()
{
    m_client.reset();
    m_server.reset();
    m_socket = nullptr;
}

QByteArray tst_FrameSocket::readAll(qsizetype size)
{
    QByteArray received;
    QDeadlineTimer deadline(10'000);
    while (received.size() < size && !deadline.hasExpired()) {
        if (m_client->bytesAvailable() == 0)
            m_client->waitForReadyRead(50); // the server side's buffer drains meanwhile
        received += m_client->readAll();
        QCoreApplication::processEvents();
    }
    return received;
}

void tst_FrameSocket::queuedFramesAndWritesKeepTheirOrder()
{
    const QByteArray a = pattern('a', 300);
    const QByteArray b = pattern('A', 70'000);
    const QByteArray c = pattern('0', 17);
    const QByteArray d = pattern('k', 5);
    m_socket->queue(a);
    m_socket->queue(b);
    QCOMPARE(m_socket->bytesToWrite(), a.size() + b.size());
    m_socket->write(c); // QIODevice path (QWebSocket's pings, close): after what was queued
    m_socket->queue(d);
    m_socket->sendQueued();
    const QByteArray expected = a + b + c + d;
    QCOMPARE(readAll(expected.size()), expected);
    QTRY_COMPARE(m_socket->bytesToWrite(), 0);
}

void tst_FrameSocket::idleWritesNeedNoBuffer()
{
    // A peer that keeps up takes everything from the kernel: nothing is copied into
    // QTcpSocket's buffer (which is what an idle connection would keep 32 KiB of).
    QSignalSpy written(m_socket, &QIODevice::bytesWritten);
    const QByteArray handshake = pattern('h', 160);
    QCOMPARE(m_socket->write(handshake), handshake.size());
    QCOMPARE(m_socket->bytesToWrite(), 0);
    const QByteArray frame = pattern('f', 120);
    m_socket->queue(frame);
    m_socket->sendQueued();
    QCOMPARE(m_socket->bytesToWrite(), 0);
    QCOMPARE(m_socket->directBytes(), handshake.size() + frame.size());
    QCOMPARE(readAll(handshake.size() + frame.size()), handshake + frame);
    QCOMPARE(written.count(), 0); // nothing went through the buffer
}

void tst_FrameSocket::slowPeerGetsTheRestThroughTheBuffer()
{
    // The client reads nothing until all is queued: the kernel takes its buffers' worth, the
    // rest waits in QTcpSocket's buffer and Qt writes it as the peer reads, in order.
    m_socket->setSocketOption(QAbstractSocket::SendBufferSizeSocketOption, 64 * 1024);
    m_client->setReadBufferSize(1); // the client's QTcpSocket reads as little as it can
    QByteArray expected;
    for (int i = 0; i < 400; ++i) {
        const QByteArray frame = pattern(char('a' + i % 26), 1000 + i * 37);
        m_socket->queue(frame);
        expected += frame;
    }
    m_socket->sendQueued();
    const qint64 unsent = m_socket->bytesToWrite();
    QVERIFY2(unsent > 0, "the kernel took everything: make the test's data larger");
    QVERIFY(m_socket->directBytes() > 0);
    QCOMPARE(m_socket->directBytes() + unsent, expected.size());
    QSignalSpy written(m_socket, &QIODevice::bytesWritten);
    m_socket->write("tail"); // behind the buffered frames
    expected += "tail";
    m_client->setReadBufferSize(0);
    QCOMPARE(readAll(expected.size()), expected);
    QTRY_COMPARE(m_socket->bytesToWrite(), 0);
    QVERIFY(written.count() > 0); // the buffered part is reported as Qt reports it
}

void tst_FrameSocket::sendErrorIsReportedByTheSocket()
{
    QSignalSpy disconnected(m_socket, &QAbstractSocket::disconnected);
    m_client->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    // Closed by the peer: the first send may still succeed; later ones fail (EPIPE or
    // ECONNRESET), which QTcpSocket must then report instead of the frames vanishing silently.
    m_client->abort();
    for (int i = 0;
         i < 50 && disconnected.isEmpty() && m_socket->state() != QAbstractSocket::UnconnectedState;
         ++i) {
        m_socket->queue(pattern('x', 4096));
        m_socket->sendQueued();
        QTest::qWait(20);
    }
    QVERIFY(m_socket->state() == QAbstractSocket::UnconnectedState || !disconnected.isEmpty());
    QVERIFY(m_socket->error() != QAbstractSocket::UnknownSocketError
            || m_socket->state() == QAbstractSocket::UnconnectedState);
}

void tst_FrameSocket::lingeringCloseDeliversTheLastBytesToAPeerStillSending()
{
    m_socket->closeLinger().setDuration(5'000);
    QSignalSpy serverGone(m_socket, &QAbstractSocket::disconnected);
    QSignalSpy reads(m_socket, &QIODevice::readyRead);
    const QByteArray flood(64 * 1024, 'r');
    m_client->write(flood);
    QTRY_VERIFY(m_socket->bytesAvailable() > 0); // unread input when it closes: a reset, unless
    const QByteArray last = pattern('a', 1000);
    m_socket->queue(last);
    m_socket->close();
    QVERIFY(m_socket->closeLinger().isActive());
    QCOMPARE(m_socket->state(), QAbstractSocket::ConnectedState);
    m_socket->queue(pattern('z', 10)); // after the close: dropped
    const qsizetype readsBefore = reads.size();
    // The peer keeps sending while it reads; the server's half-close ends its read side.
    QByteArray got;
    QElapsedTimer clock;
    clock.start();
    while (m_client->state() == QAbstractSocket::ConnectedState && clock.elapsed() < 5'000) {
        m_client->write(flood);
        m_client->waitForReadyRead(20);
        got += m_client->readAll();
    }
    got += m_client->readAll();
    QCOMPARE(got, last);
    QCOMPARE(serverGone.size(), 0); // waits for the peer, which is still sending
    m_client->close();
    QTRY_COMPARE_WITH_TIMEOUT(serverGone.size(), 1, 5'000);
    QVERIFY(clock.elapsed() < 5'000); // ended by the peer's close, not by the linger time
    QCOMPARE(reads.size(), readsBefore); // nothing reached a reader after close()
    QVERIFY(m_socket->closeLinger().discardedBytes() >= flood.size());
}

void tst_FrameSocket::lingeringCloseDropsAPeerThatNeverCloses()
{
    m_socket->closeLinger().setDuration(300);
    QSignalSpy serverGone(m_socket, &QAbstractSocket::disconnected);
    m_socket->close();
    QCOMPARE(serverGone.size(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(serverGone.size(), 1, 5'000);
    QCOMPARE(m_socket->state(), QAbstractSocket::UnconnectedState);
}

void tst_FrameSocket::closeWithoutLingerIsImmediate()
{
    QSignalSpy serverGone(m_socket, &QAbstractSocket::disconnected);
    m_socket->close();
    QCOMPARE(serverGone.size(), 1);
    QVERIFY(!m_socket->closeLinger().isActive());
}

QTEST_GUILESS_MAIN(tst_FrameSocket)
#include "tst_framesocket.moc"
