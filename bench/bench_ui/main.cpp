// bench_ui: the dashboard offscreen (or on whatever QPA platform the environment selects, e.g.
// xcb under Xvfb) with 50 watchlist symbols, a 2,000-candle chart, the 20-level book and the
// tape, fed by the scripted feed (bench_server --mode script) through the real client: frame
// interval and CPU per frame, first idle, then at a fixed event rate.
//
// Frames are demanded continuously (a new one is requested as soon as one is swapped, as a
// running animation would), so idle and load are compared at the same demand, with two
// pacings: "display", frames start on the ticks of a 60 Hz clock as vsync lets them on a
// monitor (what the user sees: does load make frames late?), and "unthrottled", frames start
// as soon as the platform delivers the request (offscreen: Qt's 5 ms update timer; how many
// frames the GUI thread could make). The frame interval is measured on the GUI thread between
// successive frame starts (afterAnimating), where the Dashboard flushes its models.
#include "benchsupport.h"
#include "dashboardharness.h"
#include "market/indicators.h"
#include "market/marketstore.h"
#include "market/orderbookmodel.h"
#include "market/quotemodel.h"
#include "ui/dashboard.h"
#include "ui/workspacestore.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QSettings>
#include <QtQuick/QQuickItem>
#include <QtQuick/QQuickWindow>
#include <QtWidgets/QApplication>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace tickwire;

namespace {

struct Phase
{
    const char *pacing = "";
    const char *name = "";
    double targetRate = 0;
    std::vector<double> intervals;
    double guiCpuMs = 0;
    double processCpuMs = 0;
    double serverCpuPercent = 0;
    double stealPercent = 0;
    double seconds = 0;
    qint64 events = 0;
};

Phase measure(bench::DashboardHarness &harness, bench::ServerProcess &feed, const char *name,
              double rate, int durationMs)
{
    Phase phase;
    phase.name = name;
    phase.targetRate = rate;
    market::MarketStore *store = harness.dashboard()->store();
    (void)harness.takeFrameIntervals();
    const qint64 events0 = store->stats().events;
    const double gui0 = bench::threadCpuSeconds();
    const double process0 = bench::processCpuSeconds(bench::ownPid());
    const double server0 = bench::processCpuSeconds(feed.pid());
    const double steal0 = bench::stealSeconds();
    const std::int64_t t0 = bench::monotonicNs();
    bench::DashboardHarness::spin(durationMs);
    phase.seconds = double(bench::monotonicNs() - t0) / 1e9;
    phase.stealPercent = bench::stealPercent(steal0, bench::stealSeconds(), phase.seconds);
    phase.intervals = harness.takeFrameIntervals();
    const auto frames = double(std::max<std::size_t>(1, phase.intervals.size()));
    phase.guiCpuMs = (bench::threadCpuSeconds() - gui0) * 1000 / frames;
    phase.processCpuMs = (bench::processCpuSeconds(bench::ownPid()) - process0) * 1000 / frames;
    phase.serverCpuPercent = 100 * (bench::processCpuSeconds(feed.pid()) - server0) / phase.seconds;
    phase.events = store->stats().events - events0;
    return phase;
}

} // namespace

int main(int argc, char *argv[])
{
    bench::DashboardHarness::isolateSettings();
    QApplication app(argc, argv); // Qt Charts needs a QApplication
    QApplication::setOrganizationName(u"TickwireBench"_s);
    QApplication::setApplicationName(u"bench_ui"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Dashboard frame interval and CPU per frame, idle vs load."_s);
    parser.addHelpOption();
    const QCommandLineOption rate(u"rate"_s, u"Events per second under load."_s, u"n"_s,
                                  u"50000"_s);
    const QCommandLineOption duration(u"duration"_s, u"Milliseconds measured per phase."_s, u"ms"_s,
                                      u"5000"_s);
    const QCommandLineOption symbols(u"symbols"_s, u"Watchlist symbols."_s, u"n"_s, u"50"_s);
    const QCommandLineOption candles(u"candles"_s, u"Candles in the chart."_s, u"n"_s, u"2000"_s);
    const QCommandLineOption encoding(u"encoding"_s, u"json or cbor."_s, u"enc"_s, u"json"_s);
    const QCommandLineOption mix(u"mix"_s,
                                 u"Percent of tickers,trades,book,candle updates under load."_s,
                                 u"list"_s, u"80,15,4,1"_s);
    const QCommandLineOption pacing(u"pacing"_s,
                                    u"Frame pacing: display (60 Hz ticks), unthrottled or both."_s,
                                    u"p"_s, u"both"_s);
    const QCommandLineOption indicators(
        u"indicators"_s,
        u"Indicators on the chart, by kind with their default parameters: e.g. sma,bollinger,rsi "
        "(sma, ema, vwap, bollinger, rsi, macd; none by default)."_s,
        u"list"_s);
    
    const QCommandLineOption depth(u"depth"_s,
                                   u"Show the depth chart tab instead of the candles."_s);
    const QCommandLineOption secondDepth(
        u"second-depth"_s,
        u"Show the second chart beside the first, on its depth tab, for the watchlist's second "
        "symbol (with --indicators: indicators and a depth chart on screen together)."_s);
    parser.addOptions(
        {rate, duration, symbols, candles, encoding, mix, pacing, indicators, depth, secondDepth});
    parser.process(app);
    using Pacing = bench::DashboardHarness::Pacing;
    std::vector<std::pair<Pacing, const char *>> pacings;
    if (parser.value(pacing) != u"unthrottled")
        pacings.emplace_back(Pacing::Display, "display 60 Hz");
    if (parser.value(pacing) != u"display")
        pacings.emplace_back(Pacing::Unthrottled, "unthrottled");
    if (parser.value(pacing) != u"both" && pacings.size() != 1) {
        std::fprintf(stderr, "bench_ui: --pacing must be display, unthrottled or both\n");
        return 2;
    }

    bench::printMachine("bench_ui");
    bench::ServerProcess feed;
    QString error;
    if (!feed.start({u"--mode"_s, u"script"_s, u"--rate"_s, u"0"_s, u"--symbols"_s,
                     parser.value(symbols), u"--candles"_s, parser.value(candles), u"--mix"_s,
                     parser.value(mix)},
                    &error)) {
        std::fprintf(stderr, "bench_ui: %s\n", qUtf8Printable(error));
        return 1;
    }
    QSettings().setValue(u"server/encoding"_s, parser.value(encoding));
    // The chart's indicators as the settings keep them (what ChartPanel restores at start);
    // always written, so a run without --indicators has none.
    QStringList specs;
    for (const QString &name : parser.value(indicators).split(u',', Qt::SkipEmptyParts)) {
        const std::optional<market::IndicatorKind> kind =
            market::indicatorKindFromName(name.trimmed());
        if (!kind) {
            std::fprintf(stderr, "bench_ui: unknown indicator %s\n", qUtf8Printable(name));
            return 2;
        }
        specs.append(market::IndicatorSpec::defaults(*kind).toString());
    }
    QSettings().setValue(u"charts/main/indicators"_s, specs);
    std::printf("indicators: %s\n", specs.isEmpty() ? "none" : qUtf8Printable(specs.join(u", ")));
    // ChartPanel's tab, as the user left it (its Settings category "chart").
    QSettings().setValue(u"chart/view"_s, parser.isSet(depth) ? u"depth"_s : u"candles"_s);
    bench::DashboardHarness harness;
    if (!harness.start(feed.port(), &error)) {
        std::fprintf(stderr, "bench_ui: %s\n", qUtf8Printable(error));
        return 1;
    }
    if (parser.isSet(depth)) {
        const auto *view = harness.window()->findChild<QQuickItem *>(u"depthView"_s);
        if (!view || !view->isVisible()) {
            std::fprintf(stderr, "bench_ui: the depth chart is not shown\n");
            return 1;
        }
    }
    ui::Dashboard *dashboard = harness.dashboard();
    const auto &instruments = dashboard->store()->instruments();
    if (!harness.waitFor(
            [&] { return instruments.symbols().size() >= parser.value(symbols).toInt(); },
            15'000)) {
        std::fprintf(stderr, "bench_ui: no instruments from the feed\n");
        return 1;
    }
    const QStringList watch = instruments.symbols().mid(0, parser.value(symbols).toInt());
    harness.setWatchlist(watch);
    dashboard->store()->setSelectedSymbol(watch.first());
    market::MarketStore *store = dashboard->store();
    if (parser.isSet(secondDepth)) {
        if (watch.size() < 2) {
            std::fprintf(stderr, "bench_ui: --second-depth needs --symbols 2 or more\n");
            return 2;
        }
        store->setSecondSymbol(watch.at(1));
        dashboard->workspaces()->setSecondChart(true);
        auto *second = harness.window()->findChild<QQuickItem *>(u"secondChart"_s);
        if (!second || !second->setProperty("view", u"depth"_s)) {
            std::fprintf(stderr, "bench_ui: no second chart to show\n");
            return 1;
        }
    }

    const QAbstractItemModel *quotes = dashboard->quotes();
    const QAbstractItemModel *book = dashboard->store()->book();
    const bool ready = harness.waitFor(
        [&] {
            if (quotes->rowCount() != watch.size()
                || dashboard->store()->candles()->rowCount() < parser.value(candles).toInt()
                || dashboard->store()->tape()->rowCount() == 0)
                return false;
            for (int row = 0; row < quotes->rowCount(); ++row) {
                if (!quotes->data(quotes->index(row, 0), market::QuoteModel::HasDataRole).toBool())
                    return false;
            }
            if (parser.isSet(secondDepth)
                && (store->secondDepth()->bidCount() == 0 || store->secondDepth()->askCount() == 0))
                return false;
            return book->rowCount() > 0
                   && book->data(book->index(book->rowCount() / 2, 0),
                                 market::OrderBookModel::HasLevelRole)
                          .toBool();
        },
        20'000);
    std::printf("# %s; encoding %s; mix tickers,trades,book,candles = %s\n# watchlist %lld rows, "
                "chart %d candles, book %d rows, tape "
                "%d rows, chart tab %s%s%s\n",
                qUtf8Printable(harness.graphicsDescription()),
                qUtf8Printable(parser.value(encoding)), qUtf8Printable(parser.value(mix)),
                qint64(quotes->rowCount()), dashboard->store()->candles()->rowCount(),
                book->rowCount(), dashboard->store()->tape()->rowCount(),
                parser.isSet(depth) ? "depth" : "candles",
                parser.isSet(secondDepth) ? "; second chart: depth" : "",
                ready ? "" : " (NOT READY: figures are partial)");

    const int ms = parser.value(duration).toInt();
    std::vector<std::pair<Phase, Phase>> runs;
    for (const auto &[mode, label] : pacings) {
        harness.startFrames(mode);
        bench::DashboardHarness::spin(1000);
        Phase idle = measure(harness, feed, "idle", 0, ms);
        feed.command("rate " + parser.value(rate).toUtf8());
        bench::DashboardHarness::spin(1000);
        Phase load = measure(harness, feed, "load", parser.value(rate).toDouble(), ms);
        feed.command("rate 0");
        bench::DashboardHarness::spin(1000);
        idle.pacing = load.pacing = label;
        runs.emplace_back(std::move(idle), std::move(load));
    }

    std::printf("\n| pacing | phase | feed events/s | into store/s | frames | frame interval p50 / "
                "p99 / max ms | GUI thread CPU ms/frame | process CPU ms/frame | feed process CPU "
                "%% | host steal %% |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for (const auto &[idle, load] : runs) {
        for (const Phase *p : {&idle, &load}) {
            const bench::Percentiles f = bench::percentiles(p->intervals);
            std::printf("| %s | %s | %.0f | %.0f | %lld | %.1f / %.1f / %.1f | %.2f | %.2f | %.0f "
                        "| %.1f |\n",
                        p->pacing, p->name, p->targetRate, double(p->events) / p->seconds,
                        qint64(f.count), f.p50, f.p99, f.max, p->guiCpuMs, p->processCpuMs,
                        p->serverCpuPercent, p->stealPercent);
        }
    }
    std::printf("\n");
    for (const auto &[idle, load] : runs) {
        const double ratio = bench::percentiles(load.intervals).p99
                             / std::max(1e-9, bench::percentiles(idle.intervals).p99);
        std::printf("%s: frame interval p99 load/idle %.2fx (target <= 1.2x); GUI CPU under load "
                    "%.2f ms/frame (target <= 8)\n",
                    idle.pacing, ratio, load.guiCpuMs);
    }
    return 0;
}
