#include "ui/depthchart.h"

#include "market/depthmodel.h"
#include "ui/axisticks.h"

#include <QtCore/QLocale>
#include <QtGui/QFontMetricsF>
#include <QtGui/QPainter>
#include <QtGui/QPainterPath>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace tickwire::ui {

namespace {

// Digits after the point that a multiple of `step` needs (0.25 -> 2, 50 -> 0).
int decimalsOf(double step)
{
    for (int d = 0; d < 10; ++d) {
        const double scaled = step * std::pow(10.0, d);
        if (std::abs(scaled - std::round(scaled)) < 1e-6 * scaled)
            return d;
    }
    return 10;
}

constexpr qreal Gap = 6; // between the plot and its labels
constexpr qreal SizeHeadroom = 1.08; // the deepest total stays under the top edge

} // namespace

DepthChart::DepthChart(QQuickItem *parent)
    : QQuickPaintedItem(parent)
{
    setAntialiasing(true);
    setAcceptHoverEvents(true);
}

void DepthChart::setModel(market::DepthModel *model)
{
    if (model == m_model)
        return;
    if (m_model)
        m_model->disconnect(this);
    m_model = model;
    if (m_model) {
        connect(m_model, &market::DepthModel::depthChanged, this, &DepthChart::relayout);
        connect(m_model, &QObject::destroyed, this, &DepthChart::relayout);
    }
    relayout();
    Q_EMIT modelChanged();
}

void DepthChart::setColor(QColor &member, const QColor &color)
{
    if (color == member)
        return;
    member = color;
    update();
    Q_EMIT colorsChanged();
}

void DepthChart::setFont(const QFont &font)
{
    if (font == m_font)
        return;
    m_font = font;
    relayout();
    Q_EMIT fontChanged();
}

void DepthChart::setPriceDecimals(int decimals)
{
    decimals = std::clamp(decimals, 0, 18);
    if (decimals == m_priceDecimals)
        return;
    m_priceDecimals = decimals;
    relayout();
    Q_EMIT priceDecimalsChanged();
}

void DepthChart::geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry)
{
    QQuickPaintedItem::geometryChange(newGeometry, oldGeometry);
    if (newGeometry.size() != oldGeometry.size())
        relayout();
}

double DepthChart::priceAt(qreal x) const
{
    if (m_plot.width() <= 0)
        return m_minPrice;
    return m_minPrice + (x - m_plot.left()) / m_plot.width() * (m_maxPrice - m_minPrice);
}

qreal DepthChart::xOf(double price) const
{
    const double span = m_maxPrice - m_minPrice;
    return m_plot.left() + (span > 0 ? (price - m_minPrice) / span * m_plot.width() : 0.0);
}

qreal DepthChart::yOf(double size) const
{
    return m_plot.bottom() - (m_maxSize > 0 ? size / m_maxSize * m_plot.height() : 0.0);
}

void DepthChart::relayout()
{
    const market::DepthModel *model = m_model;
    const std::vector<market::DepthModel::Point> none;
    const auto &bids = model ? model->bids() : none;
    const auto &asks = model ? model->asks() : none;

    // Price range: centred on the mid (or the one side's touch), as wide as the deeper side.
    double lo = 0, hi = 0, centre = 0;
    if (!bids.empty() || !asks.empty()) {
        lo = !bids.empty() ? bids.back().price.toDouble() : asks.front().price.toDouble();
        hi = !asks.empty() ? asks.back().price.toDouble() : bids.front().price.toDouble();
        centre = model->hasMid() ? model->midValue()
                                 : (!bids.empty() ? bids.front().price.toDouble()
                                                  : asks.front().price.toDouble());
        double half = std::max(centre - lo, hi - centre) * 1.04;
        if (!(half > 0))
            half = std::max(std::abs(centre) * 1e-3, 1e-9);
        lo = centre - half;
        hi = centre + half;
    }
    double total = 0;
    if (!bids.empty())
        total = bids.back().cumulative.toDouble();
    if (!asks.empty())
        total = std::max(total, asks.back().cumulative.toDouble());
    m_minPrice = lo;
    m_maxPrice = hi;
    m_maxSize = total * SizeHeadroom;
    m_sizeStep = priceAxisStep(0, m_maxSize, 5, 8);

    // The plot leaves room for the size labels (right) and the price labels (bottom).
    const QFontMetricsF metrics(m_font);
    const int sizeDecimals = m_sizeStep > 0 ? decimalsOf(m_sizeStep) : 0;
    const QString widest = QLocale::c().toString(m_maxSize, 'f', sizeDecimals);
    const qreal right = metrics.horizontalAdvance(widest) + 2 * Gap;
    const qreal bottom = metrics.height() + Gap;
    m_plot = QRectF(4, 8, std::max(0.0, width() - 4 - right), std::max(0.0, height() - 8 - bottom));
    const int maxPriceTicks = std::max(2, int(m_plot.width() / 110));
    m_priceStep = hi > lo ? priceAxisStep(lo, hi, maxPriceTicks, m_priceDecimals) : 0;

    // The step areas: from the touch outwards, each level raises the cumulative at its price;
    // beyond the deepest level the side stays at its total up to the plot's edge.
    const auto area = [this](const std::vector<market::DepthModel::Point> &points, qreal edge) {
        QPolygonF polygon;
        if (points.empty())
            return polygon;
        polygon.reserve(qsizetype(points.size()) * 2 + 3);
        // On whole pixels (+0.5: a 1 px pen's centre), so it paints sharp without antialiasing.
        const auto px = [](qreal v) { return std::round(v) + 0.5; };
        const qreal base = px(m_plot.bottom());
        polygon << QPointF(px(xOf(points.front().price.toDouble())), base);
        qreal y = base;
        for (const auto &p : points) {
            const qreal x = px(xOf(p.price.toDouble()));
            polygon << QPointF(x, y);
            y = px(yOf(p.cumulative.toDouble()));
            polygon << QPointF(x, y);
        }
        polygon << QPointF(edge, y) << QPointF(edge, base);
        return polygon;
    };
    m_bidArea = area(bids, m_plot.left());
    m_askArea = area(asks, m_plot.right());
    Q_EMIT layoutChanged();
    updateHover();
    update();
}

void DepthChart::hoverAt(qreal x)
{
    m_hoverX = x;
    updateHover();
    update();
}

void DepthChart::hoverMoveEvent(QHoverEvent *event)
{
    const QPointF at = event->position();
    hoverAt(m_plot.contains(at) ? at.x() : -1);
}

void DepthChart::hoverLeaveEvent(QHoverEvent *)
{
    hoverAt(-1);
}

void DepthChart::updateHover()
{
    const int row = m_model && m_hoverX >= 0 ? m_model->rowAtPrice(priceAt(m_hoverX)) : -1;
    QVariantMap readout = row >= 0 ? m_model->readout(row) : QVariantMap();
    if (row == m_hoverRow && readout == m_readout)
        return;
    m_hoverRow = row;
    m_readout = readout;
    Q_EMIT hoverChanged();
}

void DepthChart::paint(QPainter *painter)
{
    if (m_plot.width() <= 0 || m_plot.height() <= 0)
        return;
    // Everything but the hover dot is axis-aligned on whole pixels: no antialiasing, which
    // would make filling the areas several times dearer in a raster paint on every frame.
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->setFont(m_font);
    const QFontMetricsF metrics(m_font);
    const QLocale c = QLocale::c();

    // Grid and labels: sizes on the right, prices along the bottom, at round steps.
    painter->setPen(QPen(m_gridColor, 1));
    if (m_sizeStep > 0) {
        const int decimals = decimalsOf(m_sizeStep);
        for (double s = m_sizeStep; s <= m_maxSize; s += m_sizeStep) {
            const qreal y = std::round(yOf(s)) + 0.5;
            painter->setPen(QPen(m_gridColor, 1));
            painter->drawLine(QPointF(m_plot.left(), y), QPointF(m_plot.right(), y));
            painter->setPen(m_labelColor);
            painter->drawText(QPointF(m_plot.right() + Gap, y + metrics.ascent() / 2 - 1),
                              c.toString(s, 'f', decimals));
        }
    }
    if (m_priceStep > 0) {
        const double first = std::ceil(m_minPrice / m_priceStep) * m_priceStep;
        for (double p = first; p <= m_maxPrice; p += m_priceStep) {
            const qreal x = std::round(xOf(p)) + 0.5;
            painter->setPen(QPen(m_gridColor, 1));
            painter->drawLine(QPointF(x, m_plot.top()), QPointF(x, m_plot.bottom()));
            const QString label = c.toString(p, 'f', m_priceDecimals);
            const qreal w = metrics.horizontalAdvance(label);
            const qreal left = std::clamp(x - w / 2, 0.0, width() - w);
            painter->setPen(m_labelColor);
            painter->drawText(QPointF(left, m_plot.bottom() + Gap + metrics.ascent()), label);
        }
    }

    // The two areas: a translucent fill under a solid outline.
    painter->save();
    painter->setClipRect(m_plot.adjusted(0, -1, 0, 1));
    for (const auto &[polygon, color] :
         {std::pair{&m_bidArea, m_bidColor}, std::pair{&m_askArea, m_askColor}}) {
        if (polygon->isEmpty())
            continue;
        QColor fill = color;
        fill.setAlphaF(0.22f);
        painter->setPen(Qt::NoPen);
        painter->setBrush(fill);
        painter->drawPolygon(*polygon);
        painter->setPen(QPen(color, 1));
        painter->setBrush(Qt::NoBrush);
        // The outline without the closing edges along the base.
        painter->drawPolyline(polygon->constData() + 1, int(polygon->size()) - 2);
    }
    painter->restore();

    if (m_model && m_model->hasMid()) {
        const qreal x = xOf(m_model->midValue());
        QPen pen(m_midColor, 1, Qt::DashLine);
        painter->setPen(pen);
        painter->drawLine(QPointF(x, m_plot.top()), QPointF(x, m_plot.bottom()));
    }

    if (m_hoverX >= 0) {
        QColor cross = m_labelColor;
        cross.setAlphaF(0.6f);
        painter->setPen(QPen(cross, 1));
        painter->drawLine(QPointF(m_hoverX, m_plot.top()), QPointF(m_hoverX, m_plot.bottom()));
        if (m_hoverRow >= 0 && m_model) {
            const bool bid = m_hoverRow < m_model->bidCount();
            const auto &point =
                bid ? m_model->bids()[std::size_t(m_hoverRow)]
                    : m_model->asks()[std::size_t(m_hoverRow - m_model->bidCount())];
            const QPointF at(xOf(point.price.toDouble()), yOf(point.cumulative.toDouble()));
            painter->drawLine(QPointF(m_plot.left(), at.y()), QPointF(m_plot.right(), at.y()));
            painter->setRenderHint(QPainter::Antialiasing);
            painter->setPen(QPen(bid ? m_bidColor : m_askColor, 2));
            painter->setBrush(bid ? m_bidColor : m_askColor);
            painter->drawEllipse(at, 3.5, 3.5);
        }
    }
}

} // namespace tickwire::ui
