#include "market/indicators.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace tickwire::market {

namespace {

constexpr int MaxPeriod = 500;

struct KindName
{
    IndicatorKind kind;
    QLatin1StringView name;
};

constexpr KindName KindNames[] = {
    {IndicatorKind::Sma, "sma"_L1},   {IndicatorKind::Ema, "ema"_L1},
    {IndicatorKind::Vwap, "vwap"_L1}, {IndicatorKind::Bollinger, "bollinger"_L1},
    {IndicatorKind::Rsi, "rsi"_L1},   {IndicatorKind::Macd, "macd"_L1},
};

QString tr(const char *text)
{
    return QCoreApplication::translate("tickwire::market::IndicatorSpec", text);
}

} // namespace

QString indicatorKindName(IndicatorKind kind)
{
    for (const KindName &entry : KindNames) {
        if (entry.kind == kind)
            return entry.name;
    }
    return {};
}

std::optional<IndicatorKind> indicatorKindFromName(QStringView name)
{
    for (const KindName &entry : KindNames) {
        if (name.compare(entry.name, Qt::CaseInsensitive) == 0)
            return entry.kind;
    }
    return std::nullopt;
}

IndicatorSpec IndicatorSpec::defaults(IndicatorKind kind)
{
    IndicatorSpec spec;
    spec.kind = kind;
    spec.period = kind == IndicatorKind::Rsi ? 14 : 20;
    return spec;
}

QString IndicatorSpec::check() const
{
    auto periodOk = [](int p) { return p >= 1 && p <= MaxPeriod; };
    switch (kind) {
    case IndicatorKind::Sma:
    case IndicatorKind::Ema:
    case IndicatorKind::Rsi:
        return periodOk(period) ? QString() : tr("The period must be between 1 and 500.");
    case IndicatorKind::Bollinger:
        if (!periodOk(period))
            return tr("The period must be between 1 and 500.");
        return k > 0 && k <= 10 ? QString() : tr("The width must be more than 0 and at most 10.");
    case IndicatorKind::Vwap:
        return {};
    case IndicatorKind::Macd:
        if (!periodOk(fast) || !periodOk(slow) || !periodOk(signal))
            return tr("The periods must be between 1 and 500.");
        return fast < slow ? QString() : tr("The fast period must be shorter than the slow one.");
    }
    return {};
}

QString IndicatorSpec::toString() const
{
    QString name = indicatorKindName(kind);
    switch (kind) {
    case IndicatorKind::Sma:
    case IndicatorKind::Ema:
    case IndicatorKind::Rsi:
        return u"%1 %2"_s.arg(name).arg(period);
    case IndicatorKind::Bollinger:
        return u"%1 %2 %3"_s.arg(name).arg(period).arg(k, 0, 'g', 6);
    case IndicatorKind::Macd:
        return u"%1 %2 %3 %4"_s.arg(name).arg(fast).arg(slow).arg(signal);
    case IndicatorKind::Vwap:
        return name;
    }
    return name;
}

QString IndicatorSpec::label() const
{
    switch (kind) {
    case IndicatorKind::Sma:
        return u"SMA %1"_s.arg(period);
    case IndicatorKind::Ema:
        return u"EMA %1"_s.arg(period);
    case IndicatorKind::Rsi:
        return u"RSI %1"_s.arg(period);
    case IndicatorKind::Bollinger:
        return u"BB %1 %2"_s.arg(period).arg(k, 0, 'g', 6);
    case IndicatorKind::Macd:
        return u"MACD %1 %2 %3"_s.arg(fast).arg(slow).arg(signal);
    case IndicatorKind::Vwap:
        return u"VWAP"_s;
    }
    return {};
}

int IndicatorSpec::outputCount() const
{
    return kind == IndicatorKind::Bollinger || kind == IndicatorKind::Macd ? 3 : 1;
}

std::variant<IndicatorSpec, QString> IndicatorSpec::parse(QStringView text)
{
    const QList<QStringView> parts = text.trimmed().split(u' ', Qt::SkipEmptyParts);
    if (parts.isEmpty())
        return tr("An empty indicator.");
    const std::optional<IndicatorKind> kind = indicatorKindFromName(parts.first());
    if (!kind)
        return tr("\"%1\" is not an indicator.").arg(parts.first());
    IndicatorSpec spec = defaults(*kind);
    QList<double> numbers;
    for (qsizetype i = 1; i < parts.size(); ++i) {
        bool ok = false;
        const double value = parts.at(i).toDouble(&ok);
        if (!ok)
            return tr("\"%1\" is not a number.").arg(parts.at(i));
        numbers.append(value);
    }
    auto integer = [](double value, int *out) {
        if (value != std::floor(value) || std::abs(value) > 1e6)
            return false;
        *out = int(value);
        return true;
    };
    bool ok = true;
    switch (*kind) {
    case IndicatorKind::Sma:
    case IndicatorKind::Ema:
    case IndicatorKind::Rsi:
        ok = numbers.size() == 1 && integer(numbers[0], &spec.period);
        break;
    case IndicatorKind::Bollinger:
        ok = numbers.size() == 2 && integer(numbers[0], &spec.period);
        if (ok)
            spec.k = numbers[1];
        break;
    case IndicatorKind::Macd:
        ok = numbers.size() == 3 && integer(numbers[0], &spec.fast)
             && integer(numbers[1], &spec.slow) && integer(numbers[2], &spec.signal);
        break;
    case IndicatorKind::Vwap:
        ok = numbers.isEmpty();
        break;
    }
    if (!ok)
        return tr("\"%1\" does not have the parameters of its kind.").arg(text.trimmed());
    if (QString why = spec.check(); !why.isEmpty())
        return why;
    return spec;
}

std::optional<double> Ring::push(double x)
{
    if (m_values.empty())
        return x;
    std::optional<double> out;
    if (full())
        out = m_values[m_next];
    else
        ++m_count;
    m_values[m_next] = x;
    m_next = (m_next + 1) % m_values.size();
    return out;
}

double EmaState::evaluate(double x) const
{
    if (m_count + 1 < m_period)
        return NoValue;
    if (m_count + 1 == m_period)
        return m_seed.with(x) / m_period;
    return m_value + m_alpha * (x - m_value);
}

double EmaState::advance(double x)
{
    const double value = evaluate(x);
    if (m_count < m_period)
        m_seed.add(x);
    m_count = std::min(m_count + 1, m_period);
    m_value = value;
    return value;
}

IndicatorEngine::IndicatorEngine(const IndicatorSpec &spec)
    : m_spec(spec)
    , m_window(spec.period - 1)
    , m_fast(spec.kind == IndicatorKind::Macd ? spec.fast : spec.period)
    , m_slow(spec.slow)
    , m_signal(spec.signal)
{
}

void IndicatorEngine::reset()
{
    *this = IndicatorEngine(m_spec);
}

IndicatorValues IndicatorEngine::push(const IndicatorCandle &candle)
{
    const IndicatorValues values = evaluate(candle);
    advance(candle);
    return values;
}

IndicatorValues IndicatorEngine::peek(const IndicatorCandle &candle) const
{
    return evaluate(candle);
}

IndicatorValues IndicatorEngine::evaluate(const IndicatorCandle &candle) const
{
    IndicatorValues out{NoValue, NoValue, NoValue};
    const double close = candle.close;
    switch (m_spec.kind) {
    case IndicatorKind::Sma:
    case IndicatorKind::Bollinger: {
        if (m_window.count() < m_window.size())
            return out;
        const double anchor = std::isnan(m_anchor) ? close : m_anchor;
        const double x = close - anchor;
        const double n = m_spec.period;
        const double mean = m_sum.with(x) / n;
        out[0] = anchor + mean;
        if (m_spec.kind == IndicatorKind::Bollinger) {
            // Population variance (divided by n), as Bollinger defines the bands.
            const double variance = std::max(0.0, m_squares.with(x * x) / n - mean * mean);
            const double width = m_spec.k * std::sqrt(variance);
            out[1] = out[0] + width;
            out[2] = out[0] - width;
        }
        return out;
    }
    case IndicatorKind::Ema:
        out[0] = m_fast.evaluate(close);
        return out;
    case IndicatorKind::Macd: {
        const double line = m_fast.evaluate(close) - m_slow.evaluate(close);
        if (std::isnan(line))
            return out;
        out[0] = line;
        out[1] = m_signal.evaluate(line);
        out[2] = line - out[1];
        return out;
    }
    case IndicatorKind::Rsi: {
        if (std::isnan(m_previousClose))
            return out;
        const double change = close - m_previousClose;
        const double gain = std::max(0.0, change);
        const double loss = std::max(0.0, -change);
        const int p = m_spec.period;
        double avgGain = 0;
        double avgLoss = 0;
        if (m_changes + 1 < p)
            return out;
        if (m_changes + 1 == p) {
            avgGain = m_gainSeed.with(gain) / p;
            avgLoss = m_lossSeed.with(loss) / p;
        } else {
            avgGain = (m_avgGain * (p - 1) + gain) / p;
            avgLoss = (m_avgLoss * (p - 1) + loss) / p;
        }
        // 100 − 100 / (1 + RS) with RS = gain / loss, written so no loss gives 100 and no
        // movement at all 50.
        const double total = avgGain + avgLoss;
        out[0] = total > 0 ? 100.0 * avgGain / total : 50.0;
        return out;
    }
    case IndicatorKind::Vwap: {
        const double typical = (candle.high + candle.low + close) / 3.0;
        const bool sameSession = utcDay(candle.t) == m_session;
        const double pv =
            sameSession ? m_priceVolume.with(typical * candle.volume) : typical * candle.volume;
        const double volume = sameSession ? m_volume.with(candle.volume) : candle.volume;
        if (volume > 0)
            out[0] = pv / volume;
        return out;
    }
    }
    return out;
}

void IndicatorEngine::advance(const IndicatorCandle &candle)
{
    const double close = candle.close;
    switch (m_spec.kind) {
    case IndicatorKind::Sma:
    case IndicatorKind::Bollinger: {
        if (std::isnan(m_anchor))
            m_anchor = close;
        const double x = close - m_anchor;
        if (m_window.size() == 0)
            return;
        if (const std::optional<double> out = m_window.push(x)) {
            m_sum.add(-*out);
            m_squares.add(-*out * *out);
        }
        m_sum.add(x);
        m_squares.add(x * x);
        if (++m_sinceAnchor >= m_window.size()) {
            m_sinceAnchor = 0;
            m_window.shift(m_anchor - close);
            m_anchor = close;
            m_sum = {};
            m_squares = {};
            m_window.forEach([this](double value) {
                m_sum.add(value);
                m_squares.add(value * value);
            });
        }
        return;
    }
    case IndicatorKind::Ema:
        m_fast.advance(close);
        return;
    case IndicatorKind::Macd: {
        const double line = m_fast.advance(close) - m_slow.advance(close);
        if (!std::isnan(line))
            m_signal.advance(line);
        return;
    }
    case IndicatorKind::Rsi: {
        if (!std::isnan(m_previousClose)) {
            const double change = close - m_previousClose;
            const double gain = std::max(0.0, change);
            const double loss = std::max(0.0, -change);
            const int p = m_spec.period;
            if (m_changes + 1 < p) {
                m_gainSeed.add(gain);
                m_lossSeed.add(loss);
            } else if (m_changes + 1 == p) {
                m_avgGain = m_gainSeed.with(gain) / p;
                m_avgLoss = m_lossSeed.with(loss) / p;
            } else {
                m_avgGain = (m_avgGain * (p - 1) + gain) / p;
                m_avgLoss = (m_avgLoss * (p - 1) + loss) / p;
            }
            m_changes = std::min(m_changes + 1, p);
        }
        m_previousClose = close;
        return;
    }
    case IndicatorKind::Vwap: {
        const qint64 session = utcDay(candle.t);
        if (session != m_session) {
            m_session = session;
            m_priceVolume = {};
            m_volume = {};
        }
        m_priceVolume.add((candle.high + candle.low + close) / 3.0 * candle.volume);
        m_volume.add(candle.volume);
        return;
    }
    }
}

} // namespace tickwire::market
