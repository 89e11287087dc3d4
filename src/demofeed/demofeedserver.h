#pragma once

#include "ui/demofeed.h"

#include <memory>

namespace tickwire::server {
class FeedServer;
}

namespace tickwire::demofeed {

// The dashboard's built-in demo feed: a tickwire-feed server (simulated market, in-memory demo
// exchange) on 127.0.0.1, a free port and a random demo token.
class DemoFeedServer final : public ui::DemoFeed
{
public:
    DemoFeedServer();
    ~DemoFeedServer() override;
    Q_DISABLE_COPY_MOVE(DemoFeedServer)

    [[nodiscard]] bool start(QString *error) override;
    void stop() override;
    [[nodiscard]] QUrl url() const override;
    [[nodiscard]] QString token() const override;
    [[nodiscard]] QList<protocol::InstrumentInfo> instruments() const override;

    // For Dashboard::setDemoFeedFactory.
    [[nodiscard]] static std::unique_ptr<ui::DemoFeed> create();

private:
    std::unique_ptr<server::FeedServer> m_server;
};

} // namespace tickwire::demofeed
