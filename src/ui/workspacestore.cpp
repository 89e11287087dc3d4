#include "ui/workspacestore.h"

#include "userdata/userfile.h"

#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QSet>
#include <QtCore/QStandardPaths>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace tickwire::ui {

namespace {

constexpr QLatin1StringView FileName{"workspaces.json"};
constexpr int FormatVersion = 1;
constexpr qint64 MaxFileBytes = 4 * 1024 * 1024;

const QStringList &intervals()
{
    static const QStringList names{u"1s"_s, u"1m"_s, u"5m"_s, u"15m"_s, u"1h"_s};
    return names;
}

QJsonObject chartToJson(const ChartLayout &chart)
{
    QJsonObject o{{u"interval"_s, chart.interval},
                  {u"style"_s, chart.style},
                  {u"view"_s, chart.view},
                  {u"indicators"_s, QJsonArray::fromStringList(chart.indicators)}};
    if (!chart.symbol.isEmpty())
        o.insert(u"symbol"_s, chart.symbol);
    return o;
}

// Unknown values fall back to the defaults: a chart setting is never worth losing a workspace.
ChartLayout chartFromJson(const QJsonObject &o)
{
    ChartLayout chart;
    chart.symbol = o.value(u"symbol"_s).toString();
    if (const QString interval = o.value(u"interval"_s).toString(); intervals().contains(interval))
        chart.interval = interval;
    if (o.value(u"style"_s).toString() == u"line"_s)
        chart.style = u"line"_s;
    if (o.value(u"view"_s).toString() == u"depth"_s)
        chart.view = u"depth"_s;
    const QJsonArray specs = o.value(u"indicators"_s).toArray();
    for (const auto &spec : specs) {
        if (spec.isString())
            chart.indicators << spec.toString();
    }
    return chart;
}

} // namespace

QByteArray workspacesToJson(const WorkspaceDocument &document)
{
    QJsonArray list;
    for (const Workspace &w : document.workspaces) {
        QJsonObject splits;
        for (auto it = w.splits.cbegin(); it != w.splits.cend(); ++it)
            splits.insert(it.key(), QString::fromLatin1(it.value().toBase64()));
        list.append(QJsonObject{
            {u"name"_s, w.name},
            {u"selectedSymbol"_s, w.selectedSymbol},
            {u"secondChart"_s, w.secondChart},
            {u"charts"_s,
             QJsonObject{{u"main"_s, chartToJson(w.main)}, {u"second"_s, chartToJson(w.second)}}},
            {u"splits"_s, splits},
        });
    }
    return QJsonDocument(QJsonObject{{u"version"_s, FormatVersion},
                                     {u"current"_s, document.current},
                                     {u"workspaces"_s, list}})
        .toJson(QJsonDocument::Indented);
}

std::optional<WorkspaceDocument> workspacesFromJson(QByteArrayView bytes, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument json = QJsonDocument::fromJson(bytes.toByteArray(), &parseError);
    if (json.isNull()) {
        *error = WorkspaceStore::tr("not JSON (%1 at byte %2)")
                     .arg(parseError.errorString())
                     .arg(parseError.offset);
        return std::nullopt;
    }
    const QJsonObject root = json.object();
    const int version = root.value(u"version"_s).toInt(0);
    if (version != FormatVersion) {
        *error = WorkspaceStore::tr("unknown version %1")
                     .arg(root.value(u"version"_s).toVariant().toString());
        return std::nullopt;
    }
    const QJsonValue list = root.value(u"workspaces"_s);
    if (!list.isArray() || list.toArray().isEmpty()) {
        *error = WorkspaceStore::tr("no workspaces in it");
        return std::nullopt;
    }
    WorkspaceDocument document;
    QSet<QString> names;
    const QJsonArray entries = list.toArray();
    for (const auto &value : entries) {
        const QJsonObject o = value.toObject();
        Workspace w;
        w.name = o.value(u"name"_s).toString().trimmed();
        if (w.name.isEmpty() || w.name.size() > WorkspaceStore::MaxNameLength) {
            *error = WorkspaceStore::tr("a workspace without a valid name");
            return std::nullopt;
        }
        if (names.contains(w.name.toCaseFolded())) {
            *error = WorkspaceStore::tr("the name \"%1\" twice").arg(w.name);
            return std::nullopt;
        }
        names.insert(w.name.toCaseFolded());
        w.selectedSymbol = o.value(u"selectedSymbol"_s).toString();
        w.secondChart = o.value(u"secondChart"_s).toBool();
        const QJsonObject charts = o.value(u"charts"_s).toObject();
        w.main = chartFromJson(charts.value(u"main"_s).toObject());
        w.second = chartFromJson(charts.value(u"second"_s).toObject());
        const QJsonObject splits = o.value(u"splits"_s).toObject();
        for (auto it = splits.constBegin(); it != splits.constEnd(); ++it) {
            const auto decoded = QByteArray::fromBase64Encoding(
                it.value().toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
            if (decoded)
                w.splits.insert(it.key(), *decoded);
        }
        document.workspaces << w;
    }
    if (document.workspaces.size() > WorkspaceStore::MaxWorkspaces) {
        *error = WorkspaceStore::tr("more than %1 workspaces").arg(WorkspaceStore::MaxWorkspaces);
        return std::nullopt;
    }
    document.current =
        std::clamp(root.value(u"current"_s).toInt(0), 0, int(document.workspaces.size()) - 1);
    return document;
}

WorkspaceStore::WorkspaceStore(QObject *parent)
    : WorkspaceStore(defaultFilePath(), parent)
{
}

WorkspaceStore::WorkspaceStore(const QString &filePath, QObject *parent)
    : QAbstractListModel(parent)
    , m_file(filePath,
             userdata::SavedFile::signalsOf(
                 this,
                 [this] {
                     return workspacesToJson({m_workspaces, m_current});
                 },
                 [](const QString &path, const QString &reason) {
                     return tr("Cannot save your workspaces to %1: %2").arg(path, reason);
                 }),
             this)
{
    Workspace defaults;
    defaults.name = tr("Default");
    m_workspaces << defaults;
}

WorkspaceStore::~WorkspaceStore()
{
    flush();
}

QString WorkspaceStore::defaultFilePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + u'/' + FileName;
}

int WorkspaceStore::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant WorkspaceStore::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return m_workspaces.at(index.row()).name;
    case CurrentRole:
        return index.row() == m_current;
    case ShortcutRole:
        return index.row() < 9 ? u"Ctrl+%1"_s.arg(index.row() + 1) : QString();
    default:
        return {};
    }
}

QHash<int, QByteArray> WorkspaceStore::roleNames() const
{
    return {{NameRole, "name"}, {CurrentRole, "current"}, {ShortcutRole, "shortcut"}};
}

void WorkspaceStore::setCurrentIndex(int index)
{
    if (index < 0 || index >= count() || index == m_current)
        return;
    const int old = m_current;
    const bool second = secondChart();
    m_current = index;
    Q_EMIT dataChanged(this->index(old), this->index(old), {CurrentRole});
    Q_EMIT dataChanged(this->index(index), this->index(index), {CurrentRole});
    Q_EMIT currentIndexChanged();
    Q_EMIT currentNameChanged();
    if (second != secondChart())
        Q_EMIT secondChartChanged();
    Q_EMIT currentWorkspaceChanged();
    changed();
}

int WorkspaceStore::indexOf(const QString &name) const
{
    const QString key = name.trimmed().toCaseFolded();
    for (int i = 0; i < count(); ++i) {
        if (m_workspaces.at(i).name.toCaseFolded() == key)
            return i;
    }
    return -1;
}

QString WorkspaceStore::checkName(const QString &name, int ignoreIndex, QString *normalized) const
{
    *normalized = name.simplified();
    if (normalized->isEmpty())
        return tr("A workspace needs a name.");
    if (normalized->size() > MaxNameLength)
        return tr("A workspace name has at most %1 characters.").arg(MaxNameLength);
    const int existing = indexOf(*normalized);
    if (existing >= 0 && existing != ignoreIndex)
        return tr("There is already a workspace named \"%1\".").arg(m_workspaces.at(existing).name);
    return {};
}

QString WorkspaceStore::createFromCurrent(const QString &name)
{
    if (count() >= MaxWorkspaces)
        return tr("You already have %1 workspaces, the most there can be.").arg(MaxWorkspaces);
    Workspace copy = current();
    if (QString error = checkName(name, -1, &copy.name); !error.isEmpty())
        return error;
    const int row = count();
    beginInsertRows({}, row, row);
    m_workspaces << copy;
    endInsertRows();
    Q_EMIT countChanged();
    setCurrentIndex(row); // the same contents: applying it changes nothing on screen
    return {};
}

QString WorkspaceStore::rename(int index, const QString &name)
{
    if (index < 0 || index >= count())
        return tr("There is no workspace number %1.").arg(index + 1);
    QString normalized;
    if (QString error = checkName(name, index, &normalized); !error.isEmpty())
        return error;
    if (m_workspaces.at(index).name == normalized)
        return {};
    m_workspaces[index].name = normalized;
    Q_EMIT dataChanged(this->index(index), this->index(index), {Qt::DisplayRole, NameRole});
    if (index == m_current)
        Q_EMIT currentNameChanged();
    changed();
    return {};
}

QString WorkspaceStore::remove(int index)
{
    if (index < 0 || index >= count())
        return tr("There is no workspace number %1.").arg(index + 1);
    if (count() == 1)
        return tr("The last workspace cannot be deleted.");
    const bool wasCurrent = index == m_current;
    const bool second = secondChart();
    beginRemoveRows({}, index, index);
    m_workspaces.removeAt(index);
    if (m_current > index || m_current == count())
        --m_current;
    endRemoveRows();
    Q_EMIT countChanged();
    if (index < 9) { // the shortcuts of the rows after it moved up
        const int last = std::min(8, count() - 1);
        if (index <= last)
            Q_EMIT dataChanged(this->index(index), this->index(last), {ShortcutRole});
    }
    if (wasCurrent) {
        Q_EMIT dataChanged(this->index(m_current), this->index(m_current), {CurrentRole});
        Q_EMIT currentNameChanged();
        if (second != secondChart())
            Q_EMIT secondChartChanged();
        Q_EMIT currentWorkspaceChanged();
    }
    Q_EMIT currentIndexChanged(); // the same workspace may sit at another row
    changed();
    return {};
}

void WorkspaceStore::setSelectedSymbol(const QString &symbol)
{
    if (symbol == current().selectedSymbol)
        return;
    m_workspaces[m_current].selectedSymbol = symbol;
    changed();
}

ChartLayout *WorkspaceStore::chartOfCurrent(const QString &chart)
{
    if (chart == u"main"_s)
        return &m_workspaces[m_current].main;
    if (chart == u"second"_s)
        return &m_workspaces[m_current].second;
    return nullptr;
}

void WorkspaceStore::setChart(const QString &chart, const ChartLayout &layout)
{
    ChartLayout *target = chartOfCurrent(chart);
    if (!target || *target == layout)
        return;
    *target = layout;
    changed();
}

void WorkspaceStore::setSecondChart(bool shown)
{
    if (shown == secondChart())
        return;
    m_workspaces[m_current].secondChart = shown;
    Q_EMIT secondChartChanged();
    changed();
}

void WorkspaceStore::setChartDisplay(const QString &chart, const QVariantMap &display)
{
    ChartLayout *target = chartOfCurrent(chart);
    if (!target)
        return;
    ChartLayout layout = *target;
    layout.style = display.value(u"style"_s).toString() == u"line"_s ? u"line"_s : u"candles"_s;
    layout.view = display.value(u"view"_s).toString() == u"depth"_s ? u"depth"_s : u"candles"_s;
    layout.indicators = display.value(u"indicators"_s).toStringList();
    setChart(chart, layout);
}

QVariantMap WorkspaceStore::chartDisplay(const QString &chart) const
{
    const ChartLayout &layout = chart == u"second"_s ? current().second : current().main;
    return {
        {u"style"_s, layout.style}, {u"view"_s, layout.view}, {u"indicators"_s, layout.indicators}};
}

void WorkspaceStore::setSplitState(const QString &split, const QByteArray &state)
{
    if (split.isEmpty() || state.isEmpty() || current().splits.value(split) == state)
        return;
    m_workspaces[m_current].splits.insert(split, state);
    changed();
}

QByteArray WorkspaceStore::splitState(const QString &split) const
{
    return current().splits.value(split);
}

bool WorkspaceStore::hasSplitState(const QString &split) const
{
    return current().splits.contains(split);
}

void WorkspaceStore::replaceAll(const WorkspaceDocument &document)
{
    const bool second = secondChart();
    beginResetModel();
    m_workspaces = document.workspaces;
    m_current = std::clamp(document.current, 0, int(m_workspaces.size()) - 1);
    endResetModel();
    Q_EMIT countChanged();
    Q_EMIT currentIndexChanged();
    Q_EMIT currentNameChanged();
    if (second != secondChart())
        Q_EMIT secondChartChanged();
    Q_EMIT currentWorkspaceChanged();
}

bool WorkspaceStore::load(const Workspace &defaults)
{
    m_file.beginLoad();
    const QString &path = m_file.path();
    WorkspaceDocument first;
    first.workspaces << defaults;
    if (first.workspaces.first().name.trimmed().isEmpty())
        first.workspaces.first().name = tr("Default");

    QFile file(path);
    if (!file.exists()) {
        replaceAll(first);
        m_file.setLoadProblem({});
        m_file.writeNow();
        return true;
    }
    if (file.size() > MaxFileBytes || !file.open(QIODevice::ReadOnly)) {
        replaceAll(first);
        m_file.block(); // what we could not read, we must not overwrite either
        m_file.setLoadProblem(
            tr("Your workspaces could not be read from %1 (%2). A default workspace "
               "is used and changes will not be saved.")
                .arg(path, file.size() > MaxFileBytes ? tr("the file is too large")
                                                      : file.errorString()));
        return false;
    }
    QString error;
    const std::optional<WorkspaceDocument> parsed = workspacesFromJson(file.readAll(), &error);
    file.close();
    if (parsed) {
        replaceAll(*parsed);
        m_file.setLoadProblem({});
        return true;
    }
    replaceAll(first);
    const std::optional<QString> aside = userdata::moveAside(path);
    if (!aside) {
        m_file.block();
        m_file.setLoadProblem(
            tr("Your workspaces file %1 could not be read (%2) nor moved aside. A "
               "default workspace is used and changes will not be saved.")
                .arg(path, error));
        return false;
    }
    m_file.setLoadProblem(tr("Your workspaces file could not be read (%1). It was kept as %2 and a "
                             "default workspace was made.")
                              .arg(error, *aside));
    m_file.writeNow();
    return false;
}

} // namespace tickwire::ui
