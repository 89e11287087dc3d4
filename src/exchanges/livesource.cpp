#include "exchanges/livesource.h"

#include "exchanges/binancesource.h"
#include "exchanges/coinbasesource.h"
#include "exchanges/framerecorder.h"

namespace tickwire::exchanges {

using namespace Qt::StringLiterals;

namespace {

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
        [coinbase, recorder, done](QList<coinbase::ProductInfo> found,
                                   const QString &error) mutable {
            if (!error.isEmpty()) {
                done(nullptr, {}, error);
                return;
            }
            QList<protocol::InstrumentInfo> instruments;
            for (const auto &p : std::as_const(found))
                instruments.append(p.info);
            coinbase.products = std::move(found);
            auto source = std::make_unique<CoinbaseSource>(std::move(coinbase));
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
    return {u"binance"_s, u"coinbase"_s};
}

QStringList defaultSymbols(QStringView exchange)
{
    if (exchange == u"binance")
        return {u"BTC-USDT"_s, u"ETH-USDT"_s, u"SOL-USDT"_s, u"BNB-USDT"_s, u"XRP-USDT"_s};
    if (exchange == u"coinbase")
        return {u"BTC-USD"_s, u"ETH-USD"_s, u"SOL-USD"_s, u"XRP-USD"_s, u"DOGE-USD"_s};
    return {};
}

QUrl defaultWebSocketBase(QStringView exchange)
{
    if (exchange == u"binance")
        return BinanceOptions().webSocketBase;
    if (exchange == u"coinbase")
        return CoinbaseOptions().webSocketBase;
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
    done(nullptr, {},
         u"unknown market source \"%1\" (expected one of %2)"_s.arg(resolved.exchange,
                                                                    liveExchanges().join(u", "_s)));
}

} // namespace tickwire::exchanges
