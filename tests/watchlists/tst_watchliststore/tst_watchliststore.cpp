#include "watchlists/watchliststore.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <csignal>
#include <sys/resource.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace tickwire::watchlists;

namespace {

QString fixturePath(const QString &name)
{
    return QStringLiteral(TICKWIRE_TEST_DATA_DIR) + u"/watchlists/"_s + name;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeAll(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(bytes), bytes.size());
}

// Lowers the largest file this process may write, so that a real write fails with EFBIG even
// for root (who ignores directory permissions). Restored on destruction.
class FileSizeLimit
{
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        std::signal(SIGXFSZ, SIG_IGN); // get EFBIG instead of being killed
        getrlimit(RLIMIT_FSIZE, &m_old);
        rlimit limit = m_old;
        limit.rlim_cur = bytes;
        m_ok = setrlimit(RLIMIT_FSIZE, &limit) == 0;
    }
    ~FileSizeLimit() { setrlimit(RLIMIT_FSIZE, &m_old); }
    Q_DISABLE_COPY_MOVE(FileSizeLimit)
    [[nodiscard]] bool ok() const { return m_ok; }

private:
    rlimit m_old{};
    bool m_ok = false;
};

} // namespace

class tst_WatchlistStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();

    // persistence
    void firstRunWritesDefaults();
    void roundTrip();
    void savesOnceAfterBurstOfChanges();
    void destructorFlushes();
    void nothingWrittenBeforeLoad();
    void badFileIsMovedAside_data();
    void badFileIsMovedAside();
    void migratesVersion1File();
    void failedWriteKeepsOldFile();
    void readOnlyDirectoryReportsError();

    // lists
    void createRenameDuplicateDelete();
    void listErrors_data();
    void listErrors();
    void listLimit();
    void undoDeleteRestoresAtPosition();
    void deletingEarlierListKeepsCurrentList();
    void currentIndexIgnoresOutOfRange();

    // symbols, columns, sort
    void symbolEdits();
    void symbolErrors_data();
    void symbolErrors();
    void symbolLimit();
    void columnsAndSort();

    // live state
    void currentHeaderFollowsTheCurrentList();

    // import / export
    void importsMessyTextIntoList();
    void importTextIntoFullList();
    void importsJsonListsWithRenames();
    void importRefusesBadJson();
    void exportImportRoundTrip();
    void importAndExportFiles();

private:
    QString path() const { return m_dir->filePath(u"config/watchlists.json"_s); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_WatchlistStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_WatchlistStore::firstRunWritesDefaults()
{
    WatchlistStore store(path());
    QSignalSpy problems(&store, &WatchlistStore::messagePosted);
    QVERIFY(!QFile::exists(path()));
    QVERIFY(store.load());
    QVERIFY(QFile::exists(path())); // users can find (and back up) it right away
    QCOMPARE(problems.count(), 0);
    QVERIFY(store.loadProblem().isEmpty());

    const ParseResult onDisk = parseDocument(readAll(path()));
    QVERIFY2(onDisk.ok(), qPrintable(onDisk.error));
    QCOMPARE(onDisk.document->lists, QList<Watchlist>{defaultWatchlist()});
    const QStringList symbols = store.symbols(0);
    for (const QString &expected : {u"BTC-USD"_s, u"AAPL"_s, u"EUR-USD"_s, u"USD-JPY"_s})
        QVERIFY(symbols.contains(expected));
    QVERIFY(!store.hasPendingChanges());
}

void tst_WatchlistStore::roundTrip()
{
    QList<Watchlist> expected;
    {
        WatchlistStore store(path());
        QVERIFY(store.load());
        QCOMPARE(store.createList(u"Energy"_s), QString());
        QCOMPARE(store.addSymbol(1, u"XOM"_s), QString());
        QCOMPARE(store.addSymbol(1, u"nyse:cvx"_s), QString());
        QCOMPARE(store.setColumns(1, {u"bid"_s, u"ask"_s, u"spread"_s}), QString());
        QCOMPARE(store.setSort(1, u"spread"_s, true), QString());
        QCOMPARE(store.moveSymbol(0, 0, 3), QString());
        store.setCurrentIndex(1);
        expected = store.lists();
        QVERIFY(store.flush());
    }
    WatchlistStore reloaded(path());
    QVERIFY(reloaded.load());
    QCOMPARE(reloaded.lists(), expected);
    QCOMPARE(reloaded.currentIndex(), 1);
    QCOMPARE(reloaded.symbols(1), (QStringList{u"XOM"_s, u"CVX"_s}));
    QCOMPARE(reloaded.sortColumn(1), u"spread"_s);
    QVERIFY(reloaded.sortDescending(1));
}

void tst_WatchlistStore::savesOnceAfterBurstOfChanges()
{
    WatchlistStore store(path());
    QVERIFY(store.load());
    const QByteArray before = readAll(path());
    store.setSaveDelay(50);
    QSignalSpy saved(&store, &WatchlistStore::saved);

    QCOMPARE(store.addSymbol(0, u"TSLA"_s), QString());
    QCOMPARE(store.addSymbol(0, u"AMD"_s), QString());
    QCOMPARE(store.renameList(0, u"Mine"_s), QString());
    // Nothing written synchronously: the save waits for the burst to end.
    QVERIFY(store.hasPendingChanges());
    QCOMPARE(readAll(path()), before);

    QTRY_COMPARE(saved.count(), 1);
    QVERIFY(!store.hasPendingChanges());
    const ParseResult onDisk = parseDocument(readAll(path()));
    QVERIFY(onDisk.ok());
    QCOMPARE(onDisk.document->lists.at(0).name, u"Mine"_s);
    QVERIFY(onDisk.document->lists.at(0).symbols.endsWith(u"AMD"_s));
    QTest::qWait(100); // no second save without a change
    QCOMPARE(saved.count(), 1);
}

void tst_WatchlistStore::destructorFlushes()
{
    {
        WatchlistStore store(path());
        QVERIFY(store.load());
        store.setSaveDelay(60 * 60 * 1000);
        QCOMPARE(store.createList(u"Late"_s), QString());
        QVERIFY(store.hasPendingChanges());
    }
    WatchlistStore reloaded(path());
    QVERIFY(reloaded.load());
    QCOMPARE(reloaded.listNames(), (QStringList{defaultWatchlist().name, u"Late"_s}));
}

void tst_WatchlistStore::nothingWrittenBeforeLoad()
{
    QDir().mkpath(QFileInfo(path()).absolutePath());
    writeAll(path(), readAll(fixturePath(u"version2.json"_s)));
    const QByteArray before = readAll(path());
    {
        WatchlistStore store(path());
        QCOMPARE(store.createList(u"Not yet loaded"_s), QString());
        QVERIFY(!store.flush()); // pending, but refused: the file was never read
    }
    QCOMPARE(readAll(path()), before);
}

void tst_WatchlistStore::badFileIsMovedAside_data()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<QString>("expectedInMessage");
    QTest::newRow("truncated") << readAll(fixturePath(u"truncated.json"_s)) << u"not valid JSON"_s;
    QTest::newRow("newer version")
        << readAll(fixturePath(u"newer-version.json"_s)) << u"newer Tickwire"_s;
    QTest::newRow("binary garbage") << QByteArray("\x00\xff\x13garbage", 10) << u"JSON"_s;
    QTest::newRow("valid JSON, bad list")
        << QByteArray(R"({"version":2,"lists":[{"name":"","symbols":[],"columns":[]}]})")
        << u"name"_s;
}

void tst_WatchlistStore::badFileIsMovedAside()
{
    QFETCH(QByteArray, contents);
    QFETCH(QString, expectedInMessage);
    QDir().mkpath(QFileInfo(path()).absolutePath());
    writeAll(path(), contents);

    WatchlistStore store(path());
    QSignalSpy messages(&store, &WatchlistStore::messagePosted);
    QSignalSpy problemChanged(&store, &WatchlistStore::loadProblemChanged);
    QVERIFY(!store.load());

    // The bad file is kept, byte for byte, next to a fresh default file.
    const QStringList aside =
        QDir(QFileInfo(path()).absolutePath()).entryList({u"watchlists.json.bad-*"_s}, QDir::Files);
    QCOMPARE(aside.size(), 1);
    const QString asidePath = QFileInfo(path()).absolutePath() + u'/' + aside.first();
    QCOMPARE(readAll(asidePath), contents);
    QCOMPARE(store.lists(), QList<Watchlist>{defaultWatchlist()});
    const ParseResult fresh = parseDocument(readAll(path()));
    QVERIFY(fresh.ok());
    QCOMPARE(fresh.document->lists, QList<Watchlist>{defaultWatchlist()});

    // And the user is told where their file went and why.
    QCOMPARE(messages.count(), 1);
    QCOMPARE(problemChanged.count(), 1);
    QCOMPARE(messages.first().first().toString(), store.loadProblem());
    QVERIFY2(store.loadProblem().contains(asidePath), qPrintable(store.loadProblem()));
    QVERIFY2(store.loadProblem().contains(expectedInMessage), qPrintable(store.loadProblem()));

    // A second bad file in the same second does not overwrite the first one set aside.
    writeAll(path(), contents);
    WatchlistStore again(path());
    QVERIFY(!again.load());
    QCOMPARE(QDir(QFileInfo(path()).absolutePath())
                 .entryList({u"watchlists.json.bad-*"_s}, QDir::Files)
                 .size(),
             2);
    QCOMPARE(readAll(asidePath), contents);
}

void tst_WatchlistStore::migratesVersion1File()
{
    QDir().mkpath(QFileInfo(path()).absolutePath());
    const QByteArray v1 = readAll(fixturePath(u"version1.json"_s));
    writeAll(path(), v1);

    WatchlistStore store(path());
    QSignalSpy messages(&store, &WatchlistStore::messagePosted);
    QVERIFY(store.load());
    QCOMPARE(messages.count(), 0);
    QCOMPARE(store.listNames(), (QStringList{u"Crypto"_s, u"Tech"_s}));
    QCOMPARE(store.symbols(1), (QStringList{u"AAPL"_s, u"MSFT"_s, u"NVDA"_s}));
    QCOMPARE(store.columns(1).size(), defaultColumns().size());

    // Rewritten as version 2; the version 1 file kept for an older build.
    const ParseResult onDisk = parseDocument(readAll(path()));
    QVERIFY(onDisk.ok());
    QCOMPARE(onDisk.sourceVersion, 2);
    QCOMPARE(onDisk.document->lists, store.lists());
    QCOMPARE(readAll(path() + u".v1"_s), v1);
}

void tst_WatchlistStore::failedWriteKeepsOldFile()
{
    WatchlistStore store(path());
    QVERIFY(store.load());
    const QByteArray before = readAll(path());
    QVERIFY(!before.isEmpty());
    QSignalSpy errors(&store, &WatchlistStore::saveErrorChanged);
    QSignalSpy messages(&store, &WatchlistStore::messagePosted);

    for (int i = 0; i < 200; ++i)
        QCOMPARE(store.addSymbol(0, u"SYM%1"_s.arg(i)), QString());
    {
        FileSizeLimit limit(before.size() + 64); // the bigger document cannot be written
        QVERIFY(limit.ok());
        QVERIFY(!store.flush());
    }
    QCOMPARE(readAll(path()), before); // old file intact and complete
    QVERIFY(store.hasPendingChanges());
    QVERIFY(!store.saveError().isEmpty());
    QCOMPARE(errors.count(), 1);
    QCOMPARE(messages.count(), 1);
    // No temporary file left behind.
    QCOMPARE(QDir(QFileInfo(path()).absolutePath()).entryList(QDir::Files),
             QStringList{u"watchlists.json"_s});

    // Once the disk accepts writes again, the pending changes are saved.
    QVERIFY(store.flush());
    QVERIFY(store.saveError().isEmpty());
    QCOMPARE(errors.count(), 2);
    QCOMPARE(parseDocument(readAll(path())).document->lists, store.lists());
}

void tst_WatchlistStore::readOnlyDirectoryReportsError()
{
    if (geteuid() == 0)
        QSKIP("root writes into read-only directories; failedWriteKeepsOldFile covers this");
    WatchlistStore store(path());
    QVERIFY(store.load());
    const QByteArray before = readAll(path());
    const QString dir = QFileInfo(path()).absolutePath();
    QVERIFY(QFile::setPermissions(dir, QFile::ReadOwner | QFile::ExeOwner));
    QCOMPARE(store.createList(u"X"_s), QString());
    const bool ok = store.flush();
    QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QVERIFY(!ok);
    QVERIFY(!store.saveError().isEmpty());
    QCOMPARE(readAll(path()), before);
}

void tst_WatchlistStore::createRenameDuplicateDelete()
{
    WatchlistStore store(path());
    QSignalSpy lists(&store, &WatchlistStore::listsChanged);
    QCOMPARE(store.createList(u"  Tech  "_s), QString());
    QCOMPARE(store.listNames(), (QStringList{u"Markets"_s, u"Tech"_s}));
    QCOMPARE(store.addSymbol(1, u"AAPL"_s), QString());
    QCOMPARE(store.renameList(1, u"Big tech"_s), QString());
    QCOMPARE(store.renameList(1, u"big TECH"_s), QString()); // its own name, other case
    QCOMPARE(store.duplicateList(1), QString());
    QCOMPARE(store.duplicateList(1), QString());
    QCOMPARE(store.listNames(), (QStringList{u"Markets"_s, u"big TECH"_s, u"big TECH copy (2)"_s,
                                             u"big TECH copy"_s}));
    QCOMPARE(store.symbols(2), QStringList{u"AAPL"_s});
    QCOMPARE(store.duplicateList(0, u"Named copy"_s), QString());
    QCOMPARE(store.listNames().at(1), u"Named copy"_s);
    QCOMPARE(store.deleteList(1), QString());
    QCOMPARE(store.count(), 4);
    QCOMPARE(lists.count(), 7);
}

void tst_WatchlistStore::listErrors_data()
{
    QTest::addColumn<QString>("operation");
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expectedInError");

    const QString tooLong(MaxNameLength + 1, u'n');
    QTest::newRow("create empty") << u"create"_s << 0 << u" "_s << u"cannot be empty"_s;
    QTest::newRow("create too long") << u"create"_s << 0 << tooLong << u"at most 64"_s;
    QTest::newRow("create taken") << u"create"_s << 0 << u"markets"_s << u"already"_s;
    QTest::newRow("rename taken") << u"rename"_s << 1 << u"MARKETS"_s << u"already"_s;
    QTest::newRow("rename empty") << u"rename"_s << 1 << QString() << u"cannot be empty"_s;
    QTest::newRow("rename bad index") << u"rename"_s << 7 << u"X"_s << u"no watchlist"_s;
    QTest::newRow("duplicate taken") << u"duplicate"_s << 0 << u"Other"_s << u"already"_s;
    QTest::newRow("duplicate bad index") << u"duplicate"_s << -1 << QString() << u"no watchlist"_s;
    QTest::newRow("delete bad index") << u"delete"_s << 2 << QString() << u"no watchlist"_s;
    QTest::newRow("undo nothing") << u"undo"_s << 0 << QString() << u"no deleted"_s;
}

void tst_WatchlistStore::listErrors()
{
    QFETCH(QString, operation);
    QFETCH(int, index);
    QFETCH(QString, name);
    QFETCH(QString, expectedInError);

    WatchlistStore store(path());
    QCOMPARE(store.createList(u"Other"_s), QString());
    const QList<Watchlist> before = store.lists();
    QSignalSpy lists(&store, &WatchlistStore::listsChanged);
    QString error;
    if (operation == "create"_L1)
        error = store.createList(name);
    else if (operation == "rename"_L1)
        error = store.renameList(index, name);
    else if (operation == "duplicate"_L1)
        error = store.duplicateList(index, name);
    else if (operation == "delete"_L1)
        error = store.deleteList(index);
    else
        error = store.undoDelete();
    QVERIFY2(error.contains(expectedInError, Qt::CaseInsensitive), qPrintable(error));
    QCOMPARE(store.lists(), before); // nothing changed
    QCOMPARE(lists.count(), 0);
}

void tst_WatchlistStore::listLimit()
{
    WatchlistStore store(path());
    for (int i = 1; i < MaxLists; ++i)
        QCOMPARE(store.createList(u"List %1"_s.arg(i)), QString());
    QCOMPARE(store.count(), MaxLists);
    QVERIFY(store.createList(u"One more"_s).contains(u"50"_s));
    QVERIFY(store.duplicateList(0).contains(u"50"_s));
    QCOMPARE(store.count(), MaxLists);

    // The last list cannot be deleted.
    while (store.count() > 1)
        QCOMPARE(store.deleteList(0), QString());
    QVERIFY(store.deleteList(0).contains(u"last"_s));
}

void tst_WatchlistStore::undoDeleteRestoresAtPosition()
{
    WatchlistStore store(path());
    QCOMPARE(store.createList(u"B"_s), QString());
    QCOMPARE(store.createList(u"C"_s), QString());
    QCOMPARE(store.addSymbol(1, u"IBM"_s), QString());
    QCOMPARE(store.setColumns(1, {u"last"_s}), QString());
    const Watchlist deleted = store.list(1);
    QSignalSpy undo(&store, &WatchlistStore::deletedListChanged);

    QCOMPARE(store.deleteList(1), QString());
    QVERIFY(store.canUndoDelete());
    QCOMPARE(store.deletedListName(), u"B"_s);
    QCOMPARE(store.createList(u"B"_s), QString()); // the name is taken meanwhile
    QCOMPARE(store.undoDelete(), QString());
    QVERIFY(!store.canUndoDelete());
    QCOMPARE(undo.count(), 2);
    QCOMPARE(store.listNames(), (QStringList{u"Markets"_s, u"B (2)"_s, u"C"_s, u"B"_s}));
    Watchlist restored = store.list(1);
    restored.name = deleted.name;
    QCOMPARE(restored, deleted);
    QVERIFY(store.undoDelete().contains(u"no deleted"_s, Qt::CaseInsensitive));
}

void tst_WatchlistStore::deletingEarlierListKeepsCurrentList()
{
    WatchlistStore store(path());
    QCOMPARE(store.createList(u"B"_s), QString());
    QCOMPARE(store.createList(u"C"_s), QString());
    store.setCurrentIndex(2);
    QSignalSpy index(&store, &WatchlistStore::currentIndexChanged);
    QSignalSpy list(&store, &WatchlistStore::currentListChanged);

    QCOMPARE(store.deleteList(0), QString());
    QCOMPARE(store.currentIndex(), 1);
    QCOMPARE(store.listNames().at(store.currentIndex()), u"C"_s);
    QCOMPARE(index.count(), 1);
    QCOMPARE(list.count(), 0); // same list on screen

    QCOMPARE(store.undoDelete(), QString()); // back at 0: C moves to 2
    QCOMPARE(store.currentIndex(), 2);
    QCOMPARE(index.count(), 2);
    QCOMPARE(list.count(), 0);

    QCOMPARE(store.deleteList(2), QString()); // the current one: the previous list shows
    QCOMPARE(store.currentIndex(), 1);
    QCOMPARE(store.listNames().at(1), u"B"_s);
    QCOMPARE(list.count(), 1);
}

void tst_WatchlistStore::currentIndexIgnoresOutOfRange()
{
    WatchlistStore store(path());
    QVERIFY(store.load());
    QCOMPARE(store.createList(u"B"_s), QString());
    QVERIFY(store.flush());
    QSignalSpy index(&store, &WatchlistStore::currentIndexChanged);
    QSignalSpy currentList(&store, &WatchlistStore::currentListChanged);
    store.setCurrentIndex(-1);
    store.setCurrentIndex(2);
    store.setCurrentIndex(0); // already current
    QCOMPARE(store.currentIndex(), 0);
    QCOMPARE(index.count(), 0);
    QCOMPARE(currentList.count(), 0);
    QVERIFY(!store.hasPendingChanges());
    store.setCurrentIndex(1);
    QCOMPARE(index.count(), 1);
    QCOMPARE(currentList.count(), 1);
    QVERIFY(store.hasPendingChanges()); // the current list is part of the file
}

void tst_WatchlistStore::symbolEdits()
{
    WatchlistStore store(path());
    QCOMPARE(store.createList(u"T"_s), QString());
    QSignalSpy inserted(&store, &WatchlistStore::symbolsInserted);
    QSignalSpy removed(&store, &WatchlistStore::symbolRemoved);
    QSignalSpy moved(&store, &WatchlistStore::symbolMoved);
    QCOMPARE(store.addSymbol(1, u"a"_s), QString());
    QCOMPARE(store.addSymbol(1, u"NASDAQ:B"_s), QString());
    QCOMPARE(store.addSymbol(1, u"C"_s), QString());
    QCOMPARE(inserted.count(), 3);
    QCOMPARE(inserted.at(1), (QVariantList{1, 1, QStringList{u"B"_s}}));
    QCOMPARE(store.moveSymbol(1, 0, 2), QString());
    QCOMPARE(store.symbols(1), (QStringList{u"B"_s, u"C"_s, u"A"_s}));
    QCOMPARE(moved.at(0), (QVariantList{1, 0, 2}));
    QCOMPARE(store.moveSymbol(1, 1, 1), QString()); // no-op, no signal
    QCOMPARE(moved.count(), 1);
    QCOMPARE(store.removeSymbol(1, 1), QString());
    QCOMPARE(store.symbols(1), (QStringList{u"B"_s, u"A"_s}));
    QCOMPARE(removed.at(0), (QVariantList{1, 1}));
    QCOMPARE(store.removeSymbolNamed(1, u"A"_s), QString()); // by name: the row it is at
    QCOMPARE(store.symbols(1), QStringList{u"B"_s});
    QCOMPARE(removed.at(1), (QVariantList{1, 1}));
}

void tst_WatchlistStore::symbolErrors_data()
{
    QTest::addColumn<QString>("operation");
    QTest::addColumn<int>("list");
    QTest::addColumn<QString>("symbol");
    QTest::addColumn<int>("from");
    QTest::addColumn<int>("to");
    QTest::addColumn<QString>("expectedInError");

    QTest::newRow("duplicate") << u"add"_s << 0 << u"aapl"_s << 0 << 0 << u"already in"_s;
    QTest::newRow("duplicate via prefix")
        << u"add"_s << 0 << u"NASDAQ:AAPL"_s << 0 << 0 << u"already in"_s;
    QTest::newRow("empty") << u"add"_s << 0 << u" "_s << 0 << 0 << u"empty"_s;
    QTest::newRow("bad chars") << u"add"_s << 0 << u"A$"_s << 0 << 0 << u"characters"_s;
    QTest::newRow("add bad list") << u"add"_s << 3 << u"X"_s << 0 << 0 << u"no watchlist"_s;
    QTest::newRow("remove bad row") << u"remove"_s << 0 << QString() << 10 << 0 << u"no row"_s;
    QTest::newRow("remove negative") << u"remove"_s << 0 << QString() << -1 << 0 << u"no row"_s;
    QTest::newRow("move out of range")
        << u"move"_s << 0 << QString() << 0 << 10 << u"cannot move"_s;
    QTest::newRow("move negative") << u"move"_s << 0 << QString() << -1 << 0 << u"cannot move"_s;
    QTest::newRow("remove a symbol not there")
        << u"removeNamed"_s << 0 << u"NOPE"_s << 0 << 0 << u"is not in"_s;
    QTest::newRow("remove by name, bad list")
        << u"removeNamed"_s << 3 << u"AAPL"_s << 0 << 0 << u"no watchlist"_s;
}

void tst_WatchlistStore::symbolErrors()
{
    QFETCH(QString, operation);
    QFETCH(int, list);
    QFETCH(QString, symbol);
    QFETCH(int, from);
    QFETCH(int, to);
    QFETCH(QString, expectedInError);

    WatchlistStore store(path());
    const QStringList before = store.symbols(0);
    QSignalSpy inserted(&store, &WatchlistStore::symbolsInserted);
    QString error;
    if (operation == "add"_L1)
        error = store.addSymbol(list, symbol);
    else if (operation == "remove"_L1)
        error = store.removeSymbol(list, from);
    else if (operation == "removeNamed"_L1)
        error = store.removeSymbolNamed(list, symbol);
    else
        error = store.moveSymbol(list, from, to);
    QVERIFY2(error.contains(expectedInError, Qt::CaseInsensitive), qPrintable(error));
    QCOMPARE(store.symbols(0), before);
    QCOMPARE(inserted.count(), 0);
    QVERIFY(!store.hasPendingChanges());
}

void tst_WatchlistStore::symbolLimit()
{
    WatchlistStore store(path());
    QCOMPARE(store.createList(u"Full"_s), QString());
    for (int i = 0; i < MaxSymbolsPerList; ++i)
        QCOMPARE(store.addSymbol(1, u"S%1"_s.arg(i)), QString());
    const QString error = store.addSymbol(1, u"ONE-MORE"_s);
    QVERIFY2(error.contains(u"500"_s), qPrintable(error));
    QCOMPARE(store.symbols(1).size(), MaxSymbolsPerList);
}

void tst_WatchlistStore::columnsAndSort()
{
    WatchlistStore store(path());
    QSignalSpy columns(&store, &WatchlistStore::columnsChanged);
    QSignalSpy sort(&store, &WatchlistStore::sortChanged);
    QCOMPARE(store.availableColumns().size(), ColumnCount);
    QCOMPARE(store.setColumns(0, {u"sparkline"_s, u"last"_s}), QString());
    QCOMPARE(store.columns(0), (QStringList{u"sparkline"_s, u"last"_s}));
    QCOMPARE(store.setColumns(0, {u"sparkline"_s, u"last"_s}), QString()); // same: no signal
    QCOMPARE(columns.count(), 1);
    QVERIFY(store.setColumns(0, {u"last"_s, u"pe"_s}).contains(u"no column"_s));
    QVERIFY(store.setColumns(0, {u"last"_s, u"last"_s}).contains(u"twice"_s));
    QCOMPARE(store.columns(0), (QStringList{u"sparkline"_s, u"last"_s}));
    QCOMPARE(store.setColumns(0, {}), QString()); // a bare symbol column is allowed
    QCOMPARE(columns.count(), 2);

    QCOMPARE(store.setSort(0, u"volume"_s, true), QString());
    QCOMPARE(store.sortColumn(0), u"volume"_s);
    QVERIFY(store.sortDescending(0));
    QVERIFY(store.setSort(0, u"sparkline"_s, false).contains(u"cannot be sorted"_s));
    QVERIFY(store.setSort(0, u"nope"_s, false).contains(u"no column"_s));
    QCOMPARE(store.sortColumn(0), u"volume"_s);
    QCOMPARE(store.setSort(0, QString(), false), QString());
    QCOMPARE(store.sortColumn(0), QString());
    QCOMPARE(sort.count(), 2);
}

// The header of the view reads the current list's columns and sort; a click cycles the sort.
void tst_WatchlistStore::currentHeaderFollowsTheCurrentList()
{
    WatchlistStore store(path());
    QCOMPARE(store.createList(u"Other"_s), QString());
    QSignalSpy columns(&store, &WatchlistStore::currentColumnsChanged);
    QSignalSpy sort(&store, &WatchlistStore::currentSortChanged);
    QCOMPARE(store.currentColumns(), store.columns(0));
    // Another list's edits do not touch the header.
    QCOMPARE(store.setColumns(1, {u"last"_s}), QString());
    QCOMPARE(store.setSort(1, u"last"_s, true), QString());
    QCOMPARE(columns.count(), 0);
    QCOMPARE(sort.count(), 0);
    // The current list's do.
    QCOMPARE(store.cycleSort(0, u"bid"_s), QString());
    QCOMPARE(sort.count(), 1);
    QCOMPARE(store.currentSortColumn(), u"bid"_s);
    QVERIFY(!store.currentSortDescending());
    QCOMPARE(store.cycleSort(0, u"bid"_s), QString());
    QVERIFY(store.currentSortDescending());
    QCOMPARE(store.cycleSort(0, u"bid"_s), QString()); // third click: the user's order
    QCOMPARE(store.currentSortColumn(), QString());
    QCOMPARE(store.cycleSort(0, u"last"_s), QString());
    QCOMPARE(store.cycleSort(0, u"spread"_s), QString()); // another column: ascending
    QCOMPARE(store.currentSortColumn(), u"spread"_s);
    QVERIFY(!store.currentSortDescending());
    QVERIFY(!store.cycleSort(0, u"sparkline"_s).isEmpty()); // not sortable
    QVERIFY(!store.cycleSort(0, u"nonsense"_s).isEmpty());
    QCOMPARE(store.currentSortColumn(), u"spread"_s);
    // Switching lists switches both.
    columns.clear();
    sort.clear();
    store.setCurrentIndex(1);
    QCOMPARE(columns.count(), 1);
    QCOMPARE(sort.count(), 1);
    QCOMPARE(store.currentColumns(), QStringList{u"last"_s});
    QCOMPARE(store.currentSortColumn(), u"last"_s);
    QVERIFY(store.currentSortDescending());
}

void tst_WatchlistStore::importsMessyTextIntoList()
{
    WatchlistStore store(path());
    QFile file(fixturePath(u"messy-symbols.txt"_s));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const int before = int(store.symbols(0).size());
    const ImportReport report = store.importText(0, QString::fromUtf8(file.readAll()));
    // All but IBM are already in the default list: reported, not added twice.
    QCOMPARE(report.added, 1);
    QCOMPARE(store.symbols(0).mid(before), QStringList{u"IBM"_s});
    QVERIFY(!report.complete());
    QCOMPARE(report.problems.size(), 4 + 7);
    QCOMPARE(report.issues.size(), report.problems.size());
    QCOMPARE(report.issues.first().line, 8);
    QVERIFY2(report.problems.first().startsWith(u"line 8: \"AA PL\""_s),
             qPrintable(report.problems.first()));
    QVERIFY(report.problems.last().contains(u"already in \"Markets\""_s));
}

void tst_WatchlistStore::importTextIntoFullList()
{
    WatchlistStore store(path());
    QCOMPARE(store.createList(u"Almost full"_s), QString());
    for (int i = 0; i < MaxSymbolsPerList - 1; ++i)
        QCOMPARE(store.addSymbol(1, u"S%1"_s.arg(i)), QString());
    const ImportReport report = store.importText(1, u"X1\nX2\nX3"_s);
    QCOMPARE(report.added, 1);
    QCOMPARE(report.problems.size(), 2);
    QVERIFY(report.problems.at(0).contains(u"is full"_s));
    QCOMPARE(store.symbols(1).size(), MaxSymbolsPerList);
    QCOMPARE(store.importText(9, u"X"_s).added, 0);
}

void tst_WatchlistStore::importsJsonListsWithRenames()
{
    WatchlistStore store(path());
    QSignalSpy lists(&store, &WatchlistStore::listsChanged);
    const ImportReport report = store.importJson(readAll(fixturePath(u"two-lists-export.json"_s)));
    QCOMPARE(report.added, 2);
    QVERIFY(report.complete());
    QCOMPARE(store.listNames(), (QStringList{u"Markets"_s, u"Markets (2)"_s, u"Energy"_s}));
    QCOMPARE(store.symbols(1), (QStringList{u"SPY"_s, u"QQQ"_s}));
    QCOMPARE(store.columns(2), (QStringList{u"last"_s, u"change"_s}));

    // Version 1 documents import as well.
    QCOMPARE(store.importJson(readAll(fixturePath(u"version1.json"_s))).added, 2);
    QCOMPARE(store.count(), 5);
    QVERIFY(lists.count() >= 4);
}

void tst_WatchlistStore::importRefusesBadJson()
{
    WatchlistStore store(path());
    const QList<Watchlist> before = store.lists();
    for (const QString &name : {u"truncated.json"_s, u"newer-version.json"_s}) {
        const ImportReport report = store.importJson(readAll(fixturePath(name)));
        QCOMPARE(report.added, 0);
        QCOMPARE(report.problems.size(), 1);
    }
    QCOMPARE(store.lists(), before);

    // Too many lists: the ones that fit are imported, the rest reported by name.
    for (int i = 1; i < MaxLists - 1; ++i)
        QCOMPARE(store.createList(u"L%1"_s.arg(i)), QString());
    const ImportReport report = store.importJson(readAll(fixturePath(u"two-lists-export.json"_s)));
    QCOMPARE(report.added, 1);
    QCOMPARE(report.problems.size(), 1);
    QVERIFY(report.problems.first().contains(u"Energy"_s));
}

void tst_WatchlistStore::exportImportRoundTrip()
{
    WatchlistStore source(path());
    QCOMPARE(source.setColumns(0, {u"bid"_s, u"ask"_s}), QString());
    QCOMPARE(source.setSort(0, u"ask"_s, false), QString());
    const QByteArray json = source.exportJson(0);
    const QString text = source.exportText(0);
    QCOMPARE(source.exportJson(5), QByteArray());

    QTemporaryDir other;
    WatchlistStore target(other.filePath(u"w.json"_s));
    QCOMPARE(target.renameList(0, u"Mine"_s), QString());
    QCOMPARE(target.importJson(json).added, 1);
    QCOMPARE(target.list(1), source.list(0));

    QCOMPARE(target.createList(u"From text"_s), QString());
    const ImportReport report = target.importText(2, text);
    QVERIFY(report.complete());
    QCOMPARE(target.symbols(2), source.symbols(0));

    const ParseResult all = parseDocument(target.exportAllJson());
    QVERIFY(all.ok());
    QCOMPARE(all.document->lists, target.lists());
}

void tst_WatchlistStore::importAndExportFiles()
{
    WatchlistStore store(path());
    const QString textFile = m_dir->filePath(u"export.txt"_s);
    const QString jsonFile = m_dir->filePath(u"export.json"_s);
    QCOMPARE(store.exportFile(textFile, 0, true), QString());
    QCOMPARE(store.exportFile(jsonFile, -1, false), QString());
    QVERIFY(!store.exportFile(textFile, 4, true).isEmpty());
    QVERIFY(!store.exportFile(m_dir->filePath(u"no/such/dir/x.json"_s), 0, false).isEmpty());

    QCOMPARE(store.createList(u"Empty"_s), QString());
    QCOMPARE(store.importFile(textFile, 1).added, int(store.symbols(0).size()));
    QCOMPARE(store.symbols(1), store.symbols(0));
    const ImportReport json = store.importFile(jsonFile, 1);
    QCOMPARE(json.added, 1);
    QCOMPARE(store.listNames().last(), u"Markets (2)"_s);
    const ImportReport missing = store.importFile(m_dir->filePath(u"missing.txt"_s), 1);
    QCOMPARE(missing.added, 0);
    QCOMPARE(missing.problems.size(), 1);
}

QTEST_GUILESS_MAIN(tst_WatchlistStore)
#include "tst_watchliststore.moc"
