// bench_memory: (1) the feed server's resident memory per idle WebSocket connection at 100,
// 1,000 and 5,000 connections (server in a child process, raw clients here: handshake + welcome,
// no subscriptions); (2) the dashboard's resident memory, sampled every second while the feed
// runs at a steady rate, with the least-squares slope (a leak shows as a steady climb).
#include "benchsupport.h"
#include "ui/dashboard.h"
#include "dashboardharness.h"
#include "market/marketstore.h"
#include "rawclientfleet.h"

#include <QtCore/QCommandLineParser>
#include <QtWidgets/QApplication>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace tickwire;

namespace {

// `baseline`: the bare Qt WebSockets server instead of the feed server: Qt's own share.
int serverPerConnection(const QList<int> &targets, int workers, bool baseline)
{
    std::printf("\n## %s RSS per idle connection (%d workers)\n\n",
                baseline ? "Bare Qt WebSockets server (baseline)" : "Feed server", workers);
    bench::ServerProcess server;
    QString error;
    const QStringList arguments = baseline ? QStringList{u"--mode"_s, u"baseline"_s, u"--idle"_s,
                                                         u"--workers"_s, QString::number(workers)}
                                           : QStringList{u"--mode"_s,
                                                         u"feed"_s,
                                                         u"--rate"_s,
                                                         u"5"_s,
                                                         u"--workers"_s,
                                                         QString::number(workers),
                                                         u"--max-connections"_s,
                                                         u"20000"_s};
    if (!server.start(arguments, &error)) {
        std::fprintf(stderr, "bench_memory: %s\n", qUtf8Printable(error));
        return 1;
    }
    bench::RawClientFleet::Options options;
    options.ports = {server.port()};
    bench::RawClientFleet fleet(options);
    fleet.run(2000); // let the engine and the workers settle before the reference reading
    const qint64 rss0 = bench::rssKiB(server.pid());
    const qint64 anon0 = bench::rssKiB(server.pid(), "RssAnon");
    // "vs 0" includes what the first connections fault in once: code and data pages of the
    // libraries (file-backed), first heap pages of each worker thread. The increment between two
    // rows and the anonymous memory alone show what a further connection costs.
    std::printf("| connections | server RSS MiB | KiB per connection (vs 0) | KiB per connection "
                "(increment) | anonymous KiB per connection (vs 0) | file-backed RSS MiB |\n"
                "|---|---|---|---|---|---|\n| 0 | %.1f | – | – | – | %.1f |\n",
                double(rss0) / 1024, double(bench::rssKiB(server.pid(), "RssFile")) / 1024);
    qint64 previousRss = rss0;
    int previous = 0;
    for (const int target : targets) {
        const int welcomed = fleet.connect(target - previous, 180'000);
        fleet.run(3000);
        const qint64 rss = bench::rssKiB(server.pid());
        const qint64 anon = bench::rssKiB(server.pid(), "RssAnon");
        std::printf("| %d%s | %.1f | %.1f | %.1f | %.1f | %.1f |\n", welcomed,
                    welcomed == target ? "" : " (fewer than asked)", double(rss) / 1024,
                    double(rss - rss0) / std::max(1, welcomed),
                    double(rss - previousRss) / std::max(1, welcomed - previous),
                    double(anon - anon0) / std::max(1, welcomed),
                    double(bench::rssKiB(server.pid(), "RssFile")) / 1024);
        std::fflush(stdout);
        previousRss = rss;
        previous = welcomed;
    }
    fleet.closeAll();
    server.stop();
    return 0;
}

int dashboardOverTime(int seconds, double rate)
{
    std::printf("\n## Dashboard RSS over %d s, feed at %.0f trades/s per instrument\n\n", seconds,
                rate);
    bench::ServerProcess server;
    QString error;
    if (!server.start({u"--mode"_s, u"feed"_s, u"--rate"_s, QString::number(rate)}, &error)) {
        std::fprintf(stderr, "bench_memory: %s\n", qUtf8Printable(error));
        return 1;
    }
    bench::DashboardHarness harness;
    if (!harness.start(server.port(), &error)) {
        std::fprintf(stderr, "bench_memory: %s\n", qUtf8Printable(error));
        return 1;
    }
    // Every instrument of the feed in the watchlist.
    const auto &instruments = harness.dashboard()->store()->instruments();
    harness.waitFor([&] { return !instruments.symbols().isEmpty(); }, 20'000);
    harness.setWatchlist(instruments.symbols());
    harness.waitFor([&] { return harness.dashboard()->store()->candles()->rowCount() > 0; }, 20'000);

    std::vector<double> t;
    std::vector<double> rss;
    const std::int64_t start = bench::monotonicNs();
    for (int s = 0; s < seconds; ++s) {
        bench::DashboardHarness::spin(1000);
        t.push_back(double(bench::monotonicNs() - start) / 60e9); // minutes
        rss.push_back(double(bench::rssKiB(bench::ownPid())));
    }
    // The first fifth is warm-up (caches, glyphs, model capacity): the slope is over the rest.
    const std::size_t from = t.size() / 5;
    const std::vector<double> tailT(t.begin() + qsizetype(from), t.end());
    const std::vector<double> tailRss(rss.begin() + qsizetype(from), rss.end());
    const auto [lo, hi] = std::minmax_element(tailRss.begin(), tailRss.end());
    std::printf("| samples | RSS first / last MiB | min / max after warm-up MiB | slope after "
                "warm-up KiB/min | events into the store |\n|---|---|---|---|---|\n");
    std::printf("| %zu | %.1f / %.1f | %.1f / %.1f | %.1f | %lld |\n", rss.size(),
                rss.front() / 1024, rss.back() / 1024, *lo / 1024, *hi / 1024,
                bench::slope(tailT, tailRss), harness.dashboard()->store()->stats().events);
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    bench::DashboardHarness::isolateSettings();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"TickwireBench"_s);
    QApplication::setApplicationName(u"bench_memory"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Server memory per connection; dashboard memory over time."_s);
    parser.addHelpOption();
    const QCommandLineOption part(u"part"_s, u"server, dashboard or all."_s, u"part"_s, u"all"_s);
    // 100 first: the 1,000 row's increment is then what 900 more connections cost once the
    // first ones have faulted in what every process pays once (library pages, thread heaps).
    const QCommandLineOption connections(u"connections"_s, u"Connection counts."_s, u"list"_s,
                                         u"100,1000,5000"_s);
    const QCommandLineOption workers(u"workers"_s, u"Server worker threads."_s, u"n"_s, u"2"_s);
    const QCommandLineOption duration(u"duration"_s,
                                      u"Seconds of dashboard sampling (600 for the 10-minute "
                                      "figure)."_s,
                                      u"s"_s, u"30"_s);
    const QCommandLineOption rate(u"rate"_s, u"Feed trades per second per instrument."_s, u"n"_s,
                                  u"50"_s);
    parser.addOptions({part, connections, workers, duration, rate});
    parser.process(app);

    bench::printMachine("bench_memory");
    const std::uint64_t files = bench::raiseFileLimit(1 << 16);
    std::printf("# RLIMIT_NOFILE %llu\n", static_cast<unsigned long long>(files));
    const QString which = parser.value(part);
    int rc = 0;
    if (which == u"server"_s || which == u"all"_s) {
        QList<int> targets;
        for (const QString &n : parser.value(connections).split(u','))
            targets.append(n.toInt());
        rc |= serverPerConnection(targets, parser.value(workers).toInt(), false);
        rc |= serverPerConnection(targets, parser.value(workers).toInt(), true);
    }
    if (which == u"dashboard"_s || which == u"all"_s)
        rc |= dashboardOverTime(parser.value(duration).toInt(), parser.value(rate).toDouble());
    return rc;
}
