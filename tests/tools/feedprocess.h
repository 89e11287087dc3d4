// FeedProcess: one real tickwire-feed child process on 127.0.0.1 for integration tests.
#pragma once

#include <QtCore/QProcess>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QUrl>

#include <memory>

namespace tickwire::testing {

class FeedProcess
{
public:
    explicit FeedProcess(QString program);
    ~FeedProcess();
    FeedProcess(const FeedProcess &) = delete;
    FeedProcess &operator=(const FeedProcess &) = delete;

    // Starts the server listening on 127.0.0.1:port (0: any free port) with the given extra
    // arguments, and waits for its "listening on" line to learn the port it bound.
    [[nodiscard]] bool start(const QStringList &arguments, quint16 port = 0);
    // SIGKILL: no clean shutdown, nothing flushed. Waits for the process to end.
    void kill();

    [[nodiscard]] quint16 port() const { return m_port; }
    // The child's process id while it runs, else 0 (for /proc/<pid> measurements).
    [[nodiscard]] qint64 processId() const { return m_process ? m_process->processId() : 0; }
    // ws://127.0.0.1:port/, with ?token=… when a token is given.
    [[nodiscard]] QUrl url(const QString &token = {}) const;
    // What the process printed on stdout up to the listening line; for failure messages.
    [[nodiscard]] QString banner() const { return m_banner; }

private:
    QString m_program;
    std::unique_ptr<QProcess> m_process;
    QString m_banner;
    quint16 m_port = 0;
};

} // namespace tickwire::testing
