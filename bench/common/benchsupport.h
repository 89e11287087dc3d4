#pragma once

#include <QtCore/QByteArrayView>

#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <cstdint>
#include <memory>
#include <vector>

class QProcess;

// Small helpers every benchmark shares: clocks, /proc readers, percentiles, the bench_server
// child process. Linux only (the benchmarks read /proc).
namespace tickwire::bench {

struct Percentiles
{
    qsizetype count = 0;
    double p50 = 0;
    double p99 = 0;
    double p999 = 0;
    double max = 0;
};
// Nearest-rank percentiles; `values` is taken by value because it is sorted.
[[nodiscard]] Percentiles percentiles(std::vector<double> values);

// CLOCK_MONOTONIC is one clock for every process of the machine: two processes can compare it.
[[nodiscard]] std::int64_t monotonicNs();
[[nodiscard]] std::int64_t realtimeUs();
// CPU time (user + system) of the calling thread, in seconds.
[[nodiscard]] double threadCpuSeconds();
// CPU time (user + system, all threads) of a process from /proc/<pid>/stat, in seconds.
[[nodiscard]] double processCpuSeconds(qint64 pid);
// CPU time the hypervisor gave to others while this machine's virtual CPUs wanted to run
// ("steal", all CPUs together, from /proc/stat), in seconds; 0 on bare metal. On a shared VM
// it is what makes a run's latency tail or throughput worse than the code's: every benchmark
// prints it beside its figures.
[[nodiscard]] double stealSeconds();
// The share of the machine's CPU time (all cores) stolen between two stealSeconds() readings
// `wallSeconds` apart, in percent.
[[nodiscard]] double stealPercent(double stealBefore, double stealAfter, double wallSeconds);
// Resident set size of a process, KiB, from a field of /proc/<pid>/status: VmRSS (all),
// RssAnon (heap, stacks) or RssFile (mapped files: the code and data pages of the binaries
// that have been touched); 0 when unreadable.
[[nodiscard]] qint64 rssKiB(qint64 pid, QByteArrayView field = "VmRSS");
[[nodiscard]] qint64 ownPid();

[[nodiscard]] QString cpuModel();
[[nodiscard]] int onlineCores();
// Raises the soft RLIMIT_NOFILE towards `wanted` (capped by the hard limit); returns the result.
std::uint64_t raiseFileLimit(std::uint64_t wanted);

// Least-squares slope of y over x.
[[nodiscard]] double slope(const std::vector<double> &x, const std::vector<double> &y);

// The machine line every benchmark prints first.
void printMachine(const char *benchmark);

// bench_server in a child process. start() waits for its "bench_server listening on PORT" line;
// stop() sends SIGTERM and waits, so the child can write what it recorded. Its stderr (the
// server's log) goes to a file in the temp folder.
class ServerProcess
{
public:
    ServerProcess();
    ~ServerProcess();
    ServerProcess(const ServerProcess &) = delete;
    ServerProcess &operator=(const ServerProcess &) = delete;

    [[nodiscard]] bool start(const QStringList &arguments, QString *error);
    void stop();
    // Writes one command line to the child's stdin (script mode: "rate N").
    void command(const QByteArray &line);
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] qint64 pid() const;
    [[nodiscard]] QString logFile() const { return m_logFile; }

private:
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    QString m_logFile;
};

} // namespace tickwire::bench
