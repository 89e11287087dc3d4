#include "exchanges/upstreamsocket.h"

#include "exchanges/framerecorder.h"

#include <QtCore/QDateTime>
#include <QtCore/QLoggingCategory>
#include <QtCore/QTimer>
#include <QtWebSockets/QWebSocket>

#include <utility>

using namespace Qt::StringLiterals;

namespace tickwire::exchanges {

UpstreamSocket::UpstreamSocket(const QLoggingCategory &category,
                               const client::ReconnectOptions &reconnect, QObject *parent)
    : QObject(parent)
    , m_category(&category)
    , m_retryTimer(new QTimer(this))
    , m_silenceTimer(new QTimer(this))
    , m_policy(reconnect)
    , m_connectTimeoutMs(reconnect.connectTimeoutMs)
{
    m_retryTimer->setSingleShot(true);
    m_silenceTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &UpstreamSocket::open);
    connect(m_silenceTimer, &QTimer::timeout, this, &UpstreamSocket::onSilence);
}

UpstreamSocket::~UpstreamSocket()
{
    stop();
}

void UpstreamSocket::start()
{
    m_stopping = false;
    open();
}

void UpstreamSocket::stop()
{
    m_stopping = true;
    m_retryTimer->stop();
    m_silenceTimer->stop();
    m_connected = false;
    dropSocket();
}

void UpstreamSocket::dropSocket()
{
    if (QWebSocket *socket = std::exchange(m_socket, nullptr)) {
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
}

void UpstreamSocket::open()
{
    if (m_stopping)
        return;
    dropSocket();
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    connect(m_socket, &QWebSocket::connected, this, &UpstreamSocket::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &UpstreamSocket::onDisconnected);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &UpstreamSocket::onText);
    if (m_recorder)
        m_recordConnection = m_recorder->connectionOpened();
    m_probed = true; // no probe before the handshake: the connect timeout ends it
    m_silenceTimer->start(m_connectTimeoutMs);
    if (m_opened)
        ++m_reconnects;
    m_opened = true;
    qCInfo(*m_category).noquote() << u"event=upstream_connecting url=%1"_s.arg(m_url.toString());
    m_socket->open(m_url);
}

void UpstreamSocket::onConnected()
{
    m_connected = true;
    m_policy.markLive();
    restartSilence();
    Q_EMIT connected();
}

void UpstreamSocket::restartSilence()
{
    m_probed = false;
    m_silenceTimer->start(m_probe ? m_silenceMs / 2 : m_silenceMs);
}

void UpstreamSocket::onText(const QString &text)
{
    if (m_recorder)
        m_recorder->received(m_recordConnection, text);
    m_lastMessageTs = QDateTime::currentMSecsSinceEpoch();
    restartSilence();
    Q_EMIT textReceived(text);
}

void UpstreamSocket::onSilence()
{
    if (!m_socket)
        return;
    if (!m_probed && m_connected && m_probe) {
        m_probed = true;
        m_probe();
        m_silenceTimer->start(m_silenceMs - m_silenceMs / 2);
        return;
    }
    qCWarning(*m_category).noquote()
        << u"event=upstream_silent ms=%1"_s.arg(m_connected ? m_silenceMs : m_connectTimeoutMs);
    m_socket->abort(); // disconnected() follows and backs off
}

bool UpstreamSocket::sendText(const QString &text)
{
    if (!m_socket)
        return false;
    m_socket->sendTextMessage(text);
    if (m_recorder)
        m_recorder->sent(m_recordConnection, text);
    return true;
}

void UpstreamSocket::reconnectNow(const QString &why)
{
    if (!m_socket)
        return;
    qCInfo(*m_category).noquote() << u"event=upstream_reconnect reason=\"%1\""_s.arg(why);
    m_immediate = true;
    m_socket->close(QWebSocketProtocol::CloseCodeNormal, why);
}

void UpstreamSocket::drop(const QString &why)
{
    if (!m_socket)
        return;
    qCWarning(*m_category).noquote() << u"event=upstream_dropped reason=\"%1\""_s.arg(why);
    m_socket->abort(); // disconnected() follows and backs off
}

void UpstreamSocket::onDisconnected()
{
    if (!m_socket)
        return;
    const int code = int(m_socket->closeCode());
    const QString reason = m_socket->closeReason();
    QWebSocket *socket = std::exchange(m_socket, nullptr);
    socket->disconnect(this);
    socket->deleteLater();
    m_connected = false;
    m_silenceTimer->stop();
    m_policy.markDown();
    if (!m_stopping) {
        int delay = 0;
        if (!std::exchange(m_immediate, false))
            delay = m_policy.next(code, reason).delayMs;
        qCWarning(*m_category).noquote()
            << u"event=upstream_disconnected code=%1 reason=\"%2\" retry_ms=%3"_s.arg(code)
                   .arg(reason)
                   .arg(delay);
        m_retryTimer->start(delay);
    }
    Q_EMIT disconnected();
}

} // namespace tickwire::exchanges
