#pragma once

#include <QtCore/QObject>
#include <QtGui/QColor>
#include <QtQml/qqmlregistration.h>

#include "ui/cellrow.h"
#include "ui/sparkline.h"

namespace tickwire::ui {

// What the tests read of CellRow's and Sparkline's insides (repaints, layouts, flash, colours,
// bar), kept out of their QML API: a friend of both, in the test-only QML module TickwireTest
// (the `Probe` singleton) that only the test executables link. A null item reads as nothing
// (0, an invalid colour).
class ItemProbe : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(Probe)
    QML_SINGLETON
    Q_DISABLE_COPY_MOVE(ItemProbe)

public:
    explicit ItemProbe(QObject *parent = nullptr)
        : QObject(parent)
    {
    }

    // The flash's current strength in [0, 1] (0 when none).
    [[nodiscard]] Q_INVOKABLE qreal flashStrength(tickwire::ui::CellRow *row) const;
    // Times the cells were laid out since creation: a cell is laid out only when its text,
    // font or width changes.
    [[nodiscard]] Q_INVOKABLE int layoutCount(tickwire::ui::CellRow *row) const;
    // The colour column `column` is drawn in, and the colour of the current flash.
    [[nodiscard]] Q_INVOKABLE QColor cellColor(tickwire::ui::CellRow *row, int column) const;
    [[nodiscard]] Q_INVOKABLE QColor shownFlashColor(tickwire::ui::CellRow *row) const;
    // The bar's current fraction of the width (0 when none).
    [[nodiscard]] Q_INVOKABLE qreal barFraction(tickwire::ui::CellRow *row) const;
    // Times the cells of column `column` were painted since creation: a change of some cells
    // repaints only those (and whatever else the same frame changed).
    [[nodiscard]] Q_INVOKABLE int paintCount(tickwire::ui::CellRow *row, int column) const;
    // Times the line was painted since creation.
    [[nodiscard]] Q_INVOKABLE int linePaintCount(tickwire::ui::Sparkline *line) const;
};

} // namespace tickwire::ui
