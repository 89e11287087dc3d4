#include "client/reconnectpolicy.h"

#include <QtCore/QElapsedTimer>

#include <algorithm>

namespace tickwire::client {

namespace {
constexpr int CloseGoingAway = 1001;
constexpr int ClosePolicyViolation = 1008;
constexpr int CloseTryAgainLater = 1013;

std::int64_t steadyNow()
{
    static QElapsedTimer timer = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return timer.elapsed();
}
} // namespace

ReconnectPolicy::ReconnectPolicy(ReconnectOptions options, std::uint64_t seed, Clock clock)
    : m_options(options)
    , m_rng(seed)
    , m_clock(std::move(clock))
{
}

std::int64_t ReconnectPolicy::now() const
{
    return m_clock ? m_clock() : steadyNow();
}

int ReconnectPolicy::attempt() const
{
    if (m_liveSince >= 0 && now() - m_liveSince >= m_options.stableAfterMs)
        return 0;
    return m_attempt;
}

void ReconnectPolicy::settle()
{
    if (m_liveSince >= 0 && now() - m_liveSince >= m_options.stableAfterMs)
        m_attempt = 0;
}

void ReconnectPolicy::markLive()
{
    if (m_liveSince < 0)
        m_liveSince = now();
}

void ReconnectPolicy::markDown()
{
    settle();
    m_liveSince = -1;
}

int ReconnectPolicy::ceilingMs(int attempt) const
{
    const int base = std::max(1, m_options.baseMs);
    const int cap = std::max(base, m_options.capMs);
    std::int64_t ceiling = base;
    for (int i = 0; i < attempt && ceiling < cap; ++i)
        ceiling *= 2;
    return int(std::min<std::int64_t>(ceiling, cap));
}

int ReconnectPolicy::uniform(int maxInclusive)
{
    if (maxInclusive <= 0)
        return 0;
    std::uniform_int_distribution<int> dist(0, maxInclusive);
    return dist(m_rng);
}

bool ReconnectPolicy::isAuthFailure(int closeCode, QStringView reason)
{
    if (closeCode != ClosePolicyViolation)
        return false;
    return reason.contains(u"auth", Qt::CaseInsensitive)
           || reason.contains(u"token", Qt::CaseInsensitive)
           || reason.contains(u"credential", Qt::CaseInsensitive);
}

ReconnectPolicy::Decision ReconnectPolicy::next(int closeCode, QStringView reason)
{
    markDown();
    if (isAuthFailure(closeCode, reason))
        return {Action::AuthFailed, 0, m_attempt};

    const int attemptNow = m_attempt;
    ++m_attempt;
    Decision decision{Action::Retry, 0, m_attempt};
    if (closeCode == CloseGoingAway) {
        // A restarting server: come back soon, but still spread clients out.
        decision.delayMs = uniform(std::min(m_options.goingAwayMaxMs, ceilingMs(attemptNow)));
    } else if (closeCode == CloseTryAgainLater) {
        // Overloaded server: never sooner than the cap.
        decision.delayMs = std::max(m_options.capMs, m_options.baseMs) + uniform(m_options.baseMs);
    } else {
        decision.delayMs = uniform(ceilingMs(attemptNow));
    }
    return decision;
}

void ReconnectPolicy::reset()
{
    m_attempt = 0;
}

} // namespace tickwire::client
