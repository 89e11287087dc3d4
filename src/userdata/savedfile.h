#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QTimer>

#include <functional>

namespace tickwire::userdata {

// The saving half that every store of the user's data shares (watchlists, alerts,
// workspaces): a change schedules an atomic write `saveDelay` after the last change; nothing is
// written before the store loaded its file, nor ever over a file that could not be read and
// could not be moved aside (blocked); a failed write is kept as saveError and posted, and the
// next change tries again. The store keeps its signals: the hooks emit them.
class SavedFile
{
    Q_DISABLE_COPY_MOVE(SavedFile)

public:
    struct Hooks
    {
        std::function<QByteArray()> serialize; // the whole file
        // The message for a failed write: the path and the reason.
        std::function<QString(const QString &path, const QString &reason)> saveErrorText;
        std::function<void()> loadProblemChanged;
        std::function<void()> saveErrorChanged;
        std::function<void(const QString &message)> post; // a problem the user must read
        std::function<void()> saved;
    };
    static constexpr int DefaultSaveDelayMs = 500;

    // `context`: the store, which the save timer's callback must not outlive.
    SavedFile(QString path, Hooks hooks, QObject *context);
    // The hooks of a store whose signals are named as the hooks are (loadProblemChanged,
    // saveErrorChanged, messagePosted, saved).
    template<typename Store>
    [[nodiscard]] static Hooks signalsOf(
        Store *store, const std::function<QByteArray()> &serialize,
        const std::function<QString(const QString &path, const QString &reason)> &saveErrorText)
    {
        return {.serialize = serialize,
                .saveErrorText = saveErrorText,
                .loadProblemChanged = [store] { Q_EMIT store->loadProblemChanged(); },
                .saveErrorChanged = [store] { Q_EMIT store->saveErrorChanged(); },
                .post = [store](const QString &message) { Q_EMIT store->messagePosted(message); },
                .saved = [store] { Q_EMIT store->saved(); }};
    }

    [[nodiscard]] const QString &path() const { return m_path; }

    // load() begins: saving allowed again, nothing pending, no problem yet.
    void beginLoad();
    // The file could not be read nor moved aside: it is never overwritten until the next load.
    void block() { m_blocked = true; }
    // A change: the file is written saveDelay after the last one.
    void markChanged();
    // A change that is written now (a default written at first run, a file rewritten).
    bool writeNow();
    // Writes a pending change now (exit, tests); true when nothing is left unsaved.
    bool flush();

    [[nodiscard]] bool hasPendingChanges() const { return m_dirty; }
    [[nodiscard]] int saveDelay() const { return m_timer.interval(); }
    void setSaveDelay(int milliseconds) { m_timer.setInterval(qMax(0, milliseconds)); }

    [[nodiscard]] const QString &loadProblem() const { return m_loadProblem; }
    void setLoadProblem(const QString &problem);
    [[nodiscard]] const QString &saveError() const { return m_saveError; }

private:
    bool write();
    void setSaveError(const QString &error);

    QString m_path;
    Hooks m_hooks;
    QTimer m_timer;
    bool m_loaded = false; // load() ran: saving is allowed
    bool m_blocked = false; // the file could not be moved aside: never overwrite it
    bool m_dirty = false;
    QString m_loadProblem;
    QString m_saveError;
};

} // namespace tickwire::userdata
