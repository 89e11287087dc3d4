#include "exchanges/coinbasesource.h"

#include "exchanges/framerecorder.h"
#include "exchanges/upstreamsocket.h"

#include <QtCore/QLoggingCategory>
#include <QtCore/QUrlQuery>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>

namespace tickwire::exchanges {

Q_LOGGING_CATEGORY(lcCoinbase, "tickwire.feed.coinbase")

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 RateWindowMs = 1000;

QUrl withPath(QUrl base, QStringView path)
{
    QString basePath = base.path();
    while (basePath.endsWith(u'/'))
        basePath.chop(1);
    base.setPath(basePath + path);
    return base;
}

} // namespace

CoinbaseSource::CoinbaseSource(CoinbaseOptions options, QObject *parent)
    : MarketSource(parent)
    , m_options(std::move(options))
    , m_books(m_options.products)
    , m_upstream(new UpstreamSocket(lcCoinbase(), m_options.reconnect, this))
    , m_heartbeatTimer(new QTimer(this))
    , m_sendTimer(new QTimer(this))
    , m_flushTimer(new QTimer(this))
{
    qRegisterMetaType<SourceStatus>();
    m_status.source = name();
    for (qsizetype i = 0; i < m_options.products.size(); ++i)
        m_candles.emplace_back(tradeBuiltIntervals());
    m_clock.start();
    m_upstream->setSilenceTimeout(m_options.heartbeatTimeoutMs);
    connect(m_upstream, &UpstreamSocket::connected, this, &CoinbaseSource::onConnected);
    connect(m_upstream, &UpstreamSocket::disconnected, this, &CoinbaseSource::onDisconnected);
    connect(m_upstream, &UpstreamSocket::textReceived, this, &CoinbaseSource::onText);
    m_heartbeatTimer->setSingleShot(true);
    m_sendTimer->setSingleShot(true);
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(0);
    // Data can keep flowing on channels that Coinbase is about to close: the heartbeats
    // channel alone says the subscriptions are alive.
    connect(m_heartbeatTimer, &QTimer::timeout, this, [this] {
        m_upstream->drop(u"no heartbeat for %1 ms"_s.arg(m_options.heartbeatTimeoutMs));
    });
    connect(m_sendTimer, &QTimer::timeout, this, &CoinbaseSource::sendQueued);
    connect(m_flushTimer, &QTimer::timeout, this, &CoinbaseSource::flushResubscribes);
}

CoinbaseSource::~CoinbaseSource()
{
    stop();
}

QList<protocol::CandleInterval> CoinbaseSource::tradeBuiltIntervals()
{
    return {protocol::CandleInterval::S1, protocol::CandleInterval::M1,
            protocol::CandleInterval::M15, protocol::CandleInterval::H1};
}

QString CoinbaseSource::configurationError() const
{
    if (m_books.size() == 0)
        return u"no products to subscribe to"_s;
    return {};
}

QStringList CoinbaseSource::productIds() const
{
    QStringList ids;
    for (const coinbase::ProductInfo &p : m_options.products)
        ids.append(p.productId);
    return ids;
}

SourceStatus CoinbaseSource::status() const
{
    SourceStatus status = m_status;
    status.reconnects = m_upstream->reconnects();
    status.lastMessageTs = m_upstream->lastMessageTs();
    return status;
}

void CoinbaseSource::start()
{
    m_upstream->setRecorder(recorder());
    m_upstream->setUrl(m_options.webSocketBase);
    m_upstream->start();
}

void CoinbaseSource::stop()
{
    m_upstream->stop();
    m_heartbeatTimer->stop();
    m_sendTimer->stop();
    m_flushTimer->stop();
    m_outbox.clear();
    m_resubscribe.clear();
}

void CoinbaseSource::resync(const QString &symbol)
{
    handleBooks(m_books.resync(symbol, u"asked by the engine"_s));
}

void CoinbaseSource::onConnected()
{
    m_heartbeatTimer->start(m_options.heartbeatTimeoutMs);
    qCInfo(lcCoinbase).noquote() << u"event=upstream_connected products=%1"_s.arg(m_books.size());
    // Heartbeats first: they keep the other subscriptions open.
    const QStringList ids = productIds();
    send(coinbase::subscriptionMessage("subscribe"_L1, "heartbeats"_L1, {}));
    send(coinbase::subscriptionMessage("subscribe"_L1, "level2"_L1, ids));
    send(coinbase::subscriptionMessage("subscribe"_L1, "market_trades"_L1, ids));
    send(coinbase::subscriptionMessage("subscribe"_L1, "ticker"_L1, ids));
    send(coinbase::subscriptionMessage("subscribe"_L1, "candles"_L1, ids));
    m_books.onConnected();
    updateStatus();
}

void CoinbaseSource::onDisconnected()
{
    m_heartbeatTimer->stop();
    m_sendTimer->stop();
    m_flushTimer->stop();
    m_outbox.clear();
    m_resubscribe.clear();
    // Every book is stale from here: the subscriptions died with the connection.
    m_books.reset();
    updateStatus();
}

void CoinbaseSource::onText(const QString &text)
{
    const coinbase::MessageResult result = coinbase::parseMessage(text.toUtf8());
    if (!result.ok())
        qCWarning(lcCoinbase).noquote()
            << u"event=upstream_bad_message reason=\"%1\""_s.arg(result.error);
    handleBooks(m_books.onMessage(result));
    if (!result.ok())
        return;
    const coinbase::Message &message = *result.message;
    const auto indexOf = [this](const QString &productId) { return m_books.indexOf(productId); };
    const auto offGrid = [](const QString &symbol, QLatin1StringView what) {
        qCWarning(lcCoinbase).noquote()
            << u"event=upstream_off_grid symbol=%1 message=%2"_s.arg(symbol, what);
    };
    std::visit(
        [&](const auto &payload) {
            using T = std::decay_t<decltype(payload)>;
            if constexpr (std::is_same_v<T, coinbase::TradesMessage>) {
                // Coinbase lists a snapshot's trades newest first; the engine wants them in order.
                QList<coinbase::TradeItem> trades = payload.trades;
                std::stable_sort(trades.begin(), trades.end(),
                                 [](const coinbase::TradeItem &a, const coinbase::TradeItem &b) {
                                     return a.tradeId < b.tradeId;
                                 });
                for (const coinbase::TradeItem &item : std::as_const(trades)) {
                    const int i = indexOf(item.productId);
                    if (i < 0)
                        continue;
                    const auto trade = coinbase::toTrade(item, m_books.book(i).instrument());
                    if (!trade) {
                        offGrid(item.productId, "market_trades"_L1);
                        continue;
                    }
                    Q_EMIT tradeReceived(*trade);
                    for (const protocol::Candle &candle : m_candles[std::size_t(i)].onTrade(*trade))
                        Q_EMIT candleReceived(candle);
                }
            } else if constexpr (std::is_same_v<T, coinbase::TickerMessage>) {
                for (const coinbase::TickerItem &item : payload.tickers) {
                    const int i = indexOf(item.productId);
                    if (i < 0)
                        continue;
                    if (const auto ticker = coinbase::toTicker(item, message.timestampMs,
                                                               m_books.book(i).instrument()))
                        Q_EMIT tickerReceived(*ticker);
                    else
                        offGrid(item.productId, "ticker"_L1);
                }
            } else if constexpr (std::is_same_v<T, coinbase::CandlesMessage>) {
                for (const coinbase::CandleItem &item : payload.candles) {
                    const int i = indexOf(item.productId);
                    if (i < 0)
                        continue;
                    if (const auto candle = coinbase::toCandle(item, m_books.book(i).instrument()))
                        Q_EMIT candleReceived(*candle);
                    else
                        offGrid(item.productId, "candles"_L1);
                }
            } else if constexpr (std::is_same_v<T, coinbase::HeartbeatMessage>) {
                m_heartbeatTimer->start(m_options.heartbeatTimeoutMs);
            } else if constexpr (std::is_same_v<T, coinbase::ErrorMessage>) {
                qCWarning(lcCoinbase).noquote()
                    << u"event=upstream_error message=\"%1\""_s.arg(payload.message);
            } else {
                // Book changes (m_books applied them above), subscription acknowledgements
                // and channels we did not ask for.
            }
        },
        message.payload);
}

void CoinbaseSource::handleBooks(const coinbase::CoinbaseBookSet::Output &output)
{
    for (const auto &resync : output.resyncs)
        qCWarning(lcCoinbase).noquote()
            << u"event=book_resync symbol=%1 reason=\"%2\""_s.arg(resync.symbol, resync.reason);
    for (const protocol::Book &book : output.books)
        Q_EMIT bookReceived(book);
    if (m_upstream->isConnected() && !output.resubscribe.isEmpty()) {
        for (const QString &id : output.resubscribe) {
            if (!m_resubscribe.contains(id))
                m_resubscribe.append(id);
        }
        m_flushTimer->start();
    }
    updateStatus();
}

void CoinbaseSource::flushResubscribes()
{
    if (m_resubscribe.empty() || !m_upstream->isConnected())
        return;
    const QStringList ids = std::exchange(m_resubscribe, {});
    send(coinbase::subscriptionMessage("unsubscribe"_L1, "level2"_L1, ids));
    send(coinbase::subscriptionMessage("subscribe"_L1, "level2"_L1, ids));
}

void CoinbaseSource::send(const QString &text)
{
    m_outbox.push_back(text);
    sendQueued();
}

void CoinbaseSource::sendQueued()
{
    while (!m_outbox.empty() && m_upstream->isConnected()) {
        const qint64 now = m_clock.elapsed();
        while (!m_sentAt.empty() && now - m_sentAt.front() >= RateWindowMs)
            m_sentAt.pop_front();
        if (qsizetype(m_sentAt.size()) >= std::max(1, m_options.messagesPerSecond)) {
            if (!m_sendTimer->isActive())
                m_sendTimer->start(int(m_sentAt.front() + RateWindowMs - now));
            return;
        }
        const QString text = std::move(m_outbox.front());
        m_outbox.pop_front();
        m_sentAt.push_back(now);
        m_upstream->sendText(text);
    }
}

void CoinbaseSource::updateStatus()
{
    SourceState state = SourceState::Down;
    if (m_upstream->isConnected())
        state = m_books.allSynced() ? SourceState::Live : SourceState::Resyncing;
    if (state == m_status.state)
        return;
    m_status = status();
    m_status.state = state;
    qCInfo(lcCoinbase).noquote() << u"event=source_status state=%1 reconnects=%2"_s
                                        .arg(toString(state))
                                        .arg(m_status.reconnects);
    Q_EMIT statusChanged(m_status);
}

void fetchCoinbaseProducts(QNetworkAccessManager *network, const QUrl &restBase,
                           const QStringList &symbols,
                           const std::function<void(QList<coinbase::ProductInfo>, QString)> &done,
                           FrameRecorder *recorder)
{
    QUrl url = withPath(restBase, u"/api/v3/brokerage/market/products");
    if (!symbols.isEmpty()) {
        QUrlQuery query;
        for (const QString &s : symbols)
            query.addQueryItem(u"product_ids"_s, s);
        url.setQuery(query);
    }
    fetchJson(network, url, u"Coinbase products"_s, recorder,
              [symbols, done](const QByteArray &body, const QString &error) {
                  if (!error.isEmpty()) {
                      done({}, error);
                      return;
                  }
                  const coinbase::ProductsResult parsed = coinbase::parseProducts(body);
                  if (!parsed.ok()) {
                      done({}, parsed.error);
                      return;
                  }
                  QString missing;
                  auto picked = pickInOrder(parsed.products, symbols, &missing);
                  if (!picked)
                      done({}, u"Coinbase lists no online spot product %1"_s.arg(missing));
                  else
                      done(std::move(*picked), {});
              });
}

} // namespace tickwire::exchanges
