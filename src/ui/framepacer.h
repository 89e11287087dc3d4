#pragma once

#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <functional>

class QQuickWindow;

namespace tickwire::ui {

// Runs one flush per rendered frame of a window, and only when something asked for it: data
// arriving between frames calls requestFrame(), which asks the window for its next frame, so
// an idle feed costs no frames. Without a window (tests, benchmarks) the flush is queued on
// the event loop instead. GUI thread only.
class FramePacer : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FramePacer)

public:
    explicit FramePacer(std::function<void()> flush, QObject *parent = nullptr);

    // Flushes at the start of each of the window's frames; nullptr detaches.
    void attachWindow(QQuickWindow *window);
    void requestFrame();
    // Flushes now (a frame is starting, or a test wants the models current).
    void flushNow();
    [[nodiscard]] qint64 framesFlushed() const { return m_framesFlushed; }

private:
    std::function<void()> m_flush;
    QPointer<QQuickWindow> m_window;
    bool m_pending = false;
    qint64 m_framesFlushed = 0;
};

} // namespace tickwire::ui
