#include "protocol/checksum.h"
#include "server/instruments.h"
#include "server/marketsimulator.h"
#include "protocol/orderbook.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::server;
using protocol::CandleInterval;

namespace {

constexpr std::int64_t T0 = 1'763'891'200'000; // a minute/hour boundary

Instrument instrument(const char *symbol)
{
    const InstrumentsResult all = defaultInstruments();
    for (const Instrument &in : all.instruments) {
        if (in.info.symbol == QLatin1StringView(symbol))
            return in;
    }
    qFatal("no instrument %s", symbol);
}

} // namespace

class tst_MarketSimulator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deterministicWithSeed_data();
    void deterministicWithSeed();
    void bookDeepAndNeverCrossed_data();
    void bookDeepAndNeverCrossed();
    void tierUpdatesReproduceTopN();
    void candlesComeExactlyFromTrades();
    void tradesBetweenStepsAreContiguousAndFoldedIntoTheStep();
    void backfilledHistoryLeadsToThePrice();
    void extremeRateNeverEmptiesTheBook();
    void executeTakesLiquidity();
    void recordedTrade();
};

void tst_MarketSimulator::deterministicWithSeed_data()
{
    QTest::addColumn<QString>("symbol");
    QTest::newRow("BTC-USD") << u"BTC-USD"_s;
    QTest::newRow("EUR-USD") << u"EUR-USD"_s;
}

void tst_MarketSimulator::deterministicWithSeed()
{
    QFETCH(QString, symbol);
    const Instrument in = instrument(qPrintable(symbol));
    MarketSimulator a(in, 42, T0), b(in, 42, T0), c(in, 43, T0);
    QList<protocol::Trade> ta, tb, tc;
    for (int i = 1; i <= 300; ++i) {
        ta += a.step(T0 + i * 100, 0.1, 50).trades;
        tb += b.step(T0 + i * 100, 0.1, 50).trades;
        tc += c.step(T0 + i * 100, 0.1, 50).trades;
    }
    QVERIFY(ta.size() > 100);
    QCOMPARE(ta, tb);
    QCOMPARE(a.book(), b.book());
    QCOMPARE(a.ticker(), b.ticker());
    QVERIFY(ta != tc); // the seed matters
}

void tst_MarketSimulator::bookDeepAndNeverCrossed_data()
{
    QTest::addColumn<QString>("symbol");
    QTest::addColumn<double>("rate");
    QTest::newRow("BTC slow") << u"BTC-USD"_s << 5.0;
    QTest::newRow("BTC busy") << u"BTC-USD"_s << 2000.0;
    QTest::newRow("DOGE busy") << u"DOGE-USD"_s << 2000.0;
    QTest::newRow("AAPL") << u"AAPL"_s << 100.0;
}

void tst_MarketSimulator::bookDeepAndNeverCrossed()
{
    QFETCH(QString, symbol);
    QFETCH(double, rate);
    const Instrument in = instrument(qPrintable(symbol));
    MarketSimulator sim(in, 7, T0);
    for (int i = 1; i <= 600; ++i) {
        const MarketUpdate u = sim.step(T0 + i * 100, 0.1, rate);
        const protocol::OrderBook &book = sim.book();
        QVERIFY(!book.isCrossed());
        QVERIFY(book.bids().size() >= std::size_t(MarketSimulator::MinLevels));
        QVERIFY(book.asks().size() >= std::size_t(MarketSimulator::MinLevels));
        for (const protocol::Trade &t : u.trades) {
            QVERIFY(t.price.isMultipleOf(in.info.tickSize));
            QCOMPARE(t.price.scale(), in.info.tickSize.scale());
            QVERIFY(t.qty.isPositive());
            QVERIFY(t.qty.isMultipleOf(in.info.lotSize));
        }
    }
    // The price moved with the process but stays in a sane range.
    const double ratio = sim.ticker().last.toDouble() / in.initialPrice.toDouble();
    QVERIFY2(ratio > 0.5 && ratio < 2, qPrintable(QString::number(ratio)));
}

void tst_MarketSimulator::tierUpdatesReproduceTopN()
{
    const Instrument in = instrument("ETH-USD");
    MarketSimulator sim(in, 11, T0);
    std::array<protocol::OrderBook, BookTiers.size()> books;
    std::array<std::int64_t, BookTiers.size()> seqs{};
    for (std::size_t i = 0; i < BookTiers.size(); ++i) {
        const protocol::Book snap = sim.bookSnapshot(BookTiers[i]);
        QVERIFY(snap.snapshot);
        QVERIFY(books[i].apply(snap));
        QCOMPARE(books[i].checksum(), snap.checksum);
        seqs[i] = snap.seq;
    }
    int updates = 0;
    for (int step = 1; step <= 250; ++step) {
        const MarketUpdate u = sim.step(T0 + step * 100, 0.1, 200);
        for (const TierUpdate &tu : u.books) {
            const auto i = std::size_t(std::find(BookTiers.begin(), BookTiers.end(), tu.tier)
                                       - BookTiers.begin());
            QCOMPARE(tu.book.seq, seqs[i] + 1); // contiguous per tier
            seqs[i] = tu.book.seq;
            QVERIFY(books[i].apply(tu.book));
            QCOMPARE(books[i].checksum(), tu.book.checksum);
            ++updates;
        }
        // Each tier's reconstructed book is exactly the simulator's top N.
        for (std::size_t i = 0; i < BookTiers.size(); ++i) {
            QCOMPARE(books[i].topBids(1000), sim.book().topBids(BookTiers[i]));
            QCOMPARE(books[i].topAsks(1000), sim.book().topAsks(BookTiers[i]));
        }
    }
    QVERIFY(updates > 250);
}

void tst_MarketSimulator::candlesComeExactlyFromTrades()
{
    const Instrument in = instrument("BTC-USD");
    MarketSimulator sim(in, 5, T0);
    QList<protocol::Trade> trades;
    for (int i = 1; i <= 1500; ++i) // 150 s of trading: crosses several 1s/1m buckets
        trades += sim.step(T0 + i * 100, 0.1, 30).trades;
    QVERIFY(trades.size() > 1000);
    for (CandleInterval interval : {CandleInterval::S1, CandleInterval::M1, CandleInterval::M5}) {
        const std::int64_t ms = protocol::intervalMs(interval);
        const protocol::CandlesSnapshot snap = sim.candlesSnapshot(interval, 500);
        QVERIFY(!snap.candles.isEmpty());
        for (const protocol::Candle &c : snap.candles) {
            std::optional<Decimal> o, h, l, cl;
            Decimal v = *Decimal::parse(u"0"_s);
            for (const protocol::Trade &t : trades) {
                if (t.ts < c.t || t.ts >= c.t + ms)
                    continue;
                if (!o)
                    o = t.price;
                h = h ? std::max(*h, t.price) : t.price;
                l = l ? std::min(*l, t.price) : t.price;
                cl = t.price;
                v = *v.plus(t.qty);
            }
            QVERIFY(o.has_value());
            QCOMPARE(c.o, *o);
            QCOMPARE(c.h, *h);
            QCOMPARE(c.l, *l);
            QCOMPARE(c.c, *cl);
            QCOMPARE(c.v, v);
        }
        // Oldest first, one per bucket, only the last may be open.
        for (qsizetype i = 1; i < snap.candles.size(); ++i)
            QVERIFY(snap.candles[i].t > snap.candles[i - 1].t);
        for (qsizetype i = 0; i + 1 < snap.candles.size(); ++i)
            QVERIFY(snap.candles[i].closed);
        QVERIFY(!snap.candles.last().closed);
    }
}

// The engine publishes trades every 10 ms and the rest every 100 ms: trades() between steps
// must leave the streams as step() alone would: contiguous trades in time order, candles built
// from all of them, the book and ticker published by the next step.
void tst_MarketSimulator::tradesBetweenStepsAreContiguousAndFoldedIntoTheStep()
{
    const Instrument in = instrument("BTC-USD");
    MarketSimulator sim(in, 5, T0);
    QList<protocol::Trade> trades;
    std::int64_t tickerSeq = sim.ticker().seq;
    protocol::Ticker published = sim.ticker();
    int books = 0;
    for (int step = 1; step <= 300; ++step) {
        for (int slice = 1; slice < 10; ++slice) {
            const std::int64_t t = T0 + (step - 1) * 100 + slice * 10;
            const MarketUpdate u = sim.trades(t, 0.01, 200);
            QVERIFY(u.books.isEmpty());
            QVERIFY(!u.ticker);
            // A snapshot's ticker is the one published with its seq: trades since then show
            // with the next seq, never under the old one (subscribers would see two tickers
            // for one seq).
            QCOMPARE(sim.ticker(), published);
            for (const protocol::Trade &trade : u.trades)
                QVERIFY(trade.ts > t - 10 && trade.ts <= t);
            trades += u.trades;
        }
        const MarketUpdate u = sim.step(T0 + step * 100, 0.1, 0);
        trades += u.trades;
        books += int(u.books.size());
        if (u.ticker) {
            QCOMPARE(u.ticker->seq, tickerSeq + 1);
            tickerSeq = u.ticker->seq;
            QCOMPARE(u.ticker->last, trades.last().price);
            published = *u.ticker;
        }
    }
    QVERIFY(trades.size() > 4000);
    QVERIFY(books > 250);
    for (qsizetype i = 0; i < trades.size(); ++i) {
        QCOMPARE(trades[i].seq, trades.first().seq + i);
        if (i > 0)
            QVERIFY(trades[i].ts >= trades[i - 1].ts);
    }
    QCOMPARE(sim.tradesSeq(), trades.last().seq);
    const protocol::CandlesSnapshot minutes = sim.candlesSnapshot(CandleInterval::S1, 500);
    Decimal volume = *Decimal::parse(u"0"_s);
    for (const protocol::Trade &t : std::as_const(trades))
        volume = *volume.plus(t.qty);
    Decimal candleVolume = *Decimal::parse(u"0"_s);
    for (const protocol::Candle &c : minutes.candles)
        candleVolume = *candleVolume.plus(c.v);
    QCOMPARE(candleVolume, volume); // 30 s of 1 s candles: every trade is in one
}

void tst_MarketSimulator::backfilledHistoryLeadsToThePrice()
{
    const Instrument in = instrument("BTC-USD");
    const std::int64_t now = T0 + 37'250; // mid-minute, mid-second
    MarketSimulator sim(in, 5, now);
    const Decimal price = sim.ticker().last;
    sim.backfill(now, 30);
    struct Expect
    {
        CandleInterval interval;
        int closedAtLeast;
    };
    // 1s: the last 24 minutes; 1m and 5m: a full history; 1h: 500 hours.
    for (const Expect e : {Expect{CandleInterval::S1, 1300}, Expect{CandleInterval::M1, 1439},
                           Expect{CandleInterval::M5, 1439}, Expect{CandleInterval::H1, 499}}) {
        const std::int64_t ms = protocol::intervalMs(e.interval);
        const protocol::CandlesSnapshot snap = sim.candlesSnapshot(e.interval, 5000);
        QVERIFY2(snap.candles.size() > e.closedAtLeast, qPrintable(QString::number(snap.candles.size())));
        QVERIFY(snap.candles.size() <= MarketSimulator::CandleHistory + 1);
        QVERIFY(!snap.candles.last().closed);
        QVERIFY(snap.candles.last().t <= now);
        QVERIFY(snap.candles.last().t > now - 2 * ms); // 1s: the last whole second
        // Ends exactly at the current price, with no gap between candles.
        QCOMPARE(snap.candles.last().c, price);
        for (qsizetype i = 0; i < snap.candles.size(); ++i) {
            const protocol::Candle &c = snap.candles[i];
            QCOMPARE(c.t % ms, 0);
            QVERIFY(c.l <= c.o && c.l <= c.c && c.o <= c.h && c.c <= c.h);
            QVERIFY(c.l.isPositive());
            QVERIFY(c.v.isPositive());
            QVERIFY(c.o.isMultipleOf(in.info.tickSize) && c.h.isMultipleOf(in.info.tickSize));
            if (i > 0) {
                QCOMPARE(c.t, snap.candles[i - 1].t + ms);
                QCOMPARE(c.o, snap.candles[i - 1].c);
                QVERIFY(c.seq > snap.candles[i - 1].seq);
                QVERIFY(snap.candles[i - 1].closed);
            }
        }
    }
    // The 1h candles hold the same market as the 1m ones over the same hour.
    const auto hours = sim.candlesSnapshot(CandleInterval::H1, 5000).candles;
    const auto minutes = sim.candlesSnapshot(CandleInterval::M1, 5000).candles;
    const protocol::Candle &hour = hours[hours.size() - 3];
    Decimal high = *Decimal::parse(u"0"_s);
    for (const protocol::Candle &m : minutes) {
        if (m.t >= hour.t && m.t < hour.t + 3'600'000)
            high = std::max(high, m.h);
    }
    QCOMPARE(high, hour.h);

    // Live trading continues the open candles; the 24h statistics include the history.
    const protocol::Candle openMinute = minutes.last();
    const MarketUpdate update = sim.step(now + 500, 0.5, 30);
    QVERIFY(!update.trades.isEmpty());
    const auto after = sim.candlesSnapshot(CandleInterval::M1, 5000).candles;
    QCOMPARE(after.last().t, openMinute.t);
    QCOMPARE(after.last().o, openMinute.o);
    QVERIFY(sim.ticker().volume24h.isPositive());
    QVERIFY(sim.ticker().high24h > sim.ticker().low24h);
}

void tst_MarketSimulator::extremeRateNeverEmptiesTheBook()
{
    // --rate allows 100,000 trades/s per instrument: one 100 ms step then takes more liquidity
    // than a whole side holds. The book must refill, never be read empty, never cross.
    const Instrument in = instrument("BTC-USD");
    MarketSimulator sim(in, 11, T0);
    qsizetype trades = 0;
    for (int i = 1; i <= 20; ++i) {
        const MarketUpdate update = sim.step(T0 + i * 100, 0.1, 100'000);
        trades += update.trades.size();
        const protocol::OrderBook &book = sim.book();
        QVERIFY(book.bids().size() >= std::size_t(MarketSimulator::MinLevels));
        QVERIFY(book.asks().size() >= std::size_t(MarketSimulator::MinLevels));
        QVERIFY(book.bids().begin()->first < book.asks().begin()->first);
    }
    QVERIFY(trades > 100'000);
}

void tst_MarketSimulator::executeTakesLiquidity()
{
    const Instrument in = instrument("BTC-USD");
    MarketSimulator sim(in, 3, T0);
    const protocol::BookLevel best = *sim.book().bestAsk();
    const protocol::BookLevel second = sim.book().topAsks(2).at(1);
    const Decimal qty = *best.qty.plus(*Decimal::parse(u"0.0001"_s));
    MarketUpdate update;
    // Limited at the best price: only the best level fills.
    QList<Execution> fills = sim.execute(T0 + 1, protocol::Side::Buy, qty, best.price, &update);
    QCOMPARE(fills.size(), 1);
    QCOMPARE(fills.first(), (Execution{best.price, best.qty}));
    QCOMPARE(update.trades.size(), 1);
    QVERIFY(update.trades.first().side == protocol::Side::Buy);
    QCOMPARE(sim.book().bestAsk()->price, second.price); // the liquidity is gone
    QVERIFY(!update.books.isEmpty());
    // Unlimited sell walks several bid levels.
    const auto bids = sim.book().topBids(3);
    const Decimal big = *(*bids[0].qty.plus(bids[1].qty)).plus(bids[2].qty);
    update = {};
    fills = sim.execute(T0 + 2, protocol::Side::Sell, big, std::nullopt, &update);
    QCOMPARE(fills.size(), 3);
    QCOMPARE(fills[2].price, bids[2].price);
    QVERIFY(sim.book().bestBid()->price < bids[2].price);
    QCOMPARE(update.trades.size(), 3);
}

void tst_MarketSimulator::recordedTrade()
{
    const Instrument in = instrument("BTC-USD");
    MarketSimulator sim(in, 3, T0);
    MarketUpdate update;
    QVERIFY(sim.recordTrade(T0 + 5, *Decimal::parse(u"65000.00"_s), *Decimal::parse(u"0.5000"_s),
                            protocol::Side::Buy, &update));
    QCOMPARE(update.trades.size(), 1);
    QCOMPARE(update.trades.first().price.toString(), u"65000.00"_s);
    QVERIFY(!sim.book().isCrossed());
    QCOMPARE(sim.ticker().last.toString(), u"65000.00"_s);
    // Off the tick grid or the lot grid: refused, nothing published.
    MarketUpdate refused;
    QVERIFY(!sim.recordTrade(T0 + 6, *Decimal::parse(u"65000.001"_s), *Decimal::parse(u"1"_s),
                             protocol::Side::Sell, &refused));
    QVERIFY(!sim.recordTrade(T0 + 6, *Decimal::parse(u"65000.00"_s), *Decimal::parse(u"0.00001"_s),
                             protocol::Side::Sell, &refused));
    QVERIFY(refused.isEmpty());
}

QTEST_GUILESS_MAIN(tst_MarketSimulator)
#include "tst_marketsimulator.moc"
