#pragma once

#include "market/instruments.h"
#include "market/rowchanges.h"
#include "protocol/symbolkey.h"

#include <QtCore/QAbstractListModel>
#include <QtCore/QHash>
#include <QtCore/QStringList>

#include <vector>

namespace tickwire::market {

// Watchlist quotes: one row per symbol of setSymbols(), in that order. Keeps the state of every
// symbol it has seen (also those not shown), so adding a symbol shows its data at once.
// Rows of symbols without data show empty strings. GUI thread only.
// Updates are conflated: applyTicker()/setSymbolError() only record; flush() emits one
// dataChanged per contiguous range of changed rows with exactly the changed roles.
class QuoteModel : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QuoteModel)
    // SparklineLength, for views that draw the sparkline on a fixed time axis.
    Q_PROPERTY(int sparklineLength READ sparklineLength CONSTANT FINAL)

public:
    enum Role {
        SymbolRole = Qt::UserRole,
        NameRole,
        LastRole, // string at the instrument's price scale
        LastValueRole, // double, for charts
        ChangeRole, // last - open_24h, string
        ChangePercentRole, // string with 2 decimals, no '%'
        ChangeValueRole, // double of ChangeRole
        BidRole,
        AskRole,
        SpreadRole, // ask - bid
        VolumeRole, // volume_24h at the lot scale
        HighRole, // high_24h
        LowRole, // low_24h
        // QList<qreal>, oldest first: the last price at the end of each SparklineStepMs of
        // ticker time (the server's ts) over the last SparklineLength steps, the newest step
        // still open (its point follows every ticker). A step with no ticker repeats the price
        // before it: the x axis is time, not ticks.
        SparklineRole,
        TickDirectionRole, // +1 / -1 / 0: last moved up / down / not since the previous flush
        HasDataRole, // a ticker arrived for this symbol
        AvailableRole, // false when the server rejected the symbol
        ErrorRole, // the server's reason when not available
        // QStringList, the watchlist's text cells in one value: last, change, signed change
        // percent ("+" when up), bid, ask, spread, compact volume, high, low. A row's cells
        // then change once per flush, not once per role.
        CellsRole,
    };
    Q_ENUM(Role)

    static constexpr int SparklineLength = 60;
    static constexpr std::int64_t SparklineStepMs = 5000; // 60 points: the last five minutes
    // The cells of CellsRole, in order.
    enum Cell { LastCell, ChangeCell, ChangePercentCell, BidCell, AskCell, SpreadCell,
                VolumeCell, HighCell, LowCell, CellCount };
    // The watchlist column name of each Cell, in that order ("last", "change", ...).
    [[nodiscard]] static QStringList cellNames();

    // A number shown compactly, to be read at a glance: 1.91B, 1.91M, 88.1K, 123, 1.23 (text
    // that is not a number is returned as is).
    [[nodiscard]] static QString compactNumber(const QString &text);

    explicit QuoteModel(const InstrumentTable *instruments, QObject *parent = nullptr);

    [[nodiscard]] static int sparklineLength() { return SparklineLength; }

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    // The shown symbols; duplicates are shown once. The rows follow by removes, moves (as few
    // as the new order needs) and inserts; only a list sharing no symbol with the shown one
    // (another watchlist) is a reset.
    void setSymbols(const QStringList &symbols);
    [[nodiscard]] QStringList symbols() const { return m_symbols; }

    // The typed value behind a text role of `symbol` (LastRole, ChangeRole, ChangePercentRole,
    // BidRole, AskRole, SpreadRole, VolumeRole, HighRole, LowRole), whether or not the symbol
    // is shown; nullopt before its first ticker or for any other role. Sorting and the order
    // ticket read these, never the display text.
    [[nodiscard]] std::optional<Decimal> value(const QString &symbol, Role role) const;

    void applyTicker(const protocol::Ticker &ticker);
    // Marks a symbol rejected by the server (empty reason clears the mark).
    void setSymbolError(const QString &symbol, const QString &reason);
    // Instruments changed: names and formatting of every row.
    void refreshAll();
    void flush();

private:
    struct Quote
    {
        bool hasData = false;
        Decimal last, bid, ask, open, high, low, volume;
        QList<qreal> sparkline;
        std::int64_t sparklineStep = 0; // ts / SparklineStepMs of the newest point
        QString error;
        Decimal lastAtFlush;
        bool hasLastAtFlush = false;
        bool lastMoved = false; // since the previous flush
        int direction = 0;
    };

    Quote &quoteFor(const QString &symbol);
    void editSymbols(const QStringList &next, const QHash<SymbolKey, int> &rowOf);
    void resetSymbols(const QStringList &next, const QHash<SymbolKey, int> &rowOf);
    void markRow(const QString &symbol, std::uint64_t roles);
    // Adds the ticker's last price to the quote's sparkline; false when the line is unchanged.
    static bool extendSparkline(Quote &q, const protocol::Ticker &ticker);
    void updateDirection(int row, std::vector<int> &stillMoving);

    const InstrumentTable *m_instruments;
    QHash<SymbolKey, Quote> m_quotes;
    QStringList m_symbols;
    QHash<SymbolKey, int> m_rowOf;
    RowChanges m_changes;
    std::vector<int> m_movedRows; // rows whose last changed since the previous flush
    std::vector<int> m_flashRows; // rows showing a non-zero direction
};

} // namespace tickwire::market
