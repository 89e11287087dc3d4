#include "server/closelinger.h"

#include <QtCore/QTimer>
#include <QtNetwork/QAbstractSocket>

namespace tickwire::server {

CloseLinger::CloseLinger(QAbstractSocket *socket, std::function<void()> halfClose)
    : m_socket(socket)
    , m_halfClose(std::move(halfClose))
{
}

bool CloseLinger::begin()
{
    if (m_durationMs <= 0 || m_active || m_socket->state() != QAbstractSocket::ConnectedState)
        return false;
    m_active = true;
    // Whatever reads this socket (QWebSocket's frame parser) gets nothing more.
    QObject::disconnect(m_socket, &QIODevice::readyRead, nullptr, nullptr);
    QObject::connect(m_socket, &QIODevice::readyRead, m_socket, [this] { discard(); });
    discard();
    if (m_halfClose) {
        QObject::connect(m_socket, &QIODevice::bytesWritten, m_socket,
                         [this] { halfCloseWhenWritten(); });
        halfCloseWhenWritten();
    }
    // A peer that neither reads nor closes: abort() comes back through close(), which then
    // closes for real (begin() answers false while active).
    QTimer::singleShot(m_durationMs, m_socket, [socket = m_socket] { socket->abort(); });
    return true;
}

void CloseLinger::discard()
{
    for (qint64 n; (n = m_socket->bytesAvailable()) > 0;)
        m_discarded += m_socket->skip(n);
}

void CloseLinger::halfCloseWhenWritten()
{
    if (m_halfClosed || m_socket->bytesToWrite() > 0
        || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_halfClosed = true;
    m_halfClose();
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

void TlsSocket::close()
{
    if (!m_linger.begin())
        QSslSocket::close();
}

} // namespace tickwire::server
