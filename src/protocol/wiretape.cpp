#include "protocol/wiretape.h"

#include <QtCore/QVarLengthArray>
#include <QtCore/QtAlgorithms>
#include <QtCore/QtEndian>

#include <array>
#include <cmath>
#include <cstring>
#include <limits>

// NOLINTNEXTLINE(modernize-deprecated-headers): POSIX newlocale(), MSVC's _create_locale()
#include <locale.h>
#if defined(_MSC_VER)
#include <stdlib.h> // NOLINT(modernize-deprecated-headers): _strtod_l()
#elif defined(__APPLE__)
#include <xlocale.h> // strtod_l()
#endif

// SSE2 is part of every x86-64; GCC and Clang say so with __SSE2__, MSVC with _M_X64.
#if !defined(TICKWIRE_PORTABLE) && (defined(__SSE2__) || defined(_M_X64) || defined(_M_AMD64))
#define TICKWIRE_SCAN_SSE2 1
#include <emmintrin.h>
#endif

namespace tickwire::protocol::wire {

using namespace Qt::StringLiterals;

namespace {

constexpr std::array<const char *, std::size_t(Field::Count)> FieldNames = {
    "",
    "type",
    "id",
    "channel",
    "symbols",
    "depth",
    "interval",
    "resume",
    "epoch",
    "seq",
    "client_order_id",
    "symbol",
    "side",
    "order_type",
    "qty",
    "price",
    "order_id",
    "t",
    "protocol",
    "session",
    "ts",
    "heartbeat_ms",
    "account",
    "recovered",
    "status",
    "cancelled",
    "code",
    "message",
    "name",
    "base",
    "quote",
    "tick_size",
    "lot_size",
    "last",
    "bid",
    "bid_size",
    "ask",
    "ask_size",
    "open_24h",
    "high_24h",
    "low_24h",
    "volume_24h",
    "trade_id",
    "trades",
    "snapshot",
    "bids",
    "asks",
    "checksum",
    "o",
    "h",
    "l",
    "c",
    "v",
    "closed",
    "candles",
    "filled_qty",
    "avg_fill_price",
    "last_fill_qty",
    "last_fill_price",
    "reason",
    "avg_price",
    "realized_pnl",
    "orders",
    "positions",
    "source",
    "trading",
    "state",
    "reconnects",
    "last_message_ts",
};

constexpr int MaxDepth = 1024; // nesting accepted by QJsonDocument and QCborValue

// Field names hashed by length and three characters into small buckets; a name (at most 15
// bytes) is compared as two zero-padded 64-bit words.
class FieldTable
{
public:
    FieldTable()
    {
        for (std::size_t i = 1; i < FieldNames.size(); ++i) {
            const QByteArrayView name(FieldNames[i]);
            Q_ASSERT(name.size() <= MaxName);
            auto &bucket = m_buckets[hash(name)];
            std::size_t slot = 0;
            while (slot < bucket.size() && bucket[slot].field != Field::Unknown)
                ++slot;
            if (slot == bucket.size())
                qFatal("wiretape: field hash bucket overflow"); // a new name collides: rehash
            bucket[slot] = Entry{Field(i), words(name)};
        }
    }
    // `readable` bytes from name.data() on may be read (the payload goes on after a key).
    [[nodiscard]] Field find(QByteArrayView name, qsizetype readable) const
    {
        if (name.isEmpty() || name.size() > MaxName)
            return Field::Unknown;
        const Words w = readable >= 16 ? wordsInPlace(name) : words(name);
        for (const Entry &e : m_buckets[hash(name)]) {
            if (e.field == Field::Unknown)
                break;
            if (e.words[0] == w[0] && e.words[1] == w[1])
                return e.field;
        }
        return Field::Unknown;
    }

private:
    static constexpr qsizetype MaxName = 15;
    using Words = std::array<std::uint64_t, 2>;
    struct Entry
    {
        Field field = Field::Unknown;
        Words words{};
    };
    static Words words(QByteArrayView s)
    {
        char padded[16] = {};
        std::memcpy(padded, s.data(), std::size_t(s.size()));
        padded[15] = char(s.size()); // the length tells "ab" from "ab\0"
        Words w;
        std::memcpy(w.data(), padded, 16);
        return w;
    }
    // The same as words(), reading 16 bytes and masking what is beyond the name.
    static Words wordsInPlace(QByteArrayView s)
    {
        Words w;
        std::memcpy(w.data(), s.data(), 16);
        const auto n = unsigned(s.size());
        w[0] &= n >= 8 ? ~0ull : (1ull << (8 * n)) - 1;
        w[1] &= n >= 8 ? (1ull << (8 * (n - 8))) - 1 : 0;
        w[1] |= std::uint64_t(n) << 56;
        return w;
    }
    static std::size_t hash(QByteArrayView s)
    {
        const auto n = std::size_t(s.size());
        const auto c = [&s](std::size_t i) {
            return std::size_t(static_cast<unsigned char>(s[i]));
        };
        return (n * 37 + c(0) * 11 + c(n / 2) * 5 + c(n - 1)) & 255;
    }
    std::array<std::array<Entry, 4>, 256> m_buckets{};
};

const FieldTable FieldNameTable; // built at start-up: no guard on every key

const FieldTable &fieldTable()
{
    return FieldNameTable;
}

// Qt's UTF-8 rules: no overlong forms, no surrogates, nothing above U+10FFFF. Returns the
// length of the sequence at p, or 0 when it is invalid or truncated.
int utf8SequenceLength(const unsigned char *p, const unsigned char *end)
{
    const unsigned char b = *p;
    int need;
    char32_t min;
    char32_t uc;
    if (b <= 0xC1)
        return 0;
    if (b < 0xE0)
        need = 2, min = 0x80, uc = b & 0x1F;
    else if (b < 0xF0)
        need = 3, min = 0x800, uc = b & 0x0F;
    else if (b < 0xF5)
        need = 4, min = 0x10000, uc = b & 0x07;
    else
        return 0;
    if (end - p < need)
        return 0;
    for (int i = 1; i < need; ++i) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        uc = (uc << 6) | (p[i] & 0x3F);
    }
    if (uc < min || (uc >= 0xD800 && uc <= 0xDFFF) || uc > 0x10FFFF)
        return 0;
    return need;
}

// Whether the n <= 16 bytes at p are all ASCII, without a loop: two reads that overlap (most of
// the protocol's strings, keys, symbols and decimals, are 2 to 16 bytes long).
inline bool isShortAscii(const unsigned char *p, std::ptrdiff_t n)
{
    Q_ASSERT(n >= 0 && n <= 16);
    if (n >= 8) {
        std::uint64_t first, last;
        std::memcpy(&first, p, 8);
        std::memcpy(&last, p + n - 8, 8);
        return !((first | last) & 0x8080808080808080ull);
    }
    if (n >= 4) {
        std::uint32_t first, last;
        std::memcpy(&first, p, 4);
        std::memcpy(&last, p + n - 4, 4);
        return !((first | last) & 0x80808080u);
    }
    unsigned char any = 0;
    for (std::ptrdiff_t i = 0; i < n; ++i)
        any |= p[i];
    return any < 0x80;
}

bool isValidUtf8(const unsigned char *p, const unsigned char *end, bool &nonAscii)
{
    if (end - p <= 16 && isShortAscii(p, end - p))
        return true;
    // ASCII eight bytes at a time, the rest sequence by sequence.
    while (end - p >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        if (w & 0x8080808080808080ull)
            break;
        p += 8;
    }
    while (p < end) {
        if (*p < 0x80) {
            ++p;
            continue;
        }
        nonAscii = true;
        const int n = utf8SequenceLength(p, end);
        if (n == 0)
            return false;
        p += n;
    }
    return true;
}

// The first byte at or after p that is '"', '\\' or not ASCII (or end), sixteen bytes at a time
// where SSE2 is there (every x86-64), then eight.
const unsigned char *skipPlainAscii(const unsigned char *p, const unsigned char *end)
{
#if defined(TICKWIRE_SCAN_SSE2)
    const __m128i quotes = _mm_set1_epi8('"');
    const __m128i backslashes = _mm_set1_epi8('\\');
    while (end - p >= 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        // 0xFF where a quote or backslash is; a byte >= 0x80 has its high bit set already.
        const __m128i stop = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, quotes), _mm_cmpeq_epi8(v, backslashes)), v);
        if (const auto mask = unsigned(_mm_movemask_epi8(stop)))
            return p + qCountTrailingZeroBits(mask);
        p += 16;
    }
#endif
    constexpr std::uint64_t Ones = 0x0101010101010101ull;
    constexpr std::uint64_t Highs = 0x8080808080808080ull;
    while (end - p >= 8) {
        // Little-endian on any host: the lowest byte of w is p[0].
        const std::uint64_t w = qFromLittleEndian<quint64>(p);
        const std::uint64_t quote = w ^ (Ones * '"');
        const std::uint64_t backslash = w ^ (Ones * '\\');
        // A zero byte in quote/backslash, or a high bit in w, marks a byte to stop at.
        const std::uint64_t stop =
            (((quote - Ones) & ~quote) | ((backslash - Ones) & ~backslash) | w) & Highs;
        if (stop) // the lowest flagged byte is exact (later ones may be false alarms)
            return p + qCountTrailingZeroBits(stop) / 8;
        p += 8;
    }
    while (p < end && *p != '"' && *p != '\\' && *p < 0x80)
        ++p;
    return p;
}

double halfToDouble(std::uint16_t h)
{
    const int exponent = (h >> 10) & 0x1F;
    const double mantissa = h & 0x3FF;
    double value;
    if (exponent == 0)
        value = std::ldexp(mantissa, -24);
    else if (exponent == 31)
        value = mantissa == 0 ? std::numeric_limits<double>::infinity()
                              : std::numeric_limits<double>::quiet_NaN();
    else
        value = std::ldexp(mantissa + 1024, exponent - 25);
    return (h & 0x8000) ? -value : value;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// A JSON number as QJsonDocument reads one: a lax scan of [-](0|digits)[.digits][e[+-]digits],
// then an integer if it has no exponent, only zeros after the point and fits in 64 bits, else
// a double; overflow, underflow of a non-zero value and incomplete forms ("-", "1e") are errors.
struct NumberText
{
    const char *begin;
    const char *end;
    bool isInt;
};

bool readJsonInteger(NumberText n, std::int64_t &out)
{
    const char *p = n.begin;
    const bool negative = p != n.end && *p == '-';
    if (negative)
        ++p;
    if (p == n.end)
        return false;
    if (n.end - p <= 18) { // cannot overflow
        std::int64_t v = 0;
        for (; p != n.end; ++p) {
            if (*p < '0' || *p > '9')
                return false;
            v = v * 10 + (*p - '0');
        }
        out = negative ? -v : v;
        return true;
    }
    std::uint64_t v = 0;
    const std::uint64_t limit = negative
                                    ? std::uint64_t(std::numeric_limits<std::int64_t>::max()) + 1
                                    : std::uint64_t(std::numeric_limits<std::int64_t>::max());
    for (; p != n.end; ++p) {
        if (*p < '0' || *p > '9')
            return false; // a fraction, even ".0": QByteArray::toLongLong refuses it
        const std::uint64_t digit = std::uint64_t(*p - '0');
        if (v > (limit - digit) / 10)
            return false;
        v = v * 10 + digit;
    }
    out = negative ? std::int64_t(0 - v) : std::int64_t(v);
    return true;
}

bool readJsonDouble(NumberText n, double &out)
{
    // The forms double-conversion (behind QByteArray::toDouble) refuses.
    const char *p = n.begin;
    if (p != n.end && *p == '-')
        ++p;
    int mantissaDigits = 0;
    bool nonZeroDigit = false;
    for (; p != n.end && *p != 'e' && *p != 'E'; ++p) {
        if (*p >= '0' && *p <= '9') {
            ++mantissaDigits;
            nonZeroDigit = nonZeroDigit || *p != '0';
        }
    }
    if (mantissaDigits == 0)
        return false;
    if (p != n.end) {
        ++p;
        if (p != n.end && (*p == '+' || *p == '-'))
            ++p;
        if (p == n.end)
            return false;
    }
    const auto length = std::size_t(n.end - n.begin);
    QVarLengthArray<char, 64> text(qsizetype(length + 1));
    std::memcpy(text.data(), n.begin, length);
    text[qsizetype(length)] = '\0';
    // In the "C" locale whatever the process's is ('.' as the point).
#if defined(_MSC_VER)
    static const _locale_t cLocale = _create_locale(LC_ALL, "C");
    const double d = _strtod_l(text.data(), nullptr, cLocale);
#else
    static const locale_t cLocale = newlocale(LC_ALL_MASK, "C", locale_t(nullptr));
    const double d = strtod_l(text.data(), nullptr, cLocale);
#endif
    if (!std::isfinite(d) || (d == 0 && nonZeroDigit))
        return false;
    out = d;
    return true;
}

class JsonScanner
{
public:
    JsonScanner(QByteArrayView bytes, Tape &tape)
        : m_begin(bytes.data())
        , m_p(bytes.data())
        , m_end(bytes.data() + bytes.size())
        , m_nodes(tape.nodes)
    {
    }

    bool document()
    {
        static constexpr unsigned char Bom[] = {0xEF, 0xBB, 0xBF};
        if (m_end - m_p > 3 && std::memcmp(m_p, Bom, 3) == 0)
            m_p += 3;
        skipSpace();
        if (m_p == m_end || (*m_p != '{' && *m_p != '['))
            return fail("illegal value");
        if (!value())
            return false;
        skipSpace();
        if (m_p != m_end)
            return fail("garbage at the end of the document");
        return true;
    }

    [[nodiscard]] qsizetype offset() const { return m_p - m_begin; }
    [[nodiscard]] const char *what() const { return m_what; }

private:
    bool fail(const char *what)
    {
        m_what = what;
        return false;
    }
    void skipSpace()
    {
        if (m_p<m_end &&static_cast<unsigned char>(*m_p)> ' ')
            return;
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }
    std::int32_t push(Kind kind)
    {
        m_nodes.append().kind = kind;
        return std::int32_t(m_nodes.size() - 1);
    }
    void close(std::int32_t index, std::int32_t count)
    {
        m_nodes[std::size_t(index)].end = std::int32_t(m_nodes.size());
        m_nodes[std::size_t(index)].count = count;
    }

    // At the first character of a value (not white space).
    bool value()
    {
        switch (*m_p) {
        case '"':
            return stringValue();
        case '{':
        case '[':
            return container(*m_p++ == '{');
        case 't':
            return literal("true", 5, Kind::True);
        case 'f':
            return literal("false", 6, Kind::False);
        case 'n':
            return literal("null", 5, Kind::Null);
        case ',':
            return fail("illegal value");
        case '}':
        case ']':
            return fail("object is missing after a comma");
        default:
            return number();
        }
    }

    // QJsonDocument wants one more byte after a literal (there is always a bracket).
    bool literal(const char *word, qsizetype need, Kind kind)
    {
        const auto length = qsizetype(std::strlen(word));
        if (m_end - m_p < need || std::memcmp(m_p, word, std::size_t(length)) != 0)
            return fail("illegal value");
        m_p += length;
        close(push(kind), 0);
        return true;
    }

    // An object or an array, after its opening bracket.
    bool container(bool object)
    {
        const char closing = object ? '}' : ']';
        const char *unterminated = object ? "unterminated object" : "unterminated array";
        if (++m_depth > MaxDepth)
            return fail("too deeply nested document");
        const std::int32_t index = push(object ? Kind::Map : Kind::Array);
        std::int32_t count = 0;
        skipSpace();
        if (m_p == m_end)
            return fail(unterminated);
        if (*m_p == closing) {
            ++m_p;
        } else {
            for (;;) { // at a non-space (or the end): skipped before the loop and after a comma
                if (m_p == m_end)
                    return fail(unterminated);
                if (object && !member())
                    return false;
                // Strings, the most common values, without the call to value().
                if (*m_p == '"' ? !stringValue() : !value())
                    return false;
                ++count;
                skipSpace();
                if (m_p == m_end)
                    return fail(unterminated);
                const char c = *m_p++;
                if (c == closing)
                    break;
                if (c != ',')
                    return fail(object ? unterminated : "missing value separator");
                skipSpace();
                if (object && m_p != m_end && *m_p == '}')
                    return fail("object is missing after a comma");
            }
        }
        --m_depth;
        close(index, count);
        return true;
    }

    // A member's key and colon, up to its value.
    bool member()
    {
        if (*m_p != '"')
            return fail("unterminated object");
        ++m_p;
        const std::int32_t key = push(Kind::String);
        if (!string(key))
            return false;
        Node &k = m_nodes[std::size_t(key)];
        k.key = keyField(k);
        skipSpace();
        if (m_p == m_end || *m_p != ':')
            return fail("missing name separator");
        ++m_p;
        skipSpace();
        if (m_p == m_end)
            return fail("unterminated object");
        return true;
    }

    // At the opening quote of a string value.
    bool stringValue()
    {
        ++m_p;
        return string(push(Kind::String));
    }

    // After the opening quote.
    bool string(std::int32_t index)
    {
        const char *start = m_p;
        std::uint8_t flags = 0;
        const auto *p = reinterpret_cast<const unsigned char *>(m_p);
        const auto *end = reinterpret_cast<const unsigned char *>(m_end);
        for (;;) {
            p = skipPlainAscii(p, end);
            if (p == end) {
                m_p = m_end;
                return fail("unterminated string");
            }
            if (*p == '"')
                break;
            if (*p == '\\') {
                flags |= Escaped;
                ++p;
                if (p == end) {
                    m_p = m_end;
                    return fail("invalid escape sequence");
                }
                const unsigned char e = *p++;
                if (e == 'u') {
                    if (end - p < 4 || hexValue(char(p[0])) < 0 || hexValue(char(p[1])) < 0
                        || hexValue(char(p[2])) < 0 || hexValue(char(p[3])) < 0) {
                        m_p = reinterpret_cast<const char *>(p);
                        return fail("invalid escape sequence");
                    }
                    p += 4;
                } else if (e >= 0x80) {
                    flags |= NonAscii; // QJsonDocument takes the byte itself as the character
                }
                continue;
            }
            const int n = utf8SequenceLength(p, end);
            if (n == 0) {
                m_p = reinterpret_cast<const char *>(p);
                return fail("invalid UTF8 string");
            }
            flags |= NonAscii;
            p += n;
        }
        m_p = reinterpret_cast<const char *>(p) + 1;
        if (m_p >= m_end)
            return fail("unterminated string");
        Node &node = m_nodes[std::size_t(index)];
        node.flags = flags;
        node.span.offset = std::int32_t(start - m_begin);
        node.span.length = std::int32_t(reinterpret_cast<const char *>(p) - start);
        node.end = index + 1;
        return true;
    }

    Field keyField(const Node &key) const
    {
        const QByteArrayView raw(m_begin + key.span.offset, key.span.length);
        if (!(key.flags & Escaped))
            return fieldTable().find(raw, m_end - raw.data());
        const QString text = unescapeJson(raw);
        for (const QChar c : text) {
            if (c.unicode() >= 0x80)
                return Field::Unknown;
        }
        return fieldFromName(text.toLatin1());
    }

    bool number()
    {
        const char *start = m_p;
        bool isInt = true;
        const auto digit = [this] { return m_p < m_end && *m_p >= '0' && *m_p <= '9'; };
        const bool negative = m_p < m_end && *m_p == '-';
        if (negative)
            ++m_p;
        std::uint64_t value = 0; // exact while at most 18 digits (wraps, unused, beyond)
        const char *digits = m_p;
        if (m_p < m_end && *m_p == '0') {
            ++m_p;
        } else {
            while (digit())
                value = value * 10 + std::uint64_t(*m_p++ - '0');
        }
        if (m_p < m_end && m_p - digits <= 18 && m_p != digits && *m_p != '.' && *m_p != 'e'
            && *m_p != 'E') {
            // The usual case: a plain integer that fits.
            const std::int32_t index = push(Kind::Integer);
            const auto magnitude = std::int64_t(value);
            m_nodes[std::size_t(index)].integer = negative ? -magnitude : magnitude;
            return true;
        }
        if (m_p < m_end && *m_p == '.') {
            ++m_p;
            while (digit()) {
                isInt = isInt && *m_p == '0';
                ++m_p;
            }
        }
        if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
            isInt = false;
            ++m_p;
            if (m_p < m_end && (*m_p == '-' || *m_p == '+'))
                ++m_p;
            while (digit())
                ++m_p;
        }
        if (m_p >= m_end)
            return fail("invalid termination by number");
        const NumberText text{start, m_p, isInt};
        std::int64_t integer = 0;
        if (isInt && readJsonInteger(text, integer)) {
            const std::int32_t index = push(Kind::Integer);
            m_nodes[std::size_t(index)].integer = integer;
            m_nodes[std::size_t(index)].end = index + 1;
            return true;
        }
        double d = 0;
        if (!readJsonDouble(text, d))
            return fail("illegal number");
        const std::int32_t index = push(Kind::Double);
        Node &node = m_nodes[std::size_t(index)];
        // Integral doubles within 64 bits become integers, as QJsonDocument stores them.
        if (std::trunc(d) == d && d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
            node.kind = Kind::Integer;
            node.integer = std::int64_t(d);
        } else {
            node.real = d;
        }
        node.end = index + 1;
        return true;
    }

public:
    // QJsonDocument's reading of a string with escapes: \uXXXX gives that UTF-16 unit (so a
    // lone surrogate survives to be refused later), an unknown escape gives the byte itself.
    static QString unescapeJson(QByteArrayView raw)
    {
        QString out;
        out.reserve(raw.size());
        const auto *p = reinterpret_cast<const unsigned char *>(raw.data());
        const auto *end = p + raw.size();
        while (p < end) {
            if (*p == '\\') {
                const unsigned char e = p[1];
                p += 2;
                switch (e) {
                case 'b':
                    out += QChar(0x08);
                    break;
                case 'f':
                    out += QChar(0x0C);
                    break;
                case 'n':
                    out += QChar(0x0A);
                    break;
                case 'r':
                    out += QChar(0x0D);
                    break;
                case 't':
                    out += QChar(0x09);
                    break;
                case 'u':
                    out += QChar(char16_t((hexValue(char(p[0])) << 12) | (hexValue(char(p[1])) << 8)
                                          | (hexValue(char(p[2])) << 4) | hexValue(char(p[3]))));
                    p += 4;
                    break;
                default:
                    out += QChar(char16_t(e));
                }
            } else if (*p < 0x80) {
                out += QChar(char16_t(*p++));
            } else {
                const int n = utf8SequenceLength(p, end);
                // Decoded by hand: QString::fromUtf8 would drop a U+FEFF, which QJsonDocument
                // keeps in a string with escapes.
                char32_t uc = *p & (0x7F >> n);
                for (int i = 1; i < n; ++i)
                    uc = (uc << 6) | (p[i] & 0x3F);
                if (uc > 0xFFFF)
                    out += QChar(QChar::highSurrogate(uc)), out += QChar(QChar::lowSurrogate(uc));
                else
                    out += QChar(char16_t(uc));
                p += n;
            }
        }
        return out;
    }

private:
    const char *m_begin;
    const char *m_p;
    const char *m_end;
    NodeBuffer &m_nodes;
    int m_depth = 0;
    const char *m_what = "";
};

// RFC 8949 items as QCborStreamReader and QCborValue::fromCbor accept them.
class CborScanner
{
public:
    CborScanner(QByteArrayView bytes, Tape &tape)
        : m_begin(reinterpret_cast<const unsigned char *>(bytes.data()))
        , m_p(m_begin)
        , m_end(m_begin + bytes.size())
        , m_nodes(tape.nodes)
    {
    }

    bool item(int depth, Field key = Field::Unknown)
    {
        if (m_p == m_end)
            return fail("unexpected end of data");
        const unsigned char initial = *m_p++;
        const int major = initial >> 5;
        const int info = initial & 0x1F;
        std::uint64_t arg = 0;
        const bool indefinite = info == 31;
        if (info < 24) {
            arg = std::uint64_t(info);
        } else if (info <= 27) {
            const int n = 1 << (info - 24);
            if (m_end - m_p < n)
                return fail("unexpected end of data");
            for (int i = 0; i < n; ++i)
                arg = (arg << 8) | m_p[i];
            m_p += n;
        } else if (info != 31) {
            return fail("illegal number");
        }

        switch (major) {
        case 0:
        case 1: {
            if (indefinite)
                return fail("illegal number");
            const std::int32_t index = push(Kind::Integer, key);
            Node &node = m_nodes[std::size_t(index)];
            // As QCborValue reads them: an integer beyond the 64-bit signed range becomes a
            // double (-1 - n for a negative one), except -2^64, which it reads as 0.
            constexpr auto MaxSigned = std::uint64_t(std::numeric_limits<std::int64_t>::max());
            if (major == 0 && arg > MaxSigned) {
                node.kind = Kind::Double;
                node.real = double(arg);
            } else if (major == 1 && arg > MaxSigned
                       && arg != std::numeric_limits<std::uint64_t>::max()) {
                node.kind = Kind::Double;
                node.real = -1.0 - double(arg);
            } else {
                node.integer = major == 0 ? std::int64_t(arg) : std::int64_t(~arg);
            }
            return true;
        }
        case 2:
        case 3:
            return string(major == 3, indefinite, arg, key);
        case 4:
        case 5:
            return container(major == 5, indefinite, arg, depth, key);
        case 6: {
            if (indefinite)
                return fail("illegal number");
            if (depth >= MaxDepth)
                return fail("nesting too deep");
            const std::int32_t index = push(Kind::Other, key);
            if (!item(depth + 1))
                return false;
            m_nodes.truncate(std::size_t(index) + 1); // the tagged value is not read
            return true;
        }
        default:
            return simple(info, arg, key);
        }
    }

    [[nodiscard]] qsizetype offset() const { return m_p - m_begin; }
    [[nodiscard]] const char *what() const { return m_what; }

private:
    bool fail(const char *what)
    {
        m_what = what;
        return false;
    }
    std::int32_t push(Kind kind, Field key)
    {
        Node &node = m_nodes.append();
        node.kind = kind;
        node.key = key;
        return std::int32_t(m_nodes.size() - 1);
    }

    bool simple(int info, std::uint64_t arg, Field key)
    {
        Kind kind = Kind::Other;
        double real = 0;
        switch (info) {
        case 20:
            kind = Kind::False;
            break;
        case 21:
            kind = Kind::True;
            break;
        case 22:
            kind = Kind::Null;
            break;
        case 23:
            kind = Kind::Undefined;
            break;
        case 24:
            if (arg < 32)
                return fail("illegal simple type");
            break;
        case 25:
            kind = Kind::Double;
            real = halfToDouble(std::uint16_t(arg));
            break;
        case 26: {
            float f;
            const auto bits = std::uint32_t(arg);
            std::memcpy(&f, &bits, sizeof f);
            kind = Kind::Double;
            real = double(f);
            break;
        }
        case 27:
            kind = Kind::Double;
            std::memcpy(&real, &arg, sizeof real);
            break;
        case 31:
            return fail("unexpected break");
        default:
            break; // simple values 0-19
        }
        const std::int32_t index = push(kind, key);
        if (kind == Kind::Double)
            m_nodes[std::size_t(index)].real = real;
        return true;
    }

    bool string(bool text, bool indefinite, std::uint64_t length, Field key)
    {
        const std::int32_t index = push(text ? Kind::String : Kind::Bytes, key);
        const unsigned char *start = m_p;
        bool nonAscii = false;
        if (!indefinite) {
            if (length > std::uint64_t(m_end - m_p))
                return fail("unexpected end of data");
            if (text && !isValidUtf8(m_p, m_p + length, nonAscii))
                return fail("invalid UTF-8 text string");
            m_p += length;
        } else {
            for (;;) {
                if (m_p == m_end)
                    return fail("unexpected end of data");
                if (*m_p == 0xFF) {
                    ++m_p;
                    break;
                }
                const unsigned char initial = *m_p++;
                if ((initial >> 5) != (text ? 3 : 2) || (initial & 0x1F) > 27)
                    return fail("illegal chunk in an indefinite-length string");
                std::uint64_t n = initial & 0x1F;
                if (n >= 24) {
                    const int size = 1 << (n - 24);
                    if (m_end - m_p < size)
                        return fail("unexpected end of data");
                    n = 0;
                    for (int i = 0; i < size; ++i)
                        n = (n << 8) | m_p[i];
                    m_p += size;
                }
                if (n > std::uint64_t(m_end - m_p))
                    return fail("unexpected end of data");
                if (text && !isValidUtf8(m_p, m_p + n, nonAscii))
                    return fail("invalid UTF-8 text string");
                m_p += n;
            }
        }
        Node &node = m_nodes[std::size_t(index)];
        node.flags = std::uint8_t((nonAscii ? NonAscii : 0) | (indefinite ? Chunked : 0));
        node.span.offset = std::int32_t(start - m_begin);
        node.span.length = std::int32_t(m_p - start);
        return true;
    }

    bool container(bool map, bool indefinite, std::uint64_t count, int depth, Field key)
    {
        if (depth >= MaxDepth)
            return fail("nesting too deep");
        const std::int32_t index = push(map ? Kind::Map : Kind::Array, key);
        std::int32_t items = 0;
        for (std::uint64_t i = 0; indefinite || i < count; ++i) {
            if (m_p == m_end)
                return fail("unexpected end of data");
            if (indefinite && *m_p == 0xFF) {
                ++m_p;
                break;
            }
            if (!map) {
                if (!item(depth + 1))
                    return false;
            } else {
                const auto keyIndex = std::int32_t(m_nodes.size());
                if (!item(depth + 1))
                    return false;
                Node &k = m_nodes[std::size_t(keyIndex)];
                if (k.kind == Kind::String)
                    k.key = keyField(k);
                if (m_p == m_end)
                    return fail("unexpected end of data");
                if (*m_p == 0xFF && indefinite)
                    return fail("unexpected break");
                if (!item(depth + 1))
                    return false;
            }
            ++items;
        }
        m_nodes[std::size_t(index)].end = std::int32_t(m_nodes.size());
        m_nodes[std::size_t(index)].count = items;
        return true;
    }

    Field keyField(const Node &key) const
    {
        if (key.flags & NonAscii)
            return Field::Unknown;
        if (!(key.flags & Chunked))
            return fieldTable().find(QByteArrayView(m_begin + key.span.offset, key.span.length),
                                     m_end - (m_begin + key.span.offset));
        Tape view;
        view.bytes = QByteArrayView(m_begin, m_end - m_begin);
        view.cbor = true;
        return fieldFromName(view.text(key).toLatin1());
    }

    const unsigned char *m_begin;
    const unsigned char *m_p;
    const unsigned char *m_end;
    NodeBuffer &m_nodes;
    const char *m_what = "";
};

} // namespace

QLatin1StringView fieldName(Field field)
{
    return QLatin1StringView(FieldNames[std::size_t(field)]);
}

Field fieldFromName(QByteArrayView name)
{
    return fieldTable().find(name, name.size());
}

QString Tape::text(const Node &node) const
{
    QString s = textAsWritten(node);
    qsizetype marks = 0;
    while (marks < s.size() && s.at(marks).unicode() == 0xFEFF)
        ++marks;
    if (marks > 0)
        s.remove(0, marks);
    return s;
}

QString Tape::textAsWritten(const Node &node) const
{
    const QByteArrayView raw = spanOf(node);
    if (!cbor) {
        if (node.flags & Escaped)
            return JsonScanner::unescapeJson(raw);
        if (node.flags & NonAscii)
            return QString::fromUtf8(raw);
        return QString::fromLatin1(raw);
    }
    if (!(node.flags & Chunked))
        return (node.flags & NonAscii) ? QString::fromUtf8(raw) : QString::fromLatin1(raw);
    // Indefinite length: chunk headers (checked by the scan) followed by their bytes.
    QByteArray joined;
    const auto *p = reinterpret_cast<const unsigned char *>(raw.data());
    const auto *end = p + raw.size() - 1; // the break
    while (p < end) {
        std::uint64_t n = *p++ & 0x1F;
        if (n >= 24) {
            const int size = 1 << (n - 24);
            n = 0;
            for (int i = 0; i < size; ++i)
                n = (n << 8) | p[i];
            p += size;
        }
        joined.append(reinterpret_cast<const char *>(p), qsizetype(n));
        p += n;
    }
    return QString::fromUtf8(joined);
}

bool parseJson(QByteArrayView bytes, Tape &tape)
{
    tape.bytes = bytes;
    tape.cbor = false;
    tape.nodes.prepare(std::size_t(bytes.size()) + 2);
    tape.error.clear();
    JsonScanner scanner(bytes, tape);
    if (scanner.document())
        return true;
    tape.error = u"malformed JSON at offset %1: %2"_s.arg(scanner.offset())
                     .arg(QLatin1StringView(scanner.what()));
    return false;
}

bool parseCbor(QByteArrayView bytes, Tape &tape, qsizetype &consumed)
{
    tape.bytes = bytes;
    tape.cbor = true;
    tape.nodes.prepare(std::size_t(bytes.size()) + 2);
    tape.error.clear();
    CborScanner scanner(bytes, tape);
    const bool ok = scanner.item(0);
    consumed = scanner.offset();
    if (ok)
        return true;
    tape.error = u"malformed CBOR at offset %1: %2"_s.arg(scanner.offset())
                     .arg(QLatin1StringView(scanner.what()));
    return false;
}

} // namespace tickwire::protocol::wire
