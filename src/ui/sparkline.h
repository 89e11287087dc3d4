#pragma once

#include "ui/modelrowitem.h"

#include <QtGui/QColor>
#include <QtGui/QPolygonF>
#include <QtQml/qqmlregistration.h>

namespace tickwire::ui {

// A watchlist-row price sparkline: one polyline scaled to the item, painted only when a point
// of it moves by more than an eighth of a pixel from where it was last painted (under a fast
// feed most ticks move the newest point by less). Much cheaper per row than a chart.
//
// It can read its row straight from the model (model, row, valuesRole: a QList<qreal>;
// ModelRowItem), so a tick passes no value through the QML engine; with trendRole the line is
// upColor when that role's value (a number) is >= 0 and downColor otherwise, instead of color.
class Sparkline : public tickwire::ui::ModelRowItem
{
    Q_OBJECT
    QML_ELEMENT
    Q_DISABLE_COPY_MOVE(Sparkline)
    Q_PROPERTY(QList<qreal> values READ values WRITE setValues NOTIFY valuesChanged FINAL)
    Q_PROPERTY(QColor color READ color WRITE setColor NOTIFY colorChanged FINAL)
    // How many values the full width holds (a fixed x axis: a line of time steps): with fewer,
    // the line takes the right-hand part, the newest value at the right edge. 0 (the default):
    // the values span the whole width, however many there are.
    Q_PROPERTY(int length READ length WRITE setLength NOTIFY lengthChanged FINAL)
    Q_PROPERTY(
        QString valuesRole READ valuesRole WRITE setValuesRole NOTIFY valuesRoleChanged FINAL)
    Q_PROPERTY(QString trendRole READ trendRole WRITE setTrendRole NOTIFY trendRoleChanged FINAL)

public:
    explicit Sparkline(QQuickItem *parent = nullptr);

    [[nodiscard]] QList<qreal> values() const { return m_values; }
    void setValues(const QList<qreal> &values);
    // The colour the line is drawn in (color, or the trend's colour with trendRole).
    [[nodiscard]] QColor color() const { return m_color; }
    void setColor(const QColor &color);
    [[nodiscard]] int length() const { return m_length; }
    void setLength(int length);
    [[nodiscard]] QString valuesRole() const { return roleName(ValuesSlot); }
    void setValuesRole(const QString &role);
    [[nodiscard]] QString trendRole() const { return roleName(TrendSlot); }
    void setTrendRole(const QString &role);

    void paint(QPainter *painter) override;

Q_SIGNALS:
    void valuesChanged();
    void colorChanged();
    void lengthChanged();
    void valuesRoleChanged();
    void trendRoleChanged();

protected:
    void readRow(quint32 roles, bool replaced) override;
    void trendColorsChanged() override { applyTrendColor(); }
    void geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry) override;

private:
    enum RoleSlot { ValuesSlot, TrendSlot, RoleSlotCount };

    void applyTrendColor();
    // Places the values in the item; repaints when the line moved visibly (or `always`).
    void placeLine(bool always);

    // The tests' view of the paint counter (tests/ui/probe).
    friend class ItemProbe;

    QList<qreal> m_values;
    QPolygonF m_line; // as painted (or about to be)
    int m_paints = 0;
    int m_length = 0;
    QColor m_color = Qt::gray;
    QColor m_plainColor = Qt::gray; // as set through color
    int m_trend = 0; // +1 for >= 0, -1 for < 0, 0 without trendRole
};

} // namespace tickwire::ui
