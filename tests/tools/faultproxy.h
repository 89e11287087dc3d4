#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QElapsedTimer>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QTimer>
#include <QtCore/QUrl>
#include <QtNetwork/QHostAddress>
#include <QtNetwork/QTcpServer>

#include <deque>
#include <functional>
#include <optional>
#include <random>

class QTcpSocket;

namespace tickwire::testing {

// A loopback TCP proxy for tests: listens on 127.0.0.1 (port 0) and forwards every connection
// to an upstream port, with faults a test can switch at any time. It knows just enough
// WebSocket to hand each unmasked server->client frame to a hook that may drop or rewrite it.
// Test code only; all on the thread that created it.
class FaultProxy : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FaultProxy)

public:
    enum class Mode {
        Forward, // pass bytes through
        Stall, // read and discard both ways; both sockets stay open (a dead path)
        Delay, // hold every chunk for delayMs + uniform(0, jitterMs), order kept
        Throttle // at most bytesPerSecond each way
    };
    // Gets (opcode, payload) of one server->client frame; returns the payload to send
    // instead, or nullopt to drop the frame.
    using FrameHook = std::function<std::optional<QByteArray>(int opcode, const QByteArray &)>;

    explicit FaultProxy(quint16 upstreamPort, QObject *parent = nullptr);
    ~FaultProxy() override;

    [[nodiscard]] bool listen();
    [[nodiscard]] quint16 port() const { return m_server.serverPort(); }
    [[nodiscard]] QUrl url() const;
    void setUpstreamPort(quint16 port) { m_upstreamPort = port; }

    void setMode(Mode mode);
    void setDelay(int delayMs, int jitterMs);
    void setThrottle(int bytesPerSecond);
    void setServerFrameHook(FrameHook hook) { m_hook = std::move(hook); }

    // Resets every open connection (RST to both ends).
    void cutAll();
    // Sends FIN to the clients but keeps reading from them and keeps the upstream open.
    void halfCloseAll();

    [[nodiscard]] int connectionCount() const { return m_accepted; }
    [[nodiscard]] int openConnections() const { return int(m_links.size()); }
    [[nodiscard]] int framesSeen() const { return m_framesSeen; }

Q_SIGNALS:
    void connectionAccepted();

private:
    struct Chunk
    {
        qint64 releaseAt = 0;
        QByteArray data;
    };
    struct Direction
    {
        QTcpSocket *to = nullptr;
        std::deque<Chunk> queue;
    };
    struct Link
    {
        QTcpSocket *client = nullptr;
        QTcpSocket *upstream = nullptr;
        Direction toUpstream;
        Direction toClient;
        QByteArray serverBytes; // unparsed server->client bytes (frame hook)
        bool handshakeSeen = false;
    };

    void accept();
    void fromClient(Link *link);
    void fromUpstream(Link *link);
    void enqueue(Direction &direction, QByteArray data);
    void pump();
    void drop(Link *link);
    [[nodiscard]] QByteArray rewriteFrames(Link *link, const QByteArray &incoming);

    QTcpServer m_server;
    quint16 m_upstreamPort;
    Mode m_mode = Mode::Forward;
    int m_delayMs = 0;
    int m_jitterMs = 0;
    int m_bytesPerSecond = 0;
    FrameHook m_hook;
    QList<Link *> m_links;
    QTimer m_pump;
    QElapsedTimer m_clock;
    qint64 m_lastPump = 0;
    std::mt19937 m_rng{12345};
    int m_accepted = 0;
    int m_framesSeen = 0;
};

} // namespace tickwire::testing
