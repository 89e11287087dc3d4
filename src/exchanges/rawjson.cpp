#include "exchanges/rawjson.h"

namespace tickwire::exchanges {

using namespace Qt::StringLiterals;

namespace {

// Deeper documents are refused rather than parsed by recursion without bound.
constexpr int MaxDepth = 64;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
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

} // namespace

class RawJsonParser
{
public:
    explicit RawJsonParser(QByteArrayView json)
        : m_json(json)
    {
    }

    std::optional<RawJson> document(QString *error)
    {
        RawJson value;
        skipSpace();
        if (!parseValue(&value, 0)) {
            *error = u"malformed JSON at offset %1: %2"_s.arg(m_pos).arg(m_error);
            return std::nullopt;
        }
        skipSpace();
        if (m_pos != m_json.size()) {
            *error = u"malformed JSON at offset %1: garbage after the value"_s.arg(m_pos);
            return std::nullopt;
        }
        return value;
    }

private:
    bool fail(const QString &message)
    {
        m_error = message;
        return false;
    }
    [[nodiscard]] bool atEnd() const { return m_pos >= m_json.size(); }
    [[nodiscard]] char peek() const { return atEnd() ? '\0' : m_json[m_pos]; }
    void skipSpace()
    {
        while (!atEnd()) {
            const char c = m_json[m_pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
                return;
            ++m_pos;
        }
    }
    bool literal(QByteArrayView word)
    {
        if (m_json.sliced(m_pos).startsWith(word)) {
            m_pos += word.size();
            return true;
        }
        return fail(u"unexpected character"_s);
    }

    bool parseValue(RawJson *out, int depth)
    {
        if (depth > MaxDepth)
            return fail(u"nested deeper than %1"_s.arg(MaxDepth));
        switch (peek()) {
        case '{':
            return parseObject(out, depth);
        case '[':
            return parseArray(out, depth);
        case '"':
            out->m_type = RawJson::Type::String;
            return parseString(&out->m_text);
        case 't':
            out->m_type = RawJson::Type::Bool;
            out->m_bool = true;
            return literal("true");
        case 'f':
            out->m_type = RawJson::Type::Bool;
            out->m_bool = false;
            return literal("false");
        case 'n':
            out->m_type = RawJson::Type::Null;
            return literal("null");
        default:
            if (peek() == '-' || isDigit(peek()))
                return parseNumber(out);
            return fail(atEnd() ? u"unexpected end"_s : u"unexpected character"_s);
        }
    }

    bool parseObject(RawJson *out, int depth)
    {
        out->m_type = RawJson::Type::Object;
        ++m_pos; // '{'
        skipSpace();
        if (peek() == '}') {
            ++m_pos;
            return true;
        }
        for (;;) {
            skipSpace();
            if (peek() != '"')
                return fail(u"expected a member name"_s);
            QString key;
            if (!parseString(&key))
                return false;
            skipSpace();
            if (peek() != ':')
                return fail(u"expected ':'"_s);
            ++m_pos;
            skipSpace();
            RawJson value;
            if (!parseValue(&value, depth + 1))
                return false;
            out->m_keys.push_back(std::move(key));
            out->m_items.push_back(std::move(value));
            skipSpace();
            if (peek() == ',') {
                ++m_pos;
                continue;
            }
            if (peek() == '}') {
                ++m_pos;
                return true;
            }
            return fail(u"expected ',' or '}'"_s);
        }
    }

    bool parseArray(RawJson *out, int depth)
    {
        out->m_type = RawJson::Type::Array;
        ++m_pos; // '['
        skipSpace();
        if (peek() == ']') {
            ++m_pos;
            return true;
        }
        for (;;) {
            skipSpace();
            RawJson value;
            if (!parseValue(&value, depth + 1))
                return false;
            out->m_items.push_back(std::move(value));
            skipSpace();
            if (peek() == ',') {
                ++m_pos;
                continue;
            }
            if (peek() == ']') {
                ++m_pos;
                return true;
            }
            return fail(u"expected ',' or ']'"_s);
        }
    }

    // RFC 8259 number grammar; the text is kept as written.
    bool parseNumber(RawJson *out)
    {
        const qsizetype begin = m_pos;
        if (peek() == '-')
            ++m_pos;
        if (peek() == '0') {
            ++m_pos;
        } else if (isDigit(peek())) {
            while (isDigit(peek()))
                ++m_pos;
        } else {
            return fail(u"a number needs digits"_s);
        }
        if (peek() == '.') {
            ++m_pos;
            if (!isDigit(peek()))
                return fail(u"a number needs digits after '.'"_s);
            while (isDigit(peek()))
                ++m_pos;
        }
        if (peek() == 'e' || peek() == 'E') {
            ++m_pos;
            if (peek() == '+' || peek() == '-')
                ++m_pos;
            if (!isDigit(peek()))
                return fail(u"a number needs exponent digits"_s);
            while (isDigit(peek()))
                ++m_pos;
        }
        out->m_type = RawJson::Type::Number;
        out->m_text = QString::fromLatin1(m_json.sliced(begin, m_pos - begin));
        return true;
    }

    bool parseString(QString *out)
    {
        ++m_pos; // '"'
        QByteArray utf8;
        qsizetype runBegin = m_pos;
        for (;;) {
            if (atEnd())
                return fail(u"unterminated string"_s);
            const char c = m_json[m_pos];
            if (c == '"') {
                utf8.append(m_json.sliced(runBegin, m_pos - runBegin));
                ++m_pos;
                *out = QString::fromUtf8(utf8);
                return true;
            }
            if (static_cast<unsigned char>(c) < 0x20)
                return fail(u"control character in a string"_s);
            if (c != '\\') {
                ++m_pos;
                continue;
            }
            utf8.append(m_json.sliced(runBegin, m_pos - runBegin));
            ++m_pos;
            if (!parseEscape(&utf8))
                return false;
            runBegin = m_pos;
        }
    }

    bool parseEscape(QByteArray *utf8)
    {
        const char e = peek();
        ++m_pos;
        switch (e) {
        case '"':
        case '\\':
        case '/':
            utf8->append(e);
            return true;
        case 'b':
            utf8->append('\b');
            return true;
        case 'f':
            utf8->append('\f');
            return true;
        case 'n':
            utf8->append('\n');
            return true;
        case 'r':
            utf8->append('\r');
            return true;
        case 't':
            utf8->append('\t');
            return true;
        case 'u':
            break;
        default:
            return fail(u"unknown escape"_s);
        }
        char32_t code = 0;
        if (!hex4(&code))
            return false;
        if (code >= 0xD800 && code <= 0xDBFF) {
            // A high surrogate must be followed by \u and a low one.
            char32_t low = 0;
            if (!m_json.sliced(m_pos).startsWith("\\u"))
                return fail(u"lone surrogate"_s);
            m_pos += 2;
            if (!hex4(&low) || low < 0xDC00 || low > 0xDFFF)
                return fail(u"lone surrogate"_s);
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        } else if (code >= 0xDC00 && code <= 0xDFFF) {
            return fail(u"lone surrogate"_s);
        }
        utf8->append(QString::fromUcs4(&code, 1).toUtf8());
        return true;
    }

    bool hex4(char32_t *code)
    {
        if (m_pos + 4 > m_json.size())
            return fail(u"short \\u escape"_s);
        for (int i = 0; i < 4; ++i) {
            const int v = hexValue(m_json[m_pos + i]);
            if (v < 0)
                return fail(u"bad \\u escape"_s);
            *code = *code * 16 + char32_t(v);
        }
        m_pos += 4;
        return true;
    }

    QByteArrayView m_json;
    qsizetype m_pos = 0;
    QString m_error;
};

const RawJson *RawJson::member(QLatin1StringView key) const
{
    for (std::size_t i = 0; i < m_keys.size(); ++i) {
        if (m_keys[i] == key)
            return &m_items[i];
    }
    return nullptr;
}

std::optional<RawJson> RawJson::parse(QByteArrayView json, QString *error)
{
    return RawJsonParser(json).document(error);
}

} // namespace tickwire::exchanges
