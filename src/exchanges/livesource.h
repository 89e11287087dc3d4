#pragma once

#include "exchanges/marketsource.h"

#include <QtCore/QStringList>
#include <QtCore/QUrl>

#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace tickwire::exchanges {

// What to read from which exchange.
struct LiveSourceOptions
{
    QString exchange; // one of liveExchanges()
    QStringList symbols; // tickwire names (BASE-QUOTE); empty: defaultSymbols(exchange)
    QUrl webSocketBase; // empty: the exchange's own endpoint
    QUrl restBase; // empty: the exchange's own endpoint (where the exchange needs REST)
    FrameRecorder *recorder = nullptr; // not owned; records discovery and the source's traffic
    // No upstream message for this long means a dead link (reconnect); 0: the exchange's own
    // bound (its heartbeat or ticker cadence, with margin).
    int silenceTimeoutMs = 0;
};

// The exchanges a live source can read: "binance", "coinbase", "kraken".
[[nodiscard]] QStringList liveExchanges();
// A sensible set of liquid symbols per exchange, in tickwire names.
[[nodiscard]] QStringList defaultSymbols(QStringView exchange);
// The exchange's own base endpoints (shown in --help).
[[nodiscard]] QUrl defaultWebSocketBase(QStringView exchange);
[[nodiscard]] QUrl defaultRestBase(QStringView exchange);

// Called once: the source (not started) and the instruments it will report, in the order
// asked for; or a null source and an error that names the problem (an unknown symbol, an
// unreachable exchange, an answer that makes no sense).
using LiveSourceReady =
    std::function<void(std::unique_ptr<MarketSource> source,
                       QList<protocol::InstrumentInfo> instruments, QString error)>;

// Discovers the instruments (tick and lot) of `options.symbols` on the exchange, then builds
// its adapter. `network` must outlive the call.
void openLiveSource(QNetworkAccessManager *network, const LiveSourceOptions &options,
                    const LiveSourceReady &done);

} // namespace tickwire::exchanges
