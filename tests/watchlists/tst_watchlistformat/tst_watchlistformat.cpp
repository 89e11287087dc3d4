#include "watchlists/watchlistformat.h"

#include <QtCore/QFile>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire::watchlists;

namespace {

QByteArray fixture(const QString &name)
{
    QFile file(QStringLiteral(TICKWIRE_TEST_DATA_DIR) + u"/watchlists/"_s + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return file.readAll();
}

Watchlist sampleList()
{
    Watchlist list;
    list.name = u"Tech \"favourites\" \u00e9"_s;
    list.symbols = {u"AAPL"_s, u"MSFT"_s, u"BRK.B"_s};
    list.columns = {Column::Sparkline, Column::Last, Column::Spread};
    list.sort = SortState{Column::Spread, true};
    return list;
}

} // namespace

class tst_WatchlistFormat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip();
    void readsVersion2Fixture();
    void migratesVersion1();
    void refusesNewerVersion();
    void refusesBadDocuments_data();
    void refusesBadDocuments();
    void acceptsEmptyOnlyWhenAllowed();
    void normalizesSymbols_data();
    void normalizesSymbols();
    void refusesBadNames_data();
    void refusesBadNames();
    void importsMessyText();
    void importsWindowsCsvWithHeader();
    void symbolTextRoundTrip();
    void columnNamesRoundTrip();
};

void tst_WatchlistFormat::roundTrip()
{
    WatchlistDocument document;
    document.lists << sampleList() << defaultWatchlist();
    document.current = 1;
    const QByteArray json = toJson(document);
    QVERIFY(json.contains("\"version\": 2"));
    const ParseResult parsed = parseDocument(json);
    QVERIFY2(parsed.ok(), qPrintable(parsed.error));
    QCOMPARE(parsed.sourceVersion, 2);
    QCOMPARE(*parsed.document, document);
}

void tst_WatchlistFormat::readsVersion2Fixture()
{
    const ParseResult parsed = parseDocument(fixture(u"version2.json"_s));
    QVERIFY2(parsed.ok(), qPrintable(parsed.error));
    const WatchlistDocument &document = *parsed.document;
    QCOMPARE(document.current, 1);
    QCOMPARE(document.lists.size(), 2);
    QCOMPARE(document.lists[0].name, u"Crypto"_s);
    QCOMPARE(document.lists[0].columns,
             (QList<Column>{Column::Last, Column::ChangePercent, Column::Volume}));
    QCOMPARE(document.lists[0].sort, (SortState{Column::ChangePercent, true}));
    QCOMPARE(document.lists[1].symbols, (QStringList{u"EUR-USD"_s, u"GBP-USD"_s, u"USD-JPY"_s}));
    QVERIFY(!document.lists[1].sort);
}

void tst_WatchlistFormat::migratesVersion1()
{
    const ParseResult parsed = parseDocument(fixture(u"version1.json"_s));
    QVERIFY2(parsed.ok(), qPrintable(parsed.error));
    QCOMPARE(parsed.sourceVersion, 1);
    const WatchlistDocument &document = *parsed.document;
    QCOMPARE(document.lists.size(), 2);
    // Object keys come back sorted; symbols normalized and de-duplicated, default columns.
    QCOMPARE(document.lists[0].name, u"Crypto"_s);
    QCOMPARE(document.lists[1].name, u"Tech"_s);
    QCOMPARE(document.lists[1].symbols, (QStringList{u"AAPL"_s, u"MSFT"_s, u"NVDA"_s}));
    QCOMPARE(document.lists[1].columns, defaultColumns());
    QVERIFY(!document.lists[1].sort);

    // And the migrated document writes back as a current-version document.
    const ParseResult again = parseDocument(toJson(document));
    QVERIFY(again.ok());
    QCOMPARE(again.sourceVersion, CurrentFormatVersion);
    QCOMPARE(*again.document, document);
}

void tst_WatchlistFormat::refusesNewerVersion()
{
    const ParseResult parsed = parseDocument(fixture(u"newer-version.json"_s));
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.failure, ParseFailure::TooNew);
    QCOMPARE(parsed.sourceVersion, 3);
    QVERIFY2(parsed.error.contains(u"newer"_s), qPrintable(parsed.error));
}

void tst_WatchlistFormat::refusesBadDocuments_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expectedInError");

    const QByteArray list = R"({"name":"A","symbols":["X"],"columns":["last"],"sort":null})";
    QTest::newRow("truncated fixture") << fixture(u"truncated.json"_s) << u"not valid JSON"_s;
    QTest::newRow("empty file") << QByteArray() << u"not valid JSON"_s;
    QTest::newRow("array at top") << QByteArray("[]") << u"not a JSON object"_s;
    QTest::newRow("no version") << QByteArray(R"({"lists":[]})") << u"version"_s;
    QTest::newRow("string version") << QByteArray(R"({"version":"2","lists":[]})") << u"version"_s;
    QTest::newRow("fractional version")
        << QByteArray(R"({"version":1.5,"lists":{}})") << u"version"_s;
    QTest::newRow("lists not array")
        << QByteArray(R"({"version":2,"lists":{}})") << u"\"lists\" must be an array"_s;
    QTest::newRow("no lists") << QByteArray(R"({"version":2,"lists":[]})") << u"no watchlists"_s;
    QTest::newRow("list not object")
        << QByteArray(R"({"version":2,"lists":[3]})") << u"not an object"_s;
    QTest::newRow("no name") << QByteArray(R"({"version":2,"lists":[{"symbols":[],"columns":[]}]})")
                             << u"\"name\""_s;
    QTest::newRow("empty name") << QByteArray(
        R"({"version":2,"lists":[{"name":" ","symbols":[],"columns":[]}]})")
                                << u"cannot be empty"_s;
    QTest::newRow("symbols not strings")
        << QByteArray(R"({"version":2,"lists":[{"name":"A","symbols":[1],"columns":[]}]})")
        << u"array of strings"_s;
    QTest::newRow("lowercase symbol")
        << QByteArray(R"({"version":2,"lists":[{"name":"A","symbols":["aapl"],"columns":[]}]})")
        << u"canonical"_s;
    QTest::newRow("empty symbol") << QByteArray(
        R"({"version":2,"lists":[{"name":"A","symbols":[""],"columns":[]}]})")
                                  << u"empty symbol"_s;
    QTest::newRow("name with spaces")
        << QByteArray(R"({"version":2,"lists":[{"name":" A","symbols":[],"columns":[]}]})")
        << u"surrounding spaces"_s;
    QTest::newRow("duplicate symbol")
        << QByteArray(R"({"version":2,"lists":[{"name":"A","symbols":["X","X"],"columns":[]}]})")
        << u"appears twice"_s;
    QTest::newRow("unknown column")
        << QByteArray(R"({"version":2,"lists":[{"name":"A","symbols":[],"columns":["pe"]}]})")
        << u"unknown column"_s;
    QTest::newRow("bad sort order")
        << QByteArray(R"({"version":2,"lists":[{"name":"A","symbols":[],"columns":[],)"
                      R"("sort":{"column":"last","order":"up"}}]})")
        << u"\"sort\""_s;
    QTest::newRow("sparkline sort")
        << QByteArray(R"({"version":2,"lists":[{"name":"A","symbols":[],"columns":[],)"
                      R"("sort":{"column":"sparkline","order":"ascending"}}]})")
        << u"cannot be sorted"_s;
    QTest::newRow("same name twice (case)")
        << QByteArray(R"({"version":2,"lists":[)" + list + ","
                      + QByteArray(list).replace(R"("A")", R"("a")") + "]}")
        << u"used by two lists"_s;
    QTest::newRow("v1 lists not object")
        << QByteArray(R"({"version":1,"lists":[]})") << u"version 1"_s;
    QTest::newRow("v1 bad symbol")
        << QByteArray(R"({"version":1,"lists":{"A":["A B"]}})") << u"characters"_s;

    QByteArray tooManySymbols = R"({"version":2,"lists":[{"name":"Big","columns":[],"symbols":[)";
    for (int i = 0; i <= MaxSymbolsPerList; ++i)
        tooManySymbols += (i ? ",\"S" : "\"S") + QByteArray::number(i) + '"';
    tooManySymbols += "]}]}";
    QTest::newRow("too many symbols") << tooManySymbols << u"limit of 500"_s;

    QByteArray tooManyLists = R"({"version":2,"lists":[)";
    for (int i = 0; i <= MaxLists; ++i)
        tooManyLists += (i ? ",{\"name\":\"L" : "{\"name\":\"L") + QByteArray::number(i)
                        + R"(","symbols":[],"columns":[]})";
    tooManyLists += "]}";
    QTest::newRow("too many lists") << tooManyLists << u"limit of 50"_s;
}

void tst_WatchlistFormat::refusesBadDocuments()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expectedInError);
    const ParseResult parsed = parseDocument(json);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.failure, ParseFailure::Corrupt);
    QVERIFY2(parsed.error.contains(expectedInError), qPrintable(parsed.error));
}

void tst_WatchlistFormat::acceptsEmptyOnlyWhenAllowed()
{
    const QByteArray empty = R"({"version":2,"lists":[]})";
    QVERIFY(!parseDocument(empty).ok());
    const ParseResult parsed = parseDocument(empty, true);
    QVERIFY(parsed.ok());
    QVERIFY(parsed.document->lists.isEmpty());
}

void tst_WatchlistFormat::normalizesSymbols_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected"); // empty: refused
    QTest::addColumn<QString>("expectedInError");

    QTest::newRow("plain") << u"AAPL"_s << u"AAPL"_s << QString();
    QTest::newRow("lower, spaces") << u"  btc-usd "_s << u"BTC-USD"_s << QString();
    QTest::newRow("exchange prefix") << u"NASDAQ:aapl"_s << u"AAPL"_s << QString();
    QTest::newRow("class share") << u"brk.b"_s << u"BRK.B"_s << QString();
    QTest::newRow("empty") << u"   "_s << QString() << u"empty"_s;
    QTest::newRow("only prefix") << u"NYSE:"_s << QString() << u"empty"_s;
    QTest::newRow("inner space") << u"AA PL"_s << QString() << u"characters"_s;
    QTest::newRow("accented") << u"caf\u00e9"_s << QString() << u"characters"_s;
    QTest::newRow("too long") << QString(MaxSymbolLength + 1, u'A') << QString() << u"longer"_s;
}

void tst_WatchlistFormat::normalizesSymbols()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QFETCH(QString, expectedInError);
    QString error;
    QCOMPARE(normalizeSymbol(input, &error), expected);
    if (expected.isEmpty())
        QVERIFY2(error.contains(expectedInError), qPrintable(error));
}

void tst_WatchlistFormat::refusesBadNames_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("trimmed") << u"  Tech  "_s << u"Tech"_s;
    QTest::newRow("max length") << QString(MaxNameLength, u'x') << QString(MaxNameLength, u'x');
    QTest::newRow("too long") << QString(MaxNameLength + 1, u'x') << QString();
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("blank") << u" \t "_s << QString();
}

void tst_WatchlistFormat::refusesBadNames()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QString error;
    QCOMPARE(normalizeName(input, &error), expected);
    QCOMPARE(error.isEmpty(), !expected.isEmpty());
}

void tst_WatchlistFormat::importsMessyText()
{
    const SymbolImport result = parseSymbolText(QString::fromUtf8(fixture(u"messy-symbols.txt"_s)));
    QCOMPARE(result.symbols, (QStringList{u"AAPL"_s, u"MSFT"_s, u"IBM"_s, u"NVDA"_s, u"BTC-USD"_s,
                                          u"EUR-USD"_s, u"GBP-USD"_s, u"USD-JPY"_s}));
    QCOMPARE(result.issues.size(), 4);
    QCOMPARE(result.issues[0].line, 8);
    QCOMPARE(result.issues[0].text, u"AA PL"_s);
    QVERIFY(result.issues[0].reason.contains(u"characters"_s));
    QCOMPARE(result.issues[1].line, 9);
    QVERIFY(result.issues[1].reason.contains(u"longer"_s));
    QCOMPARE(result.issues[2].line, 10);
    QCOMPARE(result.issues[2].reason, u"AAPL is already listed on line 2"_s);
    QCOMPARE(result.issues[3].line, 11);
    QCOMPARE(result.issues[3].text, u"caf\u00e9"_s);
}

void tst_WatchlistFormat::importsWindowsCsvWithHeader()
{
    const SymbolImport result = parseSymbolText(QString::fromUtf8(fixture(u"windows.csv"_s)));
    QCOMPARE(result.symbols, (QStringList{u"AAPL"_s, u"MSFT"_s, u"ETH-USD"_s}));
    QVERIFY(result.issues.isEmpty());
}

void tst_WatchlistFormat::symbolTextRoundTrip()
{
    const QStringList symbols{u"AAPL"_s, u"BTC-USD"_s, u"BRK.B"_s};
    const QString text = toSymbolText(symbols);
    QCOMPARE(text, u"AAPL\nBTC-USD\nBRK.B\n"_s);
    const SymbolImport back = parseSymbolText(text);
    QCOMPARE(back.symbols, symbols);
    QVERIFY(back.issues.isEmpty());
}

void tst_WatchlistFormat::columnNamesRoundTrip()
{
    const QStringList names = allColumnNames();
    QCOMPARE(names.size(), ColumnCount);
    for (const QString &name : names) {
        const auto column = columnFromName(name);
        QVERIFY(column);
        QCOMPARE(columnName(*column), name);
    }
    QVERIFY(!columnFromName(u"Last"_s)); // names are exact
    QVERIFY(!isSortable(Column::Sparkline));
    QVERIFY(isSortable(Column::ChangePercent));
}

QTEST_GUILESS_MAIN(tst_WatchlistFormat)
#include "tst_watchlistformat.moc"
