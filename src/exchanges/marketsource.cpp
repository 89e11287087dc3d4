#include "exchanges/marketsource.h"

namespace tickwire::exchanges {

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
