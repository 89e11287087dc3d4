#pragma once

#include "protocol/messages.h"

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QUrl>

#include <functional>
#include <memory>

namespace tickwire::ui {

// What the built-in feed serves: its own simulation, or the market of a live exchange (with
// simulated paper trading against it).
struct DemoFeedOptions
{
    QString source = QStringLiteral("sim"); // "sim" or one of exchanges::liveExchanges()
    QStringList symbols; // live: tickwire names (BASE-QUOTE); empty: the exchange's defaults
    QUrl webSocketBase; // live: empty for the exchange's own endpoint
    QUrl restBase; // live: empty for the exchange's own endpoint

    bool operator==(const DemoFeedOptions &) const = default;
};

// A feed server the dashboard starts in-process when no server is configured. The dashboard
// only needs its address, token and instruments, so it does not link the server library: the
// executable hands Dashboard a factory (app/tickwire/main.cpp, src/demofeed).
// Starting is asynchronous (a live source first asks the exchange for its instruments): the
// outcome is `started` or `failed`, emitted from the event loop, never from within start().
class DemoFeed : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoFeed)

public:
    DemoFeed() = default;
    ~DemoFeed() override = default;

    // Listens on loopback once the source is ready; a second call replaces the first.
    virtual void start(const DemoFeedOptions &options) = 0;
    // Stops serving; a start in progress reports nothing any more.
    virtual void stop() = 0;
    // Valid after `started`.
    [[nodiscard]] virtual QUrl url() const = 0;
    [[nodiscard]] virtual QString token() const = 0;
    [[nodiscard]] virtual QList<protocol::InstrumentInfo> instruments() const = 0;

Q_SIGNALS:
    void started();
    // Why the feed could not start (an unreachable exchange, a symbol it does not list…).
    void failed(const QString &error);
};

using DemoFeedFactory = std::function<std::unique_ptr<DemoFeed>()>;

} // namespace tickwire::ui
