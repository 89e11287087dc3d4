// WorkspaceStore: the list model (QAbstractItemModelTester), create/rename/delete rules with
// their reasons, what is on screen recorded into the current workspace, the file's round trip,
// a corrupt file kept aside and reported, a first run made from the given defaults.
#include "ui/workspacestore.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using tickwire::ui::ChartLayout;
using tickwire::ui::Workspace;
using tickwire::ui::WorkspaceStore;

class tst_WorkspaceStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstRunWritesTheDefaults();
    void createRenameDeleteRules();
    void switchingAnnouncesTheWorkspace();
    void roundTrip();
    void corruptFileIsKeptAside();

private:
    QTemporaryDir m_dir;
    int m_n = 0;
    QString freshPath() { return m_dir.filePath(u"ws%1/workspaces.json"_s.arg(++m_n)); }
};

void tst_WorkspaceStore::firstRunWritesTheDefaults()
{
    const QString path = freshPath();
    WorkspaceStore store(path);
    QAbstractItemModelTester tester(&store, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Workspace defaults;
    defaults.selectedSymbol = u"ETH-USD"_s;
    defaults.main.indicators = {u"sma 20"_s};
    QVERIFY(store.load(defaults));
    QCOMPARE(store.count(), 1);
    QCOMPARE(store.currentName(), u"Default"_s);
    QCOMPARE(store.current().selectedSymbol, u"ETH-USD"_s);
    QCOMPARE(store.current().main.indicators, QStringList{u"sma 20"_s});
    QVERIFY(QFile::exists(path));
    QCOMPARE(store.data(store.index(0), WorkspaceStore::ShortcutRole).toString(), u"Ctrl+1"_s);
    QCOMPARE(store.data(store.index(0), WorkspaceStore::CurrentRole).toBool(), true);
}

void tst_WorkspaceStore::createRenameDeleteRules()
{
    WorkspaceStore store(freshPath());
    QAbstractItemModelTester tester(&store, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(store.load());
    store.setSelectedSymbol(u"SOL-USD"_s);

    // Create from current: a copy, made current.
    QVERIFY(store.createFromCurrent(u"  Scalping  "_s).isEmpty());
    QCOMPARE(store.count(), 2);
    QCOMPARE(store.currentIndex(), 1);
    QCOMPARE(store.currentName(), u"Scalping"_s);
    QCOMPARE(store.current().selectedSymbol, u"SOL-USD"_s);

    // Duplicate names (any case), empty and over-long names are refused with a reason.
    QCOMPARE(store.createFromCurrent(u"scalping"_s),
             u"There is already a workspace named \"Scalping\"."_s);
    QCOMPARE(store.createFromCurrent(u"   "_s), u"A workspace needs a name."_s);
    QVERIFY(!store.createFromCurrent(QString(WorkspaceStore::MaxNameLength + 1, u'x')).isEmpty());
    QCOMPARE(store.count(), 2);
    QCOMPARE(store.rename(0, u"SCALPING"_s), u"There is already a workspace named \"Scalping\"."_s);
    QCOMPARE(store.rename(5, u"x"_s), u"There is no workspace number 6."_s);

    // Renaming keeps the name's case of the new one; renaming to its own name in another case
    // is allowed.
    QSignalSpy named(&store, &WorkspaceStore::currentNameChanged);
    QVERIFY(store.rename(1, u"scalping"_s).isEmpty());
    QCOMPARE(store.currentName(), u"scalping"_s);
    QCOMPARE(named.size(), 1);
    QCOMPARE(store.data(store.index(1), WorkspaceStore::NameRole).toString(), u"scalping"_s);

    // Deleting the current one switches to its neighbour; the last cannot be deleted.
    QSignalSpy switched(&store, &WorkspaceStore::currentWorkspaceChanged);
    QVERIFY(store.remove(1).isEmpty());
    QCOMPARE(store.count(), 1);
    QCOMPARE(store.currentIndex(), 0);
    QCOMPARE(switched.size(), 1);
    QCOMPARE(store.remove(0), u"The last workspace cannot be deleted."_s);
    QCOMPARE(store.count(), 1);
}

void tst_WorkspaceStore::switchingAnnouncesTheWorkspace()
{
    WorkspaceStore store(freshPath());
    QAbstractItemModelTester tester(&store, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(store.load());
    QVERIFY(store.createFromCurrent(u"Two charts"_s).isEmpty());
    store.setSecondChart(true);
    ChartLayout second = store.current().second;
    second.symbol = u"ETH-USD"_s;
    second.interval = u"5m"_s;
    store.setChart(u"second"_s, second);
    store.setChartDisplay(u"main"_s, {{u"style"_s, u"line"_s},
                                      {u"view"_s, u"depth"_s},
                                      {u"indicators"_s, QStringList{u"rsi 14"_s}}});
    // The first workspace is untouched by changes to the second.
    QCOMPARE(store.at(0).secondChart, false);
    QCOMPARE(store.at(0).main.style, u"candles"_s);

    QSignalSpy switched(&store, &WorkspaceStore::currentWorkspaceChanged);
    QSignalSpy second2(&store, &WorkspaceStore::secondChartChanged);
    QSignalSpy rows(&store, &QAbstractItemModel::dataChanged);
    store.setCurrentIndex(0);
    QCOMPARE(switched.size(), 1);
    QCOMPARE(second2.size(), 1);
    QVERIFY(!store.secondChart());
    QCOMPARE(rows.size(), 2); // CurrentRole of the old and the new row
    QCOMPARE(rows.at(0).at(2).value<QList<int>>(), QList<int>{WorkspaceStore::CurrentRole});
    store.setCurrentIndex(7); // out of range: ignored
    QCOMPARE(switched.size(), 1);
    store.setCurrentIndex(1);
    QCOMPARE(store.chartDisplay(u"main"_s).value(u"view"_s).toString(), u"depth"_s);
    QCOMPARE(store.chartDisplay(u"main"_s).value(u"indicators"_s).toStringList(),
             QStringList{u"rsi 14"_s});
}

void tst_WorkspaceStore::roundTrip()
{
    const QString path = freshPath();
    Workspace expected;
    {
        WorkspaceStore store(path);
        QVERIFY(store.load());
        QVERIFY(store.createFromCurrent(u"Two charts"_s).isEmpty());
        store.setSelectedSymbol(u"AAPL"_s);
        store.setSecondChart(true);
        store.setChart(
            u"main"_s,
            ChartLayout{{}, u"15m"_s, u"line"_s, u"depth"_s, {u"sma 20"_s, u"macd 12 26 9"_s}});
        store.setChart(
            u"second"_s,
            ChartLayout{u"ETH-USD"_s, u"1s"_s, u"candles"_s, u"candles"_s, {u"ema 50"_s}});
        store.setSplitState(u"mainSplit"_s, QByteArray("\x00\x01\xff split", 10));
        expected = store.current();
        QVERIFY(store.flush());
    } // and the destructor saves whatever is left
    WorkspaceStore reloaded(path);
    QVERIFY(reloaded.load());
    QCOMPARE(reloaded.count(), 2);
    QCOMPARE(reloaded.currentIndex(), 1);
    QCOMPARE(reloaded.current(), expected);
    QCOMPARE(reloaded.splitState(u"mainSplit"_s), QByteArray("\x00\x01\xff split", 10));
    QVERIFY(reloaded.secondChart());
}

void tst_WorkspaceStore::corruptFileIsKeptAside()
{
    const QString path = freshPath();
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    const QByteArray corrupt =
        R"({"version":1,"current":0,"workspaces":[{"name":"A"},{"name":"a"}]})";
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(corrupt);
    }
    WorkspaceStore store(path);
    QSignalSpy messages(&store, &WorkspaceStore::messagePosted);
    QVERIFY(!store.load());
    QCOMPARE(messages.size(), 1);
    QVERIFY2(store.loadProblem().contains(u"twice"_s), qPrintable(store.loadProblem()));
    QCOMPARE(store.count(), 1); // a default workspace to work with
    // The bad file is kept, byte for byte, beside a fresh one.
    const QStringList aside =
        QFileInfo(path).dir().entryList({u"workspaces.json.bad-*"_s}, QDir::Files);
    QCOMPARE(aside.size(), 1);
    QFile kept(QFileInfo(path).dir().filePath(aside.first()));
    QVERIFY(kept.open(QIODevice::ReadOnly));
    QCOMPARE(kept.readAll(), corrupt);
    QVERIFY(store.loadProblem().contains(aside.first()));
    WorkspaceStore again(path);
    QVERIFY(again.load()); // the fresh file reads

    // Not JSON at all, and no workspaces: refused too.
    QString error;
    QVERIFY(!tickwire::ui::workspacesFromJson("{not json", &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!tickwire::ui::workspacesFromJson(R"({"version":1,"workspaces":[]})", &error));
    QVERIFY(
        !tickwire::ui::workspacesFromJson(R"({"version":9,"workspaces":[{"name":"x"}]})", &error));
}

QTEST_GUILESS_MAIN(tst_WorkspaceStore)

#include "tst_workspacestore.moc"
