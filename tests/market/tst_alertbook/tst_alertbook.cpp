#include "../marketfixtures.h"
#include "market/alertbook.h"

#include <QtCore/QDir>
#include <QtCore/QTemporaryDir>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::market;
using namespace tickwire::market::test;

namespace {

Alert alertAt(const char *level, AlertCondition condition, AlertRearm rearm = AlertRearm::Once,
              AlertField field = AlertField::Last)
{
    Alert a;
    a.symbol = u"BTC-USD"_s;
    a.field = field;
    a.condition = condition;
    a.level = d(level);
    a.rearm = rearm;
    return a;
}

// Feeds the values in order (time: 1000 ms apart from t0) and returns the directions fired,
// one character per value: '+' up, '-' down, '.' nothing.
QString feed(Alert &a, const QStringList &values, std::int64_t t0 = 1'000'000)
{
    QString fired;
    std::int64_t t = t0;
    for (const QString &v : values) {
        const int direction = observeAlert(a, *Decimal::parse(QStringView(v)), t);
        fired += direction > 0 ? u'+' : direction < 0 ? u'-' : u'.';
        t += 1000;
    }
    return fired;
}

protocol::Message tickerAt(const char *last, std::int64_t ts, const char *bid = "0",
                           const char *ask = "0", const char *open = "100")
{
    protocol::Ticker t = ticker(u"BTC-USD"_s, last, bid, ask, open);
    t.ts = ts;
    return t;
}

} // namespace

class tst_AlertBook : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void crossing_data();
    void crossing();
    void onceDisables();
    void hysteresisRearm();
    void cooldownRearm();
    void disabledTracksValue();
    void percentChange();
    void percentLineOnTheChart();
    void validation();
    void modelPublishesOncePerFlush();
    void evaluatesEveryEventInOrder();
    void bidAskAndTradesFeedTheirField();
    void subscriptionSymbols();
    void persistenceRoundTrip();
    void corruptFileKeptAside();
    void unreadableFileNeverOverwritten();
    void snapAndGroup();
};

void tst_AlertBook::crossing_data()
{
    QTest::addColumn<QString>("condition");
    QTest::addColumn<QStringList>("values");
    QTest::addColumn<QString>("expected");
    const QString up = u"up"_s, down = u"down"_s, either = u"either"_s;
    // Level 100 throughout.
    QTest::newRow("up: from below through") << up << QStringList{u"99"_s, u"101"_s} << u".+"_s;
    QTest::newRow("up: exactly at the level fires")
        << up << QStringList{u"99.99"_s, u"100"_s, u"100.01"_s} << u".+."_s;
    QTest::newRow("up: gap over the level") << up << QStringList{u"90"_s, u"150"_s} << u".+"_s;
    QTest::newRow("up: first value only sets the side")
        << up << QStringList{u"101"_s, u"102"_s} << u".."_s;
    QTest::newRow("up: falling is not up") << up << QStringList{u"101"_s, u"99"_s} << u".."_s;
    QTest::newRow("up: touch from below and back is one crossing")
        << up << QStringList{u"99"_s, u"100"_s, u"99"_s} << u".+."_s;
    QTest::newRow("up: starting at the level, moving up, no crossing")
        << up << QStringList{u"100"_s, u"101"_s} << u".."_s;
    QTest::newRow("down: from above through") << down << QStringList{u"101"_s, u"99"_s} << u".-"_s;
    QTest::newRow("down: exactly at the level fires")
        << down << QStringList{u"100.5"_s, u"100.0"_s} << u".-"_s;
    QTest::newRow("down: gap under the level") << down << QStringList{u"120"_s, u"1"_s} << u".-"_s;
    QTest::newRow("down: rising is not down") << down << QStringList{u"99"_s, u"101"_s} << u".."_s;
    QTest::newRow("either: up") << either << QStringList{u"99"_s, u"100"_s} << u".+"_s;
    QTest::newRow("either: down") << either << QStringList{u"101"_s, u"99"_s} << u".-"_s;
    QTest::newRow("either: no crossing on the same side")
        << either << QStringList{u"99"_s, u"98"_s, u"99.99"_s} << u"..."_s;
}

void tst_AlertBook::crossing()
{
    QFETCH(QString, condition);
    QFETCH(QStringList, values);
    QFETCH(QString, expected);
    Alert a = alertAt("100", *conditionFromName(condition), AlertRearm::Cooldown);
    a.cooldownSeconds = 3600; // never re-armed within the test: one crossing at most
    QCOMPARE(feed(a, values), expected);
    QCOMPARE(a.fireCount, expected.count(u'+') + expected.count(u'-'));
}

void tst_AlertBook::onceDisables()
{
    Alert a = alertAt("100", AlertCondition::CrossesEither, AlertRearm::Once);
    QCOMPARE(feed(a, {u"99"_s, u"101"_s, u"99"_s, u"101"_s}), u".+.."_s);
    QVERIFY(!a.enabled);
    QCOMPARE(a.fireCount, 1);
    QCOMPARE(a.lastFiredMs, 1'001'000);
}

void tst_AlertBook::hysteresisRearm()
{
    Alert a = alertAt("100", AlertCondition::CrossesUp, AlertRearm::Hysteresis);
    a.hysteresis = d("5");
    // Fires up; oscillating around the level does not fire again until 95 (100 - 5) is reached.
    QCOMPARE(
        feed(a, {u"99"_s, u"100"_s, u"99"_s, u"101"_s, u"96"_s, u"100.5"_s, u"95"_s, u"101"_s}),
        u".+.....+"_s);
    QVERIFY(a.enabled);
    QCOMPARE(a.fireCount, 2);

    // Either way: after a crossing down, armed again only at 105 (100 + 5); a jump from 99 to
    // 105 re-arms and is itself a crossing up; the fall back to 99 waits for 95, and the fall
    // from 101 to 95 re-arms and crosses down at once.
    Alert b = alertAt("100", AlertCondition::CrossesEither, AlertRearm::Hysteresis);
    b.hysteresis = d("5");
    QCOMPARE(feed(b, {u"101"_s, u"99"_s, u"101"_s, u"99"_s, u"105"_s, u"99"_s, u"101"_s, u"95"_s,
                      u"101"_s}),
             u".-..+..-."_s);
    // After the up crossing, a fall straight to 90 re-arms and is itself a crossing down; after
    // a touch of the level from below, the fall is the same crossing's way back.
    Alert c = alertAt("100", AlertCondition::CrossesEither, AlertRearm::Hysteresis);
    c.hysteresis = d("5");
    QCOMPARE(feed(c, {u"99"_s, u"101"_s, u"90"_s}), u".+-"_s);
    Alert touch = alertAt("100", AlertCondition::CrossesEither, AlertRearm::Hysteresis);
    touch.hysteresis = d("5");
    QCOMPARE(feed(touch, {u"99"_s, u"100"_s, u"90"_s}), u".+."_s);
}

void tst_AlertBook::cooldownRearm()
{
    Alert a = alertAt("100", AlertCondition::CrossesEither, AlertRearm::Cooldown);
    a.cooldownSeconds = 3;
    // One value a second: fires at t=1 s, the crossings at 2 s and 3 s are within 3 s, the one
    // at 4 s (3 s after) fires.
    QCOMPARE(feed(a, {u"99"_s, u"101"_s, u"99"_s, u"101"_s, u"99"_s}), u".+..-"_s);
    QCOMPARE(a.fireCount, 2);
}

void tst_AlertBook::disabledTracksValue()
{
    Alert a = alertAt("100", AlertCondition::CrossesUp, AlertRearm::Cooldown);
    a.cooldownSeconds = 1;
    a.enabled = false;
    QCOMPARE(feed(a, {u"99"_s, u"101"_s}), u".."_s);
    a.enabled = true; // the price is above: only a new crossing fires
    QCOMPARE(feed(a, {u"102"_s, u"99"_s, u"100"_s}), u"..+"_s);
}

void tst_AlertBook::percentChange()
{
    AlertBook book(QString{});
    QAbstractItemModelTester tester(&book, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Alert rise =
        alertAt("5", AlertCondition::CrossesUp, AlertRearm::Once, AlertField::ChangePercent);
    Alert fall =
        alertAt("-2.5", AlertCondition::CrossesDown, AlertRearm::Once, AlertField::ChangePercent);
    QVERIFY(book.add(rise).isEmpty());
    QVERIFY(book.add(fall).isEmpty());
    protocol::EventBatch batch;
    // Open 100: +4% (no crossing yet), a trade at 105 is +5% (rises above), then the ticker at
    // 97.5 is -2.5% (falls below).
    batch.events << tickerAt("104", 1) << trade(u"BTC-USD"_s, 1, "105", "1") << tickerAt("97.5", 3);
    const QList<AlertFiring> fired = book.evaluate(batch);
    QCOMPARE(fired.size(), 2);
    QCOMPARE(fired.at(0).alert.level, d("5"));
    QCOMPARE(fired.at(0).value, d("5"));
    QCOMPARE(fired.at(0).direction, 1);
    QCOMPARE(fired.at(1).value, d("-2.5"));
    QCOMPARE(fired.at(1).direction, -1);
    QCOMPARE(alertDescription(fired.at(0).alert), u"BTC-USD 24h change rises above 5%"_s);
}

// A % change alert's line sits at the 24 h open moved by its percentage, once a ticker gave
// that open; the open moving moves the line (published at the flush); a drag means a percent.
void tst_AlertBook::percentLineOnTheChart()
{
    AlertBook book(QString{});
    QAbstractItemModelTester tester(&book, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(book.add(alertAt("5", AlertCondition::CrossesUp, AlertRearm::Once,
                             AlertField::ChangePercent))
                .isEmpty());
    QVERIFY(book.add(alertAt("120", AlertCondition::CrossesUp)).isEmpty());
    const QModelIndex percent = book.index(0);
    QVERIFY(std::isnan(book.data(percent, AlertBook::ChartPriceRole).toDouble()));
    QCOMPARE(book.data(book.index(1), AlertBook::ChartPriceRole).toDouble(), 120.0);
    QCOMPARE(book.percentAt(u"BTC-USD"_s, 110), QString());

    QSignalSpy changed(&book, &QAbstractItemModel::dataChanged);
    protocol::EventBatch batch;
    batch.events << tickerAt("101", 1, "0", "0", "100");
    book.evaluate(batch);
    QCOMPARE(changed.size(), 0); // published at the frame
    book.flush();
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex(), percent);
    QCOMPARE(changed.at(0).at(2).value<QList<int>>(), QList<int>{AlertBook::ChartPriceRole});
    QCOMPARE(book.data(percent, AlertBook::ChartPriceRole).toDouble(), 105.0);

    // The same open again: nothing to publish. Another: the line moves.
    book.evaluate(batch);
    book.flush();
    QCOMPARE(changed.size(), 1);
    protocol::EventBatch moved;
    moved.events << tickerAt("82", 2, "0", "0", "80"); // +2.5%: nothing fires
    book.evaluate(moved);
    book.flush();
    QCOMPARE(changed.size(), 2);
    QCOMPARE(book.data(percent, AlertBook::ChartPriceRole).toDouble(), 84.0);

    QCOMPARE(book.percentAt(u"BTC-USD"_s, 88), u"10"_s);
    QCOMPARE(book.percentAt(u"BTC-USD"_s, 79.2), u"-1"_s);
    QCOMPARE(book.percentAt(u"BTC-USD"_s, 80.5), u"0.63"_s);
    QCOMPARE(book.percentAt(u"ETH-USD"_s, 88), QString());
    QVERIFY(book.setLevel(book.data(percent, AlertBook::AlertIdRole).toInt(),
                          book.percentAt(u"BTC-USD"_s, 88))
                .isEmpty());
    QCOMPARE(book.data(percent, AlertBook::ChartPriceRole).toDouble(), 88.0);
}

void tst_AlertBook::validation()
{
    AlertBook book(QString{});
    QCOMPARE(book.addAlert(u""_s, u"last"_s, u"up"_s, u"1"_s, u"once"_s, {}, {}), -1);
    QVERIFY(book.lastError().contains(u"symbol"_s));
    QCOMPARE(book.addAlert(u"BTC-USD"_s, u"last"_s, u"up"_s, u"abc"_s, u"once"_s, {}, {}), -1);
    QVERIFY(book.lastError().contains(u"not a number"_s));
    QCOMPARE(book.addAlert(u"BTC-USD"_s, u"bid"_s, u"up"_s, u"0"_s, u"once"_s, {}, {}), -1);
    QVERIFY(book.lastError().contains(u"above zero"_s));
    QCOMPARE(book.addAlert(u"BTC-USD"_s, u"last"_s, u"sideways"_s, u"1"_s, u"once"_s, {}, {}), -1);
    QCOMPARE(book.addAlert(u"BTC-USD"_s, u"last"_s, u"up"_s, u"1"_s, u"hysteresis"_s, u"0"_s, {}),
             -1);
    QCOMPARE(book.addAlert(u"BTC-USD"_s, u"last"_s, u"up"_s, u"1"_s, u"cooldown"_s, u"1.5"_s, {}),
             -1);
    QCOMPARE(book.count(), 0);
    // A percent may be negative; a grouped price is read without its separators.
    QVERIFY(book.addAlert(u"eth-usd"_s, u"changePercent"_s, u"down"_s, u"-3"_s, u"once"_s, {}, {})
            > 0);
    const int id = book.addAlert(u"BTC-USD"_s, u"ask"_s, u"either"_s, u"64,012.50"_s, u"cooldown"_s,
                                 u"60"_s, u" note "_s);
    QVERIFY(id > 0);
    QCOMPARE(book.count(), 2);
    QCOMPARE(book.alerts().at(0).symbol, u"ETH-USD"_s);
    const QModelIndex row = book.index(book.rowOf(id));
    QCOMPARE(row.data(AlertBook::LevelRole).toString(), u"64012.50"_s);
    QCOMPARE(row.data(AlertBook::LevelTextRole).toString(), u"64,012.50"_s);
    QCOMPARE(row.data(AlertBook::RearmRole).toString(), u"cooldown"_s);
    QCOMPARE(row.data(AlertBook::NoteRole).toString(), u"note"_s);
    QCOMPARE(row.data(AlertBook::DescriptionRole).toString(), u"BTC-USD ask crosses 64,012.50"_s);
    QVERIFY(!book.setLevel(id, u"-1"_s).isEmpty());
    QVERIFY(!book.remove(12345).isEmpty());
}

void tst_AlertBook::modelPublishesOncePerFlush()
{
    AlertBook book(QString{});
    QAbstractItemModelTester tester(&book, QAbstractItemModelTester::FailureReportingMode::QtTest);
    int id0 = 0, id1 = 0, id2 = 0;
    QVERIFY(book.add(alertAt("100", AlertCondition::CrossesUp), &id0).isEmpty());
    QVERIFY(book.add(alertAt("200", AlertCondition::CrossesUp), &id1).isEmpty());
    QVERIFY(book.add(alertAt("101", AlertCondition::CrossesUp), &id2).isEmpty());
    QSignalSpy changed(&book, &QAbstractItemModel::dataChanged);
    protocol::EventBatch batch;
    batch.events << tickerAt("99", 1) << tickerAt("102", 2);
    QCOMPARE(book.evaluate(batch).size(), 2);
    QCOMPARE(changed.size(), 0); // nothing before the frame
    book.flush();
    // Rows 0 and 2 fired: two ranges (not adjacent), with the history roles only.
    QCOMPARE(changed.size(), 2);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 0);
    QCOMPARE(changed.at(1).at(0).toModelIndex().row(), 2);
    const auto roles = changed.at(0).at(2).value<QList<int>>();
    QVERIFY(roles.contains(AlertBook::LastFiredRole));
    QVERIFY(roles.contains(AlertBook::EnabledRole));
    QVERIFY(!roles.contains(AlertBook::LevelRole));
    book.flush();
    QCOMPARE(changed.size(), 2); // nothing new
    QCOMPARE(book.index(0).data(AlertBook::EnabledRole).toBool(), false);
    QCOMPARE(book.index(0).data(AlertBook::FireCountRole).toInt(), 1);
    QCOMPARE(book.index(1).data(AlertBook::FireCountRole).toInt(), 0);

    // Removing a row with a pending change: the rest stays consistent.
    batch.events = {tickerAt("99", 3)};
    QVERIFY(book.setEnabled(id2, true).isEmpty());
    batch.events << tickerAt("99", 3) << tickerAt("101", 4);
    QCOMPARE(book.evaluate(batch).size(), 1);
    QVERIFY(book.remove(id0).isEmpty());
    changed.clear();
    book.flush();
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1); // id2, now row 1
}

void tst_AlertBook::evaluatesEveryEventInOrder()
{
    AlertBook book(QString{});
    Alert a = alertAt("100", AlertCondition::CrossesUp, AlertRearm::Hysteresis);
    a.hysteresis = d("1");
    QVERIFY(book.add(a).isEmpty());
    // A spike inside one batch: up through 100 and back, twice, re-armed in between.
    protocol::EventBatch batch;
    batch.events << tickerAt("99", 1) << tickerAt("100.5", 2) << tickerAt("98", 3)
                 << tickerAt("99.9", 4) << trade(u"BTC-USD"_s, 5, "103", "1") << tickerAt("98.5", 6)
                 << tickerAt("99", 7);
    const QList<AlertFiring> fired = book.evaluate(batch);
    QCOMPARE(fired.size(), 2);
    QCOMPARE(fired.at(0).value, d("100.5"));
    QCOMPARE(fired.at(1).value, d("103"));
    QCOMPARE(book.alerts().at(0).fireCount, 2);
    // Other symbols do not count.
    batch.events = {ticker(u"ETH-USD"_s, "1000")};
    QVERIFY(book.evaluate(batch).isEmpty());
}

void tst_AlertBook::bidAskAndTradesFeedTheirField()
{
    AlertBook book(QString{});
    QVERIFY(book.add(alertAt("100", AlertCondition::CrossesUp, AlertRearm::Once, AlertField::Bid))
                .isEmpty());
    QVERIFY(book.add(alertAt("100", AlertCondition::CrossesUp, AlertRearm::Once, AlertField::Ask))
                .isEmpty());
    protocol::EventBatch batch;
    // A trade is a last price: it moves neither bid nor ask. A zero bid (empty side) is skipped.
    batch.events << tickerAt("99", 1, "98", "99") << trade(u"BTC-USD"_s, 2, "150", "1")
                 << tickerAt("99", 3, "0", "100");
    const QList<AlertFiring> fired = book.evaluate(batch);
    QCOMPARE(fired.size(), 1);
    QCOMPARE(fired.at(0).alert.field, AlertField::Ask);
    batch.events = {tickerAt("99", 4, "100", "101")};
    QCOMPARE(book.evaluate(batch).size(), 1);
}

void tst_AlertBook::subscriptionSymbols()
{
    AlertBook book(QString{});
    QSignalSpy spy(&book, &AlertBook::subscriptionsChanged);
    int last = 0, bid = 0;
    QVERIFY(book.add(alertAt("1", AlertCondition::CrossesUp), &last).isEmpty());
    Alert b = alertAt("1", AlertCondition::CrossesUp, AlertRearm::Once, AlertField::Bid);
    b.symbol = u"ETH-USD"_s;
    QVERIFY(book.add(b, &bid).isEmpty());
    QCOMPARE(spy.size(), 2);
    QCOMPARE(book.tickerSymbols(), (QStringList{u"BTC-USD"_s, u"ETH-USD"_s}));
    QCOMPARE(book.tradeSymbols(), QStringList{u"BTC-USD"_s});
    QVERIFY(book.setEnabled(bid, false).isEmpty());
    QCOMPARE(spy.size(), 3);
    QCOMPARE(book.tickerSymbols(), QStringList{u"BTC-USD"_s});
    QVERIFY(book.remove(last).isEmpty());
    QCOMPARE(spy.size(), 4);
    QVERIFY(book.tickerSymbols().isEmpty());
}

void tst_AlertBook::persistenceRoundTrip()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"alerts.json"_s);
    {
        AlertBook book(path);
        QVERIFY(book.load());
        QVERIFY(!QFile::exists(path)); // nothing to save yet
        Alert a = alertAt("64012.50", AlertCondition::CrossesEither, AlertRearm::Hysteresis);
        a.hysteresis = d("25");
        a.note = u"breakout"_s;
        QVERIFY(book.add(a).isEmpty());
        Alert p = alertAt("-2.5", AlertCondition::CrossesDown, AlertRearm::Cooldown,
                          AlertField::ChangePercent);
        p.cooldownSeconds = 90;
        int pid = 0;
        QVERIFY(book.add(p, &pid).isEmpty());
        QVERIFY(book.setEnabled(pid, false).isEmpty());
        protocol::EventBatch batch;
        batch.events << tickerAt("64000", 1'700'000'000'000)
                     << tickerAt("64012.5", 1'700'000'001'000);
        QCOMPARE(book.evaluate(batch).size(), 1);
        QVERIFY(book.hasPendingChanges());
    } // the destructor saves
    AlertBook again(path);
    QVERIFY(again.load());
    QCOMPARE(again.count(), 2);
    const Alert &a = again.alerts().at(0);
    QCOMPARE(a.symbol, u"BTC-USD"_s);
    QVERIFY(a.level.isIdenticalTo(d("64012.50")));
    QCOMPARE(a.condition, AlertCondition::CrossesEither);
    QCOMPARE(a.rearm, AlertRearm::Hysteresis);
    QCOMPARE(a.hysteresis, d("25"));
    QCOMPARE(a.note, u"breakout"_s);
    QCOMPARE(a.fireCount, 1);
    QCOMPARE(a.lastFiredMs, 1'700'000'001'000);
    QVERIFY(a.createdMs > 0);
    QVERIFY(a.enabled);
    const Alert &p = again.alerts().at(1);
    QCOMPARE(p.field, AlertField::ChangePercent);
    QCOMPARE(p.level, d("-2.5"));
    QCOMPARE(p.cooldownSeconds, 90);
    QVERIFY(!p.enabled);
}

void tst_AlertBook::corruptFileKeptAside()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"alerts.json"_s);
    const QByteArray corrupt = R"({"format":"tickwire-alerts","version":1,"alerts":[{"symbol":)";
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(corrupt);
    }
    AlertBook book(path);
    QSignalSpy messages(&book, &AlertBook::messagePosted);
    QVERIFY(!book.load());
    QCOMPARE(book.count(), 0);
    QCOMPARE(messages.size(), 1);
    QVERIFY(book.loadProblem().contains(u"kept as"_s));
    const QStringList aside = QDir(dir.path()).entryList({u"alerts.json.bad-*"_s});
    QCOMPARE(aside.size(), 1);
    QFile kept(dir.filePath(aside.first()));
    QVERIFY(kept.open(QIODevice::ReadOnly));
    QCOMPARE(kept.readAll(), corrupt); // the user's bytes, untouched
    QVERIFY(!QFile::exists(path)); // not overwritten silently: nothing written until a change
    // An alert set now is saved to a fresh file; the bad one stays aside.
    QVERIFY(book.add(alertAt("1", AlertCondition::CrossesUp)).isEmpty());
    QVERIFY(book.saveNow());
    QVERIFY(QFile::exists(path));
    QCOMPARE(QDir(dir.path()).entryList({u"alerts.json.bad-*"_s}).size(), 1);

    // Valid JSON that is not a valid alert is refused the same way, naming the alert.
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(R"({"format":"tickwire-alerts","version":1,"alerts":[{"symbol":"X","field":"last",)"
                R"("condition":"up","level":"-5","rearm":"once"}]})");
    }
    AlertBook second(path);
    QVERIFY(!second.load());
    QVERIFY(second.loadProblem().contains(u"alert 1"_s));
    QCOMPARE(QDir(dir.path()).entryList({u"alerts.json.bad-*"_s}).size(), 2);
}

void tst_AlertBook::unreadableFileNeverOverwritten()
{
    // A path that exists but cannot be read as a file (a directory: permissions do not stop
    // root) is reported and never written over.
    QTemporaryDir dir;
    const QString path = dir.filePath(u"alerts.json"_s);
    QVERIFY(QDir().mkpath(path + u"/inside"_s));
    AlertBook book(path);
    QSignalSpy messages(&book, &AlertBook::messagePosted);
    QVERIFY(!book.load());
    QCOMPARE(messages.size(), 1);
    QVERIFY(book.loadProblem().contains(u"will not be saved"_s));
    QVERIFY(book.add(alertAt("1", AlertCondition::CrossesUp)).isEmpty());
    QVERIFY(!book.saveNow());
    QVERIFY(QFileInfo(path).isDir());
    QVERIFY(QFileInfo::exists(path + u"/inside"_s));
}

void tst_AlertBook::snapAndGroup()
{
    QCOMPARE(AlertBook::snapToTick(64012.4987, u"0.01"_s), u"64012.50"_s);
    QCOMPARE(AlertBook::snapToTick(3198.176, u"0.05"_s), u"3198.20"_s);
    QCOMPARE(AlertBook::snapToTick(12.4, u"1"_s), u"12"_s);
    QCOMPARE(AlertBook::snapToTick(1.0, u"0"_s), QString());
    QCOMPARE(AlertBook::snapToTick(qQNaN(), u"0.01"_s), QString());
    QCOMPARE(AlertBook::grouped(u"64012.50"_s), u"64,012.50"_s);
    QCOMPARE(AlertBook::grouped(u"-1234567"_s), u"-1,234,567"_s);
    QCOMPARE(AlertBook::grouped(u"999.5"_s), u"999.5"_s);
}

QTEST_GUILESS_MAIN(tst_AlertBook)
#include "tst_alertbook.moc"
