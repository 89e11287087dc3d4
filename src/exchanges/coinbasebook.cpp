#include "exchanges/coinbasebook.h"

namespace tickwire::exchanges::coinbase {

using namespace Qt::StringLiterals;

CoinbaseBookSync::CoinbaseBookSync(ProductInfo product)
    : m_product(std::move(product))
{
}

void CoinbaseBookSync::onSubscribed()
{
    m_state = State::AwaitingSnapshot;
    m_resubscribing = false;
}

void CoinbaseBookSync::reset()
{
    m_state = State::Unsubscribed;
    m_resubscribing = false;
}

CoinbaseBookSync::Output CoinbaseBookSync::onEvent(const BookEvent &event, std::int64_t ts)
{
    Output out;
    if (m_state == State::Unsubscribed)
        return out; // not ours to keep (no subscription on this connection)
    if (!event.snapshot && m_state != State::Synced) {
        if (m_resubscribing) {
            ++m_dropped; // the old subscription's last updates, sent before the unsubscribe
            return out;
        }
        return restart(u"update before the snapshot"_s);
    }
    const std::optional<Levels> levels = toLevels(event.updates, m_product.info);
    if (!levels)
        return restart(u"level off the tick/lot grid"_s);
    if (event.snapshot) {
        m_state = State::Synced;
        m_resubscribing = false;
    } else if (levels->bids.isEmpty() && levels->asks.isEmpty()) {
        return out;
    }
    protocol::Book book;
    book.symbol = m_product.info.symbol;
    book.ts = ts;
    book.snapshot = event.snapshot;
    book.bids = levels->bids;
    book.asks = levels->asks;
    out.book = book;
    return out;
}

CoinbaseBookSync::Output CoinbaseBookSync::onGap(const QString &reason)
{
    if (m_state == State::Unsubscribed)
        return {};
    return restart(reason);
}

CoinbaseBookSync::Output CoinbaseBookSync::resync(const QString &reason)
{
    if (m_state == State::Unsubscribed)
        return {};
    return restart(reason);
}

CoinbaseBookSync::Output CoinbaseBookSync::restart(const QString &reason)
{
    Output out;
    m_state = State::AwaitingSnapshot;
    m_resubscribing = true;
    out.resubscribe = true;
    out.resyncReason = reason;
    return out;
}

CoinbaseBookSet::CoinbaseBookSet(const QList<ProductInfo> &products)
{
    for (const ProductInfo &p : products) {
        m_index.insert(p.productId, int(m_books.size()));
        m_books.push_back(std::make_unique<CoinbaseBookSync>(p));
    }
}

void CoinbaseBookSet::onConnected()
{
    m_lastSequence.reset();
    for (auto &book : m_books)
        book->onSubscribed();
}

void CoinbaseBookSet::reset()
{
    m_lastSequence.reset();
    for (auto &book : m_books)
        book->reset();
}

bool CoinbaseBookSet::allSynced() const
{
    return std::all_of(m_books.cbegin(), m_books.cend(), [](const auto &book) {
        return book->state() == CoinbaseBookSync::State::Synced;
    });
}

CoinbaseBookSet::Output CoinbaseBookSet::onMessage(const MessageResult &message)
{
    Output out;
    if (message.sequenceNum) {
        const std::optional<std::int64_t> last = std::exchange(m_lastSequence, message.sequenceNum);
        if (last && *message.sequenceNum != *last + 1)
            gap(u"sequence_num %1 after %2"_s.arg(*message.sequenceNum).arg(*last), &out);
    }
    if (!message.ok()) {
        if (message.channel == "l2_data"_L1)
            gap(u"unreadable l2_data message"_s, &out); // its changes are lost
        return out;
    }
    const auto *book = std::get_if<BookMessage>(&message.message->payload);
    if (!book)
        return out;
    for (const BookEvent &event : book->events) {
        const int i = indexOf(event.productId);
        if (i >= 0) {
            CoinbaseBookSync &sync = *m_books[std::size_t(i)];
            collect(sync, sync.onEvent(event, message.message->timestampMs), &out);
        }
    }
    return out;
}

CoinbaseBookSet::Output CoinbaseBookSet::resync(const QString &productId, const QString &reason)
{
    Output out;
    if (const int i = indexOf(productId); i >= 0) {
        CoinbaseBookSync &sync = *m_books[std::size_t(i)];
        collect(sync, sync.resync(reason), &out);
    }
    return out;
}

void CoinbaseBookSet::gap(const QString &reason, Output *out)
{
    for (auto &book : m_books)
        collect(*book, book->onGap(reason), out);
}

void CoinbaseBookSet::collect(const CoinbaseBookSync &sync, CoinbaseBookSync::Output output,
                              Output *out)
{
    if (output.book)
        out->books.append(std::move(*output.book));
    if (!output.resyncReason.isEmpty())
        out->resyncs.append(Resync{sync.instrument().symbol, output.resyncReason});
    if (output.resubscribe && !out->resubscribe.contains(sync.product().productId))
        out->resubscribe.append(sync.product().productId);
}

} // namespace tickwire::exchanges::coinbase
