// tickwire-feed: the demo market-data server. Parses arguments and starts FeedServer.
#include "exchanges/framerecorder.h"
#include "exchanges/livesource.h"
#include "server/feedserver.h"
#include "server/instruments.h"
#include "server/marketengine.h"
#ifdef TICKWIRE_HAVE_CLUSTER
#include "cluster/enginebridge.h"
#include "cluster/gatewaymarket.h"
#endif

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QSocketNotifier>
#include <QtCore/QStandardPaths>
#include <QtCore/QTextStream>
#include <QtNetwork/QNetworkAccessManager>

#include <csignal>
#include <cstdio>
#include <functional>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace tickwire::server;
namespace exchanges = tickwire::exchanges;

namespace {

int g_signalPipe[2] = {-1, -1};

// "binance: BTC-USDT,… (wss://…, https://…); coinbase: …", for --help.
QString perExchange(const std::function<QString(const QString &)> &value)
{
    QStringList parts;
    const QStringList names = exchanges::liveExchanges();
    for (const QString &name : names)
        parts.append(name + u": "_s + value(name));
    return parts.join(u"; "_s);
}

// Instruments known only by their description (a live exchange's, an engine's): no simulation
// parameters.
QList<Instrument> instrumentsOf(const QList<tickwire::protocol::InstrumentInfo> &infos)
{
    QList<Instrument> list;
    for (const auto &info : infos)
        list.append(Instrument{info, {}, 0});
    return list;
}

void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] auto n = ::write(g_signalPipe[1], &c, 1);
}

void logLine(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const char *level = type == QtWarningMsg                          ? "warn"
                        : type == QtCriticalMsg || type == QtFatalMsg ? "error"
                        : type == QtDebugMsg                          ? "debug"
                                                                      : "info";
    std::fprintf(stderr, "level=%s cat=%s %s\n", level, context.category ? context.category : "-",
                 qUtf8Printable(message));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"tickwire-feed"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(TICKWIRE_VERSION));
    qInstallMessageHandler(logLine);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Demo market-data server speaking tickwire/1."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption listen(u"listen"_s, u"Address and port (port 0: any free)."_s,
                                    u"HOST:PORT"_s, u"127.0.0.1:8787"_s);
    const QCommandLineOption instruments(u"instruments"_s, u"Instrument JSON file."_s, u"FILE"_s);
    const QCommandLineOption seed(u"seed"_s, u"Deterministic simulation seed."_s, u"N"_s);
    const QCommandLineOption rate(u"rate"_s, u"Trades per second per instrument."_s, u"N"_s,
                                  u"5"_s);
    const QCommandLineOption replay(u"replay"_s, u"Replay a CSV or NDJSON trade tape."_s,
                                    u"FILE"_s);
    const QCommandLineOption speed(u"speed"_s, u"Replay speed factor."_s, u"X"_s, u"1"_s);
    const QCommandLineOption loop(u"loop"_s, u"Loop the replay."_s);
    const QCommandLineOption workers(u"workers"_s, u"Worker threads."_s, u"N"_s, u"2"_s);
    const QCommandLineOption heartbeat(u"heartbeat-ms"_s, u"Heartbeat interval."_s, u"MS"_s,
                                       u"5000"_s);
    const QCommandLineOption tlsCert(u"tls-cert"_s, u"PEM certificate (wss://)."_s, u"FILE"_s);
    const QCommandLineOption tlsKey(u"tls-key"_s, u"PEM private key."_s, u"FILE"_s);
    const QCommandLineOption tokens(u"tokens"_s, u"Token file: lines `TOKEN ACCOUNT`."_s,
                                    u"FILE"_s);
    const QCommandLineOption demoToken(u"demo-token"_s, u"Token of the demo account."_s, u"T"_s);
    const QCommandLineOption origins(u"allow-origin"_s, u"Allowed Origin (repeatable)."_s,
                                     u"ORIGIN"_s);
    const QCommandLineOption state(u"state"_s,
                                   u"Exchange state file (SQLite). Default: exchange.sqlite in the "
                                   "application data folder."_s,
                                   u"FILE"_s);
    const QCommandLineOption ephemeral(
        u"ephemeral"_s, u"Keep exchange state in memory only (new epoch each start)."_s);
    const QCommandLineOption keepEvents(
        u"keep-events"_s, u"Account events kept for resume (default 10000)."_s, u"N"_s, u"10000"_s);
    const QCommandLineOption stats(u"stats-interval"_s, u"Log stats every S seconds."_s, u"S"_s,
                                   u"0"_s);
    const QCommandLineOption noHistory(u"no-history"_s,
                                       u"Simulation: start without the invented candle history."_s);
    const QCommandLineOption source(
        u"source"_s,
        u"Market source: sim (simulated, the default) or a live exchange (%1)."_s.arg(
            exchanges::liveExchanges().join(u", "_s)),
        u"NAME"_s, u"sim"_s);
    const QCommandLineOption symbols(
        u"symbols"_s,
        u"Live source: symbols as BASE-QUOTE, comma-separated (defaults: %1)."_s.arg(perExchange(
            [](const QString &name) { return exchanges::defaultSymbols(name).join(u','); })),
        u"LIST"_s);
    const QCommandLineOption upstreamWs(
        u"upstream-ws"_s,
        u"Live source: WebSocket base URL (defaults: %1)."_s.arg(perExchange(
            [](const QString &name) { return exchanges::defaultWebSocketBase(name).toString(); })),
        u"URL"_s);
    const QCommandLineOption upstreamRest(
        u"upstream-rest"_s,
        u"Live source: REST base URL (defaults: %1)."_s.arg(perExchange([](const QString &name) {
            const QUrl url = exchanges::defaultRestBase(name);
            return url.isEmpty() ? u"none"_s : url.toString();
        })),
        u"URL"_s);
    const QCommandLineOption record(
        u"record"_s,
        u"Live source: write every upstream frame and REST reply to FILE (NDJSON with receive "
        "times, the exchange replay server's script format)."_s,
        u"FILE"_s);
    const QCommandLineOption upstreamTimeout(
        u"upstream-timeout-ms"_s,
        u"Live source: reconnect when the exchange sends nothing for this long (default: the "
        "exchange's own heartbeat bound)."_s,
        u"MS"_s);
    const QCommandLineOption role(
        u"role"_s,
        u"all (one process: market, exchange and clients; the default), engine (the market and "
        "the exchange, on NATS) or gateway (clients, served from the engine over NATS)."_s,
        u"ROLE"_s, u"all"_s);
    const QCommandLineOption nats(
        u"nats"_s,
        u"engine and gateway: the NATS cluster, every URL, comma-separated "
        "(nats://HOST:PORT,...)."_s,
        u"URLS"_s);
    const QCommandLineOption natsReplicas(
        u"nats-replicas"_s,
        u"engine: replicas of the account event stream (default: 3 with three or more --nats "
        "URLs, else 1)."_s,
        u"N"_s);
    const QCommandLineOption natsPending(
        u"nats-pending"_s,
        u"gateway: messages of one NATS subscription it holds while it is busy (default "
        "65536); beyond them it drops them and resyncs the stream from a snapshot."_s,
        u"N"_s);
    parser.addOptions({role, nats, natsReplicas, natsPending});
    parser.addOptions({upstreamTimeout, listen,    instruments, seed,      rate,       replay,       speed,
                       loop,      workers,     heartbeat, tlsCert,    tlsKey,       tokens,
                       demoToken, origins,     state,     ephemeral,  keepEvents,   stats,
                       noHistory, source,      symbols,   upstreamWs, upstreamRest, record});
    parser.process(app);

    auto usage = [](const QString &message) {
        std::fprintf(stderr, "tickwire-feed: %s\n", qUtf8Printable(message));
        return 2;
    };

    FeedServerOptions options;
    const QString hostPort = parser.value(listen);
    const qsizetype colon = hostPort.lastIndexOf(u':');
    bool ok = false;
    const uint port = colon > 0 ? hostPort.mid(colon + 1).toUInt(&ok) : 0;
    QString host = colon > 0 ? hostPort.left(colon) : QString();
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    if (!ok || port > 65535 || !options.address.setAddress(host))
        return usage(
            u"--listen expects HOST:PORT with a numeric address, got \"%1\""_s.arg(hostPort));
    options.port = quint16(port);
    if (parser.isSet(instruments)) {
        const InstrumentsResult loaded = loadInstrumentsFile(parser.value(instruments));
        if (!loaded.ok())
            return usage(loaded.error);
        options.instruments = loaded.instruments;
    }
    if (parser.isSet(seed)) {
        const quint64 n = parser.value(seed).toULongLong(&ok);
        if (!ok)
            return usage(u"--seed expects an unsigned integer"_s);
        options.seed = n;
    }
    options.tradesPerSecond = parser.value(rate).toDouble(&ok);
    if (!ok || options.tradesPerSecond < 0 || options.tradesPerSecond > 100000)
        return usage(u"--rate expects a number between 0 and 100000"_s);
    options.replayFile = parser.value(replay);
    options.replaySpeed = parser.value(speed).toDouble(&ok);
    if (!ok || options.replaySpeed <= 0)
        return usage(u"--speed expects a positive number"_s);
    options.replayLoop = parser.isSet(loop);
    options.history = !parser.isSet(noHistory);
    options.workerThreads = parser.value(workers).toInt(&ok);
    if (!ok || options.workerThreads < 1 || options.workerThreads > 64)
        return usage(u"--workers expects 1..64"_s);
    options.heartbeatMs = parser.value(heartbeat).toInt(&ok);
    if (!ok || options.heartbeatMs < 10)
        return usage(u"--heartbeat-ms expects at least 10"_s);
    options.tlsCertFile = parser.value(tlsCert);
    options.tlsKeyFile = parser.value(tlsKey);
    options.tokensFile = parser.value(tokens);
    options.demoToken = parser.value(demoToken);
    options.allowedOrigins = parser.values(origins);
    if (parser.isSet(state) && parser.isSet(ephemeral))
        return usage(u"--state and --ephemeral exclude each other"_s);
    if (parser.isSet(state)) {
        options.statePath = parser.value(state);
    } else if (!parser.isSet(ephemeral)) {
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        if (dir.isEmpty() || !QDir().mkpath(dir))
            return usage(u"no writable application data folder: use --state FILE or --ephemeral"_s);
        options.statePath = dir + u"/exchange.sqlite"_s;
    }
    options.keepEvents = parser.value(keepEvents).toInt(&ok);
    if (!ok || options.keepEvents < 1)
        return usage(u"--keep-events expects a positive number"_s);
    const int statsSeconds = parser.value(stats).toInt(&ok);
    if (!ok || statsSeconds < 0)
        return usage(u"--stats-interval expects seconds >= 0"_s);

    const QString roleName = parser.value(role);
    if (roleName != "all"_L1 && roleName != "engine"_L1 && roleName != "gateway"_L1)
        return usage(u"--role expects all, engine or gateway, got \"%1\""_s.arg(roleName));
    const bool gateway = roleName == "gateway"_L1;
    const bool engine = roleName == "engine"_L1;
    const QStringList natsUrls = parser.value(nats).split(u',', Qt::SkipEmptyParts);
    if ((gateway || engine) && natsUrls.isEmpty())
        return usage(u"--role %1 needs --nats nats://HOST:PORT[,...]"_s.arg(roleName));
    if (!gateway && !engine && (parser.isSet(nats) || parser.isSet(natsReplicas)))
        return usage(u"--nats and --nats-replicas need --role engine or gateway"_s);
    if (!gateway && parser.isSet(natsPending))
        return usage(u"--nats-pending belongs to a gateway"_s);
    int pendingLimit = 0; // 0: the NATS client's default
    if (parser.isSet(natsPending)) {
        pendingLimit = parser.value(natsPending).toInt(&ok);
        if (!ok || pendingLimit < 1)
            return usage(u"--nats-pending expects a positive number of messages"_s);
    }
    if (gateway) {
        for (const QCommandLineOption &market :
             {source, symbols, upstreamWs, upstreamRest, record, upstreamTimeout, replay,
              instruments, seed, rate, speed, loop, state, ephemeral, keepEvents, noHistory,
              natsReplicas}) {
            if (parser.isSet(market))
                return usage(u"--%1 belongs to the engine, not to a gateway"_s.arg(
                    market.names().constFirst()));
        }
    }
    int replicas = natsUrls.size() >= 3 ? 3 : 1;
    if (parser.isSet(natsReplicas)) {
        replicas = parser.value(natsReplicas).toInt(&ok);
        if (!ok || (replicas != 1 && replicas != 3))
            return usage(u"--nats-replicas expects 1 or 3"_s);
    }
#ifndef TICKWIRE_HAVE_CLUSTER
    if (gateway || engine)
        return usage(u"this tickwire-feed was built without NATS (libnats): only --role all"_s);
#endif
    if (engine) {
        // Its streams continue above those of an engine that ran before (the gateways'
        // clients take its snapshots as newer): the start time in ms, x 1000.
        options.seqBase = QDateTime::currentMSecsSinceEpoch() * 1000;
    }

    const QString sourceName = parser.value(source);
    const bool live = sourceName != "sim"_L1;
    if (live && !exchanges::liveExchanges().contains(sourceName))
        return usage(u"--source expects sim or one of %1, got \"%2\""_s.arg(
            exchanges::liveExchanges().join(u", "_s), sourceName));
    if (!live
        && (parser.isSet(symbols) || parser.isSet(upstreamWs) || parser.isSet(upstreamRest)
            || parser.isSet(record) || parser.isSet(upstreamTimeout)))
        return usage(
            u"--symbols, --upstream-ws, --upstream-rest and --record need a live --source"_s);
    if (live && (parser.isSet(replay) || parser.isSet(instruments)))
        return usage(u"--replay and --instruments need --source sim"_s);
    exchanges::LiveSourceOptions liveOptions;
    liveOptions.exchange = sourceName;
    if (parser.isSet(upstreamWs)) {
        liveOptions.webSocketBase = QUrl(parser.value(upstreamWs), QUrl::StrictMode);
        if (!liveOptions.webSocketBase.isValid()
            || (liveOptions.webSocketBase.scheme() != "ws"_L1
                && liveOptions.webSocketBase.scheme() != "wss"_L1))
            return usage(u"--upstream-ws expects a ws:// or wss:// URL"_s);
    }
    if (parser.isSet(upstreamRest)) {
        liveOptions.restBase = QUrl(parser.value(upstreamRest), QUrl::StrictMode);
        if (!liveOptions.restBase.isValid()
            || (liveOptions.restBase.scheme() != "http"_L1
                && liveOptions.restBase.scheme() != "https"_L1))
            return usage(u"--upstream-rest expects an http:// or https:// URL"_s);
    }
    if (parser.isSet(upstreamTimeout)) {
        bool timeoutOk = false;
        liveOptions.silenceTimeoutMs = parser.value(upstreamTimeout).toInt(&timeoutOk);
        if (!timeoutOk || liveOptions.silenceTimeoutMs < 100)
            return usage(u"--upstream-timeout-ms expects milliseconds >= 100"_s);
    }
    if (parser.isSet(symbols)) {
        liveOptions.symbols = parser.value(symbols).split(u',', Qt::SkipEmptyParts);
        if (liveOptions.symbols.isEmpty())
            return usage(u"--symbols names no symbol"_s);
    }
    exchanges::FrameRecorder recorder;
    if (parser.isSet(record)) {
        QString error;
        if (!recorder.open(parser.value(record), &error))
            return usage(error);
        liveOptions.recorder = &recorder;
    }

    std::unique_ptr<FeedServer> server;
    // Starts the server (for a live source once its instruments arrived); false on failure.
    auto startServer = [&](const FeedServerOptions &serverOptions,
                           std::unique_ptr<tickwire::exchanges::MarketSource> marketSource) {
#ifdef TICKWIRE_HAVE_CLUSTER
        if (gateway) {
            QString error;
            tickwire::backplane::NatsOptions natsOptions;
            natsOptions.urls = natsUrls;
            // The instruments are the engine's: the gateway waits for it before it listens.
            std::optional<tickwire::cluster::EngineInfo> info =
                tickwire::cluster::GatewayMarket::fetchEngineInfo(natsOptions, -1, &error);
            if (!info) {
                usage(error);
                return false;
            }
            FeedServerOptions withInstruments = serverOptions;
            withInstruments.instruments = instrumentsOf(info->instruments);
            withInstruments.exchange = false;
            server = std::make_unique<FeedServer>(withInstruments);
            const QString name = info->source;
            const bool paper = info->paperTrading;
            tickwire::cluster::GatewayOptions gatewayOptions;
            gatewayOptions.nats = natsOptions;
            if (pendingLimit > 0)
                gatewayOptions.nats.pendingMessagesLimit = pendingLimit;
            server->setRemoteMarket(std::make_unique<tickwire::cluster::GatewayMarket>(
                                        std::move(*info), gatewayOptions),
                                    name, paper);
        }
#endif
        if (!server) {
            server = std::make_unique<FeedServer>(serverOptions);
            if (marketSource)
                server->setMarketSource(std::move(marketSource));
        }
        QString error;
        if (!server->start(&error)) {
            usage(error);
            return false;
        }
#ifdef TICKWIRE_HAVE_CLUSTER
        if (engine) {
            tickwire::cluster::EngineBridgeOptions bridgeOptions;
            bridgeOptions.nats.urls = natsUrls;
            bridgeOptions.replicas = replicas;
            bridgeOptions.keepEvents = serverOptions.keepEvents;
            MarketEngine *marketEngine = server->engine();
            bridgeOptions.sourceName = server->sourceName();
            bool bridged = false;
            QMetaObject::invokeMethod(
                marketEngine,
                [&] {
                    auto *bridge = new tickwire::cluster::EngineBridge(
                        marketEngine, server->interest(), bridgeOptions);
                    bridged = bridge->start(&error);
                },
                Qt::BlockingQueuedConnection);
            if (!bridged) {
                usage(error);
                return false;
            }
        }
#endif
        server->setStatsInterval(statsSeconds);
        QObject::connect(server.get(), &FeedServer::replayFinished, &app, [] {
            std::fprintf(stderr, "level=info cat=tickwire.feed event=replay_finished\n");
        });
        // The contract other tools read: exactly these lines on stdout, flushed.
        std::printf("tickwire-feed listening on %s\n", qUtf8Printable(server->url().toString()));
        std::printf("demo token: %s (account demo)\n", qUtf8Printable(server->demoToken()));
        std::fflush(stdout);
        return true;
    };

    QNetworkAccessManager network;
    if (!live) {
        if (!startServer(options, nullptr))
            return 2;
    } else {
        // The instruments (symbols, tick and lot) come from the exchange before anything
        // listens: clients never see a symbol list that changes.
        exchanges::openLiveSource(&network, liveOptions,
                                  [&](std::unique_ptr<exchanges::MarketSource> marketSource,
                                      const QList<tickwire::protocol::InstrumentInfo> &found,
                                      const QString &error) {
                                      if (!marketSource) {
                                          usage(error);
                                          QCoreApplication::exit(2);
                                          return;
                                      }
                                      FeedServerOptions withInstruments = options;
                                      withInstruments.instruments = instrumentsOf(found);
                                      if (!startServer(withInstruments, std::move(marketSource)))
                                          QCoreApplication::exit(2);
                                  });
    }

    // SIGINT/SIGTERM -> self-pipe -> clean stop on the main thread (1001 to every client).
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) == 0) {
        // A live source starts the server later (or never, when the exchange cannot be
        // reached), so the notifier belongs to the application.
        auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, &app);
        // `server` lives in main() until app.exec() has returned.
        QObject::connect(notifier, &QSocketNotifier::activated, &app,
                         [&server] { // clazy:exclude=lambda-in-connect
                             char c;
                             [[maybe_unused]] auto n = ::read(g_signalPipe[0], &c, 1);
                             if (server)
                                 server->stop();
                             QCoreApplication::quit();
                         });
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
    }
    return app.exec();
}
