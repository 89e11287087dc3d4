#pragma once

#include "exchanges/binancemessages.h"

#include <deque>

namespace tickwire::exchanges::binance {

// One symbol's local order book procedure, as Binance documents it ("How to manage a local
// order book correctly", Spot WebSocket streams): buffer the diff events, take a REST depth
// snapshot, fetch it again while its lastUpdateId is older than the first buffered event's U,
// drop the buffered events with u <= lastUpdateId, then apply events in order: ignore one whose
// u is not past the book's update id, and start over (buffer, new snapshot) when one's U skips
// past the book's update id + 1. No network and no clock: the adapter feeds it and acts on
// its output. The levels it hands out are validated and at the instrument's tick/lot scale;
// a value that does not fit exactly also starts over, so a book is never rounded.
class BinanceBookSync
{
public:
    enum class State { Idle, AwaitingSnapshot, Synced };

    struct Output
    {
        QList<protocol::Book> books; // to publish, in order (seq and checksum left at 0)
        bool fetchSnapshot = false; // issue GET /api/v3/depth now
        QString resyncReason; // non-empty: the book was dropped, and why
    };

    // Events held while a snapshot is awaited; beyond it the book starts over.
    static constexpr qsizetype MaxBuffered = 10'000;

    explicit BinanceBookSync(protocol::InstrumentInfo info);

    [[nodiscard]] Output onEvent(const DepthUpdate &event);
    // `nowMs` stamps the snapshot's book (REST depth carries no time).
    [[nodiscard]] Output onSnapshot(const DepthSnapshot &snapshot, std::int64_t nowMs);
    // Forget the book and the buffer (connection lost, or the consumer asked to resync); the
    // next event starts the procedure again.
    void reset();

    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] std::int64_t bookUpdateId() const { return m_bookId; }
    [[nodiscard]] qsizetype buffered() const { return qsizetype(m_buffer.size()); }
    [[nodiscard]] const protocol::InstrumentInfo &instrument() const { return m_info; }

private:
    // Applies one event to a synced book: publishes it, ignores it, or starts over.
    void apply(const DepthUpdate &event, Output *out);
    void restartWith(const DepthUpdate &event, const QString &reason, Output *out);

    protocol::InstrumentInfo m_info;
    State m_state = State::Idle;
    std::deque<DepthUpdate> m_buffer;
    std::int64_t m_firstBufferedU = 0;
    std::int64_t m_bookId = 0;
};

} // namespace tickwire::exchanges::binance
