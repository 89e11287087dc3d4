#include "benchsupport.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QThread>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <sys/resource.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace tickwire::bench {

namespace {

double secondsOf(const timespec &t)
{
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

QByteArray readProcFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll(); // /proc files report size 0: readAll reads to the end
}

} // namespace

Percentiles percentiles(std::vector<double> values)
{
    Percentiles p;
    p.count = qsizetype(values.size());
    if (values.empty())
        return p;
    std::sort(values.begin(), values.end());
    const auto at = [&](double q) {
        const auto rank = std::size_t(std::ceil(q * double(values.size())));
        return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
    };
    p.p50 = at(0.50);
    p.p99 = at(0.99);
    p.p999 = at(0.999);
    p.max = values.back();
    return p;
}

std::int64_t monotonicNs()
{
    timespec t{};
    clock_gettime(CLOCK_MONOTONIC, &t);
    return std::int64_t(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

std::int64_t realtimeUs()
{
    timespec t{};
    clock_gettime(CLOCK_REALTIME, &t);
    return std::int64_t(t.tv_sec) * 1'000'000 + t.tv_nsec / 1000;
}

double threadCpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return secondsOf(t);
}

double processCpuSeconds(qint64 pid)
{
    // Fields 14 and 15 (utime, stime) in clock ticks; the command name (field 2) may contain
    // spaces, so count from the closing parenthesis.
    const QByteArray stat = readProcFile(u"/proc/%1/stat"_s.arg(pid));
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return 0;
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    if (fields.size() < 13)
        return 0;
    const double ticks = double(fields[11].toLongLong() + fields[12].toLongLong());
    return ticks / double(sysconf(_SC_CLK_TCK));
}

double stealSeconds()
{
    // "cpu  user nice system idle iowait irq softirq steal ...", in clock ticks.
    const QByteArray stat = readProcFile(u"/proc/stat"_s);
    const QList<QByteArray> fields = stat.left(stat.indexOf('\n')).simplified().split(' ');
    if (fields.size() < 9 || fields[0] != "cpu")
        return 0;
    return double(fields[8].toLongLong()) / double(sysconf(_SC_CLK_TCK));
}

double stealPercent(double stealBefore, double stealAfter, double wallSeconds)
{
    const double capacity = wallSeconds * std::max(1, onlineCores());
    return capacity > 0 ? 100 * (stealAfter - stealBefore) / capacity : 0;
}

qint64 rssKiB(qint64 pid, QByteArrayView field)
{
    const QByteArray status = readProcFile(u"/proc/%1/status"_s.arg(pid));
    for (const QByteArray &line : status.split('\n')) {
        if (line.startsWith(field) && line.size() > field.size() && line[field.size()] == ':')
            return line.mid(field.size() + 1).trimmed().split(' ').value(0).toLongLong();
    }
    return 0;
}

qint64 ownPid()
{
    return qint64(::getpid());
}

QString cpuModel()
{
    const QByteArray info = readProcFile(u"/proc/cpuinfo"_s);
    for (const QByteArray &line : info.split('\n')) {
        if (line.startsWith("model name")) {
            const qsizetype colon = line.indexOf(':');
            return QString::fromUtf8(line.mid(colon + 1).trimmed());
        }
    }
    return u"unknown"_s;
}

int onlineCores()
{
    return int(sysconf(_SC_NPROCESSORS_ONLN));
}

std::uint64_t raiseFileLimit(std::uint64_t wanted)
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return 0;
    if (limit.rlim_cur < wanted) {
        limit.rlim_cur = std::min<rlim_t>(wanted, limit.rlim_max);
        setrlimit(RLIMIT_NOFILE, &limit);
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    return limit.rlim_cur;
}

double slope(const std::vector<double> &x, const std::vector<double> &y)
{
    const std::size_t n = std::min(x.size(), y.size());
    if (n < 2)
        return 0;
    double mx = 0, my = 0;
    for (std::size_t i = 0; i < n; ++i) {
        mx += x[i];
        my += y[i];
    }
    mx /= double(n);
    my /= double(n);
    double sxy = 0, sxx = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
    }
    return sxx > 0 ? sxy / sxx : 0;
}

void printMachine(const char *benchmark)
{
    double load[3] = {0, 0, 0};
    getloadavg(load, 3);
    std::printf("# %s on %d cores, %s, load average %.2f (1 min) at start\n", benchmark,
                onlineCores(), qUtf8Printable(cpuModel()), load[0]);
    std::fflush(stdout);
}

ServerProcess::ServerProcess() = default;

ServerProcess::~ServerProcess()
{
    stop();
}

qint64 ServerProcess::pid() const
{
    return m_process ? m_process->processId() : 0;
}

bool ServerProcess::start(const QStringList &arguments, QString *error)
{
    stop();
    m_process = std::make_unique<QProcess>();
    m_logFile = QDir::temp().filePath(u"tickwire-bench-server-%1.log"_s.arg(ownPid()));
    m_process->setStandardErrorFile(m_logFile, QIODevice::Append);
    const QString program = QCoreApplication::applicationDirPath() + u"/bench_server"_s;
    m_process->start(program, arguments);
    if (!m_process->waitForStarted(10'000)) {
        *error = u"cannot start %1: %2"_s.arg(program, m_process->errorString());
        return false;
    }
    QByteArray line;
    while (!line.contains('\n')) {
        if (!m_process->waitForReadyRead(30'000)) {
            *error = u"bench_server did not report its port (log: %1)"_s.arg(m_logFile);
            stop();
            return false;
        }
        line += m_process->readAllStandardOutput();
    }
    // "bench_server listening on PORT"
    const QList<QByteArray> words = line.left(line.indexOf('\n')).split(' ');
    bool ok = false;
    m_port = quint16(words.value(3).toUInt(&ok));
    if (!ok || m_port == 0) {
        *error = u"unexpected first line from bench_server: %1"_s.arg(QString::fromUtf8(line));
        stop();
        return false;
    }
    return true;
}

void ServerProcess::command(const QByteArray &line)
{
    if (!m_process)
        return;
    m_process->write(line + '\n');
    m_process->waitForBytesWritten(1000);
}

void ServerProcess::stop()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate(); // SIGTERM: the child stops its server and writes its records
        if (!m_process->waitForFinished(30'000)) {
            m_process->kill();
            m_process->waitForFinished(5'000);
        }
    }
    m_process.reset();
    m_port = 0;
}

} // namespace tickwire::bench
