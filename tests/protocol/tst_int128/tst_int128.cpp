#include "protocol/int128.h"

#include <QtCore/QRandomGenerator>
#include <QtTest/QTest>

#include <cstdint>
#include <limits>

using tickwire::PortableInt128;

namespace {

constexpr std::int64_t Int64Min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t Int64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::uint64_t AllOnes = ~std::uint64_t(0);

PortableInt128 limbs(std::uint64_t hi, std::uint64_t lo)
{
    return PortableInt128::fromLimbs(hi, lo);
}

QByteArray hex(PortableInt128 v)
{
    return "0x" + QByteArray::number(qulonglong(v.high()), 16).rightJustified(16, '0') + '_'
           + QByteArray::number(qulonglong(v.low()), 16).rightJustified(16, '0');
}

// The decimal's rounding (protocol/decimal.cpp): on magnitudes, half away from zero.
template<typename T> T divRound(T num, T den)
{
    const bool negative = (num < 0) != (den < 0);
    T n = num < 0 ? -num : num;
    const T d = den < 0 ? -den : den;
    T q = n / d;
    if ((n % d) * 2 >= d)
        ++q;
    return negative ? -q : q;
}

#if defined(__SIZEOF_INT128__)
using tickwire::NativeInt128;
__extension__ typedef unsigned __int128 NativeUInt128;

NativeInt128 toNative(PortableInt128 v)
{
    return NativeInt128((NativeUInt128(v.high()) << 64) | v.low());
}

PortableInt128 fromNative(NativeInt128 v)
{
    const auto u = NativeUInt128(v);
    return limbs(std::uint64_t(u >> 64), std::uint64_t(u));
}
#endif

// Values where limb carries, borrows and signs go wrong first.
QList<PortableInt128> edgeValues()
{
    QList<PortableInt128> values = {
        0,
        1,
        -1,
        2,
        -2,
        7,
        -7,
        10,
        -10,
        Int64Max,
        Int64Min,
        Int64Max - 1,
        Int64Min + 1,
        limbs(0, 0xFFFF'FFFF),
        limbs(0, 0x1'0000'0000),
        limbs(0, 0x1'FFFF'FFFF),
        limbs(0, AllOnes), // 2^64 - 1
        limbs(1, 0), // 2^64
        limbs(1, 1), // 2^64 + 1
        limbs(AllOnes, 0), // -2^64
        limbs(AllOnes - 1, AllOnes), // -2^64 - 1
        limbs(AllOnes, 1), // -(2^64 - 1)
        limbs(0x4000'0000'0000'0000, 0), // 2^126 = INT64_MIN * INT64_MIN
        limbs(0x00C0'97CE'7BC9'0715, 0xB34B'9F10'0000'0000), // 10^36 = 10^18 * 10^18
        limbs(0x7FFF'FFFF'FFFF'FFFF, AllOnes), // INT128_MAX
        limbs(0x8000'0000'0000'0000, 0), // INT128_MIN
        limbs(0x8000'0000'0000'0000, 1),
        999'999'999'999'999'999,
        -999'999'999'999'999'999,
        1'000'000'000'000'000'000,
    };
    const int n = int(values.size());
    for (int i = 0; i < n; ++i) {
        if (values[i] != limbs(0x8000'0000'0000'0000, 0))
            values.append(-values[i]);
    }
    return values;
}

// A value of one of the shapes decimal arithmetic and limb code care about.
PortableInt128 randomValue(QRandomGenerator &rng)
{
    const std::uint64_t a = rng.generate64();
    const std::uint64_t b = rng.generate64();
    switch (rng.bounded(6)) {
    case 0:
        return limbs(a, b);
    case 1:
        return std::int64_t(a); // sign-extended
    case 2:
        return limbs(a & 1 ? AllOnes : 0, b); // near the limb boundary
    case 3:
        return std::int64_t(a % 2001) - 1000; // small
    case 4:
        return PortableInt128(std::int64_t(a)) * std::int64_t(b); // a product of two int64
    default:
        return limbs(0, b >> (a % 64)) * (a & 64 ? -1 : 1); // any width up to 64 bits
    }
}

} // namespace

// The limb code is constexpr: a wrong carry would already fail to compile.
static_assert(PortableInt128(-1) * PortableInt128(-1) == PortableInt128(1));
static_assert(PortableInt128::fromLimbs(0, AllOnes) + 1 == PortableInt128::fromLimbs(1, 0));
static_assert(PortableInt128(-7) / 2 == PortableInt128(-3));
static_assert(PortableInt128(-7) % 2 == PortableInt128(-1));

class tst_Int128 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void knownAnswers();
    void divisionSigns();
    void roundsHalfAwayFromZero();
    void ordering();
    void identitiesHoldOnRandomValues();
    void matchesNativeOnEdgeValues();
    void matchesNativeOnRandomValues();
};

void tst_Int128::knownAnswers()
{
    QCOMPARE(PortableInt128(Int64Min) * Int64Min, limbs(0x4000'0000'0000'0000, 0));
    QCOMPARE(PortableInt128(Int64Max) * Int64Max, limbs(0x3FFF'FFFF'FFFF'FFFF, 1));
    QCOMPARE(PortableInt128(Int64Min) * Int64Max,
             limbs(0xC000'0000'0000'0000, 0x8000'0000'0000'0000));
    const PortableInt128 e36 = limbs(0x00C0'97CE'7BC9'0715, 0xB34B'9F10'0000'0000);
    QCOMPARE(PortableInt128(1'000'000'000'000'000'000) * 1'000'000'000'000'000'000, e36);
    QCOMPARE(PortableInt128(-1'000'000'000'000'000'000) * 1'000'000'000'000'000'000, -e36);
    QCOMPARE(e36 / 1'000'000'000'000'000'000, PortableInt128(1'000'000'000'000'000'000));
    QCOMPARE(e36 % 7, PortableInt128(1)); // 10^36 = (10^6)^6 and 10^6 % 7 == 1
    QCOMPARE(-e36 % 7, PortableInt128(-1));
    // Carry and borrow across the limb boundary.
    QCOMPARE(limbs(0, AllOnes) + 1, limbs(1, 0));
    QCOMPARE(limbs(1, 0) - 1, limbs(0, AllOnes));
    QCOMPARE(PortableInt128(0) - 1, limbs(AllOnes, AllOnes));
    QCOMPARE(-limbs(1, 0), limbs(AllOnes, 0));
    QCOMPARE(limbs(0, AllOnes) * limbs(0, AllOnes), limbs(AllOnes - 1, 1)); // (2^64-1)^2
    QCOMPARE(PortableInt128::multiply64(AllOnes, AllOnes), limbs(AllOnes - 1, 1));
    QCOMPARE(PortableInt128::multiply64(0x1'0000'0000, 0x1'0000'0000), limbs(1, 0));
    // Wraps like two's complement.
    QCOMPARE(limbs(0x7FFF'FFFF'FFFF'FFFF, AllOnes) + 1, limbs(0x8000'0000'0000'0000, 0));
    QCOMPARE(std::int64_t(limbs(5, std::uint64_t(-3))), std::int64_t(-3));
}

void tst_Int128::divisionSigns()
{
    // Truncation toward zero; the remainder takes the dividend's sign.
    QCOMPARE(PortableInt128(7) / 2, PortableInt128(3));
    QCOMPARE(PortableInt128(7) % 2, PortableInt128(1));
    QCOMPARE(PortableInt128(-7) / 2, PortableInt128(-3));
    QCOMPARE(PortableInt128(-7) % 2, PortableInt128(-1));
    QCOMPARE(PortableInt128(7) / -2, PortableInt128(-3));
    QCOMPARE(PortableInt128(7) % -2, PortableInt128(1));
    QCOMPARE(PortableInt128(-7) / -2, PortableInt128(3));
    QCOMPARE(PortableInt128(-7) % -2, PortableInt128(-1));
    // The same past 64 bits, by a 32-bit, a 64-bit and a 128-bit divisor.
    const PortableInt128 big = limbs(3, 7); // 3 * 2^64 + 7
    QCOMPARE(-big / 2, -limbs(1, 0x8000'0000'0000'0003));
    QCOMPARE(-big % 2, PortableInt128(-1));
    QCOMPARE(big / -limbs(0, AllOnes), PortableInt128(-3));
    QCOMPARE(big % -limbs(0, AllOnes), PortableInt128(10));
    QCOMPARE(-big / limbs(1, 0), PortableInt128(-3));
    QCOMPARE(-big % limbs(1, 0), PortableInt128(-7));
    QCOMPARE(limbs(0x8000'0000'0000'0000, 0) / 2, limbs(0xC000'0000'0000'0000, 0));
    QCOMPARE(limbs(0x8000'0000'0000'0000, 0) % 3, PortableInt128(-2)); // -2^127 = -(3k + 2)
}

void tst_Int128::roundsHalfAwayFromZero()
{
    QCOMPARE(divRound<PortableInt128>(5, 2), PortableInt128(3));
    QCOMPARE(divRound<PortableInt128>(-5, 2), PortableInt128(-3));
    QCOMPARE(divRound<PortableInt128>(5, -2), PortableInt128(-3));
    QCOMPARE(divRound<PortableInt128>(-5, -2), PortableInt128(3));
    QCOMPARE(divRound<PortableInt128>(7, 3), PortableInt128(2));
    QCOMPARE(divRound<PortableInt128>(-7, 3), PortableInt128(-2));
    const PortableInt128 e36 =
        PortableInt128(1'000'000'000'000'000'000) * 1'000'000'000'000'000'000;
    const PortableInt128 e35 = e36 / 10;
    QCOMPARE(divRound<PortableInt128>(e36 + 5, 10), e35 + 1);
    QCOMPARE(divRound<PortableInt128>(-e36 - 5, 10), -e35 - 1);
    QCOMPARE(divRound<PortableInt128>(e36 + 4, 10), e35);
    QCOMPARE(divRound<PortableInt128>(-e36 - 4, 10), -e35);
}

void tst_Int128::ordering()
{
    QVERIFY(PortableInt128(-1) < PortableInt128(0));
    QVERIFY(limbs(AllOnes, 0) < PortableInt128(Int64Min)); // -2^64 < -2^63
    QVERIFY(limbs(0, AllOnes) > PortableInt128(Int64Max));
    QVERIFY(limbs(0x8000'0000'0000'0000, 0) < limbs(0x7FFF'FFFF'FFFF'FFFF, AllOnes));
    QVERIFY(limbs(1, 0) > limbs(0, AllOnes));
    QVERIFY(limbs(AllOnes, 1) > limbs(AllOnes, 0));
    QVERIFY(PortableInt128(999'999'999'999'999'999) >= 999'999'999'999'999'999);
}

// Without __int128 to compare against (MSVC), what must hold between the operations.
void tst_Int128::identitiesHoldOnRandomValues()
{
    QRandomGenerator rng(20240611);
    const PortableInt128 min = limbs(0x8000'0000'0000'0000, 0);
    for (int i = 0; i < 20'000; ++i) {
        const PortableInt128 a = randomValue(rng);
        const PortableInt128 b = randomValue(rng);
        const PortableInt128 c = randomValue(rng);
        const QByteArray what = hex(a) + ' ' + hex(b) + ' ' + hex(c);
        QVERIFY2((a + b) - b == a, what.constData());
        QVERIFY2(a * b == b * a, what.constData());
        QVERIFY2(a * (b + c) == a * b + a * c, what.constData());
        if (b == 0 || (a == min && b == -1))
            continue;
        const PortableInt128 q = a / b;
        const PortableInt128 r = a % b;
        QVERIFY2(q * b + r == a, what.constData());
        const PortableInt128 absR = r < 0 ? -r : r;
        const PortableInt128 absB = b < 0 ? -b : b;
        QVERIFY2(absB == min || absR < absB, what.constData());
        QVERIFY2(r == 0 || (r < 0) == (a < 0), what.constData());
    }
}

void tst_Int128::matchesNativeOnEdgeValues()
{
#if defined(__SIZEOF_INT128__)
    const QList<PortableInt128> values = edgeValues();
    const PortableInt128 min = limbs(0x8000'0000'0000'0000, 0);
    for (const PortableInt128 a : values) {
        const NativeInt128 na = toNative(a);
        QCOMPARE(fromNative(-NativeUInt128(na)), -a);
        QCOMPARE(std::int64_t(a), std::int64_t(na));
        for (const PortableInt128 b : values) {
            const NativeInt128 nb = toNative(b);
            const QByteArray what = hex(a) + ' ' + hex(b);
            QVERIFY2(fromNative(NativeUInt128(na) + NativeUInt128(nb)) == a + b, what.constData());
            QVERIFY2(fromNative(NativeUInt128(na) - NativeUInt128(nb)) == a - b, what.constData());
            QVERIFY2(fromNative(NativeUInt128(na) * NativeUInt128(nb)) == a * b, what.constData());
            QVERIFY2((na <=> nb) == (a <=> b), what.constData());
            if (b == 0 || (a == min && b == -1))
                continue;
            QVERIFY2(fromNative(na / nb) == a / b, what.constData());
            QVERIFY2(fromNative(na % nb) == a % b, what.constData());
        }
    }
#else
    QSKIP("no __int128 to compare against");
#endif
}

void tst_Int128::matchesNativeOnRandomValues()
{
#if defined(__SIZEOF_INT128__)
    QRandomGenerator rng(1'234'567);
    const PortableInt128 min = limbs(0x8000'0000'0000'0000, 0);
    for (int i = 0; i < 50'000; ++i) {
        const PortableInt128 a = randomValue(rng);
        const PortableInt128 b = randomValue(rng);
        const NativeInt128 na = toNative(a);
        const NativeInt128 nb = toNative(b);
        const QByteArray what = hex(a) + ' ' + hex(b);
        QVERIFY2(fromNative(NativeUInt128(na) + NativeUInt128(nb)) == a + b, what.constData());
        QVERIFY2(fromNative(NativeUInt128(na) - NativeUInt128(nb)) == a - b, what.constData());
        QVERIFY2(fromNative(NativeUInt128(na) * NativeUInt128(nb)) == a * b, what.constData());
        QVERIFY2((na <=> nb) == (a <=> b), what.constData());
        const std::uint64_t x = rng.generate64();
        const std::uint64_t y = rng.generate64();
        QVERIFY2(
            fromNative(NativeInt128(NativeUInt128(x) * y)) == PortableInt128::multiply64(x, y),
            QByteArray(QByteArray::number(qulonglong(x)) + ' ' + QByteArray::number(qulonglong(y)))
                .constData());
        if (b == 0 || (a == min && b == -1))
            continue;
        QVERIFY2(fromNative(na / nb) == a / b, what.constData());
        QVERIFY2(fromNative(na % nb) == a % b, what.constData());
        // The decimal's magnitudes stay far below 2^125 (negating and doubling stay in range).
        const PortableInt128 limit = limbs(0x2000'0000'0000'0000, 0);
        if (a < limit && a > -limit && b < limit && b > -limit)
            QVERIFY2(fromNative(divRound(na, nb)) == divRound(a, b), what.constData());
    }
#else
    QSKIP("no __int128 to compare against");
#endif
}

QTEST_APPLESS_MAIN(tst_Int128)
#include "tst_int128.moc"
