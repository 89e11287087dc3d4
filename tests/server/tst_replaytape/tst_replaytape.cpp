#include "server/replaytape.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::server;

class tst_ReplayTape : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sampleIsClean();
    void badLinesAreReportedByNumber_data();
    void badLinesAreReportedByNumber();
    void csvFields();
    void nothingUsable();
};

void tst_ReplayTape::sampleIsClean()
{
    const ReplayTape tape =
        loadReplayFile(QStringLiteral(TICKWIRE_TEST_DATA_DIR "/../../resources/sample-trades.csv"));
    QVERIFY2(tape.ok(), qPrintable(tape.error));
    QVERIFY(tape.problems.isEmpty());
    QVERIFY(tape.trades.size() >= 10);
}

void tst_ReplayTape::badLinesAreReportedByNumber_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QList<int>>("goodLines");
    QTest::addColumn<QList<int>>("badLines");
    QTest::newRow("csv") << u"replay-bad.csv"_s << QList<int>{2, 10, 12}
                         << QList<int>{3, 4, 5, 6, 9, 11};
    QTest::newRow("ndjson") << u"replay-bad.ndjson"_s << QList<int>{1, 6} << QList<int>{2, 3, 4, 5};
}

void tst_ReplayTape::badLinesAreReportedByNumber()
{
    QFETCH(QString, file);
    QFETCH(QList<int>, goodLines);
    QFETCH(QList<int>, badLines);
    const ReplayTape tape =
        loadReplayFile(QStringLiteral(TICKWIRE_TEST_DATA_DIR "/server/") + file);
    QVERIFY2(tape.ok(), qPrintable(tape.error));
    QList<int> good, bad;
    for (const RecordedTrade &t : tape.trades)
        good.append(t.line);
    for (const ReplayProblem &p : tape.problems) {
        bad.append(p.line);
        QVERIFY(!p.message.isEmpty());
    }
    QCOMPARE(good, goodLines);
    QCOMPARE(bad, badLines);
}

void tst_ReplayTape::csvFields()
{
    const ReplayTape tape = parseReplay("1000,ETH-USD,3201.17,1.250,sell\n", ReplayFormat::Csv);
    QCOMPARE(tape.trades.size(), 1);
    const RecordedTrade &t = tape.trades.first();
    QCOMPARE(t.ts, 1000);
    QCOMPARE(t.symbol, u"ETH-USD"_s);
    QCOMPARE(t.price.toString(), u"3201.17"_s);
    QCOMPARE(t.qty.toString(), u"1.250"_s);
    QVERIFY(t.side == protocol::Side::Sell);
    const ReplayTape bad = parseReplay("1000,ETH-USD,3201.17,1.250\n", ReplayFormat::Csv);
    QCOMPARE(bad.problems.size(), 1);
    QVERIFY2(bad.problems.first().message.contains(u"expected 5 fields"_s),
             qPrintable(bad.problems.first().message));
}

void tst_ReplayTape::nothingUsable()
{
    QVERIFY(!parseReplay("garbage\nmore garbage\n").ok());
    QVERIFY(!loadReplayFile(u"/nonexistent/tape.csv"_s).ok());
}

QTEST_GUILESS_MAIN(tst_ReplayTape)
#include "tst_replaytape.moc"
