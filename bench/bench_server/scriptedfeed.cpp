#include "scriptedfeed.h"

#include "server/instruments.h"

#include <QtCore/QDateTime>
#include <QtCore/QTimer>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketServer>

namespace tickwire::bench {

using namespace Qt::StringLiterals;
using protocol::Channel;
using protocol::Encoding;

namespace {

constexpr int TickMs = 10;
constexpr int BookLevels = 20;

std::int64_t nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// n steps of `step` (a tick or a lot), at the step's scale.
Decimal multipleOf(const Decimal &step, std::int64_t n)
{
    return *Decimal::fromUnits(n * step.mantissa(), step.scale());
}

QString stream(QLatin1StringView channel, const QString &symbol)
{
    return channel + u':' + symbol;
}

} // namespace

ScriptedFeed::ScriptedFeed(Options options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
    const QList<server::Instrument> defaults = server::defaultInstruments().instruments;
    for (int i = 0; i < m_options.symbols; ++i) {
        Market market;
        Decimal initial;
        if (i < defaults.size()) {
            market.info = defaults[i].info;
            initial = defaults[i].initialPrice;
        } else {
            const QString n = u"%1"_s.arg(i + 1, 2, 10, QLatin1Char('0'));
            market.info = protocol::InstrumentInfo{
                u"SYN"_s + n + u"-USD"_s,  u"Synthetic "_s + n,      u"SYN"_s + n, u"USD"_s,
                *Decimal::fromUnits(1, 2), *Decimal::fromUnits(1, 3)};
            initial = *Decimal::fromUnits(10'000 + 100 * i, 2);
        }
        market.priceTicks = initial.dividedBy(market.info.tickSize, 0)->mantissa();
        market.ticker.symbol = market.info.symbol;
        market.ticker.open24h = market.ticker.high24h = market.ticker.low24h = initial;
        market.ticker.volume24h = quantity(market, 0);
        m_bySymbol.insert(market.info.symbol, m_markets.size());
        m_markets.append(market);
    }
    for (Market &market : m_markets) {
        market.ticker = nextTicker(market, nowMs());
        for (int i = 0; i < protocol::TradesSnapshotSize; ++i)
            (void)nextTrade(market, nowMs()); // the tape opens full
    }
}

ScriptedFeed::~ScriptedFeed()
{
    for (Client *client : std::as_const(m_clients)) {
        client->socket->disconnect(this);
        delete client;
    }
}

bool ScriptedFeed::listen(quint16 port, QString *error)
{
    m_server = new QWebSocketServer(u"scripted"_s, QWebSocketServer::NonSecureMode, this);
    m_server->setSupportedSubprotocols(
        {QString(protocol::JsonSubprotocol), QString(protocol::CborSubprotocol)});
    connect(m_server, &QWebSocketServer::newConnection, this, &ScriptedFeed::onConnection);
    if (!m_server->listen(QHostAddress::LocalHost, port)) {
        *error = m_server->errorString();
        return false;
    }
    m_timer = new QTimer(this);
    m_timer->setTimerType(Qt::PreciseTimer);
    m_timer->setInterval(TickMs);
    connect(m_timer, &QTimer::timeout, this, &ScriptedFeed::tick);
    m_timer->start();
    m_heartbeat = new QTimer(this);
    m_heartbeat->setInterval(1000);
    connect(m_heartbeat, &QTimer::timeout, this, [this] {
        for (Client *client : std::as_const(m_clients))
            send(client, protocol::Heartbeat{nowMs()});
    });
    m_heartbeat->start();
    return true;
}

quint16 ScriptedFeed::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

void ScriptedFeed::setRate(double eventsPerSecond)
{
    m_options.eventsPerSecond = std::max(0.0, eventsPerSecond);
    m_carry = 0;
}

void ScriptedFeed::onConnection()
{
    while (m_server->hasPendingConnections()) {
        auto *client = new Client;
        client->socket = m_server->nextPendingConnection();
        client->socket->setParent(this);
        client->encoding = protocol::encodingFromSubprotocol(client->socket->subprotocol())
                               .value_or(Encoding::Json);
        m_clients.append(client);
        connect(client->socket, &QWebSocket::textMessageReceived, this,
                [this, client](const QString &text) {
                    onRequest(client, text.toUtf8(), Encoding::Json);
                });
        connect(
            client->socket, &QWebSocket::binaryMessageReceived, this,
            [this, client](const QByteArray &data) { onRequest(client, data, Encoding::Cbor); });
        connect(client->socket, &QWebSocket::disconnected, this, [this, client] {
            m_clients.removeOne(client);
            client->socket->deleteLater();
            delete client;
        });
        protocol::Welcome welcome;
        welcome.session = u"s-scripted"_s;
        welcome.ts = nowMs();
        send(client, welcome);
    }
}

void ScriptedFeed::onRequest(Client *client, const QByteArray &payload, Encoding encoding)
{
    const protocol::DecodeResult decoded = protocol::decode(payload, encoding);
    if (!decoded.ok()) {
        send(client, protocol::Error{decoded.error.id, decoded.error.code, decoded.error.message,
                                     std::nullopt});
        return;
    }
    const protocol::Message &m = *decoded.message;
    if (const auto *request = std::get_if<protocol::Subscribe>(&m)) {
        subscribe(client, *request);
    } else if (const auto *unsubscribe = std::get_if<protocol::Unsubscribe>(&m)) {
        for (const QString &symbol : unsubscribe->symbols)
            client->subscribed.remove(stream(protocol::toString(unsubscribe->channel), symbol));
        protocol::Ack ack;
        ack.id = unsubscribe->id;
        ack.channel = unsubscribe->channel;
        ack.symbols = unsubscribe->symbols;
        send(client, ack);
    } else if (const auto *list = std::get_if<protocol::ListSymbols>(&m)) {
        protocol::Symbols symbols;
        symbols.id = list->id;
        for (const Market &market : std::as_const(m_markets))
            symbols.symbols.append(market.info);
        send(client, symbols);
    } else if (const auto *ping = std::get_if<protocol::Ping>(&m)) {
        send(client, protocol::Pong{ping->id, ping->t, nowMs()});
    } else {
        send(client,
             protocol::Error{protocol::requestId(m), QString(protocol::ErrorCode::UnknownType),
                             u"not supported by the scripted feed"_s, std::nullopt});
    }
}

void ScriptedFeed::subscribe(Client *client, const protocol::Subscribe &request)
{
    if (request.channel == Channel::Orders) {
        send(client, protocol::Error{request.id, QString(protocol::ErrorCode::Unauthorized),
                                     u"the scripted feed has no accounts"_s, std::nullopt});
        return;
    }
    QStringList accepted;
    QList<protocol::Message> snapshots;
    const std::int64_t now = nowMs();
    for (const QString &symbol : request.symbols) {
        const auto index = m_bySymbol.constFind(symbol);
        if (index == m_bySymbol.cend()) {
            send(client, protocol::Error{request.id, QString(protocol::ErrorCode::UnknownSymbol),
                                         u"unknown symbol"_s, symbol});
            continue;
        }
        Market &market = m_markets[*index];
        accepted.append(symbol);
        client->subscribed.insert(stream(protocol::toString(request.channel), symbol));
        switch (request.channel) {
        case Channel::Ticker:
            snapshots.append(market.ticker);
            break;
        case Channel::Trades:
            snapshots.append(protocol::TradesSnapshot{
                symbol,
                QList<protocol::Trade>(market.recentTrades.begin(), market.recentTrades.end())});
            break;
        case Channel::Book:
            snapshots.append(bookSnapshot(market, now));
            break;
        case Channel::Candles:
            snapshots.append(candleHistory(
                market, request.interval.value_or(protocol::CandleInterval::M1), now));
            break;
        case Channel::Orders:
            break;
        }
    }
    protocol::Ack ack;
    ack.id = request.id;
    ack.channel = request.channel;
    ack.symbols = accepted;
    send(client, ack);
    for (const protocol::Message &snapshot : std::as_const(snapshots))
        send(client, snapshot);
}

QStringList ScriptedFeed::subscribedSymbols(QLatin1StringView channel) const
{
    QSet<QString> symbols;
    const QString prefix = channel + u':';
    for (const Client *client : m_clients) {
        for (const QString &s : client->subscribed) {
            if (s.startsWith(prefix))
                symbols.insert(s.mid(prefix.size()));
        }
    }
    QStringList sorted = symbols.values();
    sorted.sort();
    return sorted;
}

void ScriptedFeed::tick()
{
    const std::int64_t now = nowMs();
    if (m_lastTickMs == 0)
        m_lastTickMs = now;
    const double owed = m_options.eventsPerSecond * double(now - m_lastTickMs) / 1000.0 + m_carry;
    m_lastTickMs = now;
    const auto count = std::int64_t(owed);
    m_carry = owed - double(count);
    if (count == 0 || m_clients.isEmpty())
        return;
    const QStringList tickers = subscribedSymbols("ticker"_L1);
    const QStringList trades = subscribedSymbols("trades"_L1);
    const QStringList books = subscribedSymbols("book"_L1);
    const QStringList candles = subscribedSymbols("candles"_L1);
    for (std::int64_t i = 0; i < count; ++i) {
        const std::int64_t slot = m_turn++;
        const int share = int(slot % 100);
        const auto pick = [slot](const QStringList &list) { return list.at(slot % list.size()); };
        const auto &mix = m_options.mix;
        if (share >= mix[0] && share < mix[0] + mix[1] && !trades.isEmpty()) {
            Market &market = m_markets[m_bySymbol.value(pick(trades))];
            publish(stream("trades"_L1, market.info.symbol), nextTrade(market, now));
        } else if (share >= mix[0] + mix[1] && share < mix[0] + mix[1] + mix[2]
                   && !books.isEmpty()) {
            Market &market = m_markets[m_bySymbol.value(pick(books))];
            publish(stream("book"_L1, market.info.symbol), nextBookUpdate(market, now));
        } else if (share >= mix[0] + mix[1] + mix[2] && !candles.isEmpty()) {
            Market &market = m_markets[m_bySymbol.value(pick(candles))];
            publish(stream("candles"_L1, market.info.symbol), nextCandle(market, now));
        } else if (!tickers.isEmpty()) {
            Market &market = m_markets[m_bySymbol.value(pick(tickers))];
            market.ticker = nextTicker(market, now);
            publish(stream("ticker"_L1, market.info.symbol), market.ticker);
        }
    }
}

void ScriptedFeed::publish(const QString &name, const protocol::Message &message)
{
    for (Client *client : std::as_const(m_clients)) {
        if (client->subscribed.contains(name))
            send(client, message);
    }
}

void ScriptedFeed::send(Client *client, const protocol::Message &message)
{
    const QByteArray bytes = protocol::encode(message, client->encoding);
    if (client->encoding == Encoding::Json)
        client->socket->sendTextMessage(QString::fromUtf8(bytes));
    else
        client->socket->sendBinaryMessage(bytes);
}

Decimal ScriptedFeed::price(const Market &market, std::int64_t ticks) const
{
    return multipleOf(market.info.tickSize, ticks);
}

Decimal ScriptedFeed::quantity(const Market &market, std::int64_t lots) const
{
    return multipleOf(market.info.lotSize, lots);
}

protocol::Ticker ScriptedFeed::nextTicker(Market &market, std::int64_t now)
{
    std::uniform_int_distribution<int> move(-1, 1);
    market.priceTicks = std::max<std::int64_t>(BookLevels + 2, market.priceTicks + move(m_random));
    protocol::Ticker t = market.ticker;
    t.seq += 1;
    t.ts = now;
    t.last = price(market, market.priceTicks);
    t.bid = price(market, market.priceTicks - 1);
    t.ask = price(market, market.priceTicks + 1);
    t.bidSize = quantity(market, 1 + std::int64_t(m_random() % 1000));
    t.askSize = quantity(market, 1 + std::int64_t(m_random() % 1000));
    t.high24h = std::max(t.high24h, t.last);
    t.low24h = std::min(t.low24h, t.last);
    t.volume24h = t.volume24h.plus(quantity(market, 1)).value_or(t.volume24h);
    return t;
}

protocol::Trade ScriptedFeed::nextTrade(Market &market, std::int64_t now)
{
    protocol::Trade trade;
    trade.symbol = market.info.symbol;
    trade.seq = ++market.tradeSeq;
    trade.ts = now;
    trade.tradeId = market.nextTradeId++;
    trade.price = price(market, market.priceTicks + (m_random() % 2 ? 1 : -1));
    trade.qty = quantity(market, 1 + std::int64_t(m_random() % 500));
    trade.side = m_random() % 2 ? protocol::Side::Buy : protocol::Side::Sell;
    market.recentTrades.push_back(trade);
    if (market.recentTrades.size() > std::size_t(protocol::TradesSnapshotSize))
        market.recentTrades.pop_front();
    return trade;
}

protocol::Book ScriptedFeed::bookSnapshot(Market &market, std::int64_t now)
{
    protocol::Book book;
    book.symbol = market.info.symbol;
    book.seq = ++market.bookSeq;
    book.ts = now;
    book.snapshot = true;
    for (int i = 1; i <= BookLevels; ++i) {
        book.bids.append({price(market, market.priceTicks - i), quantity(market, 100 * i)});
        book.asks.append({price(market, market.priceTicks + i), quantity(market, 100 * i)});
    }
    market.book.clear();
    market.book.apply(book);
    book.checksum = market.book.checksum();
    return book;
}

protocol::Book ScriptedFeed::nextBookUpdate(Market &market, std::int64_t now)
{
    if (market.book.isEmpty())
        return bookSnapshot(market, now);
    protocol::Book book;
    book.symbol = market.info.symbol;
    book.seq = ++market.bookSeq;
    book.ts = now;
    // A few levels change size; the price grid stays, so the book is never crossed.
    const auto level = [&](bool bid) {
        const auto &side = bid ? market.book.topBids(BookLevels) : market.book.topAsks(BookLevels);
        const protocol::BookLevel &chosen = side.at(qsizetype(m_random() % side.size()));
        return protocol::BookLevel{chosen.price,
                                   quantity(market, 1 + std::int64_t(m_random() % 5000))};
    };
    book.bids.append(level(true));
    book.asks.append(level(false));
    market.book.apply(book);
    book.checksum = market.book.checksum();
    return book;
}

protocol::CandlesSnapshot
ScriptedFeed::candleHistory(Market &market, protocol::CandleInterval interval, std::int64_t now)
{
    const std::int64_t ms = protocol::intervalMs(interval);
    const std::int64_t bucket = now - now % ms;
    market.interval = interval;
    market.candles.clear();
    std::int64_t close = market.priceTicks;
    std::uniform_int_distribution<int> walk(-20, 20);
    QList<protocol::Candle> reversed; // built from now backwards, so the last close is current
    for (int i = 0; i < m_options.candles; ++i) {
        const std::int64_t open = close + walk(m_random);
        protocol::Candle c;
        c.symbol = market.info.symbol;
        c.interval = interval;
        c.t = bucket - std::int64_t(i) * ms;
        c.o = price(market, open);
        c.c = price(market, close);
        c.h = price(market, std::max(open, close) + 3);
        c.l = price(market, std::min(open, close) - 3);
        c.v = quantity(market, 100 + std::int64_t(m_random() % 10'000));
        c.closed = i > 0;
        reversed.append(c);
        close = open;
    }
    for (auto it = reversed.crbegin(); it != reversed.crend(); ++it) {
        protocol::Candle c = *it;
        c.seq = ++market.candleSeq;
        market.candles.append(c);
    }
    return protocol::CandlesSnapshot{market.info.symbol, interval, market.candles};
}

protocol::Candle ScriptedFeed::nextCandle(Market &market, std::int64_t now)
{
    const std::int64_t ms = protocol::intervalMs(market.interval);
    const std::int64_t bucket = now - now % ms;
    const Decimal last = price(market, market.priceTicks);
    if (market.candles.isEmpty() || market.candles.last().t != bucket) {
        protocol::Candle c;
        c.symbol = market.info.symbol;
        c.interval = market.interval;
        c.t = bucket;
        c.o = c.h = c.l = c.c = last;
        c.v = quantity(market, 1);
        market.candles.append(c);
        if (market.candles.size() > m_options.candles)
            market.candles.removeFirst();
    } else {
        protocol::Candle &c = market.candles.last();
        c.c = last;
        c.h = std::max(c.h, last);
        c.l = std::min(c.l, last);
        c.v = c.v.plus(quantity(market, 1)).value_or(c.v);
    }
    market.candles.last().seq = ++market.candleSeq;
    return market.candles.last();
}

} // namespace tickwire::bench
