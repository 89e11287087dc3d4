#include "cluster/subjects.h"

#include "protocol/codec.h"
#include "server/marketsimulator.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

namespace tickwire::cluster {

using namespace Qt::StringLiterals;

QString subjectToken(const QString &name)
{
    QByteArray out;
    const QByteArray utf8 = name.toUtf8();
    out.reserve(utf8.size());
    for (const char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f || c == '.' || c == '*' || c == '>' || c == '%') {
            out += '%';
            out += QByteArray::number(u, 16).rightJustified(2, '0').toUpper();
        } else {
            out += c;
        }
    }
    return QString::fromUtf8(out);
}

QString marketSubject(const server::StreamRef &stream)
{
    QString subject =
        u"tw.md."_s + protocol::toString(stream.channel) + u'.' + subjectToken(stream.symbol);
    if (stream.channel == protocol::Channel::Book)
        subject += u'.' + QString::number(stream.tier);
    else if (stream.channel == protocol::Channel::Candles)
        subject += u'.' + protocol::toString(stream.interval);
    return subject;
}

QList<server::StreamRef> streamRefs(const QList<protocol::InstrumentInfo> &instruments)
{
    using protocol::Channel;
    QList<server::StreamRef> refs(instruments.size() * server::StreamsPerSymbol);
    for (qsizetype i = 0; i < instruments.size(); ++i) {
        auto put = [&](Channel channel, int tier, protocol::CandleInterval interval) {
            const int slot = server::streamSlot(channel, tier, interval);
            refs[i * server::StreamsPerSymbol + slot] =
                server::StreamRef{channel, instruments[i].symbol, tier, interval};
        };
        put(Channel::Ticker, 0, {});
        put(Channel::Trades, 0, {});
        for (const int tier : server::BookTiers)
            put(Channel::Book, tier, {});
        for (const auto interval : {protocol::CandleInterval::S1, protocol::CandleInterval::M1,
                                    protocol::CandleInterval::M5, protocol::CandleInterval::M15,
                                    protocol::CandleInterval::H1})
            put(Channel::Candles, 0, interval);
    }
    return refs;
}

QString accountSubject(const QString &account)
{
    return u"tw.acct."_s + subjectToken(account);
}

namespace {

// A tickwire/1 message kept as a JSON object under `key`.
template<typename T> std::optional<T> embedded(const QJsonObject &o, const QString &key)
{
    const QByteArray text = QJsonDocument(o.value(key).toObject()).toJson(QJsonDocument::Compact);
    protocol::DecodeResult decoded = protocol::decode(text, protocol::Encoding::Json);
    const T *message = decoded.ok() ? std::get_if<T>(&*decoded.message) : nullptr;
    return message ? std::optional<T>(*message) : std::nullopt;
}

} // namespace

QByteArray encodeEngineInfo(const EngineInfo &info)
{
    QJsonObject o{{u"boot"_s, info.boot},
                  {u"epoch"_s, QString::number(info.epoch)},
                  {u"source"_s, info.source},
                  {u"paper"_s, info.paperTrading}};
    if (info.status) {
        o.insert(u"status"_s,
                 QJsonDocument::fromJson(protocol::encode(*info.status, protocol::Encoding::Json))
                     .object());
    }
    if (!info.instruments.isEmpty()) {
        protocol::Symbols symbols;
        symbols.symbols = info.instruments;
        o.insert(
            u"symbols"_s,
            QJsonDocument::fromJson(protocol::encode(symbols, protocol::Encoding::Json)).object());
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

std::optional<EngineInfo> decodeEngineInfo(const QByteArray &json, QString *error)
{
    auto fail = [error](const QString &text) -> std::optional<EngineInfo> {
        if (error)
            *error = text;
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject())
        return fail(u"engine info is not a JSON object: "_s + parseError.errorString());
    const QJsonObject o = doc.object();
    EngineInfo info;
    info.boot = o.value(u"boot"_s).toString();
    bool ok = false;
    info.epoch = o.value(u"epoch"_s).toString().toLongLong(&ok);
    if (info.boot.isEmpty() || !ok)
        return fail(u"engine info without boot or epoch"_s);
    info.source = o.value(u"source"_s).toString();
    info.paperTrading = o.value(u"paper"_s).toBool();
    if (o.contains(u"status"_s)) {
        const auto status = embedded<protocol::SourceStatus>(o, u"status"_s);
        if (!status)
            return fail(u"engine info with an unreadable status"_s);
        info.status = *status;
    }
    if (o.contains(u"symbols"_s)) {
        const auto symbols = embedded<protocol::Symbols>(o, u"symbols"_s);
        if (!symbols)
            return fail(u"engine info with unreadable instruments"_s);
        info.instruments = symbols->symbols;
    }
    return info;
}

QByteArray encodeLines(const QList<protocol::Message> &messages)
{
    QByteArray out;
    for (const protocol::Message &m : messages) {
        out += protocol::encode(m, protocol::Encoding::Json);
        out += '\n';
    }
    return out;
}

std::optional<QList<protocol::Message>> decodeLines(const QByteArray &lines, QString *error)
{
    QList<protocol::Message> out;
    qsizetype from = 0;
    while (from < lines.size()) {
        qsizetype end = lines.indexOf('\n', from);
        if (end < 0)
            end = lines.size();
        if (end > from) {
            protocol::DecodeResult decoded = protocol::decode(
                QByteArrayView(lines).sliced(from, end - from), protocol::Encoding::Json);
            if (!decoded.ok()) {
                if (error)
                    *error = decoded.error.message;
                return std::nullopt;
            }
            out.append(std::move(*decoded.message));
        }
        from = end + 1;
    }
    return out;
}

QByteArray framePayload(const QByteArray &frame)
{
    if (frame.size() < 2)
        return {};
    const auto length7 = static_cast<unsigned char>(frame.at(1)) & 0x7f;
    const qsizetype header = length7 == 126 ? 4 : length7 == 127 ? 10 : 2;
    if (frame.size() < header)
        return {};
    return QByteArray::fromRawData(frame.constData() + header, frame.size() - header);
}

} // namespace tickwire::cluster
