#pragma once

#include "ui/demofeed.h"

#include <memory>

class QNetworkAccessManager;

namespace tickwire::server {
class FeedServer;
}

namespace tickwire::demofeed {

// The dashboard's built-in feed: a tickwire-feed server on 127.0.0.1, a free port and a random
// demo token, with an in-memory exchange. Its market is the simulation, or a live exchange
// (exchanges::openLiveSource: the instruments are discovered first, then the server listens),
// on which orders are paper trades.
class DemoFeedServer final : public ui::DemoFeed
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoFeedServer)

public:
    DemoFeedServer();
    ~DemoFeedServer() override;

    void start(const ui::DemoFeedOptions &options) override;
    void stop() override;
    [[nodiscard]] QUrl url() const override;
    [[nodiscard]] QString token() const override;
    [[nodiscard]] QList<protocol::InstrumentInfo> instruments() const override;

    // For Dashboard::setDemoFeedFactory.
    [[nodiscard]] static std::unique_ptr<ui::DemoFeed> create();

private:
    void begin(const ui::DemoFeedOptions &options, quint64 attempt);
    void finish(quint64 attempt, const QString &error);

    std::unique_ptr<server::FeedServer> m_server;
    QNetworkAccessManager *m_network = nullptr; // discovery; created for the first live source
    QList<protocol::InstrumentInfo> m_instruments;
    quint64 m_attempt = 0; // a callback of an earlier start() or of one stopped is ignored
};

} // namespace tickwire::demofeed
