#pragma once

#include "market/instruments.h"
#include "market/rowchanges.h"

#include <QtCore/QAbstractListModel>

#include <optional>
#include <vector>

namespace tickwire::market {

// The depth chart of one symbol, from its verified book: on each side, for every level, the
// exact cumulative size from the touch to that level and the cumulative notional (price × size
// summed). Rows [0, bidCount) are the bids from the best (highest) down, rows
// [bidCount, bidCount + askCount) the asks from the best (lowest) up. setLevels() only records;
// flush(), once per frame, recomputes (O(levels)), inserts or removes rows at the end of a side
// when its level count changes, emits role-scoped dataChanged for the rest and then
// depthChanged once if anything changed. Decimals are exact; the *Value roles are doubles for
// drawing only. GUI thread only.
class DepthModel : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DepthModel)
    Q_PROPERTY(int bidCount READ bidCount NOTIFY depthChanged FINAL)
    Q_PROPERTY(int askCount READ askCount NOTIFY depthChanged FINAL)
    // (best bid + best ask) / 2, exact, at one decimal more than the prices; empty (and
    // hasMid false) unless both sides have a level.
    Q_PROPERTY(bool hasMid READ hasMid NOTIFY depthChanged FINAL)
    Q_PROPERTY(QString mid READ midText NOTIFY depthChanged FINAL)
    Q_PROPERTY(double midValue READ midValue NOTIFY depthChanged FINAL)

public:
    enum Role {
        SideRole = Qt::UserRole, // "buy" for bid rows, "sell" for ask rows
        PriceRole, // string at the price scale
        PriceValueRole, // double
        SizeRole, // the level's size, string at the lot scale
        CumulativeRole, // size from the touch to this level, string at the lot scale
        CumulativeValueRole,
        NotionalRole, // Σ price × size from the touch to this level, string
        NotionalValueRole,
    };
    Q_ENUM(Role)

    struct Point
    {
        Decimal price, size, cumulative, notional;
        // Identity of the written forms: the strings change with them too.
        [[nodiscard]] bool isIdenticalTo(const Point &o) const
        {
            return price.isIdenticalTo(o.price) && size.isIdenticalTo(o.size)
                   && cumulative.isIdenticalTo(o.cumulative) && notional.isIdenticalTo(o.notional);
        }
    };

    explicit DepthModel(const InstrumentTable *instruments, QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] QString symbol() const { return m_symbol; }
    // Another symbol: a reset to an empty chart.
    void setSymbol(const QString &symbol);
    // The current verified book (best first on each side, as in protocol::BookView).
    void setLevels(const QList<protocol::BookLevel> &bids, const QList<protocol::BookLevel> &asks);
    // The instruments changed: every display string is re-announced at the next flush().
    void refreshFormatting() { m_formatStale = true; }
    void flush();

    [[nodiscard]] const std::vector<Point> &bids() const { return m_bidPoints; }
    [[nodiscard]] const std::vector<Point> &asks() const { return m_askPoints; }
    [[nodiscard]] int bidCount() const { return int(m_bidPoints.size()); }
    [[nodiscard]] int askCount() const { return int(m_askPoints.size()); }
    [[nodiscard]] std::optional<Decimal> mid() const { return m_mid; }
    [[nodiscard]] bool hasMid() const { return m_mid.has_value(); }
    [[nodiscard]] QString midText() const;
    [[nodiscard]] double midValue() const { return m_mid ? m_mid->toDouble() : 0.0; }

    // The row under `price` on the chart: on the bid side (price below the mid, or no asks),
    // the deepest bid at or above it; on the ask side the deepest ask at or below it (beyond the
    // deepest level: that level); -1 between the mid and the touch, or with an empty side.
    [[nodiscard]] Q_INVOKABLE int rowAtPrice(double price) const;
    // A row's readout for the hover: {side, price, cumulative, notional} as display strings;
    // empty for an invalid row.
    [[nodiscard]] Q_INVOKABLE QVariantMap readout(int row) const;

    // The cumulative points of one side (exposed for tests and the chart).
    [[nodiscard]] static std::vector<Point> accumulate(const QList<protocol::BookLevel> &levels);
    [[nodiscard]] static std::optional<Decimal> midOf(const QList<protocol::BookLevel> &bids,
                                                      const QList<protocol::BookLevel> &asks);

Q_SIGNALS:
    // After a flush() that changed anything (rows, counts or the mid): once per frame at most.
    void depthChanged();

private:
    [[nodiscard]] const Point *pointAt(int row) const;
    // Resizes one side's rows (insert/remove at its end), then marks what changed.
    void updateSide(std::vector<Point> &rows, std::vector<Point> &next, int firstRow);

    const InstrumentTable *m_instruments;
    QString m_symbol;
    QList<protocol::BookLevel> m_bids, m_asks;
    std::vector<Point> m_bidPoints, m_askPoints;
    std::optional<Decimal> m_mid;
    bool m_stale = false;
    bool m_formatStale = false;
    RowChanges m_changes;
};

} // namespace tickwire::market
