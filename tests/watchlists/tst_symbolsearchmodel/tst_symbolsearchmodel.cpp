#include "watchlists/symbolsearchmodel.h"

#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::protocol;
using namespace tickwire::watchlists;

namespace {

InstrumentInfo instrument(const QString &symbol, const QString &name)
{
    const QStringList parts = symbol.split(u'-');
    return InstrumentInfo{symbol,
                          name,
                          parts.first(),
                          parts.size() > 1 ? parts.last() : u"USD"_s,
                          Decimal::fromInt(1),
                          Decimal::fromInt(1)};
}

QList<InstrumentInfo> instruments()
{
    return {
        instrument(u"BTC-USD"_s, u"Bitcoin"_s),
        instrument(u"ETH-USD"_s, u"Ethereum"_s),
        instrument(u"SOL-USD"_s, u"Solana"_s),
        instrument(u"AAPL"_s, u"Apple Inc."_s),
        instrument(u"MSFT"_s, u"Microsoft Corporation"_s),
        instrument(u"NVDA"_s, u"NVIDIA Corporation"_s),
        instrument(u"EUR-USD"_s, u"Euro / US Dollar"_s),
        instrument(u"USD-JPY"_s, u"US Dollar / Japanese Yen"_s),
        instrument(u"META"_s, u"Meta Platforms"_s),
        instrument(u"ETC-USD"_s, u"Ethereum Classic"_s),
    };
}

QStringList rows(const QAbstractItemModel &model)
{
    QStringList symbols;
    for (int row = 0; row < model.rowCount(); ++row)
        symbols << model.index(row, 0).data(SymbolSearchModel::SymbolRole).toString();
    return symbols;
}

} // namespace

class tst_SymbolSearchModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ranking_data();
    void ranking();
    void limitsResults();
    void rolesAndSignals();
    void newInstrumentsRerunTheQuery();
};

void tst_SymbolSearchModel::ranking_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("empty lists all, alphabetical")
        << QString()
        << QStringList{u"AAPL"_s, u"BTC-USD"_s, u"ETC-USD"_s, u"ETH-USD"_s, u"EUR-USD"_s,
                       u"META"_s, u"MSFT"_s,    u"NVDA"_s,    u"SOL-USD"_s, u"USD-JPY"_s};
    QTest::newRow("symbol prefix, any case") << u"eth"_s << QStringList{u"ETH-USD"_s, u"ETC-USD"_s};
    // Symbol prefix (ETC, ETH, EUR), then symbol substring (META), then name substring (Apple,
    // Japanese Yen); alphabetical within each rank.
    QTest::newRow("ranks in order")
        << u"E"_s << QStringList{u"ETC-USD"_s, u"ETH-USD"_s, u"EUR-USD"_s,
                                 u"META"_s,    u"AAPL"_s,    u"USD-JPY"_s};
    QTest::newRow("name word prefix") << u"corp"_s << QStringList{u"MSFT"_s, u"NVDA"_s};
    QTest::newRow("symbol prefix, then name, then substring")
        << u"usd"_s << QStringList{u"USD-JPY"_s, u"BTC-USD"_s, u"ETC-USD"_s,
                                   u"ETH-USD"_s, u"EUR-USD"_s, u"SOL-USD"_s};
    QTest::newRow("name with spaces") << u"us dollar"_s << QStringList{u"USD-JPY"_s, u"EUR-USD"_s};
    QTest::newRow("trimmed") << u"  aapl "_s << QStringList{u"AAPL"_s};
    QTest::newRow("no match") << u"zzz"_s << QStringList{};
}

void tst_SymbolSearchModel::ranking()
{
    QFETCH(QString, query);
    QFETCH(QStringList, expected);
    SymbolSearchModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setInstruments(instruments());
    model.setQuery(query);
    QCOMPARE(rows(model), expected);
}

void tst_SymbolSearchModel::limitsResults()
{
    SymbolSearchModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setInstruments(instruments());
    model.setMaxResults(3);
    QCOMPARE(model.count(), 3);
    QCOMPARE(rows(model), (QStringList{u"AAPL"_s, u"BTC-USD"_s, u"ETC-USD"_s}));
    model.setMaxResults(0); // clamped to 1
    QCOMPARE(model.maxResults(), 1);
    QCOMPARE(model.count(), 1);
}

void tst_SymbolSearchModel::rolesAndSignals()
{
    SymbolSearchModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy query(&model, &SymbolSearchModel::queryChanged);
    QSignalSpy count(&model, &SymbolSearchModel::countChanged);
    model.setInstruments(instruments());
    QCOMPARE(count.count(), 1);
    model.setQuery(u"apple"_s);
    model.setQuery(u"apple"_s); // same: no signal
    QCOMPARE(query.count(), 1);
    QCOMPARE(count.count(), 2);
    const QModelIndex first = model.index(0, 0);
    QCOMPARE(first.data(SymbolSearchModel::SymbolRole).toString(), u"AAPL"_s);
    QCOMPARE(first.data(SymbolSearchModel::NameRole).toString(), u"Apple Inc."_s);
    QCOMPARE(first.data(SymbolSearchModel::BaseRole).toString(), u"AAPL"_s);
    QCOMPARE(first.data(Qt::DisplayRole).toString(), u"AAPL"_s);
    QCOMPARE(model.symbolAt(0), u"AAPL"_s);
    QCOMPARE(model.symbolAt(1), QString());
    QCOMPARE(model.roleNames().value(SymbolSearchModel::NameRole), QByteArray("name"));
}

void tst_SymbolSearchModel::newInstrumentsRerunTheQuery()
{
    SymbolSearchModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setQuery(u"doge"_s);
    QCOMPARE(model.count(), 0);
    QList<InstrumentInfo> more = instruments();
    more << instrument(u"DOGE-USD"_s, u"Dogecoin"_s);
    model.setInstruments(more);
    QCOMPARE(model.instrumentCount(), 11);
    QCOMPARE(rows(model), QStringList{u"DOGE-USD"_s});
}

QTEST_GUILESS_MAIN(tst_SymbolSearchModel)
#include "tst_symbolsearchmodel.moc"
