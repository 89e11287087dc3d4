#include "server/framesocket.h"

#include <QtCore/qsystemdetection.h>

#if defined(Q_OS_UNIX)
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#define TICKWIRE_HAVE_SENDMSG 1
#endif

namespace tickwire::server {

namespace {

// Bytes per send: more than a loopback or LAN socket usually takes in one call.
constexpr std::size_t ScratchBytes = 128 * 1024;
// A list of more queued frames than this is freed after a send, not kept for the next.
constexpr qsizetype KeptQueueCapacity = 256;
#if defined(TICKWIRE_HAVE_SENDMSG)
#if defined(MSG_NOSIGNAL)
constexpr int SendFlags = MSG_NOSIGNAL | MSG_DONTWAIT;
#else
constexpr int SendFlags = MSG_DONTWAIT; // SO_NOSIGPIPE is set on the socket instead
#endif
#endif

} // namespace

FrameSocket::FrameSocket(QObject *parent)
    : QTcpSocket(parent)
    , m_linger(
          this, [this] { shutdownSending(); }, [this] { return dropReceived(); })
{
#if !defined(TICKWIRE_HAVE_SENDMSG)
    m_direct = false;
#endif
}

FrameSocket::~FrameSocket()
{
    disconnect(this, nullptr, this, nullptr); // the linger's, which must not outlive m_linger
}

bool FrameSocket::setSocketDescriptor(qintptr socketDescriptor, SocketState state,
                                      OpenMode openMode)
{
    if (!QTcpSocket::setSocketDescriptor(socketDescriptor, state, openMode))
        return false;
#if defined(TICKWIRE_HAVE_SENDMSG) && !defined(MSG_NOSIGNAL) && defined(SO_NOSIGPIPE)
    const int on = 1;
    ::setsockopt(int(socketDescriptor), SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof on);
#endif
    return true;
}

void FrameSocket::close()
{
    sendQueued(); // the close frame and what was queued before it
    if (!m_linger.begin())
        QTcpSocket::close();
}

void FrameSocket::shutdownSending()
{
#if defined(Q_OS_UNIX)
    ::shutdown(int(socketDescriptor()), SHUT_WR);
#endif
    // Elsewhere the peer closes on the close frame alone, or the linger time ends it.
}

qint64 FrameSocket::dropReceived()
{
    qint64 dropped = 0;
#if defined(Q_OS_LINUX)
    // MSG_TRUNC on a TCP socket discards the bytes in the kernel without copying them.
    for (;;) {
        const ssize_t n =
            ::recv(int(socketDescriptor()), nullptr, 1 << 20, MSG_TRUNC | MSG_DONTWAIT);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; // nothing more now (Qt's notifier reports the end and errors)
        dropped += n;
    }
#endif
    return dropped;
}

void FrameSocket::queue(const QByteArray &frame)
{
    if (frame.isEmpty() || m_linger.isActive())
        return;
    if (!m_direct) {
        write(frame);
        return;
    }
    m_queue.append(frame);
    m_queuedBytes += frame.size();
}

void FrameSocket::sendQueued()
{
    if (!m_queue.isEmpty() && m_direct && state() == ConnectedState
        && QTcpSocket::bytesToWrite() == 0) {
        sendDirect(); // what the kernel did not take waits for Qt's write notifier
        return;
    }
    moveQueueToBuffer(0, 0);
    if (QTcpSocket::bytesToWrite() > 0)
        flush();
}

qint64 FrameSocket::bytesToWrite() const
{
    return QTcpSocket::bytesToWrite() + m_queuedBytes;
}

qint64 FrameSocket::writeData(const char *data, qint64 size)
{
    if (m_linger.isActive())
        return size; // nothing follows the close frame (and the sending side is shut down)
    if (!m_queue.isEmpty())
        sendQueued(); // what was queued before goes first
    if (!m_direct || size <= 0 || state() != ConnectedState || QTcpSocket::bytesToWrite() > 0)
        return QTcpSocket::writeData(data, size);
#if defined(TICKWIRE_HAVE_SENDMSG)
    iovec iov{const_cast<char *>(data), std::size_t(size)};
    const qint64 sent = sendSome(&iov, 1);
    if (sent == size)
        return size;
    const qint64 rest = QTcpSocket::writeData(data + sent, size - sent);
    return rest < 0 ? rest : sent + rest;
#else
    return QTcpSocket::writeData(data, size);
#endif
}

#if defined(TICKWIRE_HAVE_SENDMSG)
qint64 FrameSocket::sendSome(iovec *iov, int count)
{
    msghdr message = {};
    message.msg_iov = iov;
    message.msg_iovlen = decltype(message.msg_iovlen)(count);
    ssize_t sent;
    do {
        sent = ::sendmsg(int(socketDescriptor()), &message, SendFlags);
    } while (sent < 0 && errno == EINTR);
    if (sent >= 0) {
        m_directBytes += sent;
        return sent;
    }
    if (errno != EAGAIN && errno != EWOULDBLOCK)
        m_direct = false; // QTcpSocket meets the error on its own write and reports it
    return 0;
}
#endif

void FrameSocket::sendDirect()
{
#if defined(TICKWIRE_HAVE_SENDMSG)
    // The frames are gathered into one contiguous buffer per thread, reused for every socket
    // (so it stays in cache), and go to the kernel in one send per ScratchBytes: cheaper than a
    // sendmsg() over hundreds of 100-byte iovecs, and than QTcpSocket's copy into a ring buffer
    // of each connection's own, which a thousand connections take out of cache.
    thread_local std::unique_ptr<char[]> scratch(new char[ScratchBytes]);
    qsizetype at = 0; // the first frame not wholly sent
    qint64 offset = 0; // bytes of m_queue[at] already sent
    while (at < m_queue.size() && m_direct) {
        std::size_t used = 0;
        for (qsizetype i = at; i < m_queue.size() && used < ScratchBytes; ++i) {
            const QByteArray &frame = m_queue.at(i);
            const qint64 skip = i == at ? offset : 0;
            const std::size_t take =
                std::min(std::size_t(frame.size() - skip), ScratchBytes - used);
            std::memcpy(scratch.get() + used, frame.constData() + skip, take);
            used += take;
        }
        iovec iov{scratch.get(), used};
        const qint64 sent = sendSome(&iov, 1);
        for (qint64 left = sent; left > 0;) {
            const qint64 rest = m_queue.at(at).size() - offset;
            if (left < rest) {
                offset += left;
                break;
            }
            left -= rest;
            ++at;
            offset = 0;
        }
        if (sent < qint64(used))
            break; // the kernel's buffer is full, or an error
    }
    moveQueueToBuffer(at, offset);
#else
    moveQueueToBuffer(0, 0);
#endif
}

void FrameSocket::moveQueueToBuffer(qsizetype from, qint64 offset)
{
    // Copied (once) only now: fromRawData entries of writeData() must not outlive the call.
    for (qsizetype i = from; i < m_queue.size(); ++i) {
        const QByteArray &frame = m_queue.at(i);
        const qint64 skip = i == from ? offset : 0;
        QTcpSocket::writeData(frame.constData() + skip, frame.size() - skip);
    }
    // A fan-out turn can queue hundreds of frames: do not keep that much list per connection.
    if (m_queue.capacity() > KeptQueueCapacity)
        m_queue = {};
    else
        m_queue.clear();
    m_queuedBytes = 0;
}

} // namespace tickwire::server
