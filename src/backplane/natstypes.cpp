#include "backplane/natstypes.h"

#include <QtCore/QStringView>

using namespace Qt::StringLiterals;

namespace tickwire::backplane {

namespace {

// Tokens are dot-separated and non-empty; whitespace would split the protocol line.
bool tokensValid(QStringView subject, bool wildcards)
{
    if (subject.isEmpty())
        return false;
    qsizetype start = 0;
    while (start <= subject.size()) {
        qsizetype end = subject.indexOf(u'.', start);
        const bool last = end < 0;
        if (last)
            end = subject.size();
        const QStringView token = subject.sliced(start, end - start);
        if (token.isEmpty())
            return false;
        for (const QChar c : token) {
            if (c.isSpace() || c.unicode() < 0x20 || c.unicode() == 0x7f)
                return false;
        }
        const bool wildcard = token == u"*" || token == u">";
        if (wildcard && !wildcards)
            return false;
        if (token == u">" && !last)
            return false;
        if (!wildcard && (token.contains(u'*') || token.contains(u'>')) && !wildcards)
            return false;
        if (last)
            break;
        start = end + 1;
    }
    return true;
}

} // namespace

QByteArray NatsMessage::header(const QByteArray &key) const
{
    for (const auto &[k, v] : headers) {
        if (k.compare(key, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

bool isValidPublishSubject(QStringView subject)
{
    return tokensValid(subject, false);
}

bool isValidSubscribeSubject(QStringView subject)
{
    return tokensValid(subject, true);
}

NatsHeaders parseHeaderBlock(const QByteArray &block)
{
    NatsHeaders headers;
    const QList<QByteArray> lines = block.split('\n');
    // The first line is the version ("NATS/1.0", maybe with a status); fields follow.
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    return headers;
}

} // namespace tickwire::backplane
