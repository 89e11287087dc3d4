#pragma once

#include "client/reconnectpolicy.h"
#include "exchanges/coinbasebook.h"
#include "exchanges/marketsource.h"
#include "exchanges/tradecandles.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>
#include <QtCore/QUrl>

#include <deque>
#include <functional>
#include <vector>

class QNetworkAccessManager;

namespace tickwire::exchanges {

class UpstreamSocket;

struct CoinbaseOptions
{
    QUrl webSocketBase{QStringLiteral("wss://advanced-trade-ws.coinbase.com")};
    QUrl restBase{QStringLiteral("https://api.coinbase.com")}; // + /api/v3/brokerage/…
    QList<coinbase::ProductInfo> products; // from the products endpoint (fetchCoinbaseProducts)
    // Coinbase sends a heartbeat every second on the heartbeats channel; none for this long
    // means the connection is dead (Coinbase also closes channels after 60-90 s of silence).
    int heartbeatTimeoutMs = 10'000;
    // Coinbase accepts 8 unauthenticated messages per second per IP; the adapter paces its
    // subscribes and unsubscribes below that.
    int messagesPerSecond = 6;
    client::ReconnectOptions reconnect;
};

// The Coinbase Advanced Trade adapter: one public WebSocket with the heartbeats channel and,
// for every product, level2 (CoinbaseBookSync), market_trades, ticker and candles (five
// minutes). The other candle intervals are built from the trades (TradeCandleBuilder). Every
// message's sequence_num is checked: a gap resubscribes every book, since the lost message
// could have been any of them. Resubscribes are batched into one unsubscribe and one subscribe
// message. Reconnects back off with full jitter (client::ReconnectPolicy); heartbeats that stop
// close the connection. Lives on one thread (the engine's), where start() is called.
class CoinbaseSource final : public MarketSource
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CoinbaseSource)

public:
    explicit CoinbaseSource(CoinbaseOptions options, QObject *parent = nullptr);
    ~CoinbaseSource() override;

    [[nodiscard]] QString name() const override { return QStringLiteral("coinbase"); }
    void start() override;
    void stop() override;
    void resync(const QString &symbol) override;

    [[nodiscard]] SourceStatus status() const;
    // An error that makes start() pointless (no products).
    [[nodiscard]] QString configurationError() const;

    // The candle intervals built from trades (every tickwire interval but five minutes).
    [[nodiscard]] static QList<protocol::CandleInterval> tradeBuiltIntervals();

private:
    void onConnected();
    void onDisconnected();
    void onText(const QString &text);
    void handleBooks(const coinbase::CoinbaseBookSet::Output &output);
    void flushResubscribes();
    void send(const QString &text);
    void sendQueued();
    void updateStatus();
    [[nodiscard]] QStringList productIds() const;

    CoinbaseOptions m_options;
    coinbase::CoinbaseBookSet m_books; // also checks the connection's sequence_num
    std::vector<TradeCandleBuilder> m_candles; // by product index
    // Children, so that moving the source to the engine thread moves them too.
    UpstreamSocket *m_upstream;
    QTimer *m_heartbeatTimer; // heartbeat timeout, while connected
    QTimer *m_sendTimer; // next paced message
    QTimer *m_flushTimer; // batches the resubscribes of one event-loop pass
    QStringList m_resubscribe; // product ids waiting for the flush
    std::deque<QString> m_outbox;
    std::deque<qint64> m_sentAt; // m_clock times of the messages sent in the last second
    QElapsedTimer m_clock;
    SourceStatus m_status;
};

// GET /api/v3/brokerage/market/products?product_ids=… and pick `symbols` (tickwire form, which
// is Coinbase's product id, "BTC-USD"), in that order; an empty list picks every online spot
// product. Calls `done` once with the products or an error naming what is missing. The reply
// is a child of `network`.
void fetchCoinbaseProducts(QNetworkAccessManager *network, const QUrl &restBase,
                           const QStringList &symbols,
                           const std::function<void(QList<coinbase::ProductInfo>, QString)> &done,
                           FrameRecorder *recorder = nullptr);

} // namespace tickwire::exchanges
