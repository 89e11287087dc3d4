// Workspaces applied to the dashboard: switching sets the selected symbol and the second
// chart, whose candles appear in the real FeedClient's subscriptions (and go when it is hidden)
// and are fed from the same batches as the main chart's; changes on screen are recorded into
// the current workspace.
#include "client/onscreen.h"
#include "market/alertbook.h"
#include "ui/dashboard.h"
#include "ui/workspacestore.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QScopeGuard>
#include <QtCore/QTemporaryDir>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>

using namespace Qt::StringLiterals;
using namespace tickwire;

class tst_Workspaces : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void switchingAppliesTheWorkspace();
    void secondChartDepthTab();
    void restartRestoresAlertsAndWorkspaces();
};

void tst_Workspaces::switchingAppliesTheWorkspace()
{
    ui::Dashboard dashboard;
    ui::WorkspaceStore *workspaces = dashboard.workspaces();
    QAbstractItemModelTester tester(workspaces,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    market::MarketStore *store = dashboard.store();
    client::FeedClient *feed = dashboard.feed();
    const client::Topic ethCandles{protocol::Channel::Candles, u"ETH-USD"_s,
                                   protocol::CandleInterval::M5};
    QVERIFY(!feed->subscriptions().contains(ethCandles));
    const QString firstSymbol = store->selectedSymbol();

    // A workspace with another symbol and a second chart of ETH-USD 5m.
    QVERIFY(workspaces->createFromCurrent(u"Two charts"_s).isEmpty());
    store->setSelectedSymbol(u"SOL-USD"_s);
    store->setSecondSymbol(u"ETH-USD"_s);
    store->setSecondIntervalName(u"5m"_s);
    workspaces->setSecondChart(true);
    QVERIFY(store->isSecondChartShown());
    QCOMPARE(workspaces->current().selectedSymbol, u"SOL-USD"_s);
    QCOMPARE(workspaces->current().second.symbol, u"ETH-USD"_s);
    QCOMPARE(workspaces->current().second.interval, u"5m"_s);
    QVERIFY(feed->subscriptions().contains(ethCandles));

    // Back to the first: its symbol, no second chart, no ETH-USD candles.
    workspaces->setCurrentIndex(0);
    QCOMPARE(store->selectedSymbol(), firstSymbol);
    QVERIFY(!store->isSecondChartShown());
    QVERIFY(!feed->subscriptions().contains(ethCandles));
    QCOMPARE(store->secondCandles()->symbol(), QString()); // hidden: nothing kept

    // And again to the second: everything as it was left.
    workspaces->setCurrentIndex(1);
    QCOMPARE(store->selectedSymbol(), u"SOL-USD"_s);
    QVERIFY(store->isSecondChartShown());
    QCOMPARE(store->secondSymbol(), u"ETH-USD"_s);
    QCOMPARE(store->secondIntervalName(), u"5m"_s);
    client::OnScreen screen;
    screen.watchlist = dashboard.watchlists()->symbols(dashboard.watchlists()->currentIndex());
    screen.selected = u"SOL-USD"_s;
    screen.interval = store->candleInterval();
    screen.secondChart = u"ETH-USD"_s;
    screen.secondInterval = protocol::CandleInterval::M5;
    QCOMPARE(feed->subscriptions(), client::topicsFor(screen));

    // The second chart's candles come from the same batches as the main chart's.
    protocol::Candle eth;
    eth.symbol = u"ETH-USD"_s;
    eth.interval = protocol::CandleInterval::M5;
    eth.t = 300'000;
    eth.o = eth.h = eth.l = eth.c = Decimal::fromInt(3000);
    eth.v = Decimal::fromInt(2);
    protocol::Candle sol = eth;
    sol.symbol = u"SOL-USD"_s;
    sol.interval = store->candleInterval();
    protocol::EventBatch batch;
    batch.events = {eth, sol};
    dashboard.applyBatch(batch);
    store->flush();
    QCOMPARE(store->secondCandles()->rowCount(), 1);
    QCOMPARE(store->candles()->rowCount(), 1);
    QCOMPARE(store->secondCandles()->rowAt(0).c, Decimal::fromInt(3000));
}

// The second chart's depth tab: its symbol's book is subscribed only while the tab is shown,
// and its depth chart is fed from that book, not from the selected symbol's.
void tst_Workspaces::secondChartDepthTab()
{
    ui::Dashboard dashboard;
    market::MarketStore *store = dashboard.store();
    client::FeedClient *feed = dashboard.feed();
    market::DepthModel *depth = store->secondDepth();
    QAbstractItemModelTester tester(depth, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const client::Topic ethBook{protocol::Channel::Book, u"ETH-USD"_s, std::nullopt};
    store->setSelectedSymbol(u"SOL-USD"_s);
    store->setSecondSymbol(u"ETH-USD"_s);
    dashboard.workspaces()->setSecondChart(true);
    QCOMPARE(store->secondView(), u"candles"_s);
    QVERIFY(!feed->subscriptions().contains(ethBook));

    store->setSecondView(u"nonsense"_s); // ignored
    QCOMPARE(store->secondView(), u"candles"_s);
    store->setSecondView(u"depth"_s);
    QVERIFY(store->isSecondDepthShown());
    QVERIFY(feed->subscriptions().contains(ethBook));
    QCOMPARE(depth->symbol(), u"ETH-USD"_s);

    const auto level = [](int price, int qty) {
        return protocol::BookLevel{Decimal::fromInt(price), Decimal::fromInt(qty)};
    };
    protocol::BookView eth{.symbol = u"ETH-USD"_s,
                           .seq = 1,
                           .ts = 1,
                           .bids = {level(2999, 1), level(2998, 2)},
                           .asks = {level(3001, 3)},
                           .resynced = true};
    protocol::BookView sol{.symbol = u"SOL-USD"_s,
                           .seq = 1,
                           .ts = 1,
                           .bids = {level(99, 5)},
                           .asks = {level(101, 5)},
                           .resynced = true};
    protocol::EventBatch batch;
    batch.books = {eth, sol};
    dashboard.applyBatch(batch);
    store->flush();
    QCOMPARE(depth->bidCount(), 2);
    QCOMPARE(depth->askCount(), 1);
    QCOMPARE(depth->midText(), u"3000"_s);
    QCOMPARE(store->depth()->midText(), u"100"_s); // the main chart's is the selection's

    // Back to candles, or the chart hidden: the book is dropped and nothing of it kept.
    store->setSecondView(u"candles"_s);
    QVERIFY(!feed->subscriptions().contains(ethBook));
    QCOMPARE(depth->symbol(), QString());
    QCOMPARE(depth->bidCount(), 0);
    store->setSecondView(u"depth"_s);
    store->flush();
    QCOMPARE(depth->bidCount(), 2); // shown again at the next frame, from the latest book
    dashboard.workspaces()->setSecondChart(false);
    QVERIFY(!feed->subscriptions().contains(ethBook));
    QCOMPARE(depth->symbol(), QString());
}

// A whole dashboard closed and opened again (the application's restart): the alerts and the
// workspace in use come back as they were left; then the two files corrupted: both are moved
// aside byte for byte and reported, and the dashboard starts with none and a default.
void tst_Workspaces::restartRestoresAlertsAndWorkspaces()
{
    QTemporaryDir home;
    const QByteArray savedConfig = qgetenv("XDG_CONFIG_HOME");
    const QByteArray savedData = qgetenv("XDG_DATA_HOME");
    qputenv("XDG_CONFIG_HOME", home.filePath(u"config"_s).toUtf8());
    qputenv("XDG_DATA_HOME", home.filePath(u"data"_s).toUtf8());
    const auto restore = qScopeGuard([&] {
        qputenv("XDG_CONFIG_HOME", savedConfig);
        qputenv("XDG_DATA_HOME", savedData);
    });
    QString alertsFile;
    QString workspacesFile;
    {
        ui::Dashboard dashboard;
        ui::WorkspaceStore *workspaces = dashboard.workspaces();
        QVERIFY(workspaces->createFromCurrent(u"Scalping"_s).isEmpty());
        dashboard.store()->setSelectedSymbol(u"SOL-USD"_s);
        dashboard.store()->setSecondSymbol(u"ETH-USD"_s);
        workspaces->setSecondChart(true);
        workspaces->setChartDisplay(
            u"second"_s,
            {{u"style"_s, u"line"_s}, {u"view"_s, u"depth"_s}, {u"indicators"_s, QStringList{}}});
        QVERIFY(dashboard.alerts()->addAlert(u"BTC-USD"_s, u"last"_s, u"up"_s, u"70000"_s,
                                             u"once"_s, {}, u"breakout"_s)
                > 0);
        alertsFile = dashboard.alerts()->filePath();
        workspacesFile = workspaces->filePath();
    } // closed: everything pending is written
    QVERIFY(QFile::exists(alertsFile));
    QVERIFY(QFile::exists(workspacesFile));
    {
        ui::Dashboard dashboard;
        ui::WorkspaceStore *workspaces = dashboard.workspaces();
        QCOMPARE(workspaces->loadProblem(), QString());
        QCOMPARE(workspaces->currentName(), u"Scalping"_s);
        QCOMPARE(dashboard.store()->selectedSymbol(), u"SOL-USD"_s);
        QVERIFY(dashboard.store()->isSecondChartShown());
        QCOMPARE(dashboard.store()->secondSymbol(), u"ETH-USD"_s);
        QCOMPARE(workspaces->chartDisplay(u"second"_s).value(u"view"_s).toString(), u"depth"_s);
        QCOMPARE(workspaces->chartDisplay(u"second"_s).value(u"style"_s).toString(), u"line"_s);
        market::AlertBook *alerts = dashboard.alerts();
        QCOMPARE(alerts->loadProblem(), QString());
        QCOMPARE(alerts->rowCount(), 1);
        QCOMPARE(alerts->data(alerts->index(0), market::AlertBook::LevelRole).toString(),
                 u"70000"_s);
        QCOMPARE(alerts->data(alerts->index(0), market::AlertBook::NoteRole).toString(),
                 u"breakout"_s);
    }
    const QByteArray garbage = "{ not json";
    for (const QString &path : {alertsFile, workspacesFile}) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(garbage);
    }
    {
        ui::Dashboard dashboard;
        QVERIFY(!dashboard.alerts()->loadProblem().isEmpty());
        QVERIFY(!dashboard.workspaces()->loadProblem().isEmpty());
        QCOMPARE(dashboard.alerts()->rowCount(), 0);
        QCOMPARE(dashboard.workspaces()->rowCount(), 1);
    }
    for (const QString &path : {alertsFile, workspacesFile}) {
        const QFileInfo info(path);
        const QStringList aside =
            info.dir().entryList({info.fileName() + u".bad-*"_s}, QDir::Files);
        QCOMPARE(aside.size(), 1);
        QFile kept(info.dir().filePath(aside.constFirst()));
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll(), garbage);
    }
}

int main(int argc, char **argv)
{
    // Never touch the user's settings, watchlists or workspaces.
    QTemporaryDir home;
    qputenv("XDG_CONFIG_HOME", home.filePath(u"config"_s).toUtf8());
    qputenv("XDG_DATA_HOME", home.filePath(u"data"_s).toUtf8());
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"TickwireTest"_s);
    QApplication::setApplicationName(u"tst_workspaces"_s);
    tst_Workspaces test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_workspaces.moc"
