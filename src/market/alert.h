#pragma once

#include "protocol/decimal.h"

#include <QtCore/QString>

#include <cstdint>
#include <optional>

namespace tickwire::market {

// What an alert watches: a price of the ticker (the last trade's price also updates `Last`) or
// the change over 24 h in percent, (last - open24h) / open24h × 100.
enum class AlertField { Last, Bid, Ask, ChangePercent };
// For ChangePercent, CrossesUp reads "rises above" and CrossesDown "falls below".
enum class AlertCondition { CrossesUp, CrossesDown, CrossesEither };
// After firing: disable the alert; fire again only once the value has moved back across the
// level by `hysteresis`; or fire again on a crossing at least `cooldownSeconds` later.
enum class AlertRearm { Once, Hysteresis, Cooldown };

// One price alert: its definition (persisted), its history (persisted) and the evaluation state
// (previous value and whether it is armed; rebuilt from the feed after a restart).
struct Alert
{
    int id = 0; // unique within an AlertBook, not persisted
    QString symbol;
    AlertField field = AlertField::Last;
    AlertCondition condition = AlertCondition::CrossesEither;
    Decimal level; // a price, or percentage points for ChangePercent
    AlertRearm rearm = AlertRearm::Once;
    Decimal hysteresis; // > 0 for Hysteresis; in the level's unit
    int cooldownSeconds = 0; // > 0 for Cooldown
    bool enabled = true;
    QString note;
    std::int64_t createdMs = 0; // ms since the epoch
    std::int64_t lastFiredMs = 0; // ms since the epoch, 0: never fired
    int fireCount = 0;

    std::optional<Decimal> previous; // the last value seen
    bool armed = true;
    int firedDirection = 0; // +1 the last firing was upwards, -1 downwards
};

// Feeds one observed value of the alert's field at `timeMs` (ms since the epoch; the event's
// time). A crossing up is previous < level <= value, down previous > level >= value: reaching
// the level counts, a gap over it counts, and touching it then moving on is one crossing. The
// first value only sets the side. Returns +1 or -1 when the alert fires (and updates its
// history and re-arm state), nothing otherwise. Disabled alerts keep track of the value so that
// enabling one never fires on a crossing that happened while it was off.
[[nodiscard]] int observeAlert(Alert &alert, const Decimal &value, std::int64_t timeMs);

// Checks a definition: a symbol, a positive price level (any sign for a percent), a positive
// hysteresis or cooldown when the re-arm policy needs one. Empty when valid, else the reason.
[[nodiscard]] QString alertProblem(const Alert &alert);

// Wire names used by the file and by QML: "last", "bid", "ask", "changePercent"; "up", "down",
// "either"; "once", "hysteresis", "cooldown".
[[nodiscard]] QString fieldName(AlertField field);
[[nodiscard]] QString conditionName(AlertCondition condition);
[[nodiscard]] QString rearmName(AlertRearm rearm);
[[nodiscard]] std::optional<AlertField> fieldFromName(const QString &name);
[[nodiscard]] std::optional<AlertCondition> conditionFromName(const QString &name);
[[nodiscard]] std::optional<AlertRearm> rearmFromName(const QString &name);

// "64012.5" -> "64,012.5": the level as the UI writes it (digits grouped, the exact decimals).
[[nodiscard]] QString groupedDecimal(const Decimal &value);

// A readable sentence: "BTC-USD last crosses above 64,012.50", "ETH-USD 24h change rises above 5%".
[[nodiscard]] QString alertDescription(const Alert &alert);

} // namespace tickwire::market
