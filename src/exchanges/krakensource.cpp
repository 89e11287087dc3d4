#include "exchanges/krakensource.h"

#include "exchanges/framerecorder.h"
#include "exchanges/upstreamsocket.h"

#include <QtCore/QDateTime>
#include <QtCore/QLoggingCategory>
#include <QtWebSockets/QWebSocket>

namespace tickwire::exchanges {

Q_LOGGING_CATEGORY(lcKraken, "tickwire.feed.kraken")

using namespace Qt::StringLiterals;
using kraken::KrakenBookSync;

namespace {

std::int64_t nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// Pairs that carry no market data.
bool isListed(const kraken::InstrumentPair &pair)
{
    return pair.status != "delisted"_L1 && pair.status != "work_in_progress"_L1;
}

} // namespace

KrakenSource::KrakenSource(KrakenOptions options, QObject *parent)
    : MarketSource(parent)
    , m_options(std::move(options))
    , m_upstream(new UpstreamSocket(lcKraken(), m_options.reconnect, this))
{
    qRegisterMetaType<SourceStatus>();
    m_status.source = name();
    for (const kraken::SymbolInfo &s : std::as_const(m_options.symbols)) {
        m_byExchangeSymbol.insert(s.exchangeSymbol, int(m_books.size()));
        m_bySymbol.insert(s.info.symbol, int(m_books.size()));
        m_books.push_back(std::make_unique<KrakenBookSync>(s.info, m_options.depth));
    }
    m_upstream->setSilenceTimeout(m_options.silenceTimeoutMs);
    // Quiet for half the bound: ask; any answer (pong or data) restarts the clock.
    m_upstream->setProbe([this] { send(kraken::pingRequest(m_nextReqId++)); });
    connect(m_upstream, &UpstreamSocket::connected, this, &KrakenSource::onConnected);
    connect(m_upstream, &UpstreamSocket::disconnected, this, &KrakenSource::onDisconnected);
    connect(m_upstream, &UpstreamSocket::textReceived, this, &KrakenSource::onText);
}

KrakenSource::~KrakenSource()
{
    stop();
}

QString KrakenSource::configurationError() const
{
    if (m_books.empty())
        return u"no symbols to subscribe to"_s;
    static constexpr std::array<int, 5> Depths{10, 25, 100, 500, 1000};
    if (std::find(Depths.begin(), Depths.end(), m_options.depth) == Depths.end())
        return u"Kraken book depth %1 is not one of 10, 25, 100, 500, 1000"_s.arg(m_options.depth);
    return {};
}

const KrakenBookSync *KrakenSource::book(const QString &symbol) const
{
    const int index = m_bySymbol.value(symbol, -1);
    return index < 0 ? nullptr : m_books[std::size_t(index)].get();
}

SourceStatus KrakenSource::status() const
{
    SourceStatus status = m_status;
    status.reconnects = m_upstream->reconnects();
    status.lastMessageTs = m_upstream->lastMessageTs();
    return status;
}

void KrakenSource::start()
{
    m_upstream->setRecorder(recorder());
    m_upstream->setUrl(m_options.webSocketBase);
    m_upstream->start();
}

void KrakenSource::stop()
{
    m_upstream->stop();
}

void KrakenSource::resync(const QString &symbol)
{
    const int index = m_bySymbol.value(symbol, -1);
    if (index < 0 || !m_upstream->isConnected())
        return; // not connected: the next connection subscribes afresh anyway
    handleBook(index, m_books[std::size_t(index)]->resync(u"asked by the engine"_s));
}

void KrakenSource::onConnected()
{
    for (auto &book : m_books)
        book->reset();
    qCInfo(lcKraken).noquote() << u"event=upstream_connected symbols=%1"_s.arg(m_books.size());
    subscribeAll();
    updateStatus();
}

void KrakenSource::subscribeAll()
{
    QStringList symbols;
    for (const kraken::SymbolInfo &s : std::as_const(m_options.symbols))
        symbols.append(s.exchangeSymbol);
    send(kraken::subscribeRequest("book"_L1, symbols, m_options.depth));
    send(kraken::subscribeRequest("trade"_L1, symbols));
    send(kraken::subscribeRequest("ticker"_L1, symbols));
    for (const kraken::IntervalPair &interval : kraken::Intervals)
        send(kraken::subscribeRequest("ohlc"_L1, symbols, interval.minutes));
}

void KrakenSource::send(const QString &text)
{
    m_upstream->sendText(text);
}

void KrakenSource::onDisconnected()
{
    for (auto &book : m_books)
        book->reset(); // the stream that kept them has a hole
    updateStatus();
}

void KrakenSource::onText(const QString &text)
{
    const kraken::MessageResult result = kraken::parseMessage(text.toUtf8());
    if (!result.ok()) {
        qCWarning(lcKraken).noquote()
            << u"event=upstream_bad_message reason=\"%1\""_s.arg(result.error);
        return;
    }
    const auto indexOf = [this](const QString &exchangeSymbol) {
        return m_byExchangeSymbol.value(exchangeSymbol, -1);
    };
    const auto infoAt = [this](int index) -> const protocol::InstrumentInfo & {
        return m_books[std::size_t(index)]->instrument();
    };
    const auto offGrid = [](const QString &symbol, QLatin1StringView what) {
        qCWarning(lcKraken).noquote()
            << u"event=upstream_off_grid symbol=%1 message=%2"_s.arg(symbol, what);
    };
    std::visit(
        [&](const auto &message) {
            using T = std::decay_t<decltype(message)>;
            if constexpr (std::is_same_v<T, kraken::BookMessage>) {
                for (const kraken::BookData &data : message.books) {
                    const int index = indexOf(data.symbol);
                    if (index < 0)
                        continue;
                    KrakenBookSync &sync = *m_books[std::size_t(index)];
                    handleBook(index, message.snapshot ? sync.onSnapshot(data, nowMs())
                                                       : sync.onUpdate(data, nowMs()));
                }
            } else if constexpr (std::is_same_v<T, kraken::TradeMessage>) {
                for (const kraken::TradeEvent &event : message.trades) {
                    const int index = indexOf(event.symbol);
                    if (index < 0)
                        continue;
                    if (const auto trade = kraken::toTrade(event, infoAt(index)))
                        Q_EMIT tradeReceived(*trade);
                    else
                        offGrid(infoAt(index).symbol, "trade"_L1);
                }
            } else if constexpr (std::is_same_v<T, kraken::TickerMessage>) {
                for (const kraken::TickerEvent &event : message.tickers) {
                    const int index = indexOf(event.symbol);
                    if (index < 0)
                        continue;
                    if (const auto ticker = kraken::toTicker(event, infoAt(index), nowMs()))
                        Q_EMIT tickerReceived(*ticker);
                    else
                        offGrid(infoAt(index).symbol, "ticker"_L1);
                }
            } else if constexpr (std::is_same_v<T, kraken::OhlcMessage>) {
                for (const kraken::CandleEvent &event : message.candles) {
                    const int index = indexOf(event.symbol);
                    if (index < 0)
                        continue;
                    if (const auto candle = kraken::toCandle(event, infoAt(index)))
                        Q_EMIT candleReceived(*candle);
                    else
                        offGrid(infoAt(index).symbol, "ohlc"_L1);
                }
            } else if constexpr (std::is_same_v<T, kraken::StatusUpdate>) {
                if (message.system != "online"_L1)
                    qCWarning(lcKraken).noquote()
                        << u"event=exchange_status system=%1"_s.arg(message.system);
            } else if constexpr (std::is_same_v<T, kraken::MethodReply>) {
                if (!message.success)
                    qCWarning(lcKraken).noquote()
                        << u"event=request_refused method=%1 channel=%2 symbol=%3 error=\"%4\""_s
                               .arg(message.method, message.channel, message.symbol, message.error);
            }
            // Heartbeat and pong only prove the link is alive (the silence clock restarted
            // above); instrument updates and unknown channels are not used.
        },
        *result.message);
}

void KrakenSource::handleBook(int index, const KrakenBookSync::Output &output)
{
    const KrakenBookSync &sync = *m_books[std::size_t(index)];
    if (!output.problem.isEmpty())
        qCWarning(lcKraken).noquote() << u"event=book_%1 symbol=%2 reason=\"%3\""_s.arg(
            output.resubscribe ? "resync"_L1 : "problem"_L1, sync.instrument().symbol,
            output.problem);
    for (const protocol::Book &book : output.books)
        Q_EMIT bookReceived(book);
    if (output.resubscribe) {
        const QStringList symbol{m_options.symbols[index].exchangeSymbol};
        send(kraken::unsubscribeRequest("book"_L1, symbol, m_options.depth));
        send(kraken::subscribeRequest("book"_L1, symbol, m_options.depth));
    }
    updateStatus();
}

void KrakenSource::updateStatus()
{
    SourceState state = SourceState::Down;
    if (m_upstream->isConnected()) {
        // A book shown unverified is the lasting problem, one waiting for its snapshot a
        // passing one: unverified must not hide behind another symbol's resync.
        state = SourceState::Live;
        for (const auto &book : m_books) {
            if (book->state() == KrakenBookSync::State::Unverified) {
                state = SourceState::Unverified;
                break;
            }
            if (book->state() == KrakenBookSync::State::AwaitingSnapshot)
                state = SourceState::Resyncing;
        }
    }
    if (state == m_status.state)
        return;
    m_status = status();
    m_status.state = state;
    qCInfo(lcKraken).noquote() << u"event=source_status state=%1 reconnects=%2"_s
                                      .arg(toString(state))
                                      .arg(m_status.reconnects);
    Q_EMIT statusChanged(m_status);
}

void fetchKrakenSymbols(QObject *parent, const QUrl &url, const QStringList &symbols,
                        const std::function<void(QList<kraken::SymbolInfo>, QString)> &done,
                        FrameRecorder *recorder, int timeoutMs)
{
    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, parent);
    auto *timer = new QTimer(socket);
    timer->setSingleShot(true);
    const int connection = recorder ? recorder->connectionOpened() : 0;
    auto finished = std::make_shared<bool>(false);
    const auto finish = [socket, finished, done](const QList<kraken::SymbolInfo> &found,
                                                 const QString &error) {
        if (std::exchange(*finished, true))
            return;
        socket->disconnect();
        socket->close();
        socket->deleteLater();
        done(found, error);
    };
    const auto pick = [symbols](const kraken::InstrumentMessage &message, QString *error) {
        QList<kraken::SymbolInfo> listed;
        for (const kraken::InstrumentPair &pair : message.pairs) {
            if (!isListed(pair))
                continue;
            if (!symbols.isEmpty()
                && std::none_of(symbols.cbegin(), symbols.cend(), [&](const QString &s) {
                       return kraken::toKrakenSymbol(s) == pair.symbol;
                   }))
                continue;
            const std::optional<kraken::SymbolInfo> info = kraken::toSymbolInfo(pair, error);
            if (!info)
                return QList<kraken::SymbolInfo>{};
            listed.append(*info);
        }
        // XBT-USD asks for BTC-USD: Kraken's own name for bitcoin is accepted too.
        QStringList wanted;
        for (const QString &symbol : symbols) {
            const QString normalised = kraken::fromKrakenSymbol(kraken::toKrakenSymbol(symbol));
            wanted.append(normalised.isEmpty() ? symbol : normalised);
        }
        QString missing;
        std::optional<QList<kraken::SymbolInfo>> picked = pickInOrder(listed, wanted, &missing);
        if (!picked) {
            *error = u"Kraken lists no trading pair %1"_s.arg(missing);
            return QList<kraken::SymbolInfo>{};
        }
        return *std::move(picked);
    };
    QObject::connect(socket, &QWebSocket::connected, socket, [socket, recorder, connection] {
        const QString request = kraken::instrumentRequest();
        socket->sendTextMessage(request);
        if (recorder)
            recorder->sent(connection, request);
    });
    QObject::connect(
        socket, &QWebSocket::textMessageReceived, socket,
        [recorder, connection, finish, pick](const QString &text) {
            if (recorder)
                recorder->received(connection, text);
            const kraken::MessageResult result = kraken::parseMessage(text.toUtf8());
            if (!result.ok()) {
                finish({}, u"Kraken instrument channel: %1"_s.arg(result.error));
                return;
            }
            if (const auto *reply = std::get_if<kraken::MethodReply>(&*result.message);
                reply && !reply->success) {
                finish({}, u"Kraken refused the instrument subscription: %1"_s.arg(reply->error));
                return;
            }
            const auto *message = std::get_if<kraken::InstrumentMessage>(&*result.message);
            if (!message || !message->snapshot)
                return; // status, heartbeat, the acknowledgement
            QString error;
            const QList<kraken::SymbolInfo> found = pick(*message, &error);
            finish(found, error);
        });
    QObject::connect(socket, &QWebSocket::disconnected, socket, [socket, url, finish] {
        finish({}, u"Kraken instrument discovery at %1 failed: %2"_s.arg(url.toString(),
                                                                         socket->errorString()));
    });
    QObject::connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), socket,
                     [socket, url, finish](QAbstractSocket::SocketError) {
                         finish({}, u"Kraken instrument discovery at %1 failed: %2"_s.arg(
                                        url.toString(), socket->errorString()));
                     });
    QObject::connect(timer, &QTimer::timeout, socket, [url, finish, timeoutMs] {
        finish({},
               u"Kraken instrument discovery at %1: no snapshot within %2 ms"_s.arg(url.toString())
                   .arg(timeoutMs));
    });
    timer->start(timeoutMs);
    socket->open(url);
}

} // namespace tickwire::exchanges
