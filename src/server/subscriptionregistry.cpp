#include "server/subscriptionregistry.h"

#include "server/streaminterest.h"

namespace tickwire::server {

SubscriptionRegistry::SubscriptionRegistry(const QList<protocol::InstrumentInfo> &symbols,
                                           std::shared_ptr<StreamInterest> interest)
    : m_interest(std::move(interest))
    , m_market(std::size_t(symbols.size()) * StreamsPerSymbol)
{
    for (qsizetype i = 0; i < symbols.size(); ++i)
        m_symbolIndex.insert(symbols[i].symbol, int(i));
}

int SubscriptionRegistry::streamId(const StreamRef &ref) const
{
    if (ref.channel == protocol::Channel::Orders)
        return NoStreamId;
    const auto it = m_symbolIndex.constFind(ref.symbol);
    if (it == m_symbolIndex.cend())
        return NoStreamId;
    return *it * StreamsPerSymbol + streamSlot(ref.channel, ref.tier, ref.interval);
}

void SubscriptionRegistry::add(Subscription *subscription)
{
    subscription->id = streamId(subscription->ref);
    if (subscription->id != NoStreamId) {
        m_market[std::size_t(subscription->id)].append(subscription);
        // Counted before the snapshot request leaves: see StreamInterest.
        m_interest->add(subscription->id, subscription->encoding, +1);
    } else {
        m_accounts[subscription->key].append(subscription);
    }
}

void SubscriptionRegistry::remove(const Subscription *subscription)
{
    if (subscription->id != NoStreamId) {
        if (m_market[std::size_t(subscription->id)].removeOne(subscription))
            m_interest->add(subscription->id, subscription->encoding, -1);
        return;
    }
    const auto it = m_accounts.find(subscription->key);
    if (it == m_accounts.end())
        return;
    it->removeOne(subscription);
    if (it->isEmpty())
        m_accounts.erase(it);
}

const QList<Subscription *> *SubscriptionRegistry::subscribers(int streamId,
                                                               const QString &key) const
{
    if (streamId != NoStreamId)
        return &m_market[std::size_t(streamId)];
    const auto it = m_accounts.constFind(key);
    return it == m_accounts.cend() ? nullptr : &*it;
}

} // namespace tickwire::server
