#pragma once

#include "server/closelinger.h"

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtNetwork/QTcpSocket>

struct iovec;

namespace tickwire::server {

// The plain-TCP socket under a feed session's QWebSocket. Qt 6.4's server-side QTcpSocket is
// always buffered: every write is copied into a ring buffer (a 32 KiB chunk per connection,
// kept for reuse once it is first needed) and sent later from the event loop. FrameSocket
// takes complete WebSocket frames by reference (queue(): the same bytes for every subscriber)
// and hands them to the kernel from one contiguous buffer per thread (sendQueued(): one send
// per 128 KiB; the buffer is shared by every socket of the thread, so it stays in cache); only
// what the kernel does not take is copied into QTcpSocket's buffer, which Qt then writes as
// usual. Bytes
// written through QIODevice::write (QWebSocket's handshake response, pings, pongs, close) go
// after the frames queued before them, straight to the kernel while nothing is waiting. So an
// idle or keeping-up connection never allocates the write buffer at all.
//
// After a send error the socket leaves everything to QTcpSocket, which then reports the error
// (errorOccurred, disconnected) as it would have. bytesWritten() is emitted only for bytes that
// went through QTcpSocket's buffer. Owner's thread only. On platforms without sendmsg() it is a
// plain QTcpSocket (queue() copies into the buffer).
//
// close() lingers once closeLinger() has a duration (see CloseLinger): the close frame and what
// was queued before it go out, then the sending side is shut down and what still arrives is
// discarded until the peer closes. Frames queued while lingering are dropped.
class FrameSocket final : public QTcpSocket
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FrameSocket)

public:
    explicit FrameSocket(QObject *parent = nullptr);
    ~FrameSocket() override;

    bool setSocketDescriptor(qintptr socketDescriptor, SocketState state = ConnectedState,
                             OpenMode openMode = ReadWrite) override;

    // Queues one complete frame (kept by reference) behind everything written before it.
    void queue(const QByteArray &frame);
    // Hands the queued frames to the kernel now; what it does not take waits in QTcpSocket's
    // buffer. Also tries to write what already waits there.
    void sendQueued();

    [[nodiscard]] CloseLinger &closeLinger() { return m_linger; }
    void close() override;

    // Queued frames plus QTcpSocket's buffer: what is not yet in the kernel.
    [[nodiscard]] qint64 bytesToWrite() const override;
    // Bytes the kernel took without a copy into QTcpSocket's buffer (tests, statistics).
    [[nodiscard]] qint64 directBytes() const { return m_directBytes; }

protected:
    qint64 writeData(const char *data, qint64 size) override;

private:
    // Writes as much of the queue as the kernel takes, the rest into QTcpSocket's buffer.
    void sendDirect();
#if defined(Q_OS_UNIX)
    // One sendmsg(): the bytes the kernel took (0 when full; on an error also 0, and m_direct
    // is cleared).
    qint64 sendSome(::iovec *iov, int count);
#endif
    void moveQueueToBuffer(qsizetype from, qint64 offset);

    void shutdownSending();
    [[nodiscard]] qint64 dropReceived();

    CloseLinger m_linger;
    QList<QByteArray> m_queue;
    qint64 m_queuedBytes = 0;
    qint64 m_directBytes = 0;
    bool m_direct = true; // false after a send error, or where there is no sendmsg()
};

} // namespace tickwire::server
