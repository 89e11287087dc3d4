#pragma once

#include "userdata/savedfile.h"

#include <QtCore/QAbstractListModel>
#include <QtCore/QByteArray>
#include <QtCore/QMap>
#include <QtCore/QStringList>
#include <QtCore/QTimer>
#include <QtCore/QVariantMap>
#include <QtQml/qqmlregistration.h>

#include <optional>

namespace tickwire::ui {

// One chart's settings in a workspace. The main chart shows the selected symbol, so its
// `symbol` is unused; the second chart's is its own.
struct ChartLayout
{
    QString symbol;
    QString interval = QStringLiteral("1m"); // "1s", "1m", "5m", "15m", "1h"
    QString style = QStringLiteral("candles"); // "candles" or "line"
    QString view = QStringLiteral("candles"); // the tab: "candles" or "depth"
    QStringList indicators; // ChartIndicators::specs
    friend bool operator==(const ChartLayout &, const ChartLayout &) = default;
};

// A named arrangement of the dashboard: the selected symbol, each chart's settings, whether
// the second chart is shown, and the split views' sizes (SplitView::saveState, by split name).
struct Workspace
{
    QString name;
    QString selectedSymbol;
    bool secondChart = false;
    ChartLayout main;
    ChartLayout second;
    QMap<QString, QByteArray> splits;
    friend bool operator==(const Workspace &, const Workspace &) = default;
};

struct WorkspaceDocument
{
    QList<Workspace> workspaces;
    int current = 0;
};

// workspaces.json: {"version":1,"current":0,"workspaces":[{"name","selectedSymbol",
// "secondChart","charts":{"main":{…},"second":{…}},"splits":{"<name>":"<base64>"}}]}.
// Parsing refuses a wrong shape, no workspace, an empty or duplicate (case-insensitive) name.
[[nodiscard]] QByteArray workspacesToJson(const WorkspaceDocument &document);
[[nodiscard]] std::optional<WorkspaceDocument> workspacesFromJson(QByteArrayView bytes,
                                                                  QString *error);

// The user's workspaces, which one is current, and their file. A list model for the header's
// Workspaces menu. Switching (setCurrentIndex) emits currentWorkspaceChanged: the dashboard
// and the QML apply it. Changes to what is on screen are written into the current workspace
// (setSelectedSymbol, setChart, setSecondChart, setSplitState), so it is always up to date.
//
// Mutators return an empty string on success, else a message for the user, and then change
// nothing. Persistence as WatchlistStore's: nothing touches the disk until load(); then every
// change is saved atomically (QSaveFile) saveDelay ms after the last one and at flush() and
// destruction; a file that cannot be read is moved aside (workspaces.json.bad-<stamp>) and
// reported, never overwritten. GUI thread only.
class WorkspaceStore : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Dashboard.workspaces is the one instance")
    Q_DISABLE_COPY_MOVE(WorkspaceStore)
    Q_PROPERTY(int count READ count NOTIFY countChanged FINAL)
    Q_PROPERTY(
        int currentIndex READ currentIndex WRITE setCurrentIndex NOTIFY currentIndexChanged FINAL)
    Q_PROPERTY(QString currentName READ currentName NOTIFY currentNameChanged FINAL)
    Q_PROPERTY(bool secondChart READ secondChart NOTIFY secondChartChanged FINAL)
    Q_PROPERTY(QString filePath READ filePath CONSTANT FINAL)
    Q_PROPERTY(QString loadProblem READ loadProblem NOTIFY loadProblemChanged FINAL)
    Q_PROPERTY(QString saveError READ saveError NOTIFY saveErrorChanged FINAL)

public:
    enum Role {
        NameRole = Qt::UserRole,
        CurrentRole, // bool
        ShortcutRole, // "Ctrl+1" … "Ctrl+9" for the first nine, else empty
    };
    Q_ENUM(Role)

    static constexpr int MaxWorkspaces = 50;
    static constexpr int MaxNameLength = 60;
    static constexpr int DefaultSaveDelayMs = userdata::SavedFile::DefaultSaveDelayMs;

    // The file is <AppConfigLocation>/workspaces.json.
    explicit WorkspaceStore(QObject *parent = nullptr);
    explicit WorkspaceStore(const QString &filePath, QObject *parent = nullptr);
    ~WorkspaceStore() override; // flushes

    [[nodiscard]] static QString defaultFilePath();

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] int count() const { return int(m_workspaces.size()); }
    [[nodiscard]] int currentIndex() const { return m_current; }
    void setCurrentIndex(int index); // out of range: ignored
    [[nodiscard]] const Workspace &current() const { return m_workspaces.at(m_current); }
    [[nodiscard]] const Workspace &at(int index) const { return m_workspaces.at(index); }
    [[nodiscard]] QString currentName() const { return current().name; }
    [[nodiscard]] bool secondChart() const { return current().secondChart; }
    [[nodiscard]] Q_INVOKABLE int indexOf(const QString &name) const; // case-insensitive; -1

    // A copy of the current workspace under `name`, made current.
    [[nodiscard]] Q_INVOKABLE QString createFromCurrent(const QString &name);
    [[nodiscard]] Q_INVOKABLE QString rename(int index, const QString &name);
    // The last workspace cannot be deleted; deleting the current one switches to its neighbour.
    [[nodiscard]] Q_INVOKABLE QString remove(int index);

    // ---- what is on screen, written into the current workspace
    void setSelectedSymbol(const QString &symbol);
    // chart: "main" or "second"; other names are ignored.
    void setChart(const QString &chart, const ChartLayout &layout);
    Q_INVOKABLE void setSecondChart(bool shown);
    // style, view and indicators of a chart from QML ({style, view, indicators}); the symbol
    // and interval stay the store's.
    Q_INVOKABLE void setChartDisplay(const QString &chart, const QVariantMap &display);
    [[nodiscard]] Q_INVOKABLE QVariantMap chartDisplay(const QString &chart) const;
    Q_INVOKABLE void setSplitState(const QString &split, const QByteArray &state);
    [[nodiscard]] Q_INVOKABLE QByteArray splitState(const QString &split) const;
    [[nodiscard]] Q_INVOKABLE bool hasSplitState(const QString &split) const;

    // ---- persistence
    [[nodiscard]] QString filePath() const { return m_file.path(); }
    void setSaveDelay(int milliseconds) { m_file.setSaveDelay(milliseconds); }
    // Reads the file; without one (first run) starts from `defaults` (one workspace, named
    // "Default" when it has no name) and writes it. A bad file is moved aside, reported
    // (loadProblem, messagePosted) and `defaults` loaded. False when the user must be told.
    bool load(const Workspace &defaults = {});
    bool flush() { return m_file.flush(); }
    [[nodiscard]] QString loadProblem() const { return m_file.loadProblem(); }
    [[nodiscard]] QString saveError() const { return m_file.saveError(); }

Q_SIGNALS:
    void countChanged();
    void currentIndexChanged();
    void currentNameChanged();
    void secondChartChanged();
    // Another workspace is current (switched, deleted, loaded): apply it.
    void currentWorkspaceChanged();
    void loadProblemChanged();
    void saveErrorChanged();
    void saved();
    void messagePosted(const QString &message);

private:
    [[nodiscard]] QString checkName(const QString &name, int ignoreIndex,
                                    QString *normalized) const;
    [[nodiscard]] ChartLayout *chartOfCurrent(const QString &chart);
    void replaceAll(const WorkspaceDocument &document);
    void changed() { m_file.markChanged(); }

    QList<Workspace> m_workspaces;
    int m_current = 0;
    userdata::SavedFile m_file; // last: its save callback reads the workspaces
};

} // namespace tickwire::ui
