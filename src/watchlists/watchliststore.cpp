#include "watchlists/watchliststore.h"

#include "userdata/userfile.h"

#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QSet>
#include <QtCore/QStandardPaths>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace tickwire::watchlists {

namespace {

constexpr QLatin1StringView FileName{"watchlists.json"};

QString issueLine(const ImportIssue &issue)
{
    if (issue.line <= 0)
        return issue.text.isEmpty()
                   ? issue.reason
                   : WatchlistStore::tr("\"%1\": %2").arg(issue.text, issue.reason);
    return WatchlistStore::tr("line %1: \"%2\": %3").arg(issue.line).arg(issue.text, issue.reason);
}

void addIssue(ImportReport &report, const ImportIssue &issue)
{
    report.issues << issue;
    report.problems << issueLine(issue);
}

} // namespace

WatchlistStore::WatchlistStore(QObject *parent)
    : WatchlistStore(defaultFilePath(), parent)
{
}

WatchlistStore::WatchlistStore(const QString &filePath, QObject *parent)
    : QObject(parent)
    , m_file(filePath,
             userdata::SavedFile::signalsOf(
                 this, [this] { return toJson(document()); },
                 [](const QString &path, const QString &reason) {
                     return tr("Cannot save your watchlists to %1: %2").arg(path, reason);
                 }),
             this)
{
    // The current list's header follows list switches and that list's own changes.
    connect(this, &WatchlistStore::currentListChanged, this,
            &WatchlistStore::currentColumnsChanged);
    connect(this, &WatchlistStore::currentListChanged, this, &WatchlistStore::currentSortChanged);
    connect(this, &WatchlistStore::columnsChanged, this, [this](int index) {
        if (index == m_current)
            Q_EMIT currentColumnsChanged();
    });
    connect(this, &WatchlistStore::sortChanged, this, [this](int index) {
        if (index == m_current)
            Q_EMIT currentSortChanged();
    });
    WatchlistDocument defaults;
    defaults.lists << defaultWatchlist();
    replaceAll(defaults);
}

WatchlistStore::~WatchlistStore()
{
    flush();
}

QString WatchlistStore::defaultFilePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + u'/' + FileName;
}

// ---- lists ----------------------------------------------------------------------------------

QStringList WatchlistStore::listNames() const
{
    QStringList names;
    names.reserve(m_lists.size());
    for (const Entry &entry : m_lists)
        names << entry.list.name;
    return names;
}

const Watchlist &WatchlistStore::list(int index) const
{
    Q_ASSERT(index >= 0 && index < count());
    return m_lists.at(index).list;
}

QList<Watchlist> WatchlistStore::lists() const
{
    return document().lists;
}

void WatchlistStore::setCurrentIndex(int index)
{
    if (index < 0 || index >= count() || index == m_current)
        return;
    const int oldIndex = m_current;
    const int previousId = m_lists.at(m_current).id;
    m_current = index;
    announceCurrent(oldIndex, previousId);
    changed();
}

int WatchlistStore::indexOf(const QString &name) const
{
    const QString key = name.trimmed().toCaseFolded();
    for (int i = 0; i < count(); ++i) {
        if (m_lists.at(i).list.name.toCaseFolded() == key)
            return i;
    }
    return -1;
}

QString WatchlistStore::createList(const QString &name)
{
    if (count() >= MaxLists)
        return tr("You already have %1 watchlists, the most there can be.").arg(MaxLists);
    QString normalized;
    if (QString error = checkNewName(name, -1, &normalized); !error.isEmpty())
        return error;
    Watchlist list;
    list.name = normalized;
    insertEntry(count(), list);
    return {};
}

QString WatchlistStore::renameList(int index, const QString &name)
{
    if (QString error = checkIndex(index); !error.isEmpty())
        return error;
    QString normalized;
    if (QString error = checkNewName(name, index, &normalized); !error.isEmpty())
        return error;
    if (m_lists[index].list.name == normalized)
        return {};
    m_lists[index].list.name = normalized;
    Q_EMIT listsChanged();
    changed();
    return {};
}

QString WatchlistStore::duplicateList(int index, const QString &name)
{
    if (QString error = checkIndex(index); !error.isEmpty())
        return error;
    if (count() >= MaxLists)
        return tr("You already have %1 watchlists, the most there can be.").arg(MaxLists);
    Watchlist copy = m_lists.at(index).list;
    if (name.trimmed().isEmpty()) {
        //: The name of a duplicated watchlist; %1 is the original's name.
        const QString pattern = tr("%1 copy");
        copy.name = uniqueName(pattern.arg(
            copy.name.left(std::max<qsizetype>(0, MaxNameLength - (pattern.size() - 2)))));
    } else if (QString error = checkNewName(name, -1, &copy.name); !error.isEmpty()) {
        return error;
    }
    insertEntry(index + 1, copy);
    return {};
}

QString WatchlistStore::deleteList(int index)
{
    if (QString error = checkIndex(index); !error.isEmpty())
        return error;
    if (count() == 1)
        return tr("The last watchlist cannot be deleted.");
    const int oldIndex = m_current;
    const int previousId = m_lists.at(m_current).id;
    m_deleted = Deleted{m_lists.takeAt(index), index};
    m_current = m_current > index ? m_current - 1 : std::min(m_current, count() - 1);
    Q_EMIT listsChanged();
    announceCurrent(oldIndex, previousId);
    Q_EMIT deletedListChanged();
    changed();
    return {};
}

QString WatchlistStore::undoDelete()
{
    if (!m_deleted)
        return tr("There is no deleted watchlist to restore.");
    if (count() >= MaxLists)
        return tr("You already have %1 watchlists, the most there can be.").arg(MaxLists);
    Deleted deleted = *std::exchange(m_deleted, std::nullopt);
    deleted.entry.list.name = uniqueName(deleted.entry.list.name);
    insertEntry(std::min(deleted.index, count()), deleted.entry.list);
    Q_EMIT deletedListChanged();
    return {};
}

QString WatchlistStore::deletedListName() const
{
    return m_deleted ? m_deleted->entry.list.name : QString();
}

// ---- symbols --------------------------------------------------------------------------------

QStringList WatchlistStore::symbols(int index) const
{
    return checkIndex(index).isEmpty() ? m_lists.at(index).list.symbols : QStringList();
}

QString WatchlistStore::addSymbol(int index, const QString &symbol)
{
    if (QString error = checkIndex(index); !error.isEmpty())
        return error;
    QString error;
    const QString normalized = normalizeSymbol(symbol, &error);
    if (normalized.isEmpty())
        return error;
    Watchlist &list = m_lists[index].list;
    if (list.symbols.contains(normalized))
        return tr("%1 is already in \"%2\".").arg(normalized, list.name);
    if (list.symbols.size() >= MaxSymbolsPerList)
        return tr("\"%1\" already has %2 symbols, the most a list can hold.")
            .arg(list.name)
            .arg(MaxSymbolsPerList);
    const int row = int(list.symbols.size());
    list.symbols << normalized;
    Q_EMIT symbolsInserted(index, row, {normalized});
    changed();
    return {};
}

QString WatchlistStore::removeSymbolNamed(int index, const QString &symbol)
{
    if (QString error = checkIndex(index); !error.isEmpty())
        return error;
    const int row = int(m_lists.at(index).list.symbols.indexOf(symbol));
    if (row < 0)
        return tr("%1 is not in \"%2\".").arg(symbol, m_lists.at(index).list.name);
    return removeSymbol(index, row);
}

QString WatchlistStore::removeSymbol(int index, int row)
{
    if (QString error = checkIndex(index); !error.isEmpty())
        return error;
    Watchlist &list = m_lists[index].list;
    if (row < 0 || row >= list.symbols.size())
        return tr("There is no row %1 in \"%2\".").arg(row).arg(list.name);
    list.symbols.removeAt(row);
    Q_EMIT symbolRemoved(index, row);
    changed();
    return {};
}

QString WatchlistStore::moveSymbol(int index, int from, int to)
{
    if (QString error = checkIndex(index); !error.isEmpty())
        return error;
    Watchlist &list = m_lists[index].list;
    const int size = int(list.symbols.size());
    if (from < 0 || from >= size || to < 0 || to >= size)
        return tr("Cannot move row %1 to row %2 in a list of %3.").arg(from).arg(to).arg(size);
    if (from == to)
        return {};
    list.symbols.move(from, to);
    Q_EMIT symbolMoved(index, from, to);
    changed();
    return {};
}

// ---- columns and sort -----------------------------------------------------------------------

QStringList WatchlistStore::columns(int index) const
{
    QStringList names;
    if (checkIndex(index).isEmpty()) {
        for (const Column column : m_lists.at(index).list.columns)
            names << columnName(column);
    }
    return names;
}

QString WatchlistStore::setColumns(int index, const QStringList &columns)
{
    if (QString error = checkIndex(index); !error.isEmpty())
        return error;
    Watchlist changedList = m_lists.at(index).list;
    changedList.columns.clear();
    for (const QString &name : columns) {
        const auto column = columnFromName(name);
        if (!column)
            return tr("There is no column \"%1\".").arg(name);
        if (changedList.columns.contains(*column))
            return tr("The column \"%1\" is listed twice.").arg(name);
        changedList.columns << *column;
    }
    if (changedList.columns == m_lists.at(index).list.columns)
        return {};
    m_lists[index].list.columns = changedList.columns;
    Q_EMIT columnsChanged(index);
    changed();
    return {};
}

QString WatchlistStore::setSort(int index, const QString &column, bool descending)
{
    if (QString error = checkIndex(index); !error.isEmpty())
        return error;
    std::optional<SortState> sort;
    if (!column.isEmpty()) {
        const auto parsed = columnFromName(column);
        if (!parsed)
            return tr("There is no column \"%1\".").arg(column);
        if (!isSortable(*parsed))
            return tr("The column \"%1\" cannot be sorted.").arg(column);
        sort = SortState{*parsed, descending};
    }
    if (m_lists.at(index).list.sort == sort)
        return {};
    m_lists[index].list.sort = sort;
    Q_EMIT sortChanged(index);
    changed();
    return {};
}

QString WatchlistStore::cycleSort(int index, const QString &column)
{
    if (column != sortColumn(index))
        return setSort(index, column, false);
    if (!sortDescending(index))
        return setSort(index, column, true);
    return setSort(index, QString(), false);
}

QString WatchlistStore::sortColumn(int index) const
{
    if (!checkIndex(index).isEmpty() || !m_lists.at(index).list.sort)
        return {};
    return columnName(m_lists.at(index).list.sort->column);
}

bool WatchlistStore::sortDescending(int index) const
{
    return checkIndex(index).isEmpty() && m_lists.at(index).list.sort
           && m_lists.at(index).list.sort->descending;
}

// ---- import / export ------------------------------------------------------------------------

ImportReport WatchlistStore::importText(int index, const QString &text)
{
    ImportReport report;
    if (QString error = checkIndex(index); !error.isEmpty()) {
        addIssue(report, ImportIssue{0, {}, error});
        return report;
    }
    const SymbolImport parsed = parseSymbolText(text);
    for (const ImportIssue &issue : parsed.issues)
        addIssue(report, issue);

    Watchlist &list = m_lists[index].list;
    QStringList added;
    for (const QString &symbol : parsed.symbols) {
        if (list.symbols.contains(symbol)) {
            addIssue(report, ImportIssue{0, symbol, tr("already in \"%1\"").arg(list.name)});
        } else if (list.symbols.size() >= MaxSymbolsPerList) {
            addIssue(report,
                     ImportIssue{
                         0, symbol,
                         tr("\"%1\" is full (%2 symbols)").arg(list.name).arg(MaxSymbolsPerList)});
        } else {
            list.symbols << symbol;
            added << symbol;
        }
    }
    // Issue order: parse problems by line first, then what the list refused.
    report.added = int(added.size());
    if (!added.isEmpty()) {
        Q_EMIT symbolsInserted(index, int(list.symbols.size() - added.size()), added);
        changed();
    }
    return report;
}

ImportReport WatchlistStore::importJson(const QByteArray &json)
{
    ImportReport report;
    const ParseResult parsed = parseDocument(json, true);
    if (!parsed.ok()) {
        addIssue(report, ImportIssue{0, {}, parsed.error});
        return report;
    }
    for (const Watchlist &imported : parsed.document->lists) {
        if (count() >= MaxLists) {
            addIssue(report, ImportIssue{0, imported.name,
                                         tr("not imported: already %1 watchlists").arg(MaxLists)});
            continue;
        }
        Watchlist list = imported;
        list.name = uniqueName(list.name);
        insertEntry(count(), list);
        ++report.added;
    }
    return report;
}

ImportReport WatchlistStore::importFile(const QString &path, int index)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        ImportReport report;
        addIssue(report, ImportIssue{0, path, file.errorString()});
        return report;
    }
    const QByteArray bytes = file.read(16 * 1024 * 1024);
    if (bytes.trimmed().startsWith('{'))
        return importJson(bytes);
    return importText(index, QString::fromUtf8(bytes));
}

QString WatchlistStore::exportText(int index) const
{
    return toSymbolText(symbols(index));
}

QByteArray WatchlistStore::exportJson(int index) const
{
    if (!checkIndex(index).isEmpty())
        return {};
    WatchlistDocument one;
    one.lists << m_lists.at(index).list;
    return toJson(one);
}

QByteArray WatchlistStore::exportAllJson() const
{
    return toJson(document());
}

QString WatchlistStore::exportFile(const QString &path, int index, bool asText)
{
    if (index != -1 || asText) {
        if (QString error = checkIndex(index); !error.isEmpty())
            return error;
    }
    const QByteArray bytes =
        asText ? exportText(index).toUtf8() : (index == -1 ? exportAllJson() : exportJson(index));
    if (const auto reason = userdata::writeAtomically(path, bytes, userdata::Folder::MustExist))
        return tr("Cannot write %1: %2").arg(path, *reason);
    return {};
}

// ---- persistence ----------------------------------------------------------------------------

void WatchlistStore::setSaveDelay(int milliseconds)
{
    milliseconds = std::max(0, milliseconds);
    if (milliseconds == m_file.saveDelay())
        return;
    m_file.setSaveDelay(milliseconds);
    Q_EMIT saveDelayChanged();
}

bool WatchlistStore::load()
{
    m_file.beginLoad();
    const QString &path = m_file.path();
    WatchlistDocument defaults;
    defaults.lists << defaultWatchlist();

    QFile file(path);
    if (!file.exists()) {
        // First run: write the file now so that users can find it.
        replaceAll(defaults);
        m_file.setLoadProblem({});
        m_file.writeNow();
        return true;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        replaceAll(defaults);
        m_file.block(); // what we could not read, we must not overwrite either
        m_file.setLoadProblem(
            tr("Your watchlists could not be read from %1 (%2). The default watchlist "
               "is shown and changes will not be saved.")
                .arg(path, file.errorString()));
        return false;
    }
    const ParseResult parsed = parseDocument(file.readAll());
    file.close();

    if (parsed.ok()) {
        replaceAll(*parsed.document);
        m_file.setLoadProblem({});
        if (parsed.sourceVersion < CurrentFormatVersion) {
            // Keep the old file for an older Tickwire still installed; best effort.
            const QString backup = path + u".v"_s + QString::number(parsed.sourceVersion);
            QFile::remove(backup);
            QFile::copy(path, backup);
            m_file.writeNow();
        }
        return true;
    }

    replaceAll(defaults);
    const std::optional<QString> aside = userdata::moveAside(path);
    if (!aside) {
        m_file.block();
        m_file.setLoadProblem(
            tr("Your watchlists file %1 could not be read (%2) nor moved aside. The "
               "default watchlist is shown and changes will not be saved.")
                .arg(path, parsed.error));
        return false;
    }
    m_file.setLoadProblem(
        tr("Your watchlists file could not be read (%1). It was kept as %2 and the "
           "default watchlist was loaded.")
            .arg(parsed.error, *aside));
    m_file.writeNow();
    return false;
}

// ---- internals ------------------------------------------------------------------------------

QString WatchlistStore::checkIndex(int index) const
{
    if (index < 0 || index >= count())
        return tr("There is no watchlist number %1.").arg(index + 1);
    return {};
}

QString WatchlistStore::checkNewName(const QString &name, int ignoreIndex,
                                     QString *normalized) const
{
    QString error;
    *normalized = normalizeName(name, &error);
    if (normalized->isEmpty())
        return error;
    const int existing = indexOf(*normalized);
    if (existing >= 0 && existing != ignoreIndex)
        return tr("There is already a watchlist named \"%1\".").arg(m_lists.at(existing).list.name);
    return {};
}

QString WatchlistStore::uniqueName(const QString &base) const
{
    if (indexOf(base) < 0)
        return base;
    for (int n = 2;; ++n) {
        const QString suffix = u" (%1)"_s.arg(n);
        QString candidate = base.left(MaxNameLength - suffix.size()) + suffix;
        if (indexOf(candidate) < 0)
            return candidate;
    }
}

void WatchlistStore::insertEntry(int index, const Watchlist &list)
{
    m_lists.insert(index, Entry{m_nextId++, list});
    const int oldIndex = m_current;
    if (count() > 1 && index <= m_current)
        ++m_current; // the same list, one row down
    Q_EMIT listsChanged();
    if (oldIndex != m_current)
        Q_EMIT currentIndexChanged();
    changed();
}

void WatchlistStore::replaceAll(const WatchlistDocument &document)
{
    const int oldIndex = m_current;
    const int previousId = m_lists.isEmpty() ? 0 : m_lists.at(m_current).id;
    m_lists.clear();
    for (const Watchlist &list : document.lists)
        m_lists << Entry{m_nextId++, list};
    m_current = std::clamp(document.current, 0, int(m_lists.size()) - 1);
    Q_EMIT listsChanged();
    announceCurrent(oldIndex, previousId);
}

// Call after m_current was updated: announces the index if it moved, and the list if the one on
// screen is another list than before.
void WatchlistStore::announceCurrent(int oldIndex, int previousId)
{
    if (oldIndex != m_current)
        Q_EMIT currentIndexChanged();
    if (m_lists.at(m_current).id != previousId)
        Q_EMIT currentListChanged();
}

WatchlistDocument WatchlistStore::document() const
{
    WatchlistDocument document;
    for (const Entry &entry : m_lists)
        document.lists << entry.list;
    document.current = m_current;
    return document;
}

} // namespace tickwire::watchlists
