#pragma once

#include <QtCore/QString>
#include <QtCore/QStringView>

#include <cstdint>
#include <functional>
#include <random>

namespace tickwire::client {

// Timings of the reconnect policy, in milliseconds.
struct ReconnectOptions
{
    int baseMs = 500; // first backoff ceiling; doubles per attempt
    int capMs = 30'000; // largest backoff ceiling
    int connectTimeoutMs = 10'000; // TCP + TLS + WebSocket handshake + welcome
    int stableAfterMs = 10'000; // Live this long before the attempt counter resets
    int goingAwayMaxMs = 1'000; // close 1001 (server restarting): reconnect within this
};

// Decides when to reconnect: exponential backoff with full jitter,
// delay = uniform(0, min(cap, base * 2^attempt)). Deterministic for a given seed and clock,
// so tests use a fake clock and a fixed seed. Not thread-safe: one owner thread.
class ReconnectPolicy
{
public:
    using Clock = std::function<std::int64_t()>; // milliseconds, monotonic

    enum class Action { Retry, AuthFailed };
    struct Decision
    {
        Action action = Action::Retry;
        int delayMs = 0;
        int attempt = 0; // the attempt this delay precedes (1 = first retry)
    };

    explicit ReconnectPolicy(ReconnectOptions options = {},
                             std::uint64_t seed = std::random_device{}(), Clock clock = {});

    [[nodiscard]] const ReconnectOptions &options() const { return m_options; }
    void setOptions(const ReconnectOptions &options) { m_options = options; }

    // Retries since the connection was last stable (Live for stableAfterMs).
    [[nodiscard]] int attempt() const;

    // The connection reached Live / stopped being Live (any reason).
    void markLive();
    void markDown();

    // After a failed or lost connection: what to do next. `closeCode` is the WebSocket close
    // code (0 when the socket failed without a close frame), `reason` its text.
    [[nodiscard]] Decision next(int closeCode = 0, QStringView reason = {});

    // The ceiling of the jitter window for a given attempt (before jitter), for docs and tests.
    [[nodiscard]] int ceilingMs(int attempt) const;

    // User action (retryNow, new credentials): forget the failures.
    void reset();

    // True for close 1008 (policy violation) whose reason names authentication.
    [[nodiscard]] static bool isAuthFailure(int closeCode, QStringView reason);

private:
    [[nodiscard]] std::int64_t now() const;
    [[nodiscard]] int uniform(int maxInclusive);
    void settle();

    ReconnectOptions m_options;
    std::mt19937_64 m_rng;
    Clock m_clock;
    int m_attempt = 0;
    std::int64_t m_liveSince = -1;
};

} // namespace tickwire::client
