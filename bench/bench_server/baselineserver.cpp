#include "baselineserver.h"

#include "protocol/codec.h"
#include "server/instruments.h"
#include "server/marketsimulator.h"
#include "server/publishedevent.h"

#include <QtCore/QDateTime>
#include <QtCore/QHash>
#include <QtCore/QPointer>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketServer>

namespace tickwire::bench {

using namespace Qt::StringLiterals;
using protocol::Encoding;

namespace {

constexpr qint64 SoftWatermarkBytes = 512 * 1024; // FeedServerOptions::softWatermarkBytes
constexpr int FramesPerTurn =
    256; // frames broadcast per event-loop turn: writes coalesce as in a step

} // namespace

BaselineFrames recordBaselineFrames(int symbols, double tradesPerSecond, int count)
{
    BaselineFrames frames;
    protocol::Welcome welcome;
    welcome.session = u"s-baseline"_s;
    welcome.ts = QDateTime::currentMSecsSinceEpoch();
    frames.welcome = QString::fromUtf8(protocol::encode(welcome, Encoding::Json));
    frames.welcomeCbor = protocol::encode(welcome, Encoding::Cbor);

    const QList<server::Instrument> instruments =
        server::defaultInstruments().instruments.mid(0, symbols);
    std::int64_t now = QDateTime::currentMSecsSinceEpoch();
    std::vector<std::unique_ptr<server::MarketSimulator>> simulators;
    for (const server::Instrument &instrument : instruments)
        simulators.push_back(std::make_unique<server::MarketSimulator>(instrument, 7, now));
    auto add = [&](const protocol::Message &message) {
        const QByteArray json = protocol::encode(message, Encoding::Json);
        const QByteArray cbor = protocol::encode(message, Encoding::Cbor);
        frames.json.append(QString::fromUtf8(json));
        frames.cbor.append(cbor);
        frames.jsonFrames.append(server::webSocketFrame(Encoding::Json, json));
        frames.cborFrames.append(server::webSocketFrame(Encoding::Cbor, cbor));
    };
    while (frames.json.size() < count && !simulators.empty()) {
        now += 100;
        for (auto &simulator : simulators) {
            const server::MarketUpdate update = simulator->step(now, 0.1, tradesPerSecond);
            for (const protocol::Trade &trade : update.trades)
                add(trade);
            if (update.ticker)
                add(*update.ticker);
        }
    }
    return frames;
}

// One serving thread of the baseline: handshakes and sockets of its own, and a pump that
// broadcasts the next frames on every event-loop turn.
class BaselineWorker : public QObject
{
public:
    BaselineWorker(std::shared_ptr<const BaselineFrames> frames, bool broadcast,
                   BaselineSend send)
        : m_frames(std::move(frames))
        , m_broadcast(broadcast)
        , m_send(send)
    {
    }

    void init()
    {
        m_handshakes = new QWebSocketServer(u"baseline"_s, QWebSocketServer::NonSecureMode, this);
        m_handshakes->setSupportedSubprotocols(
            {QString(protocol::JsonSubprotocol), QString(protocol::CborSubprotocol)});
        QObject::connect(m_handshakes, &QWebSocketServer::newConnection, this, [this] {
            while (m_handshakes->hasPendingConnections())
                welcome(m_handshakes->nextPendingConnection());
        });
        m_pump = new QTimer(this);
        m_pump->setInterval(0);
        QObject::connect(m_pump, &QTimer::timeout, this, [this] { pump(); });
    }

    void adopt(qintptr descriptor)
    {
        auto *tcp = new QTcpSocket(this);
        if (!tcp->setSocketDescriptor(descriptor)) {
            delete tcp;
            return;
        }
        tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        if (m_send == BaselineSend::Frames)
            m_handshaking.insert(peerKey(tcp->peerAddress().toString(), tcp->peerPort()), tcp);
        m_handshakes->handleConnection(tcp);
    }

    void closeAll()
    {
        m_pump->stop();
        const QList<Client> clients = std::exchange(m_clients, {});
        for (const Client &client : clients) {
            client.socket->disconnect(this);
            client.socket->abort();
            delete client.socket;
        }
    }

private:
    struct Client
    {
        QWebSocket *socket = nullptr;
        Encoding encoding = Encoding::Json;
        QPointer<QTcpSocket> tcp; // BaselineSend::Frames: the socket under `socket`
    };

    static QString peerKey(const QString &address, quint16 port)
    {
        return address + u'|' + QString::number(port);
    }

    void welcome(QWebSocket *socket)
    {
        socket->setParent(this);
        const Encoding encoding =
            protocol::encodingFromSubprotocol(socket->subprotocol()).value_or(Encoding::Json);
        if (encoding == Encoding::Json)
            socket->sendTextMessage(m_frames->welcome);
        else
            socket->sendBinaryMessage(m_frames->welcomeCbor);
        Client client{socket, encoding, {}};
        if (m_send == BaselineSend::Frames) {
            client.tcp =
                m_handshaking.take(peerKey(socket->peerAddress().toString(), socket->peerPort()));
            if (!client.tcp) {
                socket->abort();
                socket->deleteLater();
                return;
            }
        }
        m_clients.append(client);
        QObject::connect(socket, &QWebSocket::disconnected, this, [this, socket] {
            m_clients.removeIf([socket](const Client &c) { return c.socket == socket; });
            socket->deleteLater();
            if (m_clients.isEmpty())
                m_pump->stop();
        });
        if (m_broadcast && !m_pump->isActive())
            m_pump->start();
    }

    void pump()
    {
        const qsizetype total = m_frames->json.size();
        const QList<Client> clients = m_clients; // a send may report a disconnect
        bool sentAny = false;
        for (int i = 0; i < FramesPerTurn; ++i) {
            const qsizetype at = m_next++ % total;
            for (const Client &client : clients) {
                if (m_send == BaselineSend::Frames) {
                    if (!client.tcp || client.tcp->bytesToWrite() > SoftWatermarkBytes)
                        continue;
                    sentAny = true;
                    client.tcp->write(client.encoding == Encoding::Json
                                          ? m_frames->jsonFrames.at(at)
                                          : m_frames->cborFrames.at(at));
                    continue;
                }
                if (client.socket->bytesToWrite() > SoftWatermarkBytes)
                    continue;
                sentAny = true;
                if (client.encoding == Encoding::Json)
                    client.socket->sendTextMessage(m_frames->json.at(at));
                else
                    client.socket->sendBinaryMessage(m_frames->cbor.at(at));
            }
        }
        // Every client backed up: wait a millisecond instead of spinning.
        m_pump->setInterval(sentAny ? 0 : 1);
    }

    std::shared_ptr<const BaselineFrames> m_frames;
    QWebSocketServer *m_handshakes = nullptr;
    QTimer *m_pump = nullptr;
    QList<Client> m_clients;
    QHash<QString, QPointer<QTcpSocket>> m_handshaking; // by peer "address|port"
    qsizetype m_next = 0;
    bool m_broadcast = true;
    BaselineSend m_send = BaselineSend::Messages;
};

namespace {

// Hands accepted descriptors round-robin to the workers' threads.
class RoundRobinListener : public QTcpServer
{
public:
    RoundRobinListener(QList<BaselineWorker *> workers, QObject *parent)
        : QTcpServer(parent)
        , m_targets(std::move(workers))
    {
    }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        BaselineWorker *target = m_targets.at(m_turn++ % m_targets.size());
        QMetaObject::invokeMethod(
            target, [target, descriptor] { target->adopt(descriptor); }, Qt::QueuedConnection);
    }

private:
    QList<BaselineWorker *> m_targets;
    qsizetype m_turn = 0;
};

} // namespace

BaselineServer::BaselineServer(BaselineFrames frames, int workers, bool broadcast,
                               BaselineSend send, QObject *parent)
    : QObject(parent)
    , m_frames(std::make_shared<const BaselineFrames>(std::move(frames)))
    , m_workerCount(std::max(1, workers))
    , m_broadcast(broadcast)
    , m_send(send)
{
}

BaselineServer::~BaselineServer()
{
    stop();
}

bool BaselineServer::listen(quint16 port, QString *error)
{
    for (int i = 0; i < m_workerCount; ++i) {
        auto *worker = new BaselineWorker(m_frames, m_broadcast, m_send);
        auto *thread = new QThread(this);
        worker->moveToThread(thread);
        thread->start();
        QMetaObject::invokeMethod(
            worker, [worker] { worker->init(); }, Qt::BlockingQueuedConnection);
        m_workers.append(worker);
        m_threads.append(thread);
    }
    m_listener = new RoundRobinListener(m_workers, this);
    if (!m_listener->listen(QHostAddress::LocalHost, port)) {
        *error = m_listener->errorString();
        return false;
    }
    return true;
}

quint16 BaselineServer::port() const
{
    return m_listener ? m_listener->serverPort() : 0;
}

void BaselineServer::stop()
{
    delete m_listener;
    m_listener = nullptr;
    for (qsizetype i = 0; i < m_workers.size(); ++i) {
        BaselineWorker *worker = m_workers[i];
        QMetaObject::invokeMethod(
            worker,
            [worker] {
                worker->closeAll();
                delete worker;
            },
            Qt::BlockingQueuedConnection);
        m_threads[i]->quit();
        m_threads[i]->wait();
    }
    qDeleteAll(m_threads);
    m_workers.clear();
    m_threads.clear();
}

} // namespace tickwire::bench
