#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QString>

#include <memory>

class QThread;
class QTcpServer;

namespace tickwire::bench {

class BaselineWorker;

// The same ticker and trade messages the feed server sends, encoded once up front: as
// messages, and as complete server-to-client WebSocket frames of them.
struct BaselineFrames
{
    QString welcome;
    QByteArray welcomeCbor;
    QList<QString> json;
    QList<QByteArray> cbor;
    QList<QByteArray> jsonFrames;
    QList<QByteArray> cborFrames;
};

// How the baseline hands a message to a client.
enum class BaselineSend {
    // QWebSocket::sendTextMessage / sendBinaryMessage: Qt frames (and, for text, UTF-8 encodes)
    // the message for every client.
    Messages,
    // The pre-built frame written straight to the client's QTcpSocket, as the feed server
    // does: one frame shared by every client, no per-client framing.
    Frames,
};

// Records `count` frames from the market simulator of the first `symbols` default instruments
// at `tradesPerSecond` per instrument, in publish order (trades, then the ticker, per step).
[[nodiscard]] BaselineFrames recordBaselineFrames(int symbols, double tradesPerSecond, int count);

// The ceiling of the fan-out benchmark: a bare Qt WebSockets server that broadcasts
// pre-encoded messages to every client as fast as the sockets take them. Like the feed server it
// accepts on this thread and serves from `workers` threads (a QWebSocket cannot change
// threads), and it stops sending to a client whose queued output is above the same soft
// watermark (512 KiB); there is no simulation, no subscription state and no per-stream
// sequencing: what is left is the cost of Qt WebSockets itself.
class BaselineServer : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BaselineServer)

public:
    // `broadcast` false: only handshakes and the welcome (idle connections, for memory).
    BaselineServer(BaselineFrames frames, int workers, bool broadcast,
                   BaselineSend send = BaselineSend::Messages, QObject *parent = nullptr);
    ~BaselineServer() override;

    [[nodiscard]] bool listen(quint16 port, QString *error);
    [[nodiscard]] quint16 port() const;
    void stop();

private:
    std::shared_ptr<const BaselineFrames> m_frames;
    int m_workerCount = 1;
    bool m_broadcast = true;
    BaselineSend m_send = BaselineSend::Messages;
    QTcpServer *m_listener = nullptr;
    QList<BaselineWorker *> m_workers;
    QList<QThread *> m_threads;
};

} // namespace tickwire::bench
