#include "exchanges/framerecorder.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonValue>
#include <QtCore/QUrlQuery>

namespace tickwire::exchanges {

using namespace Qt::StringLiterals;

namespace {

// `text` as it is when it is one JSON object or array (numbers keep their exact text), else
// as a JSON string.
QByteArray asJson(QByteArrayView text)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toByteArray(), &error);
    if (error.error == QJsonParseError::NoError && (doc.isObject() || doc.isArray())) {
        QByteArray compact = text.toByteArray().trimmed();
        // One event per line: a pretty-printed body would span several.
        if (!compact.contains('\n') && !compact.contains('\r'))
            return compact;
        return doc.toJson(QJsonDocument::Compact);
    }
    const QString s = QString::fromUtf8(text);
    return QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact).sliced(1).chopped(1);
}

QByteArray quoted(const QString &s)
{
    return QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact).sliced(1).chopped(1);
}

QByteArray now()
{
    return QByteArray::number(QDateTime::currentMSecsSinceEpoch());
}

} // namespace

bool FrameRecorder::open(const QString &path, QString *error)
{
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = u"cannot write %1: %2"_s.arg(path, m_file.errorString());
        return false;
    }
    return true;
}

int FrameRecorder::connectionOpened()
{
    return ++m_connections;
}

void FrameRecorder::received(int connection, QStringView frame)
{
    write("{\"ws\":" + QByteArray::number(connection) + ",\"send\":" + asJson(frame.toUtf8())
          + ",\"t\":" + now() + '}');
}

void FrameRecorder::sent(int connection, QStringView frame)
{
    write("{\"ws\":" + QByteArray::number(connection) + ",\"wait\":\"message\",\"contains\":"
          + quoted(frame.toString()) + ",\"t\":" + now() + '}');
}

void FrameRecorder::restReply(const QUrl &url, int status, QByteArrayView body)
{
    QByteArray line = "{\"rest\":" + quoted(url.path());
    const QUrlQuery query(url);
    if (query.hasQueryItem(u"symbol"_s))
        line += ",\"symbol\":" + quoted(query.queryItemValue(u"symbol"_s));
    line += ",\"status\":" + QByteArray::number(status) + ",\"body\":" + asJson(body)
            + ",\"t\":" + now() + '}';
    write(line);
}

void FrameRecorder::write(const QByteArray &line)
{
    if (!m_file.isOpen())
        return;
    m_file.write(line);
    m_file.write("\n", 1);
    // A recording is read while the feed runs, and a killed feed keeps what it received.
    m_file.flush();
    ++m_lines;
}

} // namespace tickwire::exchanges
