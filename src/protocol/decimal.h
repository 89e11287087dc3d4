#pragma once

#include <QtCore/QByteArrayView>
#include <QtCore/QMetaType>
#include <QtCore/QString>
#include <QtCore/QStringView>

#include <compare>
#include <cstdint>
#include <optional>

namespace tickwire {

// An exact decimal number: a signed 64-bit mantissa and a base-10 scale (digits after the
// point). Prices, quantities and money are never binary floats. The scale written on the wire
// is kept ("64012.50" stays "64012.50"), so the book checksum can be rebuilt from the
// exact strings; comparison and equality are by value ("1.50" == "1.5").
class Decimal
{
public:
    static constexpr int MaxScale = 18;
    // At most 18 significant digits, so every value and every sum of two fits in 64 bits.
    static constexpr std::int64_t MaxMantissa = 999'999'999'999'999'999;

    constexpr Decimal() = default;

    // Exact value mantissa·10^-scale. Returns nullopt when out of range.
    [[nodiscard]] static std::optional<Decimal> fromUnits(std::int64_t mantissa, int scale);
    [[nodiscard]] static Decimal fromInt(std::int32_t value) { return Decimal(value, 0); }

    // Parses "-123.4500", "0.5", "7". No exponent, no '+', no leading '.', no spaces, at most
    // 18 significant digits and 18 decimals. Returns nullopt for anything else.
    [[nodiscard]] static std::optional<Decimal> parse(QStringView text);
    [[nodiscard]] static std::optional<Decimal> parse(QByteArrayView text)
    {
        // Inline fast path for the usual short form ("-123.45"): at most 18 characters, so at
        // most 18 digits and no overflow; anything unusual goes to the general parser.
        if (text.size() <= 18) {
            const char *p = text.data();
            const char *end = p + text.size();
            const bool negative = p != end && *p == '-';
            p += negative ? 1 : 0;
            const char *intBegin = p;
            std::int64_t mantissa = 0;
            while (p != end && unsigned(*p - '0') < 10)
                mantissa = mantissa * 10 + (*p++ - '0');
            const auto intDigits = p - intBegin;
            int scale = 0;
            if (p != end && *p == '.') {
                const char *fracBegin = ++p;
                while (p != end && unsigned(*p - '0') < 10)
                    mantissa = mantissa * 10 + (*p++ - '0');
                scale = int(p - fracBegin);
            }
            if (p == end && intDigits > 0 && (scale > 0 || p[-1] != '.')
                && !(intDigits > 1 && *intBegin == '0'))
                return Decimal(negative ? -mantissa : mantissa, scale);
        }
        return parseGeneral(text);
    }

    [[nodiscard]] QString toString() const;
    [[nodiscard]] QByteArray toUtf8() const;
    // The toUtf8() text written to `out` (room for MaxTextLength bytes); returns its length.
    static constexpr int MaxTextLength = 48;
    qsizetype writeTo(char *out) const;
    // Nearest double, for display scaling and charts only, never for arithmetic.
    [[nodiscard]] double toDouble() const;

    [[nodiscard]] constexpr std::int64_t mantissa() const { return m_mantissa; }
    [[nodiscard]] constexpr int scale() const { return m_scale; }
    [[nodiscard]] constexpr bool isZero() const { return m_mantissa == 0; }
    [[nodiscard]] constexpr bool isNegative() const { return m_mantissa < 0; }
    [[nodiscard]] constexpr bool isPositive() const { return m_mantissa > 0; }

    // The same value with trailing fractional zeros removed ("1.500" -> "1.5").
    [[nodiscard]] Decimal normalized() const;
    // The same value written with exactly `scale` decimals; nullopt if that would lose
    // digits or overflow.
    [[nodiscard]] std::optional<Decimal> withScale(int scale) const;
    // Rounded half away from zero to `scale` decimals (used for average prices).
    [[nodiscard]] std::optional<Decimal> rounded(int scale) const;
    // True when this is an exact multiple of step (step > 0): tick and lot checks.
    [[nodiscard]] bool isMultipleOf(const Decimal &step) const;

    // Checked arithmetic: nullopt on overflow (or division by zero).
    [[nodiscard]] std::optional<Decimal> plus(const Decimal &other) const;
    [[nodiscard]] std::optional<Decimal> minus(const Decimal &other) const;
    [[nodiscard]] std::optional<Decimal> times(const Decimal &other) const;
    // Quotient rounded half away from zero to `scale` decimals.
    [[nodiscard]] std::optional<Decimal> dividedBy(const Decimal &other, int scale) const;
    [[nodiscard]] Decimal negated() const { return Decimal(-m_mantissa, m_scale); }
    [[nodiscard]] Decimal abs() const { return m_mantissa < 0 ? negated() : *this; }

    friend std::strong_ordering operator<=>(const Decimal &a, const Decimal &b);
    friend bool operator==(const Decimal &a, const Decimal &b)
    {
        return (a <=> b) == std::strong_ordering::equal;
    }

    // Identity of the written form (value and scale), e.g. for tests of lossless parsing.
    [[nodiscard]] bool isIdenticalTo(const Decimal &other) const
    {
        return m_mantissa == other.m_mantissa && m_scale == other.m_scale;
    }

private:
    constexpr Decimal(std::int64_t mantissa, int scale)
        : m_mantissa(mantissa)
        , m_scale(scale)
    {
    }
    static std::optional<Decimal> parseGeneral(QByteArrayView text);
    template<typename Char>
    static std::optional<Decimal> parseChars(const Char *begin, const Char *end);

    std::int64_t m_mantissa = 0;
    int m_scale = 0;
};

size_t qHash(const Decimal &key, size_t seed = 0) noexcept;

} // namespace tickwire

Q_DECLARE_METATYPE(tickwire::Decimal)
