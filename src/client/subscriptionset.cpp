#include "client/subscriptionset.h"

#include <algorithm>
#include <map>
#include <tuple>

using namespace Qt::StringLiterals;

namespace tickwire::client {

namespace {
// Requests are grouped by channel and interval: one subscribe can carry many symbols.
using GroupKey = std::tuple<int, int>;
GroupKey groupOf(const Topic &topic)
{
    return {int(topic.channel), topic.interval ? int(*topic.interval) : -1};
}
} // namespace

SubscriptionSet::SubscriptionSet(int bookDepth, int requestTimeoutMs)
    : m_bookDepth(bookDepth)
    , m_requestTimeoutMs(requestTimeoutMs)
{
}

bool SubscriptionSet::add(const Topic &topic)
{
    const QString key = topic.toString();
    if (m_desired.contains(key))
        return false;
    m_desired.insert(key, topic);
    m_desiredTopics.insert(topic);
    m_known.insert(key, topic);
    m_errors.remove(key);
    return true;
}

bool SubscriptionSet::remove(const Topic &topic)
{
    const QString key = topic.toString();
    m_errors.remove(key);
    m_desiredTopics.remove(topic);
    return m_desired.remove(key) > 0;
}

bool SubscriptionSet::contains(const Topic &topic) const
{
    return m_desiredTopics.contains(topic);
}

QList<Topic> SubscriptionSet::desired() const
{
    QList<Topic> result = m_desired.values();
    std::sort(result.begin(), result.end(),
              [](const Topic &a, const Topic &b) { return a.toString() < b.toString(); });
    return result;
}

bool SubscriptionSet::isActive(const Topic &topic) const
{
    const auto it = m_server.constFind(topic.toString());
    return it != m_server.cend() && *it == Status::Active;
}

QString SubscriptionSet::errorFor(const Topic &topic) const
{
    return m_errors.value(topic.toString());
}

void SubscriptionSet::connectionLost()
{
    m_server.clear();
    m_pending.clear();
}

protocol::Subscribe
SubscriptionSet::makeSubscribe(const QList<Topic> &topics, std::int64_t id,
                               std::optional<protocol::ResumePoint> resume) const
{
    protocol::Subscribe request;
    request.id = id;
    request.channel = topics.first().channel;
    request.interval = topics.first().interval;
    for (const Topic &topic : topics) {
        if (!topic.symbol.isEmpty())
            request.symbols.append(topic.symbol);
    }
    if (request.channel == protocol::Channel::Book)
        request.depth = m_bookDepth;
    if (request.channel == protocol::Channel::Orders)
        request.resume = resume;
    return request;
}

QList<protocol::Message>
SubscriptionSet::takeRequests(std::int64_t &nextId, std::int64_t nowMs,
                              std::optional<protocol::ResumePoint> ordersResume)
{
    std::map<GroupKey, QList<Topic>> toSubscribe;
    std::map<GroupKey, QList<Topic>> toUnsubscribe;
    for (auto it = m_desired.cbegin(); it != m_desired.cend(); ++it) {
        if (!m_server.contains(it.key()) && !m_errors.contains(it.key()))
            toSubscribe[groupOf(*it)].append(*it);
    }
    for (auto it = m_server.cbegin(); it != m_server.cend(); ++it) {
        if (*it != Status::Unsubscribing && !m_desired.contains(it.key())) {
            const Topic &topic = m_known[it.key()];
            toUnsubscribe[groupOf(topic)].append(topic);
        }
    }

    QList<protocol::Message> requests;
    for (auto &[group, topics] : toUnsubscribe) {
        protocol::Unsubscribe request;
        request.id = nextId++;
        request.channel = topics.first().channel;
        request.interval = topics.first().interval;
        Pending pending{false, {}, nowMs + m_requestTimeoutMs};
        for (const Topic &topic : topics) {
            if (!topic.symbol.isEmpty())
                request.symbols.append(topic.symbol);
            pending.keys.append(topic.toString());
            m_server.insert(topic.toString(), Status::Unsubscribing);
        }
        m_pending.insert(request.id, pending);
        requests.append(request);
    }
    for (auto &[group, topics] : toSubscribe) {
        std::sort(topics.begin(), topics.end(),
                  [](const Topic &a, const Topic &b) { return a.symbol < b.symbol; });
        const std::int64_t id = nextId++;
        Pending pending{true, {}, nowMs + m_requestTimeoutMs};
        for (const Topic &topic : topics) {
            pending.keys.append(topic.toString());
            m_server.insert(topic.toString(), Status::Subscribing);
        }
        m_pending.insert(id, pending);
        requests.append(makeSubscribe(topics, id, ordersResume));
    }
    return requests;
}

QList<protocol::Message>
SubscriptionSet::resubscribe(const Topic &topic, std::int64_t &nextId, std::int64_t nowMs,
                             std::optional<protocol::ResumePoint> ordersResume)
{
    const QString key = topic.toString();
    if (!m_desired.contains(key))
        return {};
    QList<protocol::Message> requests;
    protocol::Unsubscribe unsubscribe;
    unsubscribe.id = nextId++;
    unsubscribe.channel = topic.channel;
    unsubscribe.interval = topic.interval;
    if (!topic.symbol.isEmpty())
        unsubscribe.symbols.append(topic.symbol);
    // The unsubscribe's reply changes nothing: the subscribe right after it owns the topic.
    m_pending.insert(unsubscribe.id, Pending{false, {}, nowMs + m_requestTimeoutMs});
    requests.append(unsubscribe);

    const std::int64_t id = nextId++;
    m_pending.insert(id, Pending{true, {key}, nowMs + m_requestTimeoutMs});
    m_server.insert(key, Status::Subscribing);
    requests.append(makeSubscribe({topic}, id, ordersResume));
    return requests;
}

bool SubscriptionSet::handleAck(const protocol::Ack &ack)
{
    const auto it = m_pending.find(ack.id);
    if (it == m_pending.end())
        return false;
    const Pending pending = *it;
    m_pending.erase(it);
    for (const QString &key : pending.keys) {
        const auto status = m_server.find(key);
        if (status == m_server.end())
            continue;
        if (pending.subscribe && *status == Status::Subscribing)
            *status = Status::Active;
        else if (!pending.subscribe && *status == Status::Unsubscribing)
            m_server.erase(status);
    }
    return true;
}

std::optional<SubscriptionSet::Failure> SubscriptionSet::handleError(const protocol::Error &error)
{
    if (!error.id)
        return std::nullopt;
    const auto it = m_pending.find(*error.id);
    if (it == m_pending.end())
        return std::nullopt;
    const Pending pending = *it;
    m_pending.erase(it);

    Failure failure{*error.id, {}, error.code, error.message};
    const bool transient = error.code == protocol::ErrorCode::RateLimited;
    for (const QString &key : pending.keys) {
        const Topic &topic = m_known[key];
        // The other topics of a request refused for one symbol are asked for again.
        const bool refused = !transient && (!error.symbol || *error.symbol == topic.symbol);
        if (pending.subscribe) {
            m_server.remove(key);
            if (refused) {
                m_errors.insert(key, error.message);
                failure.topics.append(topic);
            }
        } else if (m_server.value(key) == Status::Unsubscribing) {
            // Refused unsubscribe: assume the server still sends it; retried by takeRequests.
            m_server.insert(key, Status::Active);
            failure.topics.append(topic);
        }
    }
    return failure;
}

QList<SubscriptionSet::Failure> SubscriptionSet::expire(std::int64_t nowMs)
{
    QList<Failure> failures;
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (it->deadline > nowMs) {
            ++it;
            continue;
        }
        Failure failure{
            it.key(),
            {},
            u"timeout"_s,
            u"no reply to request %1 within %2 ms"_s.arg(it.key()).arg(m_requestTimeoutMs)};
        for (const QString &key : std::as_const(it->keys)) {
            failure.topics.append(m_known[key]);
            if (it->subscribe)
                m_server.remove(key);
            else
                m_server.insert(key, Status::Active);
        }
        failures.append(failure);
        it = m_pending.erase(it);
    }
    return failures;
}

} // namespace tickwire::client
