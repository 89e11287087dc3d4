// The NATS subjects, headers and payloads between the engine and the gateways.
#pragma once

#include "protocol/messages.h"
#include "server/subscriptionregistry.h"

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>

#include <optional>

namespace tickwire::cluster {

// Market events: one subject per stream, "tw.md.<channel>.<symbol>[.<tier>|.<interval>]".
[[nodiscard]] QString marketSubject(const server::StreamRef &stream);
// Every market stream of the instruments, by stream id (server::streamSlot).
[[nodiscard]] QList<server::StreamRef>
streamRefs(const QList<protocol::InstrumentInfo> &instruments);

// Account events: "tw.acct.<account>", captured by the AccountStream JetStream stream.
[[nodiscard]] QString accountSubject(const QString &account);
// A name as one subject token: '.', '*', '>', '%', whitespace and controls percent-encoded.
[[nodiscard]] QString subjectToken(const QString &name);

inline constexpr QLatin1StringView AccountStream{"TW_ACCOUNTS"};
inline constexpr QLatin1StringView AccountSubjects{"tw.acct.>"};
// Requests the engine serves.
inline constexpr QLatin1StringView InfoSubject{"tw.engine.info"};
inline constexpr QLatin1StringView SnapshotSubject{"tw.engine.snapshot"};
inline constexpr QLatin1StringView OrdersSubject{"tw.engine.orders"};
// The engine's heartbeat (EngineInfo without the instruments).
inline constexpr QLatin1StringView HeartbeatSubject{"tw.engine.heartbeat"};

// Headers.
inline constexpr char SeqHeader[] = "Tw-Seq"; // a stream event's seq; a snapshot's position
inline constexpr char EpochHeader[] = "Tw-Epoch"; // account events: the account stream's epoch
inline constexpr char AccountHeader[] = "Tw-Account"; // order requests: the authenticated account
inline constexpr char OrdersSeqHeader[] =
    "Tw-Orders-Seq"; // order replies: OrderService's ordersSeq
inline constexpr char ErrorHeader[] = "Tw-Error"; // a request the engine could not serve

// What the engine is: sent on HeartbeatSubject and as the reply to InfoSubject (with the
// instruments). JSON.
struct EngineInfo
{
    QString boot; // unique per engine process: a new one means the engine restarted
    std::int64_t epoch = 0; // the account streams' epoch (0: no exchange)
    QString source; // welcome.source: "sim", "replay", an exchange
    bool paperTrading = false;
    std::optional<protocol::SourceStatus> status; // a live source's health
    QList<protocol::InstrumentInfo> instruments; // InfoSubject only, in stream-id order
};
[[nodiscard]] QByteArray encodeEngineInfo(const EngineInfo &info);
[[nodiscard]] std::optional<EngineInfo> decodeEngineInfo(const QByteArray &json, QString *error);

// Messages as lines of tickwire/1 JSON (snapshot and order replies).
[[nodiscard]] QByteArray encodeLines(const QList<protocol::Message> &messages);
[[nodiscard]] std::optional<QList<protocol::Message>> decodeLines(const QByteArray &lines,
                                                                  QString *error);

// The payload of a server-to-client WebSocket frame (as PublishedEvent holds them), without a
// copy: valid while `frame` is.
[[nodiscard]] QByteArray framePayload(const QByteArray &frame);

} // namespace tickwire::cluster
