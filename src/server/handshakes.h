#pragma once

#include "server/feedserveroptions.h"
#include "server/serverstats.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtNetwork/QSslConfiguration>

#include <memory>
#include <optional>

class QTcpSocket;
class QWebSocket;
class QWebSocketServer;

namespace tickwire::server {

// A worker's connections on their way to a session: takes the socket descriptors the acceptor
// hands over, runs TLS (wss://) and the WebSocket handshake (through a QWebSocketServer used
// only for handshakes: Qt's sockets from nextPendingConnection() cannot change threads, so each
// worker upgrades its own), checks the Origin, and drops what is not upgraded within
// handshakeTimeoutMs (Qt 6.4 does not time out handshakes started with handleConnection()).
// Each upgraded socket comes out of upgraded() with the TCP or TLS socket under it, whose close
// lingers from then on (CloseLinger). Owner's thread only; times are of a steady clock.
class Handshakes : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Handshakes)

public:
    Handshakes(const FeedServerOptions &options, std::optional<QSslConfiguration> tls,
               std::shared_ptr<SharedCounters> counters, QObject *parent = nullptr);
    ~Handshakes() override;

    void adopt(qintptr socketDescriptor, std::int64_t nowMs);
    // Drops the connections whose handshake deadline passed.
    void expire(std::int64_t nowMs);
    // Accepts nothing more: descriptors adopted from now on are closed at once.
    void stop() { m_stopped = true; }

Q_SIGNALS:
    // `socket` is parented to this object: the receiver takes it (setParent). `tcp` is the
    // socket under it (parented to `socket`), null should it not be one of ours.
    void upgraded(QWebSocket *socket, QTcpSocket *tcp);

private:
    void onNewConnection();

    const FeedServerOptions &m_options;
    std::optional<QSslConfiguration> m_tls;
    std::shared_ptr<SharedCounters> m_counters;
    QWebSocketServer *m_server = nullptr;
    struct Pending
    {
        QTcpSocket *socket = nullptr;
        std::int64_t deadlineMs = 0;
    };
    QHash<QString, Pending> m_pending; // "address|port" -> socket not yet upgraded
    bool m_stopped = false;
};

} // namespace tickwire::server
