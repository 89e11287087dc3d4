#include "ui/indicatorplot.h"

#include <QtGui/QPainter>
#include <QtGui/QPainterPath>

#include <algorithm>
#include <cmath>

namespace tickwire::ui {

using market::ChartIndicators;
using market::IndicatorKind;
using market::IndicatorPoint;

// The open candle's segments: a narrow child of the plot, from the previous point to the last.
class IndicatorLiveSegment : public QQuickPaintedItem
{
public:
    explicit IndicatorLiveSegment(IndicatorPlot *plot)
        : QQuickPaintedItem(plot)
        , m_plot(plot)
    {
        setAntialiasing(true);
    }
    void paint(QPainter *painter) override
    {
        painter->translate(-x(), -y());
        m_plot->paintLines(painter, true);
    }

private:
    IndicatorPlot *m_plot;
};

namespace {

constexpr double Margin = 3; // px around the live segment: line width and antialiasing

// Index of the first point at or after t (points are in time order).
std::size_t firstAt(const std::deque<IndicatorPoint> &points, double t)
{
    return std::size_t(
        std::lower_bound(points.begin(), points.end(), t,
                         [](const IndicatorPoint &p, double time) { return double(p.t) < time; })
        - points.begin());
}

} // namespace

IndicatorPlot::IndicatorPlot(QQuickItem *parent)
    : QQuickPaintedItem(parent)
    , m_live(new IndicatorLiveSegment(this))
{
    setAntialiasing(true);
    connect(this, &IndicatorPlot::viewChanged, this, [this] {
        updateRange(true);
        update();
        placeLive();
    });
}

IndicatorPlot::~IndicatorPlot() = default;

void IndicatorPlot::setIndicators(ChartIndicators *indicators)
{
    if (indicators == m_indicators)
        return;
    if (m_indicators)
        disconnect(m_indicators, nullptr, this, nullptr);
    m_indicators = indicators;
    if (indicators) {
        connect(indicators, &ChartIndicators::pointsChanged, this, &IndicatorPlot::onPoints);
        connect(indicators, &QAbstractItemModel::modelReset, this, [this] { onPoints(true); });
    }
    onPoints(true);
    Q_EMIT indicatorsChanged();
}

void IndicatorPlot::setViewValue(double &member, double value)
{
    if (value == member)
        return;
    member = value;
    Q_EMIT viewChanged();
}

void IndicatorPlot::setMinTime(double value)
{
    setViewValue(m_minTime, value);
}

void IndicatorPlot::setMaxTime(double value)
{
    setViewValue(m_maxTime, value);
}

void IndicatorPlot::setMinValue(double value)
{
    setViewValue(m_minValue, value);
}

void IndicatorPlot::setMaxValue(double value)
{
    setViewValue(m_maxValue, value);
}

void IndicatorPlot::setRow(int row)
{
    if (row == m_row)
        return;
    m_row = row;
    onPoints(true);
    Q_EMIT viewChanged();
}

void IndicatorPlot::setAutoRange(bool value)
{
    if (value == m_autoRange)
        return;
    m_autoRange = value;
    Q_EMIT viewChanged();
}

void IndicatorPlot::setColors(const QList<QColor> &colors)
{
    if (colors == m_colors)
        return;
    m_colors = colors;
    Q_EMIT viewChanged();
}

void IndicatorPlot::geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry)
{
    QQuickPaintedItem::geometryChange(newGeometry, oldGeometry);
    if (newGeometry.size() != oldGeometry.size()) {
        update();
        placeLive();
    }
}

bool IndicatorPlot::inScope(int row) const
{
    if (!m_indicators || row < 0 || row >= m_indicators->rowCount())
        return false;
    return m_row < 0 ? !m_indicators->spec(row).ownPane() : row == m_row;
}

QColor IndicatorPlot::colorOf(int row) const
{
    return m_colors.isEmpty() ? QColor(Qt::yellow) : m_colors.at(row % m_colors.size());
}

double IndicatorPlot::px(double t) const
{
    return (t - m_minTime) * width() / std::max(1.0, m_maxTime - m_minTime);
}

double IndicatorPlot::py(double v) const
{
    const double lo = m_autoRange ? m_rangeMin : m_minValue;
    const double hi = m_autoRange ? m_rangeMax : m_maxValue;
    return (hi - v) * height() / std::max(1e-12, hi - lo);
}

void IndicatorPlot::onPoints(bool history)
{
    double last = 0;
    if (m_row >= 0 && inScope(m_row) && !m_indicators->points(m_row).empty())
        last = m_indicators->points(m_row).back().values[0];
    if (last != m_lastValue && !(std::isnan(last) && std::isnan(m_lastValue))) {
        m_lastValue = last;
        Q_EMIT lastValueChanged();
    }
    updateRange(history);
    if (history)
        update();
    placeLive();
}

void IndicatorPlot::updateRange(bool exact)
{
    if (!m_autoRange || !m_indicators)
        return;
    double lo = std::numeric_limits<double>::max();
    double hi = std::numeric_limits<double>::lowest();
    auto take = [&](const IndicatorPoint &p, int outputs) {
        for (int k = 0; k < outputs; ++k) {
            if (!std::isnan(p.values[std::size_t(k)])) {
                lo = std::min(lo, p.values[std::size_t(k)]);
                hi = std::max(hi, p.values[std::size_t(k)]);
            }
        }
    };
    for (int row = 0; row < m_indicators->rowCount(); ++row) {
        if (!inScope(row))
            continue;
        const auto &points = m_indicators->points(row);
        const int outputs = m_indicators->spec(row).outputCount();
        if (exact) {
            for (std::size_t i = firstAt(points, m_minTime); i < points.size(); ++i) {
                if (double(points[i].t) > m_maxTime)
                    break;
                take(points[i], outputs);
            }
        } else if (!points.empty()) {
            take(points.back(), outputs);
        }
    }
    if (lo > hi) {
        lo = -1;
        hi = 1;
    }
    if (m_indicators->rowCount() > 0 && m_row >= 0
        && m_indicators->spec(m_row).kind == IndicatorKind::Macd) {
        lo = std::min(lo, 0.0); // the zero line and the histogram's base are always in view
        hi = std::max(hi, 0.0);
    }
    double newMin = m_rangeMin;
    double newMax = m_rangeMax;
    if (exact || lo < m_rangeMin || hi > m_rangeMax) {
        const double pad = std::max((hi - lo) * 0.08, 1e-9);
        newMin = lo - pad;
        newMax = hi + pad;
    }
    if (newMin == m_rangeMin && newMax == m_rangeMax)
        return;
    m_rangeMin = newMin;
    m_rangeMax = newMax;
    update(); // the closed candles' lines move with the range
    Q_EMIT rangeChanged();
}

void IndicatorPlot::placeLive()
{
    // The column from the previous point to the last, over every indicator in scope.
    double left = std::numeric_limits<double>::max();
    double right = std::numeric_limits<double>::lowest();
    if (m_indicators) {
        for (int row = 0; row < m_indicators->rowCount(); ++row) {
            const auto &points = m_indicators->points(row);
            if (!inScope(row) || points.size() < 2)
                continue;
            const double interval = double(points.back().t - points[points.size() - 2].t);
            left = std::min(left, px(double(points[points.size() - 2].t))
                                      - px(interval * 0.4 + m_minTime));
            right = std::max(right, px(double(points.back().t)) + px(interval * 0.4 + m_minTime));
        }
    }
    if (left > right) {
        m_live->setVisible(false);
        return;
    }
    left = std::max(0.0, std::floor(left - Margin));
    right = std::min(width(), std::ceil(right + Margin));
    m_live->setVisible(right > left);
    m_live->setPosition(QPointF(left, 0));
    m_live->setSize(QSizeF(std::max(0.0, right - left), height()));
    m_live->update();
}

void IndicatorPlot::paint(QPainter *painter)
{
    ++m_historyPaints;
    paintLines(painter, false);
}

void IndicatorPlot::paintLines(QPainter *painter, bool live) const
{
    if (!m_indicators || width() <= 0 || height() <= 0)
        return;
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setClipRect(QRectF(0, 0, width(), height()));
    for (int row = 0; row < m_indicators->rowCount(); ++row) {
        if (!inScope(row))
            continue;
        const auto &points = m_indicators->points(row);
        if (points.empty())
            continue;
        const market::IndicatorSpec spec = m_indicators->spec(row);
        // History: the points in the time range (and one either side, so lines reach the
        // edges) but the last; live: the last two.
        std::size_t first = 0;
        std::size_t end = points.size() - 1;
        if (live) {
            first = points.size() >= 2 ? points.size() - 2 : 0;
            end = points.size();
        } else {
            const std::size_t at = firstAt(points, m_minTime);
            first = at > 0 ? at - 1 : 0;
        }
        const QColor color = colorOf(row);
        auto line = [&](std::size_t output, const QPen &pen) {
            QPainterPath path;
            bool drawing = false;
            for (std::size_t i = first; i < end; ++i) {
                const double v = points[i].values[output];
                if (std::isnan(v)) {
                    drawing = false;
                    continue;
                }
                const QPointF p(px(double(points[i].t)), py(v));
                if (drawing)
                    path.lineTo(p);
                else
                    path.moveTo(p);
                drawing = true;
                if (!live && double(points[i].t) > m_maxTime)
                    break;
            }
            painter->strokePath(path, pen);
        };
        if (spec.kind == IndicatorKind::Macd) {
            // Histogram bars, then the line and its signal.
            const double interval =
                points.size() >= 2 ? double(points.back().t - points[points.size() - 2].t) : 1;
            const double half = (px(m_minTime + interval * 0.4) - px(m_minTime));
            const std::size_t barsFrom = live ? points.size() - 1 : first;
            const std::size_t barsEnd = live ? points.size() : end;
            for (std::size_t i = barsFrom; i < barsEnd; ++i) {
                const double v = points[i].values[2];
                if (std::isnan(v))
                    continue;
                const double x = px(double(points[i].t));
                QColor c = v >= 0 ? m_upColor : m_downColor;
                c.setAlphaF(0.55);
                painter->fillRect(QRectF(QPointF(x - half, py(std::max(v, 0.0))),
                                         QPointF(x + half, py(std::min(v, 0.0)))),
                                  c);
            }
            line(0, QPen(color, 1.5));
            line(1, QPen(m_signalColor, 1.2));
        } else if (spec.kind == IndicatorKind::Bollinger) {
            QColor band = color;
            band.setAlphaF(0.8);
            line(1, QPen(band, 1.0));
            line(2, QPen(band, 1.0));
            QPen middle(color, 1.0, Qt::DashLine);
            line(0, middle);
        } else {
            line(0, QPen(color, 1.5));
        }
    }
}

} // namespace tickwire::ui
