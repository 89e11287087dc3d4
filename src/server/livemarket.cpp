#include "server/livemarket.h"

#include "protocol/checksum.h"

namespace tickwire::server {

using protocol::BookLevel;

namespace {

// Levels of `now` that are new or changed, plus a zero for every level of `before` that left
// the tier. Both are best first; `better(a, b)` is true when price a is better than b.
template<typename Better>
QList<BookLevel> diff(const QList<BookLevel> &before, const QList<BookLevel> &now,
                      const Decimal &zero, Better better)
{
    QList<BookLevel> out;
    qsizetype i = 0, j = 0;
    while (i < before.size() || j < now.size()) {
        if (j == now.size() || (i < before.size() && better(before[i].price, now[j].price))) {
            out.append(BookLevel{before[i].price, zero});
            ++i;
        } else if (i == before.size() || better(now[j].price, before[i].price)) {
            out.append(now[j]);
            ++j;
        } else {
            if (!before[i].qty.isIdenticalTo(now[j].qty))
                out.append(now[j]);
            ++i;
            ++j;
        }
    }
    return out;
}

} // namespace

LiveMarket::LiveMarket(const Instrument &instrument)
    : m_instrument(instrument)
{
    m_ticker.symbol = instrument.info.symbol;
}

MarketUpdate LiveMarket::applyTicker(const protocol::Ticker &ticker)
{
    MarketUpdate update;
    if (ticker.ts < m_ticker.ts)
        return update;
    const std::int64_t seq = m_ticker.seq + 1;
    m_ticker = ticker;
    m_ticker.symbol = m_instrument.info.symbol;
    m_ticker.seq = seq;
    update.ticker = m_ticker;
    return update;
}

MarketUpdate LiveMarket::applyTrade(const protocol::Trade &trade)
{
    MarketUpdate update;
    if (!m_recentTrades.empty() && trade.tradeId <= m_recentTrades.back().tradeId)
        return update; // a repeat (the upstream resent it after a reconnect)
    protocol::Trade t = trade;
    t.symbol = m_instrument.info.symbol;
    t.seq = ++m_tradesSeq;
    m_recentTrades.push_back(t);
    if (m_recentTrades.size() > std::size_t(protocol::TradesSnapshotSize))
        m_recentTrades.pop_front();
    update.trades.append(t);
    return update;
}

void LiveMarket::closeCandle(CandleSeries &series, protocol::Candle candle, MarketUpdate *update)
{
    candle.closed = true;
    candle.seq = ++series.seq;
    series.closed.push_back(candle);
    if (series.closed.size() > std::size_t(MarketSimulator::CandleHistory))
        series.closed.pop_front();
    update->candles.append(candle);
}

MarketUpdate LiveMarket::applyCandle(const protocol::Candle &candle)
{
    MarketUpdate update;
    CandleSeries &series = m_candles[std::size_t(candle.interval)];
    if (!series.closed.empty() && candle.t <= series.closed.back().t)
        return update; // that interval is closed already
    if (series.open && candle.t < series.open->t)
        return update; // late
    if (series.open && candle.t > series.open->t) {
        // The upstream's closing update was lost (a reconnect): close it as last seen.
        closeCandle(series, *std::exchange(series.open, std::nullopt), &update);
    }
    protocol::Candle c = candle;
    c.symbol = m_instrument.info.symbol;
    if (c.closed) {
        series.open.reset();
        closeCandle(series, c, &update);
    } else {
        c.seq = ++series.seq;
        series.open = c;
        update.candles.append(c);
    }
    return update;
}

bool LiveMarket::applyBook(const protocol::Book &book, MarketUpdate *update)
{
    if (book.snapshot) {
        m_book.clear();
        m_bookValid = true;
    } else if (!m_bookValid) {
        return false;
    }
    if (!m_book.applyLevels(book.bids, book.asks) || m_book.isCrossed()) {
        m_bookValid = false;
        return false;
    }
    publishTiers(book.ts, book.snapshot, update);
    return true;
}

void LiveMarket::publishTiers(std::int64_t ts, bool snapshot, MarketUpdate *update)
{
    const Decimal zero = *Decimal::fromUnits(0, m_instrument.info.lotSize.scale());
    for (std::size_t i = 0; i < BookTiers.size(); ++i) {
        TierState &tier = m_tiers[i];
        QList<BookLevel> bids = m_book.topBids(BookTiers[i]);
        QList<BookLevel> asks = m_book.topAsks(BookTiers[i]);
        protocol::Book out;
        out.symbol = m_instrument.info.symbol;
        out.ts = ts;
        out.snapshot = snapshot;
        if (snapshot) {
            out.bids = bids;
            out.asks = asks;
        } else {
            out.bids = diff(tier.bids, bids, zero, std::greater<>());
            out.asks = diff(tier.asks, asks, zero, std::less<>());
            if (out.bids.isEmpty() && out.asks.isEmpty())
                continue;
        }
        out.seq = ++tier.seq;
        out.checksum = protocol::bookChecksum(bids, asks);
        tier.bids = std::move(bids);
        tier.asks = std::move(asks);
        tier.ts = ts;
        update->books.append(TierUpdate{BookTiers[i], out});
    }
}

protocol::Book LiveMarket::bookSnapshot(int tier) const
{
    const auto index =
        std::size_t(std::find(BookTiers.begin(), BookTiers.end(), tier) - BookTiers.begin());
    const TierState &state = m_tiers.at(std::min(index, BookTiers.size() - 1));
    protocol::Book book;
    book.symbol = m_instrument.info.symbol;
    book.seq = state.seq;
    book.ts = state.ts;
    book.snapshot = true;
    book.bids = state.bids;
    book.asks = state.asks;
    book.checksum = protocol::bookChecksum(book.bids, book.asks);
    return book;
}

protocol::TradesSnapshot LiveMarket::tradesSnapshot() const
{
    protocol::TradesSnapshot snap;
    snap.symbol = m_instrument.info.symbol;
    snap.trades = QList<protocol::Trade>(m_recentTrades.begin(), m_recentTrades.end());
    return snap;
}

std::int64_t LiveMarket::candlesSeq(protocol::CandleInterval interval) const
{
    return m_candles[std::size_t(interval)].seq;
}

protocol::CandlesSnapshot LiveMarket::candlesSnapshot(protocol::CandleInterval interval,
                                                      int maxCandles) const
{
    const CandleSeries &series = m_candles[std::size_t(interval)];
    protocol::CandlesSnapshot snap;
    snap.symbol = m_instrument.info.symbol;
    snap.interval = interval;
    const int wantClosed = std::max(0, maxCandles - (series.open ? 1 : 0));
    const auto first = series.closed.size() > std::size_t(wantClosed)
                           ? series.closed.end() - wantClosed
                           : series.closed.begin();
    snap.candles = QList<protocol::Candle>(first, series.closed.end());
    if (series.open && maxCandles > 0)
        snap.candles.append(*series.open);
    return snap;
}

} // namespace tickwire::server
