#pragma once

#include <QtCore/QPointer>
#include <QtCore/QVariantMap>
#include <QtGui/QColor>
#include <QtGui/QFont>
#include <QtGui/QPolygonF>
#include <QtQml/qqmlregistration.h>
#include <QtQuick/QQuickPaintedItem>

namespace tickwire::market {
class DepthModel;
}

namespace tickwire::ui {

// The depth chart of a DepthModel: cumulative bid size (left of the mid, stepping up from the
// best bid towards lower prices) and cumulative ask size (right, from the best ask up) as two
// filled step areas, a dashed mid line, price labels at a round step along the bottom and
// size labels on the right. The price range is centred on the mid and wide enough for the
// deeper side. The hover (mouse) shows a crosshair and sets `readout` from the model's row
// under the pointer: side, price, cumulative size, cumulative notional (the model's exact
// strings). Painted once per model change (DepthModel::depthChanged: once per frame at most):
// a few hundred points, where a Qt Charts view would re-render its whole image per change.
class DepthChart : public QQuickPaintedItem
{
    Q_OBJECT
    QML_ELEMENT
    Q_DISABLE_COPY_MOVE(DepthChart)
    Q_PROPERTY(
        tickwire::market::DepthModel *model READ model WRITE setModel NOTIFY modelChanged FINAL)
    Q_PROPERTY(QColor bidColor READ bidColor WRITE setBidColor NOTIFY colorsChanged FINAL)
    Q_PROPERTY(QColor askColor READ askColor WRITE setAskColor NOTIFY colorsChanged FINAL)
    Q_PROPERTY(QColor midColor READ midColor WRITE setMidColor NOTIFY colorsChanged FINAL)
    Q_PROPERTY(QColor gridColor READ gridColor WRITE setGridColor NOTIFY colorsChanged FINAL)
    Q_PROPERTY(QColor labelColor READ labelColor WRITE setLabelColor NOTIFY colorsChanged FINAL)
    Q_PROPERTY(QFont font READ font WRITE setFont NOTIFY fontChanged FINAL)
    // Decimals of the price labels (the instrument's).
    Q_PROPERTY(int priceDecimals READ priceDecimals WRITE setPriceDecimals NOTIFY
                   priceDecimalsChanged FINAL)
    // Where the series are drawn, inside the item (labels outside it).
    Q_PROPERTY(QRectF plotArea READ plotArea NOTIFY layoutChanged FINAL)
    // The price range shown; equal while the book is empty.
    Q_PROPERTY(double minPrice READ minPrice NOTIFY layoutChanged FINAL)
    Q_PROPERTY(double maxPrice READ maxPrice NOTIFY layoutChanged FINAL)
    Q_PROPERTY(double maxSize READ maxSize NOTIFY layoutChanged FINAL)
    // The model row under the pointer (-1: none) and its readout (empty: none).
    Q_PROPERTY(int hoverRow READ hoverRow NOTIFY hoverChanged FINAL)
    Q_PROPERTY(QVariantMap readout READ readout NOTIFY hoverChanged FINAL)

public:
    explicit DepthChart(QQuickItem *parent = nullptr);

    [[nodiscard]] market::DepthModel *model() const { return m_model; }
    void setModel(market::DepthModel *model);
    [[nodiscard]] QColor bidColor() const { return m_bidColor; }
    void setBidColor(const QColor &color) { setColor(m_bidColor, color); }
    [[nodiscard]] QColor askColor() const { return m_askColor; }
    void setAskColor(const QColor &color) { setColor(m_askColor, color); }
    [[nodiscard]] QColor midColor() const { return m_midColor; }
    void setMidColor(const QColor &color) { setColor(m_midColor, color); }
    [[nodiscard]] QColor gridColor() const { return m_gridColor; }
    void setGridColor(const QColor &color) { setColor(m_gridColor, color); }
    [[nodiscard]] QColor labelColor() const { return m_labelColor; }
    void setLabelColor(const QColor &color) { setColor(m_labelColor, color); }
    [[nodiscard]] QFont font() const { return m_font; }
    void setFont(const QFont &font);
    [[nodiscard]] int priceDecimals() const { return m_priceDecimals; }
    void setPriceDecimals(int decimals);
    [[nodiscard]] QRectF plotArea() const { return m_plot; }
    [[nodiscard]] double minPrice() const { return m_minPrice; }
    [[nodiscard]] double maxPrice() const { return m_maxPrice; }
    [[nodiscard]] double maxSize() const { return m_maxSize; }
    [[nodiscard]] int hoverRow() const { return m_hoverRow; }
    [[nodiscard]] QVariantMap readout() const { return m_readout; }

    // Chart coordinates <-> item coordinates, for the hover and tests.
    [[nodiscard]] Q_INVOKABLE double priceAt(qreal x) const;
    [[nodiscard]] Q_INVOKABLE qreal xOf(double price) const;
    [[nodiscard]] Q_INVOKABLE qreal yOf(double size) const;
    // Points the hover at item x (as a mouse move does); a negative x clears it.
    Q_INVOKABLE void hoverAt(qreal x);

    void paint(QPainter *painter) override;

Q_SIGNALS:
    void modelChanged();
    void colorsChanged();
    void fontChanged();
    void priceDecimalsChanged();
    void layoutChanged();
    void hoverChanged();

protected:
    void geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry) override;
    void hoverMoveEvent(QHoverEvent *event) override;
    void hoverLeaveEvent(QHoverEvent *event) override;

private:
    // Recomputes the ranges, the plot area and the two areas from the model; repaints.
    void relayout();
    void setColor(QColor &member, const QColor &color);
    void updateHover();

    QPointer<market::DepthModel> m_model;
    QColor m_bidColor = Qt::green;
    QColor m_askColor = Qt::red;
    QColor m_midColor = Qt::gray;
    QColor m_gridColor = Qt::darkGray;
    QColor m_labelColor = Qt::gray;
    QFont m_font;
    int m_priceDecimals = 2;
    QRectF m_plot;
    double m_minPrice = 0, m_maxPrice = 0, m_maxSize = 0;
    double m_sizeStep = 0, m_priceStep = 0;
    QPolygonF m_bidArea, m_askArea; // closed step polygons in item coordinates
    qreal m_hoverX = -1;
    int m_hoverRow = -1;
    QVariantMap m_readout;
};

} // namespace tickwire::ui
