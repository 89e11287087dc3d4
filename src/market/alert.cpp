#include "market/alert.h"

#include <QtCore/QCoreApplication>

namespace tickwire::market {

using namespace Qt::StringLiterals;

namespace {

// The translation context of the messages of this file (free functions have no tr()).
class Messages
{
    Q_DECLARE_TR_FUNCTIONS(Alert)
};

// Whether the alert may fire again, given the value now and the time.
bool rearmed(const Alert &alert, const Decimal &value, std::int64_t timeMs)
{
    switch (alert.rearm) {
    case AlertRearm::Once:
        return false;
    case AlertRearm::Hysteresis:
        if (alert.firedDirection > 0) {
            const std::optional<Decimal> below = alert.level.minus(alert.hysteresis);
            return below && value <= *below;
        }
        if (alert.firedDirection < 0) {
            const std::optional<Decimal> above = alert.level.plus(alert.hysteresis);
            return above && value >= *above;
        }
        return true;
    case AlertRearm::Cooldown:
        return timeMs - alert.lastFiredMs >= std::int64_t(alert.cooldownSeconds) * 1000;
    }
    return false;
}

} // namespace

int observeAlert(Alert &alert, const Decimal &value, std::int64_t timeMs)
{
    const std::optional<Decimal> previous = alert.previous;
    alert.previous = value;
    if (!alert.armed && alert.enabled && rearmed(alert, value, timeMs))
        alert.armed = true;
    if (!alert.enabled || !alert.armed || !previous)
        return 0;

    int direction = 0;
    if (*previous < alert.level && value >= alert.level)
        direction = 1;
    else if (*previous > alert.level && value <= alert.level)
        direction = -1;
    if (direction == 0 || (alert.condition == AlertCondition::CrossesUp && direction < 0)
        || (alert.condition == AlertCondition::CrossesDown && direction > 0))
        return 0;

    alert.lastFiredMs = timeMs;
    ++alert.fireCount;
    alert.firedDirection = direction;
    alert.armed = false;
    if (alert.rearm == AlertRearm::Once)
        alert.enabled = false;
    return direction;
}

QString alertProblem(const Alert &alert)
{
    if (alert.symbol.trimmed().isEmpty())
        return Messages::tr("An alert needs a symbol.");
    if (alert.field != AlertField::ChangePercent && !alert.level.isPositive())
        return Messages::tr("The alert's price must be above zero.");
    if (alert.rearm == AlertRearm::Hysteresis && !alert.hysteresis.isPositive())
        return Messages::tr("The distance to re-arm the alert must be above zero.");
    if (alert.rearm == AlertRearm::Cooldown && alert.cooldownSeconds <= 0)
        return Messages::tr("The time to re-arm the alert must be at least one second.");
    return {};
}

QString fieldName(AlertField field)
{
    switch (field) {
    case AlertField::Last:
        return u"last"_s;
    case AlertField::Bid:
        return u"bid"_s;
    case AlertField::Ask:
        return u"ask"_s;
    case AlertField::ChangePercent:
        return u"changePercent"_s;
    }
    return {};
}

QString conditionName(AlertCondition condition)
{
    switch (condition) {
    case AlertCondition::CrossesUp:
        return u"up"_s;
    case AlertCondition::CrossesDown:
        return u"down"_s;
    case AlertCondition::CrossesEither:
        return u"either"_s;
    }
    return {};
}

QString rearmName(AlertRearm rearm)
{
    switch (rearm) {
    case AlertRearm::Once:
        return u"once"_s;
    case AlertRearm::Hysteresis:
        return u"hysteresis"_s;
    case AlertRearm::Cooldown:
        return u"cooldown"_s;
    }
    return {};
}

std::optional<AlertField> fieldFromName(const QString &name)
{
    for (AlertField f :
         {AlertField::Last, AlertField::Bid, AlertField::Ask, AlertField::ChangePercent}) {
        if (fieldName(f) == name)
            return f;
    }
    return std::nullopt;
}

std::optional<AlertCondition> conditionFromName(const QString &name)
{
    for (AlertCondition c :
         {AlertCondition::CrossesUp, AlertCondition::CrossesDown, AlertCondition::CrossesEither}) {
        if (conditionName(c) == name)
            return c;
    }
    return std::nullopt;
}

std::optional<AlertRearm> rearmFromName(const QString &name)
{
    for (AlertRearm r : {AlertRearm::Once, AlertRearm::Hysteresis, AlertRearm::Cooldown}) {
        if (rearmName(r) == name)
            return r;
    }
    return std::nullopt;
}

QString groupedDecimal(const Decimal &value)
{
    QString text = value.toString();
    const qsizetype start = text.startsWith(u'-') ? 1 : 0;
    qsizetype point = text.indexOf(u'.');
    if (point < 0)
        point = text.size();
    for (qsizetype at = point - 3; at > start; at -= 3)
        text.insert(at, u',');
    return text;
}

QString alertDescription(const Alert &alert)
{
    const QString level = groupedDecimal(alert.level);
    if (alert.field == AlertField::ChangePercent) {
        switch (alert.condition) {
        case AlertCondition::CrossesUp:
            return Messages::tr("%1 24h change rises above %2%").arg(alert.symbol, level);
        case AlertCondition::CrossesDown:
            return Messages::tr("%1 24h change falls below %2%").arg(alert.symbol, level);
        case AlertCondition::CrossesEither:
            return Messages::tr("%1 24h change crosses %2%").arg(alert.symbol, level);
        }
    }
    const QString field = alert.field == AlertField::Bid   ? Messages::tr("bid")
                          : alert.field == AlertField::Ask ? Messages::tr("ask")
                                                           : Messages::tr("last");
    switch (alert.condition) {
    case AlertCondition::CrossesUp:
        //: symbol, field (last, bid, ask), price
        return Messages::tr("%1 %2 crosses above %3").arg(alert.symbol, field, level);
    case AlertCondition::CrossesDown:
        return Messages::tr("%1 %2 crosses below %3").arg(alert.symbol, field, level);
    case AlertCondition::CrossesEither:
        return Messages::tr("%1 %2 crosses %3").arg(alert.symbol, field, level);
    }
    return {};
}

} // namespace tickwire::market
