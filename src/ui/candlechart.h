#pragma once

#include <QtCore/QDateTime>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtGui/QColor>
#include <QtQml/qqmlregistration.h>

#include "market/candlemodel.h"
#include "ui/axisticks.h"

#include <QtCharts/QCandlestickSeries>
#include <QtCharts/QCategoryAxis>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

namespace tickwire::ui {

// Feeds Qt Charts series from the candle model, from C++: a bounded window of candles
// (zoom = how many, pan = how far from the newest). Updates are coalesced to one per event-loop
// pass, which follows the models' once-per-frame flush.
//
// The series hold the window without its newest candle; the newest one ("live": it moves with
// every trade) is published as plain properties for the view to draw with its own items over the
// chart. Any change to a Qt Charts series re-renders the whole ChartView image on the GUI
// thread, so a tick that only moves the live candle must not touch a series: the series change
// only when another candle of the window does (a new candle, pan, zoom, reset), candlesticks then
// updated in place when their count is the same (a set rebuild is O(n) in Qt Charts). For the same
// reason the axis ranges follow the live candle in steps: they change when it leaves them, not
// on every new high, low or volume.
//
// Axes: the time range (minTime, maxTime) is the one every pane's x axis takes; the time axis's
// categories are round times for that range (timeAxisTicks), set here whenever they change, and
// the price axis gets a round step (priceStep) for the instrument's decimals.
class CandleChartFeeder : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_DISABLE_COPY_MOVE(CandleChartFeeder)

    Q_PROPERTY(tickwire::market::CandleModel *model READ model WRITE setModel NOTIFY modelChanged FINAL)
    Q_PROPERTY(QCandlestickSeries *candleSeries MEMBER m_candles NOTIFY seriesChanged FINAL)
    Q_PROPERTY(QLineSeries *lineSeries MEMBER m_line NOTIFY seriesChanged FINAL)
    Q_PROPERTY(QLineSeries *volumeSeries MEMBER m_volume NOTIFY seriesChanged FINAL)
    Q_PROPERTY(int visibleCount READ visibleCount WRITE setVisibleCount NOTIFY viewChanged FINAL)
    Q_PROPERTY(int offset READ offset WRITE setOffset NOTIFY viewChanged FINAL)
    Q_PROPERTY(bool followLive READ followLive WRITE setFollowLive NOTIFY viewChanged FINAL)
    // A CategoryAxis whose categories this feeder owns: one per round time, labelled on it.
    Q_PROPERTY(QCategoryAxis *timeAxis MEMBER m_timeAxis NOTIFY timeAxisChanged FINAL)
    // A value axis whose range and round tick interval this feeder sets together (the range
    // alone in a QML binding would meet a stale interval: thousands of ticks for a moment).
    Q_PROPERTY(QValueAxis *priceAxis MEMBER m_priceAxis NOTIFY priceAxisChanged FINAL)
    // At most this many time labels (the view sets it from the chart's width).
    Q_PROPERTY(int maxTimeLabels READ maxTimeLabels WRITE setMaxTimeLabels NOTIFY viewChanged FINAL)
    // The instrument's price decimals: the price step is never finer than one unit of the last.
    Q_PROPERTY(int priceDecimals READ priceDecimals WRITE setPriceDecimals NOTIFY viewChanged FINAL)
    // The window's time range, ms since the epoch.
    Q_PROPERTY(double minTime READ minTime NOTIFY rangeChanged FINAL)
    Q_PROPERTY(double maxTime READ maxTime NOTIFY rangeChanged FINAL)
    // The time axis's ticks (ms since the epoch) and their step, as set on timeAxis.
    Q_PROPERTY(QList<qreal> timeTicks READ timeTicks NOTIFY timeTicksChanged FINAL)
    Q_PROPERTY(double timeStep READ timeStep NOTIFY timeTicksChanged FINAL)
    // The price axis's round tick interval (1, 2 or 5 × 10^n) for [minPrice, maxPrice].
    Q_PROPERTY(double priceStep READ priceStep NOTIFY rangeChanged FINAL)
    Q_PROPERTY(double minPrice READ minPrice NOTIFY rangeChanged FINAL)
    Q_PROPERTY(double maxPrice READ maxPrice NOTIFY rangeChanged FINAL)
    Q_PROPERTY(double maxVolume READ maxVolume NOTIFY rangeChanged FINAL)
    Q_PROPERTY(double intervalMs READ intervalMs NOTIFY rangeChanged FINAL)
    Q_PROPERTY(int pointCount READ pointCount NOTIFY rangeChanged FINAL)
    // The newest candle of the window (not in the series); valid when pointCount > 0.
    Q_PROPERTY(double liveTime READ liveTime NOTIFY liveChanged FINAL)
    Q_PROPERTY(double liveOpen READ liveOpen NOTIFY liveChanged FINAL)
    Q_PROPERTY(double liveHigh READ liveHigh NOTIFY liveChanged FINAL)
    Q_PROPERTY(double liveLow READ liveLow NOTIFY liveChanged FINAL)
    Q_PROPERTY(double lastPrice READ lastPrice NOTIFY liveChanged FINAL)
    Q_PROPERTY(double liveVolume READ liveVolume NOTIFY liveChanged FINAL)
    // The candle before the live one (the close line's last segment starts there).
    Q_PROPERTY(double previousTime READ previousTime NOTIFY liveChanged FINAL)
    Q_PROPERTY(double previousClose READ previousClose NOTIFY liveChanged FINAL)
    Q_PROPERTY(bool hasPrevious READ hasPrevious NOTIFY liveChanged FINAL)
    // The candlesticks' outline pen colour (set by the chart theme), for drawing the live wick.
    Q_PROPERTY(QColor wickColor READ wickColor NOTIFY wickColorChanged FINAL)

public:
    static constexpr int MinVisible = 10;
    static constexpr int MaxVisible = 500;
    static constexpr int MaxPriceTicks = 7;
    // The share of the time range at either end that has no time tick (room for half a label).
    static constexpr double TimeEdge = 0.04;

    explicit CandleChartFeeder(QObject *parent = nullptr);

    [[nodiscard]] market::CandleModel *model() const { return m_model; }
    void setModel(market::CandleModel *model);
    [[nodiscard]] int visibleCount() const { return m_visible; }
    void setVisibleCount(int count);
    [[nodiscard]] int offset() const { return m_offset; }
    void setOffset(int offset);
    [[nodiscard]] bool followLive() const { return m_offset == 0; }
    void setFollowLive(bool follow);
    [[nodiscard]] int maxTimeLabels() const { return m_maxTimeLabels; }
    void setMaxTimeLabels(int count);
    [[nodiscard]] int priceDecimals() const { return m_priceDecimals; }
    void setPriceDecimals(int decimals);
    [[nodiscard]] double minTime() const { return double(m_minTime); }
    [[nodiscard]] double maxTime() const { return double(m_maxTime); }
    [[nodiscard]] QList<qreal> timeTicks() const;
    [[nodiscard]] double timeStep() const { return double(m_timeTicks.stepMs); }
    [[nodiscard]] double priceStep() const { return m_priceStep; }
    [[nodiscard]] double minPrice() const { return m_minPrice; }
    [[nodiscard]] double maxPrice() const { return m_maxPrice; }
    [[nodiscard]] double maxVolume() const { return m_maxVolume; }
    [[nodiscard]] double intervalMs() const { return double(m_intervalMs); }
    [[nodiscard]] int pointCount() const { return m_count; }
    [[nodiscard]] double liveTime() const { return m_live.time; }
    [[nodiscard]] double liveOpen() const { return m_live.open; }
    [[nodiscard]] double liveHigh() const { return m_live.high; }
    [[nodiscard]] double liveLow() const { return m_live.low; }
    [[nodiscard]] double lastPrice() const { return m_live.close; }
    [[nodiscard]] double liveVolume() const { return m_live.volume; }
    [[nodiscard]] double previousTime() const { return m_live.previousTime; }
    [[nodiscard]] double previousClose() const { return m_live.previousClose; }
    [[nodiscard]] bool hasPrevious() const { return m_live.hasPrevious; }
    [[nodiscard]] QColor wickColor() const;

    // The candle under a chart x value (ms since epoch): {t, o, h, l, c, v} strings, or empty.
    Q_INVOKABLE QVariantMap candleAt(double timeMs) const;
    // Zoom by wheel steps (positive: fewer candles) and pan by candles (positive: back in time).
    Q_INVOKABLE void zoom(int steps);
    Q_INVOKABLE void pan(int candles);

Q_SIGNALS:
    void modelChanged();
    void seriesChanged();
    void viewChanged();
    void rangeChanged();
    void liveChanged();
    void wickColorChanged();
    void timeAxisChanged();
    void priceAxisChanged();
    void timeTicksChanged();

private:
    struct Live
    {
        double time = 0;
        double open = 0;
        double high = 0;
        double low = 0;
        double close = 0;
        double volume = 0;
        double previousTime = 0;
        double previousClose = 0;
        bool hasPrevious = false;
        bool operator==(const Live &) const = default;
    };

    void scheduleUpdate();
    void update();
    // Puts rows [first, end) into the series and records their price and volume extremes.
    void feedHistory(int first, int end);
    void feedCandles(int first, int end);
    void refeed();
    [[nodiscard]] Live liveAt(int row) const;
    void updateTimeTicks();
    void applyPriceAxis();
    bool updatePriceStep(); // true when the step changed
    [[nodiscard]] double valueAt(int row, int role) const;

    QPointer<market::CandleModel> m_model;
    QPointer<QCandlestickSeries> m_candles;
    QPointer<QLineSeries> m_line;
    QPointer<QLineSeries> m_volume;
    QPointer<QCategoryAxis> m_timeAxis;
    QPointer<QValueAxis> m_priceAxis;
    int m_maxTimeLabels = 8;
    int m_priceDecimals = 2;
    TimeTicks m_timeTicks;
    double m_priceStep = 0;
    int m_visible = 120;
    int m_offset = 0;
    bool m_updatePending = false;
    bool m_rebuild = true;
    bool m_historyDirty = true; // a row the series show changed, or rows moved
    // The window now: rows [m_first, m_first + m_count) of the model; the series show all but
    // the last of them.
    int m_first = -1;
    int m_count = 0;
    double m_historyLow = 0;
    double m_historyHigh = 0;
    double m_historyMaxVolume = 0;
    Live m_live;
    qint64 m_minTime = 0;
    qint64 m_maxTime = 0;
    qint64 m_intervalMs = 60'000;
    double m_minPrice = 0;
    double m_maxPrice = 1;
    double m_maxVolume = 1;
};

} // namespace tickwire::ui
