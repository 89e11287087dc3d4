// bench_server: the server side of the benchmarks, in its own process so its CPU and memory
// can be read from /proc. Modes:
//   feed      FeedServer (what tickwire-feed runs) with the limits the benchmarks need;
//             --record FILE writes, at exit, the CLOCK_MONOTONIC time at which the engine
//             published every ticker and trade (for end-to-end latency)
//   baseline  a bare Qt WebSockets server broadcasting pre-encoded messages (the ceiling)
//   baseline-frames  the same, writing pre-built WebSocket frames straight to each client's
//             QTcpSocket, as the feed server does
//   script    a fixed-rate tickwire/1 feed for the dashboard benchmarks; "rate N" on stdin
//             changes the rate
//   engine    feed, as `tickwire-feed --role engine` on the NATS of --nats (publishing every
//             stream); --record as in feed
//   gateway   `tickwire-feed --role gateway`: clients served from the engine on --nats
// Prints "bench_server listening on PORT" on stdout once listening; stops on SIGTERM.
#include "baselineserver.h"
#include "benchsupport.h"
#include "server/feedserver.h"
#include "server/marketengine.h"
#include "rawclientfleet.h"
#include "scriptedfeed.h"
#ifdef TICKWIRE_HAVE_CLUSTER
#include "cluster/enginebridge.h"
#include "cluster/gatewaymarket.h"

#include <QtCore/QDateTime>
#endif

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QFile>
#include <QtCore/QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace tickwire;

namespace {

int g_stopPipe[2] = {-1, -1};

void onTerminate(int)
{
    const char c = 1;
    [[maybe_unused]] auto n = ::write(g_stopPipe[1], &c, 1);
}

struct PublishRecord
{
    std::uint64_t key;
    std::int64_t publishedNs;
};

// Engine thread only while the server runs; read after stop() has joined it.
struct PublishLog
{
    std::vector<PublishRecord> records;
    QHash<QString, std::uint64_t> keyOfStream; // stream -> key with seq 0
};

void recordPublished(PublishLog *log, const server::PublishedBatch &batch)
{
    const std::int64_t now = bench::monotonicNs();
    for (const server::PublishedEventPtr &event : batch) {
        const bool ticker = event->channel == protocol::Channel::Ticker;
        if (!ticker && event->channel != protocol::Channel::Trades)
            continue;
        auto it = log->keyOfStream.find(event->stream);
        if (it == log->keyOfStream.end()) {
            const QString symbol = event->stream.mid(event->stream.indexOf(u':') + 1);
            it = log->keyOfStream.insert(
                event->stream, bench::RawClientFleet::eventKey(ticker, symbol.toUtf8(), 0));
        }
        log->records.push_back(
            PublishRecord{*it | (std::uint64_t(event->seq) & ((1ULL << 38) - 1)), now});
    }
}

bool writeLog(const PublishLog &log, const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    const auto bytes = qint64(log.records.size() * sizeof(PublishRecord));
    return file.write(reinterpret_cast<const char *>(log.records.data()), bytes) == bytes;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    bench::raiseFileLimit(1 << 16);

    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption mode(u"mode"_s,
                                  u"feed, baseline, baseline-frames, script, engine or gateway."_s,
                                  u"mode"_s, u"feed"_s);
    const QCommandLineOption nats(u"nats"_s, u"engine/gateway: NATS URLs."_s, u"urls"_s);
    const QCommandLineOption workers(u"workers"_s, u"Serving threads."_s, u"n"_s, u"2"_s);
    const QCommandLineOption rate(u"rate"_s,
                                  u"feed/baseline: trades per second per instrument; script: "
                                  "events per second."_s,
                                  u"n"_s, u"5"_s);
    const QCommandLineOption tickMs(u"tick-ms"_s, u"feed: simulation step."_s, u"ms"_s, u"100"_s);
    const QCommandLineOption maxConnections(u"max-connections"_s, u"feed: connection limit."_s,
                                            u"n"_s, u"20000"_s);
    const QCommandLineOption record(u"record"_s, u"feed: publish-time records file."_s, u"file"_s);
    const QCommandLineOption symbols(u"symbols"_s, u"baseline/script: instruments."_s, u"n"_s,
                                     u"20"_s);
    const QCommandLineOption candles(u"candles"_s, u"script: candles per snapshot."_s, u"n"_s,
                                     u"2000"_s);
    const QCommandLineOption mix(u"mix"_s, u"script: percent tickers,trades,book,candles."_s,
                                 u"list"_s, u"80,15,4,1"_s);
    const QCommandLineOption idle(u"idle"_s, u"baseline: accept and welcome, send nothing."_s);
    parser.addOptions(
        {mode, workers, rate, tickMs, maxConnections, record, symbols, candles, mix, idle, nats});
    parser.process(app);

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_stopPipe) != 0)
        return 1;
    auto *stopNotifier = new QSocketNotifier(g_stopPipe[0], QSocketNotifier::Read, &app);
    QObject::connect(stopNotifier, &QSocketNotifier::activated, &app, &QCoreApplication::quit);
    std::signal(SIGTERM, onTerminate);
    std::signal(SIGINT, onTerminate);

    const QString which = parser.value(mode);
    const double rateValue = parser.value(rate).toDouble();
    QString error;
    quint16 port = 0;
    std::unique_ptr<server::FeedServer> feed;
    std::unique_ptr<bench::BaselineServer> baseline;
    std::unique_ptr<bench::ScriptedFeed> script;
    PublishLog log;

    const bool engine = which == u"engine"_s;
    const bool gateway = which == u"gateway"_s;
    if (which == u"feed"_s || engine || gateway) {
        server::FeedServerOptions options;
        options.port = 0;
        options.seed = 7;
        options.tradesPerSecond = rateValue;
        options.tickMs = parser.value(tickMs).toInt();
        options.workerThreads = parser.value(workers).toInt();
        options.maxConnections = parser.value(maxConnections).toInt();
        options.maxConnectionsPerAddress = options.maxConnections;
        options.exchange = false;
#ifdef TICKWIRE_HAVE_CLUSTER
        backplane::NatsOptions natsOptions;
        natsOptions.urls = parser.value(nats).split(u',', Qt::SkipEmptyParts);
        if (engine)
            options.seqBase = QDateTime::currentMSecsSinceEpoch() * 1000;
        if (gateway) {
            std::optional<cluster::EngineInfo> info =
                cluster::GatewayMarket::fetchEngineInfo(natsOptions, 30'000, &error);
            if (!info) {
                std::fprintf(stderr, "bench_server: %s\n", qUtf8Printable(error));
                return 1;
            }
            for (const protocol::InstrumentInfo &instrument : std::as_const(info->instruments))
                options.instruments.append(server::Instrument{instrument, {}, 0});
            feed = std::make_unique<server::FeedServer>(options);
            const QString source = info->source;
            cluster::GatewayOptions gatewayOptions;
            gatewayOptions.nats = natsOptions;
            feed->setRemoteMarket(
                std::make_unique<cluster::GatewayMarket>(std::move(*info), gatewayOptions), source,
                false);
        }
#else
        if (engine || gateway) {
            std::fprintf(stderr, "bench_server: built without NATS\n");
            return 2;
        }
#endif
        if (!feed)
            feed = std::make_unique<server::FeedServer>(options);
        if (!feed->start(&error)) {
            std::fprintf(stderr, "bench_server: %s\n", qUtf8Printable(error));
            return 1;
        }
#ifdef TICKWIRE_HAVE_CLUSTER
        if (engine) {
            cluster::EngineBridgeOptions bridgeOptions;
            bridgeOptions.nats = natsOptions;
            bridgeOptions.sourceName = feed->sourceName();
            server::MarketEngine *marketEngine = feed->engine();
            bool bridged = false;
            QMetaObject::invokeMethod(
                marketEngine,
                [&] {
                    auto *bridge =
                        new cluster::EngineBridge(marketEngine, feed->interest(), bridgeOptions);
                    bridged = bridge->start(&error);
                },
                Qt::BlockingQueuedConnection);
            if (!bridged) {
                std::fprintf(stderr, "bench_server: %s\n", qUtf8Printable(error));
                return 1;
            }
        }
#endif
        if (parser.isSet(record) && feed->engine()) {
            log.records.reserve(8'000'000);
            QObject::connect(
                feed->engine(), &server::MarketEngine::published, feed->engine(),
                [&log](const server::PublishedBatch &batch) { recordPublished(&log, batch); },
                Qt::DirectConnection);
        }
        port = feed->port();
    } else if (which == u"baseline"_s || which == u"baseline-frames"_s) {
        baseline = std::make_unique<bench::BaselineServer>(
            bench::recordBaselineFrames(parser.value(symbols).toInt(), rateValue, 20'000),
            parser.value(workers).toInt(), !parser.isSet(idle),
            which == u"baseline"_s ? bench::BaselineSend::Messages : bench::BaselineSend::Frames);
        if (!baseline->listen(0, &error)) {
            std::fprintf(stderr, "bench_server: %s\n", qUtf8Printable(error));
            return 1;
        }
        port = baseline->port();
    } else if (which == u"script"_s) {
        bench::ScriptedFeed::Options options;
        options.symbols = parser.value(symbols).toInt();
        options.candles = parser.value(candles).toInt();
        options.eventsPerSecond = rateValue;
        const QStringList shares = parser.value(mix).split(u',');
        for (int i = 0; i < 4; ++i)
            options.mix[std::size_t(i)] = shares.value(i).toInt();
        script = std::make_unique<bench::ScriptedFeed>(options);
        if (!script->listen(0, &error)) {
            std::fprintf(stderr, "bench_server: %s\n", qUtf8Printable(error));
            return 1;
        }
        port = script->port();
        auto *commands = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, &app);
        QObject::connect(commands, &QSocketNotifier::activated, &app, [&script, commands] {
            char buffer[256];
            const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer - 1);
            if (n <= 0) {
                commands->setEnabled(false);
                return;
            }
            const QList<QByteArray> words = QByteArray(buffer, n).trimmed().split(' ');
            if (words.value(0) == "rate")
                script->setRate(words.value(1).toDouble());
        });
    } else {
        std::fprintf(stderr, "bench_server: unknown mode %s\n", qUtf8Printable(which));
        return 2;
    }

    std::printf("bench_server listening on %u\n", unsigned(port));
    std::fflush(stdout);
    const int rc = app.exec();
    if (feed) {
        feed->stop(); // joins the engine thread: the log is ours now
        if (parser.isSet(record) && !writeLog(log, parser.value(record)))
            std::fprintf(stderr, "bench_server: cannot write %s\n",
                         qUtf8Printable(parser.value(record)));
    }
    if (baseline)
        baseline->stop();
    return rc;
}
