#pragma once

#include "market/candlemodel.h"
#include "market/depthmodel.h"
#include "market/fillsmodel.h"
#include "market/instruments.h"
#include "market/openordersmodel.h"
#include "market/orderbookmodel.h"
#include "market/positionsmodel.h"
#include "market/quotemodel.h"
#include "protocol/symbolkey.h"
#include "market/tradetapemodel.h"

#include "protocol/eventbatch.h"

#include <QtCore/QObject>

namespace tickwire::market {

// What apply() did with one batch: bad events are refused one by one, with a reason, and
// never stop the rest of the batch.
struct ApplyResult
{
    qsizetype applied = 0;
    QStringList rejected; // one readable reason per refused event

    [[nodiscard]] bool ok() const { return rejected.isEmpty(); }
};

// Counters for tests and the UI's stats overlay.
struct StoreStats
{
    qint64 batches = 0;
    qint64 events = 0; // events and book views absorbed
    qint64 rejected = 0; // events refused
    qint64 flushes = 0;
};

// The GUI thread's market state, fed by the feed client's event batches. apply() absorbs any
// number of batches and only records what changed; flush(), called once per rendered frame,
// makes every model publish its changes (contiguous, role-scoped dataChanged; row inserts and
// removals for bounded lists). Model resets happen only when the selected symbol, candle
// interval, book depth or watchlist changes, or a snapshot replaces everything.
// Owns its models (children) and the selection. GUI thread only; src/ui registers it for QML.
class MarketStore : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MarketStore)
    Q_PROPERTY(QAbstractItemModel *book READ book CONSTANT FINAL)
    // The selected symbol's depth chart (cumulative size per side), from the same verified book.
    Q_PROPERTY(tickwire::market::DepthModel *depth READ depth CONSTANT FINAL)
    // The ladder's buckets, in ticks (1: ungrouped), and the sizes worth offering for the
    // selected instrument at its current price (grouping::sensibleSteps; the current one always
    // among them). The dashboard saves and restores the choice per symbol.
    Q_PROPERTY(int bookGrouping READ bookGrouping WRITE setBookGrouping NOTIFY bookGroupingChanged
                   FINAL)
    Q_PROPERTY(QList<int> bookGroupingChoices READ bookGroupingChoices NOTIFY
                   bookGroupingChoicesChanged FINAL)
    Q_PROPERTY(QAbstractItemModel *tape READ tape CONSTANT FINAL)
    Q_PROPERTY(tickwire::market::CandleModel *candles READ candles CONSTANT FINAL)
    Q_PROPERTY(QAbstractItemModel *openOrders READ openOrders CONSTANT FINAL)
    Q_PROPERTY(QAbstractItemModel *fills READ fills CONSTANT FINAL)
    Q_PROPERTY(QAbstractItemModel *positions READ positions CONSTANT FINAL)
    Q_PROPERTY(QString selectedSymbol READ selectedSymbol WRITE setSelectedSymbol NOTIFY
                   selectedSymbolChanged FINAL)
    // "1s", "1m", "5m", "15m", "1h"; other text is ignored.
    Q_PROPERTY(QString candleInterval READ candleIntervalName WRITE setCandleIntervalName NOTIFY
                   candleIntervalChanged FINAL)
    // The selected instrument's name and tick size; empty until the server names it.
    Q_PROPERTY(QString selectedName READ selectedName NOTIFY selectedInstrumentChanged FINAL)
    Q_PROPERTY(QString selectedTickSize READ selectedTickSize NOTIFY selectedInstrumentChanged FINAL)
    // The second chart, beside the first: shown or not, its own symbol and interval and its
    // candles (empty while hidden), its instrument's tick size.
    Q_PROPERTY(bool secondChart READ isSecondChartShown WRITE setSecondChartShown NOTIFY
                   secondChartChanged FINAL)
    Q_PROPERTY(QString secondSymbol READ secondSymbol WRITE setSecondSymbol NOTIFY
                   secondChartChanged FINAL)
    Q_PROPERTY(QString secondInterval READ secondIntervalName WRITE setSecondIntervalName NOTIFY
                   secondChartChanged FINAL)
    Q_PROPERTY(QString secondTickSize READ secondTickSize NOTIFY secondChartChanged FINAL)
    Q_PROPERTY(tickwire::market::CandleModel *secondCandles READ secondCandles CONSTANT FINAL)
    // The second chart's tab ("candles" or "depth") and its symbol's depth chart, kept (and its
    // book subscribed) only while that tab is shown.
    Q_PROPERTY(
        QString secondView READ secondView WRITE setSecondView NOTIFY secondChartChanged FINAL)
    Q_PROPERTY(tickwire::market::DepthModel *secondDepth READ secondDepth CONSTANT FINAL)

public:
    explicit MarketStore(QObject *parent = nullptr);

    void setInstruments(const QList<protocol::InstrumentInfo> &instruments);
    [[nodiscard]] const InstrumentTable &instruments() const { return m_instruments; }

    // The symbols the quotes show, in order (the watchlist).
    void setWatchlist(const QStringList &symbols);
    // The selected symbol: book, tape and candles follow it. The store is its one owner; the
    // ticket, the subscriptions and the views observe selectedSymbolChanged.
    void setSelectedSymbol(const QString &symbol);
    [[nodiscard]] QString selectedSymbol() const { return m_selected; }
    void setCandleInterval(protocol::CandleInterval interval);
    [[nodiscard]] protocol::CandleInterval candleInterval() const { return m_interval; }
    [[nodiscard]] QString candleIntervalName() const;
    void setCandleIntervalName(const QString &interval);
    [[nodiscard]] QString selectedName() const;
    [[nodiscard]] QString selectedTickSize() const;
    void setBookDepth(int depth);
    void setSecondChartShown(bool shown);
    [[nodiscard]] bool isSecondChartShown() const { return m_secondShown; }
    void setSecondSymbol(const QString &symbol);
    [[nodiscard]] QString secondSymbol() const { return m_secondSymbol; }
    void setSecondInterval(protocol::CandleInterval interval);
    [[nodiscard]] protocol::CandleInterval secondInterval() const { return m_secondInterval; }
    [[nodiscard]] QString secondIntervalName() const;
    void setSecondIntervalName(const QString &interval); // other text is ignored
    [[nodiscard]] QString secondTickSize() const;
    [[nodiscard]] QString secondView() const;
    void setSecondView(const QString &view); // "candles" or "depth"; other text is ignored
    // The second chart is shown on its depth tab: its symbol's book is wanted.
    [[nodiscard]] bool isSecondDepthShown() const { return m_secondShown && m_secondDepthView; }
    [[nodiscard]] int bookGrouping() const { return m_book.grouping(); }
    // One of grouping::Steps; another value is ignored.
    void setBookGrouping(int ticks);
    [[nodiscard]] QList<int> bookGroupingChoices() const { return m_groupingChoices; }
    // The next coarser (steps > 0) or finer (steps < 0) of bookGroupingChoices, stopping at
    // the ends.
    Q_INVOKABLE void stepBookGrouping(int steps);
    // A bucket of `ticks` ticks as a price step, without trailing zeros ("0.1", "10"); empty
    // while the instrument is unknown.
    [[nodiscard]] Q_INVOKABLE QString bookGroupingLabel(int ticks) const;
    // The server refused this symbol (unknown_symbol); an empty reason makes it available again.
    void setSymbolUnavailable(const QString &symbol, const QString &reason);

    ApplyResult apply(const protocol::EventBatch &batch);
    void flush();

    [[nodiscard]] const StoreStats &stats() const { return m_stats; }

    [[nodiscard]] QuoteModel *quotes() { return &m_quotes; }
    [[nodiscard]] OrderBookModel *book() { return &m_book; }
    [[nodiscard]] DepthModel *depth() { return &m_depth; }
    [[nodiscard]] TradeTapeModel *tape() { return &m_tape; }
    [[nodiscard]] CandleModel *candles() { return &m_candles; }
    [[nodiscard]] CandleModel *secondCandles() { return &m_secondCandles; }
    [[nodiscard]] DepthModel *secondDepth() { return &m_secondDepth; }
    [[nodiscard]] OpenOrdersModel *openOrders() { return &m_openOrders; }
    [[nodiscard]] FillsModel *fills() { return &m_fills; }
    [[nodiscard]] PositionsModel *positions() { return &m_positions; }
    [[nodiscard]] const QuoteModel *quotes() const { return &m_quotes; }

Q_SIGNALS:
    // After every flush(), once all models have published.
    void flushed();
    void selectedSymbolChanged();
    void candleIntervalChanged();
    // The selection, or the instruments, changed: selectedName and selectedTickSize.
    void selectedInstrumentChanged();
    void bookGroupingChanged();
    void bookGroupingChoicesChanged();
    // Shown, symbol, interval or the instruments (its tick size).
    void secondChartChanged();

private:
    std::optional<QString> applyEvent(const protocol::Message &event);
    void applyBook(const protocol::BookView &view);
    void updateGroupingChoices();
    void updateSecondSeries();

    InstrumentTable m_instruments; // declared first: the models point at it
    QuoteModel m_quotes;
    OrderBookModel m_book;
    DepthModel m_depth;
    TradeTapeModel m_tape;
    CandleModel m_candles;
    CandleModel m_secondCandles; // the second chart's series, fed from the same batches
    DepthModel m_secondDepth; // the second chart's depth tab; empty unless shown
    OpenOrdersModel m_openOrders;
    FillsModel m_fills;
    PositionsModel m_positions;

    QString m_selected;
    protocol::CandleInterval m_interval = protocol::CandleInterval::M1;
    bool m_secondShown = false;
    QString m_secondSymbol;
    bool m_secondDepthView = false;
    protocol::CandleInterval m_secondInterval = protocol::CandleInterval::M1;
    // The latest verified book of every symbol, so selecting a symbol shows its book at once.
    QHash<SymbolKey, protocol::BookView> m_books;
    bool m_ownLevelsStale = false;
    QList<int> m_groupingChoices{1};
    StoreStats m_stats;
};

} // namespace tickwire::market
