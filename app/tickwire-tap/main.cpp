// tickwire-tap: websocat for tickwire/1. Prints every verified event as one NDJSON line on
// stdout (books as the verified book), with the server's source_status messages, and every
// connection state change on stderr.
#include "client/feedclient.h"
#include "client/serverlist.h"
#include "protocol/checksum.h"
#include "protocol/codec.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QTimer>

#include <csignal>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace tickwire;

namespace {
void writeLine(FILE *stream, const QByteArray &line)
{
    std::fwrite(line.constData(), 1, size_t(line.size()), stream);
    std::fputc('\n', stream);
    std::fflush(stream);
}

// "ticker:BTC-USD,ETH-USD" -> ticker:BTC-USD, ticker:ETH-USD; "orders" -> orders.
QStringList expandSubscription(const QString &spec)
{
    const qsizetype colon = spec.lastIndexOf(u':');
    if (colon < 0)
        return {spec};
    const QString prefix = spec.left(colon + 1);
    QStringList topics;
    const QStringList symbols = spec.mid(colon + 1).split(u',', Qt::SkipEmptyParts);
    for (const QString &symbol : symbols)
        topics.append(prefix + symbol.trimmed());
    if (topics.isEmpty())
        topics.append(spec); // let the parser report the empty symbol
    return topics;
}

// Set by SIGINT/SIGTERM; polled, because a signal handler may do nothing else portably.
volatile std::sig_atomic_t g_stopRequested = 0;

void requestStop(int)
{
    g_stopRequested = 1;
}

QByteArray bookLine(const protocol::BookView &view)
{
    protocol::Book book;
    book.symbol = view.symbol;
    book.seq = view.seq;
    book.ts = view.ts;
    book.snapshot = true;
    book.bids = view.bids;
    book.asks = view.asks;
    book.checksum = protocol::bookChecksum(view.bids, view.asks);
    return protocol::encode(book, protocol::Encoding::Json);
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"tickwire-tap"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(TICKWIRE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Prints a tickwire/1 feed as NDJSON (stdout), with the market source's source_status; "
        "connection states go to stderr.\n"
        "Example: tickwire-tap ws://127.0.0.1:8787 --subscribe ticker:BTC-USD,ETH-USD "
        "--subscribe book:BTC-USD --subscribe orders --token T\n"
        "Several servers, comma-separated (ws://a:8787/,ws://b:8787/): every reconnect goes to "
        "the next one."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        u"urls"_s, u"Feed server URL (ws:// or wss://), or several comma-separated; or --server."_s,
        u"[urls]"_s);
    const QCommandLineOption serverOption(
        u"server"_s,
        u"Feed server URLs, ws:// or wss://, comma-separated in order of preference; the client "
        "moves to the next one on every reconnect."_s,
        u"urls"_s);
    const QCommandLineOption subscribeOption(
        u"subscribe"_s,
        u"CHANNEL:SYM[,SYM...] (ticker, trades, book), candles:INTERVAL:SYM[,...], or orders. "
        "Repeatable."_s,
        u"topics"_s);
    const QCommandLineOption tokenOption(u"token"_s, u"Account token."_s, u"token"_s);
    const QCommandLineOption tokenHeaderOption(u"token-header"_s,
                                               u"Send the token as an Authorization header."_s);
    const QCommandLineOption countOption(u"count"_s, u"Exit after N events."_s, u"n"_s);
    const QCommandLineOption durationOption(u"duration"_s, u"Exit after S seconds."_s, u"s"_s);
    const QCommandLineOption cborOption(u"cbor"_s, u"Use tickwire.v1.cbor."_s);
    const QCommandLineOption statsOption(u"stats"_s, u"Print a summary on stderr at exit."_s);
    const QCommandLineOption caOption(u"ca-file"_s, u"Extra trusted CA (PEM) for wss://."_s,
                                      u"file"_s);
    const QCommandLineOption insecureOption(u"insecure"_s,
                                            u"Accept self-signed certificates (demo only)."_s);
    parser.addOptions({serverOption, subscribeOption, tokenOption, tokenHeaderOption, countOption,
                       durationOption, cborOption, statsOption, caOption, insecureOption});
    parser.process(app);

    auto fail = [](const QString &message) {
        writeLine(stderr, (u"tickwire-tap: "_s + message).toUtf8());
        return 2;
    };
    const QStringList positional = parser.positionalArguments();
    if (positional.size() + (parser.isSet(serverOption) ? 1 : 0) != 1)
        return fail(
            u"exactly one server list expected, as the argument or --server (see --help)"_s);
    const client::ServerList servers = client::ServerList::parse(
        parser.isSet(serverOption) ? parser.value(serverOption) : positional.constFirst());
    if (!servers.ok())
        return fail(servers.error);

    client::FeedOptions options;
    options.setServers(servers.urls);
    options.token = parser.value(tokenOption);
    options.tokenInHeader = parser.isSet(tokenHeaderOption);
    options.encoding =
        parser.isSet(cborOption) ? protocol::Encoding::Cbor : protocol::Encoding::Json;
    options.caCertificateFile = parser.value(caOption);
    options.ignoreSslErrors = parser.isSet(insecureOption);

    qint64 maxEvents = -1;
    if (parser.isSet(countOption)) {
        bool ok = false;
        maxEvents = parser.value(countOption).toLongLong(&ok);
        if (!ok || maxEvents <= 0)
            return fail(u"--count needs a positive integer"_s);
    }
    double durationSeconds = -1;
    if (parser.isSet(durationOption)) {
        bool ok = false;
        durationSeconds = parser.value(durationOption).toDouble(&ok);
        if (!ok || durationSeconds <= 0)
            return fail(u"--duration needs a positive number of seconds"_s);
    }

    client::FeedClient feed;
    feed.setOptions(options);
    const QStringList specs = parser.values(subscribeOption);
    for (const QString &spec : specs) {
        const QStringList topics = expandSubscription(spec);
        for (const QString &topic : topics) {
            const QString error = feed.subscribe(topic);
            if (!error.isEmpty())
                return fail(error);
        }
    }

    int exitCode = 0;
    qint64 printed = 0;
    auto finish = [&](int code) {
        exitCode = code;
        if (parser.isSet(statsOption)) {
            const client::FeedStats s = feed.stats();
            writeLine(stderr, u"stats msgs=%1 bytes=%2 gaps=%3 duplicates=%4 resnapshots=%5 "
                              "checksum_failures=%6 crossed=%7 reconnects=%8 bad_frames=%9"_s
                                  .arg(s.messages)
                                  .arg(s.bytes)
                                  .arg(s.gaps)
                                  .arg(s.duplicates)
                                  .arg(s.resnapshots)
                                  .arg(s.checksumFailures)
                                  .arg(s.crossedBooks)
                                  .arg(s.reconnects)
                                  .arg(s.badFrames)
                                  .toUtf8());
        }
        QCoreApplication::exit(code);
    };

    QObject::connect(
        &feed, &client::FeedClient::transitioned, &app,
        [&](client::FeedClient::State state, int attempt, int delayMs, const QString &error,
            const QUrl &url) {
            QString line =
                u"state %1 attempt=%2"_s.arg(client::FeedClient::toString(state)).arg(attempt);
            if (state == client::FeedClient::State::Reconnecting)
                line += u" delay_ms=%1"_s.arg(delayMs);
            line += u" url=%1"_s.arg(url.toString());
            if (!error.isEmpty())
                line += u" error=\"%1\""_s.arg(error);
            writeLine(stderr, line.toUtf8());
            if (state == client::FeedClient::State::AuthFailed)
                finish(3); // nothing will change without new credentials
        });
    QObject::connect(
        &feed, &client::FeedClient::subscriptionFailed, &app,
        [](const client::Topic &topic, const QString &code, const QString &message) {
            writeLine(
                stderr,
                u"subscription %1 failed: %2: %3"_s.arg(topic.toString(), code, message).toUtf8());
        });
    // The server's market source: where the market comes from, then its health (a stale or
    // resyncing exchange shows here, not as silence). Printed, not counted as events.
    QObject::connect(&feed, &client::FeedClient::marketChanged, &app, [&feed] {
        writeLine(stderr, u"market source=%1 trading=%2"_s
                              .arg(feed.marketSource().isEmpty() ? u"-"_s : feed.marketSource(),
                                   feed.trading().isEmpty() ? u"-"_s : feed.trading())
                              .toUtf8());
    });
    QObject::connect(&feed, &client::FeedClient::sourceStatusReceived, &app,
                     [](const protocol::SourceStatus &status) {
                         writeLine(stdout, protocol::encode(status, protocol::Encoding::Json));
                     });
    QObject::connect(&feed, &client::FeedClient::batchReady, &app,
                     [&](const protocol::EventBatch &batch) {
                         auto emitLine = [&](const QByteArray &line) {
                             if (maxEvents >= 0 && printed >= maxEvents)
                                 return;
                             writeLine(stdout, line);
                             if (++printed == maxEvents)
                                 finish(0);
                         };
                         for (const protocol::Message &event : batch.events)
                             emitLine(protocol::encode(event, protocol::Encoding::Json));
                         for (const protocol::BookView &book : batch.books)
                             emitLine(bookLine(book));
                     });
    // Ctrl-C or a terminating supervisor ends the run like --duration does: stats included.
    std::signal(SIGINT, requestStop);
    std::signal(SIGTERM, requestStop);
    QTimer stopPoll; // a local, like `finish`, so the capture cannot outlive it
    QObject::connect(&stopPoll, &QTimer::timeout, &stopPoll, [&finish] {
        if (g_stopRequested)
            finish(0);
    });
    stopPoll.start(50);
    if (durationSeconds > 0)
        QTimer::singleShot(int(durationSeconds * 1000), &app, [&] { finish(0); });

    feed.open();
    const int rc = QCoreApplication::exec();
    return exitCode != 0 ? exitCode : rc;
}
