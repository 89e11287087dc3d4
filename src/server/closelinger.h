#pragma once

#include <QtCore/QtGlobal>
#include <QtNetwork/QSslSocket>

#include <functional>

class QAbstractSocket;
class QTcpSocket;

namespace tickwire::server {

// The server's half of a WebSocket close as RFC 6455 §7 intends, for the TCP (or TLS) socket
// under a session's QWebSocket. QWebSocket::close() writes the close frame and closes its socket
// at once; closing a socket whose peer is still sending makes the kernel answer that data with
// a reset, and the reset destroys the close frame and whatever was sent before it (the peer sees
// 1006 instead of 1009 or 1008). So the socket's close() hands over to a CloseLinger: what was
// written still goes out, nothing more reaches the reader (QWebSocket), everything that arrives
// is discarded, and the peer is told we are done sending (a half-close, on plain TCP) so it
// closes its side; the connection ends when the peer closes, or is dropped when the linger
// time passes. Owner's thread only.
class CloseLinger
{
    Q_DISABLE_COPY_MOVE(CloseLinger)

public:
    // `halfClose` shuts the socket's sending side down once everything written has left; empty
    // where the transport cannot (TLS: the peer then closes on the close frame alone).
    // `dropReceived` (optional) discards what waits in the kernel without copying it out and
    // returns the bytes dropped; without it everything is read through the socket.
    CloseLinger(QAbstractSocket *socket, std::function<void()> halfClose,
                std::function<qint64()> dropReceived = {});

    // 0 (the default): close() closes at once.
    void setDuration(int ms) { m_durationMs = ms; }
    [[nodiscard]] bool isActive() const { return m_active; }
    [[nodiscard]] qint64 discardedBytes() const { return m_discarded; }

    // For the socket's close(): true when the linger takes the close over, or already has (the
    // caller returns), false when the caller is to close now (no linger set, not connected, or
    // the linger time is over: its own abort()). Only the peer's close or that abort() end a
    // lingering connection (QWebSocket closes its socket again after later errors). From then on
    // the socket writes nothing more (RFC 6455 §5.5.1: nothing follows a close frame; on plain TCP
    // the sending side is shut down).
    bool begin();

private:
    void discard();
    void halfCloseWhenWritten();

    QAbstractSocket *m_socket;
    std::function<void()> m_halfClose;
    std::function<qint64()> m_dropReceived;
    int m_durationMs = 0;
    bool m_active = false;
    bool m_halfClosed = false;
    bool m_finishing = false; // the linger time is over
    qint64 m_discarded = 0;
};

// The TLS socket under a wss:// session: a QSslSocket whose close() lingers (CloseLinger).
class TlsSocket final : public QSslSocket
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TlsSocket)

public:
    explicit TlsSocket(QObject *parent = nullptr);
    ~TlsSocket() override;

    [[nodiscard]] CloseLinger &closeLinger() { return m_linger; }
    void close() override;

protected:
    qint64 writeData(const char *data, qint64 size) override;

private:
    CloseLinger m_linger;
};

// The linger of a FrameSocket or TlsSocket; null for any other socket.
[[nodiscard]] CloseLinger *closeLingerOf(QTcpSocket *tcp);

} // namespace tickwire::server
