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

} // namespace tickwire::exchanges::coinbase
