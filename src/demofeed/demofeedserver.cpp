#include "demofeed/demofeedserver.h"

#include "exchanges/livesource.h"
#include "server/feedserver.h"
#include "server/instruments.h"

#include <QtCore/QPointer>
#include <QtCore/QTimer>
#include <QtCore/QUuid>
#include <QtNetwork/QNetworkAccessManager>

namespace tickwire::demofeed {

using namespace Qt::StringLiterals;

namespace {

server::FeedServerOptions serverOptions()
{
    server::FeedServerOptions options;
    options.port = 0; // any free port on 127.0.0.1
    options.demoToken = QUuid::createUuid().toString(QUuid::WithoutBraces);
    return options;
}

} // namespace

DemoFeedServer::DemoFeedServer() = default;

DemoFeedServer::~DemoFeedServer()
{
    stop();
}

void DemoFeedServer::start(const ui::DemoFeedOptions &options)
{
    stop();
    const quint64 attempt = m_attempt;
    // From the event loop, so that `started`/`failed` never reach the caller inside start().
    QTimer::singleShot(0, this, [this, options, attempt] { begin(options, attempt); });
}

void DemoFeedServer::begin(const ui::DemoFeedOptions &options, quint64 attempt)
{
    if (attempt != m_attempt)
        return;
    if (options.source == u"sim"_s) {
        m_server = std::make_unique<server::FeedServer>(serverOptions());
        for (const server::Instrument &i : server::defaultInstruments().instruments)
            m_instruments.append(i.info);
        QString error;
        finish(attempt, m_server->start(&error) ? QString() : error);
        return;
    }
    if (!m_network)
        m_network = new QNetworkAccessManager(this);
    exchanges::LiveSourceOptions live;
    live.exchange = options.source;
    live.symbols = options.symbols;
    live.webSocketBase = options.webSocketBase;
    live.restBase = options.restBase;
    // The reply belongs to m_network, so the callback cannot outlive this object; a stop() or
    // another start() in the meantime makes `attempt` stale.
    exchanges::openLiveSource(
        m_network, live,
        [this, attempt, guard = QPointer<DemoFeedServer>(this)](
            std::unique_ptr<exchanges::MarketSource> source,
            const QList<protocol::InstrumentInfo> &found, const QString &error) {
            if (!guard || attempt != m_attempt)
                return;
            if (!source) {
                finish(attempt, error);
                return;
            }
            server::FeedServerOptions withInstruments = serverOptions();
            for (const protocol::InstrumentInfo &info : found)
                withInstruments.instruments.append(server::Instrument{info, {}, 0});
            m_server = std::make_unique<server::FeedServer>(withInstruments);
            m_server->setMarketSource(std::move(source));
            m_instruments = found;
            QString startError;
            finish(attempt, m_server->start(&startError) ? QString() : startError);
        });
}

void DemoFeedServer::finish(quint64 attempt, const QString &error)
{
    if (attempt != m_attempt)
        return;
    if (error.isEmpty()) {
        Q_EMIT started();
        return;
    }
    m_server.reset();
    m_instruments.clear();
    Q_EMIT failed(error);
}

void DemoFeedServer::stop()
{
    ++m_attempt;
    if (m_server) {
        m_server->stop();
        m_server.reset();
    }
    m_instruments.clear();
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
    return m_instruments;
}

std::unique_ptr<ui::DemoFeed> DemoFeedServer::create()
{
    return std::make_unique<DemoFeedServer>();
}

} // namespace tickwire::demofeed
