#pragma once

#include "protocol/messages.h"

#include <cstdint>

namespace tickwire::server {

// What the fan-out does with one published event for one subscription. The rule, kept apart
// from the sockets so it can be read (and tested) on its own:
//   - nothing before the stream's snapshot (Pending) or at or below the seq already sent;
//   - a stream that lost events (Stale) takes only a ticker (it carries the whole state);
//     other events wait for the resync snapshot;
//   - a conflated session (its socket is backed up) gets account events only: its market
//     streams go Stale and are re-sent as snapshots once the socket drains;
//   - an event not encoded in the session's encoding (cannot happen while subscribed, see
//     StreamInterest) makes the stream ask for a fresh snapshot, so it stays contiguous.
enum class FanOutStep {
    Skip, // nothing to send
    Write, // send the event's frame; lastSeq is now the event's seq
    Drop, // not sent: the stream is Stale now (a trade counts as dropped)
    Resnapshot, // not sent: the stream is Pending now, a snapshot is to be requested
};

// Decides, and moves `lastSeq` (Pending, Stale or the last seq sent) accordingly.
[[nodiscard]] FanOutStep fanOutStep(qint64 &lastSeq, std::int64_t eventSeq,
                                    protocol::Channel channel, bool conflated, bool encoded);

} // namespace tickwire::server
