#pragma once

#include "protocol/messages.h"
#include "protocol/orderbook.h"
#include "server/instruments.h"
#include "server/marketstate.h"

#include <QtCore/QList>

#include <array>
#include <deque>
#include <map>
#include <optional>
#include <random>
#include <vector>

namespace tickwire::server {

// The book depth tiers a client can subscribe to; a request for depth N gets the smallest
// tier >= N. Every tier is its own stream with its own seq.
inline constexpr std::array<int, 4> BookTiers{10, 20, 50, 100};
[[nodiscard]] std::optional<int> bookTierFor(int depth);

struct Execution
{
    Decimal price;
    Decimal qty;
    friend bool operator==(const Execution &, const Execution &) = default;
};

struct TierUpdate
{
    int tier = 0;
    protocol::Book book; // snapshot=false, only the levels that changed within the tier
};

// Everything one step (or one recorded trade, or one execution) produced, in publish order.
struct MarketUpdate
{
    QList<protocol::Trade> trades;
    QList<TierUpdate> books;
    QList<protocol::Candle> candles; // closed candles first, then the open ones that changed
    std::optional<protocol::Ticker> ticker;

    [[nodiscard]] bool isEmpty() const
    {
        return trades.isEmpty() && books.isEmpty() && candles.isEmpty() && !ticker;
    }
};

// One instrument's simulated market: a geometric Brownian motion price with jumps, a synthetic
// book of at least MinLevels a side that follows the price, trades taken from that book,
// candles for every interval and 24h statistics, with all per-stream sequence numbers.
// Deterministic: the same seed and the same step times give the same output. No clock inside;
// times are passed in (ms since the epoch). Not thread-safe: used on the engine thread only.
class MarketSimulator final : public MarketState
{
public:
    static constexpr int MinLevels = 100;
    static constexpr int MaxLevels = 130;
    static constexpr int CandleHistory = 1440; // closed candles kept per interval (24h of 1m)

    MarketSimulator(const Instrument &instrument, quint64 seed, std::int64_t nowMs);

    // Invents the past that leads to the current price, so charts open with history: about
    // BackfillMinutes of 1-minute bars, then the last minutes in 1-second bars, aggregated into
    // every candle interval (at most CandleHistory closed candles each) and the 24h statistics.
    // Volume follows tradesPerSecond. Only before the first trade; simulation mode only.
    static constexpr int BackfillMinutes = 500 * 60; // 500 hourly candles
    void backfill(std::int64_t nowMs, double tradesPerSecond);

    // Advances the price by `dtSeconds` and generates on average tradesPerSecond·dt trades.
    [[nodiscard]] MarketUpdate step(std::int64_t nowMs, double dtSeconds, double tradesPerSecond);
    // Only the trades of the last `dtSeconds` (on average tradesPerSecond·dt, times spread over
    // it, taken from the book as it is), without moving the price: the book, open candles and
    // ticker they change go out with the next step(). Lets trades be published more often than
    // the rest of the market is recomputed. Candles that closed are in the update.
    [[nodiscard]] MarketUpdate trades(std::int64_t nowMs, double dtSeconds,
                                      double tradesPerSecond);
    // Replay: moves the book to a recorded trade and publishes it. `price` must be on the tick
    // grid and `qty` on the lot grid (the caller checks; false when not).
    [[nodiscard]] bool recordTrade(std::int64_t ts, const Decimal &price, const Decimal &qty,
                                   protocol::Side side, MarketUpdate *update);
    // Takes liquidity for an incoming order: a buy lifts asks from the best up (not above
    // limitPrice), a sell hits bids. Quantity below one lot is ignored. The removed liquidity
    // and the resulting public trades are in `update`.
    [[nodiscard]] QList<Execution> execute(std::int64_t nowMs, protocol::Side side,
                                           const Decimal &qty, std::optional<Decimal> limitPrice,
                                           MarketUpdate *update);

    [[nodiscard]] const Instrument &instrument() const override { return m_instrument; }
    [[nodiscard]] const protocol::OrderBook &book() const override;
    [[nodiscard]] protocol::Book bookSnapshot(int tier) const override;
    [[nodiscard]] protocol::Ticker ticker() const override { return m_ticker; }
    [[nodiscard]] std::int64_t tradesSeq() const override { return m_tradesSeq; }
    [[nodiscard]] protocol::TradesSnapshot tradesSnapshot() const override;
    [[nodiscard]] std::int64_t candlesSeq(protocol::CandleInterval interval) const override;
    [[nodiscard]] protocol::CandlesSnapshot candlesSnapshot(protocol::CandleInterval interval,
                                                            int maxCandles) const override;

private:
    struct CandleSeries
    {
        std::deque<protocol::Candle> closed;
        std::optional<protocol::Candle> open;
        std::int64_t seq = 0;
        bool dirty = false;
    };
    using Levels = std::vector<std::pair<std::int64_t, std::int64_t>>; // (ticks, lots), best first
    struct TierState
    {
        std::int64_t seq = 0;
        Levels bids;
        Levels asks;
    };

    [[nodiscard]] Decimal priceOf(std::int64_t ticks) const;
    [[nodiscard]] Decimal qtyOf(std::int64_t lots) const;
    [[nodiscard]] std::int64_t randomLots(double mean);
    [[nodiscard]] QList<protocol::BookLevel> toLevels(const Levels &levels, std::size_t max) const;
    template<typename Better>
    [[nodiscard]] QList<protocol::BookLevel> diff(const Levels &before, const Levels &now,
                                                  Better better) const;
    void recentre(std::int64_t midTicks);
    void perturb(int count);
    void takeTrades(std::int64_t nowMs, double dtSeconds, double tradesPerSecond,
                    std::int64_t midTicks, MarketUpdate *update);
    void addTrade(std::int64_t ts, std::int64_t ticks, std::int64_t lots, protocol::Side side,
                  MarketUpdate *update);
    void finish(std::int64_t nowMs, MarketUpdate *update);

    Instrument m_instrument;
    std::mt19937_64 m_random;
    double m_logPrice = 0;
    double m_meanLots = 1;
    std::map<std::int64_t, std::int64_t, std::greater<>> m_bids; // ticks -> lots
    std::map<std::int64_t, std::int64_t> m_asks;
    mutable protocol::OrderBook m_book; // mirror of m_bids/m_asks as decimals, built on demand
    mutable bool m_bookDirty = true;
    std::array<TierState, BookTiers.size()> m_tiers;
    std::deque<protocol::Trade> m_recentTrades;
    std::int64_t m_tradesSeq = 0;
    std::int64_t m_nextTradeId = 1;
    std::array<CandleSeries, 5> m_candles;
    struct DayStats // of the closed 1m candles inside the last 24h
    {
        std::int64_t lastClosed = -2; // t of the newest closed candle it saw
        std::int64_t firstIn = -2; // t of the oldest candle inside the window
        std::optional<Decimal> open, high, low;
        Decimal volume;
    };
    DayStats m_dayStats;
    protocol::Ticker m_ticker; // as last published: one seq, one content
    Decimal m_lastPrice; // of the last trade, published with the next ticker
    bool m_tickerDirty = true;
};

} // namespace tickwire::server
