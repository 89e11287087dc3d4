#pragma once

#include "market/alert.h"
#include "protocol/eventbatch.h"
#include "userdata/savedfile.h"

#include <QtCore/QAbstractListModel>
#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QSet>
#include <QtCore/QStringList>
#include <QtCore/QTimer>

#include <functional>

namespace tickwire::market {

// One alert that fired: the alert as it is after firing, the value that crossed its level and
// the direction (+1 up, -1 down).
struct AlertFiring
{
    Alert alert;
    Decimal value;
    int direction = 0;
};

// The user's price alerts, their evaluation on the data path and their file; the model the
// alerts panel and the chart's alert lines show.
//
// Evaluation: evaluate() takes every batch as it arrives from the feed client, before any frame,
// and feeds every ticker and trade in it, in order, to the alerts of its symbol
// (observeAlert()), so a spike between two frames fires. The model publishes what firing
// changed (last fired, count, enabled) once per frame, at flush(); edits by the user (add,
// remove, enable, move) are row inserts, removes and dataChanged at once.
//
// Persistence: as the watchlists' (WatchlistStore): nothing touches the disk until load(); then
// every change is saved atomically (QSaveFile) saveDelay ms after the last one and at
// saveNow()/destruction. A file that cannot be parsed is moved aside (alerts.json.bad-<stamp>)
// and reported, and the book starts empty; one that cannot be read or moved is never written.
//
// Thread: GUI thread. Mutators return an empty string on success, otherwise a message for the
// user, and change nothing on failure. Alerts are addressed by id (alertId role).
class AlertBook : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertBook)
    Q_PROPERTY(int count READ count NOTIFY countChanged FINAL)
    Q_PROPERTY(QString filePath READ filePath CONSTANT FINAL)
    Q_PROPERTY(QString loadProblem READ loadProblem NOTIFY loadProblemChanged FINAL)
    Q_PROPERTY(QString saveError READ saveError NOTIFY saveErrorChanged FINAL)

public:
    enum Role {
        AlertIdRole = Qt::UserRole + 1,
        SymbolRole,
        FieldRole, // wire name: "last", "bid", "ask", "changePercent"
        ConditionRole, // "up", "down", "either"
        LevelRole, // exact text, "64012.50"
        LevelTextRole, // grouped, "64,012.50"
        LevelValueRole, // double, for the chart only
        RearmRole, // "once", "hysteresis", "cooldown"
        RearmTextRole, // "Once", "Re-arm 25", "Every 60 s"
        EnabledRole,
        ArmedRole,
        NoteRole,
        DescriptionRole,
        CreatedRole, // ms since the epoch
        LastFiredRole, // ms since the epoch, 0: never
        LastFiredTextRole, // "14:02:07", "" when never
        FireCountRole,
        // double, for the chart: the level's price; for a 24 h % change alert the price at
        // which the change reaches it (the symbol's 24 h open moved by the percentage), NaN
        // until a ticker gave that open.
        ChartPriceRole,
    };
    Q_ENUM(Role)

    static constexpr int DefaultSaveDelayMs = userdata::SavedFile::DefaultSaveDelayMs;

    // The file is <AppConfigLocation>/alerts.json, beside watchlists.json.
    explicit AlertBook(QObject *parent = nullptr);
    explicit AlertBook(const QString &filePath, QObject *parent = nullptr);
    ~AlertBook() override; // saves pending changes

    [[nodiscard]] static QString defaultFilePath();

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] int count() const { return int(m_alerts.size()); }
    [[nodiscard]] const QList<Alert> &alerts() const { return m_alerts; }
    [[nodiscard]] const Alert *alert(int id) const;

    // Adds a checked alert (its id, created time and state are the book's). `*id` gets its id.
    [[nodiscard]] QString add(Alert alert, int *id = nullptr);
    // The same from QML's text fields. rearmValue: the hysteresis (a decimal) or the cooldown
    // (whole seconds); ignored for "once". Returns the new alert's id, or -1 with the reason in
    // lastError.
    Q_INVOKABLE int addAlert(const QString &symbol, const QString &field, const QString &condition,
                             const QString &level, const QString &rearm, const QString &rearmValue,
                             const QString &note);
    [[nodiscard]] Q_INVOKABLE QString lastError() const { return m_lastError; }
    [[nodiscard]] Q_INVOKABLE QString remove(int id);
    [[nodiscard]] Q_INVOKABLE QString setEnabled(int id, bool enabled);
    // Moves the level (a drag on the chart); the alert re-arms and forgets the previous value.
    [[nodiscard]] Q_INVOKABLE QString setLevel(int id, const QString &level);
    // The row of an alert, -1 if none.
    [[nodiscard]] Q_INVOKABLE int rowOf(int id) const;
    // `price` rounded to the nearest multiple of `tickSize` (a decimal string), as exact text:
    // the level a click or a drag on the chart means. Empty when tickSize is not a positive
    // decimal or price not finite.
    [[nodiscard]] Q_INVOKABLE static QString snapToTick(double price, const QString &tickSize);
    // The 24 h change at `price` in percent, to two decimals ("5.25", "-1.5"): the level a drag
    // of a % change alert's line means. Empty before a ticker of the symbol gave its 24 h open.
    [[nodiscard]] Q_INVOKABLE QString percentAt(const QString &symbol, double price) const;
    // "64012.5" -> "64,012.5", for menus ("Alert at 64,012.50").
    [[nodiscard]] Q_INVOKABLE static QString grouped(const QString &decimal);

    // The symbols the enabled alerts need: tickers for all, trades for those on the last price
    // (a trade between two tickers can cross the level).
    [[nodiscard]] QStringList tickerSymbols() const;
    [[nodiscard]] QStringList tradeSymbols() const;

    // Feeds every ticker and trade of the batch, in order; returns the alerts that fired.
    QList<AlertFiring> evaluate(const protocol::EventBatch &batch);
    // Publishes, once per frame, what evaluation changed (as role-scoped dataChanged).
    void flush();

    // ---- persistence
    [[nodiscard]] QString filePath() const { return m_file.path(); }
    void setSaveDelay(int milliseconds) { m_file.setSaveDelay(milliseconds); }
    // Reads the file. False when the user must be told something (loadProblem()).
    bool load();
    // Writes pending changes now; false when that failed (saveError()).
    bool saveNow() { return m_file.flush(); }
    [[nodiscard]] bool hasPendingChanges() const { return m_file.hasPendingChanges(); }
    [[nodiscard]] QString loadProblem() const { return m_file.loadProblem(); }
    [[nodiscard]] QString saveError() const { return m_file.saveError(); }

    // The clock for created times and events without a time (tests set it).
    void setClock(std::function<std::int64_t()> clock) { m_clock = std::move(clock); }

Q_SIGNALS:
    void countChanged();
    // The symbols the alerts need changed (an alert added, removed, enabled or disabled).
    void subscriptionsChanged();
    void loadProblemChanged();
    void saveErrorChanged();
    void saved();
    void messagePosted(const QString &message);

private:
    void observe(const QString &symbol, AlertField field, const Decimal &value, std::int64_t timeMs,
                 QList<AlertFiring> &fired);
    void rebuildIndex();
    void changed() { m_file.markChanged(); } // schedules a save
    void rowChanged(int row, const QList<int> &roles);

    QList<Alert> m_alerts;
    QHash<QString, QList<int>> m_rowsBySymbol; // rows of each symbol's alerts
    QHash<QString, Decimal> m_open24h; // the latest ticker's open, for % change on trades
    QSet<int> m_firedRows; // rows whose history changed since the last flush
    QSet<int> m_chartRows; // % change rows whose chart price moved since the last flush
    QSet<QString> m_subscribed; // symbols the last subscriptionsChanged was about
    int m_nextId = 1;
    QString m_lastError;
    std::function<std::int64_t()> m_clock;
    userdata::SavedFile m_file; // last: its save callback reads the alerts
};

} // namespace tickwire::market
