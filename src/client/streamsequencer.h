#pragma once

#include "client/topic.h"

#include <QtCore/QHash>

#include <cstdint>
#include <optional>

namespace tickwire::client {

// Per-stream sequence tracking for market data (one stream per channel, symbol and interval).
// Sequence numbers of one stream rise by one; the sequencer says whether a message is the
// next one, skips ahead (gap: messages were lost) or is old (duplicate/replay: drop it).
// Not thread-safe: one owner thread.
class StreamSequencer
{
public:
    enum class Verdict {
        First, // nothing known for this stream yet: accepted
        InOrder, // exactly the next sequence number: accepted
        Gap, // ahead of the next one: accepted, but messages in between were lost
        Stale // at or below the last accepted one: drop it
    };

    // Judges `seq` for `stream` and, unless Stale, records it as the last accepted one.
    [[nodiscard]] Verdict check(const StreamId &stream, std::int64_t seq);
    // check() for a stream with a recorded position; nullopt, and nothing recorded, for any
    // other (its first message), so that the caller can vet a new stream first.
    [[nodiscard]] std::optional<Verdict> checkKnown(const StreamId &stream, std::int64_t seq);
    // Accepts `seq` as the stream position unconditionally (snapshots).
    void restart(const StreamId &stream, std::int64_t seq);
    void forget(const StreamId &stream);
    void clear();

    [[nodiscard]] std::optional<std::int64_t> last(const StreamId &stream) const;

private:
    QHash<StreamId, std::int64_t> m_last;
};

} // namespace tickwire::client
