#include "server/handshakes.h"

#include "protocol/codec.h"
#include "server/closelinger.h"
#include "server/framesocket.h"

#include <QtCore/QLoggingCategory>
#include <QtNetwork/QSslSocket>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketCorsAuthenticator>
#include <QtWebSockets/QWebSocketServer>

namespace tickwire::server {

Q_DECLARE_LOGGING_CATEGORY(lcFeed)

using namespace Qt::StringLiterals;

namespace {

QString peerKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + u'|' + QString::number(port);
}

} // namespace

Handshakes::Handshakes(const FeedServerOptions &options, std::optional<QSslConfiguration> tls,
                       std::shared_ptr<SharedCounters> counters, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_tls(std::move(tls))
    , m_counters(std::move(counters))
    , m_server(new QWebSocketServer(u"tickwire-feed"_s, QWebSocketServer::NonSecureMode, this))
{
    m_server->setSupportedSubprotocols(
        {QString(protocol::JsonSubprotocol), QString(protocol::CborSubprotocol)});
    m_server->setHandshakeTimeout(options.handshakeTimeoutMs);
    connect(m_server, &QWebSocketServer::newConnection, this, &Handshakes::onNewConnection);
    connect(m_server, &QWebSocketServer::originAuthenticationRequired, this,
            [this](QWebSocketCorsAuthenticator *auth) {
                const QStringList &allowed = m_options.allowedOrigins;
                auth->setAllowed(allowed.isEmpty() || allowed.contains(auth->origin()));
                if (!auth->allowed()) {
                    m_counters->rejectedConnections++;
                    qCInfo(lcFeed).noquote()
                        << u"event=reject reason=origin origin=\"%1\""_s.arg(auth->origin());
                }
            });
}

Handshakes::~Handshakes()
{
    const QList<Pending> pending = m_pending.values();
    m_pending.clear();
    for (const Pending &p : pending)
        delete p.socket;
}

void Handshakes::adopt(qintptr socketDescriptor, std::int64_t nowMs)
{
    QTcpSocket *tcp = m_tls ? static_cast<QTcpSocket *>(new TlsSocket) : new FrameSocket;
    if (!tcp->setSocketDescriptor(socketDescriptor)) {
        qCWarning(lcFeed).noquote() << u"event=adopt_failed error=\"%1\""_s.arg(tcp->errorString());
        delete tcp;
        return;
    }
    if (m_stopped) { // accepted just before the server stopped
        tcp->abort();
        delete tcp;
        return;
    }
    if (m_options.socketSendBufferBytes > 0) {
        tcp->setSocketOption(QAbstractSocket::SendBufferSizeSocketOption,
                             m_options.socketSendBufferBytes);
    }
    tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    // Owned here until the upgrade completes; then it is re-parented to its QWebSocket (Qt 6.4
    // does not). The peer address:port pairs the two.
    tcp->setParent(this);
    const QString key = peerKey(tcp->peerAddress(), tcp->peerPort());
    m_pending.insert(key, Pending{tcp, nowMs + m_options.handshakeTimeoutMs});
    // Both connections go once the socket is upgraded (onNewConnection).
    connect(tcp, &QObject::destroyed, this, [this, key, tcp] {
        if (m_pending.value(key).socket == tcp)
            m_pending.remove(key);
    });
    connect(tcp, &QAbstractSocket::disconnected, this, [this, key, tcp] {
        if (m_pending.value(key).socket == tcp) {
            m_pending.remove(key);
            tcp->deleteLater();
        }
    });
    if (auto *ssl = qobject_cast<QSslSocket *>(tcp)) {
        ssl->setSslConfiguration(*m_tls);
        connect(ssl, &QSslSocket::encrypted, this,
                [this, ssl] { m_server->handleConnection(ssl); });
        connect(ssl, &QSslSocket::sslErrors, ssl, [ssl](const QList<QSslError> &errors) {
            qCInfo(lcFeed).noquote() << u"event=tls_error error=\"%1\""_s.arg(
                errors.isEmpty() ? QString() : errors.first().errorString());
            ssl->abort();
        });
        ssl->startServerEncryption();
    } else {
        m_server->handleConnection(tcp);
    }
}

void Handshakes::expire(std::int64_t nowMs)
{
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (it->deadlineMs > nowMs) {
            ++it;
            continue;
        }
        qCInfo(lcFeed).noquote() << u"event=reject reason=handshake_timeout"_s;
        QTcpSocket *tcp = it->socket;
        it = m_pending.erase(it);
        tcp->abort();
        tcp->deleteLater();
    }
}

void Handshakes::onNewConnection()
{
    while (m_server->hasPendingConnections()) {
        QWebSocket *socket = m_server->nextPendingConnection();
        socket->setParent(this);
        QTcpSocket *tcp = m_pending.take(peerKey(socket->peerAddress(), socket->peerPort())).socket;
        if (tcp) {
            tcp->disconnect(this); // adopt()'s connections
            tcp->setParent(socket); // upgraded: freed with its QWebSocket
            if (CloseLinger *linger = closeLingerOf(tcp))
                linger->setDuration(m_options.closeLingerMs);
        }
        Q_EMIT upgraded(socket, tcp);
    }
}

} // namespace tickwire::server
