#pragma once

#include "protocol/codec.h"
#include "protocol/orderbook.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QSet>

#include <array>
#include <deque>
#include <random>

class QTimer;
class QWebSocket;
class QWebSocketServer;

namespace tickwire::bench {

// A tickwire/1 server that pushes a fixed, adjustable event rate with no simulation behind it,
// for the dashboard benchmarks: the default instruments plus synthetic ones up to `symbols`,
// candle snapshots of `candles` candles (the dashboard keeps 2,000), 20-level books with valid
// checksums, heartbeats. By default, of every 100 events 80 are tickers spread over every
// ticker subscription, 15 trades, 4 book updates and 1 candle update of the symbols subscribed
// to those channels (the dashboard's selected symbol). One thread; sends through QWebSocket.
class ScriptedFeed : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScriptedFeed)

public:
    struct Options
    {
        int symbols = 50;
        int candles = 2000;
        double eventsPerSecond = 0;
        // Of every 100 events: tickers, trades, book updates, candle updates.
        std::array<int, 4> mix{80, 15, 4, 1};
    };

    explicit ScriptedFeed(Options options, QObject *parent = nullptr);
    ~ScriptedFeed() override;

    [[nodiscard]] bool listen(quint16 port, QString *error);
    [[nodiscard]] quint16 port() const;
    void setRate(double eventsPerSecond);

private:
    struct Market
    {
        protocol::InstrumentInfo info;
        std::int64_t priceTicks = 0;
        protocol::Ticker ticker;
        std::int64_t tradeSeq = 0;
        std::int64_t nextTradeId = 1;
        std::deque<protocol::Trade> recentTrades;
        protocol::OrderBook book;
        std::int64_t bookSeq = 0;
        protocol::CandleInterval interval = protocol::CandleInterval::M1;
        QList<protocol::Candle> candles;
        std::int64_t candleSeq = 0;
    };
    struct Client
    {
        QWebSocket *socket = nullptr;
        protocol::Encoding encoding = protocol::Encoding::Json;
        QSet<QString> subscribed; // "ticker:SYM", "trades:SYM", "book:SYM", "candles:SYM"
    };

    void onConnection();
    void onRequest(Client *client, const QByteArray &payload, protocol::Encoding encoding);
    void subscribe(Client *client, const protocol::Subscribe &request);
    void tick();
    void publish(const QString &stream, const protocol::Message &message);
    void send(Client *client, const protocol::Message &message);

    [[nodiscard]] protocol::Ticker nextTicker(Market &market, std::int64_t now);
    [[nodiscard]] protocol::Trade nextTrade(Market &market, std::int64_t now);
    [[nodiscard]] protocol::Book nextBookUpdate(Market &market, std::int64_t now);
    [[nodiscard]] protocol::Candle nextCandle(Market &market, std::int64_t now);
    [[nodiscard]] protocol::Book bookSnapshot(Market &market, std::int64_t now);
    [[nodiscard]] protocol::CandlesSnapshot
    candleHistory(Market &market, protocol::CandleInterval interval, std::int64_t now);
    [[nodiscard]] Decimal price(const Market &market, std::int64_t ticks) const;
    [[nodiscard]] Decimal quantity(const Market &market, std::int64_t lots) const;
    [[nodiscard]] QStringList subscribedSymbols(QLatin1StringView channel) const;

    Options m_options;
    QWebSocketServer *m_server = nullptr;
    QTimer *m_timer = nullptr;
    QTimer *m_heartbeat = nullptr;
    QList<Market> m_markets;
    QHash<QString, qsizetype> m_bySymbol;
    QList<Client *> m_clients;
    std::mt19937_64 m_random{7};
    double m_carry = 0; // fractional events owed to the next tick
    std::int64_t m_lastTickMs = 0;
    std::int64_t m_turn = 0;
};

} // namespace tickwire::bench
