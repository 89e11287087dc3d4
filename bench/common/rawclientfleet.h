#pragma once

#include "protocol/codec.h"

#include <QtCore/QStringList>

#include <cstdint>
#include <memory>
#include <vector>

namespace tickwire::bench {

// Many tickwire/1 WebSocket clients on one thread, written directly on epoll and raw sockets:
// the client side of a fan-out benchmark must cost as little CPU as possible, so it neither
// decodes messages nor allocates per message (a QWebSocket per client would cost several times
// what is measured). It does the RFC 6455 handshake, answers pings, subscribes after the
// welcome, counts every message by kind, and for a few clients records, per ticker and trade,
// the stream identity and the time the bytes were read.
class RawClientFleet
{
public:
    struct Options
    {
        QList<quint16> ports; // 127.0.0.1 ports; the connections go to them in turn
        protocol::Encoding encoding = protocol::Encoding::Json;
        QStringList symbols; // ticker + trades are subscribed for these; empty: idle clients
        int recordingClients = 16; // spread over the fleet; they keep latency samples
    };

    // One ticker or trade as received by a recording client.
    struct Sample
    {
        std::uint64_t key = 0; // eventKey(channel, symbol, seq)
        std::int64_t receivedNs = 0; // CLOCK_MONOTONIC when read() returned the bytes
        std::int64_t receivedUs = 0; // CLOCK_REALTIME, to compare with the message's `ts`
        std::int64_t tsMs = 0; // the message's `ts`
        bool ticker = false;
    };

    struct Counters
    {
        std::uint64_t messages = 0;
        std::uint64_t bytes = 0;
        std::uint64_t tickers = 0;
        std::uint64_t trades = 0;
        std::uint64_t snapshots = 0; // trades_snapshot (re-sent after conflation)
        std::uint64_t other = 0;
    };

    explicit RawClientFleet(Options options);
    ~RawClientFleet();
    RawClientFleet(const RawClientFleet &) = delete;
    RawClientFleet &operator=(const RawClientFleet &) = delete;

    // Opens `count` more connections, `wave` at a time, each waited for until its welcome.
    // Returns how many of all connections are welcomed.
    int connect(int count, int timeoutMs, int wave = 200);
    // Serves every connection for `ms` milliseconds.
    void run(int ms);
    void resetCounters();
    [[nodiscard]] const Counters &counters() const { return m_counters; }
    [[nodiscard]] std::vector<Sample> takeSamples();
    [[nodiscard]] int welcomed() const;
    [[nodiscard]] int closed() const;
    void closeAll();

    // Identifies one event of one stream, the same in the server's records and here.
    [[nodiscard]] static std::uint64_t eventKey(bool ticker, QByteArrayView symbol,
                                                std::int64_t seq);

private:
    struct Connection;
    void openOne(int index);
    void poll(int timeoutMs);
    void onReadable(Connection *c);
    void onWritable(Connection *c);
    void consumeFrames(Connection *c, std::int64_t ns, std::int64_t us);
    void onMessage(Connection *c, const char *data, std::size_t size, std::int64_t ns,
                   std::int64_t us);
    void sendFrame(Connection *c, int opcode, const QByteArray &payload);
    void flushOut(Connection *c);
    void drop(Connection *c);

    Options m_options;
    int m_epoll = -1;
    std::vector<std::unique_ptr<Connection>> m_connections;
    Counters m_counters;
    std::vector<Sample> m_samples;
    int m_recordEvery = 1;
};

} // namespace tickwire::bench
