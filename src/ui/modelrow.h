#pragma once

#include <QtCore/QObject>
#include <QtCore/QPersistentModelIndex>
#include <QtCore/QPointer>
#include <QtCore/QStringList>
#include <QtCore/QVariant>

class QAbstractItemModel;

namespace tickwire::ui {

// One row of a model, followed for a painted item that reads its values in C++ (CellRow,
// Sparkline), so that a model's dataChanged reaches the item without passing any value through
// the QML engine. It follows its row through inserts, removals and moves (a persistent index),
// re-reads the same row number after a reset, and reports only changes of its row to the roles
// it watches. GUI thread only (the model's thread).
class ModelRow : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelRow)

public:
    // Bit i of a mask stands for the i-th of roleNames().
    using RoleMask = quint32;
    static constexpr int MaxRoles = 32;

    explicit ModelRow(QObject *parent = nullptr);

    [[nodiscard]] QAbstractItemModel *model() const { return m_model; }
    void setModel(QAbstractItemModel *model);
    // -1 when there is no such row (no model, out of range, or the row was removed).
    [[nodiscard]] int row() const;
    // Setting the row the item already follows (e.g. a delegate's `index` catching up with a
    // move) changes nothing.
    void setRow(int row);
    // The roles read, by the names of the model's roleNames(); at most MaxRoles. An empty name
    // is a role not read.
    [[nodiscard]] QStringList roleNames() const { return m_names; }
    void setRoleNames(const QStringList &names);

    // The value of the i-th role of roleNames() in the row now (invalid when none).
    [[nodiscard]] QVariant value(int i) const;
    // The value of any role of the model, by name, in the row now.
    [[nodiscard]] QVariant value(const QString &roleName) const;

Q_SIGNALS:
    // The roles of `roles` changed in the row. `replaced`: the row now shows another item (a
    // new row number, a model or a reset, the row removed), so the change is not a tick.
    void changed(tickwire::ui::ModelRow::RoleMask roles, bool replaced);
    // row() changed, whatever the cause.
    void rowChanged();

private:
    void attach(int row);
    void resolveRoles();
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                       const QList<int> &roles);
    void onRowsChanged();
    void onReset();
    [[nodiscard]] RoleMask allRoles() const;

    QPointer<QAbstractItemModel> m_model;
    QPersistentModelIndex m_index;
    int m_row = -1; // the row asked for, kept up to date with moves: re-read after a reset
    int m_shownRow = -1; // row() as last announced
    QStringList m_names;
    QList<int> m_roles; // m_names resolved; -1 for a name the model does not have
};

} // namespace tickwire::ui
