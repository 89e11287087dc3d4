#include "watchlists/symbolsearchmodel.h"

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace tickwire::watchlists {

namespace {

// Lower is better; nullopt: no match.
std::optional<int> rank(const protocol::InstrumentInfo &info, QStringView query)
{
    if (query.isEmpty())
        return 0;
    if (info.symbol.startsWith(query, Qt::CaseInsensitive))
        return 0;
    for (const QStringView word : QStringView(info.name).tokenize(u' ', Qt::SkipEmptyParts)) {
        if (word.startsWith(query, Qt::CaseInsensitive))
            return 1;
    }
    if (info.name.startsWith(query, Qt::CaseInsensitive))
        return 1; // a query with spaces matching the start of the name
    if (info.symbol.contains(query, Qt::CaseInsensitive))
        return 2;
    if (info.name.contains(query, Qt::CaseInsensitive))
        return 3;
    return std::nullopt;
}

} // namespace

SymbolSearchModel::SymbolSearchModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

int SymbolSearchModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_results.size());
}

QVariant SymbolSearchModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const protocol::InstrumentInfo &info = m_instruments.at(m_results.at(index.row()));
    switch (role) {
    case Qt::DisplayRole:
    case SymbolRole:
        return info.symbol;
    case NameRole:
        return info.name;
    case BaseRole:
        return info.base;
    case QuoteRole:
        return info.quote;
    default:
        return {};
    }
}

QHash<int, QByteArray> SymbolSearchModel::roleNames() const
{
    return {
        {SymbolRole, "symbol"},
        {NameRole, "name"},
        {BaseRole, "base"},
        {QuoteRole, "quote"},
    };
}

void SymbolSearchModel::setInstruments(const QList<protocol::InstrumentInfo> &instruments)
{
    m_instruments = instruments;
    Q_EMIT instrumentsChanged();
    search();
}

void SymbolSearchModel::setQuery(const QString &query)
{
    if (query == m_query)
        return;
    m_query = query;
    Q_EMIT queryChanged();
    search();
}

void SymbolSearchModel::setMaxResults(int maxResults)
{
    maxResults = std::max(1, maxResults);
    if (maxResults == m_maxResults)
        return;
    m_maxResults = maxResults;
    Q_EMIT maxResultsChanged();
    search();
}

QString SymbolSearchModel::symbolAt(int row) const
{
    return row >= 0 && row < m_results.size() ? m_instruments.at(m_results.at(row)).symbol
                                              : QString();
}

void SymbolSearchModel::search()
{
    const QStringView query = QStringView(m_query).trimmed();
    QList<std::pair<int, qsizetype>> matches;
    for (qsizetype i = 0; i < m_instruments.size(); ++i) {
        if (const auto r = rank(m_instruments.at(i), query))
            matches.append({*r, i});
    }
    std::stable_sort(matches.begin(), matches.end(), [this](const auto &a, const auto &b) {
        if (a.first != b.first)
            return a.first < b.first;
        return m_instruments.at(a.second).symbol.compare(m_instruments.at(b.second).symbol,
                                                         Qt::CaseInsensitive)
               < 0;
    });
    if (matches.size() > m_maxResults)
        matches.resize(m_maxResults);

    const int oldCount = count();
    beginResetModel();
    m_results.clear();
    for (const auto &match : std::as_const(matches))
        m_results << match.second;
    endResetModel();
    if (oldCount != count())
        Q_EMIT countChanged();
}

} // namespace tickwire::watchlists
