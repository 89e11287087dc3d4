#include "ui/sparkline.h"

#include <QtGui/QPainter>

#include <algorithm>
#include <cmath>

namespace tickwire::ui {

Sparkline::Sparkline(QQuickItem *parent)
    : ModelRowItem(RoleSlotCount, parent)
{
    setAntialiasing(true);
}

void Sparkline::setValues(const QList<qreal> &values)
{
    if (values == m_values)
        return;
    m_values = values;
    placeLine(false);
    Q_EMIT valuesChanged();
}

void Sparkline::setLength(int length)
{
    length = std::max(0, length);
    if (length == m_length)
        return;
    m_length = length;
    placeLine(false);
    Q_EMIT lengthChanged();
}

void Sparkline::setColor(const QColor &color)
{
    if (color == m_plainColor)
        return;
    m_plainColor = color;
    applyTrendColor();
}

void Sparkline::applyTrendColor()
{
    const QColor color = m_trend > 0 ? upColor() : m_trend < 0 ? downColor() : m_plainColor;
    if (color == m_color)
        return;
    m_color = color;
    QQuickItem::update();
    Q_EMIT colorChanged();
}

void Sparkline::setValuesRole(const QString &role)
{
    if (setRoleName(ValuesSlot, role))
        Q_EMIT valuesRoleChanged();
}

void Sparkline::setTrendRole(const QString &role)
{
    if (setRoleName(TrendSlot, role))
        Q_EMIT trendRoleChanged();
}

void Sparkline::readRow(quint32 roles, bool /*replaced*/)
{
    if (has(roles, ValuesSlot) && !valuesRole().isEmpty())
        setValues(roleValue(ValuesSlot).value<QList<qreal>>());
    if (has(roles, TrendSlot)) {
        const QVariant trend = roleValue(TrendSlot);
        m_trend = !trend.isValid() ? 0 : trend.toDouble() >= 0 ? 1 : -1;
        applyTrendColor();
    }
}

void Sparkline::geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry)
{
    ModelRowItem::geometryChange(newGeometry, oldGeometry);
    if (newGeometry.size() != oldGeometry.size())
        placeLine(true);
}

void Sparkline::placeLine(bool always)
{
    const bool drawn = m_values.size() >= 2 && width() > 2 && height() > 2;
    const qsizetype count = drawn ? m_values.size() : 0;
    qreal lo = 0, range = 1;
    if (drawn) {
        const auto [low, high] = std::minmax_element(m_values.cbegin(), m_values.cend());
        lo = *low;
        range = std::max(*high - lo, 1e-12);
    }
    const qreal w = width() - 2;
    const qreal h = height() - 2;
    // Slots of the x axis: `length` of them, the values in the last ones; or just the values.
    const qsizetype slots = std::max<qsizetype>(m_length, count);
    const qsizetype first = slots - count;
    const auto point = [&](qsizetype i) {
        return QPointF(1 + w * qreal(first + i) / qreal(slots - 1),
                       1 + h - h * (m_values.at(i) - lo) / range);
    };
    // An eighth of a pixel changes an antialiased pixel's coverage by at most an eighth: not
    // worth a repaint. The comparison is with the line as painted, so drift does not add up;
    // it allocates nothing (it runs on every tick of every row).
    constexpr qreal Unseen = 0.125;
    if (!always && count == m_line.size()) {
        bool moved = false;
        for (qsizetype i = 0; i < count && !moved; ++i) {
            const QPointF p = point(i);
            moved = std::abs(p.x() - m_line.at(i).x()) > Unseen
                    || std::abs(p.y() - m_line.at(i).y()) > Unseen;
        }
        if (!moved)
            return;
    }
    m_line.resize(count);
    for (qsizetype i = 0; i < count; ++i)
        m_line[i] = point(i);
    QQuickItem::update();
}

void Sparkline::paint(QPainter *painter)
{
    ++m_paints;
    if (m_line.size() < 2)
        return;
    // The look of a 1.25 px antialiased line as two 1 px passes a quarter pixel apart: the
    // raster engine strokes pens of at most 1 px directly, wider ones through a path stroker
    // that costs ~9x as much (~110 us a sparkline), and a row can repaint every frame under load.
    QPen pen(m_color, 1);
    pen.setCosmetic(true);
    painter->setPen(pen);
    painter->drawPolyline(m_line);
    painter->translate(0, 0.25);
    painter->drawPolyline(m_line);
}

} // namespace tickwire::ui
