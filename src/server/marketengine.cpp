#include "server/marketengine.h"

#include "exchanges/marketsource.h"

#include <QtCore/QDateTime>
#include <QtCore/QLoggingCategory>
#include <QtCore/QTimer>

namespace tickwire::server {

Q_LOGGING_CATEGORY(lcEngine, "tickwire.feed.engine")

using namespace Qt::StringLiterals;
using protocol::Channel;

namespace {

// A market stream's event with a seq of its own.
template<typename T>
constexpr bool IsStreamEvent =
    std::is_same_v<
        T,
        protocol::
            Ticker> || std::is_same_v<T, protocol::Trade> || std::is_same_v<T, protocol::Book> || std::is_same_v<T, protocol::Candle>;

// Moves a market message's seq (and those of the entries of a snapshot) up by `base`.
void rebase(protocol::Message &message, std::int64_t base)
{
    std::visit(
        [base](auto &m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (IsStreamEvent<T>) {
                m.seq += base;
            } else if constexpr (std::is_same_v<T, protocol::TradesSnapshot>) {
                for (protocol::Trade &t : m.trades)
                    t.seq += base;
            } else if constexpr (std::is_same_v<T, protocol::CandlesSnapshot>) {
                for (protocol::Candle &c : m.candles)
                    c.seq += base;
            }
        },
        message);
}

} // namespace

MarketEngine::MarketEngine(const QList<Instrument> &instruments, EngineOptions options,
                           QObject *parent)
    : MarketBackend(parent)
    , m_options(std::move(options))
{
    qRegisterMetaType<PublishedBatch>();
    qRegisterMetaType<protocol::Trade>();
    const std::int64_t start = QDateTime::currentMSecsSinceEpoch();
    for (const Instrument &in : instruments) {
        m_indexOf.insert(in.info.symbol, int(m_markets.size()));
        if (m_options.live) {
            m_live.push_back(std::make_unique<LiveMarket>(in));
            m_markets.push_back(m_live.back().get());
        } else {
            auto sim = std::make_unique<MarketSimulator>(in, m_options.seed, start);
            if (m_options.replay.trades.isEmpty() && m_options.history)
                sim->backfill(start, m_options.tradesPerSecond);
            m_bySymbol.insert(in.info.symbol, sim.get());
            m_markets.push_back(sim.get());
            m_simulators.push_back(std::move(sim));
        }
        for (int slot = 0; slot < StreamsPerSymbol; ++slot) {
            if (slot == 0)
                m_streamKeys.append(streamKey(Channel::Ticker, in.info.symbol));
            else if (slot == 1)
                m_streamKeys.append(streamKey(Channel::Trades, in.info.symbol));
            else if (slot < 2 + int(BookTiers.size()))
                m_streamKeys.append(
                    streamKey(Channel::Book, in.info.symbol, BookTiers[std::size_t(slot - 2)]));
            else
                m_streamKeys.append(
                    streamKey(Channel::Candles, in.info.symbol, 0,
                              protocol::CandleInterval(slot - 2 - int(BookTiers.size()))));
        }
    }
}

MarketEngine::~MarketEngine() = default;

void MarketEngine::setOrderService(std::unique_ptr<OrderService> service)
{
    m_orderService = std::move(service);
}

void MarketEngine::setSource(std::unique_ptr<exchanges::MarketSource> source)
{
    Q_ASSERT(m_options.live);
    m_source = source.release();
    m_source->setParent(this);
}

QList<protocol::InstrumentInfo> MarketEngine::instruments() const
{
    QList<protocol::InstrumentInfo> out;
    out.reserve(qsizetype(m_markets.size()));
    for (const MarketState *market : m_markets)
        out.append(market->instrument().info);
    return out;
}

std::int64_t MarketEngine::now() const
{
    return QDateTime::currentMSecsSinceEpoch();
}

void MarketEngine::start()
{
    if (m_options.live) {
        if (!m_source)
            return;
        connect(m_source, &exchanges::MarketSource::tickerReceived, this,
                [this](const protocol::Ticker &t) {
                    if (const int i = m_indexOf.value(t.symbol, -1); i >= 0)
                        publishNow(i, m_live[std::size_t(i)]->applyTicker(t));
                });
        connect(m_source, &exchanges::MarketSource::tradeReceived, this,
                [this](const protocol::Trade &t) {
                    if (const int i = m_indexOf.value(t.symbol, -1); i >= 0)
                        publishNow(i, m_live[std::size_t(i)]->applyTrade(t));
                });
        connect(m_source, &exchanges::MarketSource::candleReceived, this,
                [this](const protocol::Candle &c) {
                    if (const int i = m_indexOf.value(c.symbol, -1); i >= 0)
                        publishNow(i, m_live[std::size_t(i)]->applyCandle(c));
                });
        connect(m_source, &exchanges::MarketSource::bookReceived, this,
                &MarketEngine::applySourceBook);
        connect(m_source, &exchanges::MarketSource::statusChanged, this,
                &MarketEngine::onSourceStatus);
        // Clients hear the source's state from their first moment: down until it connects.
        onSourceStatus(
            exchanges::SourceStatus{m_source->name(), exchanges::SourceState::Down, 0, 0});
        m_source->start();
        return;
    }
    m_timer = new QTimer(this);
    m_timer->setTimerType(Qt::PreciseTimer);
    m_lastStepMs = m_lastTradeStepMs = now();
    if (!m_options.replay.trades.isEmpty()) {
        m_replayStartTapeMs = m_options.replay.trades.first().ts;
        m_replayClock.start();
        m_timer->setInterval(10);
        connect(m_timer, &QTimer::timeout, this, &MarketEngine::stepReplay);
    } else {
        const bool sliced = m_options.tradeStepMs > 0 && m_options.tradeStepMs < m_options.tickMs;
        m_timer->setInterval(std::max(1, sliced ? m_options.tradeStepMs : m_options.tickMs));
        connect(m_timer, &QTimer::timeout, this, &MarketEngine::stepSimulation);
    }
    m_timer->start();
}

void MarketEngine::stepSimulation()
{
    const std::int64_t t = now();
    const double rate = m_options.tradesPerSecond;
    const bool sliced = m_options.tradeStepMs > 0 && m_options.tradeStepMs < m_options.tickMs;
    // Sliced: trades every tradeStepMs, the full step (price, book, candles, ticker) when a
    // tick is due (half a slice early rather than a whole slice late).
    const bool fullStep =
        !sliced || t - m_lastStepMs >= m_options.tickMs - m_options.tradeStepMs / 2;
    PublishedBatch batch;
    if (sliced) {
        const double dt = std::max<std::int64_t>(1, t - m_lastTradeStepMs) / 1000.0;
        m_lastTradeStepMs = t;
        for (std::size_t i = 0; i < m_simulators.size(); ++i)
            publish(int(i), m_simulators[i]->trades(t, std::min(dt, 1.0), rate), &batch);
    }
    if (fullStep) {
        const double dt = std::max<std::int64_t>(1, t - m_lastStepMs) / 1000.0;
        m_lastStepMs = t;
        for (std::size_t i = 0; i < m_simulators.size(); ++i)
            publish(int(i), m_simulators[i]->step(t, std::min(dt, 1.0), sliced ? 0 : rate), &batch);
    }
    if (!batch.isEmpty())
        Q_EMIT published(batch);
}

void MarketEngine::stepReplay()
{
    const auto &trades = m_options.replay.trades;
    const double speed = m_options.replaySpeed > 0 ? m_options.replaySpeed : 1;
    const auto tapeNow = m_replayStartTapeMs + std::int64_t(m_replayClock.elapsed() * speed);
    PublishedBatch batch;
    while (m_replayIndex < trades.size() && trades[m_replayIndex].ts <= tapeNow) {
        const RecordedTrade &r = trades[m_replayIndex++];
        MarketSimulator *sim = m_bySymbol.value(r.symbol);
        const int index = m_indexOf.value(r.symbol, -1);
        MarketUpdate update;
        if (!sim) {
            qCWarning(lcEngine).noquote()
                << u"event=replay_skip line=%1 reason=\"unknown symbol %2\""_s.arg(r.line).arg(
                       r.symbol);
            continue;
        }
        if (!sim->recordTrade(r.ts + m_replayOffsetMs, r.price, r.qty, r.side, &update)) {
            qCWarning(lcEngine).noquote()
                << u"event=replay_skip line=%1 reason=\"price or qty off the tick/lot grid\""_s.arg(
                       r.line);
            continue;
        }
        publish(index, update, &batch);
    }
    if (!batch.isEmpty())
        Q_EMIT published(batch);
    if (m_replayIndex >= trades.size()) {
        if (!m_options.replayLoop) {
            m_timer->stop();
            Q_EMIT replayFinished();
            return;
        }
        // Next loop: tape times continue after the last one so candles keep moving forward.
        m_replayOffsetMs += trades.last().ts - trades.first().ts + 1000;
        m_replayIndex = 0;
        m_replayClock.restart();
    }
}

void MarketEngine::append(int symbolIndex, int slot, Channel channel, std::int64_t seq,
                          const protocol::Message &message, PublishedBatch *batch) const
{
    const int id = symbolIndex * StreamsPerSymbol + slot;
    const EncodingSet encodings = m_interest ? m_interest->wanted(id) : EncodingSet{};
    if (!encodings.json && !encodings.cbor)
        return; // nobody subscribes: the seq moved on, nothing to send
    if (m_options.seqBase != 0) {
        protocol::Message rebased = message;
        rebase(rebased, m_options.seqBase);
        batch->append(PublishedEvent::make(m_streamKeys[id], channel, seq + m_options.seqBase,
                                           rebased, id, encodings));
        return;
    }
    batch->append(PublishedEvent::make(m_streamKeys[id], channel, seq, message, id, encodings));
}

void MarketEngine::publish(int symbolIndex, const MarketUpdate &update, PublishedBatch *batch)
{
    for (const protocol::Trade &trade : update.trades) {
        append(symbolIndex, streamSlot(Channel::Trades), Channel::Trades, trade.seq, trade, batch);
        Q_EMIT tradeExecuted(trade);
    }
    for (const TierUpdate &tier : update.books)
        append(symbolIndex, streamSlot(Channel::Book, tier.tier), Channel::Book, tier.book.seq,
               tier.book, batch);
    for (const protocol::Candle &candle : update.candles)
        append(symbolIndex, streamSlot(Channel::Candles, 0, candle.interval), Channel::Candles,
               candle.seq, candle, batch);
    if (update.ticker)
        append(symbolIndex, streamSlot(Channel::Ticker), Channel::Ticker, update.ticker->seq,
               *update.ticker, batch);
}

void MarketEngine::publishNow(int symbolIndex, const MarketUpdate &update)
{
    PublishedBatch batch;
    publish(symbolIndex, update, &batch);
    if (!batch.isEmpty())
        Q_EMIT published(batch);
}

void MarketEngine::applySourceBook(const protocol::Book &book)
{
    const int i = m_indexOf.value(book.symbol, -1);
    if (i < 0)
        return;
    LiveMarket &market = *m_live[std::size_t(i)];
    const bool wasValid = market.hasBook();
    MarketUpdate update;
    if (!market.applyBook(book, &update)) {
        // A crossed or otherwise unusable book is never published: the clients keep the last
        // good one until the source's new snapshot replaces it.
        if (wasValid || book.snapshot) {
            qCWarning(lcEngine).noquote()
                << u"event=book_rejected symbol=%1 reason=\"crossed or invalid\""_s.arg(
                       book.symbol);
            m_source->resync(book.symbol);
        }
        return;
    }
    publishNow(i, update);
    Q_EMIT bookChanged(book.symbol);
}

void MarketEngine::onSourceStatus(const exchanges::SourceStatus &status)
{
    qCInfo(lcEngine).noquote() << u"event=source_status source=%1 state=%2 reconnects=%3"_s
                                      .arg(status.source, protocol::toString(status.state))
                                      .arg(status.reconnects);
    protocol::SourceStatus message;
    message.source = status.source;
    message.state = status.state;
    message.reconnects = status.reconnects;
    message.lastMessageTs = status.lastMessageTs;
    message.ts = now();
    Q_EMIT sourceStatusChanged(message);
}

const protocol::OrderBook *MarketEngine::book(const QString &symbol) const
{
    const int i = m_indexOf.value(symbol, -1);
    if (i < 0 || (m_options.live && !m_live[std::size_t(i)]->hasBook()))
        return nullptr; // a live book waiting for its snapshot is no price to trade at
    return &m_markets[std::size_t(i)]->book();
}

QList<Execution> MarketEngine::paperExecute(const QString &symbol, protocol::Side side,
                                            const Decimal &qty,
                                            const std::optional<Decimal> &limitPrice) const
{
    // A real market: walk its visible depth and leave it as it is (the exchange does not own
    // that liquidity, and the next update from the source would put it back anyway).
    const protocol::OrderBook *live = book(symbol);
    if (!live)
        return {};
    QList<Execution> out;
    Decimal remaining = qty;
    const auto &levels = side == protocol::Side::Buy ? live->asks() : live->bids();
    for (const auto &[price, size] : levels) {
        if (!remaining.isPositive())
            break;
        if (limitPrice && (side == protocol::Side::Buy ? price > *limitPrice : price < *limitPrice))
            break;
        const Decimal take = size < remaining ? size : remaining;
        out.append(Execution{price, take});
        remaining = remaining.minus(take).value_or(Decimal());
    }
    return out;
}

std::optional<protocol::InstrumentInfo> MarketEngine::instrument(const QString &symbol) const
{
    const int i = m_indexOf.value(symbol, -1);
    if (i < 0)
        return std::nullopt;
    return m_markets[std::size_t(i)]->instrument().info;
}

const MarketSimulator *MarketEngine::simulator(const QString &symbol) const
{
    return m_bySymbol.value(symbol);
}

QList<Execution> MarketEngine::execute(const QString &symbol, protocol::Side side, Decimal qty,
                                       std::optional<Decimal> limitPrice)
{
    MarketSimulator *sim = m_bySymbol.value(symbol);
    if (!sim)
        return paperExecute(symbol, side, qty, limitPrice);
    MarketUpdate update;
    QList<Execution> fills = sim->execute(now(), side, qty, limitPrice, &update);
    PublishedBatch batch;
    publish(m_indexOf.value(symbol), update, &batch);
    if (!batch.isEmpty())
        Q_EMIT published(batch);
    return fills;
}

void MarketEngine::publishAccountEvent(const QString &account, const protocol::Message &event)
{
    std::int64_t seq = 0;
    if (const auto *o = std::get_if<protocol::Order>(&event))
        seq = o->seq;
    else if (const auto *p = std::get_if<protocol::Position>(&event))
        seq = p->seq;
    else if (const auto *s = std::get_if<protocol::OrdersSnapshot>(&event))
        seq = s->seq;
    Q_EMIT published(
        {PublishedEvent::make(streamKey(Channel::Orders, account), Channel::Orders, seq, event)});
}

std::optional<StreamSnapshot> MarketEngine::snapshot(Channel channel, const QString &symbol,
                                                     int tier,
                                                     protocol::CandleInterval interval) const
{
    const int index = m_indexOf.value(symbol, -1);
    if (index < 0)
        return std::nullopt;
    const MarketState *sim = m_markets[std::size_t(index)];
    StreamSnapshot snap;
    snap.stream = streamKey(channel, symbol, tier, interval);
    switch (channel) {
    case Channel::Ticker:
        snap.seq = sim->ticker().seq;
        // A live market before the exchange's first ticker has none to show: zeros would read
        // as prices. The first real ticker comes as seq 1.
        if (snap.seq > 0)
            snap.messages.append(sim->ticker());
        break;
    case Channel::Trades:
        snap.seq = sim->tradesSeq();
        snap.messages.append(sim->tradesSnapshot());
        break;
    case Channel::Book: {
        protocol::Book book = sim->bookSnapshot(tier);
        snap.seq = book.seq;
        snap.messages.append(book);
        break;
    }
    case Channel::Candles:
        snap.seq = sim->candlesSeq(interval);
        snap.messages.append(sim->candlesSnapshot(interval, protocol::CandlesSnapshotSize));
        break;
    case Channel::Orders:
        return std::nullopt;
    }
    if (m_options.seqBase != 0) {
        snap.seq += m_options.seqBase;
        for (protocol::Message &message : snap.messages)
            rebase(message, m_options.seqBase);
    }
    return snap;
}

PublishedBatch MarketEngine::encodedSnapshot(int streamId, Channel channel, const QString &symbol,
                                             int tier, protocol::CandleInterval interval) const
{
    PublishedBatch frames;
    const std::optional<StreamSnapshot> snap = snapshot(channel, symbol, tier, interval);
    if (!snap)
        return frames;
    const EncodingSet encodings = m_interest ? m_interest->wanted(streamId) : EncodingSet{};
    for (const protocol::Message &message : snap->messages)
        frames.append(
            PublishedEvent::make(snap->stream, channel, snap->seq, message, streamId, encodings));
    return frames;
}

void MarketEngine::snapshots(const QList<StreamRef> &streams, const SnapshotsDone &done)
{
    QList<StreamSnapshot> out;
    for (const StreamRef &ref : streams) {
        if (auto snap = snapshot(ref.channel, ref.symbol, ref.tier, ref.interval))
            out.append(std::move(*snap));
    }
    done(out);
}

void MarketEngine::resyncSnapshot(int streamId, const StreamRef &stream, const ResyncDone &done)
{
    done(encodedSnapshot(streamId, stream.channel, stream.symbol, stream.tier, stream.interval));
}

void MarketEngine::orderRequest(const QString &account, const protocol::Message &request,
                                const OrderService::Reply &reply)
{
    if (!m_orderService) {
        protocol::Error error;
        error.id = protocol::requestId(request);
        error.code = protocol::ErrorCode::UnknownType;
        error.message = u"this server has no exchange"_s;
        reply({error}, std::nullopt);
        return;
    }
    m_orderService->handle(account, request, reply);
}

} // namespace tickwire::server
