#include "market/bookgrouping.h"

#include "protocol/int128.h"

#include <algorithm>

namespace tickwire::market::grouping {

namespace {

Int128 pow10(int n)
{
    Int128 p = 1;
    for (int i = 0; i < n; ++i)
        p = p * Int128(10);
    return p;
}

} // namespace

std::optional<Decimal> bucketOf(const Decimal &price, const Decimal &step, protocol::Side side)
{
    if (!step.isPositive())
        return std::nullopt;
    const int scale = std::max(price.scale(), step.scale());
    const Int128 a = Int128(price.mantissa()) * pow10(scale - price.scale());
    const Int128 b = Int128(step.mantissa()) * pow10(scale - step.scale());
    Int128 q = a / b; // truncated toward zero
    const Int128 r = a % b;
    if (r != Int128(0)) {
        // Floor for bids, ceiling for asks, whatever the sign of the price.
        if (side == protocol::Side::Buy && a < Int128(0))
            q = q - Int128(1);
        else if (side == protocol::Side::Sell && a > Int128(0))
            q = q + Int128(1);
    }
    const Int128 mantissa = q * b;
    if (mantissa > Int128(Decimal::MaxMantissa) || mantissa < Int128(-Decimal::MaxMantissa))
        return std::nullopt;
    return Decimal::fromUnits(std::int64_t(mantissa), scale);
}

QList<protocol::BookLevel> groupLevels(const QList<protocol::BookLevel> &levels,
                                       const Decimal &step, protocol::Side side)
{
    QList<protocol::BookLevel> grouped;
    grouped.reserve(levels.size());
    for (const protocol::BookLevel &level : levels) {
        const std::optional<Decimal> bucket = bucketOf(level.price, step, side);
        if (!bucket)
            continue;
        // Best first in, best first out: a level lands in the last bucket or starts the next.
        if (!grouped.isEmpty() && grouped.constLast().price == *bucket) {
            protocol::BookLevel &last = grouped.last();
            last.qty = last.qty.plus(level.qty).value_or(last.qty);
        } else {
            grouped.append({*bucket, level.qty});
        }
    }
    return grouped;
}

OwnLevels groupOwn(const OwnLevels &own, const Decimal &step, protocol::Side side)
{
    OwnLevels grouped;
    for (auto it = own.cbegin(); it != own.cend(); ++it) {
        const std::optional<Decimal> bucket = bucketOf(it.key(), step, side);
        if (!bucket)
            continue;
        Decimal &sum = grouped[*bucket];
        sum = sum.plus(it.value()).value_or(sum);
    }
    return grouped;
}

QList<int> sensibleSteps(const Decimal &tick, const Decimal &reference)
{
    QList<int> steps;
    for (const int ticks : Steps) {
        if (ticks == 1 || !reference.isPositive()) {
            steps.append(ticks);
            continue;
        }
        // ticks × tick × 100 <= reference, exactly.
        const std::optional<Decimal> bucket = tick.times(Decimal::fromInt(ticks * 100));
        if (tick.isPositive() && bucket && *bucket <= reference)
            steps.append(ticks);
    }
    return steps;
}

} // namespace tickwire::market::grouping
