#include "ui/axisticks.h"

#include <QtCore/QDateTime>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace tickwire::ui {

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 Second = 1000;
constexpr qint64 Minute = 60 * Second;
constexpr qint64 Hour = 60 * Minute;
constexpr qint64 Day = 24 * Hour;

// Every step below a day divides a day, so a wall-clock multiple of it is a round time of day.
constexpr std::array<qint64, 21> Steps = {
    Second,     2 * Second, 5 * Second,  10 * Second, 15 * Second, 30 * Second, Minute,
    2 * Minute, 5 * Minute, 10 * Minute, 15 * Minute, 30 * Minute, Hour,        2 * Hour,
    3 * Hour,   6 * Hour,   12 * Hour,   Day,         2 * Day,     5 * Day,     10 * Day};

qint64 floorDiv(qint64 a, qint64 b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// Wall-clock ms (ms since 1970-01-01 00:00 as read on a clock in the zone) of an instant.
qint64 wallMs(qint64 t, const QTimeZone &zone)
{
    return t + qint64(QDateTime::fromMSecsSinceEpoch(t, zone).offsetFromUtc()) * Second;
}

// The instant a wall-clock time stands for (in a DST gap, Qt moves it past the gap).
qint64 instantOf(qint64 wall, const QTimeZone &zone)
{
    const QDate date = QDate(1970, 1, 1).addDays(floorDiv(wall, Day));
    const QTime time = QTime::fromMSecsSinceStartOfDay(int(wall - floorDiv(wall, Day) * Day));
    return QDateTime(date, time, zone).toMSecsSinceEpoch();
}

// The ticks of one step, or fewer than none (maxLabels + 1 of them) when they do not fit.
QList<qint64> ticksOf(qint64 minMs, qint64 maxMs, qint64 step, int maxLabels, const QTimeZone &zone)
{
    QList<qint64> ticks;
    const auto add = [&](qint64 t) {
        if (t >= minMs && t <= maxMs && (ticks.isEmpty() || t > ticks.last()))
            ticks.append(t);
        return ticks.size() <= maxLabels;
    };
    if (step < Day) {
        const qint64 last = wallMs(maxMs, zone) + step;
        for (qint64 wall = floorDiv(wallMs(minMs, zone), step) * step; wall <= last; wall += step) {
            if (!add(instantOf(wall, zone)))
                break;
        }
        return ticks;
    }
    const qint64 days = step / Day;
    const QDate lastDate = QDateTime::fromMSecsSinceEpoch(maxMs, zone).date();
    for (QDate date = QDateTime::fromMSecsSinceEpoch(minMs, zone).date(); date <= lastDate;
         date = date.addDays(1)) {
        if (date.toJulianDay() % days == 0 && !add(date.startOfDay(zone).toMSecsSinceEpoch()))
            break;
    }
    return ticks;
}

} // namespace

TimeTicks timeAxisTicks(qint64 minMs, qint64 maxMs, int maxLabels, const QTimeZone &zone,
                        const QLocale &locale)
{
    if (maxMs <= minMs || maxLabels < 1 || !zone.isValid())
        return {};
    QList<qint64> times;
    qint64 step = 0;
    for (const qint64 candidate : Steps) {
        // Rough count first: a fine step over a long range would loop for nothing.
        if ((maxMs - minMs) / candidate > qint64(maxLabels) + 1 && candidate != Steps.back())
            continue;
        step = candidate;
        times =
            ticksOf(minMs, maxMs, candidate,
                    candidate == Steps.back() ? std::numeric_limits<int>::max() : maxLabels, zone);
        if (times.size() <= maxLabels)
            break;
    }
    const bool spansDays = maxMs - minMs >= Day;
    const QString format = step >= Day      ? u"dd MMM"_s
                           : spansDays      ? u"dd MMM hh:mm"_s
                           : step >= Minute ? u"hh:mm"_s
                                            : u"hh:mm:ss"_s;
    TimeTicks result;
    result.stepMs = times.isEmpty() ? 0 : step;
    result.ticks.reserve(times.size());
    for (const qint64 t : times) {
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(t, zone);
        const bool midnight = at.time() == QTime(0, 0);
        result.ticks.append({t, locale.toString(at, midnight ? u"dd MMM"_s : format)});
    }
    return result;
}

double priceAxisStep(double min, double max, int maxTicks, int decimals)
{
    if (!(max > min) || !std::isfinite(min) || !std::isfinite(max) || maxTicks < 1)
        return 0;
    const double finest = std::pow(10.0, -std::clamp(decimals, 0, 15));
    const auto fits = [&](double step) {
        // Multiples of step in [min, max], with a little slack for floating-point steps.
        const double count = std::floor(max / step + 1e-9) - std::ceil(min / step - 1e-9) + 1;
        return count <= maxTicks;
    };
    for (int exponent = int(std::floor(std::log10((max - min) / maxTicks))) - 1;; ++exponent) {
        const double power = std::pow(10.0, exponent);
        for (const double factor : {1.0, 2.0, 5.0}) {
            const double step = factor * power;
            if (step >= finest * (1 - 1e-9) && fits(step))
                return step;
        }
    }
}

} // namespace tickwire::ui
