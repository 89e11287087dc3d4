// The whole dashboard in-process, offscreen, against a real tickwire-feed server on loopback:
// live data must reach every model the UI shows, the window must render, and the GUI thread
// must keep delivering frames under a fast feed.
#include "ui/dashboard.h"
#include "server/feedserver.h"
#include "market/marketstore.h"
#include "market/orderbookmodel.h"
#include "market/quotemodel.h"
#include "client/onscreen.h"

#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>

#include <QtCore/QElapsedTimer>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtQml/QQmlApplicationEngine>
#include <QtQml/QQmlExtensionPlugin>
#include <QtQuick/QQuickWindow>
#include <QtQuickControls2/QQuickStyle>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>

#include <algorithm>

Q_IMPORT_QML_PLUGIN(TickwirePlugin)

using namespace Qt::StringLiterals;
using namespace tickwire;
using client::FeedClient;

class tst_AppSmoke : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void liveDataReachesEveryView();
    void sortAndDragMoveRows();
    void selectionDrivesSubscriptionsAndTicket();
    void staysResponsiveUnderFastFeed();

private:
    std::unique_ptr<server::FeedServer> m_server;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    ui::Dashboard *m_dashboard = nullptr;
    QQuickWindow *m_window = nullptr;
};

void tst_AppSmoke::initTestCase()
{
    server::FeedServerOptions options;
    options.port = 0;
    options.seed = 7;
    options.tradesPerSecond = 20;
    options.demoToken = u"smoke-token"_s;
    m_server = std::make_unique<server::FeedServer>(options);
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));

    ui::StartupOptions startup;
    startup.servers = {m_server->url()};
    startup.token = m_server->demoToken();
    ui::Dashboard::setStartupOptions(startup);

    QQuickStyle::setStyle(u"Basic"_s);
    m_engine = std::make_unique<QQmlApplicationEngine>();
    m_engine->addImportPath(u"qrc:/qt/qml"_s);
    m_engine->load(QUrl(u"qrc:/qt/qml/Tickwire/Main.qml"_s));
    QCOMPARE(m_engine->rootObjects().size(), 1);
    m_window = qobject_cast<QQuickWindow *>(m_engine->rootObjects().first());
    QVERIFY(m_window);
    const int typeId = qmlTypeId("Tickwire", 1, 0, "Dashboard");
    m_dashboard = m_engine->singletonInstance<ui::Dashboard *>(typeId);
    QVERIFY(m_dashboard);
}

void tst_AppSmoke::cleanupTestCase()
{
    m_engine.reset();
    if (m_server)
        m_server->stop();
}

void tst_AppSmoke::liveDataReachesEveryView()
{
    QTRY_COMPARE_WITH_TIMEOUT(m_dashboard->feed()->state(), FeedClient::State::Live, 15000);
    QVERIFY(!m_dashboard->isEmbedded()); // --server wins over the demo default

    // Quotes: every watchlist row gets a ticker.
    const QAbstractItemModel *quotes = m_dashboard->quotes();
    QVERIFY(quotes->rowCount() > 0);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int row = 0; row < quotes->rowCount(); ++row) {
                if (!quotes->data(quotes->index(row, 0), market::QuoteModel::HasDataRole).toBool())
                    return false;
            }
            return true;
        }(),
        15000);
    // Chart: candles of the selected symbol.
    QTRY_VERIFY_WITH_TIMEOUT(m_dashboard->store()->candles()->rowCount() > 0, 15000);
    // Book: levels on both sides of the ladder, never crossed.
    const QAbstractItemModel *book = m_dashboard->store()->book();
    QTRY_VERIFY_WITH_TIMEOUT(book->rowCount() > 0
                                 && book->data(book->index(book->rowCount() / 2 - 1, 0),
                                               market::OrderBookModel::HasLevelRole)
                                        .toBool()
                                 && book->data(book->index(book->rowCount() / 2, 0),
                                               market::OrderBookModel::HasLevelRole)
                                        .toBool(),
                             15000);
    const double bestAsk = book->data(book->index(book->rowCount() / 2 - 1, 0),
                                      market::OrderBookModel::PriceValueRole).toDouble();
    const double bestBid = book->data(book->index(book->rowCount() / 2, 0),
                                      market::OrderBookModel::PriceValueRole).toDouble();
    QVERIFY2(bestBid < bestAsk, qPrintable(u"bid %1 ask %2"_s.arg(bestBid).arg(bestAsk)));
    // Tape.
    QTRY_VERIFY_WITH_TIMEOUT(m_dashboard->store()->tape()->rowCount() > 0, 15000);

    // And the window renders it: a real picture, not a blank one.
    const QImage image = m_window->grabWindow();
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), m_window->size() * m_window->devicePixelRatio());
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7) {
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    }
    QVERIFY2(colours.size() > 20, "the window looks blank");
    const QString file = QDir::temp().filePath(u"tickwire-smoke.png"_s);
    QVERIFY(image.save(file));
    qInfo("screenshot: %s", qPrintable(file));
}

// The watchlist as the view shows it: a re-sort and a drag are row moves, never a reset or a
// layout change, so the view keeps its rows (current row, scroll, delegates).
void tst_AppSmoke::sortAndDragMoveRows()
{
    QAbstractItemModel *view = m_dashboard->quotes();
    watchlists::WatchlistStore *lists = m_dashboard->watchlists();
    const int list = lists->currentIndex();
    QAbstractItemModelTester tester(view, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(view, &QAbstractItemModel::modelReset);
    QSignalSpy layouts(view, &QAbstractItemModel::layoutChanged);
    QSignalSpy moves(view, &QAbstractItemModel::rowsMoved);
    const auto shown = [&] {
        QStringList out;
        for (int row = 0; row < view->rowCount(); ++row)
            out.append(view->index(row, 0).data(market::QuoteModel::SymbolRole).toString());
        return out;
    };
    const auto lastOf = [&](const QString &symbol) {
        return m_dashboard->store()->quotes()->value(symbol, market::QuoteModel::LastRole);
    };
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(lists->symbols(list).cbegin(), lists->symbols(list).cend(),
                                         [&](const QString &s) { return lastOf(s).has_value(); }),
                             15000);
    // A drag in the user's order: one move, the view follows.
    QStringList order = lists->symbols(list);
    QCOMPARE(lists->moveSymbol(list, 0, int(order.size()) - 1), QString());
    order.move(0, order.size() - 1);
    QCOMPARE(shown(), order);
    QCOMPARE(moves.size(), 1);
    // Sorting by last price (typed values, ascending): moves into price order.
    QCOMPARE(lists->cycleSort(list, u"last"_s), QString());
    const QStringList sorted = shown();
    for (int row = 1; row < sorted.size(); ++row)
        QVERIFY2(*lastOf(sorted.at(row - 1)) <= *lastOf(sorted.at(row)),
                 qPrintable(sorted.join(u' ')));
    QVERIFY(moves.size() > 1);
    QTest::qWait(1500); // a live re-sort or two (prices keep moving): still no reset
    // Descending, then back to the user's order.
    QCOMPARE(lists->cycleSort(list, u"last"_s), QString());
    QCOMPARE(lists->cycleSort(list, u"last"_s), QString());
    QCOMPARE(shown(), lists->symbols(list));
    QCOMPARE(resets.size(), 0);
    QCOMPARE(layouts.size(), 0);
}

// The selection lives in the market store; the subscriptions and the ticket follow it.
void tst_AppSmoke::selectionDrivesSubscriptionsAndTicket()
{
    using protocol::Channel;
    market::MarketStore *store = m_dashboard->store();
    const QString other = store->selectedSymbol() == u"ETH-USD"_s ? u"SOL-USD"_s : u"ETH-USD"_s;
    const QString before = store->selectedSymbol();
    store->setSelectedSymbol(other);
    QCOMPARE(m_dashboard->ticket()->symbol(), other);
    const QSet<client::Topic> topics = m_dashboard->feed()->subscriptions();
    QVERIFY(topics.contains({Channel::Book, other, std::nullopt}));
    QVERIFY(topics.contains({Channel::Candles, other, store->candleInterval()}));
    QVERIFY(!topics.contains({Channel::Book, before, std::nullopt}));
    QVERIFY(topics.contains({Channel::Orders, QString(), std::nullopt})); // a token was given
    // Exactly what is on screen, nothing kept from before.
    client::OnScreen screen{
        .watchlist =
            m_dashboard->watchlists()->symbols(m_dashboard->watchlists()->currentIndex()),
        .selected = other,
        .interval = store->candleInterval(),
        .trading = true};
    QCOMPARE(topics, client::topicsFor(screen));
    // The new symbol's book arrives.
    QTRY_VERIFY_WITH_TIMEOUT(store->book()->rowCount() > 0
                                 && store->book()->index(0, 0).data(market::OrderBookModel::PriceRole)
                                        .isValid(),
                             15000);
    store->setSelectedSymbol(before);
}

void tst_AppSmoke::staysResponsiveUnderFastFeed()
{
    // 50,000 ticker events per second into the store for 3 s, on top of the live feed, while
    // the window is asked for frames: measure the gaps between rendered frames.
    const QStringList symbols = m_dashboard->watchlists()->symbols(m_dashboard->watchlists()->currentIndex());
    QVERIFY(!symbols.isEmpty());
    constexpr int RatePerSecond = 50'000;
    constexpr int TickMs = 10;
    constexpr int PerTick = RatePerSecond * TickMs / 1000;
    constexpr int DurationMs = 3000;

    QList<qint64> frameTimes;
    QElapsedTimer clock;
    clock.start();
    const auto connection = connect(m_window, &QQuickWindow::frameSwapped, this,
                                    [&] { frameTimes.append(clock.nsecsElapsed()); });
    std::int64_t seq = 1'000'000'000;
    qint64 events = 0;
    QTimer feeder;
    feeder.setInterval(TickMs);
    connect(&feeder, &QTimer::timeout, this, [&] {
        protocol::EventBatch batch;
        batch.events.reserve(PerTick);
        for (int i = 0; i < PerTick; ++i) {
            protocol::Ticker t;
            t.symbol = symbols.at(i % symbols.size());
            t.seq = ++seq;
            t.ts = QDateTime::currentMSecsSinceEpoch();
            const auto price = Decimal::fromUnits(100'000 + (seq % 500), 2).value();
            t.last = t.bid = t.ask = t.open24h = t.high24h = t.low24h = price;
            t.bidSize = t.askSize = t.volume24h = Decimal::fromInt(1);
            batch.events.append(t);
        }
        events += batch.events.size();
        m_dashboard->applyBatch(batch);
    });
    feeder.start();
    QTest::qWait(DurationMs);
    feeder.stop();
    disconnect(connection);

    QVERIFY2(frameTimes.size() > 10, qPrintable(u"only %1 frames"_s.arg(frameTimes.size())));
    QList<double> gapsMs;
    for (qsizetype i = 1; i < frameTimes.size(); ++i)
        gapsMs.append(double(frameTimes[i] - frameTimes[i - 1]) / 1e6);
    std::sort(gapsMs.begin(), gapsMs.end());
    const double p50 = gapsMs.at(gapsMs.size() / 2);
    const double p99 = gapsMs.at(std::min<qsizetype>(gapsMs.size() - 1, gapsMs.size() * 99 / 100));
    qInfo("fast feed: %lld events in %d ms, %lld frames, frame gap p50 %.1f ms p99 %.1f ms max %.1f ms",
          events, DurationMs, qint64(frameTimes.size()), p50, p99, gapsMs.last());
    // A generous bound only: this is a test, not a benchmark (bench/ measures).
    QVERIFY2(gapsMs.last() < 1000, "the GUI thread stalled for a second");
}

int main(int argc, char *argv[])
{
    QTemporaryDir home; // never touch the user's settings
    qputenv("XDG_CONFIG_HOME", home.filePath(u"config"_s).toUtf8());
    qputenv("XDG_DATA_HOME", home.filePath(u"data"_s).toUtf8());
    QApplication app(argc, argv); // Qt Charts needs a QApplication
    QApplication::setOrganizationName(u"TickwireTest"_s);
    QApplication::setApplicationName(u"tst_appsmoke"_s);
    tst_AppSmoke test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_appsmoke.moc"
