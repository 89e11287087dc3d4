#include "client/onscreen.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::client;
using protocol::CandleInterval;
using protocol::Channel;

// What the dashboard subscribes to, as a function of what it shows.
class tst_OnScreen : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nothingShownNothingWanted();
    void watchlistTickersAndTheSelectionsStreams();
    void selectionOutsideTheWatchlist();
    void intervalPicksTheCandleStream();
    void ordersOnlyWhenTrading();
    void duplicatesOnce();
    void alertSymbolsOffScreen();
    void secondChartBookOnlyOnItsDepthTab();
};

namespace {

Topic ticker(const QString &symbol)
{
    return {Channel::Ticker, symbol, std::nullopt};
}

} // namespace

void tst_OnScreen::nothingShownNothingWanted()
{
    QVERIFY(topicsFor({}).isEmpty());
}

void tst_OnScreen::watchlistTickersAndTheSelectionsStreams()
{
    const QSet<Topic> topics =
        topicsFor({.watchlist = {u"BTC-USD"_s, u"ETH-USD"_s}, .selected = u"ETH-USD"_s, .interval = CandleInterval::M1, .trading = false});
    const QSet<Topic> expected{ticker(u"BTC-USD"_s),
                               ticker(u"ETH-USD"_s),
                               {Channel::Book, u"ETH-USD"_s, std::nullopt},
                               {Channel::Trades, u"ETH-USD"_s, std::nullopt},
                               {Channel::Candles, u"ETH-USD"_s, CandleInterval::M1}};
    QCOMPARE(topics, expected);
}

void tst_OnScreen::selectionOutsideTheWatchlist()
{
    const QSet<Topic> topics = topicsFor({.watchlist = {u"BTC-USD"_s}, .selected = u"SOL-USD"_s, .interval = CandleInterval::M1, .trading = false});
    QVERIFY(topics.contains(ticker(u"SOL-USD"_s))); // its price shows in the ticket and header
    QVERIFY(topics.contains({Channel::Book, u"SOL-USD"_s, std::nullopt}));
    QVERIFY(!topics.contains({Channel::Book, u"BTC-USD"_s, std::nullopt}));
    QCOMPARE(topics.size(), 5);
}

void tst_OnScreen::intervalPicksTheCandleStream()
{
    const QSet<Topic> topics = topicsFor({.watchlist = {}, .selected = u"BTC-USD"_s, .interval = CandleInterval::H1, .trading = false});
    QVERIFY(topics.contains({Channel::Candles, u"BTC-USD"_s, CandleInterval::H1}));
    QVERIFY(!topics.contains({Channel::Candles, u"BTC-USD"_s, CandleInterval::M1}));
}

void tst_OnScreen::ordersOnlyWhenTrading()
{
    const Topic orders{Channel::Orders, QString(), std::nullopt};
    QVERIFY(!topicsFor({.watchlist = {u"BTC-USD"_s}, .selected = {}, .interval = CandleInterval::M1, .trading = false}).contains(orders));
    const QSet<Topic> trading = topicsFor({.watchlist = {u"BTC-USD"_s}, .selected = {}, .interval = CandleInterval::M1, .trading = true});
    QVERIFY(trading.contains(orders));
    QCOMPARE(trading.size(), 2);
}

void tst_OnScreen::duplicatesOnce()
{
    const QSet<Topic> topics =
        topicsFor({.watchlist = {u"BTC-USD"_s, u"BTC-USD"_s}, .selected = u"BTC-USD"_s, .interval = CandleInterval::M1, .trading = false});
    QCOMPARE(topics.size(), 4);
}

void tst_OnScreen::alertSymbolsOffScreen()
{
    OnScreen screen{.watchlist = {u"BTC-USD"_s}, .selected = u"BTC-USD"_s, .interval = CandleInterval::M1, .trading = false};
    screen.alertTickers = {u"SOL-USD"_s, u"BTC-USD"_s};
    screen.alertTrades = {u"SOL-USD"_s};
    const QSet<Topic> topics = topicsFor(screen);
    // The selection's four streams, plus SOL-USD's ticker and trades (not its book or candles).
    QCOMPARE(topics.size(), 6);
    QVERIFY(topics.contains(ticker(u"SOL-USD"_s)));
    QVERIFY(topics.contains({Channel::Trades, u"SOL-USD"_s, std::nullopt}));
    QVERIFY(!topics.contains({Channel::Book, u"SOL-USD"_s, std::nullopt}));
}

void tst_OnScreen::secondChartBookOnlyOnItsDepthTab()
{
    OnScreen screen{.watchlist = {}, .selected = u"BTC-USD"_s};
    screen.secondChart = u"ETH-USD"_s;
    const Topic ethBook{Channel::Book, u"ETH-USD"_s, std::nullopt};
    QVERIFY(!topicsFor(screen).contains(ethBook));
    QVERIFY(topicsFor(screen).contains({Channel::Candles, u"ETH-USD"_s, CandleInterval::M1}));
    screen.secondBook = true;
    QVERIFY(topicsFor(screen).contains(ethBook));
    screen.secondChart.clear(); // hidden: nothing of it, whatever its tab
    QVERIFY(!topicsFor(screen).contains(ethBook));
}

QTEST_GUILESS_MAIN(tst_OnScreen)
#include "tst_onscreen.moc"
