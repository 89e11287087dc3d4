#pragma once

#include "protocol/codec.h"
#include "client/reconnectpolicy.h"

#include <QtCore/QList>
#include <QtCore/QMetaType>
#include <QtCore/QString>
#include <QtCore/QUrl>

#include <cstdint>

namespace tickwire::client {

// Everything a FeedClient needs to connect. Times in milliseconds.
struct FeedOptions
{
    QUrl url; // the first server, ws:// or wss://
    // More servers, tried after `url` in this order: every attempt after a failed or lost
    // connection goes to the next server of servers(), round robin (docs/client.md).
    QList<QUrl> fallbackUrls;
    QString token; // empty: anonymous (market data only)
    bool tokenInHeader = false; // "Authorization: Bearer T" instead of "?token=T"
    protocol::Encoding encoding = protocol::Encoding::Json;
    ReconnectOptions reconnect;
    std::uint64_t seed = 0; // backoff jitter seed; 0 picks a random one
    int pingIntervalMs = 5'000; // application ping, for the round-trip time
    int staleHeartbeats = 2; // silence of this many heartbeat_ms marks Stale
    int requestTimeoutMs = 10'000; // subscribe/unsubscribe reply deadline
    int flushIntervalMs = 16; // at most one EventBatch per interval
    int bookDepth = protocol::DefaultBookDepth;
    QString caCertificateFile; // PEM, added to the trusted CAs (wss:// demo setups)
    bool ignoreSslErrors = false; // accept self-signed certificates: demos only

    // The servers in order of preference: url, then fallbackUrls (without an empty url).
    [[nodiscard]] QList<QUrl> servers() const
    {
        return url.isEmpty() ? fallbackUrls : QList<QUrl>{url} + fallbackUrls;
    }
    void setServers(const QList<QUrl> &urls)
    {
        url = urls.value(0);
        fallbackUrls = urls.mid(1);
    }
};

// Counters of one client since it was created; rates over the last second.
struct FeedStats
{
    qint64 messages = 0;
    qint64 bytes = 0;
    double messagesPerSecond = 0;
    double bytesPerSecond = 0;
    int latencyMs = -1; // last ping round trip; -1 before the first pong
    int reconnects = 0; // connection attempts after the first
    int gaps = 0; // sequence gaps detected on any stream
    int duplicates = 0; // old or repeated messages dropped
    int resnapshots = 0;
    int checksumFailures = 0;
    int crossedBooks = 0; // books that would have been crossed; never published
    int badFrames = 0; // frames that failed to decode
};

} // namespace tickwire::client

Q_DECLARE_METATYPE(tickwire::client::FeedStats)
