#pragma once

#include "protocol/messages.h"

#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QUrl>

#include <functional>
#include <memory>

namespace tickwire::ui {

// A feed server the dashboard starts in-process when no server is configured. The dashboard
// only needs its address, token and instruments, so it does not link the server library: the
// executable hands Dashboard a factory (app/tickwire/main.cpp, src/demofeed).
class DemoFeed
{
public:
    DemoFeed() = default;
    virtual ~DemoFeed() = default;
    Q_DISABLE_COPY_MOVE(DemoFeed)

    // Listens on loopback; false with a reason in `error`.
    [[nodiscard]] virtual bool start(QString *error) = 0;
    virtual void stop() = 0;
    [[nodiscard]] virtual QUrl url() const = 0;
    [[nodiscard]] virtual QString token() const = 0;
    [[nodiscard]] virtual QList<protocol::InstrumentInfo> instruments() const = 0;
};

using DemoFeedFactory = std::function<std::unique_ptr<DemoFeed>()>;

} // namespace tickwire::ui
