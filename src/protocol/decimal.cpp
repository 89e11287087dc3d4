#include "protocol/decimal.h"

#include "protocol/int128.h"

#include <QtCore/QHashFunctions>

#include <algorithm>
#include <array>
#include <cstring>

namespace tickwire {

namespace {

// 128-bit intermediates keep every product and aligned sum exact: mantissas stay below 10^18
// and scales at most 18, so nothing here goes past 2 * 10^36 < 2^127 (dividedBy splits its
// shift to stay there too). __int128 or the portable form (protocol/int128.h).
using Wide = Int128;

constexpr std::array<std::int64_t, 19> Pow10 = {
    1LL,
    10LL,
    100LL,
    1'000LL,
    10'000LL,
    100'000LL,
    1'000'000LL,
    10'000'000LL,
    100'000'000LL,
    1'000'000'000LL,
    10'000'000'000LL,
    100'000'000'000LL,
    1'000'000'000'000LL,
    10'000'000'000'000LL,
    100'000'000'000'000LL,
    1'000'000'000'000'000LL,
    10'000'000'000'000'000LL,
    100'000'000'000'000'000LL,
    1'000'000'000'000'000'000LL,
};

// Divides rounding half away from zero.
Wide divRound(Wide num, Wide den)
{
    const bool negative = (num < 0) != (den < 0);
    Wide n = num < 0 ? -num : num;
    const Wide d = den < 0 ? -den : den;
    Wide q = n / d;
    if ((n % d) * 2 >= d)
        ++q;
    return negative ? -q : q;
}

} // namespace

std::optional<Decimal> Decimal::fromUnits(std::int64_t mantissa, int scale)
{
    if (scale < 0 || scale > MaxScale || mantissa > MaxMantissa || mantissa < -MaxMantissa)
        return std::nullopt;
    return Decimal(mantissa, scale);
}

namespace {

// Drops trailing zeros that do not fit, so a product keeps as much of its written scale as 64
// bits allow without losing value.
std::optional<Decimal> fromWide(Wide mantissa, int scale)
{
    while (scale > 0
           && (mantissa > Decimal::MaxMantissa || mantissa < -Decimal::MaxMantissa
               || scale > Decimal::MaxScale)
           && mantissa % 10 == 0) {
        mantissa /= 10;
        --scale;
    }
    if (scale > Decimal::MaxScale || mantissa > Decimal::MaxMantissa
        || mantissa < -Decimal::MaxMantissa)
        return std::nullopt;
    return Decimal::fromUnits(static_cast<std::int64_t>(mantissa), scale);
}

} // namespace

template<typename Char>
std::optional<Decimal> Decimal::parseChars(const Char *begin, const Char *end)
{
    const Char *p = begin;
    bool negative = false;
    if (p != end && *p == Char('-')) {
        negative = true;
        ++p;
    }
    if (p == end)
        return std::nullopt;
    std::int64_t mantissa = 0;
    int digits = 0; // significant digits, leading zeros excluded
    int scale = 0;
    int intDigits = 0;
    bool seenPoint = false;
    for (; p != end; ++p) {
        const Char c = *p;
        if (c == Char('.')) {
            if (seenPoint || intDigits == 0)
                return std::nullopt;
            seenPoint = true;
            continue;
        }
        if (c < Char('0') || c > Char('9'))
            return std::nullopt;
        if (seenPoint) {
            if (++scale > MaxScale)
                return std::nullopt;
        } else {
            ++intDigits;
        }
        if (mantissa != 0 || c != Char('0')) {
            if (++digits > 18)
                return std::nullopt;
        }
        mantissa = mantissa * 10 + (c - Char('0'));
    }
    if (seenPoint && scale == 0) // "1." is not a decimal
        return std::nullopt;
    if (intDigits > 1 && *(begin + (negative ? 1 : 0)) == Char('0')) // no "007"
        return std::nullopt;
    return Decimal(negative ? -mantissa : mantissa, scale);
}

std::optional<Decimal> Decimal::parse(QStringView text)
{
    return parseChars(text.utf16(), text.utf16() + text.size());
}

std::optional<Decimal> Decimal::parseGeneral(QByteArrayView text)
{
    return parseChars(reinterpret_cast<const unsigned char *>(text.data()),
                      reinterpret_cast<const unsigned char *>(text.data()) + text.size());
}

QByteArray Decimal::toUtf8() const
{
    char buf[MaxTextLength];
    return QByteArray(buf, writeTo(buf));
}

qsizetype Decimal::writeTo(char *out) const
{
    // Enough for sign, 19 digits, point and a leading zero.
    char buf[MaxTextLength];
    char *end = buf + sizeof(buf);
    char *p = end;
    std::uint64_t v =
        m_mantissa < 0 ? std::uint64_t(0) - std::uint64_t(m_mantissa) : std::uint64_t(m_mantissa);
    int written = 0;
    do {
        *--p = char('0' + v % 10);
        v /= 10;
        ++written;
        if (written == m_scale)
            *--p = '.';
    } while (v != 0 || written < m_scale);
    if (*p == '.')
        *--p = '0';
    if (m_mantissa < 0)
        *--p = '-';
    std::memcpy(out, p, std::size_t(end - p));
    return end - p;
}

QString Decimal::toString() const
{
    return QString::fromLatin1(toUtf8());
}

double Decimal::toDouble() const
{
    return double(m_mantissa) / double(Pow10[m_scale]);
}

Decimal Decimal::normalized() const
{
    Decimal d = *this;
    if (d.m_mantissa == 0)
        return Decimal(0, 0);
    while (d.m_scale > 0 && d.m_mantissa % 10 == 0) {
        d.m_mantissa /= 10;
        --d.m_scale;
    }
    return d;
}

std::optional<Decimal> Decimal::withScale(int scale) const
{
    if (scale < 0 || scale > MaxScale)
        return std::nullopt;
    if (scale >= m_scale) {
        const Wide wide = Wide(m_mantissa) * Pow10[scale - m_scale];
        if (wide > MaxMantissa || wide < -MaxMantissa)
            return std::nullopt;
        return Decimal(static_cast<std::int64_t>(wide), scale);
    }
    const std::int64_t div = Pow10[m_scale - scale];
    if (m_mantissa % div != 0)
        return std::nullopt;
    return Decimal(m_mantissa / div, scale);
}

std::optional<Decimal> Decimal::rounded(int scale) const
{
    if (scale < 0 || scale > MaxScale)
        return std::nullopt;
    if (scale >= m_scale)
        return withScale(scale);
    return fromWide(divRound(m_mantissa, Pow10[m_scale - scale]), scale);
}

bool Decimal::isMultipleOf(const Decimal &step) const
{
    if (!step.isPositive())
        return false;
    const int scale = std::max(m_scale, step.m_scale);
    const Wide a = Wide(m_mantissa) * Pow10[scale - m_scale];
    const Wide b = Wide(step.m_mantissa) * Pow10[scale - step.m_scale];
    return a % b == 0;
}

std::optional<Decimal> Decimal::plus(const Decimal &other) const
{
    const int scale = std::max(m_scale, other.m_scale);
    return fromWide(Wide(m_mantissa) * Pow10[scale - m_scale]
                        + Wide(other.m_mantissa) * Pow10[scale - other.m_scale],
                    scale);
}

std::optional<Decimal> Decimal::minus(const Decimal &other) const
{
    return plus(other.negated());
}

std::optional<Decimal> Decimal::times(const Decimal &other) const
{
    return fromWide(Wide(m_mantissa) * other.m_mantissa, m_scale + other.m_scale);
}

std::optional<Decimal> Decimal::dividedBy(const Decimal &other, int scale) const
{
    if (other.m_mantissa == 0 || scale < 0 || scale > MaxScale)
        return std::nullopt;
    // value = (a / 10^sa) / (b / 10^sb); result mantissa = value * 10^scale
    //       = a * 10^(scale + sb - sa) / b, on magnitudes, rounded half away from zero.
    // The shift reaches 36 and a * 10^36 would need 180 bits, so the numerator is scaled by at
    // most 10^18 (below 10^36) and the rest is long division by the remainder.
    const int shift = scale + other.m_scale - m_scale;
    const bool negative = (m_mantissa < 0) != (other.m_mantissa < 0);
    Wide num = m_mantissa < 0 ? -Wide(m_mantissa) : Wide(m_mantissa);
    Wide den = other.m_mantissa < 0 ? -Wide(other.m_mantissa) : Wide(other.m_mantissa);
    if (shift < 0)
        den *= Pow10[-shift];
    const int first = std::clamp(shift, 0, MaxScale);
    const int second = shift - first;
    num *= Pow10[first];
    Wide q = num / den;
    Wide r = num % den;
    if (second > 0) {
        // The quotient is at least q * 10^second; past MaxMantissa * 10^scale no trailing
        // zeros fromWide may drop bring it back in range (and this keeps it below 10^36).
        if (q > Wide(MaxMantissa) * Pow10[scale] / Pow10[second])
            return std::nullopt;
        r *= Pow10[second]; // r < den = |b| < 10^18 here
        q = q * Pow10[second] + r / den;
        r %= den;
    }
    if (r * 2 >= den)
        ++q;
    return fromWide(negative ? -q : q, scale);
}

std::strong_ordering operator<=>(const Decimal &a, const Decimal &b)
{
    if (a.m_scale == b.m_scale) // prices of one instrument share their scale
        return a.m_mantissa <=> b.m_mantissa;
    const int scale = std::max(a.m_scale, b.m_scale);
    const Wide x = Wide(a.m_mantissa) * Pow10[scale - a.m_scale];
    const Wide y = Wide(b.m_mantissa) * Pow10[scale - b.m_scale];
    return x <=> y;
}

size_t qHash(const Decimal &key, size_t seed) noexcept
{
    const Decimal n = key.normalized();
    return qHashMulti(seed, n.mantissa(), n.scale());
}

} // namespace tickwire
