#include "exchanges/binancesource.h"

#include "exchanges/framerecorder.h"
#include "exchanges/upstreamsocket.h"

#include <QtCore/QDateTime>
#include <QtCore/QLoggingCategory>
#include <QtCore/QUrlQuery>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>

namespace tickwire::exchanges {

Q_LOGGING_CATEGORY(lcBinance, "tickwire.feed.binance")

using namespace Qt::StringLiterals;
using binance::BinanceBookSync;

namespace {

QUrl withPath(QUrl base, QStringView path)
{
    QString basePath = base.path();
    while (basePath.endsWith(u'/'))
        basePath.chop(1);
    base.setPath(basePath + path);
    return base;
}

std::int64_t nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

BinanceSource::BinanceSource(BinanceOptions options, QObject *parent)
    : MarketSource(parent)
    , m_options(std::move(options))
    , m_upstream(new UpstreamSocket(lcBinance(), m_options.reconnect, this))
    , m_maxAgeTimer(new QTimer(this))
    , m_restTimer(new QTimer(this))
    , m_restPolicy(m_options.reconnect)
{
    qRegisterMetaType<SourceStatus>();
    m_status.source = name();
    for (const binance::SymbolInfo &s : std::as_const(m_options.symbols)) {
        m_byExchangeSymbol.insert(s.exchangeSymbol, int(m_books.size()));
        m_bySymbol.insert(s.info.symbol, int(m_books.size()));
        m_books.push_back(std::make_unique<BinanceBookSync>(s.info));
    }
    m_queued.assign(m_books.size(), false);
    m_upstream->setSilenceTimeout(m_options.silenceTimeoutMs);
    connect(m_upstream, &UpstreamSocket::connected, this, &BinanceSource::onConnected);
    connect(m_upstream, &UpstreamSocket::disconnected, this, &BinanceSource::onDisconnected);
    connect(m_upstream, &UpstreamSocket::textReceived, this, &BinanceSource::onText);
    m_maxAgeTimer->setSingleShot(true);
    m_restTimer->setSingleShot(true);
    connect(m_maxAgeTimer, &QTimer::timeout, this,
            [this] { m_upstream->reconnectNow(u"connection age limit"_s); });
    connect(m_restTimer, &QTimer::timeout, this, &BinanceSource::fetchNextSnapshot);
}

BinanceSource::~BinanceSource()
{
    stop();
}

QString BinanceSource::configurationError() const
{
    const qsizetype streams = qsizetype(m_books.size()) * binance::streamNames({}).size();
    if (m_books.empty())
        return u"no symbols to subscribe to"_s;
    if (streams > BinanceOptions::MaxStreamsPerConnection)
        return u"%1 symbols need %2 streams; one Binance connection carries at most %3"_s
            .arg(m_books.size())
            .arg(streams)
            .arg(BinanceOptions::MaxStreamsPerConnection);
    return {};
}

QUrl BinanceSource::streamUrl() const
{
    QStringList streams;
    for (const binance::SymbolInfo &s : m_options.symbols)
        streams += binance::streamNames(s.exchangeSymbol);
    QUrl url = withPath(m_options.webSocketBase, u"/stream");
    url.setQuery(u"streams="_s + streams.join(u'/'));
    return url;
}

SourceStatus BinanceSource::status() const
{
    SourceStatus status = m_status;
    status.reconnects = m_upstream->reconnects();
    status.lastMessageTs = m_upstream->lastMessageTs();
    return status;
}

void BinanceSource::start()
{
    if (!m_network)
        m_network = new QNetworkAccessManager(this);
    m_upstream->setRecorder(recorder());
    m_upstream->setUrl(streamUrl());
    m_upstream->start();
}

void BinanceSource::stop()
{
    m_upstream->stop();
    m_maxAgeTimer->stop();
    m_restTimer->stop();
    ++m_generation;
}

void BinanceSource::resync(const QString &symbol)
{
    const int index = m_bySymbol.value(symbol, -1);
    if (index < 0)
        return;
    qCWarning(lcBinance).noquote()
        << u"event=book_resync symbol=%1 reason=\"asked by the engine\""_s.arg(symbol);
    m_books[std::size_t(index)]->reset();
    updateStatus();
}

void BinanceSource::onConnected()
{
    m_maxAgeTimer->start(std::chrono::milliseconds(m_options.maxConnectionMs));
    qCInfo(lcBinance).noquote() << u"event=upstream_connected symbols=%1"_s.arg(m_books.size());
    updateStatus();
}

void BinanceSource::onDisconnected()
{
    m_maxAgeTimer->stop();
    // Every book is stale from here: the stream that kept them has a hole.
    ++m_generation;
    for (auto &book : m_books)
        book->reset();
    m_snapshotQueue.clear();
    m_queued.assign(m_books.size(), false);
    m_snapshotInFlight = false;
    m_restTimer->stop();
    updateStatus();
}

void BinanceSource::onText(const QString &text)
{
    const binance::StreamResult result = binance::parseStreamMessage(text.toUtf8());
    if (!result.ok()) {
        qCWarning(lcBinance).noquote()
            << u"event=upstream_bad_message reason=\"%1\""_s.arg(result.error);
        return;
    }
    const auto indexOf = [this](const QString &exchangeSymbol) {
        return m_byExchangeSymbol.value(exchangeSymbol, -1);
    };
    const auto offGrid = [](const QString &symbol, QLatin1StringView what) {
        qCWarning(lcBinance).noquote()
            << u"event=upstream_off_grid symbol=%1 message=%2"_s.arg(symbol, what);
    };
    std::visit(
        [&](const auto &event) {
            using T = std::decay_t<decltype(event)>;
            if constexpr (std::is_same_v<T, binance::ServerShutdown>) {
                m_upstream->reconnectNow(u"serverShutdown"_s);
            } else if constexpr (std::is_same_v<T, binance::Unhandled>) {
                // A stream we did not ask for: nothing to do.
            } else {
                const int index = indexOf(event.symbol);
                if (index < 0)
                    return;
                const protocol::InstrumentInfo &info = m_books[std::size_t(index)]->instrument();
                if constexpr (std::is_same_v<T, binance::DepthUpdate>) {
                    handleBook(index, m_books[std::size_t(index)]->onEvent(event));
                } else if constexpr (std::is_same_v<T, binance::TradeEvent>) {
                    if (const auto trade = binance::toTrade(event, info))
                        Q_EMIT tradeReceived(*trade);
                    else
                        offGrid(info.symbol, "trade"_L1);
                } else if constexpr (std::is_same_v<T, binance::TickerEvent>) {
                    if (const auto ticker = binance::toTicker(event, info))
                        Q_EMIT tickerReceived(*ticker);
                    else
                        offGrid(info.symbol, "ticker"_L1);
                } else if constexpr (std::is_same_v<T, binance::KlineEvent>) {
                    if (const auto candle = binance::toCandle(event, info))
                        Q_EMIT candleReceived(*candle);
                    else
                        offGrid(info.symbol, "kline"_L1);
                }
            }
        },
        *result.event);
}

void BinanceSource::handleBook(int index, const BinanceBookSync::Output &output)
{
    const BinanceBookSync &sync = *m_books[std::size_t(index)];
    if (!output.resyncReason.isEmpty())
        qCWarning(lcBinance).noquote() << u"event=book_resync symbol=%1 reason=\"%2\""_s.arg(
            sync.instrument().symbol, output.resyncReason);
    for (const protocol::Book &book : output.books)
        Q_EMIT bookReceived(book);
    if (output.fetchSnapshot)
        queueSnapshot(index);
    updateStatus();
}

void BinanceSource::queueSnapshot(int index)
{
    if (m_queued[std::size_t(index)])
        return;
    m_queued[std::size_t(index)] = true;
    m_snapshotQueue.push_back(index);
    fetchNextSnapshot();
}

void BinanceSource::fetchNextSnapshot()
{
    if (m_snapshotInFlight || m_restTimer->isActive() || m_snapshotQueue.empty() || !m_network)
        return;
    const int index = m_snapshotQueue.front();
    m_snapshotQueue.pop_front();
    m_queued[std::size_t(index)] = false;
    QUrl url = withPath(m_options.restBase, u"/api/v3/depth");
    QUrlQuery query;
    query.addQueryItem(u"symbol"_s, m_options.symbols[index].exchangeSymbol);
    query.addQueryItem(u"limit"_s, QString::number(m_options.depthLimit));
    url.setQuery(query);
    m_snapshotInFlight = true;
    QNetworkReply *reply = m_network->get(QNetworkRequest(url));
    const quint64 generation = m_generation;
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, index, generation] { onSnapshotReply(reply, index, generation); });
}

void BinanceSource::onSnapshotReply(QNetworkReply *reply, int index, quint64 generation)
{
    reply->deleteLater();
    if (generation != m_generation)
        return; // the connection it belonged to is gone (its queue was cleared)
    m_snapshotInFlight = false;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    if (FrameRecorder *r = recorder())
        r->restReply(reply->url(), status, body);
    const QString symbol = m_books[std::size_t(index)]->instrument().symbol;
    if (reply->error() != QNetworkReply::NoError || status != 200) {
        // 429/418: Binance's request-weight limit; it says when to come back.
        int delay = m_restPolicy.next().delayMs;
        if (status == 429 || status == 418) {
            bool ok = false;
            const int seconds = reply->rawHeader("Retry-After").toInt(&ok);
            delay = ok ? seconds * 1000 : 60'000;
        }
        qCWarning(lcBinance).noquote()
            << u"event=snapshot_failed symbol=%1 status=%2 error=\"%3\" retry_ms=%4"_s.arg(symbol)
                   .arg(status)
                   .arg(reply->errorString())
                   .arg(delay);
        m_queued[std::size_t(index)] = true;
        m_snapshotQueue.push_front(index);
        m_restTimer->start(delay);
        return;
    }
    m_restPolicy.markLive();
    const binance::DepthSnapshotResult parsed = binance::parseDepthSnapshot(body);
    if (!parsed.ok()) {
        qCWarning(lcBinance).noquote()
            << u"event=snapshot_bad symbol=%1 reason=\"%2\""_s.arg(symbol, parsed.error);
        m_books[std::size_t(index)]->reset();
    } else {
        handleBook(index, m_books[std::size_t(index)]->onSnapshot(parsed.snapshot, nowMs()));
    }
    fetchNextSnapshot();
}

void BinanceSource::updateStatus()
{
    SourceState state = SourceState::Down;
    if (m_upstream->isConnected()) {
        state = SourceState::Live;
        for (const auto &book : m_books) {
            if (book->state() != BinanceBookSync::State::Synced)
                state = SourceState::Resyncing;
        }
    }
    if (state == m_status.state)
        return;
    m_status = status();
    m_status.state = state;
    qCInfo(lcBinance).noquote() << u"event=source_status state=%1 reconnects=%2"_s
                                       .arg(toString(state))
                                       .arg(m_status.reconnects);
    Q_EMIT statusChanged(m_status);
}

void fetchBinanceSymbols(QNetworkAccessManager *network, const QUrl &restBase,
                         const QStringList &symbols,
                         const std::function<void(QList<binance::SymbolInfo>, QString)> &done,
                         FrameRecorder *recorder)
{
    fetchJson(network, withPath(restBase, u"/api/v3/exchangeInfo"), u"exchangeInfo"_s, recorder,
              [symbols, done](const QByteArray &body, const QString &error) {
                  if (!error.isEmpty()) {
                      done({}, error);
                      return;
                  }
                  const binance::ExchangeInfoResult info = binance::parseExchangeInfo(body);
                  if (!info.ok()) {
                      done({}, info.error);
                      return;
                  }
                  QString missing;
                  auto picked = pickInOrder(info.symbols, symbols, &missing);
                  if (!picked)
                      done({}, u"Binance lists no trading symbol %1"_s.arg(missing));
                  else
                      done(std::move(*picked), {});
              });
}

} // namespace tickwire::exchanges
