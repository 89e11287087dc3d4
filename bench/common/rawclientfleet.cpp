#include "rawclientfleet.h"

#include "benchsupport.h"

#include <QtCore/QByteArray>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tickwire::bench {

namespace {

constexpr std::size_t ReadChunk = 256 * 1024;

enum class Phase { Connecting, Handshake, Open, Closed };

std::uint64_t fnv1a(QByteArrayView text)
{
    std::uint64_t h = 1469598103934665603ULL;
    for (char c : text) {
        h ^= std::uint8_t(c);
        h *= 1099511628211ULL;
    }
    return h;
}

// ---- just enough parsing to identify a ticker or trade, in either encoding ----------------

bool startsWith(const char *data, std::size_t size, std::string_view prefix)
{
    return size >= prefix.size() && std::memcmp(data, prefix.data(), prefix.size()) == 0;
}

enum class Kind { Ticker, Trade, TradesSnapshot, Other };

struct Identity
{
    Kind kind = Kind::Other;
    QByteArrayView symbol;
    std::int64_t seq = -1;
    std::int64_t ts = -1;
};

// JSON as our encoder writes it: {"type":"…","symbol":"…","seq":N,"ts":N,…
Identity identifyJson(const char *data, std::size_t size, bool full)
{
    Identity id;
    constexpr std::string_view Type = "{\"type\":\"";
    if (!startsWith(data, size, Type))
        return id;
    const char *p = data + Type.size();
    const std::size_t rest = size - Type.size();
    if (startsWith(p, rest, "ticker\""))
        id.kind = Kind::Ticker;
    else if (startsWith(p, rest, "trade\""))
        id.kind = Kind::Trade;
    else if (startsWith(p, rest, "trades_snapshot\""))
        id.kind = Kind::TradesSnapshot;
    if (!full || (id.kind != Kind::Ticker && id.kind != Kind::Trade))
        return id;
    const std::string_view text(data, size);
    const auto field = [&](std::string_view key) -> std::size_t {
        const auto at = text.find(key);
        return at == std::string_view::npos ? at : at + key.size();
    };
    const auto number = [&](std::size_t at) -> std::int64_t {
        std::int64_t v = 0;
        while (at < size && data[at] >= '0' && data[at] <= '9')
            v = v * 10 + (data[at++] - '0');
        return v;
    };
    const std::size_t symbol = field("\"symbol\":\"");
    if (symbol == std::string_view::npos)
        return id;
    const std::size_t end = text.find('"', symbol);
    const std::size_t seq = field("\"seq\":");
    const std::size_t ts = field("\"ts\":");
    if (end == std::string_view::npos || seq == std::string_view::npos
        || ts == std::string_view::npos)
        return id;
    id.symbol = QByteArrayView(data + symbol, qsizetype(end - symbol));
    id.seq = number(seq);
    id.ts = number(ts);
    return id;
}

// CBOR as QCborStreamWriter writes it: an indefinite map (0xBF) of text keys in the same order.
class CborCursor
{
public:
    CborCursor(const std::uint8_t *data, std::size_t size)
        : m_p(data)
        , m_end(data + size)
    {
    }
    bool text(QByteArrayView *out)
    {
        if (m_p >= m_end || (*m_p & 0xE0) != 0x60)
            return false;
        std::uint64_t n = 0;
        if (!argument(&n) || std::size_t(m_end - m_p) < n)
            return false;
        *out = QByteArrayView(reinterpret_cast<const char *>(m_p), qsizetype(n));
        m_p += n;
        return true;
    }
    bool unsignedInt(std::int64_t *out)
    {
        if (m_p >= m_end || (*m_p & 0xE0) != 0x00)
            return false;
        std::uint64_t n = 0;
        if (!argument(&n))
            return false;
        *out = std::int64_t(n);
        return true;
    }
    bool key(QByteArrayView expected)
    {
        QByteArrayView k;
        return text(&k) && k == expected;
    }
    bool mapStart()
    {
        if (m_p >= m_end)
            return false;
        const std::uint8_t b = *m_p++;
        return b == 0xBF || (b & 0xE0) == 0xA0;
    }

private:
    bool argument(std::uint64_t *out)
    {
        const std::uint8_t info = *m_p++ & 0x1F;
        if (info < 24) {
            *out = info;
            return true;
        }
        const int bytes = info == 24 ? 1 : info == 25 ? 2 : info == 26 ? 4 : info == 27 ? 8 : 0;
        if (bytes == 0 || m_end - m_p < bytes)
            return false;
        std::uint64_t v = 0;
        for (int i = 0; i < bytes; ++i)
            v = (v << 8) | *m_p++;
        *out = v;
        return true;
    }

    const std::uint8_t *m_p;
    const std::uint8_t *m_end;
};

Identity identifyCbor(const char *data, std::size_t size, bool full)
{
    Identity id;
    CborCursor c(reinterpret_cast<const std::uint8_t *>(data), size);
    QByteArrayView type;
    if (!c.mapStart() || !c.key("type") || !c.text(&type))
        return id;
    if (type == "ticker")
        id.kind = Kind::Ticker;
    else if (type == "trade")
        id.kind = Kind::Trade;
    else if (type == "trades_snapshot")
        id.kind = Kind::TradesSnapshot;
    if (!full || (id.kind != Kind::Ticker && id.kind != Kind::Trade))
        return id;
    QByteArrayView symbol;
    std::int64_t seq = -1, ts = -1;
    if (c.key("symbol") && c.text(&symbol) && c.key("seq") && c.unsignedInt(&seq) && c.key("ts")
        && c.unsignedInt(&ts)) {
        id.symbol = symbol;
        id.seq = seq;
        id.ts = ts;
    }
    return id;
}

} // namespace

struct RawClientFleet::Connection
{
    int fd = -1;
    int index = 0;
    quint16 port = 0;
    Phase phase = Phase::Connecting;
    bool welcomed = false;
    bool recording = false;
    QByteArray in; // unparsed bytes from in[consumed] on
    qsizetype consumed = 0;
    QByteArray fragments; // a fragmented message being assembled
    QByteArray out; // bytes the kernel did not take yet
};

RawClientFleet::RawClientFleet(Options options)
    : m_options(std::move(options))
    , m_epoll(::epoll_create1(EPOLL_CLOEXEC))
{
    raiseFileLimit(1 << 16);
}

RawClientFleet::~RawClientFleet()
{
    closeAll();
    if (m_epoll >= 0)
        ::close(m_epoll);
}

std::uint64_t RawClientFleet::eventKey(bool ticker, QByteArrayView symbol, std::int64_t seq)
{
    return (fnv1a(symbol) & 0xFFFFFF) << 40 | (ticker ? 1ULL : 2ULL) << 38
           | (std::uint64_t(seq) & ((1ULL << 38) - 1));
}

int RawClientFleet::welcomed() const
{
    int n = 0;
    for (const auto &c : m_connections)
        n += c->welcomed && c->phase == Phase::Open ? 1 : 0;
    return n;
}

int RawClientFleet::closed() const
{
    int n = 0;
    for (const auto &c : m_connections)
        n += c->phase == Phase::Closed ? 1 : 0;
    return n;
}

void RawClientFleet::resetCounters()
{
    m_counters = {};
    m_samples.clear();
}

std::vector<RawClientFleet::Sample> RawClientFleet::takeSamples()
{
    return std::exchange(m_samples, {});
}

int RawClientFleet::connect(int count, int timeoutMs, int wave)
{
    const std::int64_t deadline = monotonicNs() + std::int64_t(timeoutMs) * 1'000'000;
    int opened = 0;
    while (opened < count && monotonicNs() < deadline) {
        const int n = std::min(wave, count - opened);
        const int target = welcomed() + n;
        for (int i = 0; i < n; ++i)
            openOne(int(m_connections.size()));
        opened += n;
        while (welcomed() < target && monotonicNs() < deadline) {
            poll(10);
            if (welcomed() + closed() >= int(m_connections.size()))
                break;
        }
    }
    return welcomed();
}

void RawClientFleet::openOne(int index)
{
    auto c = std::make_unique<Connection>();
    c->index = index;
    c->port = m_options.ports.value(index % std::max<qsizetype>(1, m_options.ports.size()));
    c->recording = index < m_options.recordingClients;
    c->fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
        c->phase = Phase::Closed;
        m_connections.push_back(std::move(c));
        return;
    }
    const int one = 1;
    ::setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(c->port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int rc = ::connect(c->fd, reinterpret_cast<sockaddr *>(&address), sizeof address);
    if (rc != 0 && errno != EINPROGRESS) {
        ::close(c->fd);
        c->fd = -1;
        c->phase = Phase::Closed;
        m_connections.push_back(std::move(c));
        return;
    }
    epoll_event event{};
    event.events = EPOLLIN | EPOLLOUT;
    event.data.ptr = c.get();
    ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, c->fd, &event);
    m_connections.push_back(std::move(c));
}

void RawClientFleet::run(int ms)
{
    const std::int64_t deadline = monotonicNs() + std::int64_t(ms) * 1'000'000;
    while (true) {
        const std::int64_t left = deadline - monotonicNs();
        if (left <= 0)
            break;
        poll(int(std::min<std::int64_t>(left / 1'000'000 + 1, 50)));
    }
}

void RawClientFleet::poll(int timeoutMs)
{
    epoll_event events[512];
    const int n = ::epoll_wait(m_epoll, events, 512, timeoutMs);
    for (int i = 0; i < n; ++i) {
        auto *c = static_cast<Connection *>(events[i].data.ptr);
        if (c->phase == Phase::Closed)
            continue;
        if (events[i].events & EPOLLOUT)
            onWritable(c);
        if (c->phase != Phase::Closed && (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
            onReadable(c);
    }
}

void RawClientFleet::onWritable(Connection *c)
{
    if (c->phase == Phase::Connecting) {
        int error = 0;
        socklen_t length = sizeof error;
        ::getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0)
            return drop(c);
        c->phase = Phase::Handshake;
        const QByteArray protocolName =
            QByteArray(protocol::subprotocolName(m_options.encoding).data(),
                       protocol::subprotocolName(m_options.encoding).size());
        c->out += "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(c->port)
                  + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: "
                  + protocolName + "\r\n\r\n";
    }
    flushOut(c);
}

void RawClientFleet::flushOut(Connection *c)
{
    while (!c->out.isEmpty()) {
        const ssize_t n =
            ::send(c->fd, c->out.constData(), std::size_t(c->out.size()), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            return drop(c);
        }
        c->out.remove(0, qsizetype(n));
    }
    epoll_event event{};
    event.events = EPOLLIN | (c->out.isEmpty() ? 0u : std::uint32_t(EPOLLOUT));
    event.data.ptr = c;
    ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, c->fd, &event);
}

void RawClientFleet::onReadable(Connection *c)
{
    // Read what is there (bounded, so one busy connection cannot starve the others).
    std::size_t total = 0;
    while (total < 4 * ReadChunk) {
        if (c->consumed > 0 && c->consumed >= c->in.size() / 2) {
            c->in.remove(0, c->consumed);
            c->consumed = 0;
        }
        const qsizetype old = c->in.size();
        c->in.resize(old + qsizetype(ReadChunk));
        const ssize_t n = ::recv(c->fd, c->in.data() + old, ReadChunk, 0);
        c->in.resize(old + std::max<qsizetype>(0, n));
        if (n == 0)
            return drop(c);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            return drop(c);
        }
        total += std::size_t(n);
        const std::int64_t ns = monotonicNs();
        const std::int64_t us = realtimeUs();
        if (c->phase == Phase::Handshake) {
            const qsizetype end = c->in.indexOf("\r\n\r\n");
            if (end < 0)
                continue;
            if (!c->in.startsWith("HTTP/1.1 101"))
                return drop(c);
            c->consumed = end + 4;
            c->phase = Phase::Open;
        }
        consumeFrames(c, ns, us);
        if (c->phase == Phase::Closed)
            return;
    }
}

void RawClientFleet::consumeFrames(Connection *c, std::int64_t ns, std::int64_t us)
{
    while (c->phase == Phase::Open) {
        const auto *p = reinterpret_cast<const std::uint8_t *>(c->in.constData() + c->consumed);
        const std::size_t available = std::size_t(c->in.size() - c->consumed);
        if (available < 2)
            return;
        std::size_t header = 2;
        std::uint64_t length = p[1] & 0x7F;
        if (length == 126) {
            header = 4;
            if (available < header)
                return;
            length = std::uint64_t(p[2]) << 8 | p[3];
        } else if (length == 127) {
            header = 10;
            if (available < header)
                return;
            length = 0;
            for (int i = 2; i < 10; ++i)
                length = length << 8 | p[i];
        }
        if (p[1] & 0x80)
            header += 4; // servers do not mask; tolerate it anyway (the mask is not applied)
        if (available < header + length)
            return;
        const bool fin = p[0] & 0x80;
        const int opcode = p[0] & 0x0F;
        const char *payload = reinterpret_cast<const char *>(p + header);
        c->consumed += qsizetype(header + length);
        switch (opcode) {
        case 0x0: // continuation
            c->fragments.append(payload, qsizetype(length));
            if (fin) {
                const QByteArray whole = std::exchange(c->fragments, {});
                onMessage(c, whole.constData(), std::size_t(whole.size()), ns, us);
            }
            break;
        case 0x1:
        case 0x2:
            if (fin)
                onMessage(c, payload, std::size_t(length), ns, us);
            else
                c->fragments = QByteArray(payload, qsizetype(length));
            break;
        case 0x8: // close
            return drop(c);
        case 0x9: // ping: answer with the same payload
            sendFrame(c, 0xA, QByteArray(payload, qsizetype(length)));
            break;
        default:
            break;
        }
    }
}

void RawClientFleet::onMessage(Connection *c, const char *data, std::size_t size, std::int64_t ns,
                               std::int64_t us)
{
    ++m_counters.messages;
    m_counters.bytes += size;
    const bool cbor = m_options.encoding == protocol::Encoding::Cbor;
    const Identity id =
        cbor ? identifyCbor(data, size, c->recording) : identifyJson(data, size, c->recording);
    switch (id.kind) {
    case Kind::Ticker:
        ++m_counters.tickers;
        break;
    case Kind::Trade:
        ++m_counters.trades;
        break;
    case Kind::TradesSnapshot:
        ++m_counters.snapshots;
        break;
    case Kind::Other:
        ++m_counters.other;
        break;
    }
    if (c->recording && id.seq >= 0)
        m_samples.push_back(Sample{eventKey(id.kind == Kind::Ticker, id.symbol, id.seq), ns, us,
                                   id.ts, id.kind == Kind::Ticker});
    if (!c->welcomed) {
        c->welcomed = true; // the first message is the welcome
        if (m_options.symbols.isEmpty())
            return;
        for (const auto channel : {protocol::Channel::Ticker, protocol::Channel::Trades}) {
            protocol::Subscribe subscribe;
            subscribe.id = channel == protocol::Channel::Ticker ? 1 : 2;
            subscribe.channel = channel;
            subscribe.symbols = m_options.symbols;
            sendFrame(c, cbor ? 0x2 : 0x1, protocol::encode(subscribe, m_options.encoding));
        }
    }
}

void RawClientFleet::sendFrame(Connection *c, int opcode, const QByteArray &payload)
{
    if (c->phase == Phase::Closed)
        return;
    // Client frames must be masked; a zero key leaves the payload as it is.
    QByteArray frame;
    frame += char(0x80 | opcode);
    if (payload.size() < 126) {
        frame += char(0x80 | payload.size());
    } else {
        frame += char(0x80 | 126);
        frame += char((payload.size() >> 8) & 0xFF);
        frame += char(payload.size() & 0xFF);
    }
    frame += QByteArray(4, '\0');
    frame += payload;
    c->out += frame;
    flushOut(c);
}

void RawClientFleet::drop(Connection *c)
{
    if (c->phase == Phase::Closed)
        return;
    c->phase = Phase::Closed;
    if (c->fd >= 0) {
        ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, c->fd, nullptr);
        ::close(c->fd);
        c->fd = -1;
    }
    c->in.clear();
    c->out.clear();
}

void RawClientFleet::closeAll()
{
    for (auto &c : m_connections)
        drop(c.get());
    m_connections.clear();
}

} // namespace tickwire::bench
