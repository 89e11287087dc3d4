#pragma once

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <cstdint>
#include <optional>

namespace tickwire::exchanges {

// Reads the fields of one JSON object of an exchange's message and remembers the first
// problem, so a decoder reads every field in a row and checks once. Decimals are read as the
// JSON strings exchanges send them as, and kept as text (never through a double); integers
// are read exactly (Qt keeps an integer literal that fits 64 bits as an integer).
class JsonFields
{
public:
    JsonFields(QJsonObject object, QString *error)
        : m_object(std::move(object))
        , m_error(error)
    {
    }

    [[nodiscard]] QJsonValue value(QLatin1StringView key) const { return m_object.value(key); }

    QString text(QLatin1StringView key);
    // A string that may be absent or null (empty then).
    QString optionalText(QLatin1StringView key);
    // A non-negative JSON integer.
    std::int64_t integer(QLatin1StringView key);
    // A non-negative integer sent as a JSON integer or as a string of decimal digits.
    std::int64_t integerOrDigits(QLatin1StringView key);
    bool boolean(QLatin1StringView key);
    // A boolean that may be absent or null (false then).
    bool optionalBoolean(QLatin1StringView key);
    QJsonObject object(QLatin1StringView key);
    QJsonArray array(QLatin1StringView key);

    void fail(const QString &message);
    [[nodiscard]] bool ok() const { return m_error->isEmpty(); }

private:
    QJsonObject m_object;
    QString *m_error;
};

// `json` as one JSON object, or nullopt with `error` saying why not.
[[nodiscard]] std::optional<QJsonObject> parseJsonObject(QByteArrayView json, QString *error);

} // namespace tickwire::exchanges
