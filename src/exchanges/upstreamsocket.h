#pragma once

#include "client/reconnectpolicy.h"

#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QUrl>

#include <cstdint>
#include <functional>

class QLoggingCategory;
class QTimer;
class QWebSocket;

namespace tickwire::exchanges {

class FrameRecorder;

// One exchange WebSocket kept open, the part every adapter shares: it opens the connection,
// ends it when nothing arrives within the silence bound (the connect timeout of the
// reconnect options while the handshake runs), and opens it again after ReconnectPolicy's
// delay (full jitter), counting each reopening. Every frame sent and received is recorded
// when a recorder is set. The adapter speaks the exchange's protocol over it: subscriptions
// on connected(), messages from textReceived(), its own state dropped on disconnected().
// Lives on the adapter's thread, as its child.
class UpstreamSocket final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UpstreamSocket)

public:
    UpstreamSocket(const QLoggingCategory &category, const client::ReconnectOptions &reconnect,
                   QObject *parent);
    ~UpstreamSocket() override;

    void setUrl(const QUrl &url) { m_url = url; } // used by every opening
    void setSilenceTimeout(int ms) { m_silenceMs = ms; }
    // Asked once when the connection has been quiet for half the silence bound (an exchange
    // with an application ping sends it); any message then restarts the clock, none within
    // the other half ends the connection. Without a probe, the whole bound is waited.
    void setProbe(std::function<void()> probe) { m_probe = std::move(probe); }
    void setRecorder(FrameRecorder *recorder) { m_recorder = recorder; }

    void start(); // opens now
    void stop(); // closes for good: no reopening until start()
    // Closes normally and opens again without a delay (a connection age limit, an exchange's
    // announced shutdown).
    void reconnectNow(const QString &why);
    // Ends the connection at once, as silence does (the adapter's own liveness rule failed):
    // it is opened again after the policy's delay.
    void drop(const QString &why);
    // Sends and records a text frame; false when there is no connection.
    bool sendText(const QString &text);

    [[nodiscard]] bool isConnected() const { return m_connected; }
    [[nodiscard]] int reconnects() const { return m_reconnects; }
    // Local receive time of the last message, ms since the epoch; 0 before the first.
    [[nodiscard]] std::int64_t lastMessageTs() const { return m_lastMessageTs; }

Q_SIGNALS:
    void connected();
    void textReceived(const QString &text);
    // The connection ended (closed, failed or silent); a reopening is already scheduled
    // unless stop() was called.
    void disconnected();

private:
    void open();
    void onConnected();
    void onDisconnected();
    void onText(const QString &text);
    void onSilence();
    void restartSilence();
    void dropSocket();

    const QLoggingCategory *m_category;
    QUrl m_url;
    int m_silenceMs = 10'000;
    std::function<void()> m_probe;
    FrameRecorder *m_recorder = nullptr;
    QWebSocket *m_socket = nullptr;
    QTimer *m_retryTimer;
    QTimer *m_silenceTimer;
    client::ReconnectPolicy m_policy;
    int m_connectTimeoutMs;
    int m_recordConnection = 0;
    int m_reconnects = 0;
    std::int64_t m_lastMessageTs = 0;
    bool m_connected = false;
    bool m_opened = false; // a connection was opened before: the next one is a reconnect
    bool m_stopping = false;
    bool m_immediate = false; // the next reopening without a delay
    bool m_probed = false; // the probe was asked in this quiet spell
};

} // namespace tickwire::exchanges
