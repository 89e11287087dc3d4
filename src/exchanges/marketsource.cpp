#include "exchanges/marketsource.h"

namespace tickwire::exchanges {

QLatin1StringView toString(SourceState state)
{
    switch (state) {
    case SourceState::Down:
        return QLatin1StringView("down");
    case SourceState::Resyncing:
        return QLatin1StringView("resyncing");
    case SourceState::Live:
        return QLatin1StringView("live");
    case SourceState::Unverified:
        return QLatin1StringView("unverified");
    }
    return QLatin1StringView("down");
}

std::optional<Decimal> atStep(QStringView text, const Decimal &step)
{
    const std::optional<Decimal> value = Decimal::parse(text);
    if (!value || value->isNegative())
        return std::nullopt;
    const std::optional<Decimal> scaled = value->withScale(step.scale());
    if (!scaled || !step.isPositive() || !scaled->isMultipleOf(step))
        return std::nullopt;
    return scaled;
}

} // namespace tickwire::exchanges
