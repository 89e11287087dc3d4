#include "exchanges/jsonfields.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonParseError>

#include <algorithm>

namespace tickwire::exchanges {

using namespace Qt::StringLiterals;

QString JsonFields::text(QLatin1StringView key)
{
    const QJsonValue v = m_object.value(key);
    if (!v.isString())
        fail(u"\"%1\" is not a string"_s.arg(key));
    return v.toString();
}

QString JsonFields::optionalText(QLatin1StringView key)
{
    const QJsonValue v = m_object.value(key);
    if (!v.isUndefined() && !v.isNull() && !v.isString())
        fail(u"\"%1\" is not a string"_s.arg(key));
    return v.toString();
}

std::int64_t JsonFields::integer(QLatin1StringView key)
{
    const QJsonValue v = m_object.value(key);
    const qint64 n = v.toInteger(-1);
    if (!v.isDouble() || n < 0)
        fail(u"\"%1\" is not a non-negative integer"_s.arg(key));
    return n;
}

std::int64_t JsonFields::integerOrDigits(QLatin1StringView key)
{
    const QJsonValue v = m_object.value(key);
    if (!v.isString())
        return integer(key);
    const QString s = v.toString();
    bool ok = false;
    const qlonglong n = s.toLongLong(&ok);
    const bool digits = !s.isEmpty() && std::all_of(s.cbegin(), s.cend(), [](QChar c) {
        return c >= u'0' && c <= u'9';
    });
    if (!ok || !digits)
        fail(u"\"%1\" is not a non-negative integer"_s.arg(key));
    return n;
}

bool JsonFields::boolean(QLatin1StringView key)
{
    const QJsonValue v = m_object.value(key);
    if (!v.isBool())
        fail(u"\"%1\" is not a boolean"_s.arg(key));
    return v.toBool();
}

bool JsonFields::optionalBoolean(QLatin1StringView key)
{
    const QJsonValue v = m_object.value(key);
    if (!v.isUndefined() && !v.isNull() && !v.isBool())
        fail(u"\"%1\" is not a boolean"_s.arg(key));
    return v.toBool();
}

QJsonObject JsonFields::object(QLatin1StringView key)
{
    const QJsonValue v = m_object.value(key);
    if (!v.isObject())
        fail(u"\"%1\" is not an object"_s.arg(key));
    return v.toObject();
}

QJsonArray JsonFields::array(QLatin1StringView key)
{
    const QJsonValue v = m_object.value(key);
    if (!v.isArray())
        fail(u"\"%1\" is not an array"_s.arg(key));
    return v.toArray();
}

void JsonFields::fail(const QString &message)
{
    if (m_error->isEmpty())
        *m_error = message;
}

std::optional<QJsonObject> parseJsonObject(QByteArrayView json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = u"malformed JSON at offset %1: %2"_s.arg(parseError.offset)
                     .arg(parseError.errorString());
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error = u"not a JSON object"_s;
        return std::nullopt;
    }
    return doc.object();
}

} // namespace tickwire::exchanges
