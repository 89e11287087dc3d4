#include "watchlists/watchlistformat.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonParseError>
#include <QtCore/QSet>

#include <limits>
#include <utility>

using namespace Qt::StringLiterals;

namespace tickwire::watchlists {

namespace {

// The translation context of the messages of this file (free functions have no tr()).
class Messages
{
    Q_DECLARE_TR_FUNCTIONS(WatchlistFormat)
};

// Larger files are refused unread: 50 lists × 500 symbols fit comfortably below this.
constexpr qsizetype MaxDocumentBytes = 8 * 1024 * 1024;

ParseResult failure(ParseFailure kind, const QString &error, int version = 0)
{
    ParseResult result;
    result.failure = kind;
    result.error = error;
    result.sourceVersion = version;
    return result;
}

QJsonObject listToJson(const Watchlist &list)
{
    QJsonArray columns;
    for (const Column column : list.columns)
        columns.append(columnName(column));
    QJsonObject object{
        {u"name"_s, list.name},
        {u"symbols"_s, QJsonArray::fromStringList(list.symbols)},
        {u"columns"_s, columns},
    };
    if (list.sort) {
        object.insert(u"sort"_s, QJsonObject{{u"column"_s, columnName(list.sort->column)},
                                             {u"order"_s, list.sort->descending ? u"descending"_s
                                                                                : u"ascending"_s}});
    } else {
        object.insert(u"sort"_s, QJsonValue::Null);
    }
    return object;
}

// Reads a JSON array of strings; nullopt (and *error) when it is not one.
std::optional<QStringList> stringArray(const QJsonValue &value, const QString &what, QString *error)
{
    if (!value.isArray()) {
        *error = Messages::tr("%1 must be an array of strings").arg(what);
        return std::nullopt;
    }
    QStringList strings;
    const QJsonArray array = value.toArray();
    for (const auto &item : array) {
        if (!item.isString()) {
            *error = Messages::tr("%1 must be an array of strings").arg(what);
            return std::nullopt;
        }
        strings << item.toString();
    }
    return strings;
}

std::optional<Watchlist> listFromJson(const QJsonValue &value, qsizetype index, QString *error)
{
    const QString where = Messages::tr("list %1").arg(index + 1);
    if (!value.isObject()) {
        *error = Messages::tr("%1 is not an object").arg(where);
        return std::nullopt;
    }
    const QJsonObject object = value.toObject();
    Watchlist list;
    if (!object.value(u"name"_s).isString()) {
        *error = Messages::tr("%1 has no \"name\" string").arg(where);
        return std::nullopt;
    }
    list.name = object.value(u"name"_s).toString();
    const auto symbols = stringArray(object.value(u"symbols"_s), where + u" \"symbols\""_s, error);
    if (!symbols)
        return std::nullopt;
    list.symbols = *symbols;
    const auto columns = stringArray(object.value(u"columns"_s), where + u" \"columns\""_s, error);
    if (!columns)
        return std::nullopt;
    list.columns.clear();
    for (const QString &name : *columns) {
        const auto column = columnFromName(name);
        if (!column) {
            *error = Messages::tr("%1 has an unknown column \"%2\"").arg(where, name);
            return std::nullopt;
        }
        list.columns << *column;
    }
    const QJsonValue sort = object.value(u"sort"_s);
    if (sort.isObject()) {
        const auto column = columnFromName(sort[u"column"_s].toString());
        const QString order = sort[u"order"_s].toString();
        if (!column || (order != "ascending"_L1 && order != "descending"_L1)) {
            *error = Messages::tr(
                         "%1 has an invalid \"sort\" (needs a column and an order of ascending or "
                         "descending)")
                         .arg(where);
            return std::nullopt;
        }
        list.sort = SortState{*column, order == "descending"_L1};
    } else if (!sort.isNull() && !sort.isUndefined()) {
        *error = Messages::tr("%1 has an invalid \"sort\"").arg(where);
        return std::nullopt;
    }
    if (const QString why = validate(list); !why.isEmpty()) {
        *error = Messages::tr("%1: %2").arg(where, why);
        return std::nullopt;
    }
    return list;
}

// Version 1 kept lists as an object of name -> symbols. JSON objects are unordered (and Qt
// reads them sorted by key), so migrated lists come in name order, with the default columns.
std::optional<QList<Watchlist>> migrateVersion1(const QJsonObject &root, QString *error)
{
    if (!root.value(u"lists"_s).isObject()) {
        *error = Messages::tr("version 1 \"lists\" must be an object of name to symbols");
        return std::nullopt;
    }
    QList<Watchlist> lists;
    const QJsonObject object = root.value(u"lists"_s).toObject();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        Watchlist list;
        list.name = it.key();
        const auto symbols =
            stringArray(it.value(), Messages::tr("list \"%1\"").arg(it.key()), error);
        if (!symbols)
            return std::nullopt;
        // Version 1 did not normalize what users typed; do it now instead of refusing the file.
        for (const QString &raw : *symbols) {
            QString why;
            const QString symbol = normalizeSymbol(raw, &why);
            if (symbol.isEmpty()) {
                *error = Messages::tr("list \"%1\": %2").arg(it.key(), why);
                return std::nullopt;
            }
            if (!list.symbols.contains(symbol))
                list.symbols << symbol;
        }
        if (const QString why = validate(list); !why.isEmpty()) {
            *error = why;
            return std::nullopt;
        }
        lists << list;
    }
    return lists;
}

// The first line of a spreadsheet export: "Symbol,Name,..." or "Ticker".
bool isHeaderLine(QStringView line)
{
    const QStringView first = line.left(line.indexOf(u',')).trimmed();
    return first.compare(u"symbol"_s, Qt::CaseInsensitive) == 0
           || first.compare(u"ticker"_s, Qt::CaseInsensitive) == 0;
}

} // namespace

QByteArray toJson(const WatchlistDocument &document)
{
    QJsonArray lists;
    for (const Watchlist &list : document.lists)
        lists.append(listToJson(list));
    const QJsonObject root{
        {u"version"_s, CurrentFormatVersion},
        {u"current"_s, document.current},
        {u"lists"_s, lists},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

ParseResult parseDocument(QByteArrayView bytes, bool allowEmpty)
{
    if (bytes.size() > MaxDocumentBytes)
        return failure(ParseFailure::Corrupt,
                       Messages::tr("the file is larger than %1 bytes").arg(MaxDocumentBytes));
    QJsonParseError parseError;
    const QJsonDocument json = QJsonDocument::fromJson(bytes.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return failure(ParseFailure::Corrupt, Messages::tr("not valid JSON at offset %1: %2")
                                                  .arg(parseError.offset)
                                                  .arg(parseError.errorString()));
    if (!json.isObject())
        return failure(ParseFailure::Corrupt, Messages::tr("the top level is not a JSON object"));
    const QJsonObject root = json.object();
    const QJsonValue versionValue = root.value(u"version"_s);
    const double versionNumber = versionValue.toDouble(-1);
    // Range before the cast: a double beyond int does not convert (undefined behaviour).
    if (!versionValue.isDouble() || !(versionNumber >= 1)
        || versionNumber > std::numeric_limits<int>::max()
        || versionNumber != static_cast<int>(versionNumber))
        return failure(ParseFailure::Corrupt, Messages::tr("missing or invalid \"version\""));
    const int version = static_cast<int>(versionNumber);
    if (version > CurrentFormatVersion)
        return failure(
            ParseFailure::TooNew,
            Messages::tr("the file has version %1, written by a newer Tickwire (this one reads up "
                         "to version %2)")
                .arg(version)
                .arg(CurrentFormatVersion),
            version);

    WatchlistDocument document;
    QString error;
    if (version == 1) {
        const auto lists = migrateVersion1(root, &error);
        if (!lists)
            return failure(ParseFailure::Corrupt, error, version);
        document.lists = *lists;
    } else {
        const QJsonValue lists = root.value(u"lists"_s);
        if (!lists.isArray())
            return failure(ParseFailure::Corrupt, Messages::tr("\"lists\" must be an array"),
                           version);
        const QJsonArray array = lists.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const auto list = listFromJson(array.at(i), i, &error);
            if (!list)
                return failure(ParseFailure::Corrupt, error, version);
            document.lists << *list;
        }
        const QJsonValue current = root.value(u"current"_s);
        if (!current.isUndefined() && !current.isDouble())
            return failure(ParseFailure::Corrupt, Messages::tr("\"current\" must be a number"),
                           version);
        document.current = current.toInt(0);
    }

    if (document.lists.size() > MaxLists)
        return failure(ParseFailure::Corrupt,
                       Messages::tr("%1 lists, more than the limit of %2")
                           .arg(document.lists.size())
                           .arg(MaxLists),
                       version);
    if (document.lists.isEmpty() && !allowEmpty)
        return failure(ParseFailure::Corrupt, Messages::tr("there are no watchlists"), version);
    QSet<QString> names;
    for (const Watchlist &list : std::as_const(document.lists)) {
        const QString key = list.name.toCaseFolded();
        if (names.contains(key))
            return failure(ParseFailure::Corrupt,
                           Messages::tr("the name \"%1\" is used by two lists").arg(list.name),
                           version);
        names.insert(key);
    }
    // A stale index is harmless (the user just lands on the first list), so clamp, not refuse.
    if (document.current < 0 || document.current >= document.lists.size())
        document.current = 0;

    ParseResult result;
    result.document = document;
    result.sourceVersion = version;
    return result;
}

SymbolImport parseSymbolText(QStringView text)
{
    SymbolImport result;
    QHash<QString, int> firstLine;
    int lineNumber = 0;
    bool firstContentLine = true;
    for (const QStringView rawLine : text.tokenize(u'\n')) {
        ++lineNumber;
        const QStringView line = rawLine.trimmed(); // also drops the '\r' of CRLF files
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        // Spreadsheet exports start with a header row ("Symbol,Name,..."): not a symbol.
        if (std::exchange(firstContentLine, false) && isHeaderLine(line))
            continue;
        for (QStringView piece : line.tokenize(u',')) {
            for (QStringView field : piece.tokenize(u';')) {
                for (QStringView token : field.tokenize(u'\t')) {
                    token = token.trimmed();
                    if (token.size() >= 2 && token.startsWith(u'"') && token.endsWith(u'"'))
                        token = token.sliced(1, token.size() - 2).trimmed();
                    if (token.isEmpty())
                        continue; // "AAPL, MSFT," — a trailing separator is not an error
                    QString why;
                    const QString symbol = normalizeSymbol(token, &why);
                    if (symbol.isEmpty()) {
                        result.issues << ImportIssue{lineNumber, token.toString(), why};
                        continue;
                    }
                    if (const auto seen = firstLine.constFind(symbol); seen != firstLine.cend()) {
                        result.issues << ImportIssue{
                            lineNumber, token.toString(),
                            Messages::tr("%1 is already listed on line %2").arg(symbol).arg(*seen)};
                        continue;
                    }
                    firstLine.insert(symbol, lineNumber);
                    result.symbols << symbol;
                }
            }
        }
    }
    return result;
}

QString toSymbolText(const QStringList &symbols)
{
    QString text;
    // A list starting with the symbol SYMBOL or TICKER would lose it to the header rule on
    // import: give such a list a header line of its own.
    if (!symbols.isEmpty() && isHeaderLine(symbols.first()))
        text = u"Symbol\n"_s;
    for (const QString &symbol : symbols)
        text += symbol + u'\n';
    return text;
}

} // namespace tickwire::watchlists
