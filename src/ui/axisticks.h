#pragma once

#include <QtCore/QList>
#include <QtCore/QLocale>
#include <QtCore/QString>
#include <QtCore/QTimeZone>

namespace tickwire::ui {

struct TimeTick
{
    qint64 time = 0; // ms since the epoch
    QString label;
    bool operator==(const TimeTick &) const = default;
};

struct TimeTicks
{
    qint64 stepMs = 0; // 0 when there are no ticks (an empty or inverted range, no room)
    QList<TimeTick> ticks;
};

// Ticks at round wall-clock times in `zone` within [minMs, maxMs]: the smallest step of
// 1/2/5/10/15/30 s, 1/2/5/10/15/30 min, 1/2/3/6/12 h, 1/2/5/10 days that gives at most
// maxLabels ticks (the largest step when none does). Labels: "hh:mm:ss" for second steps,
// "hh:mm" for minute and hour steps, "dd MMM hh:mm" when the range spans a day or more (so no
// two labels are alike), "dd MMM" for day steps and for a tick at midnight.
[[nodiscard]] TimeTicks timeAxisTicks(qint64 minMs, qint64 maxMs, int maxLabels,
                                      const QTimeZone &zone, const QLocale &locale);

// The 1, 2 or 5 × 10^n price step, not finer than 10^-decimals, that puts at most maxTicks
// multiples of itself in [min, max]; 0 for an empty or inverted range or maxTicks < 1.
[[nodiscard]] double priceAxisStep(double min, double max, int maxTicks, int decimals);

} // namespace tickwire::ui
