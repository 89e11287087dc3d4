#pragma once

#include <QtCore/QCoreApplication>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringView>
#include <QtCore/QUrl>

namespace tickwire::client {

// Feed servers as a user writes them: "ws://a:8787/, wss://b:8787/", in order of preference.
// The one parser of such lists (tickwire-tap's URL, the dashboard's --server and settings field).
struct ServerList
{
    Q_DECLARE_TR_FUNCTIONS(ServerList)

public:
    // Entries are separated by commas; whitespace around them is ignored. An empty text, an
    // empty entry, an entry that is not a ws:// or wss:// URL with a host, and an entry given
    // twice are errors.
    [[nodiscard]] static ServerList parse(QStringView text);

    QList<QUrl> urls; // ws:// or wss:// with a host; no repeats; empty when `error` is set
    QString error; // why the text is refused, naming the bad entry; empty when accepted
    [[nodiscard]] bool ok() const { return error.isEmpty(); }
};

} // namespace tickwire::client
