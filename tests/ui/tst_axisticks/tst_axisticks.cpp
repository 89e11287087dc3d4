// The chart axes' ticks: round times for the visible span in a given zone, labelled for the
// step, and round 1/2/5 × 10^n price steps not finer than the instrument's decimals.
#include "ui/axisticks.h"

#include <QtCore/QDateTime>
#include <QtCore/QTimeZone>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using tickwire::ui::priceAxisStep;
using tickwire::ui::timeAxisTicks;

namespace {

constexpr qint64 Second = 1000;
constexpr qint64 Minute = 60 * Second;
constexpr qint64 Hour = 60 * Minute;
constexpr qint64 Day = 24 * Hour;

// 2026-12-06 00:00 UTC.
const qint64 Dec6 =
    QDateTime(QDate(2026, 12, 6), QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();

qint64 at(int day, int hour, int minute, int second = 0)
{
    return Dec6 + (day - 6) * Day + hour * Hour + minute * Minute + second * Second;
}

} // namespace

class tst_AxisTicks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void timeTicks_data();
    void timeTicks();
    void wallClockOfTheZone();
    void noTicksForABadRange();
    void priceStep_data();
    void priceStep();
};

void tst_AxisTicks::timeTicks_data()
{
    QTest::addColumn<qint64>("min");
    QTest::addColumn<qint64>("max");
    QTest::addColumn<int>("maxLabels");
    QTest::addColumn<qint64>("step");
    QTest::addColumn<QStringList>("labels");

    // The first-run grab: two hours of 1m candles (20:37 … 22:38).
    QTest::newRow("2h of 1m candles, 8 labels")
        << at(6, 20, 37) << at(6, 22, 38) << 8 << 15 * Minute
        << QStringList{u"20:45"_s, u"21:00"_s, u"21:15"_s, u"21:30"_s,
                       u"21:45"_s, u"22:00"_s, u"22:15"_s, u"22:30"_s};
    QTest::newRow("2h of 1m candles, 6 labels")
        << at(6, 20, 37) << at(6, 22, 38) << 6 << 30 * Minute
        << QStringList{u"21:00"_s, u"21:30"_s, u"22:00"_s, u"22:30"_s};
    QTest::newRow("2 min of 1s candles")
        << at(6, 22, 36, 7) << at(6, 22, 38, 9) << 6 << 30 * Second
        << QStringList{u"22:36:30"_s, u"22:37:00"_s, u"22:37:30"_s, u"22:38:00"_s};
    QTest::newRow("20 s") << at(6, 10, 0, 3) << at(6, 10, 0, 23) << 8 << 5 * Second
                          << QStringList{u"10:00:05"_s, u"10:00:10"_s, u"10:00:15"_s,
                                         u"10:00:20"_s};
    QTest::newRow("ticks on both ends")
        << at(6, 10, 0) << at(6, 10, 10) << 6 << 2 * Minute
        << QStringList{u"10:00"_s, u"10:02"_s, u"10:04"_s, u"10:06"_s, u"10:08"_s, u"10:10"_s};
    QTest::newRow("10 h of 5m candles")
        << at(6, 8, 55) << at(6, 18, 5) << 8 << 2 * Hour
        << QStringList{u"10:00"_s, u"12:00"_s, u"14:00"_s, u"16:00"_s, u"18:00"_s};
    QTest::newRow("15 h, 3 h steps")
        << at(6, 4, 10) << at(6, 19, 40) << 6 << 3 * Hour
        << QStringList{u"06:00"_s, u"09:00"_s, u"12:00"_s, u"15:00"_s, u"18:00"_s};
    // Across midnight: the midnight tick shows the new day's date.
    QTest::newRow("across midnight") << at(6, 21, 50) << at(7, 1, 10) << 8 << 30 * Minute
                                     << QStringList{u"22:00"_s,  u"22:30"_s, u"23:00"_s, u"23:30"_s,
                                                    u"07 Dec"_s, u"00:30"_s, u"01:00"_s};
    // Two days of 15m candles: hour steps name their day, so no two labels are alike.
    QTest::newRow("two days, 6 h steps")
        << at(6, 1, 0) << at(7, 23, 0) << 8 << 6 * Hour
        << QStringList{u"06 Dec 06:00"_s, u"06 Dec 12:00"_s, u"06 Dec 18:00"_s, u"07 Dec"_s,
                       u"07 Dec 06:00"_s, u"07 Dec 12:00"_s, u"07 Dec 18:00"_s};
    QTest::newRow("five days of 1h candles")
        << at(6, 10, 0) << at(11, 10, 0) << 8 << Day
        << QStringList{u"07 Dec"_s, u"08 Dec"_s, u"09 Dec"_s, u"10 Dec"_s, u"11 Dec"_s};
    QTest::newRow("three weeks") << at(1, 0, 0) + 1 << at(21, 0, 0) << 8 << 5 * Day
                                 << QStringList{};
}

void tst_AxisTicks::timeTicks()
{
    QFETCH(qint64, min);
    QFETCH(qint64, max);
    QFETCH(int, maxLabels);
    QFETCH(qint64, step);
    QFETCH(QStringList, labels);

    const auto ticks = timeAxisTicks(min, max, maxLabels, QTimeZone::utc(), QLocale::c());
    QCOMPARE(ticks.stepMs, step);
    QVERIFY(!ticks.ticks.isEmpty());
    QVERIFY(ticks.ticks.size() <= maxLabels);
    for (qsizetype i = 0; i < ticks.ticks.size(); ++i) {
        const qint64 t = ticks.ticks.at(i).time;
        QVERIFY2(t >= min && t <= max, qPrintable(QString::number(t)));
        if (i > 0)
            QCOMPARE(t - ticks.ticks.at(i - 1).time, step);
    }
    // The steps below a day and every day step count from the epoch in UTC.
    QCOMPARE(ticks.ticks.first().time % (step < Day ? step : Day), 0);
    QVERIFY(ticks.ticks.first().time - step < min);
    QVERIFY(ticks.ticks.last().time + step > max);
    if (!labels.isEmpty()) {
        QStringList got;
        for (const auto &tick : ticks.ticks)
            got.append(tick.label);
        QCOMPARE(got, labels);
    }
}

// Round times are round on the zone's clock: at UTC+05:30, the hours fall on UTC half hours.
void tst_AxisTicks::wallClockOfTheZone()
{
    const QTimeZone india(5 * 3600 + 1800);
    const auto ticks = timeAxisTicks(at(6, 0, 0), at(6, 5, 0), 6, india, QLocale::c());
    QCOMPARE(ticks.stepMs, Hour);
    QCOMPARE(ticks.ticks.size(), 5);
    QCOMPARE(ticks.ticks.first().time, at(6, 0, 30));
    QCOMPARE(ticks.ticks.first().label, u"06:00"_s);
    QCOMPARE(ticks.ticks.last().time, at(6, 4, 30));
    QCOMPARE(ticks.ticks.last().label, u"10:00"_s);
}

void tst_AxisTicks::noTicksForABadRange()
{
    const QTimeZone utc = QTimeZone::utc();
    QCOMPARE(timeAxisTicks(at(6, 1, 0), at(6, 1, 0), 8, utc, QLocale::c()).ticks.size(), 0);
    QCOMPARE(timeAxisTicks(at(6, 2, 0), at(6, 1, 0), 8, utc, QLocale::c()).stepMs, 0);
    QCOMPARE(timeAxisTicks(at(6, 1, 0), at(6, 2, 0), 0, utc, QLocale::c()).ticks.size(), 0);
    QCOMPARE(timeAxisTicks(at(6, 1, 0), at(6, 2, 0), 8, QTimeZone(), QLocale::c()).stepMs, 0);
    QCOMPARE(priceAxisStep(10, 10, 7, 2), 0.0);
    QCOMPARE(priceAxisStep(11, 10, 7, 2), 0.0);
    QCOMPARE(priceAxisStep(10, 11, 0, 2), 0.0);
}

void tst_AxisTicks::priceStep_data()
{
    QTest::addColumn<double>("min");
    QTest::addColumn<double>("max");
    QTest::addColumn<int>("maxTicks");
    QTest::addColumn<int>("decimals");
    QTest::addColumn<double>("step");

    // The first-run grab's BTC range (63600.0 … 64400.2).
    QTest::newRow("BTC 800") << 63600.0 << 64400.2 << 7 << 2 << 200.0;
    QTest::newRow("BTC 300") << 63990.0 << 64290.0 << 7 << 2 << 50.0;
    QTest::newRow("exactly 7 multiples") << 0.0 << 60.0 << 7 << 2 << 10.0;
    QTest::newRow("one more than 7") << 0.0 << 70.0 << 7 << 2 << 20.0;
    QTest::newRow("FX 5 decimals") << 1.08401 << 1.08498 << 7 << 5 << 0.0002;
    QTest::newRow("EUR small") << 1.084 << 1.0841 << 7 << 5 << 0.00002;
    // Never finer than the instrument's tick: a 0.3 range at 0 decimals.
    QTest::newRow("whole numbers") << 100.1 << 100.4 << 7 << 0 << 1.0;
    QTest::newRow("cents floor") << 10.001 << 10.009 << 7 << 2 << 0.01;
    QTest::newRow("negative") << -3.0 << 4.0 << 6 << 2 << 2.0;
}

void tst_AxisTicks::priceStep()
{
    QFETCH(double, min);
    QFETCH(double, max);
    QFETCH(int, maxTicks);
    QFETCH(int, decimals);
    QFETCH(double, step);
    QCOMPARE(priceAxisStep(min, max, maxTicks, decimals), step);
}

QTEST_APPLESS_MAIN(tst_AxisTicks)
#include "tst_axisticks.moc"
