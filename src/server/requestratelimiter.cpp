#include "server/requestratelimiter.h"

#include <algorithm>
#include <limits>

namespace tickwire::server {

RequestRateLimiter::RequestRateLimiter(double perSecond, int burst, std::int64_t nowMs)
    : m_perSecond(perSecond)
    , m_burst(burst)
    , m_tokens(burst)
    , m_lastRefillMs(nowMs)
    , m_lastViolationMs(std::numeric_limits<std::int64_t>::min() / 2)
{
}

bool RequestRateLimiter::admit(std::int64_t nowMs)
{
    const std::int64_t elapsed = std::max<std::int64_t>(0, nowMs - m_lastRefillMs);
    m_tokens = std::min(m_burst, m_tokens + double(elapsed) * m_perSecond / 1000.0);
    m_lastRefillMs = std::max(m_lastRefillMs, nowMs);
    if (m_tokens >= 1) {
        m_tokens -= 1;
        return true;
    }
    if (nowMs - m_lastViolationMs > 1000)
        m_violations = 0;
    m_lastViolationMs = nowMs;
    ++m_violations;
    return false;
}

} // namespace tickwire::server
