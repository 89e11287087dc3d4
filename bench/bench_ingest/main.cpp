// bench_ingest: the client pipeline without a network. Frames recorded from the market
// simulator (what a dashboard subscribes: tickers of every symbol; trades, the 20-level book and
// 1m candles of the selected one) are replayed through decode -> sequence (stream checks,
// verified book, EventBatch) -> MarketStore::apply -> MarketStore::flush on one thread:
// events per second on one core (everything runs on the calling thread) and nanoseconds per
// event for each stage.
//
// The sequence stage is client::MarketSequencer, the class FeedConnection runs for market data.
#include "benchsupport.h"
#include "protocol/codec.h"
#include "server/instruments.h"
#include "client/marketsequencer.h"
#include "server/marketsimulator.h"
#include "market/marketstore.h"
#include "client/subscriptionset.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>

#include <algorithm>
#include <cstdio>
#include <vector>

#include <sched.h>

using namespace Qt::StringLiterals;
using namespace tickwire;
using protocol::Channel;

namespace {

constexpr int BookDepth = 20;

struct Recording
{
    QList<QByteArray> frames;
    QList<protocol::InstrumentInfo> instruments;
    QStringList symbols;
    QString selected;
};

// Steps the simulator of every default instrument `steps` times (100 ms each) and keeps what a
// dashboard would receive, encoded as the server encodes it.
Recording record(int steps, double tradesPerSecond, protocol::Encoding encoding)
{
    Recording r;
    const QList<server::Instrument> instruments = server::defaultInstruments().instruments;
    std::int64_t now = 1'763'891'234'567;
    std::vector<std::unique_ptr<server::MarketSimulator>> simulators;
    for (const server::Instrument &i : instruments) {
        simulators.push_back(std::make_unique<server::MarketSimulator>(i, 7, now));
        r.instruments.append(i.info);
        r.symbols.append(i.info.symbol);
    }
    r.selected = r.symbols.first();
    r.frames.append(protocol::encode(simulators.front()->bookSnapshot(BookDepth), encoding));
    for (int step = 0; step < steps; ++step) {
        now += 100;
        for (std::size_t s = 0; s < simulators.size(); ++s) {
            const server::MarketUpdate u = simulators[s]->step(now, 0.1, tradesPerSecond);
            if (s == 0) {
                for (const protocol::Trade &t : u.trades)
                    r.frames.append(protocol::encode(t, encoding));
                for (const server::TierUpdate &tier : u.books) {
                    if (tier.tier == BookDepth)
                        r.frames.append(protocol::encode(tier.book, encoding));
                }
                for (const protocol::Candle &c : u.candles) {
                    if (c.interval == protocol::CandleInterval::M1)
                        r.frames.append(protocol::encode(c, encoding));
                }
            }
            if (u.ticker)
                r.frames.append(protocol::encode(*u.ticker, encoding));
        }
    }
    return r;
}

// What a dashboard subscribes, run through FeedConnection's market-data path
// (client::MarketSequencer) on the caller's thread.
class IngestPipeline
{
public:
    explicit IngestPipeline(const Recording &recording)
        : m_subscriptions(BookDepth)
        , m_sequencer(m_subscriptions, BookDepth)
    {
        for (const QString &symbol : recording.symbols)
            subscribe(client::Topic{Channel::Ticker, symbol, {}});
        subscribe(client::Topic{Channel::Trades, recording.selected, {}});
        subscribe(client::Topic{Channel::Book, recording.selected, {}});
        subscribe(
            client::Topic{Channel::Candles, recording.selected, protocol::CandleInterval::M1});
    }

    // As FeedConnection::handle() for a Live connection's market data.
    void handle(protocol::Message &&message)
    {
        if (!client::MarketSequencer::isMarketData(message))
            return;
        const auto verdict = m_sequencer.handle(std::move(message));
        if (verdict == Verdict::Stale || client::MarketSequencer::needsResnapshot(verdict))
            ++m_problems;
    }

    [[nodiscard]] qsizetype pending() const { return m_sequencer.pendingEvents(); }
    protocol::EventBatch takeBatch() { return m_sequencer.takeBatch(); }
    [[nodiscard]] int problems() const { return m_problems; }

private:
    using Verdict = client::MarketSequencer::Verdict;

    void subscribe(const client::Topic &topic)
    {
        if (m_subscriptions.add(topic))
            m_sequencer.topicAdded(topic);
    }

    client::SubscriptionSet m_subscriptions;
    client::MarketSequencer m_sequencer;
    int m_problems = 0;
};

void prepareStore(market::MarketStore *store, const Recording &recording)
{
    store->setInstruments(recording.instruments);
    store->setWatchlist(recording.symbols);
    store->setSelectedSymbol(recording.selected);
    store->setCandleInterval(protocol::CandleInterval::M1);
}

struct StageTimes
{
    double decodeNs = 0;
    double sequenceNs = 0;
    double applyNs = 0;
    double flushNs = 0;
    qsizetype batches = 0;
    qsizetype rejected = 0;
    int problems = 0;
};

StageTimes runStages(const Recording &recording, protocol::Encoding encoding, int batchEvents)
{
    StageTimes t;
    std::vector<protocol::Message> decoded;
    decoded.reserve(std::size_t(recording.frames.size()));
    std::int64_t start = bench::monotonicNs();
    for (const QByteArray &frame : recording.frames) {
        protocol::DecodeResult r = protocol::decode(frame, encoding);
        if (r.ok())
            decoded.push_back(std::move(*r.message));
    }
    t.decodeNs = double(bench::monotonicNs() - start);

    IngestPipeline pipeline(recording);
    QList<protocol::EventBatch> batches;
    start = bench::monotonicNs();
    for (protocol::Message &m : decoded) {
        pipeline.handle(std::move(m));
        if (pipeline.pending() >= batchEvents)
            batches.append(pipeline.takeBatch());
    }
    batches.append(pipeline.takeBatch());
    t.sequenceNs = double(bench::monotonicNs() - start);
    t.problems = pipeline.problems();

    market::MarketStore store;
    prepareStore(&store, recording);
    for (const protocol::EventBatch &batch : std::as_const(batches)) {
        start = bench::monotonicNs();
        t.rejected += store.apply(batch).rejected.size();
        const std::int64_t applied = bench::monotonicNs();
        store.flush();
        t.applyNs += double(applied - start);
        t.flushNs += double(bench::monotonicNs() - applied);
    }
    t.batches = batches.size();
    return t;
}

// Everything on one thread as it would run if it were one thread: the callgrind target.
[[gnu::noinline]] double runEndToEnd(const Recording &recording, protocol::Encoding encoding,
                                     int batchEvents)
{
    IngestPipeline pipeline(recording);
    market::MarketStore store;
    prepareStore(&store, recording);
    const std::int64_t start = bench::monotonicNs();
    for (const QByteArray &frame : recording.frames) {
        protocol::DecodeResult r = protocol::decode(frame, encoding);
        if (r.ok())
            pipeline.handle(std::move(*r.message));
        if (pipeline.pending() >= batchEvents) {
            store.apply(pipeline.takeBatch());
            store.flush();
        }
    }
    store.apply(pipeline.takeBatch());
    store.flush();
    return double(bench::monotonicNs() - start);
}

// The UTF-8 -> QString -> UTF-8 round trip a JSON text frame makes in QWebSocket and
// FeedConnection before decode() sees it.
double textRoundTripNs(const Recording &recording)
{
    const std::int64_t start = bench::monotonicNs();
    qsizetype sink = 0;
    for (const QByteArray &frame : recording.frames)
        sink += QString::fromUtf8(frame).toUtf8().size();
    const double ns = double(bench::monotonicNs() - start);
    return sink > 0 ? ns : 0;
}

// Decode cost by message kind.
void printDecodeByKind(const Recording &recording, protocol::Encoding encoding)
{
    QHash<QString, QPair<double, qsizetype>> byKind;
    for (const QByteArray &frame : recording.frames) {
        const std::int64_t start = bench::monotonicNs();
        const protocol::DecodeResult r = protocol::decode(frame, encoding);
        const double ns = double(bench::monotonicNs() - start);
        if (!r.ok())
            continue;
        auto &entry = byKind[QString(protocol::typeName(*r.message))];
        entry.first += ns;
        ++entry.second;
    }
    for (auto it = byKind.cbegin(); it != byKind.cend(); ++it)
        std::printf("  decode %-7s %6lld frames  %7.0f ns/frame\n", qUtf8Printable(it.key()),
                    qint64(it->second), it->first / double(it->second));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Client ingest: decode, sequence, store, flush."_s);
    parser.addHelpOption();
    const QCommandLineOption steps(u"steps"_s, u"Simulation steps of 100 ms to record."_s, u"n"_s,
                                   u"3000"_s);
    const QCommandLineOption rate(u"rate"_s, u"Trades per second per instrument."_s, u"n"_s,
                                  u"200"_s);
    const QCommandLineOption batch(u"batch"_s,
                                   u"Events per batch and flush (16,000 = 1M events/s at 60 "
                                   "frames/s)."_s,
                                   u"n"_s, u"16000"_s);
    const QCommandLineOption encodings(u"encodings"_s, u"json, cbor or json,cbor."_s, u"list"_s,
                                       u"json,cbor"_s);
    const QCommandLineOption passes(u"passes"_s,
                                    u"End-to-end passes measured (the median is the figure: one "
                                    "pass is ~0.1 s, which a neighbour on a shared VM can "
                                    "slow)."_s,
                                    u"n"_s, u"9"_s);
    const QCommandLineOption noPin(u"no-pin"_s,
                                   u"Leave the thread to the scheduler instead of keeping it on "
                                   "the core it starts on."_s);
    const QCommandLineOption profile(u"profile"_s, u"Only the end-to-end pass (for callgrind)."_s);
    parser.addOptions({steps, rate, batch, encodings, passes, noPin, profile});
    parser.process(app);

    const int batchEvents = parser.value(batch).toInt();
    const int passCount = std::max(1, parser.value(passes).toInt());
    if (!parser.isSet(profile))
        bench::printMachine("bench_ingest");
    // "On one core", literally: on this project's 2-core VMs an unpinned run was now and then
    // ~35 % slower in all of its passes (docs/performance.md), a pinned one never.
    const int cpu = sched_getcpu();
    if (!parser.isSet(noPin) && cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        if (sched_setaffinity(0, sizeof set, &set) == 0 && !parser.isSet(profile))
            std::printf("# pinned to CPU %d (--no-pin to leave it to the scheduler)\n", cpu);
    }
    for (const QString &name : parser.value(encodings).split(u',')) {
        const auto encoding =
            name.trimmed() == u"cbor"_s ? protocol::Encoding::Cbor : protocol::Encoding::Json;
        const Recording recording =
            record(parser.value(steps).toInt(), parser.value(rate).toDouble(), encoding);
        const auto n = double(recording.frames.size());
        if (parser.isSet(profile)) {
            const double ns = runEndToEnd(recording, encoding, batchEvents);
            std::printf("%s: %.0f events/s\n", qUtf8Printable(name), n / ns * 1e9);
            continue;
        }
        qsizetype bytes = 0;
        for (const QByteArray &f : recording.frames)
            bytes += f.size();
        // Warm up allocators and caches once, then measure.
        runEndToEnd(recording, encoding, batchEvents);
        std::vector<double> e2eRuns;
        const double steal0 = bench::stealSeconds();
        const std::int64_t passes0 = bench::monotonicNs();
        for (int i = 0; i < passCount; ++i)
            e2eRuns.push_back(runEndToEnd(recording, encoding, batchEvents));
        const double steal = bench::stealPercent(steal0, bench::stealSeconds(),
                                                 double(bench::monotonicNs() - passes0) / 1e9);
        std::sort(e2eRuns.begin(), e2eRuns.end());
        const double e2e = e2eRuns[e2eRuns.size() / 2];
        // The stage passes hold every decoded message between stages, so the first touches of
        // that memory weigh on them; each stage's figure is its median over three runs.
        std::vector<StageTimes> stageRuns;
        for (int i = 0; i < 3; ++i)
            stageRuns.push_back(runStages(recording, encoding, batchEvents));
        StageTimes t = stageRuns.front();
        for (double StageTimes::*stage : {&StageTimes::decodeNs, &StageTimes::sequenceNs,
                                          &StageTimes::applyNs, &StageTimes::flushNs}) {
            std::vector<double> ns;
            for (const StageTimes &run : stageRuns)
                ns.push_back(run.*stage);
            std::sort(ns.begin(), ns.end());
            t.*stage = ns[ns.size() / 2];
        }
        std::printf("\n## %s: %lld frames (%.0f bytes avg), batches of %d events\n\n",
                    qUtf8Printable(name.trimmed()), qint64(n), double(bytes) / n, batchEvents);
        std::printf("| stage | ns/event |\n|---|---|\n");
        if (encoding == protocol::Encoding::Json)
            std::printf("| (QWebSocket text frame: UTF-8 -> QString -> UTF-8) | %.0f |\n",
                        textRoundTripNs(recording) / n);
        std::printf("| decode (protocol::decode) | %.0f |\n", t.decodeNs / n);
        std::printf("| sequence (subscriptions, stream seq, book + checksum, batch) | %.0f |\n",
                    t.sequenceNs / n);
        std::printf("| store apply (MarketStore::apply) | %.0f |\n", t.applyNs / n);
        std::printf("| model flush (MarketStore::flush, %lld flushes) | %.0f |\n",
                    qint64(t.batches), t.flushNs / n);
        std::printf("| decode + sequence + apply | %.0f |\n",
                    (t.decodeNs + t.sequenceNs + t.applyNs) / n);
        std::printf("| end to end, one thread (median of %d passes) | %.0f |\n", passCount,
                    e2e / n);
        std::printf("\nend to end: %.0f events/s on one core, median of %d passes (slowest %.0f, "
                    "fastest %.0f; host steal %.1f %%; book/sequence problems: %d, rejected by "
                    "the store: %lld)\n",
                    n / e2e * 1e9, passCount, n / e2eRuns.back() * 1e9, n / e2eRuns.front() * 1e9,
                    steal, t.problems, qint64(t.rejected));
        printDecodeByKind(recording, encoding);
        std::fflush(stdout);
    }
    return 0;
}
