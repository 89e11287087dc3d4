#pragma once

#include "client/reconnectpolicy.h"
#include "exchanges/binancebook.h"
#include "exchanges/marketsource.h"

#include <QtCore/QHash>
#include <QtCore/QTimer>
#include <QtCore/QUrl>

#include <deque>
#include <functional>
#include <memory>
#include <vector>

class QNetworkAccessManager;
class QNetworkReply;

namespace tickwire::exchanges {

class UpstreamSocket;

struct BinanceOptions
{
    QUrl webSocketBase{QStringLiteral("wss://stream.binance.com:9443")}; // + /stream?streams=…
    QUrl restBase{QStringLiteral("https://api.binance.com")}; // + /api/v3/…
    QList<binance::SymbolInfo> symbols; // from exchangeInfo (fetchBinanceSymbols)
    int depthLimit = 1000; // levels of the REST snapshot (request weight 50 at 1000)
    // Binance ends every connection at 24 h; reconnecting a little earlier keeps that in our
    // hands. The books resync after every reconnect.
    qint64 maxConnectionMs = 23LL * 3600 * 1000 + 30 * 60 * 1000;
    // No message at all for this long: the connection is dead (Binance's tickers alone arrive
    // every second per symbol).
    int silenceTimeoutMs = 30'000;
    client::ReconnectOptions reconnect;
    // Upstream WebSocket connections are limited to 1024 streams; this adapter opens one.
    static constexpr int MaxStreamsPerConnection = 1024;
};

// The Binance Spot adapter: one combined-stream WebSocket (@ticker, @trade, @depth@100ms and
// @kline_<interval> for every tickwire interval, per symbol) and REST depth snapshots, one at
// a time, for the documented local book procedure (BinanceBookSync). It sends nothing on the
// WebSocket but the pong frames QWebSocket answers pings with (the subscriptions are in the
// URL), so Binance's 5 messages/s incoming limit cannot be reached. Reconnects back off with
// full jitter (client::ReconnectPolicy); on serverShutdown and before the 24 h cut it
// reconnects at once. Lives on one thread (the engine's), where start() is called.
class BinanceSource final : public MarketSource
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BinanceSource)

public:
    explicit BinanceSource(BinanceOptions options, QObject *parent = nullptr);
    ~BinanceSource() override;

    [[nodiscard]] QString name() const override { return QStringLiteral("binance"); }
    void start() override;
    void stop() override;
    void resync(const QString &symbol) override;

    [[nodiscard]] SourceStatus status() const;
    [[nodiscard]] QUrl streamUrl() const;
    // An error that makes start() pointless (too many streams for one connection).
    [[nodiscard]] QString configurationError() const;

private:
    void onConnected();
    void onDisconnected();
    void onText(const QString &text);
    void handleBook(int index, const binance::BinanceBookSync::Output &output);
    void queueSnapshot(int index);
    void fetchNextSnapshot();
    void onSnapshotReply(QNetworkReply *reply, int index, quint64 generation);
    void updateStatus();

    BinanceOptions m_options;
    std::vector<std::unique_ptr<binance::BinanceBookSync>> m_books;
    QHash<QString, int> m_byExchangeSymbol; // "BTCUSDT" -> index
    QHash<QString, int> m_bySymbol; // "BTC-USDT" -> index
    UpstreamSocket *m_upstream;
    QNetworkAccessManager *m_network = nullptr;
    // Children, so that moving the source to the engine thread moves them too.
    QTimer *m_maxAgeTimer;
    QTimer *m_restTimer; // next snapshot after a REST failure or Retry-After
    client::ReconnectPolicy m_restPolicy;
    std::deque<int> m_snapshotQueue;
    std::vector<bool> m_queued;
    bool m_snapshotInFlight = false;
    quint64 m_generation = 0; // per connection: snapshot replies of an older one are dropped
    SourceStatus m_status;
};

// GET /api/v3/exchangeInfo and pick `symbols` (tickwire form, "BTC-USDT"), in that order; an
// empty list picks every TRADING symbol. Calls `done` once with the symbols or an error naming
// what is missing. The reply is a child of `network`.
void fetchBinanceSymbols(QNetworkAccessManager *network, const QUrl &restBase,
                         const QStringList &symbols,
                         const std::function<void(QList<binance::SymbolInfo>, QString)> &done,
                         FrameRecorder *recorder = nullptr);

} // namespace tickwire::exchanges
