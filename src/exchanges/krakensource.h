#pragma once

#include "client/reconnectpolicy.h"
#include "exchanges/krakenbook.h"
#include "exchanges/marketsource.h"

#include <QtCore/QHash>
#include <QtCore/QTimer>
#include <QtCore/QUrl>

#include <functional>
#include <memory>
#include <vector>

class QWebSocket;

namespace tickwire::exchanges {

class UpstreamSocket;

struct KrakenOptions
{
    // The whole endpoint (Kraken's v2 API lives at /v2); used as given.
    QUrl webSocketBase{QStringLiteral("wss://ws.kraken.com/v2")};
    QList<kraken::SymbolInfo> symbols; // from the instrument channel (fetchKrakenSymbols)
    int depth = kraken::KrakenBookSync::DefaultDepth; // one of Kraken's 10, 25, 100, 500, 1000
    // Once subscribed, Kraken sends a heartbeat about every second when nothing else arrives.
    // Half this long without a message: a ping; this long: the connection is dead.
    int silenceTimeoutMs = 10'000;
    client::ReconnectOptions reconnect;
};

// The Kraken Spot WebSocket v2 adapter: one connection, subscribed to `book` (depth 25, its
// CRC-32 checked by KrakenBookSync), `trade`, `ticker` and `ohlc` at 1, 5, 15 and 60 minutes
// for every symbol. A book whose checksum fails is unsubscribed and subscribed again for a new
// snapshot; after KrakenBookSync::MaxFailures failures in a row it is published unverified
// (SourceState::Unverified). Silence is detected by heartbeat: a ping after half the timeout,
// a reconnect after all of it. Reconnects back off with full jitter (client::ReconnectPolicy)
// and resubscribe everything. Lives on one thread (the engine's), where start() is called.
class KrakenSource final : public MarketSource
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KrakenSource)

public:
    explicit KrakenSource(KrakenOptions options, QObject *parent = nullptr);
    ~KrakenSource() override;

    [[nodiscard]] QString name() const override { return QStringLiteral("kraken"); }
    void start() override;
    void stop() override;
    void resync(const QString &symbol) override;

    [[nodiscard]] SourceStatus status() const;
    // The book sync of `symbol` (tickwire name), or null (for tests and diagnostics).
    [[nodiscard]] const kraken::KrakenBookSync *book(const QString &symbol) const;
    // An error that makes start() pointless (no symbols, an unsupported depth).
    [[nodiscard]] QString configurationError() const;

private:
    void onConnected();
    void onDisconnected();
    void onText(const QString &text);
    void send(const QString &text);
    void subscribeAll();
    void handleBook(int index, const kraken::KrakenBookSync::Output &output);
    void updateStatus();

    KrakenOptions m_options;
    std::vector<std::unique_ptr<kraken::KrakenBookSync>> m_books;
    QHash<QString, int> m_byExchangeSymbol; // "BTC/USD" -> index
    QHash<QString, int> m_bySymbol; // "BTC-USD" -> index
    // A child, so that moving the source to the engine thread moves it too.
    UpstreamSocket *m_upstream;
    std::int64_t m_nextReqId = 1;
    SourceStatus m_status;
};

// A short WebSocket session on `url`: subscribes to the instrument channel, reads its snapshot,
// closes, and picks `symbols` (tickwire form, "BTC-USD"; XBT means BTC) in that order (empty:
// every pair that is not delisted). Calls `done` once with the symbols or an error naming what
// is missing. The socket is a child of `parent`; recorded when `recorder` is set.
void fetchKrakenSymbols(QObject *parent, const QUrl &url, const QStringList &symbols,
                        const std::function<void(QList<kraken::SymbolInfo>, QString)> &done,
                        FrameRecorder *recorder = nullptr, int timeoutMs = 20'000);

} // namespace tickwire::exchanges
