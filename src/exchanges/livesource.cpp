#include "exchanges/livesource.h"

#include "exchanges/binancesource.h"
#include "exchanges/coinbasesource.h"
#include "exchanges/framerecorder.h"
#include "exchanges/krakensource.h"

#include <QtNetwork/QNetworkAccessManager>

namespace tickwire::exchanges {

using namespace Qt::StringLiterals;

namespace {

// What every exchange does once its instruments are known: the instrument list in the order
// discovered, the adapter built from `options` (whose `list` member takes the exchange's own
// symbol records), checked, given the recorder, handed over.
template<typename Source, typename Options, typename Info>
void handOver(Options options, QList<Info> Options::*list, QList<Info> found, const QString &error,
              FrameRecorder *recorder, const LiveSourceReady &done)
{
    if (!error.isEmpty()) {
        done(nullptr, {}, error);
        return;
    }
    QList<protocol::InstrumentInfo> instruments;
    for (const Info &s : std::as_const(found))
        instruments.append(s.info);
    options.*list = std::move(found);
    auto source = std::make_unique<Source>(std::move(options));
    if (const QString problem = source->configurationError(); !problem.isEmpty()) {
        done(nullptr, {}, problem);
        return;
    }
    source->setRecorder(recorder);
    done(std::move(source), instruments, {});
}

void openBinance(QNetworkAccessManager *network, const LiveSourceOptions &options,
                 const LiveSourceReady &done)
{
    BinanceOptions binance;
    binance.webSocketBase = options.webSocketBase;
    binance.restBase = options.restBase;
    if (options.silenceTimeoutMs > 0)
        binance.silenceTimeoutMs = options.silenceTimeoutMs;
    FrameRecorder *recorder = options.recorder;
    fetchBinanceSymbols(
        network, binance.restBase, options.symbols,
        [binance, recorder, done](QList<binance::SymbolInfo> found, const QString &error) {
            handOver<BinanceSource>(binance, &BinanceOptions::symbols, std::move(found), error,
                                    recorder, done);
        },
        recorder);
}

void openCoinbase(QNetworkAccessManager *network, const LiveSourceOptions &options,
                  const LiveSourceReady &done)
{
    CoinbaseOptions coinbase;
    coinbase.webSocketBase = options.webSocketBase;
    coinbase.restBase = options.restBase;
    if (options.silenceTimeoutMs > 0)
        coinbase.heartbeatTimeoutMs = options.silenceTimeoutMs;
    FrameRecorder *recorder = options.recorder;
    fetchCoinbaseProducts(
        network, coinbase.restBase, options.symbols,
        [coinbase, recorder, done](QList<coinbase::ProductInfo> found, const QString &error) {
            handOver<CoinbaseSource>(coinbase, &CoinbaseOptions::products, std::move(found), error,
                                     recorder, done);
        },
        recorder);
}

// Kraken has no REST step: the instruments come from a short WebSocket session on the same
// endpoint the adapter then uses.
void openKraken(QNetworkAccessManager *network, const LiveSourceOptions &options,
                const LiveSourceReady &done)
{
    KrakenOptions kraken;
    kraken.webSocketBase = options.webSocketBase;
    if (options.silenceTimeoutMs > 0)
        kraken.silenceTimeoutMs = options.silenceTimeoutMs;
    FrameRecorder *recorder = options.recorder;
    fetchKrakenSymbols(
        network, kraken.webSocketBase, options.symbols,
        [kraken, recorder, done](QList<kraken::SymbolInfo> found, const QString &error) {
            handOver<KrakenSource>(kraken, &KrakenOptions::symbols, std::move(found), error,
                                   recorder, done);
        },
        recorder);
}

} // namespace

QStringList liveExchanges()
{
    return {u"binance"_s, u"coinbase"_s, u"kraken"_s};
}

QStringList defaultSymbols(QStringView exchange)
{
    if (exchange == u"binance")
        return {u"BTC-USDT"_s, u"ETH-USDT"_s, u"SOL-USDT"_s, u"BNB-USDT"_s, u"XRP-USDT"_s};
    if (exchange == u"coinbase" || exchange == u"kraken")
        return {u"BTC-USD"_s, u"ETH-USD"_s, u"SOL-USD"_s, u"XRP-USD"_s, u"DOGE-USD"_s};
    return {};
}

QUrl defaultWebSocketBase(QStringView exchange)
{
    if (exchange == u"binance")
        return BinanceOptions().webSocketBase;
    if (exchange == u"coinbase")
        return CoinbaseOptions().webSocketBase;
    if (exchange == u"kraken")
        return KrakenOptions().webSocketBase;
    return {};
}

QUrl defaultRestBase(QStringView exchange)
{
    if (exchange == u"binance")
        return BinanceOptions().restBase;
    if (exchange == u"coinbase")
        return CoinbaseOptions().restBase;
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
    if (resolved.exchange == u"coinbase") {
        openCoinbase(network, resolved, done);
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
