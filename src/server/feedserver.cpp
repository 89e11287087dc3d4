#include "server/feedserver.h"

#include "exchanges/marketsource.h"
#include "server/exchangeservice.h"

#include "server/feedworker.h"
#include "server/marketengine.h"
#include "server/tokenstore.h"

#include <QtCore/QFile>
#include <QtCore/QLoggingCategory>
#include <QtCore/QRandomGenerator>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslKey>
#include <QtNetwork/QTcpServer>

#include <functional>

namespace tickwire::server {

Q_LOGGING_CATEGORY(lcServer, "tickwire.feed.server")

using namespace Qt::StringLiterals;

// Accepts raw TCP on the FeedServer's thread and hands each descriptor on: a QWebSocket cannot
// change threads, so the sockets are only ever created in the worker that serves them.
class TcpAcceptor : public QTcpServer
{
public:
    explicit TcpAcceptor(std::function<void(qintptr)> handOver, QObject *parent)
        : QTcpServer(parent)
        , m_handOver(std::move(handOver))
    {
    }

protected:
    void incomingConnection(qintptr socketDescriptor) override { m_handOver(socketDescriptor); }

private:
    std::function<void(qintptr)> m_handOver;
};

FeedServer::FeedServer(FeedServerOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_counters(std::make_shared<SharedCounters>())
{
}

FeedServer::~FeedServer()
{
    stop();
}

void FeedServer::setOrderService(std::unique_ptr<OrderService> service)
{
    m_pendingOrderService = std::move(service);
}

void FeedServer::setMarketSource(std::unique_ptr<exchanges::MarketSource> source)
{
    m_pendingSource = std::move(source);
}

void FeedServer::setRemoteMarket(std::unique_ptr<MarketBackend> backend, QString sourceName,
                                 bool paperTrading)
{
    m_pendingBackend = std::move(backend);
    m_remoteSourceName = std::move(sourceName);
    m_remotePaperTrading = paperTrading;
}

bool FeedServer::start(QString *error)
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (m_running)
        return fail(u"already running"_s);

    QList<Instrument> instruments = m_options.instruments;
    if (instruments.isEmpty()) {
        InstrumentsResult loaded = defaultInstruments();
        if (!loaded.ok())
            return fail(loaded.error);
        instruments = loaded.instruments;
    }

    auto context = std::make_shared<WorkerContext>();
    context->options = m_options;
    context->counters = m_counters;
    for (const Instrument &in : std::as_const(instruments))
        context->symbols.append(in.info);
    context->interest = std::make_shared<StreamInterest>(int(instruments.size()));

    auto tokens = std::make_shared<TokenStore>();
    if (!m_options.tokensFile.isEmpty()) {
        QList<TokenStore::Problem> problems;
        QString loadError;
        if (!tokens->loadFile(m_options.tokensFile, &problems, &loadError))
            return fail(loadError);
        for (const auto &p : std::as_const(problems))
            qCWarning(lcServer).noquote()
                << u"event=tokens_skip file=%1 line=%2 reason=\"%3\""_s.arg(m_options.tokensFile)
                       .arg(p.line)
                       .arg(p.message);
    }
    m_demoToken = m_options.demoToken.isEmpty() ? TokenStore::generateToken() : m_options.demoToken;
    tokens->insert(m_demoToken, u"demo"_s);
    context->tokens = tokens;

    const bool tls = !m_options.tlsCertFile.isEmpty() || !m_options.tlsKeyFile.isEmpty();
    if (tls) {
        if (m_options.tlsCertFile.isEmpty() || m_options.tlsKeyFile.isEmpty())
            return fail(u"TLS needs both a certificate and a key"_s);
        const QList<QSslCertificate> chain = QSslCertificate::fromPath(m_options.tlsCertFile);
        if (chain.isEmpty())
            return fail(u"no PEM certificate in %1"_s.arg(m_options.tlsCertFile));
        QFile keyFile(m_options.tlsKeyFile);
        if (!keyFile.open(QIODevice::ReadOnly))
            return fail(u"cannot open %1: %2"_s.arg(m_options.tlsKeyFile, keyFile.errorString()));
        const QByteArray pem = keyFile.readAll();
        QSslKey key(pem, QSsl::Rsa);
        if (key.isNull())
            key = QSslKey(pem, QSsl::Ec);
        if (key.isNull())
            return fail(u"no usable RSA or EC private key in %1"_s.arg(m_options.tlsKeyFile));
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setLocalCertificateChain(chain);
        config.setPrivateKey(key);
        config.setPeerVerifyMode(QSslSocket::VerifyNone);
        context->tls = config;
    }

    EngineOptions engineOptions;
    engineOptions.seed =
        m_options.seed ? *m_options.seed : QRandomGenerator::system()->generate64();
    engineOptions.tradesPerSecond = m_options.tradesPerSecond;
    engineOptions.history = m_options.history;
    engineOptions.tickMs = m_options.tickMs;
    engineOptions.seqBase = m_options.seqBase;
    engineOptions.tradeStepMs = m_options.tradeStepMs;
    engineOptions.replaySpeed = m_options.replaySpeed;
    engineOptions.replayLoop = m_options.replayLoop;
    engineOptions.live = m_pendingSource != nullptr;
    if (!m_options.replayFile.isEmpty() && !engineOptions.live) {
        engineOptions.replay = loadReplayFile(m_options.replayFile);
        for (const ReplayProblem &p : std::as_const(engineOptions.replay.problems))
            qCWarning(lcServer).noquote()
                << u"event=replay_bad_line file=%1 line=%2 reason=\"%3\""_s
                       .arg(m_options.replayFile)
                       .arg(p.line)
                       .arg(p.message);
        if (!engineOptions.replay.ok())
            return fail(engineOptions.replay.error);
    }

    m_acceptor = new TcpAcceptor(
        [this](qintptr fd) {
            if (m_workers.isEmpty())
                return;
            FeedWorker *worker = m_workers[m_nextWorker];
            m_nextWorker = (m_nextWorker + 1) % int(m_workers.size());
            QMetaObject::invokeMethod(
                worker, [worker, fd] { worker->adopt(fd); }, Qt::QueuedConnection);
        },
        this);
    if (!m_acceptor->listen(m_options.address, m_options.port)) {
        const QString message = u"cannot listen on %1:%2: %3"_s.arg(m_options.address.toString())
                                    .arg(m_options.port)
                                    .arg(m_acceptor->errorString());
        delete m_acceptor;
        m_acceptor = nullptr;
        return fail(message);
    }
    m_acceptor->pauseAccepting(); // until the workers run

    QString mode;
    if (m_pendingBackend) {
        // A gateway: the market and the exchange are the engine's, behind the backend.
        m_backend = m_pendingBackend.release();
        mode = u"gateway"_s;
        context->sourceName = m_remoteSourceName;
        context->paperTrading = m_remotePaperTrading;
    } else {
        m_engine = new MarketEngine(instruments, engineOptions);
        m_engine->setOrderService(std::move(m_pendingOrderService));
        mode = m_pendingSource                  ? m_pendingSource->name()
               : m_options.replayFile.isEmpty() ? u"simulation"_s
                                                : u"replay"_s;
        context->sourceName = m_pendingSource                  ? m_pendingSource->name()
                              : m_options.replayFile.isEmpty() ? u"sim"_s
                                                               : u"replay"_s;
        context->paperTrading = m_pendingSource != nullptr;
        if (m_pendingSource)
            m_engine->setSource(std::move(m_pendingSource));
        m_backend = m_engine;
        connect(m_engine, &MarketEngine::replayFinished, this, &FeedServer::replayFinished);
    }
    m_interest = context->interest;
    m_sourceName = context->sourceName;
    m_backend->setInterest(context->interest);
    context->backend = m_backend;
    m_engineThread = new QThread(this);
    m_engineThread->setObjectName(u"tickwire-engine"_s);
    m_backend->moveToThread(m_engineThread);
    m_engineThread->start();

    if (m_engine && !m_engine->hasOrderService() && m_options.exchange) {
        // The exchange's SQLite connection belongs to the thread that opens it: the engine's.
        exchange::ExchangeOptions exchangeOptions;
        exchangeOptions.statePath = m_options.statePath;
        exchangeOptions.keepEvents = m_options.keepEvents;
        exchangeOptions.paper = m_engine->isLive();
        QString exchangeError;
        std::int64_t epoch = 0;
        MarketEngine *engine = m_engine;
        QMetaObject::invokeMethod(
            engine,
            [engine, exchangeOptions, &exchangeError, &epoch] {
                auto service = std::make_unique<ExchangeService>(*engine, exchangeOptions);
                if (service->open(&exchangeError)) {
                    epoch = service->epoch();
                    engine->setOrderService(std::move(service));
                }
            },
            Qt::BlockingQueuedConnection);
        if (epoch == 0) {
            stop();
            return fail(u"the exchange could not start: "_s + exchangeError);
        }
        m_exchangeEpoch = epoch;
    }

    const int workerCount = std::max(1, m_options.workerThreads);
    for (int i = 0; i < workerCount; ++i) {
        auto *worker = new FeedWorker(context);
        auto *thread = new QThread(this);
        thread->setObjectName(u"tickwire-worker-%1"_s.arg(i));
        worker->moveToThread(thread);
        thread->start();
        QMetaObject::invokeMethod(worker, &FeedWorker::init, Qt::BlockingQueuedConnection);
        // Into the worker's bounded inbox, on the engine thread: no unbounded event queue.
        std::shared_ptr<WorkerInbox> inbox = worker->inbox();
        connect(
            m_backend, &MarketBackend::published, m_backend,
            [inbox](const PublishedBatch &batch) { inbox->push(batch); }, Qt::DirectConnection);
        connect(
            m_backend, &MarketBackend::streamsLost, m_backend,
            [inbox](const QHash<int, qint64> &lost) { inbox->pushLost(lost); },
            Qt::DirectConnection);
        // The worker outlives its inbox's tasks: stop() closes the inboxes before it deletes
        // the workers.
        connect(
            m_backend, &MarketBackend::sourceStatusChanged, m_backend,
            [inbox, worker](const protocol::SourceStatus &status) {
                inbox->post([worker, status] { worker->setSourceStatus(status); });
            },
            Qt::DirectConnection);
        m_inboxes.append(inbox);
        m_workers.append(worker);
        m_workerThreads.append(thread);
    }
    QMetaObject::invokeMethod(m_backend, &MarketBackend::start, Qt::QueuedConnection);
    m_acceptor->resumeAccepting();
    m_running = true;
    qCInfo(lcServer).noquote()
        << u"event=listening url=%1 workers=%2 instruments=%3 mode=%4 seed=%5"_s
               .arg(url().toString())
               .arg(workerCount)
               .arg(instruments.size())
               .arg(mode)
               .arg(engineOptions.seed);
    return true;
}

void FeedServer::stop()
{
    if (!m_acceptor)
        return;
    setStatsInterval(0);
    m_acceptor->close();
    delete m_acceptor;
    m_acceptor = nullptr;
    // Whatever still waits for the workers is dropped, so the shutdown below is not queued
    // behind it (a closed inbox discards what the engine still posts).
    for (const std::shared_ptr<WorkerInbox> &inbox : std::as_const(m_inboxes))
        inbox->close();
    // Workers first: once shut down they take no new sessions and read no more requests
    // (every session is closing), so nothing posts to the engine any more; what they posted
    // before is handled ahead of the engine's deletion on its thread. Then the engine, after
    // which nothing posts to the workers.
    for (FeedWorker *worker : std::as_const(m_workers)) {
        QMetaObject::invokeMethod(worker, &FeedWorker::shutdown, Qt::BlockingQueuedConnection);
    }
    if (m_backend) {
        MarketBackend *backend = m_backend;
        QMetaObject::invokeMethod(
            backend, [backend] { delete backend; }, Qt::BlockingQueuedConnection);
        m_backend = nullptr;
        m_engine = nullptr;
        m_engineThread->quit();
        m_engineThread->wait();
        delete m_engineThread;
        m_engineThread = nullptr;
    }
    // Let the close frames reach the kernel before the sockets are destroyed.
    for (qsizetype i = 0; i < m_workers.size(); ++i) {
        FeedWorker *worker = m_workers[i];
        QMetaObject::invokeMethod(
            worker, [worker] { delete worker; }, Qt::BlockingQueuedConnection);
        m_workerThreads[i]->quit();
        m_workerThreads[i]->wait();
        delete m_workerThreads[i];
    }
    m_workers.clear();
    m_workerThreads.clear();
    m_inboxes.clear();
    m_running = false;
    qCInfo(lcServer).noquote() << u"event=stopped"_s;
}

ServerStats FeedServer::stats() const
{
    ServerStats stats = m_counters->snapshot();
    for (const std::shared_ptr<WorkerInbox> &inbox : m_inboxes) {
        const WorkerInbox::Stats s = inbox->stats();
        stats.batchesDropped += s.droppedBatches;
        stats.maxQueuedBatches = std::max<std::int64_t>(stats.maxQueuedBatches, s.maxDepth);
    }
    return stats;
}

void FeedServer::setDeliveryHeld(bool held)
{
    for (const std::shared_ptr<WorkerInbox> &inbox : std::as_const(m_inboxes))
        inbox->setHeld(held);
}

quint16 FeedServer::port() const
{
    return m_acceptor ? m_acceptor->serverPort() : 0;
}

QUrl FeedServer::url() const
{
    QUrl u;
    const bool tls = !m_options.tlsCertFile.isEmpty();
    u.setScheme(tls ? u"wss"_s : u"ws"_s);
    u.setHost(m_options.address.toString());
    u.setPort(port());
    u.setPath(u"/"_s);
    return u;
}

void FeedServer::setStatsInterval(int seconds)
{
    if (seconds <= 0) {
        delete m_statsTimer;
        m_statsTimer = nullptr;
        return;
    }
    if (!m_statsTimer) {
        m_statsTimer = new QTimer(this);
        connect(m_statsTimer, &QTimer::timeout, this, &FeedServer::logStats);
    }
    m_lastStats = stats();
    m_statsTimer->start(seconds * 1000);
}

void FeedServer::logStats()
{
    const ServerStats now = stats();
    const double seconds = m_statsTimer->interval() / 1000.0;
    qCInfo(lcServer).noquote()
        << u"event=stats connections=%1 msgs_out_per_s=%2 bytes_out_per_s=%3 msgs_in_per_s=%4 trades_dropped=%5 conflations=%6 slow_closed=%7 rate_limited=%8 rejected=%9 batches_dropped=%10 resyncs=%11"_s
               .arg(now.connections)
               .arg(double(now.messagesOut - m_lastStats.messagesOut) / seconds, 0, 'f', 1)
               .arg(double(now.bytesOut - m_lastStats.bytesOut) / seconds, 0, 'f', 0)
               .arg(double(now.messagesIn - m_lastStats.messagesIn) / seconds, 0, 'f', 1)
               .arg(now.tradesDropped)
               .arg(now.conflations)
               .arg(now.slowConsumerClosed)
               .arg(now.rateLimited)
               .arg(now.rejectedConnections)
               .arg(now.batchesDropped)
               .arg(now.resyncs);
    m_lastStats = now;
}

} // namespace tickwire::server
