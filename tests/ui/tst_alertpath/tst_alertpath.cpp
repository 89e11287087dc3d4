// Price alerts on the dashboard's data path: batches as FeedClient delivers them
// (FeedClient::batchReady) reach the alerts before any frame, so a crossing between two frames
// fires exactly once; the alert list publishes at the frame; the alerts' symbols are
// subscribed whether on screen or not.
#include "client/onscreen.h"
#include "market/alertbook.h"
#include "ui/alertnotifier.h"
#include "ui/dashboard.h"
#include "ui/framepacer.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>

using namespace Qt::StringLiterals;
using namespace tickwire;

namespace {

protocol::Message ticker(const QString &symbol, const char *last, std::int64_t ts)
{
    protocol::Ticker t;
    t.symbol = symbol;
    t.ts = ts;
    t.last = *Decimal::parse(QByteArrayView(last));
    t.open24h = Decimal::fromInt(100);
    return t;
}

protocol::Message trade(const QString &symbol, std::int64_t id, const char *price)
{
    return protocol::Trade{symbol,
                           id,
                           1000 + id,
                           id,
                           *Decimal::parse(QByteArrayView(price)),
                           Decimal::fromInt(1),
                           protocol::Side::Buy};
}

protocol::EventBatch batchOf(const QList<protocol::Message> &events)
{
    protocol::EventBatch batch;
    batch.events = events;
    return batch;
}

} // namespace

class tst_AlertPath : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void crossingBetweenFramesFiresOnce();
    void alertSymbolsAreSubscribed();
};

void tst_AlertPath::crossingBetweenFramesFiresOnce()
{
    ui::Dashboard dashboard;
    market::AlertBook *alerts = dashboard.alerts();
    QAbstractItemModelTester tester(alerts, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const int id = alerts->addAlert(u"BTC-USD"_s, u"last"_s, u"up"_s, u"100"_s, u"hysteresis"_s,
                                    u"5"_s, u"spike"_s);
    QVERIFY2(id > 0, qPrintable(alerts->lastError()));
    dashboard.alertNotifier()->setSound(true);
    // Whatever the dashboard asked for at start is flushed first.
    const qint64 started = dashboard.frames()->framesFlushed();
    dashboard.frames()->requestFrame();
    QTRY_VERIFY(dashboard.frames()->framesFlushed() > started);
    const qint64 framesBefore = dashboard.frames()->framesFlushed();

    QSignalSpy toasts(&dashboard, &ui::Dashboard::toast);
    QSignalSpy changed(alerts, &QAbstractItemModel::dataChanged);
    client::FeedClient *feed = dashboard.feed();
    // Four batches before the next frame (the pacer flushes on the event loop): the price is
    // under the level, spikes through it on a trade and falls back within one batch, then
    // crosses again without having moved back by the hysteresis.
    Q_EMIT feed->batchReady(batchOf({ticker(u"BTC-USD"_s, "99", 1'000)}));
    Q_EMIT feed->batchReady(
        batchOf({ticker(u"BTC-USD"_s, "99.5", 1'100), trade(u"BTC-USD"_s, 1, "101.25"),
                 ticker(u"BTC-USD"_s, "99", 1'200)}));
    Q_EMIT feed->batchReady(batchOf({ticker(u"ETH-USD"_s, "150", 1'300)}));
    Q_EMIT feed->batchReady(
        batchOf({trade(u"BTC-USD"_s, 2, "100.5"), ticker(u"BTC-USD"_s, "99", 1'400)}));
    QCOMPARE(dashboard.frames()->framesFlushed(), framesBefore); // all between two frames

    // Fired once, at once, with the spike's price; a toast keyed by the alert.
    int alertToasts = 0;
    for (const QList<QVariant> &toast : std::as_const(toasts)) {
        if (toast.at(0).toString() == u"alert"_s) {
            ++alertToasts;
            QVERIFY2(toast.at(1).toString().contains(u"101.25"_s),
                     qPrintable(toast.at(1).toString()));
            QVERIFY(toast.at(1).toString().contains(u"spike"_s));
            QCOMPARE(toast.at(2).toString(), u"alert-"_s + QString::number(id));
        }
    }
    QCOMPARE(alertToasts, 1);
    QCOMPARE(dashboard.alertNotifier()->soundCount(), 1);
    QCOMPARE(alerts->alert(id)->fireCount, 1);
    // The list shows it at the frame, not before.
    QCOMPARE(changed.size(), 0);
    QTRY_COMPARE(dashboard.frames()->framesFlushed(), framesBefore + 1);
    QCOMPARE(changed.size(), 1);
    const QModelIndex row = alerts->index(alerts->rowOf(id));
    QCOMPARE(row.data(market::AlertBook::FireCountRole).toInt(), 1);
    QVERIFY(row.data(market::AlertBook::LastFiredRole).toLongLong() > 0);

    // Back under 95 (re-armed) and up through the level in the next frame: fires again.
    Q_EMIT feed->batchReady(
        batchOf({ticker(u"BTC-USD"_s, "94", 2'000), ticker(u"BTC-USD"_s, "100", 2'100)}));
    QCOMPARE(alerts->alert(id)->fireCount, 2);
    QVERIFY(alerts->remove(id).isEmpty());
}

void tst_AlertPath::alertSymbolsAreSubscribed()
{
    ui::Dashboard dashboard;
    market::AlertBook *alerts = dashboard.alerts();
    client::FeedClient *feed = dashboard.feed();
    const client::Topic ticker{protocol::Channel::Ticker, u"ZZZ-USD"_s, std::nullopt};
    const client::Topic trades{protocol::Channel::Trades, u"ZZZ-USD"_s, std::nullopt};
    QVERIFY(!feed->subscriptions().contains(ticker));

    // On no watchlist and not charted: its ticker and, for the last price, its trades.
    const int last =
        alerts->addAlert(u"ZZZ-USD"_s, u"last"_s, u"either"_s, u"10"_s, u"once"_s, {}, {});
    QVERIFY(last > 0);
    QVERIFY(feed->subscriptions().contains(ticker));
    QVERIFY(feed->subscriptions().contains(trades));
    // The rest of the screen is still what topicsFor gives for it.
    client::OnScreen screen;
    screen.watchlist = dashboard.watchlists()->symbols(dashboard.watchlists()->currentIndex());
    screen.selected = dashboard.store()->selectedSymbol();
    screen.interval = dashboard.store()->candleInterval();
    screen.alertTickers = {u"ZZZ-USD"_s};
    screen.alertTrades = {u"ZZZ-USD"_s};
    QCOMPARE(feed->subscriptions(), client::topicsFor(screen));

    // A bid alert needs the ticker only; disabled alerts need nothing.
    const int bid = alerts->addAlert(u"ZZZ-USD"_s, u"bid"_s, u"up"_s, u"10"_s, u"once"_s, {}, {});
    QVERIFY(bid > 0);
    QVERIFY(alerts->setEnabled(last, false).isEmpty());
    QVERIFY(feed->subscriptions().contains(ticker));
    QVERIFY(!feed->subscriptions().contains(trades));
    QVERIFY(alerts->setEnabled(bid, false).isEmpty());
    QVERIFY(!feed->subscriptions().contains(ticker));
    QVERIFY(alerts->remove(last).isEmpty());
    QVERIFY(alerts->remove(bid).isEmpty());
}

int main(int argc, char **argv)
{
    // Never touch the user's settings, watchlists or alerts.
    QTemporaryDir home;
    qputenv("XDG_CONFIG_HOME", home.filePath(u"config"_s).toUtf8());
    qputenv("XDG_DATA_HOME", home.filePath(u"data"_s).toUtf8());
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"TickwireTest"_s);
    QApplication::setApplicationName(u"tst_alertpath"_s);
    tst_AlertPath test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_alertpath.moc"
