#include "../marketfixtures.h"
#include "market/candlemodel.h"
#include "market/chartindicators.h"
#include "market/indicators.h"

#include <QtCore/QRandomGenerator>
#include <QtTest/QAbstractItemModelTester>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace tickwire;
using namespace tickwire::market;
using namespace tickwire::market::test;

namespace {

// A table cell the source gives no value for ("?").
constexpr double NotGiven = std::numeric_limits<double>::infinity();

constexpr std::int64_t Hour = 3'600'000;
const QString Symbol = u"BTC-USD"_s;

// A reference table: tests/data/market/indicators/*.txt (comments, `indicator:`, `tolerance:`,
// `columns:`, then one row per candle; "-" where the indicator has no value, "?" where the
// source gives none: not compared).
struct Table
{
    IndicatorSpec spec;
    double tolerance = 0;
    std::vector<IndicatorCandle> candles;
    std::vector<IndicatorValues> expected;
    QString source;
};

Table readTable(const QString &name)
{
    QFile file(QStringLiteral(TICKWIRE_TEST_DATA_DIR "/market/indicators/") + name);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        qFatal("cannot open %s", qPrintable(file.fileName()));
    Table table;
    QStringList columns;
    int line = 0;
    while (!file.atEnd()) {
        ++line;
        const QString text = QString::fromUtf8(file.readLine()).trimmed();
        if (text.isEmpty())
            continue;
        if (text.startsWith(u'#')) {
            const QString body = text.mid(1).trimmed();
            if (body.startsWith("indicator:"_L1)) {
                auto parsed = IndicatorSpec::parse(QStringView(body).mid(10));
                if (!std::holds_alternative<IndicatorSpec>(parsed))
                    qFatal("%s: bad indicator", qPrintable(name));
                table.spec = std::get<IndicatorSpec>(parsed);
            } else if (body.startsWith("tolerance:"_L1)) {
                table.tolerance = body.mid(10).trimmed().toDouble();
            } else if (body.startsWith("columns:"_L1)) {
                columns = body.mid(8).split(u' ', Qt::SkipEmptyParts);
            } else if (body.startsWith("source:"_L1) || body.startsWith("url:"_L1)) {
                table.source += body + u' ';
            }
            continue;
        }
        const QStringList cells = text.split(u' ', Qt::SkipEmptyParts);
        if (cells.size() != columns.size())
            qFatal("%s:%d: %lld cells for %lld columns", qPrintable(name), line,
                   qlonglong(cells.size()), qlonglong(columns.size()));
        IndicatorCandle candle;
        candle.t = qint64(table.candles.size()) * 60'000; // one session (one UTC day)
        candle.volume = 1;
        IndicatorValues expected{NoValue, NoValue, NoValue};
        for (qsizetype i = 0; i < cells.size(); ++i) {
            const double value = cells[i] == "-"_L1   ? NoValue
                                 : cells[i] == "?"_L1 ? NotGiven
                                                      : cells[i].toDouble();
            const QString &column = columns[i];
            if (column == "close"_L1)
                candle.close = value;
            else if (column == "high"_L1)
                candle.high = value;
            else if (column == "low"_L1)
                candle.low = value;
            else if (column == "volume"_L1)
                candle.volume = value;
            else if (column.startsWith("out"_L1))
                expected[std::size_t(column.mid(3).toInt())] = value;
        }
        if (!columns.contains("high"_L1))
            candle.high = candle.low = candle.close;
        table.candles.push_back(candle);
        table.expected.push_back(expected);
    }
    if (table.tolerance <= 0 || table.candles.empty() || table.source.isEmpty())
        qFatal("%s: a table needs a tolerance, rows and its source", qPrintable(name));
    return table;
}

// The definitions, computed from scratch over the whole series: what the incremental engines
// must agree with.
std::vector<IndicatorValues> naive(const IndicatorSpec &spec, const std::vector<IndicatorCandle> &c)
{
    const std::size_t n = c.size();
    std::vector<IndicatorValues> out(n, IndicatorValues{NoValue, NoValue, NoValue});
    auto ema = [](const std::vector<double> &x, std::size_t from, int period) {
        std::vector<double> e(x.size(), NoValue);
        const double alpha = 2.0 / (period + 1);
        for (std::size_t i = from + std::size_t(period) - 1; i < x.size(); ++i) {
            if (i == from + std::size_t(period) - 1) {
                double sum = 0;
                for (std::size_t j = from; j <= i; ++j)
                    sum += x[j];
                e[i] = sum / period;
            } else {
                e[i] = e[i - 1] + alpha * (x[i] - e[i - 1]);
            }
        }
        return e;
    };
    std::vector<double> closes;
    for (const IndicatorCandle &candle : c)
        closes.push_back(candle.close);
    const auto p = std::size_t(spec.period);
    switch (spec.kind) {
    case IndicatorKind::Sma:
    case IndicatorKind::Bollinger:
        for (std::size_t i = p - 1; i < n; ++i) {
            double sum = 0;
            for (std::size_t j = i + 1 - p; j <= i; ++j)
                sum += closes[j];
            const double mean = sum / double(p);
            double squares = 0;
            for (std::size_t j = i + 1 - p; j <= i; ++j)
                squares += (closes[j] - mean) * (closes[j] - mean);
            const double sigma = std::sqrt(squares / double(p));
            out[i] = {mean, NoValue, NoValue};
            if (spec.kind == IndicatorKind::Bollinger)
                out[i] = {mean, mean + spec.k * sigma, mean - spec.k * sigma};
        }
        break;
    case IndicatorKind::Ema: {
        const std::vector<double> e = ema(closes, 0, spec.period);
        for (std::size_t i = 0; i < n; ++i)
            out[i][0] = e[i];
        break;
    }
    case IndicatorKind::Macd: {
        const std::vector<double> fast = ema(closes, 0, spec.fast);
        const std::vector<double> slow = ema(closes, 0, spec.slow);
        std::vector<double> line(n, 0.0);
        for (std::size_t i = 0; i < n; ++i)
            line[i] = fast[i] - slow[i];
        const std::size_t first = std::size_t(std::max(spec.fast, spec.slow)) - 1;
        const std::vector<double> signal = ema(line, first, spec.signal);
        for (std::size_t i = first; i < n; ++i)
            out[i] = {line[i], signal[i], line[i] - signal[i]};
        break;
    }
    case IndicatorKind::Rsi: {
        double gain = 0;
        double loss = 0;
        for (std::size_t i = 1; i < n; ++i) {
            const double change = closes[i] - closes[i - 1];
            const double g = std::max(0.0, change);
            const double l = std::max(0.0, -change);
            if (i < p) {
                gain += g;
                loss += l;
                continue;
            }
            if (i == p) {
                gain = (gain + g) / double(p);
                loss = (loss + l) / double(p);
            } else {
                gain = (gain * double(p - 1) + g) / double(p);
                loss = (loss * double(p - 1) + l) / double(p);
            }
            out[i][0] = gain + loss > 0 ? 100 - 100 / (1 + gain / loss) : 50;
            if (loss == 0 && gain > 0)
                out[i][0] = 100;
        }
        break;
    }
    case IndicatorKind::Vwap:
        for (std::size_t i = 0; i < n; ++i) {
            std::size_t start = i;
            while (start > 0 && utcDay(c[start - 1].t) == utcDay(c[i].t))
                --start;
            double pv = 0;
            double v = 0;
            for (std::size_t j = start; j <= i; ++j) {
                pv += (c[j].high + c[j].low + c[j].close) / 3 * c[j].volume;
                v += c[j].volume;
            }
            if (v > 0)
                out[i][0] = pv / v;
        }
        break;
    }
    return out;
}

bool near(double actual, double expected, double tolerance)
{
    if (expected == NotGiven)
        return true;
    if (std::isnan(expected) || std::isnan(actual))
        return std::isnan(expected) && std::isnan(actual);
    return std::abs(actual - expected) <= tolerance;
}

QString describe(const IndicatorValues &v)
{
    return u"{%1, %2, %3}"_s.arg(v[0], 0, 'g', 17).arg(v[1], 0, 'g', 17).arg(v[2], 0, 'g', 17);
}

Decimal price(double value)
{
    return d(QByteArray::number(value, 'f', 2).constData());
}

protocol::Candle wireCandle(std::int64_t t, const IndicatorCandle &c, double open)
{
    protocol::Candle k;
    k.symbol = Symbol;
    k.interval = protocol::CandleInterval::H1;
    k.t = t;
    k.o = price(open);
    k.h = price(c.high);
    k.l = price(c.low);
    k.c = price(c.close);
    k.v = d(QByteArray::number(c.volume, 'f', 3).constData());
    return k;
}

// What the model holds as doubles (the wire candle's exact decimals).
IndicatorCandle exact(const protocol::Candle &k)
{
    return {qint64(k.t), k.h.toDouble(), k.l.toDouble(), k.c.toDouble(), k.v.toDouble()};
}

} // namespace

class tst_Indicators : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void referenceTables_data();
    void referenceTables();
    void specs_data();
    void specs();
    void incrementalMatchesNaive_data();
    void incrementalMatchesNaive();
    void modelRowsAndParameters();
    void openCandleRecomputesOnlyItsPoint();
};

void tst_Indicators::referenceTables_data()
{
    QTest::addColumn<QString>("file");
    for (const char *name :
         {"sma.txt", "ema.txt", "bollinger.txt", "rsi.txt", "vwap.txt", "macd.txt"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void tst_Indicators::referenceTables()
{
    QFETCH(QString, file);
    const Table table = readTable(file);
    IndicatorEngine engine(table.spec);
    int compared = 0;
    for (std::size_t i = 0; i < table.candles.size(); ++i) {
        // The open candle's point (peek) is the one the candle gets once closed (push).
        const IndicatorValues peeked = engine.peek(table.candles[i]);
        const IndicatorValues pushed = engine.push(table.candles[i]);
        for (std::size_t k = 0; k < 3; ++k) {
            QVERIFY2(near(peeked[k], pushed[k], 0), qPrintable(u"row %1"_s.arg(i)));
            const double expected = table.expected[i][k];
            if (k >= std::size_t(table.spec.outputCount()))
                continue;
            QVERIFY2(near(pushed[k], expected, table.tolerance),
                     qPrintable(u"%1 row %2 output %3: %4, table %5 (%6)"_s.arg(file)
                                    .arg(i)
                                    .arg(k)
                                    .arg(pushed[k], 0, 'g', 17)
                                    .arg(expected, 0, 'g', 17)
                                    .arg(table.source)));
            if (!std::isnan(expected) && expected != NotGiven)
                ++compared;
        }
        // The naive definition agrees with the table too (the test's own reference is right).
    }
    const std::vector<IndicatorValues> reference = naive(table.spec, table.candles);
    for (std::size_t i = 0; i < table.candles.size(); ++i) {
        for (std::size_t k = 0; k < std::size_t(table.spec.outputCount()); ++k)
            QVERIFY(near(reference[i][k], table.expected[i][k], table.tolerance));
    }
    QVERIFY(compared > 0);
}

void tst_Indicators::specs_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("canonical"); // empty: refused
    QTest::newRow("sma") << u"sma 20"_s << u"sma 20"_s;
    QTest::newRow("case and spaces") << u"  EMA   9 "_s << u"ema 9"_s;
    QTest::newRow("bollinger") << u"bollinger 20 2.5"_s << u"bollinger 20 2.5"_s;
    QTest::newRow("macd") << u"macd 12 26 9"_s << u"macd 12 26 9"_s;
    QTest::newRow("vwap") << u"vwap"_s << u"vwap"_s;
    QTest::newRow("rsi") << u"rsi 14"_s << u"rsi 14"_s;
    QTest::newRow("unknown") << u"kama 10"_s << QString();
    QTest::newRow("empty") << u""_s << QString();
    QTest::newRow("zero period") << u"sma 0"_s << QString();
    QTest::newRow("huge period") << u"sma 501"_s << QString();
    QTest::newRow("fractional period") << u"rsi 14.5"_s << QString();
    QTest::newRow("missing k") << u"bollinger 20"_s << QString();
    QTest::newRow("k zero") << u"bollinger 20 0"_s << QString();
    QTest::newRow("fast not faster") << u"macd 26 12 9"_s << QString();
    QTest::newRow("not a number") << u"ema x"_s << QString();
    QTest::newRow("vwap with a period") << u"vwap 5"_s << QString();
}

void tst_Indicators::specs()
{
    QFETCH(QString, text);
    QFETCH(QString, canonical);
    const auto parsed = IndicatorSpec::parse(text);
    if (canonical.isEmpty()) {
        QVERIFY(std::holds_alternative<QString>(parsed));
        QVERIFY(!std::get<QString>(parsed).isEmpty());
        return;
    }
    QVERIFY2(std::holds_alternative<IndicatorSpec>(parsed),
             qPrintable(std::holds_alternative<QString>(parsed) ? std::get<QString>(parsed)
                                                                : QString()));
    QCOMPARE(std::get<IndicatorSpec>(parsed).toString(), canonical);
}

void tst_Indicators::incrementalMatchesNaive_data()
{
    QTest::addColumn<quint32>("seed");
    for (quint32 seed : {1u, 2u, 3u, 17u, 2024u, 99991u})
        QTest::newRow(qPrintable(u"seed %1"_s.arg(seed))) << seed;
}

// Random candle series through a bounded CandleModel: open-candle updates, appends (several per
// flush sometimes, crossing UTC midnight for VWAP), flushes, resnapshots, another interval. After
// every flush each indicator's points equal the definitions computed over every candle since the
// last reset.
void tst_Indicators::incrementalMatchesNaive()
{
    QFETCH(quint32, seed);
    QRandomGenerator random(seed);
    InstrumentTable instruments;
    instruments.setInstruments({instrument(Symbol, "0.01", "0.001")});
    constexpr int Capacity = 120;
    CandleModel candles(&instruments, Capacity);
    candles.setSeries(Symbol, protocol::CandleInterval::H1);
    ChartIndicators indicators;
    QAbstractItemModelTester tester(&indicators,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    indicators.setCandles(&candles);
    indicators.setSpecs({u"sma 7"_s, u"ema 5"_s, u"vwap"_s, u"bollinger 10 2"_s, u"rsi 6"_s,
                         u"macd 4 9 3"_s, u"sma 1"_s, u"rsi 1"_s, u"sma 20"_s});
    QCOMPARE(indicators.rowCount(), 9);

    std::vector<protocol::Candle> stream; // every candle since the last reset, latest values
    // Where each indicator starts in the stream: a parameter change recomputes it over the rows
    // the model has then.
    std::vector<std::size_t> starts(std::size_t(indicators.rowCount()), 0);
    int pending = 0; // candles appended since the last flush
    std::int64_t t = 1'700'000'000'000 / Hour * Hour;
    double last = 100;
    auto nextCandle = [&](std::int64_t time) {
        const double open = last;
        IndicatorCandle c;
        c.close = std::max(1.0, open + (random.generateDouble() - 0.5) * 4);
        c.high = std::max(open, c.close) + random.generateDouble();
        c.low = std::max(0.5, std::min(open, c.close) - random.generateDouble());
        // Some candles without volume: VWAP over a session without volume has no value.
        c.volume = random.bounded(8) == 0 ? 0 : random.generateDouble() * 10;
        last = c.close;
        return wireCandle(time, c, open);
    };
    auto check = [&](int step) {
        const int rows = candles.rowCount();
        for (int row = 0; row < indicators.rowCount(); ++row) {
            const std::size_t start = starts[std::size_t(row)];
            std::vector<IndicatorCandle> series;
            for (std::size_t i = start; i < stream.size(); ++i)
                series.push_back(exact(stream[i]));
            const std::size_t offset = series.size() - std::size_t(rows);
            const IndicatorSpec spec = indicators.spec(row);
            const std::vector<IndicatorValues> reference = naive(spec, series);
            const auto &points = indicators.points(row);
            QCOMPARE(int(points.size()), rows);
            for (int i = 0; i < rows; ++i) {
                const IndicatorValues &expected = reference[offset + std::size_t(i)];
                QCOMPARE(points[std::size_t(i)].t, qint64(series[offset + std::size_t(i)].t));
                for (std::size_t k = 0; k < 3; ++k) {
                    const double scale = std::max(1.0, std::abs(expected[k]));
                    if (!near(points[std::size_t(i)].values[k], expected[k], 1e-9 * scale)) {
                        QFAIL(qPrintable(u"step %1 %2 row %3: %4, naive %5"_s.arg(step)
                                             .arg(spec.toString())
                                             .arg(i)
                                             .arg(describe(points[std::size_t(i)].values))
                                             .arg(describe(expected))));
                    }
                }
            }
        }
    };
    auto resnapshot = [&](int count) {
        stream.clear();
        std::fill(starts.begin(), starts.end(), 0);
        pending = 0;
        protocol::CandlesSnapshot snapshot{Symbol, protocol::CandleInterval::H1, {}};
        for (int i = 0; i < count; ++i) {
            t += Hour;
            snapshot.candles.append(nextCandle(t));
        }
        candles.applySnapshot(snapshot);
        // The model keeps the newest Capacity: the indicators start from those.
        const qsizetype first = std::max<qsizetype>(0, snapshot.candles.size() - Capacity);
        stream.assign(snapshot.candles.begin() + first, snapshot.candles.end());
    };

    resnapshot(int(random.bounded(60)));
    check(0);
    for (int step = 1; step <= 1500; ++step) {
        const quint32 what = random.bounded(100);
        if (what < 55 && !stream.empty()) {
            // The open candle changes (its close moves; high/low follow).
            protocol::Candle k = stream.back();
            IndicatorCandle c = exact(k);
            c.close = std::max(1.0, c.close + (random.generateDouble() - 0.5));
            c.high = std::max(c.high, c.close);
            c.low = std::min(c.low, c.close);
            c.volume += random.generateDouble();
            k = wireCandle(k.t, c, k.o.toDouble());
            last = c.close;
            QVERIFY(!candles.applyCandle(k).has_value());
            stream.back() = k;
        } else if (what < 90) {
            // New candles (1 to 3 before a flush), an hour apart: days change every 24.
            const int count = 1 + int(random.bounded(3));
            for (int i = 0; i < count; ++i) {
                t += Hour;
                const protocol::Candle k = nextCandle(t);
                QVERIFY(!candles.applyCandle(k).has_value());
                stream.push_back(k);
                ++pending;
            }
        } else if (what < 95) {
            candles.flush();
            resnapshot(int(random.bounded(200)));
        } else if (what < 97) {
            // Another interval and back: two resets, empty then the new snapshot.
            candles.setSeries(Symbol, protocol::CandleInterval::M1);
            QCOMPARE(indicators.points(0).size(), std::size_t(0));
            candles.setSeries(Symbol, protocol::CandleInterval::H1);
            stream.clear();
            std::fill(starts.begin(), starts.end(), 0);
            pending = 0;
            check(step);
            resnapshot(int(random.bounded(150)));
        } else {
            // Parameters change: that indicator is recomputed over the rows.
            const int row = int(random.bounded(quint32(indicators.rowCount())));
            const IndicatorSpec before = indicators.spec(row);
            if (indicators.spec(row).kind == IndicatorKind::Macd)
                QCOMPARE(indicators.setParameter(row, u"signal"_s, 1 + random.bounded(6)),
                         QString());
            else if (indicators.spec(row).kind != IndicatorKind::Vwap)
                QCOMPARE(indicators.setParameter(row, u"period"_s, 1 + random.bounded(15)),
                         QString());
            if (!(indicators.spec(row) == before))
                starts[std::size_t(row)] =
                    stream.size() - std::size_t(pending + candles.rowCount());
        }
        if (random.bounded(3) == 0 || step == 1500) {
            candles.flush();
            pending = 0;
            // The model drops its oldest rows beyond capacity; the stream keeps them, since the
            // indicators are over every candle since the reset.
            check(step);
            if (QTest::currentTestFailed())
                return;
        }
    }
}

void tst_Indicators::modelRowsAndParameters()
{
    ChartIndicators indicators;
    QAbstractItemModelTester tester(&indicators,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy specsChanged(&indicators, &ChartIndicators::specsChanged);
    QSignalSpy problems(&indicators, &ChartIndicators::problem);

    QCOMPARE(indicators.add(u"sma"_s), 0);
    QCOMPARE(indicators.add(u"bollinger"_s), 1);
    QCOMPARE(indicators.add(u"sma"_s), 2); // the same kind twice
    QCOMPARE(indicators.add(u"nonsense"_s), -1);
    QCOMPARE(indicators.specs(), (QStringList{u"sma 20"_s, u"bollinger 20 2"_s, u"sma 20"_s}));
    QCOMPARE(specsChanged.size(), 3);

    QCOMPARE(indicators.setParameter(2, u"period"_s, 50), QString());
    QCOMPARE(indicators.data(indicators.index(2), ChartIndicators::LabelRole).toString(),
             u"SMA 50"_s);
    QVERIFY(!indicators.setParameter(2, u"period"_s, 0).isEmpty());
    QVERIFY(!indicators.setParameter(2, u"period"_s, 2.5).isEmpty());
    QVERIFY(!indicators.setParameter(1, u"k"_s, -1).isEmpty());
    QVERIFY(!indicators.setParameter(1, u"colour"_s, 1).isEmpty());
    QVERIFY(!indicators.setParameter(7, u"period"_s, 5).isEmpty());
    QCOMPARE(indicators.setParameter(1, u"k"_s, 2.5), QString());
    QCOMPARE(indicators.specs(), (QStringList{u"sma 20"_s, u"bollinger 20 2.5"_s, u"sma 50"_s}));
    QCOMPARE(indicators.data(indicators.index(1), ChartIndicators::OwnPaneRole).toBool(), false);

    indicators.remove(0);
    QCOMPARE(indicators.specs(), (QStringList{u"bollinger 20 2.5"_s, u"sma 50"_s}));

    // Settings as saved: bad entries are left out and said why, the rest restored in order.
    indicators.setSpecs({u"rsi 14"_s, u"macd 12 26 9"_s, u"sma -3"_s, u"ema 9"_s});
    QCOMPARE(indicators.specs(), (QStringList{u"rsi 14"_s, u"macd 12 26 9"_s, u"ema 9"_s}));
    QCOMPARE(problems.size(), 1);
    QVERIFY(indicators.data(indicators.index(1), ChartIndicators::OwnPaneRole).toBool());

    for (int i = indicators.rowCount(); i < ChartIndicators::MaxIndicators; ++i)
        QVERIFY(indicators.add(u"ema"_s) >= 0);
    QCOMPARE(indicators.add(u"ema"_s), -1);
}

void tst_Indicators::openCandleRecomputesOnlyItsPoint()
{
    InstrumentTable instruments;
    instruments.setInstruments({instrument(Symbol, "0.01", "0.001")});
    CandleModel candles(&instruments, 50);
    candles.setSeries(Symbol, protocol::CandleInterval::H1);
    ChartIndicators indicators;
    indicators.setCandles(&candles);
    indicators.setSpecs({u"sma 3"_s});
    protocol::CandlesSnapshot snapshot{Symbol, protocol::CandleInterval::H1, {}};
    for (int i = 0; i < 5; ++i)
        snapshot.candles.append(wireCandle(i * Hour, {0, 10.0 + i, 10.0 + i, 10.0 + i, 1}, 10));
    candles.applySnapshot(snapshot);
    QSignalSpy points(&indicators, &ChartIndicators::pointsChanged);
    const quint64 revision = indicators.historyRevision();

    // The open candle (row 4) moves: one signal, history untouched, its point from the closed ones.
    QVERIFY(!candles.applyCandle(wireCandle(4 * Hour, {0, 20, 20, 20, 1}, 10)).has_value());
    candles.flush();
    QCOMPARE(points.size(), 1);
    QCOMPARE(points.takeFirst().at(0).toBool(), false);
    QCOMPARE(indicators.historyRevision(), revision);
    QCOMPARE(indicators.points(0).back().values[0], (12.0 + 13.0 + 20.0) / 3);
    QCOMPARE(indicators.points(0)[3].values[0], 12.0);

    // A new candle: the open one is closed with its last values.
    QVERIFY(!candles.applyCandle(wireCandle(5 * Hour, {0, 30, 30, 30, 1}, 20)).has_value());
    candles.flush();
    QCOMPARE(points.size(), 1);
    QCOMPARE(points.takeFirst().at(0).toBool(), true);
    QVERIFY(indicators.historyRevision() != revision);
    QCOMPARE(indicators.points(0).size(), std::size_t(6));
    QCOMPARE(indicators.points(0).back().values[0], (13.0 + 20.0 + 30.0) / 3);
}

QTEST_GUILESS_MAIN(tst_Indicators)
#include "tst_indicators.moc"
