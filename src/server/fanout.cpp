#include "server/fanout.h"

#include "server/subscriptionregistry.h"

namespace tickwire::server {

using protocol::Channel;

FanOutStep fanOutStep(qint64 &lastSeq, std::int64_t eventSeq, Channel channel, bool conflated,
                      bool encoded)
{
    if (lastSeq == Pending || eventSeq <= lastSeq)
        return FanOutStep::Skip;
    if ((lastSeq == Stale && channel != Channel::Ticker)
        || (conflated && channel != Channel::Orders)) {
        lastSeq = Stale;
        return FanOutStep::Drop;
    }
    if (!encoded) {
        lastSeq = Pending;
        return FanOutStep::Resnapshot;
    }
    lastSeq = eventSeq;
    return FanOutStep::Write;
}

} // namespace tickwire::server
