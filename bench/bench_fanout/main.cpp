// bench_fanout: messages delivered per second, server CPU and end-to-end latency of the feed
// server on loopback with 1, 100 and 1000 clients subscribed to ticker + trades of 20
// symbols, next to a bare Qt WebSockets server broadcasting the same pre-encoded frames (the
// ceiling), in both encodings; then latency at about 10,000 msgs/s to one client.
//
// The server runs in a child process (bench_server) so its CPU time is its own; the clients
// are raw epoll sockets on this process's single thread. Latency: the child records the
// CLOCK_MONOTONIC time at which the engine published each ticker and trade, the clients the
// time read() returned its bytes; both processes share that clock. The protocol's own `ts`
// (whole milliseconds, wall clock) gives a second, coarser figure for tickers.
//
// --gateways adds the scaled-out service beside the single process, in the same invocation:
// one nats-server, bench_server --mode engine and one or two bench_server --mode gateway, the
// clients spread over the gateways (docs/scale-out.md).
#include "benchsupport.h"
#include "server/instruments.h"
#include "rawclientfleet.h"
#ifdef TICKWIRE_BENCH_GATEWAYS
#include "natscluster.h"
#endif

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFile>

#include <algorithm>
#include <cstdio>
#include <cstring>

using namespace Qt::StringLiterals;
using namespace tickwire;
using bench::RawClientFleet;

namespace {

enum class ServerKind { Feed, Baseline, BaselineFrames };

const char *serverName(ServerKind kind)
{
    switch (kind) {
    case ServerKind::Feed:
        return "tickwire";
    case ServerKind::Baseline:
        return "baseline";
    case ServerKind::BaselineFrames:
        return "baseline (frames)";
    }
    return "";
}

struct RunSpec
{
    ServerKind kind = ServerKind::Feed;
    protocol::Encoding encoding = protocol::Encoding::Json;
    int clients = 1;
    double rate = 100; // trades per second per instrument
    int tickMs = 100;
    int workers = 2;
    int warmupMs = 1000;
    int durationMs = 4000;
    int gateways = 0; // > 0: the engine and this many gateways on NATS instead of one process
};

struct RunResult
{
    bool ok = false;
    QString error;
    int welcomed = 0;
    int closed = 0;
    double seconds = 0;
    RawClientFleet::Counters counters;
    double serverCpuPercent = 0; // the serving processes: the server, or every gateway
    double engineCpuPercent = 0; // through gateways
    double natsCpuPercent = 0; // through gateways
    double clientCpuPercent = 0;
    double stealPercent = 0; // of the machine's CPU time, while measuring
    bench::Percentiles latencyUs; // publish -> receipt, precise
    bench::Percentiles tickerTsMs; // protocol ts -> receipt, tickers only
};

struct PublishRecord
{
    std::uint64_t key;
    std::int64_t publishedNs;
};

QStringList benchSymbols(int count)
{
    QStringList symbols;
    for (const server::Instrument &i : server::defaultInstruments().instruments.mid(0, count))
        symbols.append(i.info.symbol);
    return symbols;
}

std::vector<PublishRecord> loadRecords(const QString &path)
{
    QFile file(path);
    std::vector<PublishRecord> records;
    if (!file.open(QIODevice::ReadOnly))
        return records;
    const QByteArray bytes = file.readAll();
    records.resize(std::size_t(bytes.size()) / sizeof(PublishRecord));
    std::memcpy(records.data(), bytes.constData(), records.size() * sizeof(PublishRecord));
    std::sort(records.begin(), records.end(),
              [](const PublishRecord &a, const PublishRecord &b) { return a.key < b.key; });
    return records;
}

void joinLatency(const std::vector<PublishRecord> &records,
                 const std::vector<RawClientFleet::Sample> &samples, RunResult *result)
{
    std::vector<double> precise;
    std::vector<double> coarse;
    precise.reserve(samples.size());
    for (const RawClientFleet::Sample &s : samples) {
        if (s.ticker)
            coarse.push_back(double(s.receivedUs - s.tsMs * 1000) / 1000.0);
        const auto it =
            std::lower_bound(records.begin(), records.end(), s.key,
                             [](const PublishRecord &r, std::uint64_t key) { return r.key < key; });
        if (it != records.end() && it->key == s.key)
            precise.push_back(double(s.receivedNs - it->publishedNs) / 1000.0);
    }
    result->latencyUs = bench::percentiles(std::move(precise));
    result->tickerTsMs = bench::percentiles(std::move(coarse));
}

QStringList serverArguments(const RunSpec &spec, const QString &mode)
{
    return {u"--mode"_s,    mode,
            u"--rate"_s,    QString::number(spec.rate),
            u"--workers"_s, QString::number(spec.workers),
            u"--tick-ms"_s, QString::number(spec.tickMs),
            u"--symbols"_s, u"20"_s};
}

RunResult runOnce(const RunSpec &spec)
{
    RunResult result;
    const QString recordFile =
        QDir::temp().filePath(u"tickwire-bench-publish-%1.bin"_s.arg(bench::ownPid()));
    QFile::remove(recordFile);
    const QString mode = spec.kind == ServerKind::Feed       ? u"feed"_s
                         : spec.kind == ServerKind::Baseline ? u"baseline"_s
                                                             : u"baseline-frames"_s;
    // The processes that serve the clients (one, or the gateways), and behind gateways the
    // engine (which records publish times) and NATS.
    std::vector<std::unique_ptr<bench::ServerProcess>> serving;
    std::unique_ptr<bench::ServerProcess> engine;
#ifdef TICKWIRE_BENCH_GATEWAYS
    std::unique_ptr<testing::NatsCluster> nats;
#endif
    if (spec.gateways > 0) {
#ifdef TICKWIRE_BENCH_GATEWAYS
        nats = std::make_unique<testing::NatsCluster>(1);
        if (!nats->start()) {
            result.error = nats->errorString();
            return result;
        }
        engine = std::make_unique<bench::ServerProcess>();
        if (!engine->start(serverArguments(spec, u"engine"_s)
                               << u"--nats"_s << nats->clientUrl(0) << u"--record"_s << recordFile,
                           &result.error))
            return result;
        for (int i = 0; i < spec.gateways; ++i) {
            serving.push_back(std::make_unique<bench::ServerProcess>());
            if (!serving.back()->start(serverArguments(spec, u"gateway"_s)
                                           << u"--nats"_s << nats->clientUrl(0),
                                       &result.error))
                return result;
        }
#else
        result.error = u"built without the NATS backplane or the test tools"_s;
        return result;
#endif
    } else {
        QStringList arguments = serverArguments(spec, mode);
        if (spec.kind == ServerKind::Feed)
            arguments << u"--record"_s << recordFile;
        serving.push_back(std::make_unique<bench::ServerProcess>());
        if (!serving.back()->start(arguments, &result.error))
            return result;
    }
    const auto servingCpu = [&serving] {
        double seconds = 0;
        for (const auto &process : serving)
            seconds += bench::processCpuSeconds(process->pid());
        return seconds;
    };
    const auto otherCpu = [&] {
        std::pair<double, double> seconds{0, 0};
        if (engine)
            seconds.first = bench::processCpuSeconds(engine->pid());
#ifdef TICKWIRE_BENCH_GATEWAYS
        if (nats)
            seconds.second = bench::processCpuSeconds(nats->processId(0));
#endif
        return seconds;
    };

    RawClientFleet::Options options;
    for (const auto &process : serving)
        options.ports.append(process->port());
    options.encoding = spec.encoding;
    options.symbols = benchSymbols(20);
    RawClientFleet fleet(options);
    result.welcomed = fleet.connect(spec.clients, 120'000);
    fleet.run(spec.warmupMs);
    fleet.resetCounters();

    const double serverCpu0 = servingCpu();
    const auto other0 = otherCpu();
    const double clientCpu0 = bench::processCpuSeconds(bench::ownPid());
    const double steal0 = bench::stealSeconds();
    const std::int64_t t0 = bench::monotonicNs();
    fleet.run(spec.durationMs);
    const std::int64_t t1 = bench::monotonicNs();
    const double steal1 = bench::stealSeconds();
    const double serverCpu1 = servingCpu();
    const auto other1 = otherCpu();
    const double clientCpu1 = bench::processCpuSeconds(bench::ownPid());

    result.seconds = double(t1 - t0) / 1e9;
    result.counters = fleet.counters();
    result.closed = fleet.closed();
    result.serverCpuPercent = 100 * (serverCpu1 - serverCpu0) / result.seconds;
    result.engineCpuPercent = 100 * (other1.first - other0.first) / result.seconds;
    result.natsCpuPercent = 100 * (other1.second - other0.second) / result.seconds;
    result.clientCpuPercent = 100 * (clientCpu1 - clientCpu0) / result.seconds;
    result.stealPercent = bench::stealPercent(steal0, steal1, result.seconds);
    const std::vector<RawClientFleet::Sample> samples = fleet.takeSamples();
    fleet.closeAll();
    for (const auto &process : serving)
        process->stop();
    if (engine)
        engine->stop();
    if (spec.kind == ServerKind::Feed) {
        joinLatency(loadRecords(recordFile), samples, &result);
        QFile::remove(recordFile);
    }
    result.ok = true;
    return result;
}

// What the feed server is asked to send: every trade and ticker of the 20 symbols to every
// client (a ticker at most once per step). The baseline has no offered rate: it sends its
// recorded frames as fast as the sockets take them.
double offeredMessagesPerSecond(const RunSpec &spec)
{
    return double(spec.clients) * 20 * (spec.rate + 1000.0 / spec.tickMs);
}

const char *encodingName(protocol::Encoding e)
{
    return e == protocol::Encoding::Json ? "json" : "cbor";
}

void printRow(const RunSpec &spec, const RunResult &r)
{
    if (!r.ok) {
        std::printf("| %s | %d | %s | error: %s |\n", encodingName(spec.encoding), spec.clients,
                    serverName(spec.kind), qUtf8Printable(r.error));
        return;
    }
    const double msgs = double(r.counters.messages) / r.seconds;
    const double mb = double(r.counters.bytes) / r.seconds / 1e6;
    if (spec.kind == ServerKind::Feed) {
        std::printf(
            "| %s | %d | tickwire | %.0f | %.0f | %.0f | %.1f | %.0f | %.0f | %.0f / %.0f / "
            "%.0f | %.1f / %.1f | %d/%d | %llu | %.1f |\n",
            encodingName(spec.encoding), spec.clients, spec.rate, offeredMessagesPerSecond(spec),
            msgs, mb, r.serverCpuPercent, r.clientCpuPercent, r.latencyUs.p50, r.latencyUs.p99,
            r.latencyUs.p999, r.tickerTsMs.p50, r.tickerTsMs.p99, r.welcomed, r.closed,
            static_cast<unsigned long long>(r.counters.snapshots), r.stealPercent);
    } else {
        std::printf("| %s | %d | %s | %.0f | unbounded | %.0f | %.1f | %.0f | %.0f | – | – | "
                    "%d/%d | – | %.1f |\n",
                    encodingName(spec.encoding), spec.clients, serverName(spec.kind), spec.rate,
                    msgs, mb, r.serverCpuPercent, r.clientCpuPercent, r.welcomed, r.closed,
                    r.stealPercent);
    }
    std::fflush(stdout);
}

QList<int> intList(const QString &text)
{
    QList<int> out;
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts))
        out.append(part.trimmed().toInt());
    return out;
}

// Trades per second per instrument for each client count, chosen on the 2-core machine of
// docs/performance.md: one client is bound by the engine (simulating and encoding every event
// of 22 instruments), which keeps up to about 10,000; with 100 and 1000 clients the offered
// load (20 symbols x (rate + 10 tickers) x clients, about 10 M msgs/s for both) is well above
// what either server sends (2-4.5 M msgs/s there), so the ratio measures capacity, not the
// offer.
double defaultRate(int clients)
{
    if (clients <= 1)
        return 10'000;
    if (clients <= 100)
        return 5'000;
    return 500;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Fan-out throughput, server CPU and latency."_s);
    parser.addHelpOption();
    const QCommandLineOption clients(u"clients"_s, u"Client counts (comma-separated)."_s, u"list"_s,
                                     u"1,100,1000"_s);
    const QCommandLineOption encodings(u"encodings"_s, u"json, cbor or json,cbor."_s, u"list"_s,
                                       u"json,cbor"_s);
    const QCommandLineOption duration(u"duration"_s, u"Measured milliseconds per run."_s, u"ms"_s,
                                      u"4000"_s);
    const QCommandLineOption warmup(u"warmup"_s, u"Milliseconds before measuring."_s, u"ms"_s,
                                    u"1000"_s);
    const QCommandLineOption rate(u"rate"_s,
                                  u"Trades/s per instrument for every run (default: 10000, 5000 "
                                  "and 500 for up to 1, 100 and more clients). The feed server "
                                  "is offered clients x 20 symbols x (rate + 10 tickers/s) "
                                  "msgs/s, printed as 'offered'; the baseline sends its "
                                  "recorded frames as fast as the sockets take them."_s,
                                  u"n"_s);
    const QCommandLineOption workers(u"workers"_s, u"Server worker threads."_s, u"n"_s, u"2"_s);
    const QCommandLineOption skipFanout(u"skip-fanout"_s, u"Only the latency runs."_s);
    const QCommandLineOption skipLatency(u"skip-latency"_s, u"Only the fan-out runs."_s);
    const QCommandLineOption gateways(
        u"gateways"_s, u"Also the same fan-out through one and two gateways of an engine on NATS "
                       "(nats-server), beside the single process."_s);
    parser.addOptions(
        {clients, encodings, duration, warmup, rate, workers, skipFanout, skipLatency, gateways});
    parser.process(app);

    bench::printMachine("bench_fanout");
    QList<protocol::Encoding> encodingList;
    for (const QString &e : parser.value(encodings).split(u','))
        encodingList.append(e.trimmed() == u"cbor"_s ? protocol::Encoding::Cbor
                                                     : protocol::Encoding::Json);

    // A fan-out run of `clients` clients as the options ask.
    const auto fanoutSpec = [&](protocol::Encoding encoding, int clientCount) {
        RunSpec spec;
        spec.encoding = encoding;
        spec.clients = clientCount;
        spec.rate = parser.isSet(rate) ? parser.value(rate).toDouble() : defaultRate(clientCount);
        spec.workers = parser.value(workers).toInt();
        spec.durationMs = parser.value(duration).toInt();
        spec.warmupMs = parser.value(warmup).toInt();
        return spec;
    };

    if (!parser.isSet(skipFanout)) {
        std::printf("\n## Fan-out: ticker + trades of 20 symbols per client, %s ms measured\n\n",
                    qUtf8Printable(parser.value(duration)));
        std::printf("| enc | clients | server | trades/s/instr | offered msgs/s | delivered msgs/s "
                    "| MB/s | "
                    "server CPU %% | client CPU %% | latency p50 / p99 / p99.9 µs | ticker ts "
                    "p50 / p99 ms | welcomed/closed | snapshots | host steal %% |\n");
        std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        QStringList ratios;
        for (const protocol::Encoding encoding : std::as_const(encodingList)) {
            for (const int n : intList(parser.value(clients))) {
                RunSpec spec = fanoutSpec(encoding, n);
                spec.kind = ServerKind::Baseline;
                const RunResult base = runOnce(spec);
                printRow(spec, base);
                spec.kind = ServerKind::BaselineFrames;
                const RunResult frames = runOnce(spec);
                printRow(spec, frames);
                spec.kind = ServerKind::Feed;
                const RunResult ours = runOnce(spec);
                printRow(spec, ours);
                const auto delivered = [](const RunResult &r) {
                    return r.ok && r.seconds > 0 ? double(r.counters.messages) / r.seconds : 0.0;
                };
                const auto ratio = [&](const RunResult &baseline) {
                    return delivered(baseline) > 0 && ours.ok
                               ? QString::number(delivered(ours) / delivered(baseline), 'f', 2)
                               : u"–"_s;
                };
                ratios.append(u"%1 %2 clients: %3 of the baseline, %4 of the baseline writing "
                              "frames"_s.arg(QLatin1StringView(encodingName(encoding)))
                                  .arg(n)
                                  .arg(ratio(base), ratio(frames)));
            }
        }
        std::printf("\nratio ours/baseline (delivered msgs/s):\n");
        for (const QString &line : std::as_const(ratios))
            std::printf("- %s\n", qUtf8Printable(line));
    }

    if (parser.isSet(gateways)) {
        std::printf("\n## Through gateways: the same fan-out from one process, and from an engine "
                    "on NATS through one and two gateways (the clients spread over them), %s ms "
                    "measured\n\n",
                    qUtf8Printable(parser.value(duration)));
        std::printf("| enc | clients | server | delivered msgs/s | MB/s | serving CPU %% | engine "
                    "CPU %% | nats-server CPU %% | client CPU %% | latency p50 / p99 µs | "
                    "welcomed/closed | snapshots | host steal %% |\n");
        std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        QStringList ratios;
        for (const protocol::Encoding encoding : std::as_const(encodingList)) {
            for (const int n : intList(parser.value(clients))) {
                double single = 0;
                QStringList parts;
                for (const int g : {0, 1, 2}) {
                    RunSpec spec = fanoutSpec(encoding, n);
                    spec.gateways = g;
                    const RunResult r = runOnce(spec);
                    const QString name = g == 0   ? u"one process"_s
                                         : g == 1 ? u"1 gateway"_s
                                                  : u"2 gateways"_s;
                    if (!r.ok) {
                        std::printf("| %s | %d | %s | error: %s |\n", encodingName(encoding), n,
                                    qUtf8Printable(name), qUtf8Printable(r.error));
                        continue;
                    }
                    const double msgs = double(r.counters.messages) / r.seconds;
                    std::printf(
                        "| %s | %d | %s | %.0f | %.1f | %.0f | %s | %s | %.0f | %.0f / "
                        "%.0f | %d/%d | %llu | %.1f |\n",
                        encodingName(encoding), n, qUtf8Printable(name), msgs,
                        double(r.counters.bytes) / r.seconds / 1e6, r.serverCpuPercent,
                        g ? qUtf8Printable(QString::number(r.engineCpuPercent, 'f', 0)) : "–",
                        g ? qUtf8Printable(QString::number(r.natsCpuPercent, 'f', 0)) : "–",
                        r.clientCpuPercent, r.latencyUs.p50, r.latencyUs.p99, r.welcomed, r.closed,
                        static_cast<unsigned long long>(r.counters.snapshots), r.stealPercent);
                    std::fflush(stdout);
                    if (g == 0)
                        single = msgs;
                    else if (single > 0)
                        parts.append(u"%1: %2"_s.arg(name, QString::number(msgs / single, 'f', 2)));
                }
                ratios.append(u"%1 %2 clients: %3"_s.arg(QLatin1StringView(encodingName(encoding)))
                                  .arg(n)
                                  .arg(parts.join(u", "_s)));
            }
        }
        std::printf("\nratio through gateways / one process (delivered msgs/s):\n");
        for (const QString &line : std::as_const(ratios))
            std::printf("- %s\n", qUtf8Printable(line));
    }

    if (!parser.isSet(skipLatency)) {
        std::printf("\n## Latency: one client, about 10,000 msgs/s (490 trades/s on each of 20 "
                    "symbols + tickers)\n\n");
        std::printf("| enc | tick ms | delivered msgs/s | server CPU %% | publish→receipt p50 / "
                    "p99 / p99.9 / max µs | samples | ticker ts→receipt p50 / p99 ms | host "
                    "steal %% |\n");
        std::printf("|---|---|---|---|---|---|---|---|\n");
        for (const protocol::Encoding encoding : std::as_const(encodingList)) {
            for (const int tick : {100, 10}) {
                RunSpec spec;
                spec.encoding = encoding;
                spec.clients = 1;
                spec.rate = 490;
                spec.tickMs = tick;
                spec.workers = parser.value(workers).toInt();
                spec.durationMs = parser.value(duration).toInt();
                spec.warmupMs = parser.value(warmup).toInt();
                const RunResult r = runOnce(spec);
                if (!r.ok) {
                    std::printf("| %s | %d | error: %s |\n", encodingName(encoding), tick,
                                qUtf8Printable(r.error));
                    continue;
                }
                std::printf("| %s | %d | %.0f | %.1f | %.0f / %.0f / %.0f / %.0f | %lld | %.1f / "
                            "%.1f | %.1f |\n",
                            encodingName(encoding), tick, double(r.counters.messages) / r.seconds,
                            r.serverCpuPercent, r.latencyUs.p50, r.latencyUs.p99, r.latencyUs.p999,
                            r.latencyUs.max, qint64(r.latencyUs.count), r.tickerTsMs.p50,
                            r.tickerTsMs.p99, r.stealPercent);
                std::fflush(stdout);
            }
        }
    }
    return 0;
}
