#pragma once

#include <QtGui/QColor>
#include <QtQml/qqmlregistration.h>
#include <QtQuick/QQuickPaintedItem>

namespace tickwire::ui {

// A watchlist-row price sparkline: one polyline scaled to the item, painted only when its
// values change. Much cheaper per row than a chart.
class Sparkline : public QQuickPaintedItem
{
    Q_OBJECT
    QML_ELEMENT
    Q_DISABLE_COPY_MOVE(Sparkline)
    Q_PROPERTY(QList<qreal> values READ values WRITE setValues NOTIFY valuesChanged FINAL)
    Q_PROPERTY(QColor color READ color WRITE setColor NOTIFY colorChanged FINAL)

public:
    explicit Sparkline(QQuickItem *parent = nullptr);

    [[nodiscard]] QList<qreal> values() const { return m_values; }
    void setValues(const QList<qreal> &values);
    [[nodiscard]] QColor color() const { return m_color; }
    void setColor(const QColor &color);

    void paint(QPainter *painter) override;

Q_SIGNALS:
    void valuesChanged();
    void colorChanged();

private:
    QList<qreal> m_values;
    QColor m_color = Qt::gray;
};

} // namespace tickwire::ui
