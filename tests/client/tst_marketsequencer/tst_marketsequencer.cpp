#include "client/marketsequencer.h"
#include "protocol/orderbook.h"
#include "client/subscriptionset.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using client::MarketSequencer;
using client::SubscriptionSet;
using client::Topic;
using Verdict = MarketSequencer::Verdict;

namespace {
constexpr int Depth = 5;

Decimal D(const char *text)
{
    const auto value = Decimal::parse(QByteArrayView(text));
    if (!value)
        qFatal("bad decimal %s", text);
    return *value;
}

protocol::Ticker ticker(const QString &symbol, std::int64_t seq)
{
    protocol::Ticker t;
    t.symbol = symbol;
    t.seq = seq;
    t.last = D("100.5");
    return t;
}

protocol::Trade trade(const QString &symbol, std::int64_t seq)
{
    protocol::Trade t;
    t.symbol = symbol;
    t.seq = seq;
    t.tradeId = seq;
    t.price = D("100.5");
    t.qty = D("1");
    return t;
}

// Book messages signed with the checksum of the book they lead to, computed on `shadow`: what
// the server does.
protocol::Book book(protocol::OrderBook &shadow, std::int64_t seq, bool snapshot,
                    QList<protocol::BookLevel> bids, QList<protocol::BookLevel> asks)
{
    protocol::Book b;
    b.symbol = u"BTC-USD"_s;
    b.seq = seq;
    b.snapshot = snapshot;
    b.bids = std::move(bids);
    b.asks = std::move(asks);
    if (!shadow.apply(b))
        qFatal("test book refused");
    b.checksum = shadow.checksum();
    return b;
}

protocol::Book snapshot(protocol::OrderBook &shadow, std::int64_t seq)
{
    return book(shadow, seq, true, {{D("99"), D("2")}, {D("98"), D("1")}},
                {{D("101"), D("3")}, {D("102"), D("4")}});
}

protocol::Book delta(protocol::OrderBook &shadow, std::int64_t seq, const char *bidQty)
{
    return book(shadow, seq, false, {{D("99"), D(bidQty)}}, {});
}

QList<std::int64_t> seqs(const protocol::EventBatch &batch)
{
    QList<std::int64_t> out;
    for (const protocol::Message &event : batch.events) {
        std::visit(
            [&out](const auto &m) {
                if constexpr (requires { m.seq; })
                    out.append(m.seq);
                else
                    out.append(-1);
            },
            event);
    }
    return out;
}
} // namespace

class tst_MarketSequencer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void unsubscribedTopicIsDropped();
    void staleSeqIsDroppedAndGapKept();
    void bookGapAsksForResnapshot();
    void checksumMismatchAsksForResnapshot();
    void crossedBookAsksForResnapshot();
    void snapshotRestartsStream();
    void connectionLostForgetsPositions();
    void removedTopicIsForgotten();
    void batchKeepsLatestBookViewPerSymbol();

private:
    void subscribe(const QString &text);

    SubscriptionSet m_subscriptions{Depth};
    std::unique_ptr<MarketSequencer> m_sequencer;
};

void tst_MarketSequencer::init()
{
    m_subscriptions = SubscriptionSet(Depth);
    m_sequencer = std::make_unique<MarketSequencer>(m_subscriptions, Depth);
}

void tst_MarketSequencer::subscribe(const QString &text)
{
    const Topic topic = *Topic::parse(text);
    QVERIFY(m_subscriptions.add(topic));
    m_sequencer->topicAdded(topic);
}

void tst_MarketSequencer::unsubscribedTopicIsDropped()
{
    subscribe(u"ticker:BTC-USD"_s);
    QVERIFY(MarketSequencer::isMarketData(ticker(u"ETH-USD"_s, 1)));
    QCOMPARE(m_sequencer->handle(ticker(u"ETH-USD"_s, 1)), Verdict::Ignored);
    QCOMPARE(m_sequencer->handle(trade(u"BTC-USD"_s, 1)), Verdict::Ignored);
    protocol::OrderBook shadow;
    QCOMPARE(m_sequencer->handle(snapshot(shadow, 1)), Verdict::Ignored);
    QVERIFY(!m_sequencer->hasBatch());

    QCOMPARE(m_sequencer->handle(ticker(u"BTC-USD"_s, 1)), Verdict::Accepted);
    const protocol::EventBatch batch = m_sequencer->takeBatch();
    QCOMPARE(batch.events.size(), 1);
    QCOMPARE(std::get<protocol::Ticker>(batch.events.first()).symbol, u"BTC-USD"_s);
    QVERIFY(batch.books.isEmpty());
    QVERIFY(!m_sequencer->hasBatch());
}

void tst_MarketSequencer::staleSeqIsDroppedAndGapKept()
{
    subscribe(u"ticker:BTC-USD"_s);
    QCOMPARE(m_sequencer->handle(ticker(u"BTC-USD"_s, 5)), Verdict::Accepted);
    QCOMPARE(m_sequencer->handle(ticker(u"BTC-USD"_s, 6)), Verdict::Accepted);
    QCOMPARE(m_sequencer->handle(ticker(u"BTC-USD"_s, 6)), Verdict::Stale);
    QCOMPARE(m_sequencer->handle(ticker(u"BTC-USD"_s, 4)), Verdict::Stale);
    // Tickers carry full values: after a gap the data is kept.
    QCOMPARE(m_sequencer->handle(ticker(u"BTC-USD"_s, 9)), Verdict::AcceptedAfterGap);
    QCOMPARE(m_sequencer->handle(ticker(u"BTC-USD"_s, 10)), Verdict::Accepted);
    QCOMPARE(seqs(m_sequencer->takeBatch()), (QList<std::int64_t>{5, 6, 9, 10}));
}

void tst_MarketSequencer::bookGapAsksForResnapshot()
{
    subscribe(u"book:BTC-USD"_s);
    protocol::OrderBook shadow;
    // A delta before any snapshot belongs to no book.
    protocol::OrderBook early;
    snapshot(early, 1);
    QCOMPARE(m_sequencer->handle(delta(early, 2, "5")), Verdict::Ignored);

    QCOMPARE(m_sequencer->handle(snapshot(shadow, 10)), Verdict::Accepted);
    QCOMPARE(m_sequencer->handle(delta(shadow, 11, "3")), Verdict::Accepted);
    const Verdict gap = m_sequencer->handle(delta(shadow, 13, "4"));
    QCOMPARE(gap, Verdict::BookGap);
    QVERIFY(MarketSequencer::needsResnapshot(gap));
    // Until the new snapshot, deltas are ignored and no book is published.
    const protocol::EventBatch before = m_sequencer->takeBatch();
    QCOMPARE(before.books.size(), 1);
    QCOMPARE(before.books.first().seq, 11);
    QCOMPARE(m_sequencer->handle(delta(shadow, 14, "5")), Verdict::Ignored);
    QVERIFY(!m_sequencer->hasBatch());

    QCOMPARE(m_sequencer->handle(snapshot(shadow, 20)), Verdict::Accepted);
    QCOMPARE(m_sequencer->handle(delta(shadow, 21, "6")), Verdict::Accepted);
    const protocol::EventBatch after = m_sequencer->takeBatch();
    QCOMPARE(after.books.size(), 1);
    QCOMPARE(after.books.first().seq, 21);
    QVERIFY(after.books.first().resynced);
    QCOMPARE(after.books.first().bids.first().qty, D("6"));
}

void tst_MarketSequencer::checksumMismatchAsksForResnapshot()
{
    subscribe(u"book:BTC-USD"_s);
    protocol::OrderBook shadow;
    QCOMPARE(m_sequencer->handle(snapshot(shadow, 1)), Verdict::Accepted);
    protocol::Book bad = delta(shadow, 2, "7");
    bad.checksum ^= 1;
    const Verdict verdict = m_sequencer->handle(std::move(bad));
    QCOMPARE(verdict, Verdict::BookChecksumMismatch);
    QVERIFY(MarketSequencer::needsResnapshot(verdict));
    // The next delta is in sequence but belongs to the discarded book.
    QCOMPARE(m_sequencer->handle(delta(shadow, 3, "8")), Verdict::Ignored);
    const protocol::EventBatch batch = m_sequencer->takeBatch();
    QCOMPARE(batch.books.size(), 1);
    QCOMPARE(batch.books.first().seq, 1); // the unverified book was never published
}

void tst_MarketSequencer::crossedBookAsksForResnapshot()
{
    subscribe(u"book:BTC-USD"_s);
    protocol::OrderBook shadow;
    QCOMPARE(m_sequencer->handle(snapshot(shadow, 1)), Verdict::Accepted);
    (void)m_sequencer->takeBatch();
    QCOMPARE(m_sequencer->handle(book(shadow, 2, false, {{D("101.5"), D("1")}}, {})),
             Verdict::BookCrossed);
    QVERIFY(!m_sequencer->hasBatch());
}

void tst_MarketSequencer::snapshotRestartsStream()
{
    subscribe(u"trades:BTC-USD"_s);
    QCOMPARE(m_sequencer->handle(trade(u"BTC-USD"_s, 5)), Verdict::Accepted);
    protocol::TradesSnapshot trades;
    trades.symbol = u"BTC-USD"_s;
    trades.trades = {trade(u"BTC-USD"_s, 9), trade(u"BTC-USD"_s, 10)};
    QCOMPARE(m_sequencer->handle(trades), Verdict::Accepted);
    QCOMPARE(m_sequencer->handle(trade(u"BTC-USD"_s, 8)), Verdict::Stale);
    QCOMPARE(m_sequencer->handle(trade(u"BTC-USD"_s, 11)), Verdict::Accepted); // not a gap
    QCOMPARE(seqs(m_sequencer->takeBatch()), (QList<std::int64_t>{5, -1, 11}));

    // A book snapshot re-anchors its stream even below the last position.
    subscribe(u"book:BTC-USD"_s);
    protocol::OrderBook shadow;
    QCOMPARE(m_sequencer->handle(snapshot(shadow, 100)), Verdict::Accepted);
    QCOMPARE(m_sequencer->handle(snapshot(shadow, 3)), Verdict::Accepted);
    QCOMPARE(m_sequencer->handle(delta(shadow, 4, "9")), Verdict::Accepted);
}

void tst_MarketSequencer::connectionLostForgetsPositions()
{
    subscribe(u"ticker:BTC-USD"_s);
    subscribe(u"book:BTC-USD"_s);
    protocol::OrderBook shadow;
    QCOMPARE(m_sequencer->handle(ticker(u"BTC-USD"_s, 50)), Verdict::Accepted);
    QCOMPARE(m_sequencer->handle(snapshot(shadow, 7)), Verdict::Accepted);
    m_sequencer->connectionLost();
    // A restarted server may count from 1 again.
    QCOMPARE(m_sequencer->handle(ticker(u"BTC-USD"_s, 1)), Verdict::Accepted);
    // The old book is gone: deltas wait for the new connection's snapshot.
    QCOMPARE(m_sequencer->handle(delta(shadow, 8, "2")), Verdict::Ignored);
}

void tst_MarketSequencer::removedTopicIsForgotten()
{
    subscribe(u"ticker:BTC-USD"_s);
    QCOMPARE(m_sequencer->handle(ticker(u"BTC-USD"_s, 50)), Verdict::Accepted);
    const Topic topic = *Topic::parse(u"ticker:BTC-USD"_s);
    QVERIFY(m_subscriptions.remove(topic));
    m_sequencer->topicRemoved(topic);
    QCOMPARE(m_sequencer->handle(ticker(u"BTC-USD"_s, 51)), Verdict::Ignored);
    subscribe(u"ticker:BTC-USD"_s);
    QCOMPARE(m_sequencer->handle(ticker(u"BTC-USD"_s, 3)), Verdict::Accepted);
}

void tst_MarketSequencer::batchKeepsLatestBookViewPerSymbol()
{
    subscribe(u"book:BTC-USD"_s);
    subscribe(u"ticker:BTC-USD"_s);
    protocol::OrderBook shadow;
    QCOMPARE(m_sequencer->handle(snapshot(shadow, 1)), Verdict::Accepted);
    QCOMPARE(m_sequencer->handle(ticker(u"BTC-USD"_s, 1)), Verdict::Accepted);
    QCOMPARE(m_sequencer->handle(delta(shadow, 2, "3")), Verdict::Accepted);
    QCOMPARE(m_sequencer->pendingEvents(), 2);
    const protocol::EventBatch batch = m_sequencer->takeBatch();
    QCOMPARE(batch.events.size(), 1);
    QCOMPARE(batch.books.size(), 1);
    QCOMPARE(batch.books.first().seq, 2);
    QVERIFY(batch.books.first().resynced); // the snapshot earlier in the batch
    QCOMPARE(batch.books.first().bids.size(), 2);
    QCOMPARE(batch.books.first().asks.first().price, D("101"));

    QCOMPARE(m_sequencer->handle(delta(shadow, 3, "4")), Verdict::Accepted);
    QVERIFY(!m_sequencer->takeBatch().books.first().resynced);
}

QTEST_GUILESS_MAIN(tst_MarketSequencer)
#include "tst_marketsequencer.moc"
