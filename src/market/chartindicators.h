#pragma once

#include "market/candlemodel.h"
#include "market/indicators.h"

#include <QtCore/QAbstractListModel>
#include <QtCore/QPointer>

#include <deque>
#include <memory>

namespace tickwire::market {

// One indicator's points, one per candle row of the chart's CandleModel (oldest first); the last
// is the open candle's.
struct IndicatorPoint
{
    qint64 t = 0;
    IndicatorValues values{NoValue, NoValue, NoValue};
};

// The indicators on one chart, and their points over its candles. Rows are the indicators (the
// user's choice: kinds and parameters, several of a kind allowed); their points follow the
// CandleModel's signals, so they change when the model publishes, once per frame:
//   * a new row (or rows) appended: the former open candle is pushed into each engine as closed,
//     the new last row is the open candle: O(1) per indicator per new candle;
//   * the last row changed: only the open candle's point is recomputed, from the state as of
//     the last closed candle: O(1) per indicator;
//   * rows removed at the front (the model is bounded): their points go, the state stays (the
//     indicators are over every candle seen since the last reset);
//   * a reset (another symbol or interval, a snapshot) or a change to an older row: everything is
//     recomputed from the rows.
// GUI thread only.
class ChartIndicators : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChartIndicators)
    Q_PROPERTY(tickwire::market::CandleModel *candles READ candles WRITE setCandles NOTIFY
                   candlesChanged FINAL)
    // The indicators in the settings' form ("sma 20", "bollinger 20 2"), in row order.
    Q_PROPERTY(QStringList specs READ specs WRITE setSpecs NOTIFY specsChanged FINAL)
    Q_PROPERTY(int count READ rowCount NOTIFY specsChanged FINAL)

public:
    enum Role {
        KindRole = Qt::UserRole, // "sma", "ema", "vwap", "bollinger", "rsi", "macd"
        LabelRole, // "SMA 20"
        SpecRole, // "sma 20"
        PeriodRole,
        WidthRole, // Bollinger's k
        FastRole,
        SlowRole,
        SignalRole,
        OwnPaneRole, // bool: RSI and MACD
        LastValueRole, // double: the open candle's first output (NaN when none)
    };
    Q_ENUM(Role)

    static constexpr int MaxIndicators = 12;

    explicit ChartIndicators(QObject *parent = nullptr);
    ~ChartIndicators() override;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] CandleModel *candles() const { return m_candles; }
    void setCandles(CandleModel *candles);

    [[nodiscard]] QStringList specs() const;
    // Replaces the indicators; entries that do not parse are left out and reported in `problem`.
    void setSpecs(const QStringList &specs);

    // Adds an indicator of a kind ("sma", …) with its default parameters; returns its row, or
    // -1 (unknown kind, or MaxIndicators reached).
    Q_INVOKABLE int add(const QString &kind);
    Q_INVOKABLE void remove(int row);
    // Sets one parameter ("period", "k", "fast", "slow", "signal"); returns why it is refused,
    // empty when taken (the indicator is then recomputed over the candles).
    Q_INVOKABLE QString setParameter(int row, const QString &name, double value);

    [[nodiscard]] IndicatorSpec spec(int row) const;
    [[nodiscard]] const std::deque<IndicatorPoint> &points(int row) const;
    // Counts changes of a row's points other than the open candle's (appends, removals, resets):
    // a view can keep what it drew of the closed candles while this stays the same.
    [[nodiscard]] quint64 historyRevision() const { return m_historyRevision; }

Q_SIGNALS:
    void candlesChanged();
    void specsChanged();
    // The points changed (any row); historyChanged: more than the open candle's point.
    void pointsChanged(bool historyChanged);
    void problem(const QString &message);

private:
    struct Series;

    void recompute(Series &series) const;
    void recomputeAll();
    void onInserted(int first, int last);
    void onAboutToRemove(int first, int last);
    void onRemoved(int first, int last);
    void onChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                   const QList<int> &roles);
    void updateOpen();
    [[nodiscard]] IndicatorCandle candleAt(int row) const;
    void emitPoints(bool history);
    int append(const IndicatorSpec &spec);

    QPointer<CandleModel> m_candles;
    std::vector<std::unique_ptr<Series>> m_series;
    bool m_openAbsorbed = false; // the open row was removed: already pushed into the engines
    quint64 m_historyRevision = 0;
};

} // namespace tickwire::market
