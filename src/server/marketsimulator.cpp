#include "server/marketsimulator.h"

#include "protocol/checksum.h"

#include <algorithm>
#include <cmath>

namespace tickwire::server {

using namespace Qt::StringLiterals;
using protocol::Book;
using protocol::BookLevel;
using protocol::Candle;
using protocol::CandleInterval;
using protocol::Side;

namespace {

constexpr double SecondsPerYear = 365.0 * 24 * 3600;
constexpr double JumpsPerSecond = 1.0 / 600; // about one jump every ten minutes
constexpr double TargetLevelNotional = 2000; // quote currency per level, on average
constexpr std::int64_t DayMs = 24 * 3600 * 1000;
constexpr std::array<CandleInterval, 5> Intervals{CandleInterval::S1, CandleInterval::M1,
                                                  CandleInterval::M5, CandleInterval::M15,
                                                  CandleInterval::H1};

// Stable across runs and platforms (unlike qHash's per-process seed).
quint64 fnv1a(const QString &text)
{
    quint64 h = 1469598103934665603ULL;
    for (QChar c : text) {
        h ^= c.unicode();
        h *= 1099511628211ULL;
    }
    return h;
}

std::int64_t unitsOf(const Decimal &value, const Decimal &step)
{
    const auto q = value.dividedBy(step, 0);
    return q ? q->mantissa() : 0;
}

template<typename Map>
void topOf(const Map &side, std::size_t depth,
           std::vector<std::pair<std::int64_t, std::int64_t>> *out)
{
    out->clear();
    for (auto it = side.begin(); it != side.end() && out->size() < depth; ++it)
        out->emplace_back(it->first, it->second);
}

} // namespace

std::optional<int> bookTierFor(int depth)
{
    for (int tier : BookTiers) {
        if (depth <= tier)
            return tier;
    }
    return std::nullopt;
}

MarketSimulator::MarketSimulator(const Instrument &instrument, quint64 seed, std::int64_t nowMs)
    : m_instrument(instrument)
    , m_random(seed ^ fnv1a(instrument.info.symbol))
{
    m_logPrice = std::log(instrument.initialPrice.toDouble());
    const double levelValue =
        instrument.initialPrice.toDouble() * instrument.info.lotSize.toDouble();
    m_meanLots = std::clamp(TargetLevelNotional / levelValue, 1.0, 1e6);
    m_ticker.symbol = instrument.info.symbol;
    m_ticker.last = m_lastPrice = instrument.initialPrice;
    m_ticker.open24h = m_ticker.high24h = m_ticker.low24h = instrument.initialPrice;
    m_ticker.volume24h = qtyOf(0);
    for (std::size_t i = 0; i < Intervals.size(); ++i)
        m_candles[i] = CandleSeries{};
    recentre(unitsOf(instrument.initialPrice, instrument.info.tickSize));
    MarketUpdate ignored;
    finish(nowMs, &ignored); // sets tier states and the first ticker (seq 1)
}

Decimal MarketSimulator::priceOf(std::int64_t ticks) const
{
    const Decimal &t = m_instrument.info.tickSize;
    return *Decimal::fromUnits(ticks * t.mantissa(), t.scale());
}

QList<BookLevel> MarketSimulator::toLevels(const Levels &levels, std::size_t max) const
{
    QList<BookLevel> out;
    const std::size_t n = std::min(max, levels.size());
    out.reserve(qsizetype(n));
    for (std::size_t i = 0; i < n; ++i)
        out.append(BookLevel{priceOf(levels[i].first), qtyOf(levels[i].second)});
    return out;
}

// Levels of `now` that are new or changed, plus a zero for every level of `before` that left
// (including those pushed out of the tier's depth). Both inputs are sorted best first.
template<typename Better>
QList<BookLevel> MarketSimulator::diff(const Levels &before, const Levels &now, Better better) const
{
    QList<BookLevel> out;
    std::size_t i = 0, j = 0;
    while (i < before.size() || j < now.size()) {
        if (j == now.size() || (i < before.size() && better(before[i].first, now[j].first))) {
            out.append(BookLevel{priceOf(before[i].first), qtyOf(0)});
            ++i;
        } else if (i == before.size() || better(now[j].first, before[i].first)) {
            out.append(BookLevel{priceOf(now[j].first), qtyOf(now[j].second)});
            ++j;
        } else {
            if (before[i].second != now[j].second)
                out.append(BookLevel{priceOf(now[j].first), qtyOf(now[j].second)});
            ++i;
            ++j;
        }
    }
    return out;
}

Decimal MarketSimulator::qtyOf(std::int64_t lots) const
{
    const Decimal &l = m_instrument.info.lotSize;
    return *Decimal::fromUnits(lots * l.mantissa(), l.scale());
}

std::int64_t MarketSimulator::randomLots(double mean)
{
    std::exponential_distribution<double> dist(1.0 / std::max(mean, 1.0));
    return 1 + std::int64_t(dist(m_random));
}

void MarketSimulator::recentre(std::int64_t midTicks)
{
    midTicks = std::max<std::int64_t>(midTicks, MaxLevels + 2);
    // Nothing may rest at or across the mid: bids strictly below, asks strictly above.
    while (!m_bids.empty() && m_bids.begin()->first >= midTicks)
        m_bids.erase(m_bids.begin());
    while (!m_asks.empty() && m_asks.begin()->first <= midTicks)
        m_asks.erase(m_asks.begin());
    std::bernoulli_distribution gap(0.1);
    for (int i = 1; i <= MaxLevels; ++i) {
        // The first MinLevels are always filled so the depth never drops below 100; the tail
        // has gaps like a real book.
        if (!m_bids.contains(midTicks - i) && (i <= MinLevels || !gap(m_random)))
            m_bids.emplace(midTicks - i, randomLots(m_meanLots * (1 + i / 20.0)));
        if (!m_asks.contains(midTicks + i) && (i <= MinLevels || !gap(m_random)))
            m_asks.emplace(midTicks + i, randomLots(m_meanLots * (1 + i / 20.0)));
    }
    while (!m_bids.empty() && m_bids.rbegin()->first < midTicks - MaxLevels)
        m_bids.erase(std::prev(m_bids.end()));
    while (!m_asks.empty() && m_asks.rbegin()->first > midTicks + MaxLevels)
        m_asks.erase(std::prev(m_asks.end()));
    m_bookDirty = true;
}

void MarketSimulator::perturb(int count)
{
    std::uniform_int_distribution<int> level(0, MinLevels - 1);
    std::bernoulli_distribution bidSide(0.5);
    for (int i = 0; i < count; ++i) {
        const int n = level(m_random);
        if (bidSide(m_random)) {
            auto it = std::next(m_bids.begin(), std::min<int>(n, int(m_bids.size()) - 1));
            it->second = randomLots(m_meanLots * (1 + n / 20.0));
        } else {
            auto it = std::next(m_asks.begin(), std::min<int>(n, int(m_asks.size()) - 1));
            it->second = randomLots(m_meanLots * (1 + n / 20.0));
        }
    }
    m_bookDirty = true;
}

void MarketSimulator::backfill(std::int64_t nowMs, double tradesPerSecond)
{
    Q_ASSERT(m_tradesSeq == 0);
    constexpr std::int64_t MinuteMs = 60'000;
    constexpr int FineMinutes = CandleHistory / 60; // 1440 one-second candles
    struct Bar
    {
        std::int64_t t;
        std::int64_t durationMs;
        double o, h, l, c; // log prices, before the final shift
        std::int64_t lots;
    };
    const std::int64_t fineStart = nowMs - nowMs % MinuteMs - (FineMinutes - 1) * MinuteMs;
    const std::int64_t nowSecond = nowMs - nowMs % 1000;
    std::vector<Bar> bars;
    bars.reserve(std::size_t(BackfillMinutes + (nowSecond - fineStart) / 1000));
    std::normal_distribution<double> normal(0.0, 1.0);
    const double sigma = m_instrument.volatility / std::sqrt(SecondsPerYear);
    double x = 0;
    // Activity varies from minute to minute; one-second bars share their minute's, so the
    // minutes built from them vary as much as the ones drawn whole.
    double activity = 1;
    auto addBar = [&](std::int64_t t, std::int64_t durationMs) {
        if (t % MinuteMs == 0)
            activity = std::exp(0.6 * normal(m_random) - 0.18);
        const double seconds = double(durationMs) / 1000;
        const double s = sigma * std::sqrt(seconds);
        const double o = x;
        x += s * normal(m_random);
        const double upper = std::max(o, x) + 0.5 * s * std::abs(normal(m_random));
        const double lower = std::min(o, x) - 0.5 * s * std::abs(normal(m_random));
        const double meanLots = activity * tradesPerSecond * seconds * m_meanLots / 3;
        std::int64_t lots = 0;
        if (meanLots > 0) {
            std::gamma_distribution<double> volume(4.0, meanLots / 4.0);
            lots = std::max<std::int64_t>(1, std::llround(volume(m_random)));
        }
        bars.push_back(Bar{t, durationMs, o, upper, lower, x, lots});
    };
    for (std::int64_t t = fineStart - BackfillMinutes * MinuteMs; t < fineStart; t += MinuteMs)
        addBar(t, MinuteMs);
    for (std::int64_t t = fineStart; t < nowSecond; t += 1000)
        addBar(t, 1000);

    // The path ends where the market is now.
    const double shift = m_logPrice - x;
    const double tick = m_instrument.info.tickSize.toDouble();
    auto ticksOf = [&](double logPrice) {
        return std::max<std::int64_t>(1, std::llround(std::exp(logPrice + shift) / tick));
    };
    struct Open
    {
        std::int64_t t = -1;
        std::int64_t o = 0, h = 0, l = 0, c = 0, lots = 0;
    };
    std::array<Open, Intervals.size()> open;
    auto toCandle = [&](std::size_t i, const Open &a, bool closed) {
        Candle c;
        c.symbol = m_instrument.info.symbol;
        c.interval = Intervals[i];
        c.t = a.t;
        c.o = priceOf(a.o);
        c.h = priceOf(a.h);
        c.l = priceOf(a.l);
        c.c = priceOf(a.c);
        c.v = qtyOf(a.lots);
        c.closed = closed;
        c.seq = ++m_candles[i].seq;
        return c;
    };
    std::int64_t close = 0;
    for (const Bar &bar : bars) {
        const std::int64_t o = close > 0 ? close : ticksOf(bar.o);
        close = ticksOf(bar.c);
        const std::int64_t h = std::max({o, close, ticksOf(bar.h)});
        const std::int64_t l = std::min({o, close, ticksOf(bar.l)});
        for (std::size_t i = 0; i < Intervals.size(); ++i) {
            const std::int64_t ms = protocol::intervalMs(Intervals[i]);
            if (ms < bar.durationMs)
                continue;
            const std::int64_t start = bar.t - bar.t % ms;
            Open &a = open[i];
            if (a.t != start) {
                if (a.t >= 0) {
                    CandleSeries &series = m_candles[i];
                    series.closed.push_back(toCandle(i, a, true));
                    if (series.closed.size() > std::size_t(CandleHistory))
                        series.closed.pop_front();
                }
                a = Open{start, o, h, l, close, bar.lots};
            } else {
                a.h = std::max(a.h, h);
                a.l = std::min(a.l, l);
                a.c = close;
                a.lots += bar.lots;
            }
        }
    }
    for (std::size_t i = 0; i < Intervals.size(); ++i) {
        if (open[i].t >= 0)
            m_candles[i].open = toCandle(i, open[i], false);
    }
    m_tickerDirty = true;
}

MarketUpdate MarketSimulator::step(std::int64_t nowMs, double dtSeconds, double tradesPerSecond)
{
    MarketUpdate update;
    const double sigma = m_instrument.volatility / std::sqrt(SecondsPerYear);
    std::normal_distribution<double> normal(0.0, 1.0);
    m_logPrice +=
        -0.5 * sigma * sigma * dtSeconds + sigma * std::sqrt(dtSeconds) * normal(m_random);
    std::bernoulli_distribution jump(std::min(1.0, JumpsPerSecond * dtSeconds));
    if (jump(m_random))
        m_logPrice += normal(m_random) * sigma * std::sqrt(300.0);
    const double tick = m_instrument.info.tickSize.toDouble();
    const auto mid = std::int64_t(std::llround(std::exp(m_logPrice) / tick));
    recentre(mid);
    takeTrades(nowMs, dtSeconds, tradesPerSecond, mid, &update);
    if (m_asks.empty() || m_bids.empty())
        recentre(mid); // perturb() picks levels by index: never on an empty side
    perturb(3);
    recentre(mid); // refill what the trades took so the depth stays >= MinLevels
    finish(nowMs, &update);
    return update;
}

MarketUpdate MarketSimulator::trades(std::int64_t nowMs, double dtSeconds, double tradesPerSecond)
{
    MarketUpdate update;
    const double tick = m_instrument.info.tickSize.toDouble();
    takeTrades(nowMs, dtSeconds, tradesPerSecond,
               std::int64_t(std::llround(std::exp(m_logPrice) / tick)), &update);
    return update;
}

void MarketSimulator::takeTrades(std::int64_t nowMs, double dtSeconds, double tradesPerSecond,
                                 std::int64_t mid, MarketUpdate *out)
{
    MarketUpdate &update = *out;
    std::poisson_distribution<int> tradeCount(std::max(0.0, tradesPerSecond * dtSeconds));
    const int n = tradeCount(m_random);
    std::bernoulli_distribution buy(0.5);
    const auto dtMs = std::int64_t(dtSeconds * 1000);
    for (int i = 0; i < n; ++i) {
        const Side side = buy(m_random) ? Side::Buy : Side::Sell;
        const std::int64_t ts = nowMs - dtMs + (n > 0 ? dtMs * (i + 1) / n : 0);
        // At high rates one step's trades can take a whole side (~390 trades do): refill it
        // first, as the end of the step would, instead of reading begin() of an empty map.
        if (m_asks.empty() || m_bids.empty())
            recentre(mid);
        // A market order that takes part of the best level on the other side.
        if (side == Side::Buy) {
            auto best = m_asks.begin();
            const std::int64_t lots = std::min(best->second, randomLots(m_meanLots / 3));
            addTrade(ts, best->first, lots, side, &update);
            if ((best->second -= lots) == 0)
                m_asks.erase(best);
        } else {
            auto best = m_bids.begin();
            const std::int64_t lots = std::min(best->second, randomLots(m_meanLots / 3));
            addTrade(ts, best->first, lots, side, &update);
            if ((best->second -= lots) == 0)
                m_bids.erase(best);
        }
        m_bookDirty = true;
    }
}

bool MarketSimulator::recordTrade(std::int64_t ts, const Decimal &price, const Decimal &qty,
                                  Side side, MarketUpdate *update)
{
    if (!price.isPositive() || !qty.isPositive() || !price.isMultipleOf(m_instrument.info.tickSize)
        || !qty.isMultipleOf(m_instrument.info.lotSize))
        return false;
    const std::int64_t ticks = unitsOf(price, m_instrument.info.tickSize);
    const std::int64_t lots = unitsOf(qty, m_instrument.info.lotSize);
    if (ticks <= MaxLevels + 2)
        return false;
    // The book moves so the recorded price is the touched level on the aggressor's other side.
    recentre(side == Side::Buy ? ticks - 1 : ticks + 1);
    auto &level = side == Side::Buy ? m_asks[ticks] : m_bids[ticks];
    level = std::max<std::int64_t>(level, lots);
    addTrade(ts, ticks, lots, side, update);
    level -= lots;
    if (level == 0) {
        if (side == Side::Buy)
            m_asks.erase(ticks);
        else
            m_bids.erase(ticks);
    }
    m_logPrice = std::log(price.toDouble());
    recentre(side == Side::Buy ? ticks - 1 : ticks + 1);
    finish(ts, update);
    return true;
}

QList<Execution> MarketSimulator::execute(std::int64_t nowMs, Side side, const Decimal &qty,
                                          std::optional<Decimal> limitPrice, MarketUpdate *update)
{
    QList<Execution> out;
    std::int64_t remaining = unitsOf(qty, m_instrument.info.lotSize);
    const std::int64_t limitTicks =
        limitPrice ? unitsOf(*limitPrice, m_instrument.info.tickSize)
                   : (side == Side::Buy ? std::numeric_limits<std::int64_t>::max() : 0);
    auto take = [&](auto &levels, auto acceptable) {
        while (remaining > 0 && !levels.empty() && acceptable(levels.begin()->first)) {
            auto best = levels.begin();
            const std::int64_t lots = std::min(best->second, remaining);
            out.append(Execution{priceOf(best->first), qtyOf(lots)});
            addTrade(nowMs, best->first, lots, side, update);
            remaining -= lots;
            if ((best->second -= lots) == 0)
                levels.erase(best);
        }
    };
    if (side == Side::Buy)
        take(m_asks, [&](std::int64_t t) { return t <= limitTicks; });
    else
        take(m_bids, [&](std::int64_t t) { return t >= limitTicks; });
    if (!out.isEmpty()) {
        m_bookDirty = true;
        finish(nowMs, update);
    }
    return out;
}

void MarketSimulator::addTrade(std::int64_t ts, std::int64_t ticks, std::int64_t lots, Side side,
                               MarketUpdate *update)
{
    protocol::Trade trade;
    trade.symbol = m_instrument.info.symbol;
    trade.seq = ++m_tradesSeq;
    trade.ts = ts;
    trade.tradeId = m_nextTradeId++;
    trade.price = priceOf(ticks);
    trade.qty = qtyOf(lots);
    trade.side = side;
    update->trades.append(trade);
    m_recentTrades.push_back(trade);
    if (m_recentTrades.size() > std::size_t(protocol::TradesSnapshotSize))
        m_recentTrades.pop_front();

    for (std::size_t i = 0; i < Intervals.size(); ++i) {
        CandleSeries &series = m_candles[i];
        const std::int64_t ms = protocol::intervalMs(Intervals[i]);
        const std::int64_t start = ts - ((ts % ms) + ms) % ms;
        if (series.open && series.open->t != start) {
            Candle done = *series.open;
            done.closed = true;
            done.seq = ++series.seq;
            update->candles.append(done);
            series.closed.push_back(done);
            if (series.closed.size() > std::size_t(CandleHistory))
                series.closed.pop_front();
            series.open.reset();
        }
        if (!series.open) {
            Candle c;
            c.symbol = m_instrument.info.symbol;
            c.interval = Intervals[i];
            c.t = start;
            c.o = c.h = c.l = c.c = trade.price;
            c.v = trade.qty;
            series.open = c;
        } else {
            Candle &c = *series.open;
            c.h = std::max(c.h, trade.price);
            c.l = std::min(c.l, trade.price);
            c.c = trade.price;
            c.v = *c.v.plus(trade.qty);
        }
        series.dirty = true;
    }
    m_lastPrice = trade.price; // the ticker shows it with its next seq
    m_tickerDirty = true;
}

void MarketSimulator::finish(std::int64_t nowMs, MarketUpdate *update)
{
    // Candles first in the order they were produced by addTrade, then the open ones.
    for (CandleSeries &series : m_candles) {
        if (series.dirty && series.open) {
            series.open->seq = ++series.seq;
            update->candles.append(*series.open);
        }
        series.dirty = false;
    }
    const Decimal zero = qtyOf(0);
    Levels bids, asks;
    for (std::size_t i = 0; i < BookTiers.size(); ++i) {
        TierState &tier = m_tiers[i];
        const auto depth = std::size_t(BookTiers[i]);
        topOf(m_bids, depth, &bids);
        topOf(m_asks, depth, &asks);
        Book book;
        book.symbol = m_instrument.info.symbol;
        book.ts = nowMs;
        book.bids = diff(tier.bids, bids, std::greater<>());
        book.asks = diff(tier.asks, asks, std::less<>());
        if (book.bids.isEmpty() && book.asks.isEmpty())
            continue;
        book.seq = ++tier.seq;
        book.checksum = protocol::bookChecksum(toLevels(bids, protocol::ChecksumLevels),
                                               toLevels(asks, protocol::ChecksumLevels));
        tier.bids.swap(bids);
        tier.asks.swap(asks);
        update->books.append(TierUpdate{BookTiers[i], book});
    }
    const TierState &top = m_tiers[0];
    const Decimal bid = top.bids.empty() ? Decimal() : priceOf(top.bids.front().first);
    const Decimal ask = top.asks.empty() ? Decimal() : priceOf(top.asks.front().first);
    if (bid != m_ticker.bid || ask != m_ticker.ask)
        m_tickerDirty = true;
    if (!m_tickerDirty)
        return;
    m_ticker.ts = nowMs;
    m_ticker.last = m_lastPrice;
    m_ticker.bid = bid;
    m_ticker.ask = ask;
    m_ticker.bidSize = top.bids.empty() ? zero : qtyOf(top.bids.front().second);
    m_ticker.askSize = top.asks.empty() ? zero : qtyOf(top.asks.front().second);
    // 24h statistics over the 1m candles of the last day (closed ones plus the open one). The
    // closed part changes only when a minute closes or the window moves on a minute.
    const CandleSeries &minutes = m_candles[std::size_t(CandleInterval::M1)];
    const std::int64_t from = nowMs - DayMs;
    const std::int64_t lastClosed = minutes.closed.empty() ? -1 : minutes.closed.back().t;
    const std::int64_t firstIn = [&] {
        const auto it = std::lower_bound(minutes.closed.begin(), minutes.closed.end(), from,
                                         [](const Candle &c, std::int64_t t) { return c.t < t; });
        return it == minutes.closed.end() ? -1 : it->t;
    }();
    if (lastClosed != m_dayStats.lastClosed || firstIn != m_dayStats.firstIn) {
        m_dayStats = DayStats{};
        m_dayStats.lastClosed = lastClosed;
        m_dayStats.firstIn = firstIn;
        m_dayStats.volume = zero;
        for (const Candle &c : minutes.closed) {
            if (c.t < from)
                continue;
            if (!m_dayStats.open)
                m_dayStats.open = c.o;
            m_dayStats.high = m_dayStats.high ? std::max(*m_dayStats.high, c.h) : c.h;
            m_dayStats.low = m_dayStats.low ? std::min(*m_dayStats.low, c.l) : c.l;
            m_dayStats.volume = *m_dayStats.volume.plus(c.v);
        }
    }
    std::optional<Decimal> open = m_dayStats.open, high = m_dayStats.high, low = m_dayStats.low;
    Decimal volume = m_dayStats.volume;
    if (minutes.open && minutes.open->t >= from) {
        const Candle &c = *minutes.open;
        if (!open)
            open = c.o;
        high = high ? std::max(*high, c.h) : c.h;
        low = low ? std::min(*low, c.l) : c.l;
        volume = *volume.plus(c.v);
    }
    m_ticker.open24h = open.value_or(m_ticker.last);
    m_ticker.high24h = high.value_or(m_ticker.last);
    m_ticker.low24h = low.value_or(m_ticker.last);
    m_ticker.volume24h = volume;
    m_ticker.seq += 1;
    m_tickerDirty = false;
    update->ticker = m_ticker;
}

const protocol::OrderBook &MarketSimulator::book() const
{
    if (m_bookDirty) {
        QList<BookLevel> bids, asks;
        bids.reserve(qsizetype(m_bids.size()));
        asks.reserve(qsizetype(m_asks.size()));
        for (const auto &[t, l] : m_bids)
            bids.append(BookLevel{priceOf(t), qtyOf(l)});
        for (const auto &[t, l] : m_asks)
            asks.append(BookLevel{priceOf(t), qtyOf(l)});
        m_book.clear();
        m_book.applyLevels(bids, asks);
        m_bookDirty = false;
    }
    return m_book;
}

Book MarketSimulator::bookSnapshot(int tier) const
{
    const auto index =
        std::size_t(std::find(BookTiers.begin(), BookTiers.end(), tier) - BookTiers.begin());
    const TierState &state = m_tiers.at(std::min(index, BookTiers.size() - 1));
    Book book;
    book.symbol = m_instrument.info.symbol;
    book.seq = state.seq;
    book.ts = m_ticker.ts;
    book.snapshot = true;
    book.bids = toLevels(state.bids, state.bids.size());
    book.asks = toLevels(state.asks, state.asks.size());
    book.checksum = protocol::bookChecksum(book.bids, book.asks);
    return book;
}

protocol::TradesSnapshot MarketSimulator::tradesSnapshot() const
{
    protocol::TradesSnapshot snap;
    snap.symbol = m_instrument.info.symbol;
    snap.trades = QList<protocol::Trade>(m_recentTrades.begin(), m_recentTrades.end());
    return snap;
}

std::int64_t MarketSimulator::candlesSeq(CandleInterval interval) const
{
    return m_candles[std::size_t(interval)].seq;
}

protocol::CandlesSnapshot MarketSimulator::candlesSnapshot(CandleInterval interval,
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
    snap.candles = QList<Candle>(first, series.closed.end());
    if (series.open && maxCandles > 0)
        snap.candles.append(*series.open);
    return snap;
}

} // namespace tickwire::server
