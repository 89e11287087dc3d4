#pragma once

#include "market/instruments.h"
#include "market/rowchanges.h"

#include <QtCore/QAbstractListModel>

#include <deque>
#include <optional>

namespace tickwire::market {

// Candles of one symbol and interval, oldest first, at most capacity() rows. Filled by a
// candles snapshot (a reset), then by live candles: the same `t` as the last row updates it
// (dataChanged with the changed roles), a later `t` appends a row (the oldest rows are removed
// first when full), an earlier `t` is refused. Live candles only record; flush() publishes.
// minPrice/maxPrice span the low/high of all rows, for the chart's axis. GUI thread only.
class CandleModel : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CandleModel)
    Q_PROPERTY(double minPrice READ minPrice NOTIFY priceRangeChanged FINAL)
    Q_PROPERTY(double maxPrice READ maxPrice NOTIFY priceRangeChanged FINAL)

public:
    enum Role {
        TimeRole = Qt::UserRole, // qint64 ms, start of the interval
        OpenRole, // strings at the price scale
        HighRole,
        LowRole,
        CloseRole,
        VolumeRole, // string at the lot scale
        OpenValueRole,
        HighValueRole,
        LowValueRole,
        CloseValueRole,
        VolumeValueRole,
        ClosedRole, // bool: the interval is over
    };
    Q_ENUM(Role)

    static constexpr int DefaultCapacity = 2000;

    explicit CandleModel(const InstrumentTable *instruments, int capacity = DefaultCapacity,
                         QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] int capacity() const { return m_capacity; }
    [[nodiscard]] QString symbol() const { return m_symbol; }
    [[nodiscard]] protocol::CandleInterval interval() const { return m_interval; }
    // Another series: a reset to empty.
    void setSeries(const QString &symbol, protocol::CandleInterval interval);

    // Replaces all rows (a reset). Ignored for another series.
    void applySnapshot(const protocol::CandlesSnapshot &snapshot);
    // Returns the reason when refused: an earlier `t` than the last candle, or negative values.
    // A candle of another series is ignored (nullopt): the feed carries several series.
    [[nodiscard]] std::optional<QString> applyCandle(const protocol::Candle &candle);
    // The instruments changed: every display string is re-announced at the next flush().
    void refreshFormatting() { m_formatStale = true; }
    void flush();

    // Lowest low / highest high over the rows; 0 when empty.
    [[nodiscard]] double minPrice() const { return m_minPrice; }
    [[nodiscard]] double maxPrice() const { return m_maxPrice; }

Q_SIGNALS:
    void priceRangeChanged();

public:
    struct Row
    {
        std::int64_t t = 0;
        Decimal o, h, l, c, v;
        bool closed = false;
    };
    // A published row's exact values; 0 <= row < rowCount().
    [[nodiscard]] const Row &rowAt(int row) const { return m_rows[std::size_t(row)]; }

private:
    static Row rowOf(const protocol::Candle &candle);
    [[nodiscard]] std::int64_t lastT() const;
    void updateRange();

    const InstrumentTable *m_instruments;
    int m_capacity;
    QString m_symbol;
    protocol::CandleInterval m_interval = protocol::CandleInterval::M1;
    std::deque<Row> m_rows; // published, oldest first
    std::deque<Row> m_pending; // new intervals not yet published, oldest first
    RowChanges m_changes;
    bool m_rangeStale = false;
    double m_minPrice = 0;
    double m_maxPrice = 0;
    bool m_formatStale = false;
};

} // namespace tickwire::market
