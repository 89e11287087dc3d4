#pragma once

#include "protocol/messages.h"

#include <QtCore/QHash>
#include <QtCore/QList>

#include <array>
#include <optional>

namespace tickwire::market {

// Aggregation of a book side into price buckets of `ticks` × the instrument's tick size, for
// display only (the verified book and its checksum are never touched). A bid is floored and an
// ask ceiled to its bucket, so a bucket never shows a price better than the levels in it; sizes
// (and the account's own quantities) are summed exactly per bucket.
namespace grouping {

// The bucket sizes offered, in ticks, finest first.
inline constexpr std::array<int, 4> Steps = {1, 10, 100, 1000};

[[nodiscard]] constexpr bool isStep(int ticks)
{
    for (const int step : Steps) {
        if (step == ticks)
            return true;
    }
    return false;
}

// The bucket `price` falls in: the largest multiple of `step` <= price for bids (floor), the
// smallest >= price for asks (ceiling), also below zero. nullopt when step is not positive or
// the result does not fit a Decimal. Written at max(price, step) decimals.
[[nodiscard]] std::optional<Decimal> bucketOf(const Decimal &price, const Decimal &step,
                                              protocol::Side side);

// `levels` (best first, as protocol::BookView holds them) grouped into buckets of `step`, best
// first. A level whose bucket cannot be computed is left out, and so is a sum beyond 18
// digits (no real book has one).
[[nodiscard]] QList<protocol::BookLevel> groupLevels(const QList<protocol::BookLevel> &levels,
                                                     const Decimal &step, protocol::Side side);

// Remaining own quantity per price, summed per bucket of `step`.
using OwnLevels = QHash<Decimal, Decimal>;
[[nodiscard]] OwnLevels groupOwn(const OwnLevels &own, const Decimal &step, protocol::Side side);

// The bucket sizes worth offering for an instrument of tick size `tick` trading near
// `reference` (the mid or a touch; zero or negative when unknown): 1 tick always, a coarser
// one while its bucket is at most 1% of the price, so a bucket never swallows the book. With no
// reference every step is offered.
[[nodiscard]] QList<int> sensibleSteps(const Decimal &tick, const Decimal &reference);

} // namespace grouping

} // namespace tickwire::market
