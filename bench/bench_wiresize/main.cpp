// bench_wiresize: bytes per ticker, trade, book update (and snapshot) and candle in JSON and
// CBOR, averaged over what the market simulator produces for every default instrument.
// "frame" adds the WebSocket header a server frame carries (2 bytes, 4 from 126 bytes on).
#include "benchsupport.h"
#include "protocol/codec.h"
#include "server/instruments.h"
#include "server/marketsimulator.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>

#include <cstdio>
#include <map>

using namespace Qt::StringLiterals;
using namespace tickwire;

namespace {

struct Sizes
{
    qint64 count = 0;
    qint64 json = 0;
    qint64 cbor = 0;
    qint64 jsonFrame = 0;
    qint64 cborFrame = 0;
};

qint64 frameBytes(qint64 payload)
{
    return payload + (payload < 126 ? 2 : payload < 65536 ? 4 : 10);
}

void add(Sizes *sizes, const protocol::Message &message)
{
    const qint64 json = protocol::encode(message, protocol::Encoding::Json).size();
    const qint64 cbor = protocol::encode(message, protocol::Encoding::Cbor).size();
    ++sizes->count;
    sizes->json += json;
    sizes->cbor += cbor;
    sizes->jsonFrame += frameBytes(json);
    sizes->cborFrame += frameBytes(cbor);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Bytes per message in each encoding."_s);
    parser.addHelpOption();
    const QCommandLineOption steps(u"steps"_s, u"Simulation steps of 100 ms."_s, u"n"_s, u"600"_s);
    parser.addOption(steps);
    parser.process(app);

    bench::printMachine("bench_wiresize");
    std::map<std::string, Sizes> sizes; // ordered for a stable table
    std::int64_t now = 1'763'891'234'567;
    for (const server::Instrument &instrument : server::defaultInstruments().instruments) {
        server::MarketSimulator simulator(instrument, 7, now);
        add(&sizes["book snapshot (20 levels)"], simulator.bookSnapshot(20));
        std::int64_t t = now;
        for (int i = 0; i < parser.value(steps).toInt(); ++i) {
            t += 100;
            const server::MarketUpdate u = simulator.step(t, 0.1, 20);
            for (const protocol::Trade &trade : u.trades)
                add(&sizes["trade"], trade);
            for (const server::TierUpdate &tier : u.books) {
                if (tier.tier == 20)
                    add(&sizes["book update (depth 20)"], tier.book);
            }
            for (const protocol::Candle &candle : u.candles)
                add(&sizes["candle"], candle);
            if (u.ticker)
                add(&sizes["ticker"], *u.ticker);
        }
    }
    std::printf("\n| message | samples | JSON bytes | CBOR bytes | CBOR/JSON | JSON frame | CBOR "
                "frame |\n|---|---|---|---|---|---|---|\n");
    for (const auto &[name, s] : sizes) {
        const double n = double(s.count);
        std::printf("| %s | %lld | %.1f | %.1f | %.2f | %.1f | %.1f |\n", name.c_str(), s.count,
                    double(s.json) / n, double(s.cbor) / n, double(s.cbor) / double(s.json),
                    double(s.jsonFrame) / n, double(s.cborFrame) / n);
    }
    return 0;
}
