#pragma once

#include "ui/modelrowitem.h"
#include <QtCore/QVariant>
#include <QtGui/QColor>
#include <QtGui/QFont>
#include <QtGui/QGlyphRun>

#include <QtQml/qqmlregistration.h>

#include <utility>
#include <vector>

namespace tickwire::ui {

struct FastGlyphs;

// One table row of plain-text cells (and an optional tick flash) painted as a single item:
// what a Row of Text items shows, at a fraction of the per-frame cost when the texts change
// every frame (one node and one dirty rectangle per row; no Text layout, glyph-node rebuild or
// polish per cell; digits of a fixed-pitch font are placed from a per-font table, without
// shaping). Cells are laid out like QQuickText does (design metrics, top-aligned, left/right/
// centre within the cell's padding). GUI thread only.
//
// columns: a list of { width, align: "left" | "right" | "center", leftPadding, rightPadding,
// font, elide (bool, elide right) }; texts and colors: one entry per column.
//
// A row of a view can instead read its row straight from the model (model, row and the *Role
// names, ModelRowItem): its cells, the trend colour of some columns and its tick flash then
// follow the model's dataChanged in C++, and no value of a tick passes through the QML engine.
class CellRow : public tickwire::ui::ModelRowItem
{
    Q_OBJECT
    QML_ELEMENT
    Q_DISABLE_COPY_MOVE(CellRow)
    Q_PROPERTY(QVariantList columns READ columns WRITE setColumns NOTIFY columnsChanged FINAL)
    Q_PROPERTY(QStringList texts READ texts WRITE setTexts NOTIFY textsChanged FINAL)
    Q_PROPERTY(QVariantList colors READ colors WRITE setColors NOTIFY colorsChanged FINAL)
    Q_PROPERTY(QColor flashColor READ flashColor WRITE setFlashColor NOTIFY flashColorChanged FINAL)
    // Milliseconds a flash takes to fade from flashColor to nothing (linearly).
    Q_PROPERTY(int flashDuration READ flashDuration WRITE setFlashDuration NOTIFY
                   flashDurationChanged FINAL)
    // Where the lines of text start, from the top of the item (the flash fills the whole item).
    Q_PROPERTY(qreal textTop READ textTop WRITE setTextTop NOTIFY textTopChanged FINAL)
    // The non-empty texts joined by ", ": for the row's accessible name. Built when read; its
    // change is announced when the row shows another item or texts are set, and on every
    // change only while an accessibility client is active (a binding on it would otherwise
    // make a string in the QML engine on every tick).
    Q_PROPERTY(QString joinedText READ joinedText NOTIFY joinedTextChanged FINAL)
    // Another way to give the texts, for rows fed straight from a model role: when `fields` is
    // not empty, texts = leading + values[f] for each f in fields ("" for a missing one), built
    // here instead of in a JavaScript binding that makes garbage on every tick.
    Q_PROPERTY(QStringList leading READ leading WRITE setLeading NOTIFY leadingChanged FINAL)
    Q_PROPERTY(QStringList values READ values WRITE setValues NOTIFY valuesChanged FINAL)
    Q_PROPERTY(QList<int> fields READ fields WRITE setFields NOTIFY fieldsChanged FINAL)

    // With model and row set, values is this role of the row (a QStringList), re-read only
    // when the model announces a change of the row and role.
    Q_PROPERTY(QString cellsRole READ cellsRole WRITE setCellsRole NOTIFY cellsRoleChanged FINAL)
    // The columns of trendColumns are drawn in upColor when trendRole's value (a number) is
    // positive, downColor when it is negative, and in their colors entry otherwise.
    Q_PROPERTY(QString trendRole READ trendRole WRITE setTrendRole NOTIFY trendRoleChanged FINAL)
    Q_PROPERTY(QList<int> trendColumns READ trendColumns WRITE setTrendColumns NOTIFY
                   trendColumnsChanged FINAL)
    // A change of priceRole's value in the row flashes it, in upFlashColor when directionRole's
    // value (a number) is positive, downFlashColor when negative, not at all when zero. A row
    // that shows another item (a new row, a reset) does not flash.
    Q_PROPERTY(QString priceRole READ priceRole WRITE setPriceRole NOTIFY priceRoleChanged FINAL)
    Q_PROPERTY(QString directionRole READ directionRole WRITE setDirectionRole NOTIFY
                   directionRoleChanged FINAL)
    Q_PROPERTY(QColor upFlashColor READ upFlashColor WRITE setUpFlashColor NOTIFY
                   upFlashColorChanged FINAL)
    Q_PROPERTY(QColor downFlashColor READ downFlashColor WRITE setDownFlashColor NOTIFY
                   downFlashColorChanged FINAL)
    // A bar from the item's right edge, barRole's value (a number, clamped to [0, 1]) of the
    // item's width and its height less one pixel, in barColor, under the texts: a book level's
    // depth.
    Q_PROPERTY(QString barRole READ barRole WRITE setBarRole NOTIFY barRoleChanged FINAL)
    Q_PROPERTY(QColor barColor READ barColor WRITE setBarColor NOTIFY barColorChanged FINAL)
    // The colour of what the row lies on. When it is opaque the row fills itself with it and is
    // painted opaque, so the scene graph draws nothing under the row and copies the row instead
    // of blending it (under load every visible row is redrawn every frame). It must then be the
    // colour that shows under the row; transparent (the default) paints only the cells.
    Q_PROPERTY(QColor background READ background WRITE setBackground NOTIFY backgroundChanged FINAL)

public:
    explicit CellRow(QQuickItem *parent = nullptr);
    ~CellRow() override;

    [[nodiscard]] QVariantList columns() const { return m_columnSpec; }
    void setColumns(const QVariantList &columns);
    [[nodiscard]] QStringList texts() const { return m_texts; }
    void setTexts(const QStringList &texts);
    [[nodiscard]] QVariantList colors() const { return m_colorSpec; }
    void setColors(const QVariantList &colors);
    [[nodiscard]] QColor flashColor() const { return m_flashColor; }
    void setFlashColor(const QColor &color);
    [[nodiscard]] int flashDuration() const { return m_flashDuration; }
    void setFlashDuration(int ms);
    [[nodiscard]] qreal textTop() const { return m_textTop; }
    void setTextTop(qreal top);
    [[nodiscard]] QString joinedText() const;
    [[nodiscard]] QStringList leading() const { return m_leading; }
    void setLeading(const QStringList &leading);
    [[nodiscard]] QStringList values() const { return m_values; }
    void setValues(const QStringList &values);
    [[nodiscard]] QList<int> fields() const { return m_fields; }
    void setFields(const QList<int> &fields);
    [[nodiscard]] QString cellsRole() const { return roleName(CellsSlot); }
    void setCellsRole(const QString &role);
    [[nodiscard]] QString trendRole() const { return roleName(TrendSlot); }
    void setTrendRole(const QString &role);
    [[nodiscard]] QList<int> trendColumns() const { return m_trendColumns; }
    void setTrendColumns(const QList<int> &columns);
    [[nodiscard]] QString priceRole() const { return roleName(PriceSlot); }
    void setPriceRole(const QString &role);
    [[nodiscard]] QString directionRole() const { return roleName(DirectionSlot); }
    void setDirectionRole(const QString &role);
    [[nodiscard]] QColor upFlashColor() const { return m_upFlashColor; }
    void setUpFlashColor(const QColor &color);
    [[nodiscard]] QColor downFlashColor() const { return m_downFlashColor; }
    void setDownFlashColor(const QColor &color);
    [[nodiscard]] QString barRole() const { return roleName(BarSlot); }
    void setBarRole(const QString &role);
    [[nodiscard]] QColor barColor() const { return m_barColor; }
    void setBarColor(const QColor &color);
    [[nodiscard]] QColor background() const { return fillColor(); }
    void setBackground(const QColor &color);

    // Starts (or restarts) the flash: flashColor at full strength, fading over flashDuration.
    Q_INVOKABLE void flash();
    void paint(QPainter *painter) override;

Q_SIGNALS:
    void columnsChanged();
    void textsChanged();
    void colorsChanged();
    void flashColorChanged();
    void flashDurationChanged();
    void textTopChanged();
    void leadingChanged();
    void valuesChanged();
    void fieldsChanged();
    void joinedTextChanged();
    void cellsRoleChanged();
    void trendRoleChanged();
    void trendColumnsChanged();
    void priceRoleChanged();
    void directionRoleChanged();
    void upFlashColorChanged();
    void downFlashColorChanged();
    void barRoleChanged();
    void barColorChanged();
    void backgroundChanged();

protected:
    void itemChange(ItemChange change, const ItemChangeData &value) override;
    void geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry) override;
    QSGNode *updatePaintNode(QSGNode *oldNode, UpdatePaintNodeData *data) override;
    void releaseResources() override;
    void readRow(quint32 roles, bool replaced) override;
    void trendColorsChanged() override { applyColors(); }

private:
    struct Cell
    {
        qreal x = 0, width = 0, leftPadding = 0, rightPadding = 0;
        Qt::Alignment align = Qt::AlignLeft;
        QFont font;
        bool elide = false;
        QColor color;
        QString text; // laid out
        QList<QGlyphRun> runs;
        qreal textWidth = 0;
        const FastGlyphs *fast = nullptr; // the font's glyph table, set with the columns
        int paints = 0;
    };

    // The roles read from the model, in ModelRow's order.
    enum RoleSlot { CellsSlot, TrendSlot, PriceSlot, DirectionSlot, BarSlot, RoleSlotCount };

    void layoutCell(Cell &cell, const QString &text);
    void composeTexts();
    void applyTexts(const QStringList &texts, bool announceName);
    void startFlash(const QColor &color);
    void stopFlash();
    void advanceFlash(qint64 nowMs);
    [[nodiscard]] QColor colorOf(qsizetype column) const;
    void applyColors();
    // Repaints the columns of pixels [from, to) on the next frame (everything there: bar,
    // flash and the cells that reach into it).
    void updateSpan(qreal from, qreal to);
    // Repaints everything on the next frame; until then updateSpan() does the same.
    void repaintAll();
    // Where a cell's text may put ink, and where its text starts (after alignment).
    [[nodiscard]] static std::pair<qreal, qreal> inkSpan(const Cell &cell);
    [[nodiscard]] static qreal textLeft(const Cell &cell);
    friend class FlashClock;
    friend class AccessibilityWatch;
    // The tests' view of the flash, layout, colour, bar and paint counters (tests/ui/probe).
    friend class ItemProbe;

    QVariantList m_columnSpec;
    QVariantList m_colorSpec;
    QStringList m_texts;
    QStringList m_leading;
    QStringList m_values;
    QList<int> m_fields;
    std::vector<Cell> m_cells;
    QList<int> m_trendColumns;
    QColor m_upFlashColor = Qt::transparent, m_downFlashColor = Qt::transparent;
    int m_trend = 0; // sign of trendRole's value
    QVariant m_price; // priceRole's value, to tell a tick from a repeated value
    bool m_tick = false; // within readRow() for a change of the same item
    QColor m_flashColor = Qt::transparent;
    QColor m_shownFlashColor = Qt::transparent;
    QColor m_barColor = Qt::transparent;
    qreal m_barFraction = 0;
    // A repaint of the whole item is pending (or the item has no image yet).
    bool m_repaintAll = true;
    int m_flashDuration = 450;
    qreal m_textTop = 0;
    qint64 m_flashStart = -1; // ms on FlashClock's timer; -1 when not flashing
    qreal m_flashOpacity = 0;
    int m_layoutCount = 0;
};

} // namespace tickwire::ui
