#include "faultproxy.h"

#include <QtNetwork/QTcpSocket>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

using namespace Qt::StringLiterals;

namespace tickwire::testing {

namespace {
constexpr int PumpIntervalMs = 5;

void setLingerZero(QTcpSocket *socket)
{
#ifdef Q_OS_UNIX
    // SO_LINGER 0 makes close() send RST instead of FIN: a cut cable / killed middlebox.
    const qintptr fd = socket->socketDescriptor();
    if (fd >= 0) {
        linger option{1, 0};
        ::setsockopt(int(fd), SOL_SOCKET, SO_LINGER, &option, sizeof option);
    }
#else
    Q_UNUSED(socket);
#endif
}

QByteArray frameHeader(quint8 firstByte, qsizetype length)
{
    QByteArray header;
    header.append(char(firstByte));
    if (length < 126) {
        header.append(char(length));
    } else if (length <= 0xFFFF) {
        header.append(char(126));
        header.append(char((length >> 8) & 0xFF));
        header.append(char(length & 0xFF));
    } else {
        header.append(char(127));
        for (int i = 7; i >= 0; --i)
            header.append(char((quint64(length) >> (8 * i)) & 0xFF));
    }
    return header;
}
} // namespace

FaultProxy::FaultProxy(quint16 upstreamPort, QObject *parent)
    : QObject(parent)
    , m_upstreamPort(upstreamPort)
{
    m_clock.start();
    connect(&m_server, &QTcpServer::newConnection, this, &FaultProxy::accept);
    connect(&m_pump, &QTimer::timeout, this, &FaultProxy::pump);
    m_pump.start(PumpIntervalMs);
}

FaultProxy::~FaultProxy()
{
    for (Link *link : std::as_const(m_links)) {
        link->client->disconnect(this);
        link->upstream->disconnect(this);
        delete link->client;
        delete link->upstream;
        delete link;
    }
}

bool FaultProxy::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl FaultProxy::url() const
{
    return QUrl(u"ws://127.0.0.1:%1/"_s.arg(port()));
}

void FaultProxy::setMode(Mode mode)
{
    m_mode = mode;
}

void FaultProxy::setDelay(int delayMs, int jitterMs)
{
    m_delayMs = delayMs;
    m_jitterMs = jitterMs;
}

void FaultProxy::setThrottle(int bytesPerSecond)
{
    m_bytesPerSecond = bytesPerSecond;
}

void FaultProxy::accept()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        ++m_accepted;
        auto *link = new Link;
        link->client = client;
        link->upstream = new QTcpSocket(this);
        link->toUpstream.to = link->upstream;
        link->toClient.to = client;
        m_links.append(link);
        connect(client, &QTcpSocket::readyRead, this, [this, link] { fromClient(link); });
        connect(link->upstream, &QTcpSocket::readyRead, this, [this, link] { fromUpstream(link); });
        connect(client, &QTcpSocket::disconnected, this, [this, link] { drop(link); });
        connect(link->upstream, &QTcpSocket::disconnected, this, [this, link] { drop(link); });
        connect(link->upstream, &QTcpSocket::errorOccurred, this,
                [this, link](QAbstractSocket::SocketError) { drop(link); });
        link->upstream->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
        Q_EMIT connectionAccepted();
    }
}

void FaultProxy::fromClient(Link *link)
{
    QByteArray data = link->client->readAll();
    if (m_mode == Mode::Stall)
        return;
    enqueue(link->toUpstream, std::move(data));
}

void FaultProxy::fromUpstream(Link *link)
{
    QByteArray data = link->upstream->readAll();
    if (m_mode == Mode::Stall)
        return;
    if (m_hook)
        data = rewriteFrames(link, data);
    enqueue(link->toClient, std::move(data));
}

QByteArray FaultProxy::rewriteFrames(Link *link, const QByteArray &incoming)
{
    link->serverBytes += incoming;
    QByteArray out;
    if (!link->handshakeSeen) {
        const qsizetype end = link->serverBytes.indexOf("\r\n\r\n");
        if (end < 0)
            return out;
        out += link->serverBytes.left(end + 4);
        link->serverBytes.remove(0, end + 4);
        link->handshakeSeen = true;
    }
    // Server frames are unmasked: FIN/opcode byte, length (7, 7+16 or 7+64 bits), payload.
    while (link->serverBytes.size() >= 2) {
        const auto *bytes = reinterpret_cast<const quint8 *>(link->serverBytes.constData());
        const quint8 first = bytes[0];
        quint64 length = bytes[1] & 0x7F;
        qsizetype offset = 2;
        if (length == 126) {
            if (link->serverBytes.size() < 4)
                break;
            length = (quint64(bytes[2]) << 8) | bytes[3];
            offset = 4;
        } else if (length == 127) {
            if (link->serverBytes.size() < 10)
                break;
            length = 0;
            for (int i = 0; i < 8; ++i)
                length = (length << 8) | bytes[2 + i];
            offset = 10;
        }
        if (quint64(link->serverBytes.size()) < quint64(offset) + length)
            break;
        const QByteArray payload = link->serverBytes.mid(offset, qsizetype(length));
        link->serverBytes.remove(0, offset + qsizetype(length));
        const int opcode = first & 0x0F;
        ++m_framesSeen;
        if (opcode >= 0x8) { // control frames pass untouched
            out += frameHeader(first, payload.size()) + payload;
            continue;
        }
        const std::optional<QByteArray> replaced = m_hook(opcode, payload);
        if (replaced)
            out += frameHeader(first, replaced->size()) + *replaced;
    }
    return out;
}

void FaultProxy::enqueue(Direction &direction, QByteArray data)
{
    if (data.isEmpty())
        return;
    const qint64 now = m_clock.elapsed();
    if (m_mode == Mode::Forward && direction.queue.empty()) {
        direction.to->write(data);
        return;
    }
    qint64 releaseAt = now;
    if (m_mode == Mode::Delay) {
        std::uniform_int_distribution<int> jitter(0, std::max(0, m_jitterMs));
        releaseAt = now + m_delayMs + jitter(m_rng);
        if (!direction.queue.empty())
            releaseAt = std::max(releaseAt, direction.queue.back().releaseAt);
    }
    direction.queue.push_back(Chunk{releaseAt, std::move(data)});
}

void FaultProxy::pump()
{
    const qint64 now = m_clock.elapsed();
    const qint64 elapsed = std::max<qint64>(1, now - m_lastPump);
    m_lastPump = now;
    for (Link *link : std::as_const(m_links)) {
        for (Direction *direction : {&link->toUpstream, &link->toClient}) {
            qint64 budget = m_mode == Mode::Throttle
                                ? std::max<qint64>(1, qint64(m_bytesPerSecond) * elapsed / 1000)
                                : std::numeric_limits<qint64>::max();
            while (!direction->queue.empty() && budget > 0) {
                Chunk &chunk = direction->queue.front();
                if (m_mode == Mode::Stall)
                    break;
                if (m_mode == Mode::Delay && chunk.releaseAt > now)
                    break;
                const qint64 n = std::min<qint64>(budget, chunk.data.size());
                direction->to->write(chunk.data.left(n));
                budget -= n;
                if (n == chunk.data.size())
                    direction->queue.pop_front();
                else
                    chunk.data.remove(0, n);
            }
        }
    }
}

void FaultProxy::drop(Link *link)
{
    if (!m_links.removeOne(link))
        return;
    link->client->disconnect(this);
    link->upstream->disconnect(this);
    link->client->abort();
    link->upstream->abort();
    link->client->deleteLater();
    link->upstream->deleteLater();
    delete link;
}

void FaultProxy::cutAll()
{
    const QList<Link *> links = m_links;
    for (Link *link : links) {
        setLingerZero(link->client);
        setLingerZero(link->upstream);
        drop(link);
    }
}

void FaultProxy::halfCloseAll()
{
#ifdef Q_OS_UNIX
    for (Link *link : std::as_const(m_links)) {
        link->client->flush();
        const qintptr fd = link->client->socketDescriptor();
        if (fd >= 0)
            ::shutdown(int(fd), SHUT_WR);
    }
#endif
    m_mode = Mode::Stall; // nothing more reaches the client; its requests go nowhere
}

} // namespace tickwire::testing
