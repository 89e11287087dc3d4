#pragma once

#include <QtGui/QColor>
#include <QtGui/QFont>
#include <QtGui/QGlyphRun>
#include <QtQml/qqmlregistration.h>
#include <QtQuick/QQuickPaintedItem>

#include <vector>

namespace tickwire::ui {

// One table row of plain-text cells (and an optional tick flash) painted as a single item:
// what a Row of Text items shows, at a fraction of the per-frame cost when the texts change
// every frame (one node and one dirty rectangle per row; no Text layout, glyph-node rebuild or
// polish per cell; digits of a fixed-pitch font are placed from a per-font table, without
// shaping). Cells are laid out like QQuickText does (design metrics, top-aligned, left/right/
// centre within the cell's padding). GUI thread only.
//
// columns: a list of { width, align: "left" | "right" | "center", leftPadding, rightPadding,
// font, elide (bool, elide right) }; texts and colors: one entry per column.
class CellRow : public QQuickPaintedItem
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
    // The non-empty texts joined by ", ": for the row's accessible name.
    Q_PROPERTY(QString joinedText READ joinedText NOTIFY textsChanged FINAL)
    // Another way to give the texts, for rows fed straight from a model role: when `fields` is
    // not empty, texts = leading + values[f] for each f in fields ("" for a missing one), built
    // here instead of in a JavaScript binding that makes garbage on every tick.
    Q_PROPERTY(QStringList leading READ leading WRITE setLeading NOTIFY leadingChanged FINAL)
    Q_PROPERTY(QStringList values READ values WRITE setValues NOTIFY valuesChanged FINAL)
    Q_PROPERTY(QList<int> fields READ fields WRITE setFields NOTIFY fieldsChanged FINAL)

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

    // Starts (or restarts) the flash: flashColor at full strength, fading over flashDuration.
    Q_INVOKABLE void flash();
    // The flash's current strength in [0, 1] (0 when none): for tests.
    [[nodiscard]] Q_INVOKABLE qreal flashStrength() const { return m_flashOpacity; }
    // Times the cells were laid out since creation: a cell is laid out only when its text,
    // font or width changes. For tests.
    [[nodiscard]] Q_INVOKABLE int layoutCount() const { return m_layoutCount; }

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

protected:
    void itemChange(ItemChange change, const ItemChangeData &value) override;

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
    };

    void layoutCell(Cell &cell, const QString &text);
    void composeTexts();
    void advanceFlash(qint64 nowMs);
    friend class FlashClock;

    QVariantList m_columnSpec;
    QVariantList m_colorSpec;
    QStringList m_texts;
    QStringList m_leading;
    QStringList m_values;
    QList<int> m_fields;
    std::vector<Cell> m_cells;
    QColor m_flashColor = Qt::transparent;
    int m_flashDuration = 450;
    qreal m_textTop = 0;
    qint64 m_flashStart = -1; // ms on FlashClock's timer; -1 when not flashing
    qreal m_flashOpacity = 0;
    int m_layoutCount = 0;
};

} // namespace tickwire::ui
