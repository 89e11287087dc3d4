#pragma once

#include "watchlists/watchlist.h"

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QList>
#include <QtCore/QString>

#include <optional>

// The watchlists.json document (docs/watchlists.md) and the plain text / CSV symbol lists users
// bring from elsewhere. Pure functions: no files, no QObject; the store does the I/O.
namespace tickwire::watchlists {

// Version 1: {"version":1,"lists":{"Name":["SYM",...]}} — names and symbols only.
// Version 2: {"version":2,"current":0,"lists":[{"name","symbols","columns","sort"}]} — ordered
// lists with their columns and sort. Files of version 1 are migrated on load.
inline constexpr int CurrentFormatVersion = 2;

struct WatchlistDocument
{
    QList<Watchlist> lists;
    int current = 0; // index into lists of the list the user last looked at
    friend bool operator==(const WatchlistDocument &, const WatchlistDocument &) = default;
};

enum class ParseFailure {
    None,
    Corrupt, // not JSON, wrong shape, or a list breaking the rules (limits, duplicates, ...)
    TooNew, // a version this build does not know: written by a newer Tickwire
};

struct ParseResult
{
    std::optional<WatchlistDocument> document;
    ParseFailure failure = ParseFailure::None;
    QString error; // meaningful only when !ok(): what is wrong, for the user
    int sourceVersion = 0; // the version the bytes were written in (1 means migrated)

    [[nodiscard]] bool ok() const { return document.has_value(); }
};

// Current-version JSON, indented so that users can read and edit it.
[[nodiscard]] QByteArray toJson(const WatchlistDocument &document);
// Reads any known version. `allowEmpty` accepts a document with no lists (an export of none
// is useless, but a stored file must always hold at least one list).
[[nodiscard]] ParseResult parseDocument(QByteArrayView bytes, bool allowEmpty = false);

// One problem in an imported text: 1-based line number, the offending piece and why.
struct ImportIssue
{
    int line = 0;
    QString text;
    QString reason;
    friend bool operator==(const ImportIssue &, const ImportIssue &) = default;
};

struct SymbolImport
{
    QStringList symbols; // normalized, first occurrence order, no duplicates
    QList<ImportIssue> issues;
};

// A text or CSV symbol list: one per line and/or separated by commas, semicolons or tabs;
// "EXCHANGE:" prefixes dropped, surrounding quotes and spaces trimmed, upper-cased; blank lines
// and lines starting with '#' ignored, as is a first line starting with a "Symbol" or "Ticker"
// header. Bad pieces become issues; everything else is kept.
[[nodiscard]] SymbolImport parseSymbolText(QStringView text);
// One symbol per line, with a trailing newline: what parseSymbolText reads back unchanged.
[[nodiscard]] QString toSymbolText(const QStringList &symbols);

} // namespace tickwire::watchlists
