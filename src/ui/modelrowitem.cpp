#include "ui/modelrowitem.h"

#include "ui/modelrow.h"

namespace tickwire::ui {

ModelRowItem::ModelRowItem(int roles, QQuickItem *parent)
    : QQuickPaintedItem(parent)
    , m_source(new ModelRow(this))
    , m_roleNames(roles)
{
    connect(m_source, &ModelRow::changed, this, [this](ModelRow::RoleMask changed, bool replaced) {
        if (isComponentComplete())
            readRow(changed, replaced);
    });
    connect(m_source, &ModelRow::rowChanged, this, &ModelRowItem::rowChanged);
}

void ModelRowItem::componentComplete()
{
    QQuickPaintedItem::componentComplete();
    if (m_source->model())
        readRow(~quint32(0), true);
}

QAbstractItemModel *ModelRowItem::model() const
{
    return m_source->model();
}

void ModelRowItem::setModel(QAbstractItemModel *model)
{
    if (model == m_source->model())
        return;
    m_source->setModel(model);
    Q_EMIT modelChanged();
}

int ModelRowItem::row() const
{
    return m_source->row();
}

void ModelRowItem::setRow(int row)
{
    m_source->setRow(row);
}

void ModelRowItem::setUpColor(const QColor &color)
{
    if (color == m_upColor)
        return;
    m_upColor = color;
    trendColorsChanged();
    Q_EMIT upColorChanged();
}

void ModelRowItem::setDownColor(const QColor &color)
{
    if (color == m_downColor)
        return;
    m_downColor = color;
    trendColorsChanged();
    Q_EMIT downColorChanged();
}

QVariant ModelRowItem::value(const QString &roleName) const
{
    return m_source->value(roleName);
}

bool ModelRowItem::setRoleName(int slot, const QString &name)
{
    if (name == m_roleNames.at(slot))
        return false;
    m_roleNames[slot] = name;
    m_source->setRoleNames(m_roleNames);
    if (isComponentComplete() && m_source->model())
        readRow(quint32(1) << slot, true);
    return true;
}

QVariant ModelRowItem::roleValue(int slot) const
{
    return m_source->value(slot);
}

} // namespace tickwire::ui
