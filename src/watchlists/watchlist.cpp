#include "watchlists/watchlist.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QSet>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace tickwire::watchlists {

namespace {

// The translation context of the messages of this file (free functions have no tr()).
class Messages
{
    Q_DECLARE_TR_FUNCTIONS(Watchlist)
};

constexpr std::array<QLatin1StringView, ColumnCount> ColumnNames{
    "last"_L1,   "change"_L1, "changePercent"_L1, "bid"_L1, "ask"_L1,
    "spread"_L1, "volume"_L1, "high"_L1,          "low"_L1, "sparkline"_L1,
};

bool isSymbolChar(QChar c)
{
    return (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'-' || c == u'.'
           || c == u'_' || c == u'/';
}

} // namespace

QString columnName(Column column)
{
    return QString(ColumnNames[static_cast<std::size_t>(column)]);
}

std::optional<Column> columnFromName(QStringView name)
{
    for (std::size_t i = 0; i < ColumnNames.size(); ++i) {
        if (name == ColumnNames[i])
            return static_cast<Column>(i);
    }
    return std::nullopt;
}

QStringList allColumnNames()
{
    QStringList names;
    for (const auto name : ColumnNames)
        names << QString(name);
    return names;
}

QList<Column> defaultColumns()
{
    // What fits the default panel width; Chg, Spread, High and Low are a menu away.
    return {Column::Last, Column::ChangePercent, Column::Bid, Column::Ask, Column::Volume,
            Column::Sparkline};
}

bool isSortable(Column column)
{
    return column != Column::Sparkline;
}

Watchlist defaultWatchlist()
{
    Watchlist list;
    //: The name of the watchlist a first run starts with.
    list.name = Messages::tr("Markets");
    list.symbols =
        QStringList{u"BTC-USD"_s, u"ETH-USD"_s, u"SOL-USD"_s, u"AAPL"_s,    u"MSFT"_s,
                    u"NVDA"_s,    u"AMZN"_s,    u"EUR-USD"_s, u"GBP-USD"_s, u"USD-JPY"_s};
    return list;
}

QString normalizeSymbol(QStringView text, QString *error)
{
    QStringView symbol = text.trimmed();
    // "NASDAQ:AAPL": charting sites export symbols with their exchange; we only know the code.
    if (const auto colon = symbol.lastIndexOf(u':'); colon >= 0)
        symbol = symbol.sliced(colon + 1).trimmed();
    QString result = symbol.toString().toUpper();
    QString why;
    if (result.isEmpty())
        why = Messages::tr("empty symbol");
    else if (result.size() > MaxSymbolLength)
        why = Messages::tr("symbol \"%1\" is longer than %2 characters")
                  .arg(result)
                  .arg(MaxSymbolLength);
    else if (!std::all_of(result.cbegin(), result.cend(), isSymbolChar))
        why = Messages::tr("symbol \"%1\" has characters other than letters, digits and - . _ /")
                  .arg(result);
    if (!why.isEmpty()) {
        if (error)
            *error = why;
        return {};
    }
    return result;
}

QString normalizeName(QStringView text, QString *error)
{
    QString name = text.trimmed().toString();
    QString why;
    if (name.isEmpty())
        why = Messages::tr("a watchlist name cannot be empty");
    else if (name.size() > MaxNameLength)
        why = Messages::tr("a watchlist name is at most %1 characters").arg(MaxNameLength);
    if (!why.isEmpty()) {
        if (error)
            *error = why;
        return {};
    }
    return name;
}

QString validate(const Watchlist &list)
{
    QString error;
    const QString name = normalizeName(list.name, &error);
    if (name.isEmpty())
        return error;
    if (name != list.name)
        return Messages::tr("name \"%1\" has surrounding spaces").arg(list.name);
    if (list.symbols.size() > MaxSymbolsPerList)
        return Messages::tr("\"%1\" has %2 symbols, more than the limit of %3")
            .arg(list.name)
            .arg(list.symbols.size())
            .arg(MaxSymbolsPerList);
    QSet<QString> seen;
    for (const QString &symbol : list.symbols) {
        const QString normalized = normalizeSymbol(symbol, &error);
        if (normalized.isEmpty())
            return error;
        if (normalized != symbol)
            return Messages::tr("symbol \"%1\" is not in canonical form").arg(symbol);
        if (seen.contains(symbol))
            return Messages::tr("symbol %1 appears twice in \"%2\"").arg(symbol, list.name);
        seen.insert(symbol);
    }
    std::array<bool, ColumnCount> shown{};
    for (const Column column : list.columns) {
        auto &flag = shown[static_cast<std::size_t>(column)];
        if (flag)
            return Messages::tr("column %1 appears twice in \"%2\"")
                .arg(columnName(column), list.name);
        flag = true;
    }
    if (list.sort && !isSortable(list.sort->column))
        return Messages::tr("column %1 cannot be sorted").arg(columnName(list.sort->column));
    return {};
}

} // namespace tickwire::watchlists
