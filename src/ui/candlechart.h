#pragma once

#include <QtCore/QDateTime>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtQml/qqmlregistration.h>

#include "candlemodel.h"

#include <QtCharts/QCandlestickSeries>
#include <QtCharts/QLineSeries>


namespace tickwire::ui {

// Feeds Qt Charts series from the candle model, from C++: a bounded window of candles
// (zoom = how many, pan = how far from the newest), candlesticks updated in place when only
// the last candle moved (a set rebuild is O(n) in Qt Charts), the close line and the volume
// histogram replaced in one call each. Updates are coalesced to one per event-loop pass, which
// follows the models' once-per-frame flush.
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
    Q_PROPERTY(QDateTime minTime READ minTime NOTIFY rangeChanged FINAL)
    Q_PROPERTY(QDateTime maxTime READ maxTime NOTIFY rangeChanged FINAL)
    Q_PROPERTY(double minPrice READ minPrice NOTIFY rangeChanged FINAL)
    Q_PROPERTY(double maxPrice READ maxPrice NOTIFY rangeChanged FINAL)
    Q_PROPERTY(double maxVolume READ maxVolume NOTIFY rangeChanged FINAL)
    Q_PROPERTY(double lastPrice READ lastPrice NOTIFY rangeChanged FINAL)
    Q_PROPERTY(int pointCount READ pointCount NOTIFY rangeChanged FINAL)

public:
    static constexpr int MinVisible = 10;
    static constexpr int MaxVisible = 500;

    explicit CandleChartFeeder(QObject *parent = nullptr);

    [[nodiscard]] market::CandleModel *model() const { return m_model; }
    void setModel(market::CandleModel *model);
    [[nodiscard]] int visibleCount() const { return m_visible; }
    void setVisibleCount(int count);
    [[nodiscard]] int offset() const { return m_offset; }
    void setOffset(int offset);
    [[nodiscard]] bool followLive() const { return m_offset == 0; }
    void setFollowLive(bool follow);
    [[nodiscard]] QDateTime minTime() const { return QDateTime::fromMSecsSinceEpoch(m_minTime); }
    [[nodiscard]] QDateTime maxTime() const { return QDateTime::fromMSecsSinceEpoch(m_maxTime); }
    [[nodiscard]] double minPrice() const { return m_minPrice; }
    [[nodiscard]] double maxPrice() const { return m_maxPrice; }
    [[nodiscard]] double maxVolume() const { return m_maxVolume; }
    [[nodiscard]] double lastPrice() const { return m_lastPrice; }
    [[nodiscard]] int pointCount() const { return m_count; }

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

private:
    void scheduleUpdate();
    void update();

    QPointer<market::CandleModel> m_model;
    QPointer<QCandlestickSeries> m_candles;
    QPointer<QLineSeries> m_line;
    QPointer<QLineSeries> m_volume;
    int m_visible = 120;
    int m_offset = 0;
    bool m_updatePending = false;
    bool m_rebuild = true;
    // What the series show now: rows [m_first, m_first + m_count) of the model.
    int m_first = -1;
    int m_count = 0;
    qint64 m_minTime = 0;
    qint64 m_maxTime = 0;
    qint64 m_intervalMs = 60'000;
    double m_minPrice = 0;
    double m_maxPrice = 1;
    double m_maxVolume = 1;
    double m_lastPrice = 0;
};

} // namespace tickwire::ui
