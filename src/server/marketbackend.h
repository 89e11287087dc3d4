#pragma once

#include "protocol/messages.h"
#include "server/orderservice.h"
#include "server/publishedevent.h"
#include "server/streaminterest.h"
#include "server/subscriptionregistry.h"

#include <QtCore/QHash>
#include <QtCore/QObject>

#include <functional>
#include <memory>

namespace tickwire::server {

// What the workers ask of the market: snapshots, resync snapshots and order requests, and what
// it publishes to them. The MarketEngine answers in-process; a gateway's backend answers from
// the engine behind a NATS backplane (tickwire_cluster). Lives on its own thread (the
// FeedServer's engine thread); workers reach it only by queued calls. Every callback runs on
// that thread, once, and ahead of every batch published after the state it reflects.
class MarketBackend : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MarketBackend)

public:
    using SnapshotsDone = std::function<void(const QList<StreamSnapshot> &snapshots)>;
    using ResyncDone = std::function<void(const PublishedBatch &frames)>;

    explicit MarketBackend(QObject *parent = nullptr)
        : QObject(parent)
    {
    }

    // Starts producing; called on the backend's thread.
    virtual void start() = 0;
    // Market events are encoded only in the encodings someone subscribes to. Set before start().
    void setInterest(std::shared_ptr<const StreamInterest> interest)
    {
        m_interest = std::move(interest);
    }
    // Snapshots of the streams (unknown ones are left out). A snapshot's `seq` is the position
    // from which the stream's published events follow it.
    virtual void snapshots(const QList<StreamRef> &streams, const SnapshotsDone &done) = 0;
    // One market stream's snapshot, encoded once per encoding someone subscribes to, as
    // frames: the resync of every subscriber of a worker that lost events of the stream. The
    // subscribers' position after them is the last frame's seq. Empty for an unknown stream.
    virtual void resyncSnapshot(int streamId, const StreamRef &stream, const ResyncDone &done) = 0;
    // An order request (place, cancel, cancel all, subscribe or unsubscribe to orders) of an
    // authenticated account.
    virtual void orderRequest(const QString &account, const protocol::Message &request,
                              const OrderService::Reply &reply) = 0;

Q_SIGNALS:
    // Everything one step produced, in order. Streams nobody subscribes to are left out.
    void published(const tickwire::server::PublishedBatch &batch);
    // The health of the market source (or of the way to it) changed.
    void sourceStatusChanged(const tickwire::protocol::SourceStatus &status);
    // Events of these market streams were lost before publication (stream id -> trades lost):
    // their subscribers wait for a resync snapshot.
    void streamsLost(const QHash<int, qint64> &lost);

protected:
    std::shared_ptr<const StreamInterest> m_interest;
};

} // namespace tickwire::server
