#include "client/marketsequencer.h"

#include "client/subscriptionset.h"

namespace tickwire::client {

using protocol::Channel;

bool MarketSequencer::isMarketData(const protocol::Message &message)
{
    using namespace protocol;
    return std::holds_alternative<Ticker>(message) || std::holds_alternative<Trade>(message)
           || std::holds_alternative<Candle>(message) || std::holds_alternative<Book>(message)
           || std::holds_alternative<TradesSnapshot>(message)
           || std::holds_alternative<CandlesSnapshot>(message);
}

MarketSequencer::MarketSequencer(const SubscriptionSet &subscriptions, int bookDepth)
    : m_subscriptions(subscriptions)
    , m_bookDepth(bookDepth)
{
}

void MarketSequencer::topicAdded(const Topic &topic)
{
    if (topic.channel == Channel::Book)
        m_books.insert(topic.symbol, BookState{});
}

void MarketSequencer::topicRemoved(const Topic &topic)
{
    if (topic.channel == Channel::Book)
        m_books.remove(topic.symbol);
    m_sequencer.forget(topic);
}

void MarketSequencer::connectionLost()
{
    m_sequencer.clear();
    for (BookState &state : m_books) {
        state.book.clear();
        state.awaitingSnapshot = true;
    }
}

MarketSequencer::Verdict MarketSequencer::handle(protocol::Message &&message)
{
    using namespace protocol;
    if (const auto *ticker = std::get_if<Ticker>(&message)) {
        return sequence(std::move(message), StreamId{Channel::Ticker, ticker->symbol, {}},
                        ticker->seq);
    }
    if (const auto *trade = std::get_if<Trade>(&message)) {
        return sequence(std::move(message), StreamId{Channel::Trades, trade->symbol, {}},
                        trade->seq);
    }
    if (const auto *candle = std::get_if<Candle>(&message)) {
        return sequence(std::move(message),
                        StreamId{Channel::Candles, candle->symbol, candle->interval}, candle->seq);
    }
    if (const auto *book = std::get_if<Book>(&message))
        return handleBook(*book);
    if (const auto *trades = std::get_if<TradesSnapshot>(&message)) {
        const StreamId stream{Channel::Trades, trades->symbol, {}};
        const auto last = trades->trades.isEmpty()
                              ? std::nullopt
                              : std::optional<std::int64_t>(trades->trades.last().seq);
        return restart(std::move(message), stream, last);
    }
    if (const auto *candles = std::get_if<CandlesSnapshot>(&message)) {
        const StreamId stream{Channel::Candles, candles->symbol, candles->interval};
        const auto last = candles->candles.isEmpty()
                              ? std::nullopt
                              : std::optional<std::int64_t>(candles->candles.last().seq);
        return restart(std::move(message), stream, last);
    }
    Q_ASSERT_X(false, "MarketSequencer::handle", "not market data");
    return Verdict::Ignored;
}

MarketSequencer::Verdict MarketSequencer::sequence(protocol::Message &&message,
                                                   const StreamId &stream, std::int64_t seq)
{
    // Every stream the sequencer knows is subscribed (topicRemoved() forgets it): one hash
    // look-up for all but a stream's first message, which the subscription set vets.
    auto known = m_sequencer.checkKnown(stream, seq);
    if (!known) {
        if (!m_subscriptions.contains(stream))
            return Verdict::Ignored;
        known = m_sequencer.check(stream, seq);
    }
    Verdict verdict = Verdict::Accepted;
    switch (*known) {
    case StreamSequencer::Verdict::Stale:
        return Verdict::Stale;
    case StreamSequencer::Verdict::Gap:
        // Tickers, trades and candles carry full values: keep going.
        verdict = Verdict::AcceptedAfterGap;
        break;
    case StreamSequencer::Verdict::First:
    case StreamSequencer::Verdict::InOrder:
        break;
    }
    m_batch.events.append(std::move(message));
    return verdict;
}

MarketSequencer::Verdict MarketSequencer::restart(protocol::Message &&snapshot,
                                                  const StreamId &stream,
                                                  std::optional<std::int64_t> lastSeq)
{
    if (!m_subscriptions.contains(stream))
        return Verdict::Ignored;
    if (lastSeq) // an empty snapshot leaves the position as it was
        m_sequencer.restart(stream, *lastSeq);
    m_batch.events.append(std::move(snapshot));
    return Verdict::Accepted;
}

MarketSequencer::Verdict MarketSequencer::handleBook(const protocol::Book &message)
{
    const auto it = m_books.find(message.symbol);
    const StreamId stream{Channel::Book, message.symbol, {}};
    if (it == m_books.end() || !m_subscriptions.contains(stream))
        return Verdict::Ignored;
    BookState &state = *it;
    if (message.snapshot) {
        m_sequencer.restart(stream, message.seq);
        state.awaitingSnapshot = false;
    } else {
        if (state.awaitingSnapshot)
            return Verdict::Ignored; // deltas before the (re)snapshot belong to the old book
        switch (m_sequencer.check(stream, message.seq)) {
        case StreamSequencer::Verdict::Stale:
            return Verdict::Stale;
        case StreamSequencer::Verdict::Gap:
            return resetBook(state, stream, Verdict::BookGap);
        case StreamSequencer::Verdict::First:
            return resetBook(state, stream, Verdict::BookUnanchored);
        case StreamSequencer::Verdict::InOrder:
            break;
        }
    }
    if (!state.book.apply(message))
        return resetBook(state, stream, Verdict::BookRejected);
    if (state.book.checksum() != message.checksum)
        return resetBook(state, stream, Verdict::BookChecksumMismatch);
    if (state.book.isCrossed())
        return resetBook(state, stream, Verdict::BookCrossed);

    protocol::BookView view;
    view.symbol = message.symbol;
    view.seq = message.seq;
    view.ts = message.ts;
    view.bids = state.book.topBids(m_bookDepth);
    view.asks = state.book.topAsks(m_bookDepth);
    view.resynced = message.snapshot;
    const auto index = m_batchBookIndex.constFind(message.symbol);
    if (index == m_batchBookIndex.cend()) {
        m_batchBookIndex.insert(message.symbol, m_batch.books.size());
        m_batch.books.append(view);
    } else {
        view.resynced = view.resynced || m_batch.books[*index].resynced;
        m_batch.books[*index] = view;
    }
    return Verdict::Accepted;
}

MarketSequencer::Verdict MarketSequencer::resetBook(BookState &state, const StreamId &stream,
                                                    Verdict why)
{
    state.book.clear();
    state.awaitingSnapshot = true;
    m_sequencer.forget(stream);
    return why;
}

protocol::EventBatch MarketSequencer::takeBatch()
{
    const qsizetype capacity = m_batch.events.size();
    protocol::EventBatch batch = std::exchange(m_batch, {});
    m_batch.events.reserve(capacity);
    m_batchBookIndex.clear();
    return batch;
}

} // namespace tickwire::client
