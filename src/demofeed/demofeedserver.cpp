#include "demofeed/demofeedserver.h"

#include "server/feedserver.h"
#include "server/instruments.h"

#include <QtCore/QUuid>

namespace tickwire::demofeed {

DemoFeedServer::DemoFeedServer() = default;

DemoFeedServer::~DemoFeedServer()
{
    stop();
}

bool DemoFeedServer::start(QString *error)
{
    server::FeedServerOptions options;
    options.port = 0; // any free port on 127.0.0.1
    options.demoToken = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_server = std::make_unique<server::FeedServer>(options);
    if (!m_server->start(error)) {
        m_server.reset();
        return false;
    }
    return true;
}

void DemoFeedServer::stop()
{
    if (m_server) {
        m_server->stop();
        m_server.reset();
    }
}

QUrl DemoFeedServer::url() const
{
    return m_server ? m_server->url() : QUrl();
}

QString DemoFeedServer::token() const
{
    return m_server ? m_server->demoToken() : QString();
}

QList<protocol::InstrumentInfo> DemoFeedServer::instruments() const
{
    QList<protocol::InstrumentInfo> infos;
    for (const server::Instrument &i : server::defaultInstruments().instruments)
        infos.append(i.info);
    return infos;
}

std::unique_ptr<ui::DemoFeed> DemoFeedServer::create()
{
    return std::make_unique<DemoFeedServer>();
}

} // namespace tickwire::demofeed
