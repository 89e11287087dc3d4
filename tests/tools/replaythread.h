// ReplayThread: an ExchangeReplayServer on a thread of its own, for tests that block their own
// thread while a child process (tickwire-feed fetching instruments) talks to the replay.
#pragma once

#include "exchangereplayserver.h"

#include <QtCore/QThread>

namespace tickwire::testing {

class ReplayThread
{
    Q_DISABLE_COPY_MOVE(ReplayThread)

public:
    ReplayThread()
        : m_replay(new ExchangeReplayServer)
    {
        m_replay->moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::finished, m_replay, &QObject::deleteLater);
        m_thread.start();
    }
    ~ReplayThread()
    {
        m_thread.quit();
        m_thread.wait();
    }

    // Loads the script and listens on 127.0.0.1; false with `error` set on failure.
    [[nodiscard]] bool start(const QString &script, QString *error)
    {
        bool ok = false;
        call([&] {
            ok = m_replay->load(script, error);
            if (ok && !m_replay->listen()) {
                *error = QStringLiteral("the replay server cannot listen");
                ok = false;
            }
        });
        return ok;
    }
    [[nodiscard]] QUrl webSocketUrl() const
    {
        return value([this] { return m_replay->webSocketUrl(); });
    }
    [[nodiscard]] QUrl restUrl() const
    {
        return value([this] { return m_replay->restUrl(); });
    }
    [[nodiscard]] quint16 port() const
    {
        return value([this] { return m_replay->port(); });
    }
    [[nodiscard]] int connectionCount() const
    {
        return value([this] { return m_replay->connectionCount(); });
    }
    [[nodiscard]] QStringList restRequests() const
    {
        return value([this] { return m_replay->restRequests(); });
    }
    // One release of the script's "wait":"release" steps (asynchronous).
    void release()
    {
        QMetaObject::invokeMethod(
            m_replay, [r = m_replay] { r->release(); }, Qt::QueuedConnection);
    }

private:
    template<typename F> void call(F &&f) const
    {
        QMetaObject::invokeMethod(m_replay, std::forward<F>(f), Qt::BlockingQueuedConnection);
    }
    template<typename F> auto value(F &&f) const -> decltype(f())
    {
        decltype(f()) out{};
        call([&] { out = f(); });
        return out;
    }

    QThread m_thread;
    ExchangeReplayServer *m_replay; // deleted on its thread when the thread finishes
};

} // namespace tickwire::testing
