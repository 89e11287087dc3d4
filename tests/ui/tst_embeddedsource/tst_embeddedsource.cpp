// The dashboard's built-in feed on a live market source: the real DemoFeedServer reading a
// scripted Binance (ExchangeReplayServer on loopback) as `tickwire --source binance
// --upstream-ws … --upstream-rest …` does, the dashboard's client reaching Live on it; a list of
// the exchange's markets when the current one has none of them; the watchlist's symbols the
// exchange does not have shown as unavailable, and available again on the simulation; a source that
// cannot start says why, and Settings brings the simulation back.
#include "demofeed/demofeedserver.h"
#include "exchangereplayserver.h"
#include "ui/dashboard.h"

#include <QtCore/QTemporaryDir>
#include <QtGui/QGuiApplication>
#include <QtNetwork/QTcpServer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using client::FeedClient;
using market::QuoteModel;
using watchlists::WatchlistStore;

namespace {

constexpr int Timeout = 15000;

const QString Script =
    QStringLiteral(TICKWIRE_TEST_DATA_DIR "/exchanges/binance/session-book.ndjson");

ui::StartupOptions binance(const QUrl &webSocket, const QUrl &rest, const QStringList &symbols)
{
    ui::StartupOptions options;
    options.source = u"binance"_s;
    options.symbols = symbols;
    options.upstreamWebSocket = webSocket;
    options.upstreamRest = rest;
    options.forceEmbedded = true; // as main() sets for --source
    return options;
}

// The quote row of `symbol` in the current watchlist: whether it is available, and why not.
struct Row
{
    bool found = false;
    bool available = false;
    QString error;
};

Row quoteRow(ui::Dashboard &dashboard, const QString &symbol)
{
    const QuoteModel *quotes = dashboard.store()->quotes();
    for (int row = 0; row < quotes->rowCount(); ++row) {
        const QModelIndex index = quotes->index(row, 0);
        if (quotes->data(index, QuoteModel::SymbolRole).toString() == symbol)
            return {true, quotes->data(index, QuoteModel::AvailableRole).toBool(),
                    quotes->data(index, QuoteModel::ErrorRole).toString()};
    }
    return {};
}

QStringList instrumentSymbols(ui::Dashboard &dashboard)
{
    return dashboard.store()->instruments().symbols();
}

// A loopback port nothing listens on.
quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

} // namespace

class tst_EmbeddedSource : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void binanceThroughTheBuiltInFeed();
    void unreachableExchangeSaysWhy();
    void unknownSymbolSaysWhich();
};

void tst_EmbeddedSource::initTestCase()
{
    ui::Dashboard::setDemoFeedFactory(&demofeed::DemoFeedServer::create);
}

void tst_EmbeddedSource::binanceThroughTheBuiltInFeed()
{
    testing::ExchangeReplayServer replay;
    QString error;
    QVERIFY2(replay.load(Script, &error), qPrintable(error));
    QVERIFY(replay.listen());
    ui::Dashboard::setStartupOptions(
        binance(replay.webSocketUrl(), replay.restUrl(), {u"BTC-USDT"_s, u"ETH-USDT"_s}));
    ui::Dashboard dashboard;
    QCOMPARE(dashboard.settings()->marketSource(), u"binance"_s);
    // The default watchlist is the simulation's: none of its symbols is on Binance.
    QVERIFY(quoteRow(dashboard, u"BTC-USD"_s).found);

    dashboard.store()->setSecondSymbol(u"ETH-USD"_s); // the second chart's, also saved earlier
    QSignalSpy embedded(&dashboard, &ui::Dashboard::embeddedChanged);
    dashboard.start();
    // Discovery runs on the event loop: the dashboard is not blocked meanwhile.
    QVERIFY(dashboard.isEmbedded());
    QVERIFY(dashboard.isEmbeddedStarting());
    QCOMPARE(dashboard.embeddedSource(), u"binance"_s);
    QCOMPARE(dashboard.feed()->state(), FeedClient::State::Disconnected);

    FeedClient *feed = dashboard.feed();
    QTRY_COMPARE_WITH_TIMEOUT(feed->state(), FeedClient::State::Live, Timeout);
    QVERIFY(!dashboard.isEmbeddedStarting());
    QVERIFY(embedded.size() >= 2);
    QCOMPARE(dashboard.embeddedError(), QString());
    QCOMPARE(feed->marketSource(), u"binance"_s);
    QCOMPARE(feed->trading(), u"paper"_s);
    QCOMPARE(feed->account(), u"demo"_s); // paper trading has the demo account
    QTRY_COMPARE_WITH_TIMEOUT(feed->sourceState(), u"live"_s, Timeout);
    QVERIFY(feed->sourceLastMessageAt().isValid());
    // The exchange's instruments, as discovered.
    QCOMPARE(replay.restRequests().value(0), u"/api/v3/exchangeInfo"_s);
    QCOMPARE(instrumentSymbols(dashboard), (QStringList{u"BTC-USDT"_s, u"ETH-USDT"_s}));
    QCOMPARE(dashboard.symbolSearch()->instrumentCount(), 2);
    // The saved selection is not on this market: the chart shows the first symbol that is.
    QCOMPARE(dashboard.store()->selectedSymbol(), u"BTC-USDT"_s);
    QCOMPARE(dashboard.ticket()->symbol(), u"BTC-USDT"_s);
    QCOMPARE(dashboard.store()->secondSymbol(), u"BTC-USDT"_s); // the same for the second chart
    // Nothing of the current list is on this market: a list of the exchange's markets, named
    // after it, is made once and shown instead of a column of "unavailable".
    WatchlistStore *lists = dashboard.watchlists();
    const int binanceList = lists->indexOf(u"Binance"_s);
    QVERIFY(binanceList > 0);
    QCOMPARE(lists->currentIndex(), binanceList);
    QCOMPARE(lists->symbols(binanceList), (QStringList{u"BTC-USDT"_s, u"ETH-USDT"_s}));
    QTRY_VERIFY_WITH_TIMEOUT(quoteRow(dashboard, u"ETH-USDT"_s).available, Timeout);
    const int listCount = lists->count();
    // The user's own list keeps its symbols; the exchange's feed refuses them, with its reason.
    lists->setCurrentIndex(0);
    QTRY_VERIFY_WITH_TIMEOUT(!quoteRow(dashboard, u"BTC-USD"_s).available, Timeout);
    QVERIFY2(quoteRow(dashboard, u"BTC-USD"_s).error.contains(u"BTC-USD"_s),
             qPrintable(quoteRow(dashboard, u"BTC-USD"_s).error));

    // Settings back to the simulation: the built-in feed starts again on it, the client follows.
    QSignalSpy states(feed, &FeedClient::stateChanged);
    QCOMPARE(dashboard.settings()->setMarketSource(u"sim"_s, QString()), QString());
    QCOMPARE(dashboard.settings()->connectTo(QString(), QString(), u"json"_s), QString());
    QCOMPARE(dashboard.embeddedSource(), u"sim"_s);
    QTRY_COMPARE_WITH_TIMEOUT(feed->marketSource(), u"sim"_s, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(feed->state(), FeedClient::State::Live, Timeout);
    QVERIFY(!states.isEmpty());
    QCOMPARE(feed->trading(), u"demo"_s);
    QCOMPARE(feed->sourceState(), QString()); // the simulation sends no source_status
    QVERIFY(instrumentSymbols(dashboard).contains(u"BTC-USD"_s));
    // What Binance refused is available on the simulation.
    QTRY_VERIFY_WITH_TIMEOUT(quoteRow(dashboard, u"BTC-USD"_s).available, Timeout);
    QCOMPARE(quoteRow(dashboard, u"BTC-USD"_s).error, QString());
    QCOMPARE(lists->currentIndex(), 0); // the simulation has the user's symbols: no switch
    QCOMPARE(lists->count(), listCount);
}

void tst_EmbeddedSource::unreachableExchangeSaysWhy()
{
    const quint16 port = closedPort();
    QVERIFY(port != 0);
    ui::Dashboard::setStartupOptions(binance(QUrl(u"ws://127.0.0.1:%1"_s.arg(port)),
                                             QUrl(u"http://127.0.0.1:%1"_s.arg(port)), {}));
    ui::Dashboard dashboard;
    QSignalSpy toasts(&dashboard, &ui::Dashboard::toast);
    QSignalSpy settingsAsked(&dashboard, &ui::Dashboard::openSettingsRequested);
    dashboard.start();
    QTRY_VERIFY_WITH_TIMEOUT(!dashboard.embeddedError().isEmpty(), Timeout);
    const QString error = dashboard.embeddedError();
    QVERIFY2(error.contains(u"Binance"_s) && error.contains(QString::number(port)),
             qPrintable(error));
    QVERIFY(!dashboard.isEmbedded());
    QVERIFY(!dashboard.isEmbeddedStarting());
    QCOMPARE(settingsAsked.size(), 1);
    QCOMPARE(toasts.size(), 1);
    QCOMPARE(toasts.first().at(0).toString(), u"error"_s);
    QCOMPARE(toasts.first().at(1).toString(), error);
    QVERIFY(dashboard.feed()->state() != FeedClient::State::Live);

    // The dashboard stays usable: the simulation from the settings.
    QCOMPARE(dashboard.settings()->setMarketSource(u"sim"_s, QString()), QString());
    QCOMPARE(dashboard.settings()->connectTo(QString(), QString(), u"json"_s), QString());
    QTRY_COMPARE_WITH_TIMEOUT(dashboard.feed()->state(), FeedClient::State::Live, Timeout);
    QCOMPARE(dashboard.feed()->marketSource(), u"sim"_s);
    QCOMPARE(dashboard.embeddedError(), QString());
    QVERIFY(dashboard.isEmbedded());
}

void tst_EmbeddedSource::unknownSymbolSaysWhich()
{
    testing::ExchangeReplayServer replay;
    QString error;
    QVERIFY2(replay.load(Script, &error), qPrintable(error));
    QVERIFY(replay.listen());
    ui::Dashboard::setStartupOptions(
        binance(replay.webSocketUrl(), replay.restUrl(), {u"BTC-USDT"_s, u"NOPE-USDT"_s}));
    ui::Dashboard dashboard;
    dashboard.start();
    QTRY_VERIFY_WITH_TIMEOUT(!dashboard.embeddedError().isEmpty(), Timeout);
    QVERIFY2(dashboard.embeddedError().contains(u"NOPE-USDT"_s),
             qPrintable(dashboard.embeddedError()));
    QCOMPARE(replay.connectionCount(), 0); // nothing streamed for a refused configuration
    QVERIFY(!dashboard.isEmbedded());
}

int main(int argc, char *argv[])
{
    QTemporaryDir home; // never the user's settings, watchlists or session bus
    qputenv("XDG_CONFIG_HOME", home.filePath(u"config"_s).toUtf8());
    qputenv("XDG_DATA_HOME", home.filePath(u"data"_s).toUtf8());
    qputenv("XDG_RUNTIME_DIR", home.filePath(u"run"_s).toUtf8());
    QGuiApplication app(argc, argv);
    QGuiApplication::setOrganizationName(u"TickwireTest"_s);
    QGuiApplication::setApplicationName(u"tst_embeddedsource"_s);
    tst_EmbeddedSource test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_embeddedsource.moc"
