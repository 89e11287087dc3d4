#include "market/marketstore.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace tickwire::market {

namespace {

template<class... Ts> struct Overloaded : Ts...
{
    using Ts::operator()...;
};
template<class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>;

} // namespace

MarketStore::MarketStore(QObject *parent)
    : QObject(parent)
    , m_quotes(&m_instruments)
    , m_book(&m_instruments)
    , m_depth(&m_instruments)
    , m_tape(&m_instruments)
    , m_candles(&m_instruments)
    , m_secondCandles(&m_instruments)
    , m_secondDepth(&m_instruments)
    , m_openOrders(&m_instruments)
    , m_fills(&m_instruments)
    , m_positions(&m_instruments)
{
    // Members, parented so QML sees them as C++-owned and never garbage-collects them.
    for (QObject *model :
         {static_cast<QObject *>(&m_quotes), static_cast<QObject *>(&m_book),
          static_cast<QObject *>(&m_depth), static_cast<QObject *>(&m_tape),
          static_cast<QObject *>(&m_candles), static_cast<QObject *>(&m_secondCandles),
          static_cast<QObject *>(&m_secondDepth), static_cast<QObject *>(&m_openOrders),
          static_cast<QObject *>(&m_fills), static_cast<QObject *>(&m_positions)})
        model->setParent(this);
}

void MarketStore::setInstruments(const QList<protocol::InstrumentInfo> &instruments)
{
    m_instruments.setInstruments(instruments);
    m_quotes.refreshAll();
    m_book.refreshFormatting();
    m_depth.refreshFormatting();
    m_tape.refreshFormatting();
    m_candles.refreshFormatting();
    m_secondCandles.refreshFormatting();
    m_secondDepth.refreshFormatting();
    m_openOrders.refreshFormatting();
    m_fills.refreshFormatting();
    m_positions.refreshFormatting();
    Q_EMIT selectedInstrumentChanged();
    Q_EMIT secondChartChanged();
}

void MarketStore::setWatchlist(const QStringList &symbols)
{
    m_quotes.setSymbols(symbols);
}

void MarketStore::setSelectedSymbol(const QString &symbol)
{
    if (symbol == m_selected)
        return;
    m_selected = symbol;
    m_book.setSymbol(symbol);
    m_depth.setSymbol(symbol);
    const auto book = m_books.constFind(symbol);
    if (book != m_books.cend()) {
        m_book.setLevels(book->bids, book->asks);
        m_depth.setLevels(book->bids, book->asks);
    }
    m_tape.setSymbol(symbol);
    m_candles.setSeries(symbol, m_interval);
    m_ownLevelsStale = true;
    Q_EMIT selectedSymbolChanged();
    Q_EMIT selectedInstrumentChanged();
}

void MarketStore::setCandleInterval(protocol::CandleInterval interval)
{
    if (interval == m_interval)
        return;
    m_interval = interval;
    m_candles.setSeries(m_selected, interval);
    Q_EMIT candleIntervalChanged();
}

QString MarketStore::candleIntervalName() const
{
    return QString(protocol::toString(m_interval));
}

void MarketStore::setCandleIntervalName(const QString &interval)
{
    if (const auto parsed = protocol::candleIntervalFromString(interval))
        setCandleInterval(*parsed);
}

QString MarketStore::selectedName() const
{
    const auto *instrument = m_instruments.find(m_selected);
    return instrument ? instrument->name : QString();
}

QString MarketStore::selectedTickSize() const
{
    const auto *instrument = m_instruments.find(m_selected);
    return instrument ? instrument->tickSize.toString() : QString();
}

void MarketStore::setSecondChartShown(bool shown)
{
    if (shown == m_secondShown)
        return;
    m_secondShown = shown;
    updateSecondSeries();
}

void MarketStore::setSecondSymbol(const QString &symbol)
{
    if (symbol == m_secondSymbol)
        return;
    m_secondSymbol = symbol;
    updateSecondSeries();
}

void MarketStore::setSecondInterval(protocol::CandleInterval interval)
{
    if (interval == m_secondInterval)
        return;
    m_secondInterval = interval;
    updateSecondSeries();
}

QString MarketStore::secondIntervalName() const
{
    return QString(protocol::toString(m_secondInterval));
}

void MarketStore::setSecondIntervalName(const QString &interval)
{
    if (const auto parsed = protocol::candleIntervalFromString(interval))
        setSecondInterval(*parsed);
}

QString MarketStore::secondTickSize() const
{
    const auto *instrument = m_instruments.find(m_secondSymbol);
    return instrument ? instrument->tickSize.toString() : QString();
}

QString MarketStore::secondView() const
{
    return m_secondDepthView ? u"depth"_s : u"candles"_s;
}

void MarketStore::setSecondView(const QString &view)
{
    if (view != u"depth"_s && view != u"candles"_s)
        return;
    const bool depth = view == u"depth"_s;
    if (depth == m_secondDepthView)
        return;
    m_secondDepthView = depth;
    updateSecondSeries();
}

void MarketStore::updateSecondSeries()
{
    // Hidden, the series is empty: no candles of it are kept, none are subscribed. The same
    // for its depth chart while the candles tab is shown.
    m_secondCandles.setSeries(m_secondShown ? m_secondSymbol : QString(), m_secondInterval);
    const QString depthSymbol = isSecondDepthShown() ? m_secondSymbol : QString();
    if (depthSymbol != m_secondDepth.symbol()) {
        m_secondDepth.setSymbol(depthSymbol);
        if (const auto book = m_books.constFind(depthSymbol); book != m_books.cend())
            m_secondDepth.setLevels(book->bids, book->asks);
    }
    Q_EMIT secondChartChanged();
}

void MarketStore::setBookDepth(int depth)
{
    m_book.setDepth(depth);
}

void MarketStore::setBookGrouping(int ticks)
{
    const int old = m_book.grouping();
    if (!m_book.setGrouping(ticks) || ticks == old)
        return;
    updateGroupingChoices();
    Q_EMIT bookGroupingChanged();
}

void MarketStore::stepBookGrouping(int steps)
{
    const QList<int> &choices = m_groupingChoices;
    const auto at = std::find(choices.cbegin(), choices.cend(), bookGrouping());
    const qsizetype current = at == choices.cend() ? 0 : at - choices.cbegin();
    setBookGrouping(choices.at(std::clamp<qsizetype>(current + steps, 0, choices.size() - 1)));
}

QString MarketStore::bookGroupingLabel(int ticks) const
{
    const auto *instrument = m_instruments.find(m_selected);
    if (!instrument || !grouping::isStep(ticks))
        return {};
    const std::optional<Decimal> step = instrument->tickSize.times(Decimal::fromInt(ticks));
    return step ? step->normalized().toString() : QString();
}

void MarketStore::updateGroupingChoices()
{
    const auto *instrument = m_instruments.find(m_selected);
    QList<int> choices{1};
    if (instrument) {
        Decimal reference;
        if (const auto book = m_books.constFind(m_selected); book != m_books.cend()) {
            if (const std::optional<Decimal> mid = DepthModel::midOf(book->bids, book->asks))
                reference = *mid;
            else if (!book->bids.isEmpty())
                reference = book->bids.constFirst().price;
            else if (!book->asks.isEmpty())
                reference = book->asks.constFirst().price;
        }
        choices = grouping::sensibleSteps(instrument->tickSize, reference);
    }
    if (!choices.contains(bookGrouping())) { // a saved choice stays offered (and applied)
        choices.append(bookGrouping());
        std::sort(choices.begin(), choices.end());
    }
    if (choices != m_groupingChoices) {
        m_groupingChoices = choices;
        Q_EMIT bookGroupingChoicesChanged();
    }
}

void MarketStore::setSymbolUnavailable(const QString &symbol, const QString &reason)
{
    m_quotes.setSymbolError(symbol, reason);
}

ApplyResult MarketStore::apply(const protocol::EventBatch &batch)
{
    ApplyResult result;
    ++m_stats.batches;
    for (const protocol::Message &event : batch.events) {
        if (std::optional<QString> reason = applyEvent(event))
            result.rejected.append(*reason);
        else
            ++result.applied;
    }
    for (const protocol::BookView &view : batch.books) {
        applyBook(view);
        ++result.applied;
    }
    m_stats.events += batch.events.size() + batch.books.size();
    m_stats.rejected += result.rejected.size();
    return result;
}

void MarketStore::applyBook(const protocol::BookView &view)
{
    m_books.insert(view.symbol, view);
    if (view.symbol == m_selected) {
        m_book.setLevels(view.bids, view.asks);
        m_depth.setLevels(view.bids, view.asks);
    }
    if (view.symbol == m_secondDepth.symbol() && !view.symbol.isEmpty())
        m_secondDepth.setLevels(view.bids, view.asks);
}

std::optional<QString> MarketStore::applyEvent(const protocol::Message &event)
{
    using namespace protocol;
    return std::visit(
        Overloaded{
            [&](const Ticker &ticker) -> std::optional<QString> {
                if (ticker.last.isNegative() || ticker.bid.isNegative() || ticker.ask.isNegative())
                    return u"ticker of %1 has a negative price"_s.arg(ticker.symbol);
                m_quotes.applyTicker(ticker);
                m_positions.setMark(ticker.symbol, ticker.last);
                return std::nullopt;
            },
            [&](const Trade &trade) -> std::optional<QString> {
                if (!trade.price.isPositive() || !trade.qty.isPositive())
                    return u"trade %1 of %2 has a non-positive price or quantity"_s
                        .arg(trade.tradeId)
                        .arg(trade.symbol);
                if (trade.symbol == m_selected) {
                    if (std::optional<QString> reason = m_tape.appendTrade(trade))
                        return reason;
                }
                m_positions.setMark(trade.symbol, trade.price);
                return std::nullopt;
            },
            [&](const TradesSnapshot &snapshot) -> std::optional<QString> {
                m_tape.applySnapshot(snapshot);
                return std::nullopt;
            },
            [&](const Candle &candle) -> std::optional<QString> {
                // Each chart's model takes its own series and ignores the rest.
                std::optional<QString> reason = m_candles.applyCandle(candle);
                std::optional<QString> second = m_secondCandles.applyCandle(candle);
                return reason ? reason : second;
            },
            [&](const CandlesSnapshot &snapshot) -> std::optional<QString> {
                m_candles.applySnapshot(snapshot);
                m_secondCandles.applySnapshot(snapshot);
                return std::nullopt;
            },
            [&](const Order &order) -> std::optional<QString> {
                if (std::optional<QString> reason = m_openOrders.applyOrder(order))
                    return reason;
                if (order.symbol == m_selected)
                    m_ownLevelsStale = true;
                return m_fills.applyOrder(order);
            },
            [&](const Position &position) -> std::optional<QString> {
                m_positions.applyPosition(position);
                return std::nullopt;
            },
            [&](const OrdersSnapshot &snapshot) -> std::optional<QString> {
                m_openOrders.applySnapshot(snapshot.orders);
                m_positions.applySnapshot(snapshot.positions);
                m_ownLevelsStale = true;
                return std::nullopt;
            },
            [&](const Error &error) -> std::optional<QString> {
                // Only symbol refusals concern market state; the client reports the rest.
                if (error.code == ErrorCode::UnknownSymbol && error.symbol)
                    m_quotes.setSymbolError(*error.symbol, error.message);
                return std::nullopt;
            },
            [&](const auto &other) -> std::optional<QString> {
                return u"unexpected '%1' message in an event batch"_s.arg(typeName(Message(other)));
            },
        },
        event);
}

void MarketStore::flush()
{
    if (m_ownLevelsStale) {
        m_ownLevelsStale = false;
        m_book.setOwnLevels(m_openOrders.remainingByPrice(m_selected, protocol::Side::Buy),
                            m_openOrders.remainingByPrice(m_selected, protocol::Side::Sell));
    }
    m_quotes.flush();
    m_book.flush();
    m_depth.flush();
    updateGroupingChoices();
    m_tape.flush();
    m_candles.flush();
    m_secondCandles.flush();
    m_secondDepth.flush();
    m_openOrders.flush();
    m_fills.flush();
    m_positions.flush();
    ++m_stats.flushes;
    Q_EMIT flushed();
}

} // namespace tickwire::market
