#pragma once

#include "userdata/savedfile.h"
#include "watchlists/watchlist.h"
#include "watchlists/watchlistformat.h"

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QTimer>

#include <optional>

namespace tickwire::watchlists {

// What an import did: how many symbols or lists were added, and one readable line per problem
// ("line 4: \"AA PL\": symbol ... has characters ..."). A gadget so QML can read it directly.
struct ImportReport
{
    Q_GADGET
    Q_PROPERTY(int added MEMBER added)
    Q_PROPERTY(QStringList problems MEMBER problems)
    Q_PROPERTY(bool complete READ complete)

public:
    int added = 0;
    QStringList problems;
    QList<ImportIssue> issues; // the same problems with their line numbers, for C++ callers

    [[nodiscard]] bool complete() const { return problems.isEmpty(); }
};

// All of the user's watchlists, the one on screen, and their file. The single source of truth
// for them: the quotes model follows the current list's symbols, the sorted view its sort.
//
// Thread: GUI thread only. Every mutator returns an empty string on success, otherwise a message
// for the user, and changes nothing on failure. List arguments are indices in listNames().
//
// Persistence: nothing touches the disk until load(). After that every change is saved
// atomically (QSaveFile) saveDelay ms after the last change, and at flush() and destruction. A
// file that cannot be read is moved aside (watchlists.json.bad-<timestamp>), never overwritten.
class WatchlistStore : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WatchlistStore)
    Q_PROPERTY(QStringList listNames READ listNames NOTIFY listsChanged FINAL)
    Q_PROPERTY(int count READ count NOTIFY listsChanged FINAL)
    Q_PROPERTY(
        int currentIndex READ currentIndex WRITE setCurrentIndex NOTIFY currentIndexChanged FINAL)
    // The current list's columns and sort, for the view's header.
    Q_PROPERTY(QStringList currentColumns READ currentColumns NOTIFY currentColumnsChanged FINAL)
    Q_PROPERTY(QString currentSortColumn READ currentSortColumn NOTIFY currentSortChanged FINAL)
    Q_PROPERTY(bool currentSortDescending READ currentSortDescending NOTIFY currentSortChanged FINAL)
    Q_PROPERTY(bool canUndoDelete READ canUndoDelete NOTIFY deletedListChanged FINAL)
    Q_PROPERTY(QString deletedListName READ deletedListName NOTIFY deletedListChanged FINAL)
    Q_PROPERTY(QString filePath READ filePath CONSTANT FINAL)
    Q_PROPERTY(int saveDelay READ saveDelay WRITE setSaveDelay NOTIFY saveDelayChanged FINAL)
    Q_PROPERTY(QString loadProblem READ loadProblem NOTIFY loadProblemChanged FINAL)
    Q_PROPERTY(QString saveError READ saveError NOTIFY saveErrorChanged FINAL)
    Q_PROPERTY(QStringList availableColumns READ availableColumns CONSTANT FINAL)

public:
    static constexpr int DefaultSaveDelayMs = userdata::SavedFile::DefaultSaveDelayMs;

    // The file is <AppConfigLocation>/watchlists.json.
    explicit WatchlistStore(QObject *parent = nullptr);
    // Tests and portable installs pass their own file path.
    explicit WatchlistStore(const QString &filePath, QObject *parent = nullptr);
    ~WatchlistStore() override; // flushes pending changes

    [[nodiscard]] static QString defaultFilePath();

    // ---- lists
    [[nodiscard]] int count() const { return int(m_lists.size()); }
    [[nodiscard]] QStringList listNames() const;
    [[nodiscard]] const Watchlist &list(int index) const; // index must be valid
    [[nodiscard]] QList<Watchlist> lists() const;
    [[nodiscard]] int currentIndex() const { return m_current; }
    void setCurrentIndex(int index); // out-of-range values are ignored

    [[nodiscard]] Q_INVOKABLE int indexOf(const QString &name) const; // case-insensitive; -1
    [[nodiscard]] Q_INVOKABLE QString createList(const QString &name);
    [[nodiscard]] Q_INVOKABLE QString renameList(int index, const QString &name);
    // An empty name picks "<name> copy". The copy goes right after the original.
    [[nodiscard]] Q_INVOKABLE QString duplicateList(int index, const QString &name = {});
    // Keeps the deleted list for undoDelete(); the last remaining list cannot be deleted.
    [[nodiscard]] Q_INVOKABLE QString deleteList(int index);
    // Puts the last deleted list back where it was (renamed if its name was taken since).
    [[nodiscard]] Q_INVOKABLE QString undoDelete();
    [[nodiscard]] bool canUndoDelete() const { return m_deleted.has_value(); }
    [[nodiscard]] QString deletedListName() const;

    // ---- symbols of one list
    [[nodiscard]] Q_INVOKABLE QStringList symbols(int index) const;
    // Normalizes the symbol ("nasdaq:aapl" -> "AAPL") and appends it.
    [[nodiscard]] Q_INVOKABLE QString addSymbol(int index, const QString &symbol);
    [[nodiscard]] Q_INVOKABLE QString removeSymbol(int index, int row);
    [[nodiscard]] Q_INVOKABLE QString removeSymbolNamed(int index, const QString &symbol);
    // QList::move semantics: afterwards the symbol is at row `to`.
    [[nodiscard]] Q_INVOKABLE QString moveSymbol(int index, int from, int to);

    // ---- columns and sort of one list (column wire names: "last", "changePercent", ...)
    [[nodiscard]] QStringList availableColumns() const { return allColumnNames(); }
    [[nodiscard]] Q_INVOKABLE QStringList columns(int index) const;
    [[nodiscard]] Q_INVOKABLE QString setColumns(int index, const QStringList &columns);
    // An empty column restores the user's order.
    [[nodiscard]] Q_INVOKABLE QString setSort(int index, const QString &column, bool descending);
    [[nodiscard]] Q_INVOKABLE QString sortColumn(int index) const; // "" for the user's order
    [[nodiscard]] Q_INVOKABLE bool sortDescending(int index) const;
    // A header click: another column sorts ascending, the sorted one turns descending, and a
    // third click restores the user's order.
    [[nodiscard]] Q_INVOKABLE QString cycleSort(int index, const QString &column);
    [[nodiscard]] QStringList currentColumns() const { return columns(m_current); }
    [[nodiscard]] QString currentSortColumn() const { return sortColumn(m_current); }
    [[nodiscard]] bool currentSortDescending() const { return sortDescending(m_current); }

    // ---- import / export
    // Text or CSV (see parseSymbolText) appended to a list; duplicates and overflow reported.
    [[nodiscard]] Q_INVOKABLE tickwire::watchlists::ImportReport importText(int index,
                                                                            const QString &text);
    // Native JSON (any known version, one list or many): each list is added as a new list,
    // renamed "<name> (2)" when the name is taken.
    [[nodiscard]] Q_INVOKABLE tickwire::watchlists::ImportReport importJson(const QByteArray &json);
    // Reads a file: JSON when it starts with '{', otherwise text into list `index`.
    [[nodiscard]] Q_INVOKABLE tickwire::watchlists::ImportReport importFile(const QString &path,
                                                                            int index);
    [[nodiscard]] Q_INVOKABLE QString exportText(int index) const;
    [[nodiscard]] Q_INVOKABLE QByteArray exportJson(int index) const; // one list
    [[nodiscard]] Q_INVOKABLE QByteArray exportAllJson() const;
    // Writes exportJson/exportAllJson (index -1) or, with asText, exportText. Returns an error.
    [[nodiscard]] Q_INVOKABLE QString exportFile(const QString &path, int index, bool asText);

    // ---- persistence
    [[nodiscard]] QString filePath() const { return m_file.path(); }
    [[nodiscard]] int saveDelay() const { return m_file.saveDelay(); }
    void setSaveDelay(int milliseconds);
    // Reads the file (or creates it with the defaults on first run, or migrates an old version,
    // or moves a bad one aside and starts from the defaults). Returns false when the user must
    // be told something: see loadProblem().
    Q_INVOKABLE bool load();
    // Writes pending changes now. False when the write failed (see saveError()); the changes stay
    // pending and are retried on the next change or flush.
    Q_INVOKABLE bool flush() { return m_file.flush(); }
    [[nodiscard]] bool hasPendingChanges() const { return m_file.hasPendingChanges(); }
    [[nodiscard]] QString loadProblem() const { return m_file.loadProblem(); }
    [[nodiscard]] QString saveError() const { return m_file.saveError(); }

Q_SIGNALS:
    void listsChanged(); // names or count
    void currentIndexChanged();
    // The list on screen is another list (switched, deleted, or everything was reloaded).
    void currentListChanged();
    void symbolsInserted(int index, int first, const QStringList &symbols);
    void symbolRemoved(int index, int row);
    void symbolMoved(int index, int from, int to);
    void columnsChanged(int index);
    void sortChanged(int index);
    void currentColumnsChanged();
    void currentSortChanged();
    void deletedListChanged();
    void saveDelayChanged();
    void loadProblemChanged();
    void saveErrorChanged();
    void saved();
    // Something the user should read (a bad file moved aside, a failed save).
    void messagePosted(const QString &message);

private:
    struct Entry
    {
        int id = 0; // stable identity, to tell "another list" from "same list, new index"
        Watchlist list;
    };
    struct Deleted
    {
        Entry entry;
        int index = 0;
    };

    [[nodiscard]] QString checkIndex(int index) const;
    [[nodiscard]] QString checkNewName(const QString &name, int ignoreIndex,
                                       QString *normalized) const;
    [[nodiscard]] QString uniqueName(const QString &base) const;
    void insertEntry(int index, const Watchlist &list);
    void replaceAll(const WatchlistDocument &document);
    void changed() { m_file.markChanged(); } // schedules a save
    void announceCurrent(int oldIndex, int previousId);
    [[nodiscard]] WatchlistDocument document() const;

    QList<Entry> m_lists;
    int m_current = 0;
    int m_nextId = 1;
    std::optional<Deleted> m_deleted;
    userdata::SavedFile m_file; // last: its save callback reads the lists
};

} // namespace tickwire::watchlists
