#include "client/serverlist.h"

using namespace Qt::StringLiterals;

namespace tickwire::client {

namespace {
// Two spellings of one server ("ws://h:1" and "ws://h:1/") count as a repeat.
QUrl comparable(QUrl url)
{
    if (url.path().isEmpty())
        url.setPath(u"/"_s);
    return url.adjusted(QUrl::StripTrailingSlash | QUrl::NormalizePathSegments);
}
} // namespace

ServerList ServerList::parse(QStringView text)
{
    auto fail = [](const QString &error) { return ServerList{{}, error}; };
    if (text.trimmed().isEmpty())
        return fail(tr("No server address: give ws://host:port/ or wss://host:port/, several "
                       "separated by commas"));
    ServerList list;
    QList<QUrl> seen;
    const QList<QStringView> parts = text.split(u',');
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QString entry = parts[i].trimmed().toString();
        if (entry.isEmpty())
            //: %1 is the position of the entry in the list (1 is the first), %2 the whole list.
            return fail(tr("Server %1 of “%2” is empty: remove the extra comma")
                            .arg(i + 1)
                            .arg(text.trimmed()));
        const QUrl url(entry, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != u"ws"_s && url.scheme() != u"wss"_s)
            || url.host().isEmpty())
            return fail(tr("“%1” is not a server address: use ws://host:port/ or wss://host:port/")
                            .arg(entry));
        if (seen.contains(comparable(url)))
            return fail(tr("“%1” is listed twice").arg(entry));
        seen.append(comparable(url));
        list.urls.append(url);
    }
    return list;
}

} // namespace tickwire::client
