#pragma once

#include "market/bookgrouping.h"
#include "market/instruments.h"
#include "market/rowchanges.h"

#include <QtCore/QAbstractListModel>
#include <QtCore/QHash>

#include <vector>

namespace tickwire::market {

// The order book ladder of one symbol: a fixed 2 × depth rows so rows never jump.
//   rows [0, depth)         asks, worst at row 0, best ask at row depth - 1
//   rows [depth, 2 × depth) bids, best bid at row depth, worst at row 2 × depth - 1
// A side with fewer levels than depth leaves its far rows empty (HasLevelRole false; the
// strings are empty and the numbers 0). Cumulative size grows away from the spread on each
// side; DepthFraction is cumulative / (largest cumulative of both sides), in [0, 1].
// setLevels()/setOwnLevels() only record; flush() rebuilds the rows once and emits
// dataChanged per contiguous range with the changed roles. GUI thread only.
// With a grouping of n ticks (setGrouping) the rows are price buckets of n × the instrument's
// tick (market/bookgrouping.h): bids floored, asks ceiled, sizes and own quantities summed per
// bucket; cumulative sizes and depth bars are those of the buckets. Display only.
class OrderBookModel : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OrderBookModel)

public:
    enum Role {
        PriceRole = Qt::UserRole, // string at the price scale
        PriceValueRole, // double
        SizeRole, // string at the lot scale
        SizeValueRole,
        CumulativeSizeRole,
        CumulativeValueRole,
        DepthFractionRole, // double in [0, 1], for depth bars
        OwnQtyRole, // remaining qty of the account's open orders at this price/side
        OwnQtyValueRole,
        SideRole, // QString "sell" for ask rows, "buy" for bid rows (also on empty rows)
        IsBestRole, // the best bid / best ask row
        HasLevelRole, // false for empty rows
        // QStringList, the ladder's text cells in one value: own qty, size, price, cumulative
        // size (as the string roles). A level's cells then change once per flush, not once per
        // role.
        CellsRole,
    };
    Q_ENUM(Role)

    // Remaining own quantity per price, for one side.
    using OwnLevels = QHash<Decimal, Decimal>;

    explicit OrderBookModel(const InstrumentTable *instruments,
                            int depth = protocol::DefaultBookDepth, QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] int depth() const { return m_depth; }
    // Changes the row count: a reset. depth is clamped to [1, MaxBookDepth].
    void setDepth(int depth);
    [[nodiscard]] QString symbol() const { return m_symbol; }
    // Another symbol: a reset to an empty ladder.
    void setSymbol(const QString &symbol);

    // The current book (best first on each side, as in protocol::BookView). Only the first
    // depth levels of each side are shown.
    void setLevels(const QList<protocol::BookLevel> &bids, const QList<protocol::BookLevel> &asks);
    void setOwnLevels(const OwnLevels &bids, const OwnLevels &asks);
    // Buckets of `ticks` ticks (one of grouping::Steps; 1: the levels as they are). Takes
    // effect at the next flush(), as dataChanged (the row count stays). Returns false, and
    // changes nothing, for another value.
    bool setGrouping(int ticks);
    [[nodiscard]] int grouping() const { return m_groupTicks; }
    // The instruments changed: every display string is re-announced at the next flush(), and
    // grouped rows are rebuilt (the tick may have changed).
    void refreshFormatting()
    {
        m_formatStale = true;
        m_stale = m_stale || m_groupTicks > 1;
    }
    void flush();

private:
    struct Row
    {
        bool hasLevel = false;
        Decimal price, size, cumulative, own;
        double fraction = 0;
    };

    // Fills one side's rows of next; returns the side's total size.
    Decimal rebuildSide(std::vector<Row> &next, const QList<protocol::BookLevel> &levels,
                        const OwnLevels &own, bool asks) const;
    [[nodiscard]] bool isAskRow(int row) const { return row < m_depth; }

    const InstrumentTable *m_instruments;
    QString m_symbol;
    int m_depth;
    QList<protocol::BookLevel> m_bids, m_asks;
    OwnLevels m_ownBids, m_ownAsks;
    bool m_stale = false; // inputs changed since the last flush
    std::vector<Row> m_rows;
    std::vector<Row> m_next; // reused by flush() to avoid per-frame allocation
    RowChanges m_changes;
    bool m_formatStale = false;
    int m_groupTicks = 1;
};

} // namespace tickwire::market
