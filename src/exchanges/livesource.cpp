#include "exchanges/livesource.h"

#include "exchanges/binancesource.h"
#include "exchanges/framerecorder.h"
#include "exchanges/krakensource.h"

#include <QtNetwork/QNetworkAccessManager>

namespace tickwire::exchanges {

using namespace Qt::StringLiterals;

namespace {

void openBinance(QNetworkAccessManager *network, const LiveSourceOptions &options,
                 const LiveSourceReady &done)
{
    BinanceOptions binance;
    binance.webSocketBase = options.webSocketBase;
    binance.restBase = options.restBase;
    FrameRecorder *recorder = options.recorder;
    fetchBinanceSymbols(
        network, binance.restBase, options.symbols,
        [binance, recorder, done](QList<binance::SymbolInfo> found, const QString &error) mutable {
            if (!error.isEmpty()) {
                done(nullptr, {}, error);
                return;
            }
            QList<protocol::InstrumentInfo> instruments;
            for (const auto &s : std::as_const(found))
                instruments.append(s.info);
            binance.symbols = std::move(found);
            auto source = std::make_unique<BinanceSource>(std::move(binance));
            if (const QString problem = source->configurationError(); !problem.isEmpty()) {
                done(nullptr, {}, problem);
                return;
            }
            source->setRecorder(recorder);
            done(std::move(source), instruments, {});
        },
        recorder);
}

// Kraken has no REST step: the instruments come from a short WebSocket session on the same
// endpoint the adapter then uses.
void openKraken(QNetworkAccessManager *network, const LiveSourceOptions &options,
                const LiveSourceReady &done)
{
    KrakenOptions krakenOptions;
    krakenOptions.webSocketBase = options.webSocketBase;
    FrameRecorder *recorder = options.recorder;
    fetchKrakenSymbols(
        network, krakenOptions.webSocketBase, options.symbols,
        [krakenOptions, recorder, done](QList<kraken::SymbolInfo> found,
                                        const QString &error) mutable {
            if (!error.isEmpty()) {
                done(nullptr, {}, error);
                return;
            }
            QList<protocol::InstrumentInfo> instruments;
            for (const auto &s : std::as_const(found))
                instruments.append(s.info);
            krakenOptions.symbols = std::move(found);
            auto source = std::make_unique<KrakenSource>(std::move(krakenOptions));
            if (const QString problem = source->configurationError(); !problem.isEmpty()) {
                done(nullptr, {}, problem);
                return;
            }
            source->setRecorder(recorder);
            done(std::move(source), instruments, {});
        },
        recorder);
}

} // namespace

QStringList liveExchanges()
{
    return {u"binance"_s, u"kraken"_s};
}

QStringList defaultSymbols(QStringView exchange)
{
    if (exchange == u"binance")
        return {u"BTC-USDT"_s, u"ETH-USDT"_s, u"SOL-USDT"_s, u"BNB-USDT"_s, u"XRP-USDT"_s};
    if (exchange == u"kraken")
        return {u"BTC-USD"_s, u"ETH-USD"_s, u"SOL-USD"_s, u"XRP-USD"_s, u"DOGE-USD"_s};
    return {};
}

QUrl defaultWebSocketBase(QStringView exchange)
{
    if (exchange == u"binance")
        return BinanceOptions().webSocketBase;
    if (exchange == u"kraken")
        return KrakenOptions().webSocketBase;
    return {};
}

QUrl defaultRestBase(QStringView exchange)
{
    if (exchange == u"binance")
        return BinanceOptions().restBase;
    return {};
}

void openLiveSource(QNetworkAccessManager *network, const LiveSourceOptions &options,
                    const LiveSourceReady &done)
{
    LiveSourceOptions resolved = options;
    if (resolved.symbols.isEmpty())
        resolved.symbols = defaultSymbols(resolved.exchange);
    if (resolved.webSocketBase.isEmpty())
        resolved.webSocketBase = defaultWebSocketBase(resolved.exchange);
    if (resolved.restBase.isEmpty())
        resolved.restBase = defaultRestBase(resolved.exchange);
    if (resolved.exchange == u"binance") {
        openBinance(network, resolved, done);
        return;
    }
    if (resolved.exchange == u"kraken") {
        openKraken(network, resolved, done);
        return;
    }
    done(nullptr, {},
         u"unknown market source \"%1\" (expected one of %2)"_s.arg(resolved.exchange,
                                                                    liveExchanges().join(u", "_s)));
}

} // namespace tickwire::exchanges
