// ExchangeReplayServer: a scripted stand-in for an exchange's WebSocket and REST endpoints on
// one loopback port, for offline tests of exchange adapters.
#pragma once

#include <QtCore/QHash>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QUrl>

class QTcpServer;
class QTcpSocket;
class QWebSocket;
class QWebSocketServer;

namespace tickwire::testing {

// Listens on 127.0.0.1 port 0. A request with `Upgrade: websocket` becomes a WebSocket
// connection; any other is a plain HTTP GET answered from the script. The script is NDJSON:
//   {"rest":"/api/v3/depth","symbol":"BTCUSDT","body":{…}}   responses per path (and `symbol`
//       query item when given), served in order; the last one repeats; `status` sets the code
//   {"ws":1,"send":{…}}        the Nth WebSocket connection gets this text frame, byte for byte
//                              as written in the fixture (numbers keep their exact text)
//   {"ws":1,"ping":"payload"}  a ping frame with that payload
//   {"ws":1,"wait":"rest","count":2}   continue once 2 REST requests were served in total
//   {"ws":1,"wait":"release"}  continue once the test calls release()
//   {"ws":1,"wait":"message","contains":"\"book\""}   continue once the client sent a text
//       message (on this connection, not yet matched by an earlier wait) containing that text;
//       without "contains", any message
//   {"ws":1,"close":1001}      close the connection with that code
// Lines whose only keys start with "_" are comments.
class ExchangeReplayServer : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExchangeReplayServer)

public:
    explicit ExchangeReplayServer(QObject *parent = nullptr);
    ~ExchangeReplayServer() override;

    [[nodiscard]] bool load(const QString &path, QString *error);
    [[nodiscard]] bool listen();
    [[nodiscard]] quint16 port() const;
    [[nodiscard]] QUrl webSocketUrl() const; // ws://127.0.0.1:P
    [[nodiscard]] QUrl restUrl() const; // http://127.0.0.1:P

    void release();

    [[nodiscard]] int connectionCount() const { return int(m_connections.size()); }
    // Path and query of every REST request, in order.
    [[nodiscard]] QStringList restRequests() const { return m_restRequests; }
    // The request URL (path and query) of each WebSocket connection.
    [[nodiscard]] QStringList webSocketRequests() const { return m_webSocketRequests; }
    // The text messages the client sent on connection `number` (1-based), in order.
    [[nodiscard]] QStringList receivedMessages(int number) const;

Q_SIGNALS:
    void connectionOpened(int number);
    void restServed(const QString &pathAndQuery);
    void pongReceived(const QByteArray &payload);
    void messageReceived(int connection, const QString &text);
    void scriptFinished(int connection);

private:
    struct Step
    {
        QJsonObject json;
        QByteArray raw; // the exact text of "send", when there is one
    };
    struct Connection
    {
        QWebSocket *socket = nullptr;
        qsizetype next = 0; // index into its steps
        QStringList received{};
        qsizetype matched = 0; // received messages a "message" wait has consumed
    };
    void onTcpConnection();
    void onHttp(QTcpSocket *socket);
    void onWebSocket();
    void advance(int number);

    QTcpServer *m_tcp = nullptr;
    QWebSocketServer *m_webSockets = nullptr;
    QHash<QString, QList<QJsonObject>> m_rest; // "path" or "path?symbol=X" -> responses
    QHash<QString, qsizetype> m_restServed;
    QHash<int, QList<Step>> m_steps; // connection number -> steps
    QList<Connection> m_connections;
    QStringList m_restRequests;
    QStringList m_webSocketRequests;
    int m_releases = 0;
};

} // namespace tickwire::testing
