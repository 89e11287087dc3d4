#include "protocol/decimal.h"

#include <QtCore/QRandomGenerator>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using tickwire::Decimal;

class tst_Decimal : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseValid_data();
    void parseValid();
    void parseInvalid_data();
    void parseInvalid();
    void parseUtf8MatchesUtf16();
    void equalityIsByValue();
    void ordering();
    void arithmetic();
    void overflowIsReported();
    void divisionRounds();
    void divisionWithLargeShift();
    void rounding();
    void multiples();
    void withScale();
    void hashFollowsEquality();
};

void tst_Decimal::parseValid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("mantissa");
    QTest::addColumn<int>("scale");

    QTest::newRow("integer") << u"7"_s << 7LL << 0;
    QTest::newRow("zero") << u"0"_s << 0LL << 0;
    QTest::newRow("zero with decimals") << u"0.00"_s << 0LL << 2;
    QTest::newRow("price") << u"64012.50"_s << 6401250LL << 2;
    QTest::newRow("small qty") << u"0.00010000"_s << 10000LL << 8;
    QTest::newRow("negative") << u"-12.345"_s << -12345LL << 3;
    QTest::newRow("18 digits") << u"999999999999999999"_s << 999999999999999999LL << 0;
    QTest::newRow("18 decimals") << u"0.000000000000000001"_s << 1LL << 18;
    QTest::newRow("leading zeros after point") << u"0.05"_s << 5LL << 2;
}

void tst_Decimal::parseValid()
{
    QFETCH(QString, text);
    QFETCH(qint64, mantissa);
    QFETCH(int, scale);

    const auto d = Decimal::parse(QStringView(text));
    QVERIFY(d.has_value());
    QCOMPARE(d->mantissa(), mantissa);
    QCOMPARE(d->scale(), scale);
    // Lossless: the written form comes back exactly.
    QCOMPARE(d->toString(), text);
}

void tst_Decimal::parseInvalid_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("minus only") << u"-"_s;
    QTest::newRow("exponent") << u"1e5"_s;
    QTest::newRow("plus sign") << u"+1"_s;
    QTest::newRow("leading point") << u".5"_s;
    QTest::newRow("trailing point") << u"5."_s;
    QTest::newRow("two points") << u"1.2.3"_s;
    QTest::newRow("space") << u" 1"_s;
    QTest::newRow("comma") << u"1,5"_s;
    QTest::newRow("leading zeros") << u"007"_s;
    QTest::newRow("negative leading zeros") << u"-01.5"_s;
    QTest::newRow("19 digits") << u"1234567890123456789"_s;
    QTest::newRow("19 decimals") << u"0.0000000000000000001"_s;
    QTest::newRow("huge") << u"100000000000000000000000000000"_s;
    QTest::newRow("nan") << u"NaN"_s;
    QTest::newRow("inf") << u"inf"_s;
    QTest::newRow("hex") << u"0x10"_s;
    QTest::newRow("arabic digits") << u"\u0661\u0662"_s;
}

void tst_Decimal::parseInvalid()
{
    QFETCH(QString, text);
    QVERIFY(!Decimal::parse(QStringView(text)).has_value());
    QVERIFY(!Decimal::parse(QByteArrayView(text.toUtf8())).has_value());
}

void tst_Decimal::parseUtf8MatchesUtf16()
{
    const auto a = Decimal::parse(QByteArrayView("-0.125"));
    const auto b = Decimal::parse(QStringView(u"-0.125"));
    QVERIFY(a && b);
    QVERIFY(a->isIdenticalTo(*b));
    QCOMPARE(a->toUtf8(), QByteArray("-0.125"));

    // The byte parser has a fast path for short text: it must agree with the UTF-16 parser
    // (the general one) on every short string of these characters, valid or not.
    QRandomGenerator random(7);
    static const char Alphabet[] = "-0123456789.0.9";
    for (int i = 0; i < 100'000; ++i) {
        char text[24];
        const int length = int(random.bounded(23u));
        for (int k = 0; k < length; ++k)
            text[k] = Alphabet[random.bounded(int(sizeof Alphabet - 1))];
        const auto bytes = Decimal::parse(QByteArrayView(text, length));
        const auto utf16 = Decimal::parse(QStringView(QString::fromLatin1(text, length)));
        QVERIFY2(bytes.has_value() == utf16.has_value(), QByteArray(text, length).constData());
        if (bytes) {
            QVERIFY2(bytes->isIdenticalTo(*utf16), QByteArray(text, length).constData());
            // Compared by value whatever the scales.
            QCOMPARE(*bytes <=> *utf16, std::strong_ordering::equal);
        }
    }
}

static Decimal d(const char *text)
{
    const auto v = Decimal::parse(QByteArrayView(text));
    if (!v)
        qFatal("bad decimal literal in test: %s", text);
    return *v;
}

void tst_Decimal::equalityIsByValue()
{
    QCOMPARE(d("1.50"), d("1.5"));
    QVERIFY(!d("1.50").isIdenticalTo(d("1.5")));
    QCOMPARE(d("0"), d("0.000"));
    QVERIFY(d("1.5") != d("1.51"));
    QCOMPARE(d("1.500").normalized().toString(), u"1.5"_s);
    QCOMPARE(d("0.000").normalized().toString(), u"0"_s);
}

void tst_Decimal::ordering()
{
    QVERIFY(d("64000.01") > d("64000"));
    QVERIFY(d("-1") < d("0.0001"));
    QVERIFY(d("0.1") < d("0.10000001"));
    QVERIFY(d("999999999999999999") > d("0.999999999999999999"));
    // Same scale (compared by mantissa) and mixed scales agree.
    QVERIFY(d("64000.01") < d("64000.02"));
    QVERIFY(d("-64000.01") < d("-64000.00"));
    QVERIFY(d("64000.01") > d("64000.0"));
    QVERIFY(d("-0.5") < d("-0.49"));
}

void tst_Decimal::arithmetic()
{
    QCOMPARE(d("64000.50").plus(d("0.25"))->toString(), u"64000.75"_s);
    QCOMPARE(d("1.1").minus(d("2.25"))->toString(), u"-1.15"_s);
    // 0.1 + 0.2 is exactly 0.3, unlike in binary floating point.
    QCOMPARE(*d("0.1").plus(d("0.2")), d("0.3"));
    // Notional: price x qty keeps every digit.
    QCOMPARE(d("64012.50").times(d("0.0003"))->toString(), u"19.203750"_s);
    QCOMPARE(d("-2").times(d("1.5"))->toString(), u"-3.0"_s);
}

void tst_Decimal::overflowIsReported()
{
    QVERIFY(!d("999999999999999999").plus(d("1")).has_value());
    QVERIFY(!d("999999999").times(d("9999999999")).has_value());
    QVERIFY(!Decimal::fromUnits(Decimal::MaxMantissa + 1, 0).has_value());
    QVERIFY(!Decimal::fromUnits(1, 19).has_value());
    // Trailing zeros are dropped rather than overflowing when the value still fits.
    const auto product = d("100000000.00000000").times(d("1000.0000000000"));
    QVERIFY(product.has_value());
    QCOMPARE(*product, d("100000000000"));
}

void tst_Decimal::divisionRounds()
{
    QCOMPARE(d("10").dividedBy(d("3"), 4)->toString(), u"3.3333"_s);
    QCOMPARE(d("20").dividedBy(d("3"), 2)->toString(), u"6.67"_s);
    QCOMPARE(d("-20").dividedBy(d("3"), 2)->toString(), u"-6.67"_s);
    QCOMPARE(d("1.5").dividedBy(d("0.5"), 0)->toString(), u"3"_s);
    QVERIFY(!d("1").dividedBy(d("0"), 2).has_value());
}

// a / b at `scale` scales a by up to 10^36 (18 decimals asked, b with 18, a with none): past
// 128 bits, so these check the result is exact or nullopt, never wrapped.
void tst_Decimal::divisionWithLargeShift()
{
    QCOMPARE(d("10000000000000000").dividedBy(d("0.100000000000000000"), 18)->toString(),
             u"100000000000000000"_s);
    QVERIFY(!d("1000").dividedBy(d("0.000000000000000001"), 18).has_value());
    QVERIFY(!d("999999999999999999").dividedBy(d("0.000000000000000001"), 0).has_value());
    QCOMPARE(*d("2").dividedBy(d("0.4"), 18), d("5"));
    // Rounded half away from zero after the long division.
    QCOMPARE(d("1").dividedBy(d("0.700000000000000000"), 10)->toString(), u"1.4285714286"_s);
    QCOMPARE(d("-1").dividedBy(d("0.700000000000000000"), 10)->toString(), u"-1.4285714286"_s);
    QCOMPARE(d("1").dividedBy(d("0.800000000000000000"), 1)->toString(), u"1.3"_s);
    QCOMPARE(d("-1").dividedBy(d("-0.800000000000000000"), 1)->toString(), u"1.3"_s);
    QCOMPARE(d("-1").dividedBy(d("0.800000000000000000"), 1)->toString(), u"-1.3"_s);
    QCOMPARE(d("-0.000000000000000001").dividedBy(d("0.999999999999999999"), 18)->toString(),
             u"-0.000000000000000001"_s);
    // Exactly the largest mantissa after dropping 18 zeros, and just past it.
    QCOMPARE(d("999999999999999999").dividedBy(d("1.00000000000000000"), 18)->toString(),
             u"999999999999999999"_s);
    QVERIFY(!d("999999999999999999").dividedBy(d("0.99999999999999999"), 18).has_value());
    QVERIFY(!d("123456789012345678").dividedBy(d("0.123456789012345678"), 0).has_value());
}

void tst_Decimal::rounding()
{
    QCOMPARE(d("1.005").rounded(2)->toString(), u"1.01"_s);
    QCOMPARE(d("1.004").rounded(2)->toString(), u"1.00"_s);
    QCOMPARE(d("-1.005").rounded(2)->toString(), u"-1.01"_s);
    QCOMPARE(d("1.5").rounded(3)->toString(), u"1.500"_s);
}

void tst_Decimal::multiples()
{
    QVERIFY(d("64000.50").isMultipleOf(d("0.01")));
    QVERIFY(!d("64000.505").isMultipleOf(d("0.01")));
    QVERIFY(d("0.0003").isMultipleOf(d("0.0001")));
    QVERIFY(d("2.5").isMultipleOf(d("0.5")));
    QVERIFY(!d("2.6").isMultipleOf(d("0.5")));
    QVERIFY(!d("1").isMultipleOf(d("0")));
}

void tst_Decimal::withScale()
{
    QCOMPARE(d("1.5").withScale(4)->toString(), u"1.5000"_s);
    QCOMPARE(d("1.5000").withScale(1)->toString(), u"1.5"_s);
    QVERIFY(!d("1.55").withScale(1).has_value());
    QVERIFY(!d("999999999999999999").withScale(1).has_value());
}

void tst_Decimal::hashFollowsEquality()
{
    QCOMPARE(qHash(d("1.50")), qHash(d("1.5")));
    QCOMPARE(qHash(d("0")), qHash(d("0.00")));
}

QTEST_APPLESS_MAIN(tst_Decimal)
#include "tst_decimal.moc"
