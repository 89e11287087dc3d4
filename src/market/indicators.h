#pragma once

#include <QtCore/QString>
#include <QtCore/QStringView>

#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <variant>
#include <vector>

namespace tickwire::market {

// Technical indicators computed incrementally over candles. An engine holds the state as of the
// last closed candle: push() advances it by one closed candle, peek() gives the point of the open
// candle without touching it, both O(1). Outputs are doubles (derived display values); a value not
// defined yet (warm-up) is NaN.

enum class IndicatorKind { Sma, Ema, Vwap, Bollinger, Rsi, Macd };

struct IndicatorSpec
{
    IndicatorKind kind = IndicatorKind::Sma;
    int period = 20; // SMA, EMA, Bollinger, RSI
    double k = 2; // Bollinger: standard deviations either side
    int fast = 12; // MACD
    int slow = 26;
    int signal = 9;

    bool operator==(const IndicatorSpec &) const = default;

    // The defaults of a kind: SMA 20, EMA 20, VWAP, Bollinger 20 2, RSI 14, MACD 12 26 9.
    [[nodiscard]] static IndicatorSpec defaults(IndicatorKind kind);
    // Why the parameters are not usable (empty when they are): periods 1 to 500, k in (0, 10],
    // MACD fast < slow.
    [[nodiscard]] QString check() const;
    // "sma 20", "bollinger 20 2", "macd 12 26 9", "vwap": the settings' form.
    [[nodiscard]] QString toString() const;
    // The settings' form back, or why it is not one.
    [[nodiscard]] static std::variant<IndicatorSpec, QString> parse(QStringView text);
    // "SMA 20", "BB 20 2", "MACD 12 26 9": what the chart shows.
    [[nodiscard]] QString label() const;
    [[nodiscard]] int outputCount() const;
    // RSI and MACD have a pane of their own; the others overlay the candles.
    [[nodiscard]] bool ownPane() const
    {
        return kind == IndicatorKind::Rsi || kind == IndicatorKind::Macd;
    }
};

[[nodiscard]] QString indicatorKindName(IndicatorKind kind); // "sma", "ema", ...
[[nodiscard]] std::optional<IndicatorKind> indicatorKindFromName(QStringView name);

// What an indicator reads of a candle: exact prices as doubles.
struct IndicatorCandle
{
    qint64 t = 0; // ms since the epoch, start of the interval
    double high = 0;
    double low = 0;
    double close = 0;
    double volume = 0;
};

// Up to three outputs: SMA/EMA/VWAP/RSI {value}; Bollinger {middle, upper, lower};
// MACD {line, signal, histogram}.
using IndicatorValues = std::array<double, 3>;

inline constexpr double NoValue = std::numeric_limits<double>::quiet_NaN();

// A sum with Neumaier's compensation: adding and removing values over a long series keeps the
// error of one addition instead of accumulating it.
class CompensatedSum
{
public:
    void add(double x)
    {
        const double t = m_sum + x;
        m_carry += std::abs(m_sum) >= std::abs(x) ? (m_sum - t) + x : (x - t) + m_sum;
        m_sum = t;
    }
    [[nodiscard]] double value() const { return m_sum + m_carry; }
    // value() + x, without adding it.
    [[nodiscard]] double with(double x) const
    {
        CompensatedSum copy = *this;
        copy.add(x);
        return copy.value();
    }

private:
    double m_sum = 0;
    double m_carry = 0;
};

// The last `size` values pushed, oldest first out.
class Ring
{
public:
    explicit Ring(int size)
        : m_values(std::size_t(std::max(0, size)))
    {
    }
    [[nodiscard]] int size() const { return int(m_values.size()); }
    [[nodiscard]] int count() const { return m_count; }
    [[nodiscard]] bool full() const { return m_count == size(); }
    // Pushes x; returns the value it replaced when full (else nothing).
    std::optional<double> push(double x);
    // Adds `delta` to every value held.
    void shift(double delta)
    {
        for (double &value : m_values)
            value += delta;
    }
    template<typename F> void forEach(F f) const
    {
        for (int i = 0; i < m_count; ++i)
            f(m_values[i]);
    }
    void clear()
    {
        m_count = 0;
        m_next = 0;
    }

private:
    std::vector<double> m_values;
    int m_count = 0;
    std::size_t m_next = 0;
};

// EMA with α = 2 / (period + 1), seeded with the SMA of the first `period` values (StockCharts'
// convention): NaN before.
class EmaState
{
public:
    explicit EmaState(int period)
        : m_period(std::max(1, period))
        , m_alpha(2.0 / (m_period + 1))
    {
    }
    [[nodiscard]] double evaluate(double x) const;
    double advance(double x);
    void reset() { *this = EmaState(m_period); }

private:
    int m_period;
    double m_alpha;
    int m_count = 0;
    CompensatedSum m_seed;
    double m_value = NoValue;
};

class IndicatorEngine
{
public:
    explicit IndicatorEngine(const IndicatorSpec &spec);

    [[nodiscard]] const IndicatorSpec &spec() const { return m_spec; }
    void reset();
    // A closed candle: its values, and the state moves past it.
    IndicatorValues push(const IndicatorCandle &candle);
    // The values the open candle has now; the state stays as of the last closed candle.
    [[nodiscard]] IndicatorValues peek(const IndicatorCandle &candle) const;

private:
    [[nodiscard]] IndicatorValues evaluate(const IndicatorCandle &candle) const;
    void advance(const IndicatorCandle &candle);

    IndicatorSpec m_spec;
    // SMA and Bollinger: the last period − 1 closed closes, less m_anchor, and their sums. The
    // anchor moves to the newest close every `period` candles and the sums are taken again from
    // the window (O(1) amortized): values near zero keep the sum of squares minus the squared
    // mean exact enough, and rounding does not accumulate over a long series.
    Ring m_window;
    CompensatedSum m_sum;
    CompensatedSum m_squares;
    double m_anchor = NoValue;
    int m_sinceAnchor = 0;
    // EMA, MACD.
    EmaState m_fast;
    EmaState m_slow;
    EmaState m_signal;
    // RSI (Wilder): changes seen, their gains/losses summed for the seed, then smoothed.
    double m_previousClose = NoValue;
    int m_changes = 0;
    CompensatedSum m_gainSeed;
    CompensatedSum m_lossSeed;
    double m_avgGain = 0;
    double m_avgLoss = 0;
    // VWAP: the session (UTC day) and its sums.
    qint64 m_session = std::numeric_limits<qint64>::min();
    CompensatedSum m_priceVolume;
    CompensatedSum m_volume;
};

// The UTC day of a time (ms since the epoch): VWAP's session.
[[nodiscard]] constexpr qint64 utcDay(qint64 ms)
{
    constexpr qint64 Day = 86'400'000;
    return ms >= 0 ? ms / Day : (ms - Day + 1) / Day;
}

} // namespace tickwire::market
