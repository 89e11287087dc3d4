#include "../marketfixtures.h"
#include "market/marketstore.h"

#include <QtTest/QAbstractItemModelTester>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::market;
using namespace tickwire::market::test;

namespace {

// Splits a fixture into the instrument list (for setInstruments) and one event batch.
protocol::EventBatch batchFrom(const QList<protocol::Message> &messages,
                               QList<protocol::InstrumentInfo> *instruments = nullptr)
{
    protocol::EventBatch batch;
    for (const protocol::Message &message : messages) {
        if (const auto *symbols = std::get_if<protocol::Symbols>(&message)) {
            if (instruments)
                *instruments = symbols->symbols;
            continue;
        }
        batch.events.append(message);
    }
    return batch;
}

protocol::BookView bookView(const QString &symbol, QList<protocol::BookLevel> bids,
                            QList<protocol::BookLevel> asks)
{
    protocol::BookView view;
    view.symbol = symbol;
    view.bids = std::move(bids);
    view.asks = std::move(asks);
    return view;
}

} // namespace

class tst_MarketStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void sessionFixtureFillsEveryModel();
    void badEventsAreRefusedOneByOne();
    void nothingIsEmittedBeforeFlush();
    void statsCountEventsAndFlushes();
    void selectionResetsOnlyTheSelectedViews();
    void ownOrdersShowInTheLadder();
    void instrumentsArrivingLateReformatAtNextFlush();
    void selectionAndIntervalNotifyOnce();
    void depthFollowsTheVerifiedBook();
    void bookGroupingChoicesAndSteps();

private:
    QList<QAbstractItemModel *> models() const
    {
        return {m_store->quotes(),     m_store->book(),  m_store->tape(),      m_store->candles(),
                m_store->openOrders(), m_store->fills(), m_store->positions(), m_store->depth()};
    }

    std::unique_ptr<MarketStore> m_store;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> m_testers;
};

void tst_MarketStore::init()
{
    m_store = std::make_unique<MarketStore>();
    for (QAbstractItemModel *model : models())
        m_testers.push_back(std::make_unique<QAbstractItemModelTester>(
            model, QAbstractItemModelTester::FailureReportingMode::QtTest));
    m_store->setWatchlist({u"BTC-USD"_s, u"ETH-USD"_s, u"DOGE-EUR"_s});
    m_store->setSelectedSymbol(u"BTC-USD"_s);
    m_store->setBookDepth(5);
}

void tst_MarketStore::cleanup()
{
    m_testers.clear();
    m_store.reset();
}

void tst_MarketStore::sessionFixtureFillsEveryModel()
{
    QList<protocol::InstrumentInfo> instruments;
    protocol::EventBatch batch = batchFrom(loadMessages(u"session.ndjson"_s), &instruments);
    batch.books.append(bookView(u"BTC-USD"_s, {level("64012.49", "1.25"), level("64012.00", "0.5")},
                                {level("64012.51", "0.31"), level("64100.00", "2")}));
    m_store->setInstruments(instruments);
    const ApplyResult result = m_store->apply(batch);
    QVERIFY2(result.ok(), qPrintable(result.rejected.join(u"; "_s)));
    QCOMPARE(result.applied, batch.events.size() + 1);
    m_store->flush();

    QuoteModel *quotes = m_store->quotes();
    QCOMPARE(quotes->index(0).data(QuoteModel::LastRole).toString(), u"64012.50"_s);
    QCOMPARE(quotes->index(0).data(QuoteModel::NameRole).toString(), u"Bitcoin"_s);
    QCOMPARE(quotes->index(1).data(QuoteModel::VolumeRole).toString(), u"90210.125"_s);
    QCOMPARE(quotes->index(1).data(QuoteModel::ChangeRole).toString(), u"-49.75"_s);
    QCOMPARE(quotes->index(2).data(QuoteModel::AvailableRole).toBool(), false);
    QVERIFY(quotes->index(2).data(QuoteModel::ErrorRole).toString().contains(u"DOGE-EUR"_s));

    TradeTapeModel *tape = m_store->tape();
    QCOMPARE(tape->rowCount(), 3); // the ETH trade is not on the BTC tape
    QCOMPARE(tape->index(0).data(TradeTapeModel::TradeIdRole).toLongLong(), 5512093);
    QCOMPARE(tape->index(2).data(TradeTapeModel::TradeIdRole).toLongLong(), 5512091);

    CandleModel *candles = m_store->candles();
    QCOMPARE(candles->rowCount(), 2);
    QCOMPARE(candles->index(1).data(CandleModel::CloseRole).toString(), u"64012.50"_s);
    QCOMPARE(candles->maxPrice(), 64020.0);
    QCOMPARE(candles->minPrice(), 63970.0);

    OpenOrdersModel *open = m_store->openOrders();
    QCOMPARE(open->rowCount(), 1); // o-1 filled and left, o-2 is open
    QCOMPARE(open->index(0).data(OpenOrdersModel::OrderIdRole).toString(), u"o-2"_s);
    FillsModel *fills = m_store->fills();
    QCOMPARE(fills->rowCount(), 1); // only the fill event; the snapshot's history is not a fill
    QCOMPARE(fills->index(0).data(FillsModel::QtyRole).toString(), u"0.3000"_s);

    PositionsModel *positions = m_store->positions();
    QCOMPARE(positions->rowCount(), 1);
    // Mark = last BTC trade 64012.51: 0.5 × 12.51 = 6.255, exact.
    QCOMPARE(positions->index(0).data(PositionsModel::MarkRole).toString(), u"64012.51"_s);
    QCOMPARE(positions->index(0).data(PositionsModel::UnrealizedPnlRole).toString(), u"6.255"_s);

    OrderBookModel *book = m_store->book();
    QCOMPARE(book->rowCount(), 10);
    QCOMPARE(book->index(4).data(OrderBookModel::PriceRole).toString(), u"64012.51"_s);
    QCOMPARE(book->index(3).data(OrderBookModel::PriceRole).toString(), u"64100.00"_s);
    QCOMPARE(book->index(3).data(OrderBookModel::OwnQtyRole).toString(), u"1.0000"_s);
    QCOMPARE(book->index(5).data(OrderBookModel::PriceRole).toString(), u"64012.49"_s);
}

void tst_MarketStore::badEventsAreRefusedOneByOne()
{
    const protocol::EventBatch batch = batchFrom(loadMessages(u"bad_events.ndjson"_s));
    const ApplyResult result = m_store->apply(batch);
    QCOMPARE(result.applied, 3);
    QCOMPARE(result.rejected.size(), 5);
    const QString all = result.rejected.join(u'\n');
    QVERIFY2(all.contains(u"older than the last candle"_s), qPrintable(all));
    QVERIFY2(all.contains(u"not newer than trade 7"_s), qPrintable(all));
    QVERIFY2(all.contains(u"non-positive"_s), qPrintable(all));
    QVERIFY2(all.contains(u"o-bad"_s), qPrintable(all));
    QVERIFY2(all.contains(u"'heartbeat'"_s), qPrintable(all));
    QCOMPARE(m_store->stats().rejected, 5);
    m_store->flush();
    // The good events around the bad ones all arrived.
    QCOMPARE(m_store->candles()->rowCount(), 1);
    QCOMPARE(m_store->candles()->index(0).data(CandleModel::CloseRole).toString(), u"64001.00"_s);
    QCOMPARE(m_store->tape()->rowCount(), 1);
    QCOMPARE(m_store->tape()->index(0).data(TradeTapeModel::PriceRole).toString(), u"64012.51"_s);
    QCOMPARE(m_store->quotes()->index(0).data(QuoteModel::LastRole).toString(), u"64013.00"_s);
    QCOMPARE(m_store->openOrders()->rowCount(), 0);
    QCOMPARE(m_store->fills()->rowCount(), 0);
}

void tst_MarketStore::nothingIsEmittedBeforeFlush()
{
    QList<std::shared_ptr<QSignalSpy>> spies;
    for (QAbstractItemModel *model : models()) {
        spies.append(std::make_shared<QSignalSpy>(model, &QAbstractItemModel::dataChanged));
        spies.append(std::make_shared<QSignalSpy>(model, &QAbstractItemModel::rowsInserted));
        spies.append(std::make_shared<QSignalSpy>(model, &QAbstractItemModel::rowsRemoved));
    }
    // Live events only (snapshots reset at once, by design): tickers, trades, orders.
    for (int i = 0; i < 40; ++i) {
        protocol::EventBatch batch;
        protocol::Ticker t = ticker(u"BTC-USD"_s, QByteArray::number(64000 + i).constData());
        batch.events.append(t);
        batch.events.append(trade(u"BTC-USD"_s, 100 + i, "64000", "0.1"));
        batch.books.append(
            bookView(u"BTC-USD"_s, {level("63999", QByteArray::number(i + 1).constData())}, {}));
        QVERIFY(m_store->apply(batch).ok());
    }
    for (const auto &spy : spies)
        QCOMPARE(spy->size(), 0);
    m_store->flush();
    QCOMPARE(m_store->tape()->rowCount(), 40);
    QCOMPARE(m_store->quotes()->index(0).data(QuoteModel::LastRole).toString(), u"64039"_s);
    QCOMPARE(m_store->book()->index(5).data(OrderBookModel::SizeRole).toString(), u"40"_s);
}

void tst_MarketStore::statsCountEventsAndFlushes()
{
    QSignalSpy flushed(m_store.get(), &MarketStore::flushed);
    for (int i = 0; i < 7; ++i) {
        protocol::EventBatch batch;
        batch.events.append(ticker(u"ETH-USD"_s, "10"));
        batch.events.append(ticker(u"ETH-USD"_s, "11"));
        batch.books.append(bookView(u"ETH-USD"_s, {level("9", "1")}, {}));
        QVERIFY(m_store->apply(batch).ok());
    }
    m_store->flush();
    m_store->flush();
    QCOMPARE(m_store->stats().batches, 7);
    QCOMPARE(m_store->stats().events, 21);
    QCOMPARE(m_store->stats().flushes, 2);
    QCOMPARE(m_store->stats().rejected, 0);
    QCOMPARE(flushed.size(), 2);
}

void tst_MarketStore::selectionResetsOnlyTheSelectedViews()
{
    protocol::EventBatch batch;
    batch.events.append(ticker(u"BTC-USD"_s, "100"));
    batch.events.append(position(u"ETH-USD"_s, "1", "10"));
    batch.books.append(bookView(u"ETH-USD"_s, {level("9", "1")}, {level("11", "2")}));
    QVERIFY(m_store->apply(batch).ok());
    m_store->flush();

    QList<std::shared_ptr<QSignalSpy>> resets;
    for (QAbstractItemModel *model : models())
        resets.append(std::make_shared<QSignalSpy>(model, &QAbstractItemModel::modelReset));
    m_store->setSelectedSymbol(u"ETH-USD"_s);
    // quotes, book, tape, candles, open orders, fills, positions
    const QList<qsizetype> expected{0, 1, 1, 1, 0, 0, 0};
    for (qsizetype i = 0; i < expected.size(); ++i)
        QCOMPARE(resets.at(i)->size(), expected.at(i));
    // The book seen earlier for ETH-USD shows at the next frame, without waiting for the feed.
    m_store->flush();
    QCOMPARE(m_store->book()->index(5).data(OrderBookModel::PriceRole).toString(), u"9"_s);
    QCOMPARE(m_store->book()->index(4).data(OrderBookModel::PriceRole).toString(), u"11"_s);
    // Changing the candle interval resets the candles only.
    m_store->setCandleInterval(protocol::CandleInterval::M5);
    QCOMPARE(resets.at(3)->size(), 2);
    QCOMPARE(resets.at(1)->size(), 1);
}

void tst_MarketStore::ownOrdersShowInTheLadder()
{
    protocol::EventBatch batch;
    batch.books.append(
        bookView(u"BTC-USD"_s, {level("100", "5"), level("99", "5")}, {level("101", "5")}));
    batch.events.append(order(u"o-1"_s, u"BTC-USD"_s, protocol::Side::Buy, "99", "2", "0.5",
                              protocol::OrderStatus::PartiallyFilled));
    batch.events.append(order(u"o-2"_s, u"BTC-USD"_s, protocol::Side::Buy, "99.0", "1", "0",
                              protocol::OrderStatus::New));
    batch.events.append(order(u"o-3"_s, u"ETH-USD"_s, protocol::Side::Buy, "100", "1", "0",
                              protocol::OrderStatus::New));
    QVERIFY(m_store->apply(batch).ok());
    m_store->flush();
    OrderBookModel *book = m_store->book();
    QCOMPARE(book->index(6).data(OrderBookModel::OwnQtyValueRole).toDouble(), 2.5);
    QCOMPARE(book->index(5).data(OrderBookModel::OwnQtyRole).toString(), QString()); // ETH's
    // Cancelling one order updates the level at the next frame, with just the own roles.
    QSignalSpy spy(book, &QAbstractItemModel::dataChanged);
    protocol::EventBatch cancel;
    cancel.events.append(order(u"o-2"_s, u"BTC-USD"_s, protocol::Side::Buy, "99.0", "1", "0",
                               protocol::OrderStatus::Cancelled));
    QVERIFY(m_store->apply(cancel).ok());
    m_store->flush();
    QCOMPARE(changes(spy),
             (QList<Change>{{6, 6,
                             sorted({OrderBookModel::OwnQtyRole, OrderBookModel::OwnQtyValueRole,
                                     OrderBookModel::CellsRole})}}));
    QCOMPARE(book->index(6).data(OrderBookModel::OwnQtyRole).toString(), u"1.5"_s);
}

void tst_MarketStore::instrumentsArrivingLateReformatAtNextFlush()
{
    protocol::EventBatch batch;
    batch.events.append(trade(u"BTC-USD"_s, 1, "64000", "0.5"));
    batch.events.append(position(u"BTC-USD"_s, "0.5", "63000"));
    QVERIFY(m_store->apply(batch).ok());
    m_store->flush();
    QCOMPARE(m_store->tape()->index(0).data(TradeTapeModel::PriceRole).toString(), u"64000"_s);

    QSignalSpy tape(m_store->tape(), &QAbstractItemModel::dataChanged);
    QSignalSpy positions(m_store->positions(), &QAbstractItemModel::dataChanged);
    m_store->setInstruments({instrument(u"BTC-USD"_s, "0.01", "0.0001")});
    QCOMPARE(tape.size(), 0);
    m_store->flush();
    QCOMPARE(changes(tape),
             (QList<Change>{{0, 0,
                             sorted({TradeTapeModel::PriceRole, TradeTapeModel::QtyRole,
                                     TradeTapeModel::CellsRole})}}));
    QCOMPARE(positions.size(), 1);
    QCOMPARE(m_store->tape()->index(0).data(TradeTapeModel::PriceRole).toString(), u"64000.00"_s);
    QCOMPARE(m_store->tape()->index(0).data(TradeTapeModel::CellsRole).toStringList().at(1),
             u"64000.00"_s);
    QCOMPARE(m_store->positions()->index(0).data(PositionsModel::UnrealizedPnlRole).toString(),
             u"500.00"_s);
}

// The store owns the selection and the interval: each change notifies once, the same value
// not at all, and the selected instrument's name and tick follow the selection and the list.
void tst_MarketStore::selectionAndIntervalNotifyOnce()
{
    QSignalSpy selected(m_store.get(), &MarketStore::selectedSymbolChanged);
    QSignalSpy instrumentSpy(m_store.get(), &MarketStore::selectedInstrumentChanged);
    QSignalSpy interval(m_store.get(), &MarketStore::candleIntervalChanged);
    m_store->setSelectedSymbol(u"BTC-USD"_s); // already selected
    QCOMPARE(selected.size(), 0);
    QCOMPARE(m_store->selectedName(), QString()); // no instruments yet
    m_store->setInstruments(
        {instrument(u"BTC-USD"_s, "0.01", "0.0001"), instrument(u"ETH-USD"_s, "0.05", "0.001")});
    QCOMPARE(instrumentSpy.size(), 1);
    QCOMPARE(m_store->selectedName(), u"BTC-USD name"_s);
    QCOMPARE(m_store->selectedTickSize(), u"0.01"_s);
    m_store->setProperty("selectedSymbol", u"ETH-USD"_s); // as QML writes it
    QCOMPARE(selected.size(), 1);
    QCOMPARE(instrumentSpy.size(), 2);
    QCOMPARE(m_store->selectedTickSize(), u"0.05"_s);
    QCOMPARE(m_store->book()->symbol(), u"ETH-USD"_s);

    QCOMPARE(m_store->candleIntervalName(), u"1m"_s);
    m_store->setCandleIntervalName(u"1m"_s);
    QCOMPARE(interval.size(), 0);
    m_store->setProperty("candleInterval", u"5m"_s);
    QCOMPARE(interval.size(), 1);
    QVERIFY(m_store->candleInterval() == protocol::CandleInterval::M5);
    m_store->setCandleIntervalName(u"7m"_s); // not an interval: ignored
    m_store->setCandleIntervalName(QString());
    QCOMPARE(interval.size(), 1);
    QCOMPARE(m_store->candleIntervalName(), u"5m"_s);
}

void tst_MarketStore::depthFollowsTheVerifiedBook()
{
    m_store->setInstruments(
        {instrument(u"BTC-USD"_s, "0.01", "0.0001"), instrument(u"ETH-USD"_s, "0.01", "0.001")});
    protocol::EventBatch batch;
    batch.books.append(
        bookView(u"BTC-USD"_s, {level("100", "1"), level("99", "2")}, {level("101", "0.5")}));
    batch.books.append(bookView(u"ETH-USD"_s, {level("10", "3")}, {}));
    QVERIFY(m_store->apply(batch).ok());
    DepthModel *depth = m_store->depth();
    QSignalSpy changed(depth, &DepthModel::depthChanged);
    QCOMPARE(depth->rowCount(), 0); // at the next frame
    m_store->flush();
    QCOMPARE(changed.count(), 1);
    QCOMPARE(depth->bidCount(), 2);
    QCOMPARE(depth->askCount(), 1);
    QCOMPARE(depth->bids()[1].cumulative, d("3"));
    QCOMPARE(depth->midText(), u"100.500"_s);
    // A resnapshot of the selected symbol replaces the chart at the next flush.
    protocol::EventBatch resnapshot;
    protocol::BookView view = bookView(u"BTC-USD"_s, {level("98", "4")}, {level("102", "1")});
    view.resynced = true;
    resnapshot.books.append(view);
    QVERIFY(m_store->apply(resnapshot).ok());
    m_store->flush();
    QCOMPARE(depth->bidCount(), 1);
    QCOMPARE(depth->bids()[0].cumulative, d("4"));
    QCOMPARE(depth->midText(), u"100.000"_s);
    // Another symbol shows its latest book at once.
    m_store->setSelectedSymbol(u"ETH-USD"_s);
    m_store->flush();
    QCOMPARE(depth->symbol(), u"ETH-USD"_s);
    QCOMPARE(depth->bidCount(), 1);
    QCOMPARE(depth->askCount(), 0);
    QVERIFY(!depth->hasMid());
}

void tst_MarketStore::bookGroupingChoicesAndSteps()
{
    QSignalSpy grouping(m_store.get(), &MarketStore::bookGroupingChanged);
    QSignalSpy choices(m_store.get(), &MarketStore::bookGroupingChoicesChanged);
    QCOMPARE(m_store->bookGrouping(), 1);
    QCOMPARE(m_store->bookGroupingChoices(), QList<int>{1}); // no instrument yet
    m_store->setInstruments({instrument(u"BTC-USD"_s, "0.01", "0.0001")});
    protocol::EventBatch batch;
    batch.books.append(bookView(u"BTC-USD"_s, {level("100.05", "1"), level("99.95", "2")},
                                {level("100.07", "0.5")}));
    QVERIFY(m_store->apply(batch).ok());
    m_store->flush();
    // Mid about 100: buckets up to 1% of it (1.00 = 100 ticks).
    QCOMPARE(m_store->bookGroupingChoices(), (QList<int>{1, 10, 100}));
    QCOMPARE(choices.count(), 1);
    QCOMPARE(m_store->bookGroupingLabel(1), u"0.01"_s);
    QCOMPARE(m_store->bookGroupingLabel(10), u"0.1"_s);
    QCOMPARE(m_store->bookGroupingLabel(100), u"1"_s);
    QCOMPARE(m_store->bookGroupingLabel(7), QString());

    m_store->stepBookGrouping(1);
    QCOMPARE(m_store->bookGrouping(), 10);
    QCOMPARE(grouping.count(), 1);
    m_store->flush();
    OrderBookModel *book = m_store->book();
    QCOMPARE(book->index(5).data(OrderBookModel::PriceRole).toString(), u"100.00"_s);
    QCOMPARE(book->index(4).data(OrderBookModel::PriceRole).toString(), u"100.10"_s);
    m_store->stepBookGrouping(5); // stops at the coarsest offered
    QCOMPARE(m_store->bookGrouping(), 100);
    m_store->stepBookGrouping(-1);
    QCOMPARE(m_store->bookGrouping(), 10);
    m_store->stepBookGrouping(-3);
    QCOMPARE(m_store->bookGrouping(), 1);
    QCOMPARE(grouping.count(), 4);
    // A value that is no bucket size is ignored; one not offered (a saved 1000) still applies
    // and is offered while chosen.
    m_store->setBookGrouping(3);
    QCOMPARE(m_store->bookGrouping(), 1);
    m_store->setBookGrouping(1000);
    QCOMPARE(m_store->bookGrouping(), 1000);
    QCOMPARE(m_store->bookGroupingChoices(), (QList<int>{1, 10, 100, 1000}));
    // The depth chart is never grouped.
    m_store->flush();
    QCOMPARE(m_store->depth()->bidCount(), 2);
}

QTEST_GUILESS_MAIN(tst_MarketStore)
#include "tst_marketstore.moc"
