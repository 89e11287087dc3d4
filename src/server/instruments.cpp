#include "server/instruments.h"

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QSet>

#include <cmath>

namespace tickwire::server {

using namespace Qt::StringLiterals;

namespace {

std::optional<Decimal> positiveDecimal(const QJsonObject &o, QLatin1StringView key)
{
    const QJsonValue v = o.value(key);
    if (!v.isString())
        return std::nullopt;
    auto d = Decimal::parse(v.toString());
    if (!d || !d->isPositive())
        return std::nullopt;
    return d;
}

} // namespace

InstrumentsResult parseInstruments(QByteArrayView json)
{
    InstrumentsResult result;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        result.error = u"malformed JSON at offset %1: %2"_s.arg(parseError.offset)
                           .arg(parseError.errorString());
        return result;
    }
    const QJsonValue list = doc.object().value("instruments"_L1);
    if (!doc.isObject() || !list.isArray()) {
        result.error = u"expected an object with an \"instruments\" array"_s;
        return result;
    }
    const QJsonArray array = list.toArray();
    if (array.isEmpty()) {
        result.error = u"\"instruments\" is empty"_s;
        return result;
    }
    QSet<QString> seen;
    QList<Instrument> out;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonObject o = array.at(i).toObject();
        auto fail = [&](const QString &what) {
            result.error = u"instrument %1: %2"_s.arg(i).arg(what);
            return result;
        };
        if (!array.at(i).isObject())
            return fail(u"not an object"_s);
        Instrument in;
        in.info.symbol = o.value("symbol"_L1).toString();
        if (in.info.symbol.isEmpty() || in.info.symbol.size() > 32)
            return fail(u"\"symbol\" missing or longer than 32 characters"_s);
        if (seen.contains(in.info.symbol))
            return fail(u"duplicate symbol \"%1\""_s.arg(in.info.symbol));
        seen.insert(in.info.symbol);
        in.info.name = o.value("name"_L1).toString(in.info.symbol);
        in.info.base = o.value("base"_L1).toString();
        in.info.quote = o.value("quote"_L1).toString();
        if (in.info.base.isEmpty() || in.info.quote.isEmpty())
            return fail(u"\"base\" and \"quote\" are required"_s);
        const auto tick = positiveDecimal(o, "tick_size"_L1);
        const auto lot = positiveDecimal(o, "lot_size"_L1);
        const auto price = positiveDecimal(o, "price"_L1);
        if (!tick)
            return fail(u"\"tick_size\" must be a positive decimal string"_s);
        if (!lot)
            return fail(u"\"lot_size\" must be a positive decimal string"_s);
        if (!price)
            return fail(u"\"price\" must be a positive decimal string"_s);
        in.info.tickSize = tick->normalized();
        in.info.lotSize = lot->normalized();
        if (!price->isMultipleOf(in.info.tickSize))
            return fail(u"\"price\" %1 is not a multiple of the tick size %2"_s.arg(
                price->toString(), in.info.tickSize.toString()));
        // Stable wire strings: every price is written at the tick's scale.
        const auto scaled = price->withScale(in.info.tickSize.scale());
        if (!scaled)
            return fail(u"\"price\" out of range"_s);
        in.initialPrice = *scaled;
        // Enough ticks below the price for a 100-level book that cannot reach zero.
        const auto ticks = price->dividedBy(in.info.tickSize, 0);
        if (!ticks || ticks->mantissa() < 1000)
            return fail(u"\"price\" must be at least 1000 ticks"_s);
        const QJsonValue vol = o.value("volatility"_L1);
        if (!vol.isUndefined()) {
            if (!vol.isDouble() || !std::isfinite(vol.toDouble()) || vol.toDouble() < 0
                || vol.toDouble() > 10)
                return fail(u"\"volatility\" must be a number between 0 and 10"_s);
            in.volatility = vol.toDouble();
        }
        out.append(in);
    }
    result.instruments = out;
    return result;
}

InstrumentsResult loadInstrumentsFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        InstrumentsResult r;
        r.error = u"cannot open %1: %2"_s.arg(path, file.errorString());
        return r;
    }
    InstrumentsResult r = parseInstruments(file.readAll());
    if (!r.ok())
        r.error = path + u": "_s + r.error;
    return r;
}

InstrumentsResult defaultInstruments()
{
    return loadInstrumentsFile(u":/tickwire/server/instruments.json"_s);
}

} // namespace tickwire::server
