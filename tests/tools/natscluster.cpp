#include "natscluster.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QStandardPaths>
#include <QtCore/QThread>
#include <QtCore/QUrl>
#include <QtNetwork/QHostAddress>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

using namespace Qt::StringLiterals;

namespace tickwire::testing {

namespace {
constexpr int HttpTimeoutMs = 1'000;
constexpr int PollMs = 100;
constexpr auto ClusterName = "tickwire-test";
} // namespace

NatsCluster::NatsCluster(int nodes)
    : m_program(serverProgram())
{
    m_nodes.resize(std::size_t(nodes));
    for (int i = 0; i < nodes; ++i)
        m_nodes[std::size_t(i)].name = u"n%1"_s.arg(i + 1);
}

NatsCluster::~NatsCluster()
{
    for (int i = 0; i < size(); ++i)
        kill(i);
}

QString NatsCluster::serverProgram()
{
    QString program = QStandardPaths::findExecutable(u"nats-server"_s);
    if (program.isEmpty())
        program = QStandardPaths::findExecutable(u"nats-server"_s,
                                                 {u"/usr/sbin"_s, u"/usr/local/sbin"_s});
    return program;
}

bool NatsCluster::start(int timeoutMs)
{
    if (m_program.isEmpty()) {
        m_error = u"nats-server is not installed"_s;
        return false;
    }
    if (!m_dir.isValid() || m_nodes.empty()) {
        m_error = u"no temporary directory or no nodes"_s;
        return false;
    }
    // All ports at once, each held until all are picked, so no two are the same.
    std::vector<std::unique_ptr<QTcpServer>> holders;
    auto pick = [&holders]() -> quint16 {
        auto server = std::make_unique<QTcpServer>();
        if (!server->listen(QHostAddress::LocalHost, 0))
            return 0;
        const quint16 port = server->serverPort();
        holders.push_back(std::move(server));
        return port;
    };
    for (Node &node : m_nodes) {
        node.clientPort = pick();
        node.clusterPort = pick();
        node.monitorPort = pick();
        if (!node.clientPort || !node.clusterPort || !node.monitorPort) {
            m_error = u"no free loopback port"_s;
            return false;
        }
    }
    holders.clear();

    for (Node &node : m_nodes) {
        const QString store = m_dir.filePath(node.name);
        node.configPath = m_dir.filePath(node.name + u".conf"_s);
        node.logPath = m_dir.filePath(node.name + u".log"_s);
        QString config = uR"(server_name: %1
listen: 127.0.0.1:%2
http: 127.0.0.1:%3
log_file: "%4"
jetstream {
  store_dir: "%5"
  max_memory_store: 64MB
  max_file_store: 1GB
}
)"_s.arg(node.name)
                             .arg(node.clientPort)
                             .arg(node.monitorPort)
                             .arg(node.logPath, store);
        if (m_nodes.size() > 1) {
            QStringList routes;
            for (const Node &other : m_nodes) {
                if (&other != &node)
                    routes << u"nats-route://127.0.0.1:%1"_s.arg(other.clusterPort);
            }
            config += uR"(cluster {
  name: %1
  listen: 127.0.0.1:%2
  no_advertise: true
  routes: [%3]
}
)"_s.arg(QString::fromLatin1(ClusterName))
                          .arg(node.clusterPort)
                          .arg(routes.join(u", "_s));
        }
        QFile file(node.configPath);
        if (!file.open(QIODevice::WriteOnly) || file.write(config.toUtf8()) < 0) {
            m_error = u"cannot write "_s + node.configPath;
            return false;
        }
    }
    for (Node &node : m_nodes) {
        if (!launch(node))
            return false;
    }
    return waitReady(timeoutMs);
}

bool NatsCluster::launch(Node &node)
{
    node.process = std::make_unique<QProcess>();
    node.process->setProgram(m_program);
    node.process->setArguments({u"-c"_s, node.configPath});
    node.process->setProcessChannelMode(QProcess::ForwardedChannels);
    node.process->start();
    if (!node.process->waitForStarted(5'000)) {
        m_error = u"cannot start %1: %2"_s.arg(m_program, node.process->errorString());
        return false;
    }
    return true;
}

QString NatsCluster::logTail(const Node &node) const
{
    QFile file(node.logPath);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray all = file.readAll();
    return QString::fromUtf8(all.right(2'000));
}

bool NatsCluster::waitReady(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    QString notReady;
    while (true) {
        notReady.clear();
        for (int i = 0; i < size(); ++i) {
            if (!isRunning(i)) {
                if (m_nodes[std::size_t(i)].process)
                    notReady = serverName(i) + u" exited"_s;
                continue;
            }
            const QByteArray health = monitor(i, u"/healthz"_s);
            if (!health.contains("\"ok\"")) {
                notReady = serverName(i) + u": "_s + QString::fromUtf8(health);
                break;
            }
            if (size() > 1) {
                const QJsonObject jsz = QJsonDocument::fromJson(monitor(i, u"/jsz"_s)).object();
                if (jsz.value(u"meta_cluster"_s)
                        .toObject()
                        .value(u"leader"_s)
                        .toString()
                        .isEmpty()) {
                    notReady = serverName(i) + u": no meta leader"_s;
                    break;
                }
            }
        }
        if (notReady.isEmpty())
            return true;
        if (deadline.hasExpired())
            break;
        QThread::msleep(PollMs);
    }
    m_error = u"cluster not ready: "_s + notReady;
    for (const Node &node : m_nodes)
        m_error += u"\n--- "_s + node.name + u" log ---\n"_s + logTail(node);
    return false;
}

QStringList NatsCluster::clientUrls() const
{
    QStringList urls;
    for (int i = 0; i < size(); ++i)
        urls << clientUrl(i);
    return urls;
}

QString NatsCluster::clientUrl(int node) const
{
    return u"nats://127.0.0.1:%1"_s.arg(m_nodes.at(std::size_t(node)).clientPort);
}

QString NatsCluster::serverName(int node) const
{
    return m_nodes.at(std::size_t(node)).name;
}

int NatsCluster::nodeOf(const QString &serverName) const
{
    for (int i = 0; i < size(); ++i) {
        if (m_nodes[std::size_t(i)].name == serverName)
            return i;
    }
    return -1;
}

int NatsCluster::nodeOfUrl(const QString &url) const
{
    const int port = QUrl(url).port();
    for (int i = 0; i < size(); ++i) {
        if (m_nodes[std::size_t(i)].clientPort == port)
            return i;
    }
    return -1;
}

bool NatsCluster::isRunning(int node) const
{
    const Node &n = m_nodes.at(std::size_t(node));
    return n.process && n.process->state() == QProcess::Running;
}

qint64 NatsCluster::processId(int node) const
{
    return isRunning(node) ? m_nodes.at(std::size_t(node)).process->processId() : 0;
}

void NatsCluster::kill(int node)
{
    Node &n = m_nodes.at(std::size_t(node));
    if (n.process && n.process->state() != QProcess::NotRunning) {
        n.process->kill();
        n.process->waitForFinished(5'000);
    }
    n.process.reset(); // down on purpose: the cluster is ready without it
}

bool NatsCluster::restart(int node, int timeoutMs)
{
    kill(node);
    if (!launch(m_nodes.at(std::size_t(node))))
        return false;
    return waitReady(timeoutMs);
}

QByteArray NatsCluster::monitor(int node, const QString &pathAndQuery) const
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_nodes.at(std::size_t(node)).monitorPort);
    if (!socket.waitForConnected(HttpTimeoutMs))
        return {};
    socket.write("GET " + pathAndQuery.toUtf8() + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    QByteArray response;
    const QDeadlineTimer deadline(HttpTimeoutMs);
    while (socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
        if (socket.waitForReadyRead(int(deadline.remainingTime())))
            response += socket.readAll();
    }
    response += socket.readAll();
    const qsizetype body = response.indexOf("\r\n\r\n");
    return body < 0 ? QByteArray() : response.mid(body + 4);
}

QString NatsCluster::streamLeader(const QString &stream) const
{
    for (int i = 0; i < size(); ++i) {
        if (!isRunning(i))
            continue;
        const QJsonObject jsz =
            QJsonDocument::fromJson(monitor(i, u"/jsz?streams=true"_s)).object();
        const QJsonArray accounts = jsz.value(u"account_details"_s).toArray();
        for (const auto &account : accounts) {
            const QJsonArray streams = account.toObject().value(u"stream_detail"_s).toArray();
            for (const auto &s : streams) {
                const QJsonObject o = s.toObject();
                if (o.value(u"name"_s).toString() != stream)
                    continue;
                QString leader = o.value(u"cluster"_s).toObject().value(u"leader"_s).toString();
                if (!leader.isEmpty())
                    return leader;
            }
        }
    }
    return {};
}

} // namespace tickwire::testing
