#pragma once

#include "protocol/codec.h"
#include "server/publishedevent.h"

#include <atomic>
#include <memory>

namespace tickwire::server {

// How many sessions, over all workers, subscribe to each market stream in each encoding, so
// the engine encodes only what someone will send. Workers count (add/remove), the engine
// reads. A worker counts a stream in before it asks the engine for the stream's snapshot, so
// every event published after that snapshot is encoded for it (the queued request orders the
// two). Lock-free; any thread.
class StreamInterest
{
public:
    explicit StreamInterest(int symbols)
        : m_streams(std::max(0, symbols) * StreamsPerSymbol)
        , m_counts(std::make_unique<std::atomic<int>[]>(std::size_t(m_streams) * 2))
    {
    }

    void add(int streamId, protocol::Encoding encoding, int delta)
    {
        if (streamId >= 0 && streamId < m_streams)
            m_counts[index(streamId, encoding)].fetch_add(delta, std::memory_order_relaxed);
    }
    [[nodiscard]] EncodingSet wanted(int streamId) const
    {
        if (streamId < 0 || streamId >= m_streams)
            return {};
        return {m_counts[index(streamId, protocol::Encoding::Json)].load(std::memory_order_relaxed)
                    > 0,
                m_counts[index(streamId, protocol::Encoding::Cbor)].load(std::memory_order_relaxed)
                    > 0};
    }

private:
    [[nodiscard]] static std::size_t index(int streamId, protocol::Encoding encoding)
    {
        return std::size_t(streamId) * 2 + (encoding == protocol::Encoding::Json ? 0 : 1);
    }

    int m_streams = 0;
    std::unique_ptr<std::atomic<int>[]> m_counts;
};

} // namespace tickwire::server
