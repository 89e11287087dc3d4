#pragma once

#include <QtGui/QColor>
#include <QtQml/qqmlregistration.h>
#include <QtQuick/QQuickPaintedItem>

class QAbstractItemModel;

namespace tickwire::ui {

class ModelRow;

// A painted item that can show one row of a model, read in C++ (CellRow, Sparkline): model and
// row (a delegate's `index`) pick the row, which is then followed through inserts, removals and
// moves; a subclass names the roles it reads (setRoleName) and is told, in readRow(), which of
// them changed in its row. So a tick reaches the item without passing any value through the
// QML engine (a value given to QML makes garbage that the QML collector has to collect, in
// pauses of milliseconds). upColor and downColor are the colours of a rising and falling trend.
class ModelRowItem : public QQuickPaintedItem
{
    Q_OBJECT
    QML_ANONYMOUS
    Q_DISABLE_COPY_MOVE(ModelRowItem)
    Q_PROPERTY(QAbstractItemModel *model READ model WRITE setModel NOTIFY modelChanged FINAL)
    Q_PROPERTY(int row READ row WRITE setRow NOTIFY rowChanged FINAL)
    Q_PROPERTY(QColor upColor READ upColor WRITE setUpColor NOTIFY upColorChanged FINAL)
    Q_PROPERTY(QColor downColor READ downColor WRITE setDownColor NOTIFY downColorChanged FINAL)

public:
    [[nodiscard]] QAbstractItemModel *model() const;
    void setModel(QAbstractItemModel *model);
    // -1 when there is no such row.
    [[nodiscard]] int row() const;
    void setRow(int row);
    [[nodiscard]] QColor upColor() const { return m_upColor; }
    void setUpColor(const QColor &color);
    [[nodiscard]] QColor downColor() const { return m_downColor; }
    void setDownColor(const QColor &color);

    // The value of a role (by name) of the row, read from the model now: for handlers (a
    // click), not for bindings, which would not be told when it changes.
    [[nodiscard]] Q_INVOKABLE QVariant value(const QString &roleName) const;

Q_SIGNALS:
    void modelChanged();
    void rowChanged();
    void upColorChanged();
    void downColorChanged();

protected:
    // roles: how many roles the subclass reads (slots 0 .. roles - 1).
    ModelRowItem(int roles, QQuickItem *parent);
    void componentComplete() override;

    [[nodiscard]] QString roleName(int slot) const { return m_roleNames.at(slot); }
    // Returns false when the name is the same; otherwise the slot is re-read (as replaced).
    bool setRoleName(int slot, const QString &name);
    // The role of a slot in the row now (invalid without a model, row or such role).
    [[nodiscard]] QVariant roleValue(int slot) const;
    [[nodiscard]] static bool has(quint32 roles, int slot) { return roles & (quint32(1) << slot); }

    // The roles of `roles` (bit i for slot i) changed in the row. `replaced`: the row now shows
    // another item (a new row number, model or reset, the row removed), so it is not a tick.
    virtual void readRow(quint32 roles, bool replaced) = 0;
    // upColor or downColor changed.
    virtual void trendColorsChanged() = 0;

private:
    ModelRow *m_source;
    QStringList m_roleNames;
    QColor m_upColor = Qt::green, m_downColor = Qt::red;
};

} // namespace tickwire::ui
