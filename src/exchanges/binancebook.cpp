#include "exchanges/binancebook.h"

namespace tickwire::exchanges::binance {

using namespace Qt::StringLiterals;

BinanceBookSync::BinanceBookSync(protocol::InstrumentInfo info)
    : m_info(std::move(info))
{
}

void BinanceBookSync::reset()
{
    m_state = State::Idle;
    m_buffer.clear();
    m_firstBufferedU = 0;
    m_bookId = 0;
}

BinanceBookSync::Output BinanceBookSync::onEvent(const DepthUpdate &event)
{
    Output out;
    switch (m_state) {
    case State::Idle:
        m_buffer.push_back(event);
        m_firstBufferedU = event.firstUpdateId;
        m_state = State::AwaitingSnapshot;
        out.fetchSnapshot = true;
        break;
    case State::AwaitingSnapshot:
        if (qsizetype(m_buffer.size()) >= MaxBuffered) {
            reset();
            out.resyncReason =
                u"more than %1 events buffered while awaiting the snapshot"_s.arg(MaxBuffered);
            break;
        }
        m_buffer.push_back(event);
        break;
    case State::Synced:
        apply(event, &out);
        break;
    }
    return out;
}

BinanceBookSync::Output BinanceBookSync::onSnapshot(const DepthSnapshot &snapshot,
                                                    std::int64_t nowMs)
{
    Output out;
    if (m_state != State::AwaitingSnapshot)
        return out; // answer to a request made before a reset: the procedure moved on
    if (snapshot.lastUpdateId < m_firstBufferedU) {
        // Older than what the stream already sent: the events between are lost to it.
        out.fetchSnapshot = true;
        return out;
    }
    const auto bids = toLevels(snapshot.bids, m_info);
    const auto asks = toLevels(snapshot.asks, m_info);
    if (!bids || !asks) {
        reset();
        out.resyncReason = u"snapshot level off the tick/lot grid"_s;
        return out;
    }
    protocol::Book book;
    book.symbol = m_info.symbol;
    book.ts = nowMs;
    book.snapshot = true;
    book.bids = *bids;
    book.asks = *asks;
    out.books.append(book);
    m_bookId = snapshot.lastUpdateId;
    m_state = State::Synced;
    std::deque<DepthUpdate> buffered;
    buffered.swap(m_buffer);
    for (const DepthUpdate &event : buffered) {
        if (m_state == State::Idle)
            break; // dropped: the next event starts over
        if (m_state != State::Synced) {
            m_buffer.push_back(event); // started over: these wait for the next snapshot
            continue;
        }
        apply(event, &out);
    }
    return out;
}

void BinanceBookSync::apply(const DepthUpdate &event, Output *out)
{
    if (event.finalUpdateId <= m_bookId)
        return; // already in the book
    if (event.firstUpdateId > m_bookId + 1) {
        restartWith(event,
                    u"gap: U=%1 after book update id %2"_s.arg(event.firstUpdateId).arg(m_bookId),
                    out);
        return;
    }
    const auto bids = toLevels(event.bids, m_info);
    const auto asks = toLevels(event.asks, m_info);
    if (!bids || !asks) {
        reset();
        out->resyncReason = u"level off the tick/lot grid"_s;
        return;
    }
    m_bookId = event.finalUpdateId;
    if (bids->isEmpty() && asks->isEmpty())
        return;
    protocol::Book book;
    book.symbol = m_info.symbol;
    book.ts = event.eventTime;
    book.bids = *bids;
    book.asks = *asks;
    out->books.append(book);
}

void BinanceBookSync::restartWith(const DepthUpdate &event, const QString &reason, Output *out)
{
    reset();
    out->resyncReason = reason;
    m_buffer.push_back(event);
    m_firstBufferedU = event.firstUpdateId;
    m_state = State::AwaitingSnapshot;
    out->fetchSnapshot = true;
}

} // namespace tickwire::exchanges::binance
