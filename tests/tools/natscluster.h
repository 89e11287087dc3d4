// NatsCluster: real nats-server processes (1 or 3 nodes, JetStream on) on 127.0.0.1 for tests.
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QProcess>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QTemporaryDir>

#include <memory>
#include <vector>

namespace tickwire::testing {

// Every port (client, cluster, monitoring) is a free loopback port picked at start; each node
// keeps its config, log and JetStream store in one temporary directory, so a restarted node
// comes back on the same ports and store. The processes are killed in the destructor.
class NatsCluster
{
public:
    explicit NatsCluster(int nodes);
    ~NatsCluster();
    NatsCluster(const NatsCluster &) = delete;
    NatsCluster &operator=(const NatsCluster &) = delete;

    // nats-server from PATH (or /usr/sbin, where Debian puts it); empty when not installed.
    [[nodiscard]] static QString serverProgram();

    // Writes the configs, starts every node and waits until the cluster is ready.
    [[nodiscard]] bool start(int timeoutMs = 20'000);
    [[nodiscard]] QString errorString() const { return m_error; }

    [[nodiscard]] int size() const { return int(m_nodes.size()); }
    // nats://127.0.0.1:port of every node, in node order.
    [[nodiscard]] QStringList clientUrls() const;
    [[nodiscard]] QString clientUrl(int node) const;
    [[nodiscard]] QString serverName(int node) const; // "n1", "n2", ...
    [[nodiscard]] int nodeOf(const QString &serverName) const; // -1 when unknown
    // The node whose client port is in url ("nats://127.0.0.1:port"), or -1.
    [[nodiscard]] int nodeOfUrl(const QString &url) const;
    [[nodiscard]] bool isRunning(int node) const;
    // The node's process id while it runs, else 0 (for /proc/<pid> measurements).
    [[nodiscard]] qint64 processId(int node) const;

    // SIGKILL: nothing flushed, no goodbye to the cluster. Waits for the process to end.
    // waitReady() leaves a killed node out until it is restarted.
    void kill(int node);
    // Starts a killed node again on its ports and store, and waits until the cluster is ready.
    [[nodiscard]] bool restart(int node, int timeoutMs = 20'000);
    // Every running node answers /healthz with ok (JetStream current, a meta leader known).
    [[nodiscard]] bool waitReady(int timeoutMs);

    // GET of a monitoring path ("/jsz?streams=true") on a node; empty on failure.
    [[nodiscard]] QByteArray monitor(int node, const QString &pathAndQuery) const;
    // The server name of the stream's leader as the running nodes report it; empty if none.
    [[nodiscard]] QString streamLeader(const QString &stream) const;

private:
    struct Node
    {
        QString name;
        quint16 clientPort = 0;
        quint16 clusterPort = 0;
        quint16 monitorPort = 0;
        QString configPath;
        QString logPath;
        std::unique_ptr<QProcess> process;
    };
    [[nodiscard]] bool launch(Node &node);
    [[nodiscard]] QString logTail(const Node &node) const;

    QTemporaryDir m_dir;
    std::vector<Node> m_nodes;
    QString m_program;
    QString m_error;
};

} // namespace tickwire::testing
