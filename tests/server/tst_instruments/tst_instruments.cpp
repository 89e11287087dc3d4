#include "server/instruments.h"

#include <QtCore/QFile>
#include <QtCore/QSet>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::server;

class tst_Instruments : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultSetIsCompiledInAndRich();
    void shippedFileMatchesCompiledIn();
    void badInput_data();
    void badInput();
    void badFiles_data();
    void badFiles();
};

void tst_Instruments::defaultSetIsCompiledInAndRich()
{
    const InstrumentsResult r = defaultInstruments();
    QVERIFY2(r.ok(), qPrintable(r.error));
    QVERIFY(r.instruments.size() >= 20);
    QSet<QString> symbols;
    for (const Instrument &in : r.instruments) {
        symbols.insert(in.info.symbol);
        QVERIFY(in.info.tickSize.isPositive());
        QVERIFY(in.info.lotSize.isPositive());
        QVERIFY(in.initialPrice.isMultipleOf(in.info.tickSize));
        QCOMPARE(in.initialPrice.scale(), in.info.tickSize.scale());
        QVERIFY(in.volatility > 0);
    }
    for (const char *s : {"BTC-USD", "ETH-USD", "AAPL", "MSFT", "EUR-USD", "USD-JPY"})
        QVERIFY2(symbols.contains(QString::fromLatin1(s)), s);
}

void tst_Instruments::shippedFileMatchesCompiledIn()
{
    const InstrumentsResult file = loadInstrumentsFile(
        QStringLiteral(TICKWIRE_TEST_DATA_DIR "/../../resources/instruments.json"));
    QVERIFY2(file.ok(), qPrintable(file.error));
    const InstrumentsResult builtIn = defaultInstruments();
    QCOMPARE(file.instruments.size(), builtIn.instruments.size());
    for (qsizetype i = 0; i < file.instruments.size(); ++i)
        QCOMPARE(file.instruments[i].info, builtIn.instruments[i].info);
}

void tst_Instruments::badInput_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    const QByteArray ok = R"("symbol":"X","base":"X","quote":"USD","lot_size":"1")";
    auto doc = [&](const QByteArray &fields) -> QByteArray {
        return QByteArray(R"({"instruments":[{)") + ok + ',' + fields + "}]}";
    };
    QTest::newRow("not json") << QByteArray("{nope") << u"malformed JSON at offset"_s;
    QTest::newRow("no array") << QByteArray(R"({"x":1})") << u"\"instruments\" array"_s;
    QTest::newRow("empty") << QByteArray(R"({"instruments":[]})") << u"is empty"_s;
    QTest::newRow("entry not object")
        << QByteArray(R"({"instruments":[3]})") << u"instrument 0: not an object"_s;
    QTest::newRow("no symbol") << QByteArray(
        R"({"instruments":[{"base":"X","quote":"Y","tick_size":"1","lot_size":"1","price":"5000"}]})")
                               << u"\"symbol\" missing"_s;
    QTest::newRow("tick not decimal") << doc(R"("tick_size":0.01,"price":"100.00")")
                                      << u"\"tick_size\" must be a positive decimal"_s;
    QTest::newRow("tick zero") << doc(R"("tick_size":"0","price":"100.00")")
                               << u"\"tick_size\" must be a positive decimal"_s;
    QTest::newRow("price negative") << doc(R"("tick_size":"0.01","price":"-1.00")")
                                    << u"\"price\" must be a positive decimal"_s;
    QTest::newRow("price off tick")
        << doc(R"("tick_size":"0.05","price":"100.01")") << u"not a multiple of the tick size"_s;
    QTest::newRow("price too few ticks")
        << doc(R"("tick_size":"1","price":"50")") << u"at least 1000 ticks"_s;
    QTest::newRow("volatility negative")
        << doc(R"("tick_size":"0.01","price":"100.00","volatility":-1)") << u"\"volatility\""_s;
}

void tst_Instruments::badInput()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    const InstrumentsResult r = parseInstruments(json);
    QVERIFY(!r.ok());
    QVERIFY(r.instruments.isEmpty()); // nothing half-loaded
    QVERIFY2(r.error.contains(expected), qPrintable(r.error));
}

void tst_Instruments::badFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expected");
    QTest::newRow("missing") << u"does-not-exist.json"_s << u"cannot open"_s;
    QTest::newRow("duplicate") << u"instruments-duplicate.json"_s << u"duplicate symbol \"AAA\""_s;
    QTest::newRow("truncated") << u"instruments-truncated.json"_s << u"malformed JSON"_s;
}

void tst_Instruments::badFiles()
{
    QFETCH(QString, file);
    QFETCH(QString, expected);
    const QString path = QStringLiteral(TICKWIRE_TEST_DATA_DIR "/server/") + file;
    const InstrumentsResult r = loadInstrumentsFile(path);
    QVERIFY(!r.ok());
    QVERIFY2(r.error.contains(expected), qPrintable(r.error));
    QVERIFY2(r.error.contains(file), qPrintable(r.error)); // names the file
}

QTEST_GUILESS_MAIN(tst_Instruments)
#include "tst_instruments.moc"
