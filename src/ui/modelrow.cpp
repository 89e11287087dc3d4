#include "ui/modelrow.h"

#include <QtCore/QAbstractItemModel>

namespace tickwire::ui {

ModelRow::ModelRow(QObject *parent)
    : QObject(parent)
{
}

void ModelRow::setModel(QAbstractItemModel *model)
{
    if (model == m_model)
        return;
    if (m_model)
        m_model->disconnect(this);
    m_model = model;
    if (model) {
        connect(model, &QAbstractItemModel::dataChanged, this, &ModelRow::onDataChanged);
        connect(model, &QAbstractItemModel::rowsInserted, this, &ModelRow::onRowsChanged);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &ModelRow::onRowsChanged);
        connect(model, &QAbstractItemModel::rowsMoved, this, &ModelRow::onRowsChanged);
        connect(model, &QAbstractItemModel::layoutChanged, this, &ModelRow::onRowsChanged);
        connect(model, &QAbstractItemModel::modelReset, this, &ModelRow::onReset);
        // The model's destructor drops the persistent index; announce the empty row.
        connect(model, &QObject::destroyed, this, &ModelRow::onReset);
    }
    onReset();
}

int ModelRow::row() const
{
    return m_index.isValid() ? m_index.row() : -1;
}

void ModelRow::setRow(int row)
{
    if (m_index.isValid() ? m_index.row() == row : m_row == row)
        return;
    attach(row);
    Q_EMIT changed(allRoles(), true);
    if (this->row() != m_shownRow) {
        m_shownRow = this->row();
        Q_EMIT rowChanged();
    }
}

void ModelRow::setRoleNames(const QStringList &names)
{
    Q_ASSERT(names.size() <= MaxRoles);
    if (names == m_names)
        return;
    m_names = names;
    resolveRoles();
}

QVariant ModelRow::value(int i) const
{
    const int role = m_roles.value(i, -1);
    return role >= 0 && m_index.isValid() ? m_index.data(role) : QVariant();
}

QVariant ModelRow::value(const QString &roleName) const
{
    if (!m_index.isValid())
        return {};
    const int role = m_model->roleNames().key(roleName.toUtf8(), -1);
    return role >= 0 ? m_index.data(role) : QVariant();
}

void ModelRow::attach(int row)
{
    m_row = row;
    if (m_model && row >= 0 && row < m_model->rowCount())
        m_index = QPersistentModelIndex(m_model->index(row, 0));
    else
        m_index = QPersistentModelIndex();
}

void ModelRow::resolveRoles()
{
    m_roles.clear();
    const QHash<int, QByteArray> roles = m_model ? m_model->roleNames() : QHash<int, QByteArray>();
    for (const QString &name : std::as_const(m_names))
        m_roles.append(name.isEmpty() ? -1 : roles.key(name.toUtf8(), -1));
}

ModelRow::RoleMask ModelRow::allRoles() const
{
    return m_names.size() >= MaxRoles ? ~RoleMask(0) : (RoleMask(1) << m_names.size()) - 1;
}

void ModelRow::onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                             const QList<int> &roles)
{
    if (!m_index.isValid())
        return;
    const int row = m_index.row();
    const int column = m_index.column();
    if (row < topLeft.row() || row > bottomRight.row() || column < topLeft.column()
        || column > bottomRight.column())
        return;
    RoleMask mask = 0;
    if (roles.isEmpty()) {
        mask = allRoles();
    } else {
        for (qsizetype i = 0; i < m_roles.size(); ++i) {
            if (m_roles.at(i) >= 0 && roles.contains(m_roles.at(i)))
                mask |= RoleMask(1) << i;
        }
    }
    if (mask != 0)
        Q_EMIT changed(mask, false);
}

void ModelRow::onRowsChanged()
{
    // The persistent index has followed the row; the item is the same one unless it is gone
    // (or it just came into range, for a row asked for before the model had it).
    const bool hadItem = m_shownRow >= 0;
    if (m_index.isValid()) {
        m_row = m_index.row();
    } else if (hadItem) {
        m_row = -1;
    } else {
        // A model may name its roles only once it has rows (QML's ListModel does).
        resolveRoles();
        attach(m_row);
    }
    if (row() == m_shownRow)
        return;
    m_shownRow = row();
    if (!hadItem || m_shownRow < 0)
        Q_EMIT changed(allRoles(), true);
    Q_EMIT rowChanged();
}

void ModelRow::onReset()
{
    resolveRoles();
    attach(m_row);
    Q_EMIT changed(allRoles(), true);
    if (row() != m_shownRow) {
        m_shownRow = row();
        Q_EMIT rowChanged();
    }
}

} // namespace tickwire::ui
