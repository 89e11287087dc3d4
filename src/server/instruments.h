#pragma once

#include "protocol/messages.h"

#include <QtCore/QByteArrayView>
#include <QtCore/QList>
#include <QtCore/QString>

namespace tickwire::server {

// One tradable instrument and the parameters of its simulated price process.
struct Instrument
{
    protocol::InstrumentInfo info;
    Decimal initialPrice; // at the tick scale
    double volatility = 0.5; // annualised, e.g. 0.6 = 60 %/year
};

struct InstrumentsResult
{
    QList<Instrument> instruments;
    QString error; // empty on success; names the entry and field at fault otherwise

    [[nodiscard]] bool ok() const { return error.isEmpty(); }
};

// Parses `{"instruments":[{symbol,name,base,quote,tick_size,lot_size,price,volatility}...]}`.
// Every entry is validated (decimals, price a multiple of the tick, unique symbols); the first
// fault is reported and nothing is returned, so a bad file never half-loads.
[[nodiscard]] InstrumentsResult parseInstruments(QByteArrayView json);
[[nodiscard]] InstrumentsResult loadInstrumentsFile(const QString &path);
// The compiled-in default set (the same file as resources/instruments.json).
[[nodiscard]] InstrumentsResult defaultInstruments();

} // namespace tickwire::server
