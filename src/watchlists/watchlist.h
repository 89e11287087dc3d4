#pragma once

#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <optional>

// Plain value types of the watchlists feature and the rules every list obeys. No QObject here:
// these are shared by the store, the file format and the import/export code, and are cheap to
// copy (implicitly shared Qt containers).
namespace tickwire::watchlists {

inline constexpr int MaxLists = 50;
inline constexpr int MaxSymbolsPerList = 500;
inline constexpr int MaxNameLength = 64; // in UTF-16 code units, after trimming
inline constexpr int MaxSymbolLength = 32; // server symbols are short ASCII codes

// The columns a list can show. The wire names (columnName) are what the file stores and what QML
// passes around; the enum is what C++ switches on.
enum class Column {
    Last,
    Change,
    ChangePercent,
    Bid,
    Ask,
    Spread,
    Volume,
    High,
    Low,
    Sparkline,
};
inline constexpr int ColumnCount = 10;

[[nodiscard]] QString columnName(Column column);
[[nodiscard]] std::optional<Column> columnFromName(QStringView name);
// Every column in its canonical order ("last", "change", ...).
[[nodiscard]] QStringList allColumnNames();
[[nodiscard]] QList<Column> defaultColumns();
// Sparklines are pictures of a series: there is no scalar to sort by.
[[nodiscard]] bool isSortable(Column column);

struct SortState
{
    Column column = Column::Last;
    bool descending = false;
    friend bool operator==(const SortState &, const SortState &) = default;
};

struct Watchlist
{
    QString name;
    QStringList symbols; // the user's order; each symbol at most once
    QList<Column> columns = defaultColumns(); // shown columns, in display order
    std::optional<SortState> sort; // nullopt: the user's order
    friend bool operator==(const Watchlist &, const Watchlist &) = default;
};

// The list a first run starts with: a mix of crypto, equities and FX.
[[nodiscard]] Watchlist defaultWatchlist();

// Canonical form of a user-typed symbol: trimmed, upper-cased, an "EXCHANGE:" prefix dropped
// ("nasdaq:aapl " -> "AAPL"). Returns the symbol, or an empty string and sets *error.
[[nodiscard]] QString normalizeSymbol(QStringView text, QString *error);
// Trimmed name, or an empty string and *error set (empty, too long). Uniqueness is the store's
// business: it needs the other names.
[[nodiscard]] QString normalizeName(QStringView text, QString *error);
// Validation of a whole list as read from a file: names, symbols, duplicates, limits, columns.
// Returns an empty string when valid, otherwise why not.
[[nodiscard]] QString validate(const Watchlist &list);

} // namespace tickwire::watchlists
