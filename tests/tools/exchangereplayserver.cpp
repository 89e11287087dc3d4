#include "exchangereplayserver.h"

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QUrlQuery>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketServer>

namespace tickwire::testing {

using namespace Qt::StringLiterals;

namespace {

// The end of the JSON value that starts at `from` (after whitespace), or -1. Only finds the
// extent: the line has already been validated by QJsonDocument.
qsizetype valueEnd(QByteArrayView line, qsizetype from)
{
    int depth = 0;
    bool inString = false;
    for (qsizetype i = from; i < line.size(); ++i) {
        const char c = line[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            if (!inString && depth == 0)
                return i + 1;
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            break;
        case '{':
        case '[':
            ++depth;
            break;
        case '}':
        case ']':
            if (--depth == 0)
                return i + 1;
            if (depth < 0)
                return i;
            break;
        case ',':
            if (depth == 0)
                return i;
            break;
        default:
            break;
        }
    }
    return -1;
}

// The exact text of the top-level object's member `key` in `line`, so that a fixture's
// numbers reach the client as written (QJsonDocument would re-print them from a double).
QByteArray rawMember(QByteArrayView line, QByteArrayView key)
{
    const QByteArray quoted = '"' + key.toByteArray() + "\":";
    // Top-level members only: count the depth up to each candidate.
    qsizetype at = 0;
    while ((at = line.indexOf(quoted, at)) >= 0) {
        int depth = 0;
        bool inString = false;
        for (qsizetype i = 0; i < at; ++i) {
            const char c = line[i];
            if (inString) {
                if (c == '\\')
                    ++i;
                else if (c == '"')
                    inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                --depth;
            }
        }
        if (depth == 1 && !inString) {
            qsizetype begin = at + quoted.size();
            while (begin < line.size() && (line[begin] == ' ' || line[begin] == '\t'))
                ++begin;
            const qsizetype end = valueEnd(line, begin);
            if (end > begin)
                return line.sliced(begin, end - begin).toByteArray().trimmed();
        }
        at += quoted.size();
    }
    return {};
}

} // namespace

ExchangeReplayServer::ExchangeReplayServer(QObject *parent)
    : QObject(parent)
    , m_tcp(new QTcpServer(this))
    , m_webSockets(new QWebSocketServer(u"replay"_s, QWebSocketServer::NonSecureMode, this))
{
    connect(m_tcp, &QTcpServer::newConnection, this, &ExchangeReplayServer::onTcpConnection);
    connect(m_webSockets, &QWebSocketServer::newConnection, this,
            &ExchangeReplayServer::onWebSocket);
}

ExchangeReplayServer::~ExchangeReplayServer() = default;

bool ExchangeReplayServer::load(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"cannot open %1"_s.arg(path);
        return false;
    }
    int lineNumber = 0;
    for (const QByteArray &line : file.readAll().split('\n')) {
        ++lineNumber;
        if (line.trimmed().isEmpty())
            continue;
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        if (!doc.isObject()) {
            *error = u"%1:%2: not a JSON object"_s.arg(path).arg(lineNumber);
            return false;
        }
        const QJsonObject step = doc.object();
        if (step.contains("rest"_L1)) {
            QString key = step.value("rest"_L1).toString();
            if (step.contains("symbol"_L1))
                key += u"?symbol="_s + step.value("symbol"_L1).toString();
            m_rest[key].append(step);
        } else if (step.contains("ws"_L1)) {
            QByteArray raw;
            if (step.contains("send"_L1)) {
                raw = rawMember(line.trimmed(), "send");
                if (raw.isEmpty()) {
                    *error = u"%1:%2: cannot find the text of \"send\""_s.arg(path).arg(lineNumber);
                    return false;
                }
            }
            m_steps[step.value("ws"_L1).toInt()].append(Step{step, raw});
        } else if (const QStringList keys = step.keys();
                   !std::all_of(keys.cbegin(), keys.cend(),
                                [](const QString &k) { return k.startsWith(u'_'); })) {
            *error = u"%1:%2: neither rest nor ws"_s.arg(path).arg(lineNumber);
            return false;
        }
    }
    return true;
}

bool ExchangeReplayServer::listen()
{
    return m_tcp->listen(QHostAddress::LocalHost, 0);
}

quint16 ExchangeReplayServer::port() const
{
    return m_tcp->serverPort();
}

QUrl ExchangeReplayServer::webSocketUrl() const
{
    return QUrl(u"ws://127.0.0.1:%1"_s.arg(port()));
}

QUrl ExchangeReplayServer::restUrl() const
{
    return QUrl(u"http://127.0.0.1:%1"_s.arg(port()));
}

void ExchangeReplayServer::release()
{
    ++m_releases;
    for (int i = 0; i < m_connections.size(); ++i)
        advance(i + 1);
}

QStringList ExchangeReplayServer::receivedMessages(int number) const
{
    if (number < 1 || number > m_connections.size())
        return {};
    return m_connections[number - 1].received;
}

void ExchangeReplayServer::onTcpConnection()
{
    while (QTcpSocket *socket = m_tcp->nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
            const QByteArray head = socket->peek(64 * 1024);
            if (!head.contains("\r\n\r\n"))
                return; // the head is not complete yet
            socket->disconnect(this);
            if (head.toLower().contains("upgrade: websocket"))
                m_webSockets->handleConnection(socket);
            else
                onHttp(socket);
        });
    }
}

void ExchangeReplayServer::onHttp(QTcpSocket *socket)
{
    const QByteArray head = socket->readAll();
    const QList<QByteArray> requestLine = head.left(head.indexOf("\r\n")).split(' ');
    const QString target = requestLine.size() >= 2 ? QString::fromUtf8(requestLine[1]) : QString();
    m_restRequests.append(target);
    const QUrl url(u"http://x"_s + target);
    QString key = url.path();
    const QUrlQuery query(url);
    if (query.hasQueryItem(u"symbol"_s)
        && m_rest.contains(key + u"?symbol="_s + query.queryItemValue(u"symbol"_s)))
        key += u"?symbol="_s + query.queryItemValue(u"symbol"_s);
    int status = 404;
    QByteArray body = R"({"code":-1121,"msg":"Invalid symbol."})";
    const auto responses = m_rest.constFind(key);
    if (responses != m_rest.cend() && !responses->isEmpty()) {
        const qsizetype served = m_restServed.value(key);
        const QJsonObject &r = responses->at(std::min(served, responses->size() - 1));
        m_restServed[key] = served + 1;
        status = r.value("status"_L1).toInt(200);
        const QJsonValue b = r.value("body"_L1);
        body = b.isObject() ? QJsonDocument(b.toObject()).toJson(QJsonDocument::Compact)
                            : QJsonDocument(b.toArray()).toJson(QJsonDocument::Compact);
    }
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status)
                          + " X\r\n"
                            "Content-Type: application/json\r\nConnection: close\r\n"
                            "Content-Length: "
                          + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    socket->write(response);
    socket->disconnectFromHost();
    Q_EMIT restServed(target);
    for (int i = 0; i < m_connections.size(); ++i)
        advance(i + 1);
}

void ExchangeReplayServer::onWebSocket()
{
    while (QWebSocket *socket = m_webSockets->nextPendingConnection()) {
        socket->setParent(this);
        m_connections.append(Connection{.socket = socket});
        const int number = int(m_connections.size());
        m_webSocketRequests.append(socket->requestUrl().path() + u'?'
                                   + socket->requestUrl().query());
        connect(socket, &QWebSocket::pong, this,
                [this](quint64, const QByteArray &payload) { Q_EMIT pongReceived(payload); });
        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, number](const QString &text) {
                    m_connections[number - 1].received.append(text);
                    Q_EMIT messageReceived(number, text);
                    advance(number);
                });
        connect(socket, &QWebSocket::disconnected, this,
                [this, number] { m_connections[number - 1].socket = nullptr; });
        Q_EMIT connectionOpened(number);
        advance(number);
    }
}

void ExchangeReplayServer::advance(int number)
{
    Connection &c = m_connections[number - 1];
    const QList<Step> steps = m_steps.value(number);
    while (c.socket && c.next < steps.size()) {
        const QJsonObject &step = steps[c.next].json;
        const QString wait = step.value("wait"_L1).toString();
        if (wait == "rest"_L1 && m_restRequests.size() < step.value("count"_L1).toInt())
            return;
        if (wait == "release"_L1) {
            if (m_releases == 0)
                return;
            --m_releases; // one release per wait step
        }
        if (wait == "message"_L1) {
            const QString needle = step.value("contains"_L1).toString();
            qsizetype found = -1;
            for (qsizetype i = c.matched; i < c.received.size() && found < 0; ++i) {
                if (c.received[i].contains(needle))
                    found = i;
            }
            if (found < 0)
                return;
            c.matched = found + 1;
        }
        ++c.next;
        if (step.contains("send"_L1)) {
            c.socket->sendTextMessage(QString::fromUtf8(steps[c.next - 1].raw));
        } else if (step.contains("ping"_L1)) {
            c.socket->ping(step.value("ping"_L1).toString().toUtf8());
        } else if (step.contains("close"_L1)) {
            c.socket->close(QWebSocketProtocol::CloseCode(step.value("close"_L1).toInt()));
            return;
        }
    }
    if (c.socket && c.next == steps.size()) {
        ++c.next;
        Q_EMIT scriptFinished(number);
    }
}

} // namespace tickwire::testing
