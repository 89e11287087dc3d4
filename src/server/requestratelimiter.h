#pragma once

#include <cstdint>

namespace tickwire::server {

// One connection's request rate: a token bucket (`perSecond` refill, `burst` deep, full at the
// start) plus the count of refused requests within the last second, which decides when a client
// that keeps going is closed for abuse. Times are milliseconds of a steady clock.
class RequestRateLimiter
{
public:
    RequestRateLimiter(double perSecond, int burst, std::int64_t nowMs);

    // Takes a token: true when the request may be served.
    [[nodiscard]] bool admit(std::int64_t nowMs);
    // Refused requests, counted from the first refusal after a second without one.
    [[nodiscard]] int violations() const { return m_violations; }
    [[nodiscard]] double tokens() const { return m_tokens; }

private:
    double m_perSecond;
    double m_burst;
    double m_tokens;
    std::int64_t m_lastRefillMs;
    int m_violations = 0;
    std::int64_t m_lastViolationMs;
};

} // namespace tickwire::server
