#include "server/closelinger.h"

#include "server/framesocket.h"

#include <QtCore/QTimer>
#include <QtNetwork/QAbstractSocket>

namespace tickwire::server {

namespace {

// What Qt reads ahead from the kernel for a lingering socket.
constexpr qint64 DiscardBufferBytes = 64 * 1024;

} // namespace

CloseLinger::CloseLinger(QAbstractSocket *socket, std::function<void()> halfClose,
                         std::function<qint64()> dropReceived)
    : m_socket(socket)
    , m_halfClose(std::move(halfClose))
    , m_dropReceived(std::move(dropReceived))
{
}

bool CloseLinger::begin()
{
    if (m_active)
        return !m_finishing; // QWebSocket closes its socket again on later errors: no matter
    if (m_durationMs <= 0 || m_socket->state() != QAbstractSocket::ConnectedState)
        return false;
    m_active = true;
    // Whatever reads this socket (QWebSocket's frame parser) gets nothing more. What it already
    // took in is its own: the close may come from inside its parsing, so the discarding starts
    // on the next turn of the event loop.
    QObject::disconnect(m_socket, &QIODevice::readyRead, nullptr, nullptr);
    m_socket->setReadBufferSize(DiscardBufferBytes);
    QObject::connect(m_socket, &QIODevice::readyRead, m_socket, [this] { discard(); });
    QTimer::singleShot(0, m_socket, [this] { discard(); });
    if (m_halfClose) {
        QObject::connect(m_socket, &QIODevice::bytesWritten, m_socket,
                         [this] { halfCloseWhenWritten(); });
        halfCloseWhenWritten();
    }
    // A peer that neither reads nor closes: abort() comes back through close(), which then
    // closes for real.
    QTimer::singleShot(m_durationMs, m_socket, [this] {
        m_finishing = true;
        m_socket->abort();
    });
    return true;
}

void CloseLinger::discard()
{
    // Through one small buffer: a peer may still send megabytes (ASan counts every freed
    // allocation for a while, and the kernel's buffer is where they wait anyway).
    char scratch[16 * 1024];
    for (qint64 n; (n = m_socket->read(scratch, sizeof scratch)) > 0;)
        m_discarded += n;
    if (m_dropReceived)
        m_discarded += m_dropReceived();
}

void CloseLinger::halfCloseWhenWritten()
{
    if (m_halfClosed || m_socket->bytesToWrite() > 0
        || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_halfClosed = true;
    m_halfClose();
}

CloseLinger *closeLingerOf(QTcpSocket *tcp)
{
    if (auto *frames = qobject_cast<FrameSocket *>(tcp))
        return &frames->closeLinger();
    if (auto *tls = qobject_cast<TlsSocket *>(tcp))
        return &tls->closeLinger();
    return nullptr;
}

TlsSocket::TlsSocket(QObject *parent)
    : QSslSocket(parent)
    , m_linger(this, {})
{
}

TlsSocket::~TlsSocket()
{
    disconnect(this, nullptr, this, nullptr); // the linger's, which must not outlive m_linger
}

qint64 TlsSocket::writeData(const char *data, qint64 size)
{
    if (m_linger.isActive())
        return size; // nothing follows the close frame
    return QSslSocket::writeData(data, size);
}

void TlsSocket::close()
{
    if (!m_linger.begin())
        QSslSocket::close();
}

} // namespace tickwire::server
