#pragma once

#include "server/marketsimulator.h"
#include "server/marketstate.h"

#include <array>
#include <deque>

namespace tickwire::server {

// One instrument's market as an outside source (an exchange adapter) reports it. The source's
// messages carry no seq and no checksum: this class sequences every stream, keeps the whole
// book, derives each depth tier's changed levels (and levels moving into the tier) exactly as
// the simulator does, and checksums what it publishes. Engine thread only.
class LiveMarket final : public MarketState
{
public:
    explicit LiveMarket(const Instrument &instrument);

    // What to publish; an empty update when the message repeats an older one.
    [[nodiscard]] MarketUpdate applyTicker(const protocol::Ticker &ticker);
    [[nodiscard]] MarketUpdate applyTrade(const protocol::Trade &trade);
    [[nodiscard]] MarketUpdate applyCandle(const protocol::Candle &candle);
    // A snapshot replaces the book and goes out as a snapshot:true of every tier; changed
    // levels go out as tier diffs. False (nothing published) when the book cannot be used: a
    // change before any snapshot, a negative quantity, or a crossed book. The book then waits
    // for the next snapshot, and the caller should ask its source for one.
    [[nodiscard]] bool applyBook(const protocol::Book &book, MarketUpdate *update);
    [[nodiscard]] bool hasBook() const { return m_bookValid; }

    [[nodiscard]] const Instrument &instrument() const override { return m_instrument; }
    [[nodiscard]] const protocol::OrderBook &book() const override { return m_book; }
    [[nodiscard]] protocol::Book bookSnapshot(int tier) const override;
    [[nodiscard]] protocol::Ticker ticker() const override { return m_ticker; }
    [[nodiscard]] std::int64_t tradesSeq() const override { return m_tradesSeq; }
    [[nodiscard]] protocol::TradesSnapshot tradesSnapshot() const override;
    [[nodiscard]] std::int64_t candlesSeq(protocol::CandleInterval interval) const override;
    [[nodiscard]] protocol::CandlesSnapshot candlesSnapshot(protocol::CandleInterval interval,
                                                            int maxCandles) const override;

private:
    struct TierState
    {
        std::int64_t seq = 0;
        QList<protocol::BookLevel> bids;
        QList<protocol::BookLevel> asks;
        std::int64_t ts = 0;
    };
    struct CandleSeries
    {
        std::deque<protocol::Candle> closed;
        std::optional<protocol::Candle> open;
        std::int64_t seq = 0;
    };

    void publishTiers(std::int64_t ts, bool snapshot, MarketUpdate *update);
    void closeCandle(CandleSeries &series, protocol::Candle candle, MarketUpdate *update);

    Instrument m_instrument;
    protocol::OrderBook m_book;
    bool m_bookValid = false;
    std::array<TierState, BookTiers.size()> m_tiers;
    protocol::Ticker m_ticker;
    std::deque<protocol::Trade> m_recentTrades;
    std::int64_t m_tradesSeq = 0;
    std::array<CandleSeries, 5> m_candles;
};

} // namespace tickwire::server
