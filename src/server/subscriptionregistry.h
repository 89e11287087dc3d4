#pragma once

#include "protocol/codec.h"
#include "protocol/messages.h"
#include "server/publishedevent.h"

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QString>

#include <memory>
#include <vector>

namespace tickwire::server {

class Session;
class StreamInterest;

// What a session subscribed to: enough to ask the engine for the stream's snapshot.
struct StreamRef
{
    protocol::Channel channel = protocol::Channel::Ticker;
    QString symbol;
    int tier = 0;
    protocol::CandleInterval interval = protocol::CandleInterval::M1;
};

// Where a subscription's stream stands: the last seq sent, or one of these.
inline constexpr qint64 Pending = -1; // subscribed, snapshot not delivered yet
// Lost events (worker behind, or socket conflated): waits for a resync snapshot. A ticker
// carries the whole state, so the next live ticker resyncs a ticker stream as well.
inline constexpr qint64 Stale = -2;

// One stream of one session. Owned by its Session; stays put while subscribed, so the
// registry and the fan-out keep pointers to it.
struct Subscription
{
    QString key; // streamKey(...)
    StreamRef ref;
    int id = NoStreamId; // market stream id; NoStreamId for the account stream
    qint64 lastSeq = Pending;
    Session *session = nullptr;
    protocol::Encoding encoding = protocol::Encoding::Json; // the session's
};

// One worker's subscriptions by stream: market streams by id (no hashing on the fan-out's
// path), account streams by name. Keeps the cross-worker StreamInterest counts in step, so the
// engine encodes what someone here will send. Worker thread only.
class SubscriptionRegistry
{
public:
    SubscriptionRegistry(const QList<protocol::InstrumentInfo> &symbols,
                         std::shared_ptr<StreamInterest> interest);

    [[nodiscard]] bool knows(const QString &symbol) const { return m_symbolIndex.contains(symbol); }
    // The id of a known symbol's market stream, NoStreamId for an account stream (or an unknown
    // symbol).
    [[nodiscard]] int streamId(const StreamRef &ref) const;
    [[nodiscard]] int marketStreams() const { return int(m_market.size()); }

    // Lists `subscription` under its stream (its id is set here) and counts it in.
    void add(Subscription *subscription);
    // Takes it off its stream's list and counts it out; an unlisted one is ignored.
    void remove(const Subscription *subscription);

    // The subscriptions of a market stream (`streamId`) or of an account stream (`key`); null
    // for an account stream nobody here subscribes to.
    [[nodiscard]] const QList<Subscription *> *subscribers(int streamId, const QString &key) const;
    [[nodiscard]] const QList<Subscription *> &market(int streamId) const
    {
        return m_market[std::size_t(streamId)];
    }

private:
    std::shared_ptr<StreamInterest> m_interest;
    QHash<QString, int> m_symbolIndex;
    std::vector<QList<Subscription *>> m_market;
    QHash<QString, QList<Subscription *>> m_accounts;
};

} // namespace tickwire::server
