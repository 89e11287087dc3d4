#pragma once

#include <bit>
#include <compare>
#include <cstdint>
#include <type_traits>

#if defined(_MSC_VER) && (defined(_M_X64) || defined(_M_AMD64))
#include <intrin.h>
#endif

namespace tickwire {

// A signed 128-bit integer in two's complement on two 64-bit limbs, for compilers without
// __int128 (MSVC): exactly the operations the exact decimal needs. Like the built-in type,
// + - * wrap modulo 2^128 (callers stay in range), / truncates toward zero and % takes the
// sign of the dividend; dividing by zero, or the minimum by -1, is the caller's bug.
class PortableInt128
{
public:
    constexpr PortableInt128() = default;
    // Implicit, like the built-in widening of an int64 to __int128.
    constexpr PortableInt128(std::int64_t value) // NOLINT(google-explicit-constructor)
        : m_hi(value < 0 ? ~std::uint64_t(0) : 0)
        , m_lo(std::uint64_t(value))
    {
    }
    [[nodiscard]] static constexpr PortableInt128 fromLimbs(std::uint64_t hi, std::uint64_t lo)
    {
        PortableInt128 v;
        v.m_hi = hi;
        v.m_lo = lo;
        return v;
    }
    [[nodiscard]] constexpr std::uint64_t high() const { return m_hi; }
    [[nodiscard]] constexpr std::uint64_t low() const { return m_lo; }
    [[nodiscard]] constexpr bool isNegative() const { return (m_hi >> 63) != 0; }
    // The low 64 bits, as static_cast<std::int64_t> of an __int128 gives them.
    explicit constexpr operator std::int64_t() const { return std::int64_t(m_lo); }

    friend constexpr PortableInt128 operator+(PortableInt128 a, PortableInt128 b)
    {
        const std::uint64_t lo = a.m_lo + b.m_lo;
        return fromLimbs(a.m_hi + b.m_hi + std::uint64_t(lo < a.m_lo), lo);
    }
    friend constexpr PortableInt128 operator-(PortableInt128 a, PortableInt128 b)
    {
        return fromLimbs(a.m_hi - b.m_hi - std::uint64_t(a.m_lo < b.m_lo), a.m_lo - b.m_lo);
    }
    friend constexpr PortableInt128 operator-(PortableInt128 a) { return PortableInt128() - a; }
    friend constexpr PortableInt128 operator*(PortableInt128 a, PortableInt128 b)
    {
        // Modulo 2^128 the signed product is the unsigned one: the high limbs only meet the
        // low ones, and hi*hi is a multiple of 2^128.
        const PortableInt128 low = multiply64(a.m_lo, b.m_lo);
        return fromLimbs(low.m_hi + a.m_hi * b.m_lo + a.m_lo * b.m_hi, low.m_lo);
    }
    friend constexpr PortableInt128 operator/(PortableInt128 a, PortableInt128 b)
    {
        PortableInt128 remainder;
        return divide(a, b, remainder);
    }
    friend constexpr PortableInt128 operator%(PortableInt128 a, PortableInt128 b)
    {
        PortableInt128 remainder;
        divide(a, b, remainder);
        return remainder;
    }
    constexpr PortableInt128 &operator+=(PortableInt128 b) { return *this = *this + b; }
    constexpr PortableInt128 &operator-=(PortableInt128 b) { return *this = *this - b; }
    constexpr PortableInt128 &operator*=(PortableInt128 b) { return *this = *this * b; }
    constexpr PortableInt128 &operator/=(PortableInt128 b) { return *this = *this / b; }
    constexpr PortableInt128 &operator%=(PortableInt128 b) { return *this = *this % b; }
    constexpr PortableInt128 &operator++() { return *this += 1; }

    friend constexpr bool operator==(PortableInt128 a, PortableInt128 b)
    {
        return a.m_hi == b.m_hi && a.m_lo == b.m_lo;
    }
    friend constexpr std::strong_ordering operator<=>(PortableInt128 a, PortableInt128 b)
    {
        if (a.m_hi != b.m_hi)
            return std::int64_t(a.m_hi) <=> std::int64_t(b.m_hi);
        return a.m_lo <=> b.m_lo;
    }

    // The full 128-bit product of two unsigned 64-bit numbers.
    [[nodiscard]] static constexpr PortableInt128 multiply64(std::uint64_t a, std::uint64_t b)
    {
#if defined(_MSC_VER) && (defined(_M_X64) || defined(_M_AMD64))
        if (!std::is_constant_evaluated()) {
            std::uint64_t hi = 0;
            const std::uint64_t lo = _umul128(a, b, &hi);
            return fromLimbs(hi, lo);
        }
#endif
        constexpr std::uint64_t Mask = 0xFFFF'FFFF;
        const std::uint64_t a0 = a & Mask, a1 = a >> 32, b0 = b & Mask, b1 = b >> 32;
        const std::uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
        // Below 3 * 2^32: no carry is lost.
        const std::uint64_t middle = (p00 >> 32) + (p01 & Mask) + (p10 & Mask);
        return fromLimbs(p11 + (p01 >> 32) + (p10 >> 32) + (middle >> 32),
                         (middle << 32) | (p00 & Mask));
    }

private:
    // Returns a / b, sets remainder to a % b.
    static constexpr PortableInt128 divide(PortableInt128 a, PortableInt128 b,
                                           PortableInt128 &remainder)
    {
        // On magnitudes (the minimum's magnitude 2^127 is right as an unsigned number), then
        // the signs of C++: the quotient's from both, the remainder's from the dividend.
        const bool negativeA = a.isNegative();
        const bool negativeB = b.isNegative();
        const PortableInt128 q = divideUnsigned(negativeA ? -a : a, negativeB ? -b : b, remainder);
        if (negativeA)
            remainder = -remainder;
        return negativeA != negativeB ? -q : q;
    }

    // a / b and a % b with both read as unsigned 128-bit numbers; b != 0.
    static constexpr PortableInt128 divideUnsigned(PortableInt128 a, PortableInt128 b,
                                                   PortableInt128 &remainder)
    {
        if (a.m_hi == 0 && b.m_hi == 0) {
            remainder = fromLimbs(0, a.m_lo % b.m_lo);
            return fromLimbs(0, a.m_lo / b.m_lo);
        }
        if (b.m_hi == 0 && b.m_lo <= 0xFFFF'FFFF) {
            // Schoolbook with 32-bit digits: each partial dividend is below b * 2^32 < 2^64.
            const std::uint64_t d = b.m_lo;
            const std::uint64_t digits[4] = {a.m_hi >> 32, a.m_hi & 0xFFFF'FFFF, a.m_lo >> 32,
                                             a.m_lo & 0xFFFF'FFFF};
            std::uint64_t q[4] = {};
            std::uint64_t r = 0;
            for (int i = 0; i < 4; ++i) {
                const std::uint64_t part = (r << 32) | digits[i];
                q[i] = part / d;
                r = part % d;
            }
            remainder = fromLimbs(0, r);
            return fromLimbs((q[0] << 32) | q[1], (q[2] << 32) | q[3]);
        }
        // Shift and subtract, one quotient bit per step from a's highest set bit.
        if (lessUnsigned(a, b)) {
            remainder = a;
            return PortableInt128();
        }
        const int bits = 128 - countLeadingZeros(a);
        PortableInt128 q;
        PortableInt128 r;
        for (int i = bits - 1; i >= 0; --i) {
            r = fromLimbs((r.m_hi << 1) | (r.m_lo >> 63), (r.m_lo << 1) | a.bit(i));
            q = fromLimbs((q.m_hi << 1) | (q.m_lo >> 63), q.m_lo << 1);
            if (!lessUnsigned(r, b)) {
                r -= b;
                q.m_lo |= 1;
            }
        }
        remainder = r;
        return q;
    }

    static constexpr bool lessUnsigned(PortableInt128 a, PortableInt128 b)
    {
        return a.m_hi != b.m_hi ? a.m_hi < b.m_hi : a.m_lo < b.m_lo;
    }
    static constexpr int countLeadingZeros(PortableInt128 a)
    {
        return a.m_hi != 0 ? std::countl_zero(a.m_hi) : 64 + std::countl_zero(a.m_lo);
    }
    [[nodiscard]] constexpr std::uint64_t bit(int i) const
    {
        return i >= 64 ? (m_hi >> (i - 64)) & 1 : (m_lo >> i) & 1;
    }

    std::uint64_t m_hi = 0;
    std::uint64_t m_lo = 0;
};

#if defined(__SIZEOF_INT128__)
__extension__ typedef __int128 NativeInt128;
#endif

// What the exact decimal computes with: the compiler's __int128 where there is one, the
// portable form otherwise or when the build asks for it (CMake TICKWIRE_PORTABLE=ON).
#if defined(__SIZEOF_INT128__) && !defined(TICKWIRE_PORTABLE)
using Int128 = NativeInt128;
#else
using Int128 = PortableInt128;
#endif

} // namespace tickwire
