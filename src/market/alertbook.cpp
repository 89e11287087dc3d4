#include "market/alertbook.h"

#include "userdata/userfile.h"

#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QStandardPaths>

#include <cmath>
#include <limits>

namespace tickwire::market {

using namespace Qt::StringLiterals;

namespace {

constexpr auto FileName = "alerts.json"_L1;
constexpr auto FormatName = "tickwire-alerts"_L1;
constexpr int FormatVersion = 1;
constexpr qint64 MaxFileBytes = 4 * 1024 * 1024;

struct Parsed
{
    QList<Alert> alerts;
    QString error; // empty when parsed
};

QString isoTime(std::int64_t ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs)
                  : QString();
}

std::int64_t parseTime(const QJsonValue &value, bool *ok)
{
    if (value.isUndefined() || value.isNull() || value.toString().isEmpty())
        return 0;
    const QDateTime time = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    *ok = *ok && time.isValid();
    return time.isValid() ? time.toMSecsSinceEpoch() : 0;
}

QByteArray toJson(const QList<Alert> &alerts)
{
    QJsonArray list;
    for (const Alert &a : alerts) {
        QJsonObject o{{u"symbol"_s, a.symbol},
                      {u"field"_s, fieldName(a.field)},
                      {u"condition"_s, conditionName(a.condition)},
                      {u"level"_s, a.level.toString()},
                      {u"rearm"_s, rearmName(a.rearm)},
                      {u"enabled"_s, a.enabled},
                      {u"note"_s, a.note},
                      {u"created"_s, isoTime(a.createdMs)},
                      {u"fireCount"_s, a.fireCount}};
        if (a.rearm == AlertRearm::Hysteresis)
            o.insert(u"hysteresis"_s, a.hysteresis.toString());
        if (a.rearm == AlertRearm::Cooldown)
            o.insert(u"cooldownSeconds"_s, a.cooldownSeconds);
        if (a.lastFiredMs > 0)
            o.insert(u"lastFired"_s, isoTime(a.lastFiredMs));
        list.append(o);
    }
    const QJsonObject root{
        {u"format"_s, FormatName}, {u"version"_s, FormatVersion}, {u"alerts"_s, list}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Parsed parse(const QByteArray &bytes)
{
    Parsed result;
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
    if (document.isNull()) {
        result.error =
            AlertBook::tr("not JSON (%1 at byte %2)").arg(error.errorString()).arg(error.offset);
        return result;
    }
    const QJsonObject root = document.object();
    if (root.value(u"format"_s).toString() != FormatName) {
        result.error = AlertBook::tr("not a Tickwire alerts file");
        return result;
    }
    if (root.value(u"version"_s).toInt() != FormatVersion) {
        result.error = AlertBook::tr("unsupported version %1")
                           .arg(root.value(u"version"_s).toVariant().toString());
        return result;
    }
    if (!root.value(u"alerts"_s).isArray()) {
        result.error = AlertBook::tr("no list of alerts");
        return result;
    }
    const QJsonArray list = root.value(u"alerts"_s).toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QJsonObject o = list.at(i).toObject();
        Alert a;
        a.symbol = o.value(u"symbol"_s).toString();
        const auto field = fieldFromName(o.value(u"field"_s).toString());
        const auto condition = conditionFromName(o.value(u"condition"_s).toString());
        const auto rearm = rearmFromName(o.value(u"rearm"_s).toString());
        const auto level = Decimal::parse(QStringView(o.value(u"level"_s).toString()));
        bool ok = field && condition && rearm && level;
        if (ok) {
            a.field = *field;
            a.condition = *condition;
            a.rearm = *rearm;
            a.level = *level;
        }
        if (ok && a.rearm == AlertRearm::Hysteresis) {
            const auto h = Decimal::parse(QStringView(o.value(u"hysteresis"_s).toString()));
            ok = h.has_value();
            a.hysteresis = h.value_or(Decimal());
        }
        a.cooldownSeconds = o.value(u"cooldownSeconds"_s).toInt();
        a.enabled = o.value(u"enabled"_s).toBool(true);
        a.note = o.value(u"note"_s).toString();
        a.fireCount = std::max(0, o.value(u"fireCount"_s).toInt());
        a.createdMs = parseTime(o.value(u"created"_s), &ok);
        a.lastFiredMs = parseTime(o.value(u"lastFired"_s), &ok);
        const QString problem = ok ? alertProblem(a) : QString();
        if (!ok || !problem.isEmpty()) {
            result.error = AlertBook::tr("alert %1 is not valid%2")
                               .arg(i + 1)
                               .arg(problem.isEmpty() ? QString() : u": "_s + problem);
            return result;
        }
        result.alerts << a;
    }
    return result;
}

} // namespace

AlertBook::AlertBook(QObject *parent)
    : AlertBook(defaultFilePath(), parent)
{
}

AlertBook::AlertBook(const QString &filePath, QObject *parent)
    : QAbstractListModel(parent)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
    , m_file(filePath,
             userdata::SavedFile::signalsOf(
                 this, [this] { return toJson(m_alerts); },
                 [](const QString &path, const QString &reason) {
                     return tr("Cannot save your alerts to %1: %2").arg(path, reason);
                 }),
             this)
{
}

AlertBook::~AlertBook()
{
    saveNow();
}

QString AlertBook::defaultFilePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + u'/' + FileName;
}

int AlertBook::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_alerts.size());
}

QHash<int, QByteArray> AlertBook::roleNames() const
{
    return {{AlertIdRole, "alertId"},
            {SymbolRole, "symbol"},
            {FieldRole, "field"},
            {ConditionRole, "condition"},
            {LevelRole, "level"},
            {LevelTextRole, "levelText"},
            {LevelValueRole, "levelValue"},
            {RearmRole, "rearm"},
            {RearmTextRole, "rearmText"},
            {EnabledRole, "enabled"},
            {ArmedRole, "armed"},
            {NoteRole, "note"},
            {DescriptionRole, "description"},
            {CreatedRole, "created"},
            {LastFiredRole, "lastFired"},
            {LastFiredTextRole, "lastFiredText"},
            {FireCountRole, "fireCount"},
            {ChartPriceRole, "chartPrice"}};
}

QVariant AlertBook::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Alert &a = m_alerts.at(index.row());
    switch (role) {
    case AlertIdRole:
        return a.id;
    case SymbolRole:
        return a.symbol;
    case FieldRole:
        return fieldName(a.field);
    case ConditionRole:
        return conditionName(a.condition);
    case LevelRole:
        return a.level.toString();
    case LevelTextRole:
        return groupedDecimal(a.level);
    case LevelValueRole:
        return a.level.toDouble();
    case RearmRole:
        return rearmName(a.rearm);
    case RearmTextRole:
        switch (a.rearm) {
        case AlertRearm::Once:
            return tr("Once");
        case AlertRearm::Hysteresis:
            return tr("Re-arm %1").arg(groupedDecimal(a.hysteresis));
        case AlertRearm::Cooldown:
            return tr("Every %1 s").arg(a.cooldownSeconds);
        }
        return {};
    case EnabledRole:
        return a.enabled;
    case ArmedRole:
        return a.enabled && a.armed;
    case NoteRole:
        return a.note;
    case DescriptionRole:
        return alertDescription(a);
    case CreatedRole:
        return qint64(a.createdMs);
    case LastFiredRole:
        return qint64(a.lastFiredMs);
    case LastFiredTextRole:
        return a.lastFiredMs > 0
                   ? QDateTime::fromMSecsSinceEpoch(a.lastFiredMs).toString(u"HH:mm:ss"_s)
                   : QString();
    case FireCountRole:
        return a.fireCount;
    case ChartPriceRole: {
        if (a.field != AlertField::ChangePercent)
            return a.level.toDouble();
        const auto open = m_open24h.constFind(a.symbol);
        return open == m_open24h.cend() ? std::numeric_limits<double>::quiet_NaN()
                                        : open->toDouble() * (1 + a.level.toDouble() / 100);
    }
    default:
        return {};
    }
}

const Alert *AlertBook::alert(int id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_alerts.at(row);
}

int AlertBook::rowOf(int id) const
{
    for (int row = 0; row < m_alerts.size(); ++row) {
        if (m_alerts.at(row).id == id)
            return row;
    }
    return -1;
}

QString AlertBook::add(Alert alert, int *id)
{
    alert.symbol = alert.symbol.trimmed().toUpper();
    if (QString problem = alertProblem(alert); !problem.isEmpty())
        return problem;
    alert.id = m_nextId++;
    if (alert.createdMs == 0)
        alert.createdMs = m_clock();
    alert.previous.reset();
    alert.armed = true;
    alert.firedDirection = 0;
    const int row = int(m_alerts.size());
    beginInsertRows({}, row, row);
    m_alerts << alert;
    endInsertRows();
    rebuildIndex();
    Q_EMIT countChanged();
    changed();
    if (id)
        *id = alert.id;
    return {};
}

int AlertBook::addAlert(const QString &symbol, const QString &field, const QString &condition,
                        const QString &level, const QString &rearm, const QString &rearmValue,
                        const QString &note)
{
    const auto fail = [this](const QString &error) {
        m_lastError = error;
        return -1;
    };
    Alert a;
    a.symbol = symbol;
    const auto f = fieldFromName(field);
    const auto c = conditionFromName(condition);
    const auto r = rearmFromName(rearm);
    if (!f || !c || !r)
        return fail(tr("Unknown alert type %1 / %2 / %3.").arg(field, condition, rearm));
    a.field = *f;
    a.condition = *c;
    a.rearm = *r;
    const QString levelText = QString(level).remove(u',').trimmed();
    const auto value = Decimal::parse(QStringView(levelText));
    if (!value)
        return fail(tr("\"%1\" is not a number.").arg(level));
    a.level = *value;
    const QString extra = QString(rearmValue).remove(u',').trimmed();
    if (a.rearm == AlertRearm::Hysteresis) {
        const auto h = Decimal::parse(QStringView(extra));
        if (!h)
            return fail(tr("\"%1\" is not a number.").arg(rearmValue));
        a.hysteresis = *h;
    } else if (a.rearm == AlertRearm::Cooldown) {
        bool ok = false;
        a.cooldownSeconds = extra.toInt(&ok);
        if (!ok)
            return fail(tr("\"%1\" is not a whole number of seconds.").arg(rearmValue));
    }
    a.note = note.trimmed();
    int id = -1;
    if (QString error = add(a, &id); !error.isEmpty())
        return fail(error);
    m_lastError.clear();
    return id;
}

QString AlertBook::remove(int id)
{
    const int row = rowOf(id);
    if (row < 0)
        return tr("There is no such alert.");
    beginRemoveRows({}, row, row);
    m_alerts.removeAt(row);
    endRemoveRows();
    // Rows after it moved up: their pending changes move with them.
    const auto shifted = [row](const QSet<int> &rows) {
        QSet<int> out;
        for (int r : rows) {
            if (r != row)
                out.insert(r > row ? r - 1 : r);
        }
        return out;
    };
    m_firedRows = shifted(m_firedRows);
    m_chartRows = shifted(m_chartRows);
    rebuildIndex();
    Q_EMIT countChanged();
    changed();
    return {};
}

QString AlertBook::setEnabled(int id, bool enabled)
{
    const int row = rowOf(id);
    if (row < 0)
        return tr("There is no such alert.");
    Alert &a = m_alerts[row];
    if (a.enabled == enabled)
        return {};
    a.enabled = enabled;
    // Enabled again: armed, and only a crossing from now on fires (previous is kept up to date
    // while disabled, as long as the symbol is subscribed; otherwise it starts unknown).
    a.armed = true;
    a.firedDirection = 0;
    rebuildIndex();
    rowChanged(row, {EnabledRole, ArmedRole});
    changed();
    return {};
}

QString AlertBook::setLevel(int id, const QString &level)
{
    const int row = rowOf(id);
    if (row < 0)
        return tr("There is no such alert.");
    const auto value = Decimal::parse(QStringView(QString(level).remove(u',').trimmed()));
    if (!value)
        return tr("\"%1\" is not a number.").arg(level);
    Alert moved = m_alerts.at(row);
    moved.level = *value;
    if (QString problem = alertProblem(moved); !problem.isEmpty())
        return problem;
    Alert &a = m_alerts[row];
    if (a.level.isIdenticalTo(*value))
        return {};
    a.level = *value;
    a.armed = true;
    a.firedDirection = 0;
    // The value's side of the new level is known from the previous value itself: a move never
    // fires by itself, only the next crossing does.
    rowChanged(row, {LevelRole, LevelTextRole, LevelValueRole, ChartPriceRole, ArmedRole,
                     DescriptionRole});
    changed();
    return {};
}

QString AlertBook::percentAt(const QString &symbol, double price) const
{
    const auto open = m_open24h.constFind(symbol);
    if (open == m_open24h.cend() || !std::isfinite(price))
        return {};
    const double percent = (price / open->toDouble() - 1) * 100;
    // Through text: a double's nearest two-decimal value, then the exact decimal of that text.
    const auto value = Decimal::parse(QString::number(percent, 'f', 2));
    return value ? value->normalized().toString() : QString();
}

QString AlertBook::snapToTick(double price, const QString &tickSize)
{
    const auto tick = Decimal::parse(QStringView(tickSize));
    if (!tick || !tick->isPositive() || !std::isfinite(price))
        return {};
    const double steps = std::round(price / tick->toDouble());
    if (std::abs(steps) > 1e15)
        return {};
    const auto count = Decimal::fromUnits(std::int64_t(steps), 0);
    const auto snapped = count ? count->times(*tick) : std::nullopt;
    return snapped ? snapped->toString() : QString();
}

QString AlertBook::grouped(const QString &decimal)
{
    const auto value = Decimal::parse(QStringView(decimal));
    return value ? groupedDecimal(*value) : decimal;
}

QStringList AlertBook::tickerSymbols() const
{
    QStringList symbols;
    for (const Alert &a : m_alerts) {
        if (a.enabled && !symbols.contains(a.symbol))
            symbols << a.symbol;
    }
    return symbols;
}

QStringList AlertBook::tradeSymbols() const
{
    QStringList symbols;
    for (const Alert &a : m_alerts) {
        if (a.enabled && a.field == AlertField::Last && !symbols.contains(a.symbol))
            symbols << a.symbol;
    }
    return symbols;
}

QList<AlertFiring> AlertBook::evaluate(const protocol::EventBatch &batch)
{
    QList<AlertFiring> fired;
    if (m_rowsBySymbol.isEmpty())
        return fired;
    for (const protocol::Message &m : batch.events) {
        if (const auto *t = std::get_if<protocol::Ticker>(&m)) {
            if (!m_rowsBySymbol.contains(t->symbol))
                continue;
            const std::int64_t time = t->ts > 0 ? t->ts : m_clock();
            if (t->open24h.isPositive()) {
                const auto known = m_open24h.constFind(t->symbol);
                if (known == m_open24h.cend() || !known->isIdenticalTo(t->open24h)) {
                    m_open24h.insert(t->symbol, t->open24h);
                    // The % change alerts' lines sit at a price relative to that open.
                    for (int row : m_rowsBySymbol.value(t->symbol)) {
                        if (m_alerts.at(row).field == AlertField::ChangePercent)
                            m_chartRows.insert(row);
                    }
                }
            }
            // A zero price is an empty side of the book or no trade yet, not a price.
            if (t->last.isPositive())
                observe(t->symbol, AlertField::Last, t->last, time, fired);
            if (t->bid.isPositive())
                observe(t->symbol, AlertField::Bid, t->bid, time, fired);
            if (t->ask.isPositive())
                observe(t->symbol, AlertField::Ask, t->ask, time, fired);
        } else if (const auto *trade = std::get_if<protocol::Trade>(&m)) {
            if (!m_rowsBySymbol.contains(trade->symbol) || !trade->price.isPositive())
                continue;
            observe(trade->symbol, AlertField::Last, trade->price,
                    trade->ts > 0 ? trade->ts : m_clock(), fired);
        }
    }
    return fired;
}

void AlertBook::observe(const QString &symbol, AlertField field, const Decimal &value,
                        std::int64_t timeMs, QList<AlertFiring> &fired)
{
    const auto found = m_rowsBySymbol.constFind(symbol);
    if (found == m_rowsBySymbol.cend())
        return;
    // An alert that fires once is disabled; the index it leaves is rebuilt only after the loop.
    const QList<int> &rows = *found;
    std::optional<Decimal> percent;
    bool reindex = false;
    for (int row : rows) {
        Alert &a = m_alerts[row];
        const Decimal *observed = nullptr;
        if (a.field == field) {
            observed = &value;
        } else if (a.field == AlertField::ChangePercent && field == AlertField::Last) {
            if (!percent) {
                const auto open = m_open24h.constFind(symbol);
                if (open == m_open24h.cend())
                    continue;
                const auto diff = value.minus(*open);
                const auto hundred = diff ? diff->times(Decimal::fromInt(100)) : std::nullopt;
                percent = hundred ? hundred->dividedBy(*open, 4) : std::nullopt;
                if (!percent)
                    continue;
            }
            observed = &*percent;
        }
        if (!observed)
            continue;
        const bool wasArmed = a.armed;
        if (const int direction = observeAlert(a, *observed, timeMs); direction != 0) {
            fired << AlertFiring{a, *observed, direction};
            m_firedRows.insert(row);
            changed();
            reindex = reindex || !a.enabled; // fired once: disabled, no longer subscribed
        } else if (a.armed != wasArmed) {
            m_firedRows.insert(row);
        }
    }
    if (reindex)
        rebuildIndex();
}

void AlertBook::flush()
{
    for (int row : std::as_const(m_chartRows))
        Q_EMIT dataChanged(index(row), index(row), {ChartPriceRole});
    m_chartRows.clear();
    if (m_firedRows.isEmpty())
        return;
    QList<int> rows(m_firedRows.cbegin(), m_firedRows.cend());
    std::sort(rows.begin(), rows.end());
    m_firedRows.clear();
    const QList<int> roles{EnabledRole, ArmedRole, LastFiredRole, LastFiredTextRole, FireCountRole};
    // Adjacent rows as one range.
    for (qsizetype i = 0; i < rows.size();) {
        qsizetype j = i;
        while (j + 1 < rows.size() && rows.at(j + 1) == rows.at(j) + 1)
            ++j;
        Q_EMIT dataChanged(index(rows.at(i)), index(rows.at(j)), roles);
        i = j + 1;
    }
}

void AlertBook::rebuildIndex()
{
    m_rowsBySymbol.clear();
    QSet<QString> subscribed;
    for (int row = 0; row < m_alerts.size(); ++row) {
        const Alert &a = m_alerts.at(row);
        // Disabled alerts are still fed while their symbol is subscribed for another reason,
        // so that enabling one knows which side of the level the price is on.
        m_rowsBySymbol[a.symbol] << row;
        if (a.enabled)
            subscribed.insert(a.symbol + (a.field == AlertField::Last ? u"+"_s : QString()));
    }
    if (subscribed != m_subscribed) {
        m_subscribed = subscribed;
        Q_EMIT subscriptionsChanged();
    }
}

void AlertBook::rowChanged(int row, const QList<int> &roles)
{
    Q_EMIT dataChanged(index(row), index(row), roles);
}

// ---- persistence ------------------------------------------------------------------------

bool AlertBook::load()
{
    m_file.beginLoad();
    const QString &path = m_file.path();
    const auto replace = [this](const QList<Alert> &alerts) {
        beginResetModel();
        m_alerts.clear();
        m_firedRows.clear();
        m_chartRows.clear();
        for (Alert a : alerts) {
            a.id = m_nextId++;
            m_alerts << a;
        }
        endResetModel();
        rebuildIndex();
        Q_EMIT countChanged();
    };

    QFile file(path);
    if (!file.exists()) {
        replace({}); // first run: the file is written with the first alert
        m_file.setLoadProblem({});
        return true;
    }
    if (file.size() > MaxFileBytes || !file.open(QIODevice::ReadOnly)) {
        replace({});
        m_file.block(); // what we could not read, we must not overwrite either
        m_file.setLoadProblem(
            tr("Your alerts could not be read from %1 (%2). No alerts are set and "
               "changes will not be saved.")
                .arg(path, file.size() > MaxFileBytes ? tr("the file is too large")
                                                      : file.errorString()));
        return false;
    }
    const Parsed parsed = parse(file.readAll());
    file.close();
    if (parsed.error.isEmpty()) {
        replace(parsed.alerts);
        m_file.setLoadProblem({});
        return true;
    }

    replace({});
    const std::optional<QString> aside = userdata::moveAside(path);
    if (!aside) {
        m_file.block();
        m_file.setLoadProblem(tr("Your alerts file %1 could not be read (%2) nor moved aside. No "
                                 "alerts are set and changes will not be saved.")
                                  .arg(path, parsed.error));
        return false;
    }
    m_file.setLoadProblem(tr("Your alerts file could not be read (%1). It was kept as %2 and no "
                             "alerts are set.")
                              .arg(parsed.error, *aside));
    return false;
}

} // namespace tickwire::market
