#include "client/topic.h"

#include "protocol/symbolkey.h"

#include <QtCore/QHashFunctions>

using namespace Qt::StringLiterals;

namespace tickwire::client {

QString Topic::toString() const
{
    QString key = protocol::toString(channel);
    if (interval)
        key += u':' + QString(protocol::toString(*interval));
    if (!symbol.isEmpty())
        key += u':' + symbol;
    return key;
}

size_t qHash(const Topic &topic, size_t seed) noexcept
{
    // symbolHash: qHash(QString) is slow on some CPUs (symbolkey.h), and this is per event.
    return qHashMulti(seed, int(topic.channel), topic.interval ? int(*topic.interval) + 1 : 0,
                      symbolHash(topic.symbol));
}

std::optional<Topic> Topic::parse(QStringView text, QString *error)
{
    auto fail = [&](const QString &message) -> std::optional<Topic> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const QList<QStringView> parts = text.split(u':');
    const auto channel = protocol::channelFromString(parts.value(0));
    if (!channel)
        return fail(u"unknown channel \"%1\" in \"%2\""_s.arg(parts.value(0), text));
    Topic topic;
    topic.channel = *channel;
    if (*channel == protocol::Channel::Orders) {
        if (parts.size() != 1)
            return fail(u"\"orders\" takes no symbol: \"%1\""_s.arg(text));
        return topic;
    }
    if (*channel == protocol::Channel::Candles) {
        if (parts.size() != 3)
            return fail(u"expected candles:INTERVAL:SYMBOL, got \"%1\""_s.arg(text));
        topic.interval = protocol::candleIntervalFromString(parts[1]);
        if (!topic.interval)
            return fail(u"unknown candle interval \"%1\""_s.arg(parts[1]));
        topic.symbol = parts[2].toString();
    } else {
        if (parts.size() != 2)
            return fail(u"expected %1:SYMBOL, got \"%2\""_s.arg(parts[0], text));
        topic.symbol = parts[1].toString();
    }
    if (topic.symbol.isEmpty())
        return fail(u"empty symbol in \"%1\""_s.arg(text));
    return topic;
}

} // namespace tickwire::client
