#pragma once

#include <QtCore/QByteArrayView>
#include <QtCore/QLatin1StringView>
#include <QtCore/QString>

#include <optional>
#include <vector>

namespace tickwire::exchanges {

// A parsed JSON value whose numbers keep the exact text they had on the wire: "0.10000000"
// stays "0.10000000" and 12393906104898154338 stays whole. QJsonDocument turns every number
// into a double, which loses both; exchanges that send prices as JSON numbers (Kraken) and
// checksum their exact text need this instead.
class RawJson
{
public:
    enum class Type { Null, Bool, Number, String, Array, Object };

    RawJson() = default;

    [[nodiscard]] Type type() const { return m_type; }
    [[nodiscard]] bool isNull() const { return m_type == Type::Null; }
    [[nodiscard]] bool isBool() const { return m_type == Type::Bool; }
    [[nodiscard]] bool isNumber() const { return m_type == Type::Number; }
    [[nodiscard]] bool isString() const { return m_type == Type::String; }
    [[nodiscard]] bool isArray() const { return m_type == Type::Array; }
    [[nodiscard]] bool isObject() const { return m_type == Type::Object; }

    // A string's decoded contents, or a number's text exactly as written ("1e-08", "40.0").
    [[nodiscard]] const QString &text() const { return m_text; }
    [[nodiscard]] bool boolean() const { return m_bool; }
    // The elements of an array, or the values of an object in document order.
    [[nodiscard]] const std::vector<RawJson> &items() const { return m_items; }
    // The keys of an object, parallel to items().
    [[nodiscard]] const std::vector<QString> &keys() const { return m_keys; }
    // The value of an object's member `key` (the first one when repeated); null when absent.
    [[nodiscard]] const RawJson *member(QLatin1StringView key) const;

    // Parses one JSON text (RFC 8259) with nothing but whitespace after it.
    [[nodiscard]] static std::optional<RawJson> parse(QByteArrayView json, QString *error);

private:
    friend class RawJsonParser;

    Type m_type = Type::Null;
    bool m_bool = false;
    QString m_text;
    std::vector<QString> m_keys;
    std::vector<RawJson> m_items;
};

} // namespace tickwire::exchanges
