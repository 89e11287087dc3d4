#include "userdata/savedfile.h"

#include "userdata/userfile.h"

namespace tickwire::userdata {

SavedFile::SavedFile(QString path, Hooks hooks, QObject *context)
    : m_path(std::move(path))
    , m_hooks(std::move(hooks))
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(DefaultSaveDelayMs);
    QObject::connect(&m_timer, &QTimer::timeout, context, [this] { write(); });
}

void SavedFile::beginLoad()
{
    m_timer.stop();
    m_loaded = true;
    m_blocked = false;
    m_dirty = false;
}

void SavedFile::markChanged()
{
    m_dirty = true;
    if (m_loaded && !m_blocked)
        m_timer.start(); // restarts: the save happens saveDelay after the last change
}

bool SavedFile::writeNow()
{
    m_dirty = true;
    return write();
}

bool SavedFile::flush()
{
    m_timer.stop();
    if (!m_dirty)
        return true;
    return write();
}

bool SavedFile::write()
{
    m_timer.stop();
    if (!m_loaded || m_blocked || !m_dirty)
        return !m_dirty;
    if (const auto reason = writeAtomically(m_path, m_hooks.serialize())) {
        setSaveError(m_hooks.saveErrorText(m_path, *reason));
        return false;
    }
    m_dirty = false;
    setSaveError({});
    m_hooks.saved();
    return true;
}

void SavedFile::setLoadProblem(const QString &problem)
{
    if (problem == m_loadProblem)
        return;
    m_loadProblem = problem;
    m_hooks.loadProblemChanged();
    if (!problem.isEmpty())
        m_hooks.post(problem);
}

void SavedFile::setSaveError(const QString &error)
{
    if (error == m_saveError)
        return;
    m_saveError = error;
    m_hooks.saveErrorChanged();
    if (!error.isEmpty())
        m_hooks.post(error);
}

} // namespace tickwire::userdata
