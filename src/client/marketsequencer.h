#pragma once

#include "protocol/eventbatch.h"
#include "protocol/orderbook.h"
#include "client/streamsequencer.h"
#include "protocol/symbolkey.h"

#include <QtCore/QHash>

namespace tickwire::client {

class SubscriptionSet;

// The market-data half of the client's stream integrity, without a socket: takes decoded
// tickers, trades, candles, their snapshots and books; drops what is not subscribed (the
// application's desired topics in `subscriptions`) or old; keeps and verifies one
// protocol::OrderBook per subscribed book; and appends what passes to the current EventBatch.
// What the connection must do about a message (count it, resubscribe a book) is the returned
// Verdict. FeedConnection runs it on its I/O thread; bench_ingest runs the same class.
// Not thread-safe: one owner thread.
class MarketSequencer
{
public:
    enum class Verdict {
        Accepted, // in the batch (a book: its verified view)
        AcceptedAfterGap, // in the batch; messages before it in its stream were lost
        Ignored, // not subscribed, or a book delta while the book awaits its snapshot
        Stale, // at or below its stream's last sequence number: dropped
        // Dropped; the symbol's book is cleared and awaits a fresh snapshot, which the caller
        // asks for (unsubscribe + subscribe of that book only).
        BookGap, // a delta skipped sequence numbers
        BookUnanchored, // a delta with no snapshot to apply it to
        BookRejected, // a level the book refused (negative quantity)
        BookChecksumMismatch,
        BookCrossed,
    };
    [[nodiscard]] static bool needsResnapshot(Verdict verdict)
    {
        return verdict >= Verdict::BookGap;
    }
    // Tickers, trades, candles, their snapshots and books: what handle() takes.
    [[nodiscard]] static bool isMarketData(const protocol::Message &message);

    // `subscriptions` must outlive this object; `bookDepth` levels go into each BookView.
    MarketSequencer(const SubscriptionSet &subscriptions, int bookDepth);

    void setBookDepth(int bookDepth) { m_bookDepth = bookDepth; }

    // The application added or removed a topic (after SubscriptionSet::add/remove said so).
    // Every removal must be reported: a stream with a position is taken to be subscribed.
    void topicAdded(const Topic &topic);
    void topicRemoved(const Topic &topic);
    // The connection went away: forget every stream position; books await new snapshots.
    void connectionLost();

    // `message` must be market data (isMarketData); it is moved into the batch if accepted.
    [[nodiscard]] Verdict handle(protocol::Message &&message);
    // Events other parts of the client verified (orders, errors), in arrival order.
    void append(protocol::Message &&event) { m_batch.events.append(std::move(event)); }

    [[nodiscard]] bool hasBatch() const { return !m_batch.isEmpty(); }
    [[nodiscard]] qsizetype pendingEvents() const
    {
        return m_batch.events.size() + m_batch.books.size();
    }
    // Hands over the current batch; the next one starts with its capacity (one allocation
    // instead of a dozen growing copies — above malloc's mmap threshold, fresh pages — a batch).
    [[nodiscard]] protocol::EventBatch takeBatch();

private:
    struct BookState
    {
        protocol::OrderBook book;
        bool awaitingSnapshot = true;
    };

    [[nodiscard]] Verdict sequence(protocol::Message &&message, const StreamId &stream,
                                   std::int64_t seq);
    // A trades or candles snapshot: the stream goes on from its last item.
    [[nodiscard]] Verdict restart(protocol::Message &&snapshot, const StreamId &stream,
                                  std::optional<std::int64_t> lastSeq);
    [[nodiscard]] Verdict handleBook(const protocol::Book &message);
    [[nodiscard]] Verdict resetBook(BookState &state, const StreamId &stream, Verdict why);

    const SubscriptionSet &m_subscriptions;
    int m_bookDepth;
    StreamSequencer m_sequencer;
    QHash<SymbolKey, BookState> m_books; // by symbol, for every subscribed book
    protocol::EventBatch m_batch;
    QHash<SymbolKey, qsizetype> m_batchBookIndex; // symbol -> index in m_batch.books
};

} // namespace tickwire::client
