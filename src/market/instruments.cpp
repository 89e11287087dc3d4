#include "market/instruments.h"

namespace tickwire::market {

void InstrumentTable::setInstruments(const QList<protocol::InstrumentInfo> &instruments)
{
    m_bySymbol.clear();
    m_bySymbol.reserve(instruments.size());
    for (const protocol::InstrumentInfo &info : instruments)
        m_bySymbol.insert(info.symbol, info);
}

const protocol::InstrumentInfo *InstrumentTable::find(const QString &symbol) const
{
    const auto it = m_bySymbol.constFind(symbol);
    return it == m_bySymbol.cend() ? nullptr : &it.value();
}

QStringList InstrumentTable::symbols() const
{
    QStringList out;
    out.reserve(m_bySymbol.size());
    for (const protocol::InstrumentInfo &info : m_bySymbol)
        out.append(info.symbol);
    out.sort();
    return out;
}

QString InstrumentTable::name(const QString &symbol) const
{
    const protocol::InstrumentInfo *info = find(symbol);
    return info ? info->name : QString();
}

int InstrumentTable::priceScale(const QString &symbol) const
{
    const protocol::InstrumentInfo *info = find(symbol);
    return info ? info->tickSize.scale() : -1;
}

int InstrumentTable::qtyScale(const QString &symbol) const
{
    const protocol::InstrumentInfo *info = find(symbol);
    return info ? info->lotSize.scale() : -1;
}

QString InstrumentTable::format(const Decimal &value, int scale)
{
    if (scale >= 0) {
        if (const std::optional<Decimal> scaled = value.withScale(scale))
            return scaled->toString();
    }
    return value.toString();
}

} // namespace tickwire::market
