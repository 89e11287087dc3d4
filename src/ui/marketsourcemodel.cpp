#include "ui/marketsourcemodel.h"

#include "exchanges/livesource.h"

namespace tickwire::ui {

using namespace Qt::StringLiterals;

MarketSourceModel::MarketSourceModel(QObject *parent)
    : QAbstractListModel(parent)
    , m_ids(ids())
{
}

int MarketSourceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_ids.size());
}

QVariant MarketSourceModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QString &id = m_ids.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return displayName(id);
    case IdRole:
        return id;
    case LiveRole:
        return isLive(id);
    case DefaultSymbolsRole:
        return defaultSymbolsText(id);
    default:
        return {};
    }
}

QHash<int, QByteArray> MarketSourceModel::roleNames() const
{
    return {
        {IdRole, "id"},
        {NameRole, "name"},
        {LiveRole, "live"},
        {DefaultSymbolsRole, "defaultSymbols"},
    };
}

int MarketSourceModel::indexOf(const QString &id) const
{
    return int(m_ids.indexOf(id));
}

QString MarketSourceModel::displayName(const QString &id)
{
    if (id == u"sim"_s)
        return tr("Demo simulation");
    if (id == u"replay"_s)
        return tr("Replay");
    //: An exchange's name
    if (id == u"binance"_s)
        return tr("Binance");
    //: An exchange's name
    if (id == u"coinbase"_s)
        return tr("Coinbase");
    //: An exchange's name
    if (id == u"kraken"_s)
        return tr("Kraken");
    return id;
}

QString MarketSourceModel::defaultSymbolsText(const QString &id) const
{
    return exchanges::defaultSymbols(id).join(u", "_s);
}

QStringList MarketSourceModel::ids()
{
    return QStringList{u"sim"_s} + exchanges::liveExchanges();
}

bool MarketSourceModel::isLive(const QString &id)
{
    return exchanges::liveExchanges().contains(id);
}

} // namespace tickwire::ui
