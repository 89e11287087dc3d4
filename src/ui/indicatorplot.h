#pragma once

#include "market/chartindicators.h"

#include <QtCore/QPointer>
#include <QtGui/QColor>
#include <QtQml/qqmlregistration.h>
#include <QtQuick/QQuickPaintedItem>

namespace tickwire::ui {

class IndicatorLiveSegment;

// Paints indicator lines over a chart pane: every overlay (row -1: SMA, EMA, VWAP, Bollinger)
// over the candles, or one indicator (RSI, MACD) in a pane of its own. x is time on the same
// range as the candle pane (minTime, maxTime: the feeder's), y the pane's value range.
//
// Like the candle chart (CandleChartFeeder), the open candle's point is not painted here: a
// child item as narrow as the last segment paints it, so a tick repaints a column of a few
// pixels, not the pane; this item repaints when the closed candles' points, the range or the
// indicators change (ChartIndicators::pointsChanged with historyChanged).
class IndicatorPlot : public QQuickPaintedItem
{
    Q_OBJECT
    QML_ELEMENT
    Q_DISABLE_COPY_MOVE(IndicatorPlot)
    Q_PROPERTY(tickwire::market::ChartIndicators *indicators READ indicators WRITE setIndicators
                   NOTIFY indicatorsChanged FINAL)
    // -1: the overlays; else that row's indicator.
    Q_PROPERTY(int row READ row WRITE setRow NOTIFY viewChanged FINAL)
    Q_PROPERTY(double minTime READ minTime WRITE setMinTime NOTIFY viewChanged FINAL)
    Q_PROPERTY(double maxTime READ maxTime WRITE setMaxTime NOTIFY viewChanged FINAL)
    // The y range when not autoRange (the candle pane's prices, RSI's 0–100).
    Q_PROPERTY(double minValue READ minValue WRITE setMinValue NOTIFY viewChanged FINAL)
    Q_PROPERTY(double maxValue READ maxValue WRITE setMaxValue NOTIFY viewChanged FINAL)
    // The y range from the points in the time range (MACD), padded; rangeMin/rangeMax say it.
    Q_PROPERTY(bool autoRange READ autoRange WRITE setAutoRange NOTIFY viewChanged FINAL)
    Q_PROPERTY(double rangeMin READ rangeMin NOTIFY rangeChanged FINAL)
    Q_PROPERTY(double rangeMax READ rangeMax NOTIFY rangeChanged FINAL)
    // One colour per indicator row (cycled); MACD's signal takes signalColor, its histogram
    // upColor/downColor.
    Q_PROPERTY(QList<QColor> colors READ colors WRITE setColors NOTIFY viewChanged FINAL)
    Q_PROPERTY(QColor signalColor MEMBER m_signalColor NOTIFY viewChanged FINAL)
    Q_PROPERTY(QColor upColor MEMBER m_upColor NOTIFY viewChanged FINAL)
    Q_PROPERTY(QColor downColor MEMBER m_downColor NOTIFY viewChanged FINAL)
    // The row's last point (the open candle's), first output: for the pane's readout.
    Q_PROPERTY(double lastValue READ lastValue NOTIFY lastValueChanged FINAL)
    // Repaints of the closed candles' part, for tests and the benchmark.
    Q_PROPERTY(int historyPaints READ historyPaints NOTIFY lastValueChanged FINAL)

public:
    explicit IndicatorPlot(QQuickItem *parent = nullptr);
    ~IndicatorPlot() override;

    [[nodiscard]] market::ChartIndicators *indicators() const { return m_indicators; }
    void setIndicators(market::ChartIndicators *indicators);
    [[nodiscard]] int row() const { return m_row; }
    void setRow(int row);
    [[nodiscard]] double minTime() const { return m_minTime; }
    void setMinTime(double value);
    [[nodiscard]] double maxTime() const { return m_maxTime; }
    void setMaxTime(double value);
    [[nodiscard]] double minValue() const { return m_minValue; }
    void setMinValue(double value);
    [[nodiscard]] double maxValue() const { return m_maxValue; }
    void setMaxValue(double value);
    [[nodiscard]] bool autoRange() const { return m_autoRange; }
    void setAutoRange(bool value);
    [[nodiscard]] double rangeMin() const { return m_rangeMin; }
    [[nodiscard]] double rangeMax() const { return m_rangeMax; }
    [[nodiscard]] QList<QColor> colors() const { return m_colors; }
    void setColors(const QList<QColor> &colors);
    [[nodiscard]] double lastValue() const { return m_lastValue; }
    [[nodiscard]] int historyPaints() const { return m_historyPaints; }

    void paint(QPainter *painter) override;
    // Paints the last segment of every line (live: true) or all but it (false), in this item's
    // coordinates.
    void paintLines(QPainter *painter, bool live) const;

Q_SIGNALS:
    void indicatorsChanged();
    void viewChanged();
    void rangeChanged();
    void lastValueChanged();

protected:
    void geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry) override;

private:
    void setViewValue(double &member, double value);
    void onPoints(bool history);
    void updateRange(bool exact);
    void placeLive();
    [[nodiscard]] bool inScope(int row) const;
    [[nodiscard]] double px(double t) const;
    [[nodiscard]] double py(double v) const;
    [[nodiscard]] QColor colorOf(int row) const;

    QPointer<market::ChartIndicators> m_indicators;
    IndicatorLiveSegment *m_live = nullptr;
    int m_row = -1;
    double m_minTime = 0;
    double m_maxTime = 1;
    double m_minValue = 0;
    double m_maxValue = 1;
    bool m_autoRange = false;
    double m_rangeMin = 0;
    double m_rangeMax = 1;
    QList<QColor> m_colors;
    QColor m_signalColor{0xf0, 0x88, 0x3e};
    QColor m_upColor{0x26, 0xa6, 0x9a};
    QColor m_downColor{0xef, 0x53, 0x50};
    double m_lastValue = 0;
    int m_historyPaints = 0;
};

} // namespace tickwire::ui
